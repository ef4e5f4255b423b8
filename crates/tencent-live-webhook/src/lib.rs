//! Receive Tencent Cloud Live (`TUILiveKit`) webhooks safely.
//!
//! Tencent's Live backend POSTs a JSON event to your URL with the app id, the command word
//! and a signature in the query string. This crate, without I/O and without reading the
//! clock:
//!
//! 1. parses the query ([`WebhookQuery`]) and verifies it ([`Verifier`], [`verify_query`]):
//!    the app id, the `Sign` in constant time, and the `RequestTime` window;
//! 2. decodes the body into exact types ([`VerifiedQuery::decode`] gives a [`Webhook`]);
//! 3. builds the reply Tencent expects ([`Reply`]), including the decisions of gifts and
//!    of every Chat (IM) "before" callback (the same app's Chat callbacks are signed the
//!    same way and typed too).
//!
//! The query is verified before the body is read, so a forged request can be refused
//! without buffering it. Framework adapters (`tencent-live-webhook-actix`,
//! `tencent-live-webhook-warp`, `tencent-live-webhook-axum`) own the sockets and the clock.
//!
//! # Example
//!
//! ```
//! # #[cfg(feature = "alloc")] {
//! use tencent_live_webhook::{Event, Payload, Reply, Token, Verifier, signed_query, Command};
//!
//! let verifier = Verifier::new().app(1_400_000_000, [Token::new("my-token")?]);
//!
//! // What Tencent sends (built here with the signing helpers).
//! let now = 1_700_000_000;
//! let query = signed_query(1_400_000_000, &Command::BeforeSendGift, &Token::new("my-token")?, now);
//! let body = br#"{"CallbackCommand":"Live.CallbackBeforeSendGift","Operator_Account":"u1",
//!     "RoomId":"r1","GiftWater":{"From_Account":"u1","To_Account":["u2"],"Time":1700000000,
//!     "GiftId":"rose","Count":1,"Coins":10}}"#;
//!
//! let verified = verifier.verify(&query, now)?; // before reading the body
//! let webhook = verified.decode(body)?;
//! let reply = match webhook.payload() {
//!     Payload::Event(Event::BeforeSendGift(gift)) if gift.gift_water.coins > Some(1000) => {
//!         Reply::reject_gift()
//!     }
//!     _ => Reply::ack(),
//! };
//! assert_eq!(reply.to_json(), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Security
//!
//! The signature covers only the token and the time, not the body: anyone who can see or
//! alter the request in transit can replay it within the time window or change its body.
//! Serve the webhook over HTTPS. The
//! [threat model](https://github.com/tencent-live-webhook/tencent-live-webhook/blob/main/docs/security.md)
//! has the full picture.
//!
//! # Features
//!
//! Without any feature: query parsing, signatures, verification of one app, the command
//! type and the errors, all without allocating.
//!
#![doc = document_features::document_features!()]
// Without `alloc`, these names do not exist: the links go to docs.rs instead. (The empty
// line ends the paragraph before, so that the definitions are read as such.)
#![doc = ""]
#![cfg_attr(feature = "alloc", doc = "[`Verifier`]: Verifier")]
#![cfg_attr(
    feature = "alloc",
    doc = "[`VerifiedQuery::decode`]: VerifiedQuery::decode"
)]
#![cfg_attr(feature = "alloc", doc = "[`Webhook`]: Webhook")]
#![cfg_attr(feature = "alloc", doc = "[`Reply`]: Reply")]
#![cfg_attr(
    not(feature = "alloc"),
    doc = "[`Verifier`]: https://docs.rs/tencent-live-webhook/latest/tencent_live_webhook/struct.Verifier.html"
)]
#![cfg_attr(
    not(feature = "alloc"),
    doc = "[`VerifiedQuery::decode`]: https://docs.rs/tencent-live-webhook/latest/tencent_live_webhook/struct.VerifiedQuery.html#method.decode"
)]
#![cfg_attr(
    not(feature = "alloc"),
    doc = "[`Webhook`]: https://docs.rs/tencent-live-webhook/latest/tencent_live_webhook/struct.Webhook.html"
)]
#![cfg_attr(
    not(feature = "alloc"),
    doc = "[`Reply`]: https://docs.rs/tencent-live-webhook/latest/tencent_live_webhook/struct.Reply.html"
)]
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;

mod live;

pub use live::command::{Command, MAX_COMMAND_LEN, ParseCommandError, UnknownCommand};
pub use live::platform::{MAX_PLATFORM_LEN, OtherPlatform, Platform};
pub use live::query::{MAX_REQUEST_ID_LEN, Param, QueryError, QueryErrorKind, WebhookQuery};
pub use live::signature::{MAX_TOKEN_LEN, SIGN_HEX_LEN, Sign, SignHex, Token, TokenError};
pub use live::verify::{Auth, DEFAULT_MAX_SKEW_SECS, VerifiedQuery, VerifyError, verify_query};

// The modules that need `alloc` say so at their top.
mod apps;
mod envelope;
mod inline;
mod json_text;
mod notification;
mod percent;
mod receiving;
mod rejection;
mod rest;
#[cfg(feature = "samples")]
pub mod samples;
#[cfg(feature = "alloc")]
pub mod trtc;

#[cfg(feature = "alloc")]
pub use crate::{
    envelope::{EnvelopeError, TRTC_COMMAND_PREFIX, TrustedEnvelope},
    live::event::*,
    live::probe::{Probe, Received},
    live::query::mask_sign,
    live::receiver::{Incoming, Receiver},
    live::reply::{
        ActionStatus, C2C_PASS_THROUGH_CODES, FRIEND_RESULT_CODES, FriendResult,
        GIFT_PASS_THROUGH_CODES, MESSAGE_PASS_THROUGH_CODES, Reply, ReplyError,
    },
    live::sender::{QueryBuilder, resigned_query, signed_query},
    live::verifier::Verifier,
    live::webhook::{DecodeError, FieldError, MAX_BODY_DEPTH, Metadata, Misfit, Payload, Webhook},
    notification::{Decoded, Family, Notification},
    receiving::Receiving,
    rejection::{DEFAULT_BODY_LIMIT, Rejection},
    rest::config_api,
};
#[cfg(feature = "rest")]
pub use rest::usersig;

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
