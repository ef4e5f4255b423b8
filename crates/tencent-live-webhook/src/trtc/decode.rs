//! Decoding a verified TRTC body into a [`Callback`].

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use core::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::event::{
    AiEvent, AiEventKind, Event, MediaEvent, MediaEventKind, RecordingEvent, RecordingEventKind,
    RelayEvent, RoomEvent, RoomEventKind, StreamIngestEvent, StreamIngestEventKind, UnknownEvent,
    WebRecordingEvent, WebRecordingEventKind,
};
use crate::live::event::raw::compact;
use crate::live::event::values::{flexible_i64, flexible_u64};
use crate::live::event::{TypedError, typed};
use crate::live::webhook::{FieldError, MAX_BODY_DEPTH, too_deep};

/// A verified, decoded TRTC callback.
///
/// Obtained only through [`Verified::decode`](super::Verified::decode) or the
/// [`Receiver`](super::Receiver), so it always comes from a body whose `Sign` matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    sdk_app_id: u64,
    matched_key: Option<usize>,
    group: i64,
    event_type: i64,
    sent_ms: Option<u64>,
    event_id: String,
    payload: Payload,
}

/// The body of a TRTC callback.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // the event is the common case
pub enum Payload {
    /// The body decoded into its event (or [`Event::Unknown`]).
    Event(Event),
    /// A documented group and type whose body does not fit its type. The callback is
    /// genuine (its `Sign` matched), so it is handed over rather than refused.
    Misfit(Misfit),
}

/// A body of a documented event type that does not fit that type.
#[derive(Debug, Clone)]
pub struct Misfit {
    error: FieldError,
    body: Box<RawValue>,
}

impl Misfit {
    /// Which field did not fit, and why (`EventInfo.RoomId`, ...).
    pub fn error(&self) -> &FieldError {
        &self.error
    }

    /// The body exactly as received.
    pub fn body(&self) -> &RawValue {
        &self.body
    }
}

impl PartialEq for Misfit {
    fn eq(&self, other: &Self) -> bool {
        self.error == other.error && self.body.get() == other.body.get()
    }
}

impl Callback {
    /// The app whose key signed the callback.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// Which of the app's keys signed, by position; `None` for a callback read back from
    /// a [`TrustedEnvelope`](crate::TrustedEnvelope), whose signature was checked by the
    /// receiver that stored it.
    pub fn matched_key(&self) -> Option<usize> {
        self.matched_key
    }

    /// `EventGroupId`.
    pub fn group(&self) -> i64 {
        self.group
    }

    /// `EventType`.
    pub fn event_type(&self) -> i64 {
        self.event_type
    }

    /// `CallbackTs` (or `CallbackMsTs`): when Tencent sent this attempt, Unix
    /// milliseconds. A retry may carry a new one.
    pub fn callback_ms(&self) -> Option<u64> {
        self.sent_ms
    }

    /// What identifies the event itself, the same for every attempt Tencent makes to
    /// deliver it: 64 hex digits of SHA-256 over the app, the group, the type and the
    /// `EventInfo` without the whitespace between its tokens. The send time is left out,
    /// since a retry may change it.
    pub fn event_id(&self) -> &str {
        &self.event_id
    }

    /// The decoded body.
    pub fn payload(&self) -> &Payload {
        &self.payload
    }

    /// The event, unless the body did not fit its type.
    pub fn event(&self) -> Option<&Event> {
        match &self.payload {
            Payload::Event(event) => Some(event),
            Payload::Misfit(_) => None,
        }
    }

    pub(crate) fn decode(
        sdk_app_id: u64,
        matched_key: Option<usize>,
        body: &[u8],
    ) -> Result<Callback, DecodeError> {
        if too_deep(body) {
            return Err(DecodeError::TooDeep {
                limit: MAX_BODY_DEPTH,
            });
        }
        if !crate::json_text::opens_object(body) {
            return Err(
                match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                    Ok(_) => DecodeError::NotAnObject,
                    Err(error) => DecodeError::not_json(&error),
                },
            );
        }
        let head: Head<'_> = serde_json::from_slice(body).map_err(|error| {
            if error.is_data() {
                DecodeError::InvalidHead
            } else {
                DecodeError::not_json(&error)
            }
        })?;
        let group = head.group.ok_or(DecodeError::InvalidHead)?;
        let event_type = head.event_type.ok_or(DecodeError::InvalidHead)?;
        let event_id = event_id(
            sdk_app_id,
            group,
            event_type,
            head.info.map_or("", RawValue::get),
        );
        let payload = match decode_typed(group, event_type, body) {
            Some(Ok(event)) => Payload::Event(event),
            Some(Err(TypedError::Field(error))) => Payload::Misfit(Misfit {
                error: FieldError::from_path_error(&error),
                body: raw(body)?,
            }),
            Some(Err(TypedError::Trailing(error))) => return Err(DecodeError::not_json(&error)),
            None => Payload::Event(Event::Unknown(UnknownEvent {
                group,
                event_type,
                body: raw(body)?,
            })),
        };
        Ok(Callback {
            sdk_app_id,
            matched_key,
            group,
            event_type,
            sent_ms: head.callback_ts.or(head.callback_ms_ts),
            event_id,
            payload,
        })
    }
}

/// The fields every TRTC body has, read without building the event.
#[derive(Deserialize)]
struct Head<'a> {
    #[serde(rename = "EventGroupId", default, with = "flexible_i64")]
    group: Option<i64>,
    #[serde(rename = "EventType", default, with = "flexible_i64")]
    event_type: Option<i64>,
    #[serde(rename = "CallbackTs", default, with = "flexible_u64")]
    callback_ts: Option<u64>,
    #[serde(rename = "CallbackMsTs", default, with = "flexible_u64")]
    callback_ms_ts: Option<u64>,
    #[serde(rename = "EventInfo", default, borrow)]
    info: Option<&'a RawValue>,
}

/// The part of a body a typed event is read from.
#[derive(Deserialize)]
struct Body<I> {
    #[serde(rename = "EventInfo")]
    info: I,
}

fn read<I: DeserializeOwned>(body: &[u8]) -> Result<I, TypedError> {
    typed::<Body<I>>(body).map(|read| read.info)
}

fn decode_typed(group: i64, event_type: i64, body: &[u8]) -> Option<Result<Event, TypedError>> {
    Some(match group {
        1 => {
            let kind = RoomEventKind::from_code(event_type)?;
            read(body).map(|info| Event::Room(RoomEvent { kind, info }))
        }
        2 => {
            let kind = MediaEventKind::from_code(event_type)?;
            read(body).map(|info| Event::Media(MediaEvent { kind, info }))
        }
        3 => {
            let kind = RecordingEventKind::from_code(event_type)?;
            read(body).map(|info| Event::Recording(RecordingEvent { kind, info }))
        }
        4 if event_type == 401 => read(body).map(|info| Event::Relay(RelayEvent { info })),
        7 => {
            let kind = StreamIngestEventKind::from_code(event_type)?;
            read(body).map(|info| Event::StreamIngest(StreamIngestEvent { kind, info }))
        }
        8 => {
            let kind = WebRecordingEventKind::from_code(event_type)?;
            read(body).map(|info| Event::WebRecording(WebRecordingEvent { kind, info }))
        }
        9 => {
            let kind = AiEventKind::from_code(event_type)?;
            read(body).map(|info| Event::Ai(AiEvent { kind, info }))
        }
        _ => return None,
    })
}

fn raw(body: &[u8]) -> Result<Box<RawValue>, DecodeError> {
    serde_json::from_slice(body).map_err(|error| DecodeError::not_json(&error))
}

/// See [`Callback::event_id`].
fn event_id(sdk_app_id: u64, group: i64, event_type: i64, info: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!("{sdk_app_id}\n{group}\n{event_type}\n").as_bytes());
    hasher.update(compact(info).as_bytes());
    hex::encode(hasher.finalize())
}

impl Serialize for Event {
    /// The event in the body's own shape: `EventGroupId`, `EventType` and the typed
    /// `EventInfo` (an unknown event: its body, as received).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shaped<'a, I> {
            #[serde(rename = "EventGroupId")]
            group: i64,
            #[serde(rename = "EventType")]
            event_type: i64,
            #[serde(rename = "EventInfo")]
            info: &'a I,
        }
        fn shaped<S: Serializer, I: Serialize>(
            event: &Event,
            info: &I,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            Shaped {
                group: event.group(),
                event_type: event.event_type(),
                info,
            }
            .serialize(serializer)
        }
        match self {
            Event::Room(event) => shaped(self, &event.info, serializer),
            Event::Media(event) => shaped(self, &event.info, serializer),
            Event::Recording(event) => shaped(self, &event.info, serializer),
            Event::Relay(event) => shaped(self, &event.info, serializer),
            Event::StreamIngest(event) => shaped(self, &event.info, serializer),
            Event::WebRecording(event) => shaped(self, &event.info, serializer),
            Event::Ai(event) => shaped(self, &event.info, serializer),
            Event::Unknown(unknown) => unknown.body.serialize(serializer),
        }
    }
}

/// Why a verified TRTC body cannot be a callback (HTTP 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The body is not JSON.
    NotJson {
        /// Line of the first error (1-based).
        line: usize,
        /// Column of the first error (1-based).
        column: usize,
    },
    /// The body is JSON but not an object.
    NotAnObject,
    /// `EventGroupId` or `EventType` is missing or not an integer.
    InvalidHead,
    /// Arrays and objects are nested deeper than [`MAX_BODY_DEPTH`].
    TooDeep {
        /// The deepest nesting accepted.
        limit: usize,
    },
}

impl DecodeError {
    fn not_json(error: &serde_json::Error) -> DecodeError {
        DecodeError::NotJson {
            line: error.line(),
            column: error.column(),
        }
    }

    /// The HTTP status for this error: always 400.
    pub fn status(&self) -> u16 {
        400
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::NotJson { line, column } => {
                write!(f, "body is not JSON (line {line}, column {column})")
            }
            DecodeError::NotAnObject => f.write_str("body is not a JSON object"),
            DecodeError::InvalidHead => {
                f.write_str("body has no integer EventGroupId and EventType")
            }
            DecodeError::TooDeep { limit } => {
                write!(f, "body is nested deeper than {limit} levels")
            }
        }
    }
}

impl core::error::Error for DecodeError {}
