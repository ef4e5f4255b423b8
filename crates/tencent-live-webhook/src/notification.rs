//! What a receiver got: a verified Live webhook or TRTC callback, typed, with the exact
//! bytes it came with and its id, computed once.
#![cfg(feature = "alloc")]

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use once_cell::race::OnceBox;

use crate::envelope::{EnvelopeError, TrustedEnvelope};
use crate::live::event::Event;
use crate::live::webhook::{Payload, Webhook};
use crate::trtc;

/// A verified notification, decoded, with everything a receiver keeps or passes on of it:
/// the [envelope](TrustedEnvelope) (id, arrival time, app, command word, exact query and
/// body) and the typed content.
///
/// It is obtained only from something verified: a decoded [`Webhook`] or
/// [`trtc::Callback`] (with the request's exact bytes), or an envelope a trusted store or
/// queue kept ([`Notification::decode`]). Spools, publishers, output lines and consoles
/// all take this one type, so the id is hashed once and the body is held once.
///
/// ```
/// use tencent_live_webhook::{Command, Decoded, Notification, Token, Verifier, signed_query};
///
/// let token = Token::new("t")?;
/// let query = signed_query(7, &Command::AfterDestroyRoom, &token, 1_700_000_000);
/// let body = br#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r1"}"#;
/// let webhook = Verifier::new().app(7, [token]).verify(&query, 1_700_000_000)?.decode(body)?;
///
/// let notification = Notification::live(webhook, query, body.to_vec(), 1_700_000_000_123)?;
/// assert_eq!(notification.command_word(), "Live.CallbackAfterDestroyRoom");
/// assert_eq!(notification.room().as_deref(), Some("r1"));
/// assert!(!notification.is_blocking());
/// assert!(matches!(notification.decoded(), Decoded::Live(_)));
///
/// // What a queue carries, read back as the same notification.
/// let json = serde_json::to_string(notification.envelope())?;
/// let read = Notification::from_json(json.as_bytes())?;
/// assert_eq!(read.id(), notification.id());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Notification {
    decoded: Decoded,
    /// `trtc:GROUP:TYPE` for a TRTC callback; empty for a Live webhook, whose word its
    /// metadata holds (borrowed from a static for a known command: no copy per webhook).
    trtc_command: String,
    query: String,
    body: String,
    received_at_ms: u64,
    /// Hashed when first asked for, once: a receiver that only prints never pays for it.
    id: OnceBox<String>,
    /// Made when first asked for, once (for a spool or a queue).
    envelope: OnceBox<TrustedEnvelope>,
}

impl fmt::Debug for Notification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notification")
            .field("decoded", &self.decoded)
            .field("sdk_app_id", &self.sdk_app_id())
            .field("command_word", &self.command_word())
            .field("received_at_ms", &self.received_at_ms)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Notification {
    fn eq(&self, other: &Self) -> bool {
        self.decoded == other.decoded
            && self.trtc_command == other.trtc_command
            && self.query == other.query
            && self.body == other.body
            && self.received_at_ms == other.received_at_ms
    }
}

/// The typed content of a [`Notification`], by signing family.
///
/// Exhaustive on purpose: a consumer's `match` is checked to handle every family.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// A Live webhook (signed in the query).
    Live(Webhook),
    /// A TRTC callback (signed over the body).
    Trtc(trtc::Callback),
}

/// The signing family a notification came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Live webhooks: `Sign = sha256(Token + RequestTime)` in the query.
    Live,
    /// TRTC callbacks: `Sign = base64(HMAC-SHA256(key, body))` in a header.
    Trtc,
}

impl Family {
    /// `live` or `trtc`, as output lines name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Live => "live",
            Family::Trtc => "trtc",
        }
    }
}

impl Notification {
    /// A verified Live `webhook` with the request's exact `query` and `body`, received at
    /// `received_at_ms` (Unix milliseconds). The body is kept without a copy.
    pub fn live(
        webhook: Webhook,
        query: String,
        body: Vec<u8>,
        received_at_ms: u64,
    ) -> Result<Notification, EnvelopeError> {
        let body = String::from_utf8(body).map_err(|_| EnvelopeError::NotUtf8)?;
        Ok(Notification {
            trtc_command: String::new(),
            query,
            body,
            received_at_ms,
            id: OnceBox::new(),
            envelope: OnceBox::new(),
            decoded: Decoded::Live(webhook),
        })
    }

    /// A verified TRTC `callback` with its exact `body`, received at `received_at_ms`.
    /// Its id is the callback's [event id](trtc::Callback::event_id), its command word
    /// `trtc:GROUP:TYPE`.
    pub fn trtc(
        callback: trtc::Callback,
        body: Vec<u8>,
        received_at_ms: u64,
    ) -> Result<Notification, EnvelopeError> {
        let body = String::from_utf8(body).map_err(|_| EnvelopeError::NotUtf8)?;
        Ok(Notification {
            trtc_command: TrustedEnvelope::trtc_command(&callback),
            query: String::new(),
            body,
            received_at_ms,
            id: OnceBox::with_value(Box::new(String::from(callback.event_id()))),
            envelope: OnceBox::new(),
            decoded: Decoded::Trtc(callback),
        })
    }

    /// The notification a trusted store or queue kept, decoded again **without** checking
    /// its signature (see [`TrustedEnvelope`]); its id is checked against its content.
    pub fn decode(envelope: TrustedEnvelope) -> Result<Notification, EnvelopeError> {
        // Decoding checks that the app and the command word are the envelope's.
        let (decoded, trtc_command) = if envelope.is_trtc() {
            let command = String::from(envelope.command_word());
            (Decoded::Trtc(envelope.decode_trtc()?), command)
        } else {
            (Decoded::Live(envelope.decode()?), String::new())
        };
        Ok(Notification {
            decoded,
            trtc_command,
            query: String::from(envelope.query()),
            body: String::from(envelope.body()),
            received_at_ms: envelope.received_at_ms(),
            id: OnceBox::with_value(Box::new(String::from(envelope.id()))),
            envelope: OnceBox::with_value(Box::new(envelope)),
        })
    }

    /// [`decode`](Self::decode) of an envelope in its JSON form, as a publisher puts it
    /// in a stream.
    pub fn from_json(json: &[u8]) -> Result<Notification, EnvelopeError> {
        let envelope: TrustedEnvelope =
            serde_json::from_slice(json).map_err(|error| EnvelopeError::Json(error.to_string()))?;
        Notification::decode(envelope)
    }

    /// The typed content.
    pub fn decoded(&self) -> &Decoded {
        &self.decoded
    }

    /// The Live webhook, when it is one.
    pub fn webhook(&self) -> Option<&Webhook> {
        match &self.decoded {
            Decoded::Live(webhook) => Some(webhook),
            Decoded::Trtc(_) => None,
        }
    }

    /// The TRTC callback, when it is one.
    pub fn callback(&self) -> Option<&trtc::Callback> {
        match &self.decoded {
            Decoded::Trtc(callback) => Some(callback),
            Decoded::Live(_) => None,
        }
    }

    /// The signing family it came through.
    pub fn family(&self) -> Family {
        match self.decoded {
            Decoded::Live(_) => Family::Live,
            Decoded::Trtc(_) => Family::Trtc,
        }
    }

    /// Whether the sender waits for the app's decision (a gift or message
    /// before-callback): such a notification is passed to the app at once, never stored
    /// first.
    pub fn is_blocking(&self) -> bool {
        self.webhook()
            .is_some_and(|webhook| webhook.command().is_blocking())
    }

    /// The envelope: what a spool stores and a queue carries. Made (with a copy of the
    /// query and the body) the first time it is asked for, then kept.
    pub fn envelope(&self) -> &TrustedEnvelope {
        self.envelope
            .get_or_init(|| Box::new(self.copied_envelope()))
    }

    /// An envelope of one's own (to store or send elsewhere): the kept one cloned, or made
    /// with one copy of the query and body without keeping it.
    pub fn to_envelope(&self) -> TrustedEnvelope {
        match self.envelope.get() {
            Some(envelope) => envelope.clone(),
            None => self.copied_envelope(),
        }
    }

    /// An envelope made with a copy of the query and the body.
    fn copied_envelope(&self) -> TrustedEnvelope {
        TrustedEnvelope::from_stored(
            String::from(self.id()),
            self.received_at_ms,
            self.sdk_app_id(),
            String::from(self.command_word()),
            self.query.clone(),
            self.body.clone(),
        )
    }

    /// The envelope and the typed content, taken apart (the query and body moved, not
    /// copied, when the envelope was not made yet).
    pub fn into_parts(self) -> (TrustedEnvelope, Decoded) {
        let id = String::from(self.id());
        let (sdk_app_id, command_word) = (self.sdk_app_id(), String::from(self.command_word()));
        let envelope = TrustedEnvelope::from_stored(
            id,
            self.received_at_ms,
            sdk_app_id,
            command_word,
            self.query,
            self.body,
        );
        (envelope, self.decoded)
    }

    /// The id: [`TrustedEnvelope::id_of`] for a Live webhook (hashed the first time it is
    /// asked for, then kept), the event id for a TRTC callback; the same for every delivery
    /// of the same event.
    pub fn id(&self) -> &str {
        self.id.get_or_init(|| {
            Box::new(TrustedEnvelope::id_of(
                self.sdk_app_id(),
                self.command_word(),
                self.body.as_bytes(),
            ))
        })
    }

    /// The verified app.
    pub fn sdk_app_id(&self) -> u64 {
        match &self.decoded {
            Decoded::Live(webhook) => webhook.meta().sdk_app_id,
            Decoded::Trtc(callback) => callback.sdk_app_id(),
        }
    }

    /// The command word as received (`trtc:GROUP:TYPE` for a TRTC callback).
    pub fn command_word(&self) -> &str {
        match &self.decoded {
            Decoded::Live(webhook) => &webhook.meta().command_word,
            Decoded::Trtc(_) => &self.trtc_command,
        }
    }

    /// The query string exactly as received (empty for a TRTC callback).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The body exactly as received.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// When the receiver got it, Unix milliseconds.
    pub fn received_at_ms(&self) -> u64 {
        self.received_at_ms
    }

    /// The room the event is about, as the event names it (a TRTC room number in
    /// decimal).
    pub fn room(&self) -> Option<String> {
        match &self.decoded {
            Decoded::Live(webhook) => webhook
                .event()
                .and_then(crate::Event::room_id)
                .map(String::from),
            Decoded::Trtc(callback) => callback
                .event()
                .and_then(trtc::Event::room_id)
                .map(ToString::to_string),
        }
    }

    /// The key that orders deliveries: notifications with the same key are delivered in
    /// the order they arrived. A Live room's id (for a body that did not fit its type, or
    /// of an unknown command, a `RoomId` or `GroupId` at its top level); for a TRTC room `trtc:n:NUMBER` or
    /// `trtc:s:TEXT` (a numeric and a string room with the same digits are different
    /// rooms, and neither is the Live room of that name).
    pub fn order_key(&self) -> Option<String> {
        match &self.decoded {
            Decoded::Live(webhook) => live_order_key(webhook),
            Decoded::Trtc(callback) => {
                callback
                    .event()
                    .and_then(trtc::Event::room_id)
                    .map(|room| match room {
                        trtc::RoomId::Number(number) => format!("trtc:n:{number}"),
                        trtc::RoomId::Text(text) => format!("trtc:s:{text}"),
                    })
            }
        }
    }
}

/// The room whose order a Live webhook's delivery keeps.
fn live_order_key(webhook: &Webhook) -> Option<String> {
    match webhook.payload() {
        Payload::Event(event) => event.room_id().map(String::from).or_else(|| match event {
            Event::Unknown(unknown) => named_room(unknown.body().get()),
            _ => None,
        }),
        Payload::Misfit(misfit) => named_room(misfit.body().get()),
    }
}

/// A `RoomId` or `GroupId` (text or number) at the top level of a body.
fn named_room(body: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Named {
        #[serde(rename = "RoomId")]
        room_id: Option<serde_json::Value>,
        #[serde(rename = "GroupId")]
        group_id: Option<serde_json::Value>,
    }
    let named: Named = serde_json::from_str(body).ok()?;
    [named.room_id, named.group_id]
        .into_iter()
        .flatten()
        .find_map(|value| match value {
            serde_json::Value::String(text) if !text.is_empty() => Some(text),
            serde_json::Value::Number(number) => Some(number.to_string()),
            _ => None,
        })
}

impl From<Notification> for TrustedEnvelope {
    fn from(notification: Notification) -> TrustedEnvelope {
        notification.into_parts().0
    }
}
