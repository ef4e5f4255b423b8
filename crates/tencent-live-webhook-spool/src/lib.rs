//! A durable spool for verified Tencent Cloud Live webhooks, on SQLite.
//!
//! Tencent sends each Live webhook once and does not retry it: a webhook answered with
//! anything but 200 is gone, and so is one answered 200 by a process that dies before the
//! app has seen it. With a spool, a receiver **acknowledges only what is on disk** and a
//! worker hands it to the app **until the app has taken it**:
//!
//! - [`Spool::append`] returns once the webhook is committed and synced (SQLite, write-ahead
//!   log, `synchronous = FULL`). Appends that arrive together share one transaction and
//!   one sync (group commit).
//! - Every entry has an id ([`TrustedEnvelope::id_of`]); the same webhook appended again
//!   within the dedup window is stored once ([`Appended::duplicate`]). This also defeats a
//!   captured request replayed within Tencent's 60 s signature window.
//! - [`Spool::deliver`] runs the worker: **at least once**, up to `concurrency` attempts at
//!   a time, **in order per room** (a webhook naming a room waits until every earlier one
//!   of that room is delivered or dead; webhooks without a room are not ordered). A failed
//!   attempt is retried after the next delay of the [`RetrySchedule`]; after the last, the
//!   entry is **dead** until [`retry`](Spool::retry)d or [`purge`](Spool::purge)d.
//! - After a crash, whatever was not delivered is delivered; an attempt that was under way
//!   is made again (so a destination may see a webhook twice: deduplicate by
//!   [`Attempt::envelope`]'s id).
//!
//! Other processes may read and manage the same file while it is in use (`live-webhook
//! spool stats|list|show|retry|purge`).
//!
//! # Example: a durable receiver
//!
//! ```
//! use std::time::Duration;
//! use tencent_live_webhook::{Command, Notification, Token, Verifier, signed_query};
//! use tencent_live_webhook_spool::{Attempt, Outcome, Spool, SpoolConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! let spool = Spool::open(dir.path().join("webhooks.db"), SpoolConfig::default())?;
//!
//! // In the handler (here without a framework): verify, append, then answer 200.
//! let token = Token::new("t")?;
//! let query = signed_query(7, &Command::AfterDestroyRoom, &token, 1_700_000_000);
//! let body = br#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r1"}"#;
//! let webhook = Verifier::new().app(7, [token]).verify(&query, 1_700_000_000)?.decode(body)?;
//! let notification = Notification::live(webhook, query, body.to_vec(), 1_700_000_000_000)?;
//! let appended = spool.append(&notification).await?;
//! assert!(!appended.duplicate);
//!
//! // In a worker: each stored webhook, until the destination takes it.
//! let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! let worker = spool.clone();
//! let running = tokio::spawn(async move {
//!     let destination = |attempt: Attempt| async move {
//!         match attempt.envelope.decode() {
//!             Ok(webhook) => {
//!                 assert_eq!(webhook.event().unwrap().room_id(), Some("r1"));
//!                 Outcome::Delivered { status: None }
//!             }
//!             Err(error) => Outcome::failed(error.to_string()),
//!         }
//!     };
//!     worker.deliver(destination, async { let _ = stopped.await; }).await;
//! });
//! while spool.stats().await?.delivered == 0 {
//!     tokio::time::sleep(Duration::from_millis(10)).await;
//! }
//! drop(stop);
//! running.await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Features
#![doc = document_features::document_features!()]
#![forbid(unsafe_code)]

mod config;
mod destination;
mod entry;
mod error;
mod file;
#[cfg(feature = "http")]
mod http;
mod memory;
mod ops;
mod outage;
mod recent;
mod store;
mod values;
mod worker;

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub use config::{Clock, RetrySchedule, ScheduleError, SpoolConfig, system_clock_ms};
pub use destination::{Attempt, Destination, Outcome};
pub use entry::{
    Appended, AttemptRecord, EntryDetail, EntryState, EntrySummary, Stats, UnknownState,
};
pub use error::{AppendError, OpenError, SpoolError};
#[cfg(feature = "http")]
pub use http::{
    ATTEMPT_HEADER, HttpDestination, HttpDestinationError, ID_HEADER, RECEIVED_AT_HEADER,
    webhook_client,
};
pub use tencent_live_webhook::{Notification, TrustedEnvelope};

use store::{Access, Fault, Store};

/// A spool: clone it freely, every clone uses the same file and thread.
#[derive(Clone)]
pub struct Spool {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: SpoolConfig,
    appended: tokio::sync::Notify,
    delivered: AtomicU64,
    failed: AtomicU64,
    died: AtomicU64,
}

impl std::fmt::Debug for Spool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spool")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// Counters since the spool was opened, and gauges as of the last commit: for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counters {
    /// Entries waiting for delivery.
    pub pending: u64,
    /// Dead entries.
    pub dead: u64,
    /// Webhooks stored.
    pub stored: u64,
    /// Appends that were duplicates.
    pub duplicates: u64,
    /// Transactions synced to disk. Appends that arrive together share one: compare with
    /// `stored` to see group commit at work.
    pub syncs: u64,
    /// Attempts that delivered.
    pub delivered: u64,
    /// Attempts that failed.
    pub failed: u64,
    /// Entries that died (their last attempt failed).
    pub died: u64,
    /// Whether the last append's write succeeded.
    pub writable: bool,
    /// When an append's write last failed (Unix ms), while the last one did.
    pub last_failure_ms: Option<u64>,
}

impl Spool {
    /// Opens the spool at `path`, creating it if needed.
    pub fn open(path: impl AsRef<Path>, config: SpoolConfig) -> Result<Spool, OpenError> {
        let store = Store::open(
            path.as_ref(),
            config.max_bytes,
            millis(config.dedup_window),
            (config.clock)(),
        )?;
        Ok(Spool {
            inner: Arc::new(Inner {
                store,
                config,
                appended: tokio::sync::Notify::new(),
                delivered: AtomicU64::new(0),
                failed: AtomicU64::new(0),
                died: AtomicU64::new(0),
            }),
        })
    }

    /// The settings in force.
    pub fn config(&self) -> &SpoolConfig {
        &self.inner.config
    }

    /// Stores a verified notification (a Live webhook or a TRTC callback) with its exact
    /// query and body and when it arrived. Returns once it is on disk, or was already
    /// stored within the dedup window (a TRTC callback's id is its event id, so Tencent's
    /// retry with a new send time is a duplicate). Notifications with the same
    /// [order key](Notification::order_key) are delivered in the order they were
    /// appended. On an error, do not acknowledge the notification: answer
    /// [`AppendError::status`].
    pub async fn append(&self, notification: &Notification) -> Result<Appended, AppendError> {
        self.append_envelope(notification.to_envelope(), notification.order_key())
            .await
    }

    /// Stores an envelope made elsewhere (by another receiver), with the room that orders
    /// its delivery.
    pub async fn append_envelope(
        &self,
        envelope: TrustedEnvelope,
        room: Option<String>,
    ) -> Result<Appended, AppendError> {
        let config = &self.inner.config;
        let entry = ops::NewEntry {
            envelope,
            room,
            dedup_window_ms: millis(config.dedup_window),
            max_pending: config.max_pending,
        };
        let appended = self
            .inner
            .store
            .write_one_statement(Access::Write, move |db, memory| {
                ops::append(db, memory, &entry)
            })
            .await
            .map_err(|Fault(reason)| AppendError::Unwritable(reason))??;
        let published = &self.inner.store.published;
        if appended.duplicate {
            published.duplicates.fetch_add(1, Ordering::Relaxed);
        } else {
            published.stored.fetch_add(1, Ordering::Relaxed);
            self.inner.appended.notify_one();
        }
        Ok(appended)
    }

    /// Runs the delivery worker until `stop` completes, then lets the attempts under way
    /// finish (within the delivery timeout). Run one worker per spool file.
    pub async fn deliver<D: Destination>(&self, destination: D, stop: impl Future<Output = ()>) {
        worker::run(self, destination, stop).await;
    }

    /// How many entries are in each state.
    pub async fn stats(&self) -> Result<Stats, SpoolError> {
        let now = (self.inner.config.clock)();
        self.read(move |db| ops::stats(db, now)).await
    }

    /// The newest entries first, of one state or of all, at most `limit`.
    pub async fn list(
        &self,
        state: Option<EntryState>,
        limit: usize,
    ) -> Result<Vec<EntrySummary>, SpoolError> {
        self.read(move |db| ops::list(db, state, limit)).await
    }

    /// The newest entry with this id, with its query, body and every attempt.
    pub async fn show(&self, id: &str) -> Result<EntryDetail, SpoolError> {
        let wanted = id.to_owned();
        self.inner
            .store
            .read(move |db, memory| ops::show(db, memory, &wanted))
            .await
            .map_err(|Fault(reason)| SpoolError::Store(reason))?
            .ok_or_else(|| SpoolError::NotFound(id.to_owned()))
    }

    /// Puts these entries (dead, pending or delivered) back to pending, due now, with the
    /// schedule started afresh. Nothing changes if any id is unknown.
    pub async fn retry(&self, ids: &[String]) -> Result<(), SpoolError> {
        let now = (self.inner.config.clock)();
        let ids = ids.to_vec();
        let result = self
            .inner
            .store
            .write(Access::Write, move |db, memory| {
                ops::retry(db, memory, &ids, now)
            })
            .await
            .map_err(|Fault(reason)| SpoolError::Store(reason))?;
        match result {
            Ok(()) => {
                self.inner.appended.notify_one();
                Ok(())
            }
            Err(missing) => Err(SpoolError::NotFound(missing.join(", "))),
        }
    }

    /// Puts every dead entry back to pending, due now. Returns how many.
    pub async fn retry_dead(&self) -> Result<u64, SpoolError> {
        self.make_due(ops::retry_dead).await
    }

    /// Makes every pending entry due now, whatever its next attempt time (after an outage
    /// of the destination, say). Returns how many were waiting for a later time.
    pub async fn retry_pending(&self) -> Result<u64, SpoolError> {
        self.make_due(|db, _, now| ops::pending_due_now(db, now))
            .await
    }

    /// [`Spool::retry_dead`] and [`Spool::retry_pending`] in one transaction: every entry
    /// not delivered is due now. Returns how many changed.
    pub async fn retry_all(&self) -> Result<u64, SpoolError> {
        self.make_due(|db, memory, now| {
            let pending = ops::pending_due_now(db, now)?;
            let dead = ops::retry_dead(db, memory, now)?;
            Ok(pending.saturating_add(dead))
        })
        .await
    }

    /// Runs `change` (which makes entries due at the time it is given) in a synced
    /// transaction, then wakes the delivery worker. Returns what `change` counted.
    async fn make_due(
        &self,
        change: impl FnOnce(
            &rusqlite::Connection,
            &mut memory::Memory,
            u64,
        ) -> Result<u64, rusqlite::Error>
        + Send
        + 'static,
    ) -> Result<u64, SpoolError> {
        let now = (self.inner.config.clock)();
        let count = self
            .inner
            .store
            .write(Access::Write, move |db, memory| change(db, memory, now))
            .await
            .map_err(|Fault(reason)| SpoolError::Store(reason))?;
        self.inner.appended.notify_one();
        Ok(count)
    }

    /// Removes delivered or dead entries (pending ones are never purged) that finished
    /// more than `older_than` ago (all of them with `None`). Returns how many.
    pub async fn purge(
        &self,
        state: Purge,
        older_than: Option<Duration>,
    ) -> Result<u64, SpoolError> {
        let now = (self.inner.config.clock)();
        let before = match older_than {
            Some(age) => now.saturating_sub(millis(age)),
            None => u64::MAX,
        };
        let state = match state {
            Purge::Delivered => EntryState::Delivered,
            Purge::Dead => EntryState::Dead,
        };
        self.inner
            .store
            .write(Access::Write, move |db, memory| {
                ops::purge(db, memory, state, before)
            })
            .await
            .map_err(|Fault(reason)| SpoolError::Store(reason))
    }

    /// Counters and gauges, without touching the file.
    pub fn counters(&self) -> Counters {
        let published = &self.inner.store.published;
        Counters {
            pending: published.pending.load(Ordering::Acquire),
            dead: published.dead.load(Ordering::Acquire),
            stored: published.stored.load(Ordering::Relaxed),
            duplicates: published.duplicates.load(Ordering::Relaxed),
            syncs: published.syncs.load(Ordering::Relaxed),
            delivered: self.inner.delivered.load(Ordering::Relaxed),
            failed: self.inner.failed.load(Ordering::Relaxed),
            died: self.inner.died.load(Ordering::Relaxed),
            writable: published.writable.load(Ordering::Acquire),
            last_failure_ms: (!published.writable.load(Ordering::Acquire))
                .then(|| published.last_failure_ms.load(Ordering::Acquire)),
        }
    }

    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&rusqlite::Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, SpoolError> {
        self.inner
            .store
            .read(move |db, _| work(db))
            .await
            .map_err(|Fault(reason)| SpoolError::Store(reason))
    }
}

impl Inner {
    fn count_attempt(&self, delivered: bool, state: EntryState) {
        let counter = if delivered {
            &self.delivered
        } else {
            &self.failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
        if state == EntryState::Dead {
            self.died.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Which finished entries [`Spool::purge`] removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purge {
    /// Delivered entries.
    Delivered,
    /// Dead entries.
    Dead,
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
