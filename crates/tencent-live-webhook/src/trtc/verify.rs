//! Checking a TRTC callback: the app, the `Sign` over the exact body, and optionally the
//! age of `CallbackTs`.

use alloc::vec::Vec;
use core::fmt;

use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::decode::{Callback, DecodeError};
use super::key::{Key, decode_sign};
use crate::apps::Apps;
use crate::live::event::values::flexible_u64;
use crate::live::query::parse_decimal;

/// The default replay window: a `CallbackTs` more than 5 minutes from now is refused.
///
/// Tencent retries a callback for about a minute, so a window much shorter than that
/// refuses genuine retries.
pub const DEFAULT_MAX_AGE_MS: u64 = 5 * 60 * 1000;

/// Verifies TRTC callbacks for the apps it knows, each with its keys.
///
/// The signature covers the whole body and nothing else, so verification needs the
/// complete body. The clock is not read here: pass `now_ms` (Unix milliseconds).
///
/// ```
/// use tencent_live_webhook::trtc::{Event, Key, Verifier};
///
/// let key = Key::new("123654")?;
/// let verifier = Verifier::new().app(1_400_000_000, [key.clone()]);
/// let body = b"{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":1700000000000,\
///     \"EventInfo\":{\"RoomId\":8489,\"UserId\":\"u1\",\"Role\":20}}";
/// let sign = key.sign(body);
///
/// let verified = verifier.verify(Some(b"1400000000"), Some(sign.as_bytes()), body, 1_700_000_001_000)?;
/// let callback = verified.decode()?;
/// let Some(Event::Room(room)) = callback.event() else { panic!("a room event") };
/// assert_eq!(room.info.user_id.as_deref(), Some("u1"));
///
/// // One byte changed, and the same Sign no longer holds.
/// let forged = b"{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":1700000000000,\
///     \"EventInfo\":{\"RoomId\":8489,\"UserId\":\"u2\",\"Role\":20}}";
/// assert!(verifier.verify(Some(b"1400000000"), Some(sign.as_bytes()), forged, 1_700_000_001_000).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    /// Each app's keys.
    apps: Apps<Vec<Key>>,
    max_age_ms: Option<u64>,
}

impl Default for Verifier {
    /// A verifier that knows no app yet, with the [`DEFAULT_MAX_AGE_MS`] replay window.
    fn default() -> Self {
        Verifier {
            apps: Apps::default(),
            max_age_ms: Some(DEFAULT_MAX_AGE_MS),
        }
    }
}

impl Verifier {
    /// A verifier that knows no app yet, with the [`DEFAULT_MAX_AGE_MS`] replay window.
    pub fn new() -> Verifier {
        Verifier::default()
    }

    /// Serves `sdk_app_id`, whose callbacks must be signed with one of `keys` (give the old
    /// and the new key during a rotation). Replaces any earlier setting for the same app.
    /// With no key, nothing is accepted.
    #[must_use]
    pub fn app(mut self, sdk_app_id: u64, keys: impl IntoIterator<Item = Key>) -> Verifier {
        self.apps.set(sdk_app_id, keys.into_iter().collect());
        self
    }

    /// Sets the replay window: a callback whose `CallbackTs` (or `CallbackMsTs`) is more
    /// than `ms` from `now_ms`, either way, is refused, and so is one without that field.
    #[must_use]
    pub fn max_age_ms(mut self, ms: u64) -> Verifier {
        self.max_age_ms = Some(ms);
        self
    }

    /// Turns the replay window off: a captured callback then verifies for as long as its
    /// key is in use, since the signature holds no time of its own.
    #[must_use]
    pub fn without_replay_window(mut self) -> Verifier {
        self.max_age_ms = None;
        self
    }

    /// The replay window, if any.
    pub fn max_age(&self) -> Option<u64> {
        self.max_age_ms
    }

    /// The apps served.
    pub fn sdk_app_ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.apps.ids()
    }

    /// Checks what can be checked before the body arrives: a `Sign` header of the right
    /// form, and an `SdkAppId` header (when sent) naming a served app.
    ///
    /// The headers are the raw values; `None` for a header that is absent.
    pub fn check_headers(
        &self,
        sdk_app_id: Option<&[u8]>,
        sign: Option<&[u8]>,
    ) -> Result<Headers, VerifyError> {
        let sign = decode_sign(sign.ok_or(VerifyError::MissingSign)?.trim_ascii())
            .ok_or(VerifyError::MalformedSign)?;
        let app = match sdk_app_id {
            None => None,
            Some(raw) => {
                let id = core::str::from_utf8(raw.trim_ascii())
                    .ok()
                    .and_then(parse_decimal)
                    .ok_or(VerifyError::MalformedSdkAppId)?;
                if self.apps.get(id).is_none() {
                    return Err(VerifyError::UnknownApp { sdk_app_id: id });
                }
                Some(id)
            }
        };
        Ok(Headers { sign, app })
    }

    /// Verifies a whole callback at `now_ms` (Unix milliseconds): the headers, then the
    /// `Sign` over `body` exactly as received, in constant time, then the replay window.
    pub fn verify<'b>(
        &self,
        sdk_app_id: Option<&[u8]>,
        sign: Option<&[u8]>,
        body: &'b [u8],
        now_ms: u64,
    ) -> Result<Verified<'b>, VerifyError> {
        self.verify_body(&self.check_headers(sdk_app_id, sign)?, body, now_ms)
    }

    /// [`verify`](Self::verify) with headers already checked.
    pub fn verify_body<'b>(
        &self,
        headers: &Headers,
        body: &'b [u8],
        now_ms: u64,
    ) -> Result<Verified<'b>, VerifyError> {
        // Without `SdkAppId`, every app's keys are tried; each is computed in full, so the
        // time taken says nothing about which came close.
        let mut found: Option<(u64, usize)> = None;
        for (sdk_app_id, keys) in self.apps.iter() {
            if headers.app.is_some_and(|id| id != sdk_app_id) {
                continue;
            }
            for (index, key) in keys.iter().enumerate() {
                let matches: bool = key.mac(body)[..].ct_eq(&headers.sign[..]).into();
                if matches && found.is_none() {
                    found = Some((sdk_app_id, index));
                }
            }
        }
        let (sdk_app_id, matched_key) = found.ok_or(VerifyError::SignMismatch)?;
        let callback_ms = callback_time(body);
        if let Some(max_age_ms) = self.max_age_ms {
            let sent = callback_ms.ok_or(VerifyError::NoCallbackTime)?;
            if sent.abs_diff(now_ms) > max_age_ms {
                return Err(VerifyError::Stale {
                    callback_ms: sent,
                    now_ms,
                    max_age_ms,
                });
            }
        }
        Ok(Verified {
            sdk_app_id,
            matched_key,
            callback_ms,
            body,
        })
    }
}

/// The headers of a callback, checked before its body is read.
#[derive(Clone)]
pub struct Headers {
    sign: [u8; 32],
    app: Option<u64>,
}

impl Headers {
    /// The app the `SdkAppId` header named, if it was sent.
    pub fn sdk_app_id(&self) -> Option<u64> {
        self.app
    }
}

impl fmt::Debug for Headers {
    // The Sign proves the body for as long as the key is in use: not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Headers")
            .field("sdk_app_id", &self.app)
            .finish_non_exhaustive()
    }
}

/// A body whose `Sign` matched one of its app's keys: only [`Verifier`] makes one.
#[derive(Debug, Clone, Copy)]
pub struct Verified<'b> {
    sdk_app_id: u64,
    matched_key: usize,
    callback_ms: Option<u64>,
    body: &'b [u8],
}

impl<'b> Verified<'b> {
    /// The app whose key signed the body.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// Which of the app's keys signed, by position.
    pub fn matched_key(&self) -> usize {
        self.matched_key
    }

    /// `CallbackTs` (or `CallbackMsTs`), Unix milliseconds, if the body has it.
    pub fn callback_ms(&self) -> Option<u64> {
        self.callback_ms
    }

    /// The verified body, exactly as received.
    pub fn body(&self) -> &'b [u8] {
        self.body
    }

    /// Decodes the verified body into a [`Callback`].
    pub fn decode(self) -> Result<Callback, DecodeError> {
        Callback::decode(self.sdk_app_id, Some(self.matched_key), self.body)
    }
}

/// The send time, where the body puts it.
#[derive(Deserialize)]
struct SendTime {
    #[serde(rename = "CallbackTs", default, with = "flexible_u64")]
    callback_ts: Option<u64>,
    #[serde(rename = "CallbackMsTs", default, with = "flexible_u64")]
    callback_ms_ts: Option<u64>,
}

fn callback_time(body: &[u8]) -> Option<u64> {
    if !crate::json_text::opens_object(body) {
        return None;
    }
    let time: SendTime = serde_json::from_slice(body).ok()?;
    time.callback_ts.or(time.callback_ms_ts)
}

/// Why a TRTC callback failed verification. Never holds a key or the expected `Sign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// There is no `Sign` header (401).
    MissingSign,
    /// The `Sign` header is not 44 characters of base64 (401).
    MalformedSign,
    /// The `SdkAppId` header is not a decimal number (400).
    MalformedSdkAppId,
    /// The `SdkAppId` header names an app this verifier does not serve (403).
    UnknownApp {
        /// The app id received.
        sdk_app_id: u64,
    },
    /// No key of the app signs this body to the `Sign` received (401).
    SignMismatch,
    /// The replay window is on and the body has no `CallbackTs` (401).
    NoCallbackTime,
    /// `CallbackTs` is further from now than the replay window allows (401).
    Stale {
        /// The body's `CallbackTs`, Unix milliseconds.
        callback_ms: u64,
        /// The time of the check, Unix milliseconds.
        now_ms: u64,
        /// The window.
        max_age_ms: u64,
    },
}

impl VerifyError {
    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            VerifyError::MalformedSdkAppId => 400,
            VerifyError::UnknownApp { .. } => 403,
            VerifyError::MissingSign
            | VerifyError::MalformedSign
            | VerifyError::SignMismatch
            | VerifyError::NoCallbackTime
            | VerifyError::Stale { .. } => 401,
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingSign => f.write_str("no Sign header"),
            VerifyError::MalformedSign => f.write_str("Sign header is not 44 characters of base64"),
            VerifyError::MalformedSdkAppId => {
                f.write_str("SdkAppId header is not a decimal number")
            }
            VerifyError::UnknownApp { sdk_app_id } => {
                write!(f, "SdkAppId {sdk_app_id} is not served here")
            }
            VerifyError::SignMismatch => f.write_str("Sign does not match the body under any key"),
            VerifyError::NoCallbackTime => f.write_str("body has no CallbackTs"),
            VerifyError::Stale {
                callback_ms,
                now_ms,
                max_age_ms,
            } => {
                let (ahead, off) = if callback_ms > now_ms {
                    ("ahead of", callback_ms - now_ms)
                } else {
                    ("behind", now_ms - callback_ms)
                };
                write!(
                    f,
                    "CallbackTs is {off} ms {ahead} this server's clock (window {max_age_ms} ms)"
                )
            }
        }
    }
}

impl core::error::Error for VerifyError {}
