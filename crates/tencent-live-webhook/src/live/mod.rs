//! Live webhooks (and the Chat-style words `TUILiveKit` sends with them): signed in the
//! query with `Sign = sha256(Token + RequestTime)`. Parsing and verifying the query needs
//! no allocation; the body's types, decoding, replies and the receiving sequence do.

pub(crate) mod command;
pub(crate) mod platform;
pub(crate) mod query;
/// The `Sign` primitive and the callback token.
pub(crate) mod signature;
pub(crate) mod verify;

// These need `alloc`, and say so at their top.
pub(crate) mod event;
pub(crate) mod probe;
pub(crate) mod receiver;
pub(crate) mod reply;
/// Building signed queries, as Tencent does: for tests, tools and re-signing.
pub(crate) mod sender;
pub(crate) mod verifier;
/// The decoded [`Webhook`](crate::Webhook) and the decoding of a verified body.
pub(crate) mod webhook;
