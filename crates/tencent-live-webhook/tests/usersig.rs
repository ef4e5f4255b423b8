//! UserSig against the published vectors and independently made ones.
#![cfg(feature = "rest")]

use base64::Engine as _;
use tencent_live_webhook::usersig::{SecretKey, SecretKeyError, UserSig, UserSigError};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const APP: u64 = 1_400_000_000;

const VECTOR_FILES: &[(&str, &str)] = &[
    (
        "usersig/tencent-docs.txt",
        include_str!("../testdata/usersig/tencent-docs.txt"),
    ),
    (
        "usersig/python-generated.txt",
        include_str!("../testdata/usersig/python-generated.txt"),
    ),
];

fn key() -> SecretKey {
    SecretKey::new(KEY).unwrap()
}

/// zlib-compressed `json` as UserSig text: base64 with `+/=` written `*-_`.
fn usersig_text(json: &[u8], level: u8) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(json, level);
    base64::engine::general_purpose::STANDARD
        .encode(compressed)
        .replace('+', "*")
        .replace('/', "-")
        .replace('=', "_")
}

fn base64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

#[test]
fn generated_usersigs_carry_the_vectors_signature_and_verify() {
    let mut checked = 0;
    for (file, text) in VECTOR_FILES {
        for (number, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
            let at = format!("{file}:{number}");
            let fields: Vec<&str> = line.split(' ').collect();
            let [identifier, time, expire, userbuf, sig] = fields[..] else {
                panic!("{at}: expected `identifier time expire userbuf sig`");
            };
            let (time, expire): (u64, u64) = (time.parse().unwrap(), expire.parse().unwrap());
            let userbuf = (userbuf != "-").then(|| base64(userbuf));
            let made = UserSig::generate_with_userbuf(
                APP,
                &key(),
                identifier,
                expire,
                time,
                userbuf.as_deref(),
            );
            assert!(
                made.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"*-_".contains(&b)),
                "{at}: {}",
                made.as_str()
            );
            let claims = made
                .verify(&key(), APP, identifier, time)
                .unwrap_or_else(|e| panic!("{at}: {e}"));
            assert_eq!(claims.identifier(), identifier, "{at}");
            assert_eq!((claims.time(), claims.expire()), (time, expire), "{at}");
            assert_eq!(claims.userbuf(), userbuf.as_deref(), "{at}");
            // The signature inside is the vector's: read it from the decompressed JSON.
            let json = inside(&made);
            assert_eq!(json["TLS.sig"], sig, "{at}");
            assert_eq!(json["TLS.ver"], "2.0", "{at}");
            checked += 1;
        }
    }
    assert!(checked >= 9, "only {checked} vectors read");
}

/// The JSON a UserSig carries, decoded independently of the crate's reader.
fn inside(usersig: &UserSig) -> serde_json::Value {
    let standard: String = usersig
        .as_str()
        .chars()
        .map(|c| match c {
            '*' => '+',
            '-' => '/',
            '_' => '=',
            c => c,
        })
        .collect();
    let json = miniz_oxide::inflate::decompress_to_vec_zlib(&base64(&standard)).unwrap();
    serde_json::from_slice(&json).unwrap()
}

#[test]
fn tencents_own_usersig_decodes_and_verifies() {
    let text = include_str!("../testdata/usersig/tencent-python-usersig.txt");
    let fields: Vec<&str> = text.trim().split(' ').collect();
    let [identifier, time, expire, usersig] = fields[..] else {
        panic!("usersig/tencent-python-usersig.txt: expected `identifier time expire usersig`");
    };
    let (time, expire): (u64, u64) = (time.parse().unwrap(), expire.parse().unwrap());
    let theirs = UserSig::from_text(usersig);
    let claims = theirs.verify(&key(), APP, identifier, time + 1).unwrap();
    assert_eq!((claims.time(), claims.expire()), (time, expire));
    // Ours for the same row says the same, whatever bytes zlib chose.
    let ours = UserSig::generate(APP, &key(), identifier, expire, time);
    assert_eq!(inside(&ours), inside(&theirs));
}

#[test]
fn each_refusal_has_its_own_error() {
    let key = key();
    let now = 1_700_000_000;
    let sig = UserSig::generate(APP, &key, "administrator", 100, now);
    assert!(sig.verify(&key, APP, "administrator", now + 100).is_ok());
    assert_eq!(
        sig.verify(&key, APP, "administrator", now + 101),
        Err(UserSigError::Expired {
            expired_at: now + 100
        })
    );
    assert_eq!(
        sig.verify(&key, 1_400_000_001, "administrator", now),
        Err(UserSigError::WrongApp { found: APP })
    );
    assert_eq!(
        sig.verify(&key, APP, "admin", now),
        Err(UserSigError::WrongIdentifier)
    );
    let other = SecretKey::new("another-key").unwrap();
    assert_eq!(
        sig.verify(&other, APP, "administrator", now),
        Err(UserSigError::BadSignature)
    );
    for bad in [
        "",
        "not base64 !",
        "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwjDB4pTsxIKCzBQlK0MTAyiAyKRWFGQWpQLFTU1NjeCiJZm5YDEzS0tDAyOYaHFmOtBM54KsUqeUwGLLqPK8UndHryCL",
        "AAAA",
        &"A".repeat(100_000),
    ] {
        assert_eq!(
            UserSig::from_text(bad).decode(),
            Err(UserSigError::Malformed),
            "{bad:.20}"
        );
    }
    // Valid zlib and JSON, but not a UserSig: a field missing.
    let json = br#"{"TLS.ver":"2.0","TLS.identifier":"a","TLS.sdkappid":1,"TLS.time":1}"#;
    assert_eq!(
        UserSig::from_text(usersig_text(json, 6)).decode(),
        Err(UserSigError::Malformed)
    );
    // A zlib bomb is cut off, not inflated.
    assert_eq!(
        UserSig::from_text(usersig_text(&vec![b' '; 10_000_000], 9)).decode(),
        Err(UserSigError::Malformed)
    );
}

#[test]
fn secrets_stay_out_of_debug_and_bad_keys_are_refused() {
    let key = key();
    assert_eq!(format!("{key:?}"), "SecretKey(<redacted>)");
    let sig = UserSig::generate(APP, &key, "administrator", 100, 1);
    assert_eq!(format!("{sig:?}"), "UserSig(<redacted>)");
    let claims = sig.decode().unwrap();
    let shown = format!("{claims:?}");
    assert!(
        !shown.contains(KEY) && !shown.contains(sig.as_str()),
        "{shown}"
    );
    let sig_inside = inside(&sig)["TLS.sig"].as_str().unwrap().to_owned();
    assert!(!shown.contains(&sig_inside), "{shown}");
    assert_eq!(SecretKey::new("").unwrap_err(), SecretKeyError::Empty);
    assert_eq!(
        SecretKey::new(format!("{KEY}\n")).unwrap_err(),
        SecretKeyError::Whitespace
    );
    assert_eq!(
        SecretKey::new("k".repeat(1025)).unwrap_err(),
        SecretKeyError::TooLong
    );
}
