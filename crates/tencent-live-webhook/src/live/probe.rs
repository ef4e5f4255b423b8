//! Tencent's connectivity check: a verified request that carries no event.
#![cfg(feature = "alloc")]

use crate::live::query::WebhookQuery;
use crate::live::reply::Reply;
use crate::live::webhook::{DecodeError, Webhook};

/// A verified request that names no command, in the URL or the body, and whose body is
/// empty or `{}`: the connectivity check Tencent's console may send when the callback URL
/// is saved. There is nothing to handle; answer [`Probe::reply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    sdk_app_id: u64,
    matched_token: Option<usize>,
}

impl Probe {
    /// The app the probe was verified for.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// Which of the app's tokens signed it; `None` for an app without a token.
    pub fn matched_token(&self) -> Option<usize> {
        self.matched_token
    }

    /// The answer Tencent expects: the plain ack.
    pub fn reply(&self) -> Reply {
        Reply::ack()
    }
}

/// What a verified request turned out to be.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // a webhook is the common case; boxing it costs an allocation
pub enum Received {
    /// A webhook, to hand to the application.
    Webhook(Webhook),
    /// A connectivity check, answered with the ack and not handed on.
    Probe(Probe),
}

/// What [`VerifiedQuery::receive`](crate::VerifiedQuery::receive) does, from the
/// verified query's parts: its parameters, the app and the token that signed it.
pub(crate) fn receive_body(
    query: &WebhookQuery,
    sdk_app_id: u64,
    matched_token: Option<usize>,
    body: &[u8],
) -> Result<Received, DecodeError> {
    if query.command().is_none() && carries_nothing(body) {
        return Ok(Received::Probe(Probe {
            sdk_app_id,
            matched_token,
        }));
    }
    crate::live::webhook::decode_body(query, sdk_app_id, matched_token, body).map(Received::Webhook)
}

/// An empty body or an empty JSON object, whitespace aside.
fn carries_nothing(body: &[u8]) -> bool {
    match body.trim_ascii() {
        [] => true,
        [b'{', inside @ .., b'}'] => inside.trim_ascii().is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::carries_nothing;

    #[test]
    fn only_empty_bodies_and_empty_objects_carry_nothing() {
        for empty in [&b""[..], b"  \r\n", b"{}", b" { \n\t } "] {
            assert!(carries_nothing(empty), "{empty:?}");
        }
        for something in [&b"{\"a\":1}"[..], b"[]", b"null", b"{", b"}", b"{}{}", b"x"] {
            assert!(!carries_nothing(something), "{something:?}");
        }
    }
}
