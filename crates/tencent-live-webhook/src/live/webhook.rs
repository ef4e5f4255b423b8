//! Decoding a verified request's body into a [`Webhook`].
#![cfg(feature = "alloc")]

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::{String, ToString};
use core::fmt;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::json_text::Strings;
use crate::live::command::Command;
use crate::live::event::{Event, TypedError};
use crate::live::platform::Platform;
use crate::live::query::WebhookQuery;

/// A verified, decoded webhook: where it came from and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    meta: Metadata,
    payload: Payload,
}

/// What the URL said about a webhook, after verification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Metadata {
    /// The verified app.
    pub sdk_app_id: u64,
    /// The command (aliases mapped to their canonical word).
    pub command: Command,
    /// The command word exactly as received (from the URL, else from the body). Borrowed
    /// when it is the canonical word, as Tencent sends it: no allocation.
    pub command_word: Cow<'static, str>,
    /// `ClientIP`, as received.
    pub client_ip: Option<String>,
    /// `OptPlatform`.
    pub platform: Option<Platform>,
    /// `RequestTime`, Unix seconds (absent for an app without a token).
    pub request_time: Option<u64>,
    /// `RequestID` (or `RequestId`), as received: undocumented, but real requests carry
    /// it, and it may serve as a delivery id for deduplication.
    pub request_id: Option<String>,
    /// Which of the app's tokens signed the request; `None` without a token.
    pub matched_token: Option<usize>,
}

/// The body of a webhook.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // the event is the common case; boxing it costs an allocation
pub enum Payload {
    /// The body decoded into its command's event (or [`Event::Unknown`]).
    Event(Event),
    /// A known command whose body does not fit its event type. The webhook is genuine
    /// (it passed verification), so it is handed over rather than refused.
    Misfit(Misfit),
}

/// A body that is a JSON object but does not fit its command's event type.
#[derive(Debug, Clone)]
pub struct Misfit {
    command: Command,
    error: FieldError,
    body: Box<RawValue>,
}

impl Misfit {
    /// The command whose event type did not fit.
    pub fn command(&self) -> Command {
        self.command
    }

    /// Which field did not fit, and why.
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
        self.command == other.command
            && self.error == other.error
            && self.body.get() == other.body.get()
    }
}

/// A field that did not fit: its path in the body (`RoomInfo.MaxSeatCount`,
/// `SeatList[0].Index`) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    path: String,
    message: String,
}

impl FieldError {
    /// The field at fault in a typed read that failed.
    pub(crate) fn from_path_error(
        error: &serde_path_to_error::Error<serde_json::Error>,
    ) -> FieldError {
        FieldError {
            path: error.path().to_string(),
            message: error.inner().to_string(),
        }
    }

    /// The path of the field, `.` when the body as a whole did not fit.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong, as `serde_json` says it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field {}: {}", self.path, self.message)
    }
}

impl core::error::Error for FieldError {}

impl Webhook {
    /// What the URL said.
    pub fn meta(&self) -> &Metadata {
        &self.meta
    }

    /// The decoded body.
    pub fn payload(&self) -> &Payload {
        &self.payload
    }

    /// The command.
    pub fn command(&self) -> Command {
        self.meta.command
    }

    /// The event, unless the body did not fit its type.
    pub fn event(&self) -> Option<&Event> {
        match &self.payload {
            Payload::Event(event) => Some(event),
            Payload::Misfit(_) => None,
        }
    }

    /// Splits into the metadata and the payload.
    pub fn into_parts(self) -> (Metadata, Payload) {
        (self.meta, self.payload)
    }
}

/// Only the command word, so the body's command is read without building anything else.
#[derive(Deserialize)]
struct CommandOnly {
    #[serde(rename = "CallbackCommand", default)]
    command: Option<Command>,
}

/// What [`VerifiedQuery::decode`](crate::VerifiedQuery::decode) does, from the verified
/// query's parts: its parameters, the app and the token that signed it.
pub(crate) fn decode_body(
    query: &WebhookQuery,
    sdk_app_id: u64,
    matched_token: Option<usize>,
    body: &[u8],
) -> Result<Webhook, DecodeError> {
    check_depth(body)?;
    if !crate::json_text::opens_object(body) {
        // Keep the precise reason for text that is not JSON at all.
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                Ok(_) => DecodeError::NotAnObject,
                Err(error) => DecodeError::not_json(&error),
            },
        );
    }
    let named = query.command();
    let attempt = named
        .and_then(|command| Event::decode_typed(command, body).map(|result| (command, result)));
    let (command, payload) = match attempt {
        // The usual case, the URL names a typed command: one pass reads the event and
        // the body's own `CallbackCommand` together.
        Some((command, Ok(event))) => {
            same_command(command, event.body_command())?;
            (command, Payload::Event(event))
        }
        Some((command, Err(error))) => {
            same_command(command, body_command(body)?)?;
            (command, misfit(command, error, body)?)
        }
        // No typed event for the URL's command, or no command in the URL: the body's
        // command decides.
        None => {
            let command = match (named, body_command(body)?) {
                (Some(named), stated) => same_command(named, stated)?,
                (None, Some(stated)) => stated,
                (None, None) => return Err(DecodeError::NoCommand),
            };
            let payload = match Event::decode_typed(command, body) {
                Some(Ok(event)) => Payload::Event(event),
                Some(Err(error)) => misfit(command, error, body)?,
                None => Payload::Event(Event::unknown(command, raw(body)?)),
            };
            (command, payload)
        }
    };
    let command_word = match (query.command_word(), command.known_word()) {
        (Some(word), Some(known)) if word == known => Cow::Borrowed(known),
        (Some(word), _) => Cow::Owned(word.to_string()),
        (None, Some(known)) => Cow::Borrowed(known),
        (None, None) => Cow::Owned(command.as_str().to_string()),
    };
    Ok(Webhook {
        meta: Metadata {
            sdk_app_id,
            command,
            command_word,
            client_ip: query.client_ip().map(ToString::to_string),
            platform: query.platform(),
            request_time: query.request_time(),
            request_id: query.request_id().map(ToString::to_string),
            matched_token,
        },
        payload,
    })
}

/// The deepest nesting of arrays and objects a body may have.
///
/// The same as `serde_json`'s own limit for typed values, so that anything accepted can
/// be read back by it and by other common JSON readers.
pub const MAX_BODY_DEPTH: usize = 128;

/// Refuses a body nested deeper than [`MAX_BODY_DEPTH`].
fn check_depth(body: &[u8]) -> Result<(), DecodeError> {
    if too_deep(body) {
        return Err(DecodeError::TooDeep {
            limit: MAX_BODY_DEPTH,
        });
    }
    Ok(())
}

/// Whether a body is nested deeper than [`MAX_BODY_DEPTH`].
pub(crate) fn too_deep(body: &[u8]) -> bool {
    // Almost every body has few brackets in all: then no nesting can be too deep, and
    // this count (which compilers vectorize) is all it costs.
    let openers: usize = body
        .chunks(64)
        .map(|chunk| {
            // Summed in a small integer per chunk, which compilers turn into vector code.
            chunk.iter().fold(0u8, |count, &byte| {
                count + u8::from(byte == b'{') + u8::from(byte == b'[')
            })
        })
        .map(usize::from)
        .sum();
    if openers <= MAX_BODY_DEPTH {
        return false;
    }
    let mut depth = 0usize;
    let mut strings = Strings::default();
    for &byte in body {
        if strings.contains(byte) {
            continue;
        }
        match byte {
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_BODY_DEPTH {
                    return true;
                }
            }
            // Unbalanced closers are the JSON parser's to report.
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The URL's command, unless the body states a different one.
fn same_command(query: Command, stated: Option<Command>) -> Result<Command, DecodeError> {
    match stated {
        Some(body) if body != query => Err(DecodeError::CommandMismatch { query, body }),
        _ => Ok(query),
    }
}

/// The body's `CallbackCommand`, read without building anything else.
fn body_command(body: &[u8]) -> Result<Option<Command>, DecodeError> {
    match serde_json::from_slice::<CommandOnly>(body) {
        Ok(only) => Ok(only.command),
        Err(error) if error.is_data() => Err(DecodeError::InvalidBodyCommand),
        Err(error) => Err(DecodeError::not_json(&error)),
    }
}

/// A body that is JSON but not the command's event: kept whole, with the field at fault.
fn misfit(command: Command, error: TypedError, body: &[u8]) -> Result<Payload, DecodeError> {
    let error = match error {
        TypedError::Field(error) => error,
        TypedError::Trailing(error) => return Err(DecodeError::not_json(&error)),
    };
    Ok(Payload::Misfit(Misfit {
        command,
        error: FieldError::from_path_error(&error),
        body: raw(body)?,
    }))
}

fn raw(body: &[u8]) -> Result<Box<RawValue>, DecodeError> {
    serde_json::from_slice(body).map_err(|error| DecodeError::not_json(&error))
}

/// Why a verified request's body cannot be a webhook (HTTP 400).
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
    /// The body's `CallbackCommand` is not a command word (not a string, or empty).
    InvalidBodyCommand,
    /// Neither the URL nor the body names a command.
    NoCommand,
    /// The URL and the body name different commands.
    CommandMismatch {
        /// The command in the URL.
        query: Command,
        /// The command in the body.
        body: Command,
    },
    /// Arrays and objects are nested deeper than the limit ([`MAX_BODY_DEPTH`]).
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
            DecodeError::InvalidBodyCommand => {
                f.write_str("body CallbackCommand is not a command word")
            }
            DecodeError::NoCommand => f.write_str("no command in the URL or the body"),
            DecodeError::CommandMismatch { query, body } => {
                write!(f, "command mismatch: URL says {query}, body says {body}")
            }
            DecodeError::TooDeep { limit } => {
                write!(f, "body is nested deeper than {limit} levels")
            }
        }
    }
}

impl core::error::Error for DecodeError {}
