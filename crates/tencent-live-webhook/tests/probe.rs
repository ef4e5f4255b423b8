//! What Tencent really sends besides documented webhooks: the console's connectivity check
//! (no `SdkAppid`, no command) and the undocumented `RequestID` parameter.

use tencent_live_webhook::*;

const NOW: u64 = 1_700_000_000;
const LIVE_APP: u64 = 1_400_000_001;
const CHAT_APP: u64 = 1_400_000_002;

fn token(text: &str) -> Token {
    Token::new(text).unwrap()
}

fn two_apps() -> Verifier {
    Verifier::new()
        .app(LIVE_APP, [token("live-old"), token("live-new")])
        .app(CHAT_APP, [token("chat")])
}

/// A query with only `Sign` and `RequestTime`, as the console's check may be.
fn bare_signed(token_text: &str, time: u64) -> String {
    let sign = Sign::compute(&token(token_text), time);
    format!("Sign={sign}&RequestTime={time}")
}

#[test]
fn without_sdkappid_the_sign_tells_the_app() {
    let verifier = two_apps();
    let verified = verifier.verify(&bare_signed("live-new", NOW), NOW).unwrap();
    assert_eq!(verified.sdk_app_id(), LIVE_APP);
    assert_eq!(verified.matched_token(), Some(1));
    assert!(verified.app_inferred());
    let verified = verifier.verify(&bare_signed("chat", NOW), NOW).unwrap();
    assert_eq!(verified.sdk_app_id(), CHAT_APP);
    let named = signed_query(LIVE_APP, &Command::AfterCreateRoom, &token("live-old"), NOW);
    assert!(!verifier.verify(&named, NOW).unwrap().app_inferred());
}

#[test]
fn without_sdkappid_a_sign_of_no_app_is_401() {
    let error = two_apps()
        .verify(&bare_signed("forged", NOW), NOW)
        .unwrap_err();
    assert_eq!((error, error.status()), (VerifyError::SignMismatch, 401));
}

#[test]
fn without_sdkappid_a_sign_of_two_apps_is_403() {
    let shared = Verifier::new()
        .app(LIVE_APP, [token("same")])
        .app(CHAT_APP, [token("same")]);
    let error = shared.verify(&bare_signed("same", NOW), NOW).unwrap_err();
    assert_eq!((error, error.status()), (VerifyError::AmbiguousApp, 403));
    assert!(!error.to_string().contains("same"), "{error}");
}

#[test]
fn without_sdkappid_and_without_sign_is_still_403() {
    for query in [
        "",
        "RequestTime=1700000000",
        "CallbackCommand=Live.CallbackAfterCreateRoom",
    ] {
        let error = two_apps().verify(query, NOW).unwrap_err();
        assert_eq!(
            (error, error.status()),
            (VerifyError::MissingSdkAppId, 403),
            "{query:?}"
        );
    }
    // An app without a token cannot be told by a Sign.
    let insecure = Verifier::new().insecure_app_without_token(LIVE_APP);
    let error = insecure.verify(&bare_signed("x", NOW), NOW).unwrap_err();
    assert_eq!(error, VerifyError::MissingSdkAppId);
}

#[test]
fn without_sdkappid_time_and_sign_shape_are_checked_as_usual() {
    let verifier = two_apps();
    assert_eq!(
        verifier.verify(&bare_signed("live-new", NOW - 61), NOW),
        Err(VerifyError::Expired { skew_secs: 61 })
    );
    assert_eq!(
        verifier.verify(&bare_signed("chat", NOW + 61), NOW),
        Err(VerifyError::FromTheFuture { skew_secs: 61 })
    );
    assert_eq!(
        verifier.verify("Sign=abc&RequestTime=1700000000", NOW),
        Err(VerifyError::MalformedSign)
    );
    let sign = Sign::compute(&token("chat"), NOW);
    assert_eq!(
        verifier.verify(&format!("Sign={sign}"), NOW),
        Err(VerifyError::MissingRequestTime)
    );
}

#[test]
fn verify_query_alone_also_accepts_a_sign_without_sdkappid() {
    let tokens = [token("live-new")];
    let query = WebhookQuery::parse(&bare_signed("live-new", NOW)).unwrap();
    let verified = verify_query(&query, LIVE_APP, Auth::Tokens(&tokens), NOW, 60).unwrap();
    assert_eq!(verified.sdk_app_id(), LIVE_APP);
    assert!(verified.app_inferred());
    let forged = WebhookQuery::parse(&bare_signed("forged", NOW)).unwrap();
    assert_eq!(
        verify_query(&forged, LIVE_APP, Auth::Tokens(&tokens), NOW, 60),
        Err(VerifyError::SignMismatch)
    );
}

#[test]
fn a_verified_request_without_command_and_event_is_a_probe() {
    let verifier = two_apps();
    let bare = verifier.verify(&bare_signed("chat", NOW), NOW).unwrap();
    let with_app = verifier
        .verify(
            &QueryBuilder::new(LIVE_APP, Command::AfterCreateRoom)
                .signed(&token("live-old"), NOW)
                .replace("&CallbackCommand=Live.CallbackAfterCreateRoom", ""),
            NOW,
        )
        .unwrap();
    assert_eq!(with_app.command(), None);
    for body in [&b""[..], b"{}", b" {\r\n} \n"] {
        assert_eq!(
            bare.receive(body),
            Ok(Received::Probe(probe_of(&bare))),
            "{body:?}"
        );
        let Ok(Received::Probe(probe)) = with_app.receive(body) else {
            panic!("{body:?}")
        };
        assert_eq!(
            (probe.sdk_app_id(), probe.matched_token()),
            (LIVE_APP, Some(0))
        );
        assert_eq!(probe.reply(), Reply::ack());
    }
}

fn probe_of(verified: &VerifiedQuery) -> Probe {
    match verified.receive(b"{}") {
        Ok(Received::Probe(probe)) => probe,
        other => panic!("{other:?}"),
    }
}

#[test]
fn anything_else_without_a_command_stays_400() {
    let bare = two_apps().verify(&bare_signed("chat", NOW), NOW).unwrap();
    for body in [&br#"{"RoomId":"r1"}"#[..], b"[]", b"null", b"{", b"{}{}"] {
        let error = bare.receive(body).unwrap_err();
        assert_eq!(error.status(), 400, "{body:?}");
    }
    assert_eq!(
        bare.receive(br#"{"RoomId":"r1"}"#),
        Err(DecodeError::NoCommand)
    );
    // `decode` itself never calls a probe a webhook.
    assert_eq!(bare.decode(b"{}"), Err(DecodeError::NoCommand));
}

#[test]
fn a_command_in_the_url_or_the_body_makes_it_a_webhook() {
    let token = token("live-old");
    let verifier = two_apps();
    let query = signed_query(LIVE_APP, &Command::AfterDestroyRoom, &token, NOW);
    let verified = verifier.verify(&query, NOW).unwrap();
    assert!(matches!(verified.receive(b"{}"), Ok(Received::Webhook(_))));
    assert!(verified.receive(b"").is_err(), "an empty body is no event");
    let bare = verifier.verify(&bare_signed("live-old", NOW), NOW).unwrap();
    let body = br#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r"}"#;
    let Ok(Received::Webhook(webhook)) = bare.receive(body) else {
        panic!()
    };
    assert_eq!(webhook.meta().sdk_app_id, LIVE_APP);
    assert_eq!(webhook.command(), Command::AfterDestroyRoom);
}

#[test]
fn the_receiver_answers_a_probe_too() {
    let receiver = Receiver::new(two_apps());
    let mut incoming = receiver
        .start(&bare_signed("chat", NOW), Some(b"2"), NOW)
        .unwrap();
    incoming.push(b"{}").unwrap();
    let Ok(Received::Probe(probe)) = incoming.finish() else {
        panic!()
    };
    assert_eq!(probe.sdk_app_id(), CHAT_APP);
}

#[test]
fn request_id_reaches_the_metadata_in_either_spelling() {
    let token = token("chat");
    let base = signed_query(CHAT_APP, &Command::AfterSendMsg, &token, NOW);
    let body = tencent_live_webhook::samples::body_for(Command::AfterSendMsg).unwrap();
    for key in ["RequestID", "RequestId"] {
        let query = format!("{base}&{key}=c637d5f9-2b8e-4c1a-9f3e-0d6b5a4c3e21");
        let verified = two_apps().verify(&query, NOW).unwrap();
        assert_eq!(
            verified.request_id(),
            Some("c637d5f9-2b8e-4c1a-9f3e-0d6b5a4c3e21")
        );
        let webhook = verified.decode(body).unwrap();
        assert_eq!(
            webhook.meta().request_id.as_deref(),
            Some("c637d5f9-2b8e-4c1a-9f3e-0d6b5a4c3e21"),
            "{key}"
        );
    }
    let without = two_apps().verify(&base, NOW).unwrap().decode(body).unwrap();
    assert_eq!(without.meta().request_id, None);
    // Other unknown parameters are still ignored.
    let extra = format!("{base}&TraceId=abc&x=%zz");
    assert!(two_apps().verify(&extra, NOW).is_ok());
}
