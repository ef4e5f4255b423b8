//! What can go wrong: connecting at start, and publishing one envelope.

use std::fmt;

/// The broker cannot be used: unreachable, credentials refused, the stream cannot be
/// created. The message names the broker without its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectError {
    pub(crate) message: String,
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConnectError {}

/// One envelope was not published: the broker is down, too slow, or refused it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublishError {
    /// No acknowledgement within the timeout.
    Timeout,
    /// The broker or the connection failed.
    Broker(String),
    /// The envelope cannot be written (not expected: it is JSON of strings and numbers).
    Envelope(String),
}

impl PublishError {
    /// The HTTP status for a webhook that could not be published: 503, try later.
    pub fn status(&self) -> u16 {
        503
    }
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishError::Timeout => f.write_str("the broker did not acknowledge in time"),
            PublishError::Broker(reason) => write!(f, "the broker failed: {reason}"),
            PublishError::Envelope(reason) => write!(f, "the envelope cannot be written: {reason}"),
        }
    }
}

impl std::error::Error for PublishError {}

/// The text of an error and its causes, without repeating itself.
pub(crate) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        let next = current.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        cause = current.source();
    }
    text
}
