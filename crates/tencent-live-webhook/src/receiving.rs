//! What receiving has in common for every signing family: a verifier with a body limit,
//! the declared length checked before the body, and the body collected under the limit.
#![cfg(feature = "alloc")]

use alloc::vec::Vec;

use crate::live::query::parse_decimal;
use crate::rejection::{DEFAULT_BODY_LIMIT, Rejection};

/// A verifier of one signing family plus a body size limit: everything a receiver needs
/// to know. [`Receiver`](crate::Receiver) for Live webhooks,
/// [`trtc::Receiver`](crate::trtc::Receiver) for TRTC callbacks.
#[derive(Debug, Clone)]
pub struct Receiving<V> {
    verifier: V,
    body_limit: usize,
}

impl<V> Receiving<V> {
    /// A receiver with the default body limit ([`DEFAULT_BODY_LIMIT`]).
    pub fn new(verifier: V) -> Receiving<V> {
        Receiving {
            verifier,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// Sets the largest body accepted, in bytes.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Receiving<V> {
        self.body_limit = bytes;
        self
    }

    /// The largest body accepted, in bytes.
    pub fn limit(&self) -> usize {
        self.body_limit
    }

    /// The verifier.
    pub fn verifier(&self) -> &V {
        &self.verifier
    }
}

/// The body capacity to reserve for a declared `Content-Length` (the raw header value),
/// or the refusal of a malformed or too large one.
pub(crate) fn declared_capacity(
    content_length: Option<&[u8]>,
    limit: usize,
) -> Result<usize, Rejection> {
    let Some(raw) = content_length else {
        return Ok(0);
    };
    let declared = core::str::from_utf8(raw)
        .ok()
        .map(str::trim)
        .and_then(parse_decimal)
        .ok_or(Rejection::BadContentLength)?;
    match usize::try_from(declared) {
        Ok(length) if length <= limit => Ok(length),
        _ => Err(Rejection::BodyTooLarge { limit }),
    }
}

/// Appends `chunk` to `body` unless the total would pass `limit`.
pub(crate) fn push_limited(
    body: &mut Vec<u8>,
    chunk: &[u8],
    limit: usize,
) -> Result<(), Rejection> {
    match body.len().checked_add(chunk.len()) {
        Some(total) if total <= limit => {
            body.extend_from_slice(chunk);
            Ok(())
        }
        _ => Err(Rejection::BodyTooLarge { limit }),
    }
}
