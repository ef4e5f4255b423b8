//! A verified webhook as kept or passed on by a receiver, for whoever processes it later.
#![cfg(feature = "alloc")]

use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::live::query::{QueryError, WebhookQuery};
use crate::live::verify::VerifiedQuery;
use crate::live::webhook::{DecodeError, Webhook};
use crate::trtc;

/// How the command word of a TRTC callback's envelope starts: `trtc:GROUP:TYPE`
/// (`trtc:1:103`). No Live command word has a colon.
pub const TRTC_COMMAND_PREFIX: &str = "trtc:";

/// A webhook that a receiver verified, kept with everything needed to decode it again:
/// its id, when it arrived, the app, the command word, the exact query and the exact body.
///
/// This is what a spool stores and what a queue carries between the receiver and the
/// code that acts on the webhook. [`decode`](Self::decode) does **not** check the
/// signature or the request time again (the signature has long expired by the time a
/// retried delivery or a queue consumer gets it): trust comes from where the envelope was
/// read, a store or a queue only your receivers write to. Never build one from what an
/// outside client sent.
///
/// Its JSON form (serde) has the fields `id`, `received_at_ms`, `sdkappid`, `command`,
/// `query` and `body`, the body as a JSON string holding the exact text received.
///
/// A TRTC callback travels in the same envelope ([`from_trtc`](Self::from_trtc)): its
/// command word is `trtc:GROUP:TYPE`, its query empty, its id the callback's
/// [event id](trtc::Callback::event_id), and [`decode_trtc`](Self::decode_trtc) reads it
/// back.
///
/// ```
/// use tencent_live_webhook::{Command, Token, TrustedEnvelope, Verifier, signed_query};
///
/// let token = Token::new("t")?;
/// let query = signed_query(7, &Command::AfterDestroyRoom, &token, 1_700_000_000);
/// let body = br#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r1"}"#;
/// let webhook = Verifier::new().app(7, [token]).verify(&query, 1_700_000_000)?.decode(body)?;
///
/// // The receiver keeps it...
/// let envelope = TrustedEnvelope::new(&webhook, &query, body, 1_700_000_000_123)?;
/// let json = serde_json::to_string(&envelope)?;
///
/// // ...and a worker, an hour later, gets the same typed webhook back in one call.
/// let read: TrustedEnvelope = serde_json::from_str(&json)?;
/// assert_eq!(read.decode()?.payload(), webhook.payload());
/// assert_eq!(read.id(), TrustedEnvelope::id_of(7, "Live.CallbackAfterDestroyRoom", body));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedEnvelope {
    id: String,
    received_at_ms: u64,
    sdkappid: u64,
    command: String,
    query: String,
    body: String,
}

impl TrustedEnvelope {
    /// The envelope of a verified `webhook`, with the request's exact `query` and `body`
    /// and when it arrived (Unix milliseconds).
    pub fn new(
        webhook: &Webhook,
        query: &str,
        body: &[u8],
        received_at_ms: u64,
    ) -> Result<TrustedEnvelope, EnvelopeError> {
        // A decoded body was read as JSON, so it is UTF-8; checked all the same.
        let body = core::str::from_utf8(body).map_err(|_| EnvelopeError::NotUtf8)?;
        let meta = webhook.meta();
        Ok(TrustedEnvelope {
            id: TrustedEnvelope::id_of(meta.sdk_app_id, &meta.command_word, body.as_bytes()),
            received_at_ms,
            sdkappid: meta.sdk_app_id,
            command: String::from(&*meta.command_word),
            query: String::from(query),
            body: String::from(body),
        })
    }

    /// An envelope from the parts a store kept of one (see the accessors), without
    /// another copy or parse: for a spool or queue reading back what its receiver wrote.
    /// Nothing is checked here; [`decode`](Self::decode) checks the id against the rest.
    pub fn from_stored(
        id: String,
        received_at_ms: u64,
        sdk_app_id: u64,
        command_word: String,
        query: String,
        body: String,
    ) -> TrustedEnvelope {
        TrustedEnvelope {
            id,
            received_at_ms,
            sdkappid: sdk_app_id,
            command: command_word,
            query,
            body,
        }
    }

    /// The envelope of a verified TRTC `callback`, with its exact `body` and when it arrived
    /// (Unix milliseconds). Its id is the callback's event id, the same for every attempt
    /// Tencent makes to deliver the event.
    ///
    /// ```
    /// use tencent_live_webhook::TrustedEnvelope;
    /// use tencent_live_webhook::trtc::{Key, Verifier};
    ///
    /// let key = Key::new("k")?;
    /// let body = br#"{"EventGroupId":1,"EventType":104,"CallbackTs":5,"EventInfo":{"RoomId":9,"UserId":"u"}}"#;
    /// let callback = Verifier::new().app(7, [key.clone()]).without_replay_window()
    ///     .verify(None, Some(key.sign(body).as_bytes()), body, 0)?.decode()?;
    /// let envelope = TrustedEnvelope::from_trtc(&callback, body, 1_700_000_000_000)?;
    /// assert_eq!((envelope.command_word(), envelope.id()), ("trtc:1:104", callback.event_id()));
    /// assert_eq!(envelope.decode_trtc()?.event(), callback.event());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_trtc(
        callback: &trtc::Callback,
        body: &[u8],
        received_at_ms: u64,
    ) -> Result<TrustedEnvelope, EnvelopeError> {
        let body = core::str::from_utf8(body).map_err(|_| EnvelopeError::NotUtf8)?;
        Ok(TrustedEnvelope {
            id: String::from(callback.event_id()),
            received_at_ms,
            sdkappid: callback.sdk_app_id(),
            command: TrustedEnvelope::trtc_command(callback),
            query: String::new(),
            body: String::from(body),
        })
    }

    /// The command word of a TRTC callback's envelope: `trtc:GROUP:TYPE`.
    pub fn trtc_command(callback: &trtc::Callback) -> String {
        alloc::format!(
            "{TRTC_COMMAND_PREFIX}{}:{}",
            callback.group(),
            callback.event_type()
        )
    }

    /// Whether the envelope holds a TRTC callback rather than a Live webhook.
    pub fn is_trtc(&self) -> bool {
        self.command.starts_with(TRTC_COMMAND_PREFIX)
    }

    /// The TRTC callback in the envelope, decoded again without checking its signature,
    /// after checking that its id, group and type still match its body.
    pub fn decode_trtc(&self) -> Result<trtc::Callback, EnvelopeError> {
        if !self.is_trtc() {
            return Err(EnvelopeError::NotTrtc);
        }
        let callback = trtc::Callback::decode(self.sdkappid, None, self.body.as_bytes())
            .map_err(EnvelopeError::TrtcDecode)?;
        if callback.event_id() != self.id {
            return Err(EnvelopeError::IdMismatch);
        }
        if TrustedEnvelope::trtc_command(&callback) != self.command {
            return Err(EnvelopeError::CommandMismatch);
        }
        Ok(callback)
    }

    /// The id of a webhook: the lowercase hex SHA-256 of the app id (decimal), a newline,
    /// the command word, a newline and the exact body bytes. The same webhook sent twice
    /// (with another `RequestTime` and `Sign`) has the same id.
    pub fn id_of(sdk_app_id: u64, command_word: &str, body: &[u8]) -> String {
        let mut hasher = Sha256::new();
        hasher.update(alloc::format!("{sdk_app_id}\n").as_bytes());
        hasher.update(command_word.as_bytes());
        hasher.update(b"\n");
        hasher.update(body);
        hex::encode(hasher.finalize())
    }

    /// The id ([`id_of`](Self::id_of)).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// When the receiver got it, Unix milliseconds.
    pub fn received_at_ms(&self) -> u64 {
        self.received_at_ms
    }

    /// The verified app.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdkappid
    }

    /// The command word as received.
    pub fn command_word(&self) -> &str {
        &self.command
    }

    /// The query string exactly as received (its `Sign` has expired by now).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The body exactly as received.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Decodes the kept webhook again, **without** checking its signature or time (see
    /// the type's documentation). Checks that the id still matches the app, command and
    /// body, so a damaged or edited envelope is refused.
    pub fn decode(&self) -> Result<Webhook, EnvelopeError> {
        if self.is_trtc() {
            return Err(EnvelopeError::Trtc);
        }
        let expected = TrustedEnvelope::id_of(self.sdkappid, &self.command, self.body.as_bytes());
        if expected != self.id {
            return Err(EnvelopeError::IdMismatch);
        }
        let query = WebhookQuery::parse(&self.query).map_err(EnvelopeError::Query)?;
        if query.sdk_app_id().is_some_and(|app| app != self.sdkappid) {
            return Err(EnvelopeError::AppMismatch);
        }
        let webhook = VerifiedQuery::trusted(&query, self.sdkappid)
            .decode(self.body.as_bytes())
            .map_err(EnvelopeError::Decode)?;
        if *webhook.meta().command_word != *self.command {
            return Err(EnvelopeError::CommandMismatch);
        }
        Ok(webhook)
    }
}

/// Why an envelope could not be made or decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// The body is not UTF-8 (a verified body always is).
    NotUtf8,
    /// The id does not match the app, command and body: the envelope was changed.
    IdMismatch,
    /// The query string cannot be read.
    Query(QueryError),
    /// The query names another app than the envelope.
    AppMismatch,
    /// The query and body name another command than the envelope.
    CommandMismatch,
    /// The body cannot be a webhook.
    Decode(DecodeError),
    /// The envelope holds a TRTC callback: read it with
    /// [`decode_trtc`](TrustedEnvelope::decode_trtc).
    Trtc,
    /// The envelope holds a Live webhook, not a TRTC callback.
    NotTrtc,
    /// The TRTC body cannot be decoded.
    TrtcDecode(trtc::DecodeError),
    /// The text is not an envelope's JSON form.
    Json(String),
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvelopeError::NotUtf8 => f.write_str("the body is not UTF-8"),
            EnvelopeError::IdMismatch => {
                f.write_str("the id does not match the app, command and body")
            }
            EnvelopeError::Query(error) => write!(f, "the query cannot be read: {error}"),
            EnvelopeError::AppMismatch => f.write_str("the query names another app"),
            EnvelopeError::CommandMismatch => f.write_str("the body names another command"),
            EnvelopeError::Decode(error) => write!(f, "the body cannot be decoded: {error}"),
            EnvelopeError::Trtc => f.write_str("the envelope holds a TRTC callback"),
            EnvelopeError::NotTrtc => f.write_str("the envelope holds a Live webhook"),
            EnvelopeError::TrtcDecode(error) => {
                write!(f, "the TRTC body cannot be decoded: {error}")
            }
            EnvelopeError::Json(reason) => write!(f, "not an envelope: {reason}"),
        }
    }
}

impl core::error::Error for EnvelopeError {}
