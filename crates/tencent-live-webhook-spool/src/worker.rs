//! The delivery worker: hands due entries to a destination, at most `concurrency` at a
//! time, one room's entries in order, and records each attempt.
//!
//! Each turn of its loop is one job on the store thread: the results of the attempts
//! that ended since the last turn are recorded and the next due entries read in the same
//! transaction, so the store's work grows with the turns, not with the webhooks.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::{Id, JoinSet};

use crate::Spool;
use crate::destination::{Attempt, Destination, Outcome};
use crate::ops::{self, Due, Ended};
use crate::store::Access;
use crate::{EntryState, config::RetrySchedule};

/// How often delivered entries past their keeping time are removed.
const HOUSEKEEPING: Duration = Duration::from_secs(60);

/// After the store fails, how long to wait before asking again.
const STORE_RETRY: Duration = Duration::from_secs(1);

/// The attempts under way: their tasks and entries.
struct UnderWay {
    tasks: JoinSet<Outcome>,
    entries: HashMap<Id, i64>,
}

impl UnderWay {
    /// The entry of a task that ended, and how its attempt went.
    fn ended(
        &mut self,
        joined: Result<(Id, Outcome), tokio::task::JoinError>,
    ) -> Option<(i64, Ended)> {
        let (id, outcome) = match joined {
            Ok(ended) => ended,
            Err(error) => (error.id(), Outcome::failed("the destination panicked")),
        };
        let seq = self.entries.remove(&id)?;
        Some((seq, ended(outcome)))
    }
}

fn ended(outcome: Outcome) -> Ended {
    match outcome {
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
    }
}

pub(crate) async fn run<D: Destination>(
    spool: &Spool,
    destination: D,
    stop: impl Future<Output = ()>,
) {
    let destination = Arc::new(destination);
    let config = &spool.inner.config;
    let mut under_way = UnderWay {
        tasks: JoinSet::new(),
        entries: HashMap::new(),
    };
    // Entries under way or ended but not yet recorded: never handed over twice at once.
    let mut busy: HashSet<i64> = HashSet::new();
    let mut finished: Vec<(i64, Ended)> = Vec::new();
    let mut stop = std::pin::pin!(stop);
    let mut last_housekeeping: Option<tokio::time::Instant> = None;
    loop {
        let now = (config.clock)();
        if last_housekeeping.is_none_or(|last| last.elapsed() >= HOUSEKEEPING) {
            last_housekeeping = Some(tokio::time::Instant::now());
            spool.housekeeping(now).await;
        }
        let free = config.concurrency.saturating_sub(under_way.entries.len());
        let mut wait = config.poll_interval;
        if !finished.is_empty() || free > 0 {
            let results = std::mem::take(&mut finished);
            let recorded: Vec<i64> = results.iter().map(|(seq, _)| *seq).collect();
            // Entries under way are pending too: ask for enough to skip them.
            let limit = if free > 0 {
                free + under_way.entries.len()
            } else {
                0
            };
            match spool.turn(results, now, limit).await {
                Ok((due, next)) => {
                    for seq in recorded {
                        busy.remove(&seq);
                    }
                    for entry in due {
                        if under_way.entries.len() >= config.concurrency {
                            break;
                        }
                        if busy.insert(entry.seq) {
                            start(&mut under_way, &destination, entry, config.delivery_timeout);
                        }
                    }
                    if let Some(next) = next {
                        let until = Duration::from_millis(next.saturating_sub(now));
                        wait = wait.min(until.max(Duration::from_millis(1)));
                    }
                }
                Err(fault) => {
                    // The results are lost: those entries stay pending and are tried again.
                    tracing::error!(error = %fault, "cannot use the spool");
                    for seq in recorded {
                        busy.remove(&seq);
                    }
                    wait = wait.max(STORE_RETRY);
                }
            }
        }
        tokio::select! {
            () = &mut stop => break,
            Some(joined) = under_way.tasks.join_next_with_id() => {
                finished.extend(under_way.ended(joined));
                // Every other attempt that ended meanwhile goes into the same turn.
                while let Some(joined) = under_way.tasks.try_join_next_with_id() {
                    finished.extend(under_way.ended(joined));
                }
            }
            () = spool.inner.appended.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
    // Attempts under way may finish within the delivery timeout; what does not is tried
    // again at the next start (at least once).
    let deadline = tokio::time::Instant::now() + config.delivery_timeout;
    while !under_way.tasks.is_empty() {
        match tokio::time::timeout_at(deadline, under_way.tasks.join_next_with_id()).await {
            Ok(Some(joined)) => finished.extend(under_way.ended(joined)),
            Ok(None) | Err(_) => break,
        }
    }
    under_way.tasks.abort_all();
    if !finished.is_empty()
        && let Err(fault) = spool.turn(finished, (config.clock)(), 0).await
    {
        tracing::error!(error = %fault, "cannot record the last delivery attempts");
    }
}

/// Starts one attempt, bounded by `timeout`.
fn start<D: Destination>(
    under_way: &mut UnderWay,
    destination: &Arc<D>,
    entry: Due,
    timeout: Duration,
) {
    let destination = Arc::clone(destination);
    let attempt = Attempt {
        envelope: entry.envelope,
        number: entry.attempt,
    };
    let handle = under_way.tasks.spawn(async move {
        match tokio::time::timeout(timeout, destination.deliver(attempt)).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::failed(format!(
                "no answer within {}",
                humantime::format_duration(timeout)
            )),
        }
    });
    under_way.entries.insert(handle.id(), entry.seq);
}

impl Spool {
    /// One turn of the worker in one transaction: records `results`, then reads up to
    /// `limit` due entries and when the next falls due.
    async fn turn(
        &self,
        results: Vec<(i64, Ended)>,
        now: u64,
        limit: usize,
    ) -> Result<(Vec<Due>, Option<u64>), String> {
        let schedule: RetrySchedule = self.inner.config.retry_schedule.clone();
        let access = if results.is_empty() {
            Access::Read
        } else {
            Access::WriteUnsynced
        };
        let (states, due) = self
            .inner
            .store
            .write(access, move |db, memory| {
                let mut states = Vec::with_capacity(results.len());
                for (seq, ended) in &results {
                    if let Some(state) = ops::record(db, memory, *seq, ended, now, &schedule)? {
                        states.push((ended.delivered, state));
                    }
                }
                let due = if limit > 0 {
                    ops::due(db, now, limit)?
                } else {
                    (Vec::new(), None)
                };
                Ok((states, due))
            })
            .await
            .map_err(|fault| fault.0)?;
        for (delivered, state) in states {
            self.inner.count_attempt(delivered, state);
        }
        Ok(due)
    }

    async fn housekeeping(&self, now: u64) {
        let config = &self.inner.config;
        let keep = config.keep_delivered.max(config.dedup_window);
        let before = now.saturating_sub(u64::try_from(keep.as_millis()).unwrap_or(u64::MAX));
        let purged = self
            .inner
            .store
            .write(Access::WriteUnsynced, move |db, memory| {
                let removed = ops::purge(db, memory, EntryState::Delivered, before)?;
                ops::count(db, memory)?;
                Ok(removed)
            })
            .await;
        if let Err(fault) = purged {
            tracing::error!(error = %fault.0, "cannot remove old delivered entries");
        }
    }
}
