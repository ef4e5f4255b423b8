//! The whole receiving sequence without I/O: verify the query, collect the body under a
//! size limit, decode. Framework adapters feed it bytes and the clock.
#![cfg(feature = "alloc")]

use alloc::vec::Vec;

use crate::live::probe::Received;
use crate::live::verifier::Verifier;
use crate::live::verify::VerifiedQuery;
use crate::receiving::{Receiving, declared_capacity, push_limited};
use crate::rejection::Rejection;

/// A verifier plus a body size limit: everything a receiver needs to know.
///
/// ```
/// use tencent_live_webhook::{Command, Receiver, Received, Token, Verifier, signed_query};
///
/// let receiver = Receiver::new(Verifier::new().app(7, [Token::new("t")?])).body_limit(1024);
/// let query = signed_query(7, &Command::AfterChangeOwner, &Token::new("t")?, 1_700_000_000);
///
/// // The adapter reads the clock and the Content-Length header, then the body in chunks.
/// let mut incoming = receiver.start(&query, Some(b"16"), 1_700_000_000)?;
/// incoming.push(br#"{"RoomId":"#)?;
/// incoming.push(br#""r1"}"#)?;
/// let Received::Webhook(webhook) = incoming.finish()? else {
///     unreachable!("a command and an event: not a connectivity probe")
/// };
/// assert_eq!(webhook.event().unwrap().room_id(), Some("r1"));
///
/// let too_big = receiver.start(&query, Some(b"4096"), 1_700_000_000).unwrap_err();
/// assert_eq!(too_big.status(), 413);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type Receiver = Receiving<Verifier>;

impl Receiver {
    /// Verifies the query at `now` (Unix seconds) and checks the declared length (the raw
    /// `Content-Length` header value, if any) before any body byte is read.
    pub fn start(
        &self,
        raw_query: &str,
        content_length: Option<&[u8]>,
        now: u64,
    ) -> Result<Incoming, Rejection> {
        let verified = self.verifier().verify(raw_query, now)?;
        let capacity = declared_capacity(content_length, self.limit())?;
        Ok(Incoming {
            verified,
            body: Vec::with_capacity(capacity),
            limit: self.limit(),
        })
    }
}

/// A verified request whose body is being collected.
#[derive(Debug)]
pub struct Incoming {
    verified: VerifiedQuery,
    body: Vec<u8>,
    limit: usize,
}

impl Incoming {
    /// The verified query.
    pub fn verified(&self) -> &VerifiedQuery {
        &self.verified
    }

    /// Appends a chunk of the body; refuses it once the total passes the limit, so the
    /// caller can stop reading.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), Rejection> {
        push_limited(&mut self.body, chunk, self.limit)
    }

    /// Decodes the collected body: a webhook, or Tencent's connectivity probe (see
    /// [`VerifiedQuery::receive`]).
    pub fn finish(self) -> Result<Received, Rejection> {
        Ok(self.verified.receive(&self.body)?)
    }

    /// Like [`finish`](Self::finish), and hands back the body's exact bytes as well, for a
    /// caller that forwards or keeps what arrived.
    pub fn finish_with_body(self) -> Result<(Received, Vec<u8>), Rejection> {
        let received = self.verified.receive(&self.body)?;
        Ok((received, self.body))
    }
}
