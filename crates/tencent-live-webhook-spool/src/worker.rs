//! The delivery worker: hands due entries to a destination, at most `concurrency` at a
//! time, one room's entries in order, and records each attempt.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

use crate::Spool;
use crate::destination::{Attempt, Destination, Outcome};
use crate::ops::{self, Ended};
use crate::store::Access;

/// How often delivered entries past their keeping time are removed.
const HOUSEKEEPING: Duration = Duration::from_secs(60);

/// After the store fails, how long to wait before asking again.
const STORE_RETRY: Duration = Duration::from_secs(1);

pub(crate) async fn run<D: Destination>(
    spool: &Spool,
    destination: D,
    stop: impl Future<Output = ()>,
) {
    let destination = Arc::new(destination);
    let config = &spool.inner.config;
    let mut running: JoinSet<Outcome> = JoinSet::new();
    // Attempts that ended, being recorded: recorded together, their writes share a
    // commit. An entry stays busy until its attempt is recorded.
    let mut recording: JoinSet<i64> = JoinSet::new();
    // Task id → entry, for the entries under way.
    let mut under_way: HashMap<tokio::task::Id, i64> = HashMap::new();
    let mut busy: HashSet<i64> = HashSet::new();
    let mut stop = std::pin::pin!(stop);
    let mut last_housekeeping: Option<tokio::time::Instant> = None;
    loop {
        let now = (config.clock)();
        if last_housekeeping.is_none_or(|last| last.elapsed() >= HOUSEKEEPING) {
            last_housekeeping = Some(tokio::time::Instant::now());
            spool.housekeeping(now).await;
        }
        let free = config.concurrency.saturating_sub(busy.len());
        let mut wait = config.poll_interval;
        if free > 0 {
            let limit = free.saturating_add(busy.len());
            match spool
                .inner
                .store
                .read(move |db, _| ops::due(db, now, limit))
                .await
            {
                Ok((due, next)) => {
                    for entry in due {
                        if busy.contains(&entry.seq) {
                            continue;
                        }
                        if busy.len() >= config.concurrency {
                            break;
                        }
                        let destination = Arc::clone(&destination);
                        let timeout = config.delivery_timeout;
                        let attempt = Attempt {
                            envelope: entry.envelope,
                            number: entry.attempt,
                        };
                        let handle = running.spawn(async move {
                            match tokio::time::timeout(timeout, destination.deliver(attempt)).await
                            {
                                Ok(outcome) => outcome,
                                Err(_) => Outcome::failed(format!(
                                    "no answer within {}",
                                    humantime::format_duration(timeout)
                                )),
                            }
                        });
                        under_way.insert(handle.id(), entry.seq);
                        busy.insert(entry.seq);
                    }
                    if let Some(next) = next {
                        let until = Duration::from_millis(next.saturating_sub(now));
                        wait = wait.min(until.max(Duration::from_millis(1)));
                    }
                }
                Err(fault) => {
                    tracing::error!(error = %fault.0, "cannot read the spool");
                    wait = wait.max(STORE_RETRY);
                }
            }
        }
        tokio::select! {
            () = &mut stop => break,
            Some(joined) = running.join_next_with_id() => {
                let (id, outcome) = match joined {
                    Ok((id, outcome)) => (id, outcome),
                    Err(error) => (error.id(), Outcome::failed("the destination panicked")),
                };
                if let Some(seq) = under_way.remove(&id) {
                    let spool = spool.clone();
                    recording.spawn(async move {
                        spool.finish_attempt(seq, outcome).await;
                        seq
                    });
                }
            }
            Some(recorded) = recording.join_next() => {
                if let Ok(seq) = recorded {
                    busy.remove(&seq);
                }
            }
            () = spool.inner.appended.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
    // Attempts under way may finish within the delivery timeout; what does not is tried
    // again at the next start (at least once).
    let deadline = tokio::time::Instant::now() + config.delivery_timeout;
    while !running.is_empty() {
        match tokio::time::timeout_at(deadline, running.join_next_with_id()).await {
            Ok(Some(Ok((id, outcome)))) => {
                if let Some(seq) = under_way.remove(&id) {
                    spool.finish_attempt(seq, outcome).await;
                }
            }
            Ok(Some(Err(error))) => {
                if let Some(seq) = under_way.remove(&error.id()) {
                    spool
                        .finish_attempt(seq, Outcome::failed("the destination panicked"))
                        .await;
                }
            }
            Ok(None) | Err(_) => break,
        }
    }
    running.abort_all();
    while recording.join_next().await.is_some() {}
}

impl Spool {
    async fn finish_attempt(&self, seq: i64, outcome: Outcome) {
        let ended = match outcome {
            Outcome::Delivered { status } => Ended {
                delivered: true,
                status,
                error: None,
            },
            Outcome::Failed { status, error } => Ended {
                delivered: false,
                status,
                error: Some(error),
            },
        };
        let now = (self.inner.config.clock)();
        let schedule = self.inner.config.retry_schedule.clone();
        let delivered = ended.delivered;
        let recorded = self
            .inner
            .store
            .write(Access::WriteUnsynced, move |db, memory| {
                ops::record(db, memory, seq, &ended, now, &schedule)
            })
            .await;
        match recorded {
            Ok(Some(state)) => self.inner.count_attempt(delivered, state),
            Ok(None) => {}
            Err(fault) => {
                // The attempt's result is lost; the entry stays pending and is tried again.
                tracing::error!(error = %fault.0, "cannot record a delivery attempt");
            }
        }
    }

    async fn housekeeping(&self, now: u64) {
        let config = &self.inner.config;
        let keep = config.keep_delivered.max(config.dedup_window);
        let before = now.saturating_sub(u64::try_from(keep.as_millis()).unwrap_or(u64::MAX));
        let purged = self
            .inner
            .store
            .write(Access::WriteUnsynced, move |db, memory| {
                let removed = ops::purge(db, memory, crate::EntryState::Delivered, before)?;
                ops::count(db, memory)?;
                Ok(removed)
            })
            .await;
        if let Err(fault) = purged {
            tracing::error!(error = %fault.0, "cannot remove old delivered entries");
        }
    }
}
