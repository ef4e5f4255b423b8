//! Refusals: one error type for everything that stops a webhook, with the HTTP status
//! and the JSON body every adapter answers with.
#![cfg(feature = "alloc")]

use alloc::string::ToString;
use core::fmt;

use crate::live::query::QueryError;
use crate::live::reply::Reply;
use crate::live::verify::VerifyError;
use crate::live::webhook::DecodeError;
use crate::trtc;

/// The default largest body accepted: 256 KiB.
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

/// Why a request was refused, whatever stage refused it.
///
/// [`Rejection::status`] decides the HTTP status, so every adapter answers alike:
/// 400 malformed query, framing or body, 401 signature or time, 403 unknown or missing
/// app, 408 body too slow, 413 body too large. [`Rejection::reply`] is the body to send
/// with it; neither holds the token nor the expected signature.
///
/// ```
/// use tencent_live_webhook::{Rejection, VerifyError};
///
/// let rejection = Rejection::from(VerifyError::SignMismatch);
/// assert_eq!(rejection.status(), 401);
/// assert_eq!(
///     rejection.reply().to_json(),
///     r#"{"ActionStatus":"FAIL","ErrorCode":401,"ErrorInfo":"Sign does not match"}"#
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The query failed verification.
    Verify(VerifyError),
    /// The body cannot be a webhook.
    Decode(DecodeError),
    /// The body is larger than the receiver accepts.
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body is larger than the web server's own limit (a framework setting, such as
    /// axum's `DefaultBodyLimit`, smaller than the receiver's).
    BodyOverServerLimit,
    /// The body could not be read (the connection failed mid-way).
    BodyUnreadable,
    /// The `Content-Length` header is not a decimal number.
    BadContentLength,
    /// The request has both `Content-Length` and `Transfer-Encoding`: servers and proxies
    /// may disagree on where its body ends, so it is refused rather than guessed.
    AmbiguousFraming,
    /// The body did not arrive within the server's deadline (a slow or stalled sender).
    BodyTimeout,
    /// The request comes from an address the receiver does not take webhooks from (an
    /// allow-list of Tencent's addresses); refused before the body is read.
    SourceNotAllowed,
    /// A TRTC callback failed verification.
    TrtcVerify(trtc::VerifyError),
    /// A verified TRTC body cannot be a callback.
    TrtcDecode(trtc::DecodeError),
}

impl Rejection {
    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            Rejection::Verify(error) => error.status(),
            Rejection::Decode(error) => error.status(),
            Rejection::BodyTooLarge { .. } | Rejection::BodyOverServerLimit => 413,
            Rejection::BodyUnreadable
            | Rejection::BadContentLength
            | Rejection::AmbiguousFraming => 400,
            Rejection::BodyTimeout => 408,
            Rejection::SourceNotAllowed => 403,
            Rejection::TrtcVerify(error) => error.status(),
            Rejection::TrtcDecode(error) => error.status(),
        }
    }

    /// The JSON body to answer with: `ActionStatus` `FAIL`, the HTTP status as
    /// `ErrorCode`, and this error's message as `ErrorInfo`.
    pub fn reply(&self) -> Reply {
        Reply::failure(u32::from(self.status()), self.to_string())
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Verify(error) => fmt::Display::fmt(error, f),
            Rejection::Decode(error) => fmt::Display::fmt(error, f),
            Rejection::BodyTooLarge { limit } => write!(f, "body is larger than {limit} bytes"),
            Rejection::BodyOverServerLimit => f.write_str("body is larger than the server accepts"),
            Rejection::BodyUnreadable => f.write_str("body could not be read"),
            Rejection::BadContentLength => f.write_str("Content-Length is not a decimal number"),
            Rejection::AmbiguousFraming => {
                f.write_str("request has both Content-Length and Transfer-Encoding")
            }
            Rejection::BodyTimeout => f.write_str("body did not arrive in time"),
            Rejection::SourceNotAllowed => {
                f.write_str("requests from this address are not accepted")
            }
            Rejection::TrtcVerify(error) => fmt::Display::fmt(error, f),
            Rejection::TrtcDecode(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl core::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Rejection::Verify(error) => Some(error),
            Rejection::Decode(error) => Some(error),
            Rejection::TrtcVerify(error) => Some(error),
            Rejection::TrtcDecode(error) => Some(error),
            _ => None,
        }
    }
}

impl From<VerifyError> for Rejection {
    fn from(error: VerifyError) -> Self {
        Rejection::Verify(error)
    }
}

impl From<QueryError> for Rejection {
    fn from(error: QueryError) -> Self {
        Rejection::Verify(VerifyError::Query(error))
    }
}

impl From<DecodeError> for Rejection {
    fn from(error: DecodeError) -> Self {
        Rejection::Decode(error)
    }
}

impl From<trtc::VerifyError> for Rejection {
    fn from(error: trtc::VerifyError) -> Self {
        Rejection::TrtcVerify(error)
    }
}

impl From<trtc::DecodeError> for Rejection {
    fn from(error: trtc::DecodeError) -> Self {
        Rejection::TrtcDecode(error)
    }
}
