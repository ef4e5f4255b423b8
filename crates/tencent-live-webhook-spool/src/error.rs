//! One error per operation.

use std::fmt;

/// The spool file cannot be opened or set up.
#[derive(Debug)]
#[non_exhaustive]
pub struct OpenError {
    pub(crate) message: String,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot open the spool: {}", self.message)
    }
}

impl std::error::Error for OpenError {}

/// Why a webhook was not stored. The caller must not acknowledge it (answer 503).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AppendError {
    /// As many entries wait for delivery as the spool allows.
    Full {
        /// The limit.
        max_pending: u64,
    },
    /// The spool file cannot be written (disk full, read-only, damaged, gone).
    Unwritable(String),
    /// The webhook cannot be kept (its body is not UTF-8).
    Unstorable(String),
}

impl AppendError {
    /// The HTTP status to answer: 503 for all of them, since each may pass.
    pub fn status(&self) -> u16 {
        503
    }
}

impl fmt::Display for AppendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppendError::Full { max_pending } => write!(
                f,
                "the spool is full: {max_pending} webhooks wait for delivery"
            ),
            AppendError::Unwritable(reason) => write!(f, "the spool cannot be written: {reason}"),
            AppendError::Unstorable(reason) => write!(f, "the webhook cannot be kept: {reason}"),
        }
    }
}

impl std::error::Error for AppendError {}

/// A reading or managing operation failed (stats, list, show, retry, purge).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpoolError {
    /// The spool file cannot be read or written.
    Store(String),
    /// No entry has this id.
    NotFound(String),
}

impl fmt::Display for SpoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpoolError::Store(reason) => write!(f, "the spool cannot be used: {reason}"),
            SpoolError::NotFound(id) => write!(f, "no entry with id {id}"),
        }
    }
}

impl std::error::Error for SpoolError {}
