//! Properties over generated inputs: signing and verifying agree, and no input panics.

use proptest::prelude::*;
use tencent_live_webhook::*;

const APP: u64 = 1_400_000_000;

fn token_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 1..=MAX_TOKEN_LEN)
}

proptest! {
    #[test]
    fn signed_queries_verify(token in token_bytes(), time in any::<u64>(), skew in 0u64..=60, later in any::<bool>()) {
        let token = Token::new(&token).unwrap();
        let query = signed_query(APP, &Command::AfterCreateRoom, &token, time);
        let now = if later { time.saturating_add(skew) } else { time.saturating_sub(skew) };
        let verified = Verifier::new().app(APP, [token]).verify(&query, now);
        prop_assert_eq!(verified.map(|v| v.matched_token()), Ok(Some(0)));
    }

    #[test]
    fn any_change_to_token_time_or_sign_fails(
        token in token_bytes(),
        other in token_bytes(),
        time in 1u64..u64::MAX,
        digit in 0usize..64,
    ) {
        prop_assume!(token != other);
        let signer = Token::new(&token).unwrap();
        let verifier = Verifier::new().app(APP, [Token::new(&token).unwrap()]).max_skew_secs(u64::MAX);
        let query = signed_query(APP, &Command::AfterCreateRoom, &signer, time);

        let wrong_token = signed_query(APP, &Command::AfterCreateRoom, &Token::new(&other).unwrap(), time);
        prop_assert_eq!(verifier.verify(&wrong_token, time), Err(VerifyError::SignMismatch));

        let moved = query.replace(&format!("RequestTime={time}"), &format!("RequestTime={}", time - 1));
        prop_assert_eq!(verifier.verify(&moved, time), Err(VerifyError::SignMismatch));

        let sign_at = query.find("Sign=").unwrap() + 5 + digit;
        let mut changed = query.clone().into_bytes();
        changed[sign_at] = if changed[sign_at] == b'0' { b'1' } else { b'0' };
        let changed = String::from_utf8(changed).unwrap();
        prop_assert_eq!(verifier.verify(&changed, time), Err(VerifyError::SignMismatch));
    }

    #[test]
    fn arbitrary_query_strings_never_panic(raw in ".{0,300}") {
        let verifier = Verifier::new().app(APP, [Token::new("t").unwrap()]);
        if let Err(error) = verifier.verify(&raw, 1_700_000_000) {
            prop_assert!([400, 401, 403].contains(&error.status()));
            let _ = error.to_string();
        }
    }

    #[test]
    fn query_like_strings_never_panic(
        pairs in proptest::collection::vec(
            ("(SdkAppid|CallbackCommand|WebhookCommand|Sign|RequestTime|ClientIP|OptPlatform|contenttype|x)",
             "[%0-9a-zA-Z.+=]{0,80}"),
            0..8,
        )
    ) {
        let raw: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = WebhookQuery::parse(&raw.join("&"));
    }

    #[test]
    fn arbitrary_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512), index in 0usize..20) {
        let command = Command::KNOWN[index % Command::KNOWN.len()];
        let query = QueryBuilder::new(APP, command).unsigned();
        let verified = Verifier::new().insecure_app_without_token(APP).verify(&query, 0).unwrap();
        if let Err(error) = verified.decode(&body) {
            prop_assert_eq!(error.status(), 400);
        }
    }

    #[test]
    fn json_shaped_bodies_never_panic(text in r#"\{("[A-Za-z_]{1,16}":([0-9]{1,25}|"[^"\\]{0,10}"|\[\]|\{\}|null|true|-1\.5e3),?){0,6}\}"#, index in 0usize..20) {
        let command = Command::KNOWN[index % Command::KNOWN.len()];
        let query = QueryBuilder::new(APP, command).unsigned();
        let verified = Verifier::new().insecure_app_without_token(APP).verify(&query, 0).unwrap();
        let _ = verified.decode(text.as_bytes());
    }
}

proptest! {
    #[test]
    fn trtc_signed_bodies_verify_and_any_flipped_byte_fails(
        key in "[A-Za-z0-9]{1,32}",
        body in proptest::collection::vec(any::<u8>(), 0..512),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let key = trtc::Key::new(&key).unwrap();
        let verifier = trtc::Verifier::new().app(APP, [key.clone()]).without_replay_window();
        let sign = key.sign(&body);
        prop_assert_eq!(sign.len(), trtc::SIGN_LEN);
        let verified = verifier.verify(None, Some(sign.as_bytes()), &body, 0);
        prop_assert_eq!(verified.map(|v| v.matched_key()), Ok(0));
        if !body.is_empty() {
            let mut changed = body.clone();
            changed[at.index(body.len())] ^= flip;
            prop_assert_eq!(
                verifier.verify(None, Some(sign.as_bytes()), &changed, 0).unwrap_err(),
                trtc::VerifyError::SignMismatch
            );
        }
    }

    #[test]
    fn trtc_callbacks_of_any_shape_never_panic(
        text in r#"\{("(EventGroupId|EventType|CallbackTs|EventInfo|RoomId|Role|Payload)":([0-9]{1,25}|"[^"\\]{0,10}"|\[\]|\{\}|null|true|-1\.5e3|\{"(RoomId|Role|EventTs|Status|FileList)":([0-9]{1,22}|"x"|\[\]|\{\})\}),?){0,7}\}"#,
        sign in ".{0,60}",
        app in proptest::option::of("[0-9a-z]{0,22}"),
        now in any::<u64>(),
    ) {
        let key = trtc::Key::new("k").unwrap();
        let receiver = trtc::Receiver::new(trtc::Verifier::new().app(APP, [key.clone()])).body_limit(400);
        // A forged Sign, and the genuine one: neither may panic, whatever the body.
        for sign in [sign.into_bytes(), key.sign(text.as_bytes()).into_bytes()] {
            if let Ok(mut incoming) = receiver.start(app.as_deref().map(str::as_bytes), Some(&sign), None)
                && incoming.push(text.as_bytes()).is_ok()
            {
                let _ = receiver.finish(incoming, now);
            }
        }
    }
}
