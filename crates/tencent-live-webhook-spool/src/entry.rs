//! What a spool says about its entries.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// Where an entry is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryState {
    /// Waiting for (or under) delivery.
    Pending,
    /// Taken by the destination.
    Delivered,
    /// Every attempt of the schedule failed; kept until retried or purged.
    Dead,
}

impl EntryState {
    /// `pending`, `delivered` or `dead`: also how the spool file stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Pending => "pending",
            EntryState::Delivered => "delivered",
            EntryState::Dead => "dead",
        }
    }
}

impl fmt::Display for EntryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A state name that is not `pending`, `delivered` or `dead`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownState(pub String);

impl fmt::Display for UnknownState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown entry state {:?} (pending, delivered, dead)",
            self.0
        )
    }
}

impl std::error::Error for UnknownState {}

impl FromStr for EntryState {
    type Err = UnknownState;

    fn from_str(text: &str) -> Result<EntryState, UnknownState> {
        match text {
            "pending" => Ok(EntryState::Pending),
            "delivered" => Ok(EntryState::Delivered),
            "dead" => Ok(EntryState::Dead),
            other => Err(UnknownState(other.to_owned())),
        }
    }
}

/// One entry, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EntrySummary {
    /// The webhook's id ([`TrustedEnvelope::id_of`](tencent_live_webhook::TrustedEnvelope::id_of)).
    pub id: String,
    /// Where it is.
    pub state: EntryState,
    /// The command word.
    pub command: String,
    /// The app.
    pub sdkappid: u64,
    /// The room it names, which orders its delivery, if any.
    pub room: Option<String>,
    /// When the receiver got it, Unix milliseconds.
    pub received_at_ms: u64,
    /// Attempts made so far.
    pub attempts: u32,
    /// The destination's HTTP status at the last attempt, when it answered over HTTP.
    pub last_status: Option<u16>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the next attempt is due (pending entries only), Unix milliseconds.
    pub next_attempt_at_ms: Option<u64>,
}

/// One attempt to deliver an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AttemptRecord {
    /// 1 for the first.
    pub attempt: u32,
    /// When it ended, Unix milliseconds.
    pub at_ms: u64,
    /// Whether the destination took the webhook.
    pub delivered: bool,
    /// The HTTP status, when there was one.
    pub status: Option<u16>,
    /// Why it failed.
    pub error: Option<String>,
}

/// One entry with everything kept about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EntryDetail {
    /// What a listing shows.
    #[serde(flatten)]
    pub summary: EntrySummary,
    /// The query string as received.
    pub query: String,
    /// The body as received.
    pub body: String,
    /// Every attempt, oldest first.
    pub history: Vec<AttemptRecord>,
}

/// How many entries are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Stats {
    /// Waiting for delivery.
    pub pending: u64,
    /// Delivered and not yet removed.
    pub delivered: u64,
    /// Dead.
    pub dead: u64,
    /// How long the oldest pending entry has waited, seconds (0 when none waits).
    pub oldest_pending_age_s: u64,
}

/// What an append did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Appended {
    /// The webhook's id.
    pub id: String,
    /// Whether the same id was already stored within the dedup window, so nothing was
    /// stored this time.
    pub duplicate: bool,
}
