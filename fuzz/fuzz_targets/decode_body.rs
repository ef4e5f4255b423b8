//! Any body for any command: decoding returns a webhook or a 400, never panics; a webhook
//! serializes back without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencent_live_webhook::{Command, Payload, QueryBuilder, Verifier};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let command = Command::KNOWN[usize::from(selector) % Command::KNOWN.len()];
    let query = QueryBuilder::new(1, command).unsigned();
    let verified = Verifier::new()
        .insecure_app_without_token(1)
        .verify(&query, 0)
        .unwrap();
    match verified.decode(body) {
        Ok(webhook) => {
            if let Payload::Event(event) = webhook.payload() {
                let _ = serde_json::to_vec(event);
            }
        }
        Err(error) => assert_eq!(error.status(), 400),
    }
});
