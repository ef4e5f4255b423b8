//! The whole receiving sequence of a TRTC callback without I/O: check the headers, collect
//! the body under a size limit, verify it, decode it.

use alloc::vec::Vec;

use super::decode::Callback;
use super::verify::{Headers, Verifier};
use crate::receiving::{Receiving, declared_capacity, push_limited};
use crate::rejection::Rejection;

/// A TRTC verifier plus a body size limit.
///
/// ```
/// use tencent_live_webhook::trtc::{Key, Receiver, Verifier};
///
/// let key = Key::new("k3y")?;
/// let receiver = Receiver::new(Verifier::new().app(7, [key.clone()])).body_limit(1024);
/// let body = br#"{"EventGroupId":2,"EventType":201,"CallbackTs":1700000000000,"EventInfo":{"RoomId":"r1","UserId":"u1"}}"#;
/// let sign = key.sign(body);
///
/// // The adapter reads the headers, then the body in chunks, then the clock.
/// let mut incoming = receiver.start(Some(b"7"), Some(sign.as_bytes()), None)?;
/// incoming.push(&body[..10])?;
/// incoming.push(&body[10..])?;
/// let (callback, exact) = receiver.finish(incoming, 1_700_000_000_500)?;
/// assert_eq!((callback.group(), callback.event_type()), (2, 201));
/// assert_eq!(exact, body);
///
/// // No Sign: refused before any body byte is read.
/// assert_eq!(receiver.start(Some(b"7"), None, None).unwrap_err().status(), 401);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type Receiver = Receiving<Verifier>;

impl Receiver {
    /// Verifies the body `incoming` collected at `now_ms` (Unix milliseconds) and decodes
    /// it; hands back the body's exact bytes too, for a caller that forwards or keeps what
    /// arrived.
    pub fn finish(
        &self,
        incoming: Incoming,
        now_ms: u64,
    ) -> Result<(Callback, Vec<u8>), Rejection> {
        let callback = self
            .verifier()
            .verify_body(&incoming.headers, &incoming.body, now_ms)?
            .decode()?;
        Ok((callback, incoming.body))
    }

    /// Checks the `SdkAppId` and `Sign` headers and the declared length (raw header values,
    /// `None` when absent) before any body byte is read.
    pub fn start(
        &self,
        sdk_app_id: Option<&[u8]>,
        sign: Option<&[u8]>,
        content_length: Option<&[u8]>,
    ) -> Result<Incoming, Rejection> {
        let headers = self.verifier().check_headers(sdk_app_id, sign)?;
        let capacity = declared_capacity(content_length, self.limit())?;
        Ok(Incoming {
            headers,
            body: Vec::with_capacity(capacity),
            limit: self.limit(),
        })
    }
}

/// A TRTC callback whose body is being collected; [`Receiver::finish`] verifies it.
#[derive(Debug)]
pub struct Incoming {
    headers: Headers,
    body: Vec<u8>,
    limit: usize,
}

impl Incoming {
    /// The checked headers.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// Appends a chunk of the body; refuses it once the total passes the limit, so the
    /// caller can stop reading.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), Rejection> {
        push_limited(&mut self.body, chunk, self.limit)
    }
}
