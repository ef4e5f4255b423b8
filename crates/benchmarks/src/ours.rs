//! The crate, as an adapter uses it.

use std::sync::OnceLock;

use tencent_live_webhook::{
    Command, Notification, QueryBuilder, Received, Receiver, Reply, VerifiedQuery, Verifier,
    Webhook,
};

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

/// What a receiver's request path does with one webhook, in process and without the
/// framework: the query verified and the length checked, the body collected and decoded,
/// the notification made with its id (what a spool, broker or console keys it by), and
/// the ack written. The request-path budget of CI counts this.
pub fn request_path(query: &str, body: &[u8]) -> Option<String> {
    static RECEIVER: OnceLock<Receiver> = OnceLock::new();
    let receiver = RECEIVER.get_or_init(|| Receiver::new(Verifier::new().app(APP, [token()])));
    let length = body.len().to_string();
    let mut incoming = receiver.start(query, Some(length.as_bytes()), NOW).ok()?;
    incoming.push(body).ok()?;
    let (received, body) = incoming.finish_with_body().ok()?;
    let Received::Webhook(webhook) = received else {
        return None;
    };
    let notification = Notification::live(webhook, query.to_owned(), body, NOW * 1000).ok()?;
    std::hint::black_box(notification.id());
    Some(Reply::ack().to_json())
}

/// Touches the lazily made inputs, so that a measurement sees only the calls.
pub fn warm_up() {
    let _ = query();
    let _ = verify(query());
    let _ = decode(crate::inputs::create_room());
    let _ = request_path(query(), crate::inputs::create_room());
}
