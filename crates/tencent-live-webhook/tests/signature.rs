//! Signature vectors and verification edge cases.

use tencent_live_webhook::{
    Auth, Command, QueryBuilder, QueryErrorKind, Sign, Token, Verifier, VerifyError, WebhookQuery,
    signed_query, verify_query,
};

const VECTOR_FILES: &[(&str, &str)] = &[
    (
        "sign/tencent-docs.txt",
        include_str!("../testdata/sign/tencent-docs.txt"),
    ),
    (
        "sign/sha256sum-generated.txt",
        include_str!("../testdata/sign/sha256sum-generated.txt"),
    ),
];

#[test]
fn sign_vectors_compute_and_verify() {
    let mut checked = 0;
    for (file, text) in VECTOR_FILES {
        for (number, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
            let fields: Vec<&str> = line.split(' ').collect();
            let [token, time, expected] = fields[..] else {
                panic!("{file}:{number}: expected `token time sign`");
            };
            let token = Token::new(token).unwrap();
            let time: u64 = time.parse().unwrap();
            assert_eq!(
                Sign::compute(&token, time).to_string(),
                expected,
                "{file}:{number}"
            );

            // The same vector, upper-cased, verifies through a full query.
            let query = format!(
                "SdkAppid=1&Sign={}&RequestTime={time}",
                expected.to_uppercase()
            );
            let verified = Verifier::new().app(1, [token]).verify(&query, time);
            assert!(verified.is_ok(), "{file}:{number}: {verified:?}");
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} vectors read");
}

const APP: u64 = 1_400_000_000;
const NOW: u64 = 1_700_000_000;

fn token(text: &str) -> Token {
    Token::new(text).unwrap()
}

fn verifier() -> Verifier {
    Verifier::new().app(APP, [token("secret")])
}

fn query_at(time: u64) -> String {
    signed_query(APP, &Command::AfterCreateRoom, &token("secret"), time)
}

#[test]
fn window_edges_are_inclusive_both_ways() {
    let verifier = verifier();
    assert!(verifier.verify(&query_at(NOW - 60), NOW).is_ok());
    assert!(verifier.verify(&query_at(NOW + 60), NOW).is_ok());
    assert_eq!(
        verifier.verify(&query_at(NOW - 61), NOW),
        Err(VerifyError::Expired { skew_secs: 61 })
    );
    assert_eq!(
        verifier.verify(&query_at(NOW + 61), NOW),
        Err(VerifyError::FromTheFuture { skew_secs: 61 })
    );
}

#[test]
fn skew_is_configurable() {
    let strict = verifier().max_skew_secs(5);
    assert!(strict.verify(&query_at(NOW - 5), NOW).is_ok());
    assert!(matches!(
        strict.verify(&query_at(NOW - 6), NOW),
        Err(VerifyError::Expired { .. })
    ));
}

#[test]
fn extreme_times_never_wrap() {
    let verifier = verifier();
    let max = query_at(u64::MAX);
    assert_eq!(
        verifier.verify(&max, 0),
        Err(VerifyError::FromTheFuture {
            skew_secs: u64::MAX
        })
    );
    assert_eq!(
        verifier.verify(&query_at(0), u64::MAX),
        Err(VerifyError::Expired {
            skew_secs: u64::MAX
        })
    );
    let huge = "SdkAppid=1400000000&Sign=00&RequestTime=123456789012345678901234567890";
    let error = verifier.verify(huge, NOW).unwrap_err();
    assert!(matches!(error, VerifyError::Query(e) if e.kind() == QueryErrorKind::NotANumber));
    assert_eq!(error.status(), 400);
}

#[test]
fn malformed_signs_are_401() {
    let verifier = verifier();
    let good = query_at(NOW);
    let sign = good.split("Sign=").nth(1).unwrap()[..64].to_string();
    for bad in [
        &sign[..63],
        &format!("{sign}0"),
        &format!("g{}", &sign[1..]),
        "",
        "%20",
    ] {
        let query = good.replace(&sign, bad);
        let error = verifier.verify(&query, NOW).unwrap_err();
        assert_eq!(error, VerifyError::MalformedSign, "{bad:?}");
        assert_eq!(error.status(), 401);
    }
    let flipped = good.replace(
        &sign,
        &format!(
            "{}{}",
            &sign[..63],
            if sign.ends_with('0') { "1" } else { "0" }
        ),
    );
    assert_eq!(
        verifier.verify(&flipped, NOW),
        Err(VerifyError::SignMismatch)
    );
}

#[test]
fn missing_parameters_are_named() {
    let verifier = verifier();
    let full = query_at(NOW);
    let without = |name: &str| {
        full.split('&')
            .filter(|pair| !pair.starts_with(name))
            .collect::<Vec<_>>()
            .join("&")
    };
    assert_eq!(
        verifier.verify(&without("Sign="), NOW),
        Err(VerifyError::MissingSign)
    );
    assert_eq!(
        verifier.verify(&without("RequestTime="), NOW),
        Err(VerifyError::MissingRequestTime)
    );
    // Without SdkAppid a valid Sign still tells the app (the console's connectivity check);
    // without both, nothing does.
    let inferred = verifier.verify(&without("SdkAppid="), NOW).unwrap();
    assert!(inferred.app_inferred());
    let unsigned = without("SdkAppid=")
        .split('&')
        .filter(|pair| !pair.starts_with("Sign="))
        .collect::<Vec<_>>()
        .join("&");
    let error = verifier.verify(&unsigned, NOW).unwrap_err();
    assert_eq!((error, error.status()), (VerifyError::MissingSdkAppId, 403));
}

#[test]
fn repeated_parameters_are_malformed() {
    let full = query_at(NOW);
    for pair in full
        .split('&')
        .filter(|p| p.starts_with("Sign") || p.starts_with("Req") || p.starts_with("Sdk"))
    {
        let error = verifier()
            .verify(&format!("{full}&{pair}"), NOW)
            .unwrap_err();
        assert!(
            matches!(error, VerifyError::Query(e) if e.kind() == QueryErrorKind::Repeated),
            "{pair}"
        );
        assert_eq!(error.status(), 400);
    }
}

#[test]
fn wrong_app_is_403_and_checked_before_the_signature() {
    let other_app = signed_query(APP + 1, &Command::AfterCreateRoom, &token("secret"), NOW);
    let error = verifier().verify(&other_app, NOW).unwrap_err();
    assert_eq!(
        error,
        VerifyError::UnknownApp {
            sdk_app_id: APP + 1
        }
    );
    assert_eq!(error.status(), 403);
    // Even with a bad signature, the app is what gets reported.
    let error = verifier()
        .verify(&format!("SdkAppid={}&Sign=zz", APP + 1), NOW)
        .unwrap_err();
    assert_eq!(
        error,
        VerifyError::UnknownApp {
            sdk_app_id: APP + 1
        }
    );
}

#[test]
fn rotation_accepts_either_token_and_says_which() {
    let verifier = Verifier::new().app(APP, [token("old"), token("new")]);
    let old = signed_query(APP, &Command::AfterCreateRoom, &token("old"), NOW);
    let new = signed_query(APP, &Command::AfterCreateRoom, &token("new"), NOW);
    let other = signed_query(APP, &Command::AfterCreateRoom, &token("other"), NOW);
    assert_eq!(verifier.verify(&old, NOW).unwrap().matched_token(), Some(0));
    assert_eq!(verifier.verify(&new, NOW).unwrap().matched_token(), Some(1));
    assert_eq!(verifier.verify(&other, NOW), Err(VerifyError::SignMismatch));
}

#[test]
fn apps_have_their_own_tokens() {
    let verifier = Verifier::new()
        .app(1, [token("one")])
        .app(2, [token("two")]);
    let signed = |app, t: &str| signed_query(app, &Command::AfterCreateRoom, &token(t), NOW);
    assert!(verifier.verify(&signed(1, "one"), NOW).is_ok());
    assert!(verifier.verify(&signed(2, "two"), NOW).is_ok());
    assert_eq!(
        verifier.verify(&signed(1, "two"), NOW),
        Err(VerifyError::SignMismatch)
    );
    assert_eq!(verifier.sdk_app_ids().collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn insecure_mode_checks_only_the_app() {
    let verifier = Verifier::new().insecure_app_without_token(APP);
    let unsigned = QueryBuilder::new(APP, Command::AfterCreateRoom).unsigned();
    let verified = verifier.verify(&unsigned, NOW).unwrap();
    assert_eq!(verified.matched_token(), None);
    let other = QueryBuilder::new(APP + 1, Command::AfterCreateRoom).unsigned();
    assert_eq!(
        verifier.verify(&other, NOW),
        Err(VerifyError::UnknownApp {
            sdk_app_id: APP + 1
        })
    );
}

#[test]
fn no_alloc_entry_point_matches_the_verifier() {
    let tokens = [token("secret")];
    let query = WebhookQuery::parse(&query_at(NOW)).unwrap();
    let verified = verify_query(&query, APP, Auth::Tokens(&tokens), NOW, 60).unwrap();
    assert_eq!(verified.sdk_app_id(), APP);
    assert_eq!(verified.command(), Some(Command::AfterCreateRoom));
    assert_eq!(
        verify_query(&query, APP, Auth::Tokens(&tokens), NOW + 61, 60),
        Err(VerifyError::Expired { skew_secs: 61 })
    );
    assert!(verify_query(&query, APP, Auth::Tokens(&[]), NOW, 60).is_err());
}

#[test]
fn errors_and_replies_never_contain_the_token_or_expected_sign() {
    let secret = "very-secret-token";
    let verifier = Verifier::new().app(APP, [token(secret)]);
    let expected = Sign::compute(&token(secret), NOW).to_string();
    let forged = signed_query(APP, &Command::AfterCreateRoom, &token("guess"), NOW);
    let error = verifier.verify(&forged, NOW).unwrap_err();
    let rejection = tencent_live_webhook::Rejection::from(error);
    for text in [
        error.to_string(),
        format!("{error:?}"),
        rejection.reply().to_json(),
        format!("{verifier:?}"),
    ] {
        assert!(!text.contains(secret), "{text}");
        assert!(!text.contains(&expected), "{text}");
    }
}
