//! The crate, as an adapter uses it.

use std::sync::OnceLock;

use tencent_live_webhook::{Command, QueryBuilder, VerifiedQuery, Verifier, Webhook};

use crate::inputs::{APP, NOW, query, token};

fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| Verifier::new().app(APP, [token()]))
}

/// Parses and verifies the query.
pub fn verify(query: &str) -> bool {
    verifier().verify(query, NOW).is_ok()
}

/// A verified query naming the body's command, made once.
fn verified(body: &[u8]) -> VerifiedQuery {
    let command = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|body| {
            body["CallbackCommand"]
                .as_str()
                .and_then(|word| word.parse().ok())
        })
        .unwrap_or(Command::AfterCreateRoom);
    let query = QueryBuilder::new(APP, command).signed(&token(), NOW);
    verifier()
        .verify(&query, NOW)
        .unwrap_or_else(|_| unreachable!("signed with the verifier's token"))
}

/// Decodes `body` from its verified query (verification is not counted).
pub fn decode(body: &'static [u8]) -> Option<Webhook> {
    static VERIFIED: OnceLock<Vec<(usize, VerifiedQuery)>> = OnceLock::new();
    let all = VERIFIED.get_or_init(|| {
        [
            crate::inputs::create_room(),
            crate::inputs::gift(),
            crate::inputs::destroy_room(),
            crate::inputs::message(),
        ]
        .into_iter()
        .map(|body| (body.as_ptr() as usize, verified(body)))
        .collect()
    });
    let verified = &all.iter().find(|(at, _)| *at == body.as_ptr() as usize)?.1;
    verified.decode(std::hint::black_box(body)).ok()
}

/// Touches the lazily made inputs, so that a measurement sees only the calls.
pub fn warm_up() {
    let _ = query();
    let _ = verify(query());
    let _ = decode(crate::inputs::create_room());
}
