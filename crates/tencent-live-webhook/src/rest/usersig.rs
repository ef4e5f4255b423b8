//! UserSig: the signature an app administrator puts on every REST call (feature `rest`).
//!
//! A UserSig is made from the app's SecretKey (from the console), the SDKAppID, the
//! account it signs for and a validity period. It is the zlib-compressed JSON of those
//! values and an HMAC-SHA256 over them, in base64 with `+/=` written `*-_`. Nothing here
//! reads the clock: the time is an argument.
//!
//! ```
//! use tencent_live_webhook::usersig::{SecretKey, UserSig};
//!
//! let key = SecretKey::new("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e")?;
//! let now = 1_700_000_000;
//! let sig = UserSig::generate(1_400_000_000, &key, "administrator", 86_400, now);
//! let claims = sig.verify(&key, 1_400_000_000, "administrator", now + 60)?;
//! assert_eq!(claims.expires_at(), now + 86_400);
//! assert!(sig.verify(&key, 1_400_000_000, "administrator", now + 86_401).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Longest SecretKey accepted, in bytes (the console's keys are 64 characters).
pub const MAX_SECRET_KEY_LEN: usize = 1024;

/// Largest decompressed UserSig read: a real one is about 200 bytes.
const MAX_CLAIMS_LEN: usize = 4096;

/// Longest UserSig text read.
const MAX_USERSIG_LEN: usize = 4096;

/// The app's SecretKey: redacted in `Debug`, wiped when dropped. Its text is used as it
/// is (it looks like hex but is not decoded).
#[derive(Clone)]
pub struct SecretKey(Zeroizing<String>);

impl SecretKey {
    /// Wraps a key; refuses an empty one, one with surrounding whitespace (a key read from
    /// a file with its newline), or one longer than [`MAX_SECRET_KEY_LEN`] bytes.
    pub fn new(key: impl Into<String>) -> Result<SecretKey, SecretKeyError> {
        let key = Zeroizing::new(key.into());
        if key.is_empty() {
            return Err(SecretKeyError::Empty);
        }
        if key.len() > MAX_SECRET_KEY_LEN {
            return Err(SecretKeyError::TooLong);
        }
        if key.trim() != key.as_str() {
            return Err(SecretKeyError::Whitespace);
        }
        Ok(SecretKey(key))
    }

    fn mac(&self) -> hmac::Hmac<sha2::Sha256> {
        // HMAC takes a key of any length.
        hmac::Hmac::<sha2::Sha256>::new_from_slice(self.0.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of every length"))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// Why a SecretKey was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretKeyError {
    /// The key is empty.
    Empty,
    /// The key is longer than [`MAX_SECRET_KEY_LEN`] bytes.
    TooLong,
    /// The key starts or ends with whitespace.
    Whitespace,
}

impl fmt::Display for SecretKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SecretKeyError::Empty => "secret key is empty",
            SecretKeyError::TooLong => "secret key is longer than 1024 bytes",
            SecretKeyError::Whitespace => "secret key starts or ends with whitespace",
        })
    }
}

impl core::error::Error for SecretKeyError {}

/// What a UserSig says: who it signs for, for which app, and from when until when.
///
/// Its `Debug` leaves the signature out: with it, the claims would be the UserSig again.
#[derive(Clone, PartialEq, Eq)]
pub struct Claims {
    identifier: String,
    sdk_app_id: u64,
    time: u64,
    expire: u64,
    userbuf: Option<Vec<u8>>,
    sig: [u8; 32],
}

impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claims")
            .field("identifier", &self.identifier)
            .field("sdk_app_id", &self.sdk_app_id)
            .field("time", &self.time)
            .field("expire", &self.expire)
            .field("userbuf", &self.userbuf)
            .finish_non_exhaustive()
    }
}

impl Claims {
    /// `TLS.identifier`: the account it signs for.
    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// `TLS.sdkappid`.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// `TLS.time`: when it was made, Unix seconds.
    pub fn time(&self) -> u64 {
        self.time
    }

    /// `TLS.expire`: how long it is valid, seconds after [`time`](Self::time).
    pub fn expire(&self) -> u64 {
        self.expire
    }

    /// The last second it is valid (`time + expire`, saturating).
    pub fn expires_at(&self) -> u64 {
        self.time.saturating_add(self.expire)
    }

    /// `TLS.userbuf`, decoded: only TRTC room privilege keys carry one.
    pub fn userbuf(&self) -> Option<&[u8]> {
        self.userbuf.as_deref()
    }

    /// The HMAC-SHA256 of the claims under `key`.
    fn signature(&self, key: &SecretKey) -> [u8; 32] {
        let mut mac = key.mac();
        mac.update(b"TLS.identifier:");
        mac.update(self.identifier.as_bytes());
        mac.update(b"\nTLS.sdkappid:");
        mac.update(self.sdk_app_id.to_string().as_bytes());
        mac.update(b"\nTLS.time:");
        mac.update(self.time.to_string().as_bytes());
        mac.update(b"\nTLS.expire:");
        mac.update(self.expire.to_string().as_bytes());
        mac.update(b"\n");
        if let Some(userbuf) = &self.userbuf {
            mac.update(b"TLS.userbuf:");
            mac.update(STANDARD.encode(userbuf).as_bytes());
            mac.update(b"\n");
        }
        mac.finalize().into_bytes().into()
    }
}

/// A UserSig, as sent in the `usersig` parameter of a REST call. It is a credential for
/// as long as it is valid: redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct UserSig(String);

impl UserSig {
    /// Signs for `identifier` of app `sdk_app_id`, valid for `expire_secs` from `now`.
    pub fn generate(
        sdk_app_id: u64,
        key: &SecretKey,
        identifier: &str,
        expire_secs: u64,
        now: u64,
    ) -> UserSig {
        UserSig::generate_with_userbuf(sdk_app_id, key, identifier, expire_secs, now, None)
    }

    /// Like [`generate`](Self::generate), with a `userbuf` (TRTC room privilege keys);
    /// REST calls do not use one.
    pub fn generate_with_userbuf(
        sdk_app_id: u64,
        key: &SecretKey,
        identifier: &str,
        expire_secs: u64,
        now: u64,
        userbuf: Option<&[u8]>,
    ) -> UserSig {
        let mut claims = Claims {
            identifier: identifier.into(),
            sdk_app_id,
            time: now,
            expire: expire_secs,
            userbuf: userbuf.map(<[u8]>::to_vec),
            sig: [0; 32],
        };
        claims.sig = claims.signature(key);
        let json = serde_json::to_vec(&Wire::from(&claims))
            .unwrap_or_else(|_| unreachable!("strings and numbers always serialize"));
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 6);
        UserSig(to_url_alphabet(&STANDARD.encode(compressed)))
    }

    /// Wraps a UserSig received or stored as text (checked by [`decode`](Self::decode)).
    pub fn from_text(text: impl Into<String>) -> UserSig {
        UserSig(text.into())
    }

    /// The text to put in the `usersig` parameter (its characters need no escaping).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the UserSig says, without checking its signature.
    pub fn decode(&self) -> Result<Claims, UserSigError> {
        if self.0.len() > MAX_USERSIG_LEN {
            return Err(UserSigError::Malformed);
        }
        let standard: String = self
            .0
            .chars()
            .map(|c| match c {
                '*' => '+',
                '-' => '/',
                '_' => '=',
                other => other,
            })
            .collect();
        let compressed = STANDARD
            .decode(standard)
            .map_err(|_| UserSigError::Malformed)?;
        let json =
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, MAX_CLAIMS_LEN)
                .map_err(|_| UserSigError::Malformed)?;
        let wire: WireIn = serde_json::from_slice(&json).map_err(|_| UserSigError::Malformed)?;
        let sig: [u8; 32] = STANDARD
            .decode(wire.sig)
            .ok()
            .and_then(|sig| sig.try_into().ok())
            .ok_or(UserSigError::Malformed)?;
        let userbuf = wire
            .userbuf
            .map(|userbuf| STANDARD.decode(userbuf))
            .transpose()
            .map_err(|_| UserSigError::Malformed)?;
        Ok(Claims {
            identifier: wire.identifier,
            sdk_app_id: wire.sdk_app_id.0,
            time: wire.time.0,
            expire: wire.expire.0,
            userbuf,
            sig,
        })
    }

    /// Checks the UserSig as Tencent does: for app `sdk_app_id` and account `identifier`,
    /// not expired at `now`, signed with `key` (compared in constant time).
    pub fn verify(
        &self,
        key: &SecretKey,
        sdk_app_id: u64,
        identifier: &str,
        now: u64,
    ) -> Result<Claims, UserSigError> {
        let claims = self.decode()?;
        if claims.sdk_app_id != sdk_app_id {
            return Err(UserSigError::WrongApp {
                found: claims.sdk_app_id,
            });
        }
        if claims.identifier != identifier {
            return Err(UserSigError::WrongIdentifier);
        }
        if now > claims.expires_at() {
            return Err(UserSigError::Expired {
                expired_at: claims.expires_at(),
            });
        }
        if !bool::from(claims.signature(key).ct_eq(&claims.sig)) {
            return Err(UserSigError::BadSignature);
        }
        Ok(claims)
    }
}

impl fmt::Debug for UserSig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UserSig(<redacted>)")
    }
}

/// Why a UserSig was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserSigError {
    /// It is not a UserSig: bad base64, bad zlib, bad JSON, or a field missing.
    Malformed,
    /// It is for another app.
    WrongApp {
        /// The SDKAppID it names.
        found: u64,
    },
    /// It is for another account.
    WrongIdentifier,
    /// It expired.
    Expired {
        /// The last second it was valid.
        expired_at: u64,
    },
    /// The signature does not match the key.
    BadSignature,
}

impl fmt::Display for UserSigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserSigError::Malformed => f.write_str("usersig is malformed"),
            UserSigError::WrongApp { found } => write!(f, "usersig is for app {found}"),
            UserSigError::WrongIdentifier => f.write_str("usersig is for another account"),
            UserSigError::Expired { expired_at } => {
                write!(f, "usersig expired (valid until {expired_at})")
            }
            UserSigError::BadSignature => f.write_str("usersig signature does not match the key"),
        }
    }
}

impl core::error::Error for UserSigError {}

/// `+/=` written `*-_`, so the text goes into a URL as it is.
fn to_url_alphabet(standard: &str) -> String {
    standard
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            other => other,
        })
        .collect()
}

/// The JSON inside a UserSig, as written.
#[derive(Serialize)]
struct Wire<'a> {
    #[serde(rename = "TLS.ver")]
    ver: &'a str,
    #[serde(rename = "TLS.identifier")]
    identifier: &'a str,
    #[serde(rename = "TLS.sdkappid")]
    sdk_app_id: u64,
    #[serde(rename = "TLS.expire")]
    expire: u64,
    #[serde(rename = "TLS.time")]
    time: u64,
    #[serde(rename = "TLS.userbuf", skip_serializing_if = "Option::is_none")]
    userbuf: Option<String>,
    #[serde(rename = "TLS.sig")]
    sig: String,
}

impl<'a> From<&'a Claims> for Wire<'a> {
    fn from(claims: &'a Claims) -> Wire<'a> {
        Wire {
            ver: "2.0",
            identifier: &claims.identifier,
            sdk_app_id: claims.sdk_app_id,
            expire: claims.expire,
            time: claims.time,
            userbuf: claims
                .userbuf
                .as_ref()
                .map(|userbuf| STANDARD.encode(userbuf)),
            sig: STANDARD.encode(claims.sig),
        }
    }
}

/// The JSON inside a UserSig, as read: numbers may also come as strings.
#[derive(Deserialize)]
struct WireIn {
    #[serde(rename = "TLS.identifier")]
    identifier: String,
    #[serde(rename = "TLS.sdkappid")]
    sdk_app_id: Number,
    #[serde(rename = "TLS.expire")]
    expire: Number,
    #[serde(rename = "TLS.time")]
    time: Number,
    #[serde(rename = "TLS.userbuf", default)]
    userbuf: Option<String>,
    #[serde(rename = "TLS.sig")]
    sig: String,
}

/// A whole number written as a JSON number or a string of digits.
struct Number(u64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl serde::de::Visitor<'_> for NumberVisitor {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number")
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Number, E> {
                Ok(Number(value))
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Number, E> {
                if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
                    return Err(E::custom("not a whole number"));
                }
                value.parse().map(Number).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}
