//! Where a spool's worker hands webhooks.

use std::future::Future;

use tencent_live_webhook::TrustedEnvelope;

/// One attempt to hand over a stored webhook.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Attempt {
    /// The webhook, as the receiver kept it.
    pub envelope: TrustedEnvelope,
    /// 1 for the first attempt.
    pub number: u32,
}

/// How an attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The destination took the webhook: it will not be handed over again.
    Delivered {
        /// The HTTP status, for an HTTP destination.
        status: Option<u16>,
    },
    /// It did not: the webhook is tried again after the schedule's next delay.
    Failed {
        /// The HTTP status, for an HTTP destination that answered.
        status: Option<u16>,
        /// Why, in a few words (kept with the entry).
        error: String,
    },
}

impl Outcome {
    /// A failure without an HTTP status.
    pub fn failed(error: impl Into<String>) -> Outcome {
        Outcome::Failed {
            status: None,
            error: error.into(),
        }
    }
}

/// Whatever takes stored webhooks: an HTTP endpoint ([`HttpDestination`](crate::HttpDestination)),
/// a queue, or your own code. Any `Fn(Attempt) -> impl Future<Output = Outcome>` is one.
///
/// An attempt that takes longer than the spool's delivery timeout counts as failed, and
/// so does one that panics.
pub trait Destination: Send + Sync + 'static {
    /// Hands over one webhook.
    fn deliver(&self, attempt: Attempt) -> impl Future<Output = Outcome> + Send;

    /// What the destination is, for log lines: never a secret (no password, no token).
    fn describe(&self) -> String {
        "the destination".into()
    }
}

impl<F, Fut> Destination for F
where
    F: Fn(Attempt) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send,
{
    fn deliver(&self, attempt: Attempt) -> impl Future<Output = Outcome> + Send {
        self(attempt)
    }
}
