//! `TrustedEnvelope`: ids from an independent SHA-256, round trips through JSON, and
//! envelopes that were changed are refused.

use tencent_live_webhook::*;

const NOW: u64 = 1_700_000_000;

fn verified(app: u64, word: &str, body: &[u8]) -> (Webhook, String) {
    let token = Token::new("envelope-token").unwrap();
    let command: Command = word.parse().unwrap();
    let query = QueryBuilder::new(app, command)
        .client_ip("10.0.0.1")
        .signed(&token, NOW);
    let webhook = Verifier::new()
        .app(app, [token])
        .verify(&query, NOW)
        .unwrap()
        .decode(body)
        .unwrap();
    (webhook, query)
}

fn sample(file: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/testdata/samples/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn ids_match_pythons_hashlib() {
    let vectors = include_str!("../testdata/envelope/python-hashlib.txt");
    let mut checked = 0;
    for line in vectors.lines().filter(|line| !line.starts_with('#')) {
        let [app, word, file, id] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("bad vector line {line:?}");
        };
        let app: u64 = app.parse().unwrap();
        let body = sample(file);
        assert_eq!(TrustedEnvelope::id_of(app, word, &body), id, "{app} {word}");
        let (webhook, query) = verified(app, word, &body);
        let envelope = TrustedEnvelope::new(&webhook, &query, &body, 1).unwrap();
        assert_eq!(envelope.id(), id, "{app} {word}");
        checked += 1;
    }
    assert_eq!(checked, 38);
}

#[test]
fn every_sample_survives_a_round_trip_through_json() {
    for (word, body) in samples::ALL {
        let (webhook, query) = verified(1_400_000_000, word, body);
        let envelope = TrustedEnvelope::new(&webhook, &query, body, 1_700_000_000_123).unwrap();
        let json = serde_json::to_string(&envelope).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["body"].as_str().unwrap().as_bytes(), *body, "{word}");
        assert_eq!(value["query"], query.as_str());
        assert_eq!(value["sdkappid"], 1_400_000_000);
        assert_eq!(value["command"], *word);
        assert_eq!(value["received_at_ms"], 1_700_000_000_123_u64);
        let read: TrustedEnvelope = serde_json::from_str(&json).unwrap();
        assert_eq!(read, envelope);
        let stored = TrustedEnvelope::from_stored(
            envelope.id().into(),
            envelope.received_at_ms(),
            envelope.sdk_app_id(),
            envelope.command_word().into(),
            envelope.query().into(),
            envelope.body().into(),
        );
        assert_eq!(stored, envelope);
        let decoded = read.decode().unwrap();
        assert_eq!(decoded.payload(), webhook.payload(), "{word}");
        assert_eq!(decoded.meta().command, webhook.meta().command);
        assert_eq!(decoded.meta().client_ip.as_deref(), Some("10.0.0.1"));
        // Not checked again, so not claimed.
        assert_eq!(decoded.meta().matched_token, None);
    }
}

#[test]
fn a_changed_envelope_is_refused() {
    let body = sample("Live.CallbackAfterDestroyRoom.json");
    let (webhook, query) = verified(7, "Live.CallbackAfterDestroyRoom", &body);
    let envelope = TrustedEnvelope::new(&webhook, &query, &body, 5).unwrap();
    let json: serde_json::Value = serde_json::to_value(&envelope).unwrap();
    let edited = |field: &str, value: serde_json::Value| {
        let mut json = json.clone();
        json[field] = value;
        serde_json::from_value::<TrustedEnvelope>(json)
            .unwrap()
            .decode()
    };
    let other_body = String::from_utf8(body.clone())
        .unwrap()
        .replace("\"RoomId\"", " \"RoomId\"");
    assert_eq!(
        edited("body", other_body.into()).unwrap_err(),
        EnvelopeError::IdMismatch
    );
    assert_eq!(
        edited("sdkappid", 8.into()).unwrap_err(),
        EnvelopeError::IdMismatch
    );
    assert_eq!(
        edited("command", "Live.CallbackAfterCreateRoom".into()).unwrap_err(),
        EnvelopeError::IdMismatch
    );
    assert!(matches!(
        edited("query", "SdkAppid=x".into()).unwrap_err(),
        EnvelopeError::Query(_)
    ));
    assert_eq!(
        edited("query", "SdkAppid=9".into()).unwrap_err(),
        EnvelopeError::AppMismatch
    );
    let created = "SdkAppid=7&CallbackCommand=Live.CallbackAfterCreateRoom";
    assert!(matches!(
        edited("query", created.into()).unwrap_err(),
        EnvelopeError::Decode(DecodeError::CommandMismatch { .. })
    ));
    // Missing fields are a deserialization error, not a half-built envelope.
    let mut partial = json.clone();
    partial.as_object_mut().unwrap().remove("body");
    assert!(serde_json::from_value::<TrustedEnvelope>(partial).is_err());
    for error in [
        EnvelopeError::IdMismatch,
        EnvelopeError::AppMismatch,
        EnvelopeError::NotUtf8,
    ] {
        let text = error.to_string();
        assert!(text.chars().next().unwrap().is_lowercase(), "{text}");
    }
}

#[test]
fn the_same_webhook_signed_twice_has_one_id() {
    let body = sample("Live.CallbackAfterDestroyRoom.json");
    let token = Token::new("t").unwrap();
    let verifier = Verifier::new().app(7, [token.clone()]);
    let ids: Vec<String> = [NOW, NOW + 30]
        .into_iter()
        .map(|time| {
            let query = signed_query(7, &Command::AfterDestroyRoom, &token, time);
            let webhook = verifier
                .verify(&query, time)
                .unwrap()
                .decode(&body)
                .unwrap();
            TrustedEnvelope::new(&webhook, &query, &body, time * 1000)
                .unwrap()
                .id()
                .to_owned()
        })
        .collect();
    assert_eq!(ids[0], ids[1]);
}
