//! The delivery worker: hands due entries to a destination, at most `concurrency` rooms
//! (or entries without a room) at a time, one room's entries in order, and records each
//! attempt.
//!
//! Each turn of its loop is one job on the store thread: the results of the attempts
//! that ended since the last turn are recorded and the next due entries read in the same
//! transaction, so the store's work grows with the turns, not with the webhooks. An entry
//! handed over comes with the next entries of its room (a chain): each is handed over as
//! soon as the one before it was delivered, so a busy room is not held to one webhook per
//! turn. Results are recorded in order, and an attempt lost to a crash before its record
//! is made again (at least once).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::task::{Id, JoinError, JoinSet};

use crate::Spool;
use crate::destination::{Attempt, Destination, Outcome};
use crate::ops::{self, Due, Ended};
use crate::outage::{Change, Outage, Tally};
use crate::store::Access;
use crate::{EntryState, config::RetrySchedule};

/// How often delivered entries past their keeping time are removed.
const HOUSEKEEPING: Duration = Duration::from_secs(60);

/// Least time between two turns: what happens meanwhile (appends, chains that end) shares
/// the next turn's transaction instead of each waking a turn of its own.
const TURN_GAP: Duration = Duration::from_millis(2);

/// After the store fails, how long to wait before asking again.
const STORE_RETRY: Duration = Duration::from_secs(1);

/// Entries of one room after the one handed over that may follow it in its chain.
const CHAIN: usize = 32;

/// The chains under way: their tasks and entries.
struct UnderWay {
    tasks: JoinSet<()>,
    chains: HashMap<Id, Chain>,
}

/// Entries handed over one after the other by one task.
struct Chain {
    /// In order.
    seqs: Vec<i64>,
    /// How the attempts made so far went, in order: written by the task as it goes, so
    /// that a panic or a stop loses none.
    outcomes: Arc<Mutex<Vec<Outcome>>>,
}

impl Chain {
    /// The entries attempted, and how (those after a failure were not attempted).
    fn end(self, failure: Option<&str>) -> Vec<(i64, Ended)> {
        let mut outcomes =
            std::mem::take(&mut *self.outcomes.lock().unwrap_or_else(PoisonError::into_inner));
        if let Some(failure) = failure
            && outcomes.len() < self.seqs.len()
        {
            outcomes.push(Outcome::failed(failure));
        }
        self.seqs
            .into_iter()
            .zip(outcomes.into_iter().map(ended))
            .collect()
    }
}

impl UnderWay {
    fn len(&self) -> usize {
        self.chains.len()
    }

    /// Every entry of the chains under way: none may be handed over again meanwhile. (An
    /// entry whose chain ended is recorded before the next due entries are read.)
    fn entries(&self) -> HashSet<i64> {
        self.chains
            .values()
            .flat_map(|chain| chain.seqs.iter().copied())
            .collect()
    }

    /// The results of a task that ended (a task that panicked failed its current attempt).
    fn ended(&mut self, joined: Result<Id, JoinError>) -> Option<Vec<(i64, Ended)>> {
        let (id, failure) = match joined {
            Ok(id) => (id, None),
            Err(error) => (error.id(), Some("the destination panicked")),
        };
        Some(self.chains.remove(&id)?.end(failure))
    }

    /// The chains stopped before their end: what they did.
    fn stopped(&mut self) -> impl Iterator<Item = Vec<(i64, Ended)>> {
        self.chains.drain().map(|(_, chain)| chain.end(None))
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
        chains: HashMap::new(),
    };
    let mut finished: Vec<(i64, Ended)> = Vec::new();
    let mut stop = std::pin::pin!(stop);
    let mut last_housekeeping: Option<tokio::time::Instant> = None;
    let mut last_turn = tokio::time::Instant::now();
    let mut outage = Outage::new(destination.describe());
    // When an attempt last ended or a probe was last made (the first probe goes at once).
    let mut last_try = tokio::time::Instant::now()
        .checked_sub(config.probe_interval)
        .unwrap_or_else(tokio::time::Instant::now);
    loop {
        let now = (config.clock)();
        if last_housekeeping.is_none_or(|last| last.elapsed() >= HOUSEKEEPING) {
            last_housekeeping = Some(tokio::time::Instant::now());
            spool.housekeeping(now).await;
        }
        let free = config.concurrency.saturating_sub(under_way.len());
        let mut wait = config.poll_interval;
        if !finished.is_empty() || free > 0 {
            let results = std::mem::take(&mut finished);
            let mut tally = Tally::default();
            for (_, ended) in &results {
                tally.add(ended.delivered, ended.status, ended.error.as_deref());
            }
            if !results.is_empty() {
                last_try = tokio::time::Instant::now();
            }
            last_turn = tokio::time::Instant::now();
            let turned = spool.turn(results, now, free, under_way.entries()).await;
            if turned.is_ok()
                && let Change::Recovered = outage.observe(tally, spool.counters().pending)
            {
                // What waited for its next slot is due now, still room by room.
                if let Err(error) = spool.retry_pending().await {
                    tracing::error!(%error, "cannot make the waiting webhooks due");
                }
            }
            match turned {
                Ok((due, next)) => {
                    for entry in due {
                        start(&mut under_way, &destination, entry, config.delivery_timeout);
                    }
                    if let Some(next) = next {
                        let until = Duration::from_millis(next.saturating_sub(now));
                        wait = wait.min(until.max(Duration::from_millis(1)));
                    }
                }
                Err(fault) => {
                    // The results are lost: those entries stay pending and are tried again.
                    tracing::error!(error = %fault, "cannot use the spool");
                    wait = wait.max(STORE_RETRY);
                }
            }
        }
        if outage.probing() && under_way.len() == 0 && finished.is_empty() {
            let probe_in = config.probe_interval.saturating_sub(last_try.elapsed());
            if probe_in.is_zero() {
                last_try = tokio::time::Instant::now();
                let probed = tokio::select! {
                    () = &mut stop => break,
                    probed = probe(spool, &destination, config.delivery_timeout) => probed,
                };
                match probed {
                    Some((seq, Outcome::Delivered { status })) => {
                        // Recorded with the next turn, which sees the recovery.
                        finished.push((seq, ended(Outcome::Delivered { status })));
                        continue;
                    }
                    Some((seq, Outcome::Failed { status, error })) => {
                        // In the entry's history, not held against its schedule.
                        spool
                            .inner
                            .failed
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let mut tally = Tally::default();
                        tally.add(false, status, Some(&error));
                        let ended = Ended {
                            delivered: false,
                            status,
                            error: Some(error),
                        };
                        if let Err(fault) = spool.failed_probe(seq, ended, (config.clock)()).await {
                            tracing::error!(error = %fault, "cannot use the spool");
                        }
                        outage.observe(tally, spool.counters().pending);
                    }
                    None => outage.nothing_waits(),
                }
                wait = wait.min(config.probe_interval);
            } else {
                wait = wait.min(probe_in);
            }
        }
        tokio::select! {
            () = &mut stop => break,
            Some(joined) = under_way.tasks.join_next_with_id() => {
                collect(&mut under_way, Some(joined), &mut finished);
            }
            () = spool.inner.appended.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
        let gap = TURN_GAP.saturating_sub(last_turn.elapsed());
        if !gap.is_zero() {
            tokio::select! {
                () = &mut stop => break,
                () = tokio::time::sleep(gap) => {}
            }
        }
        // Every other chain that ended meanwhile goes into the same turn.
        collect(&mut under_way, None, &mut finished);
    }
    // Attempts under way may finish within the delivery timeout; what does not is tried
    // again at the next start (at least once).
    let deadline = tokio::time::Instant::now() + config.delivery_timeout;
    while !under_way.tasks.is_empty() {
        match tokio::time::timeout_at(deadline, under_way.tasks.join_next_with_id()).await {
            Ok(Some(joined)) => {
                finished.extend(
                    under_way
                        .ended(joined.map(|(id, ())| id))
                        .into_iter()
                        .flatten(),
                );
            }
            Ok(None) | Err(_) => break,
        }
    }
    under_way.tasks.abort_all();
    // The attempts that ended in a chain cut short are recorded too.
    finished.extend(under_way.stopped().flatten());
    if !finished.is_empty()
        && let Err(fault) = spool
            .turn(finished, (config.clock)(), 0, HashSet::new())
            .await
    {
        tracing::error!(error = %fault, "cannot record the last delivery attempts");
    }
}

/// Tries the entry due first, whatever its next attempt time, to see whether the
/// destination is back: its entry and how the attempt went (`None` when nothing waits or
/// the store cannot say). The attempt runs in a task of its own, so that a destination
/// that panics fails the probe and nothing else.
async fn probe<D: Destination>(
    spool: &Spool,
    destination: &Arc<D>,
    timeout: Duration,
) -> Option<(i64, Outcome)> {
    let entry = match spool.first_waiting((spool.inner.config.clock)()).await {
        Ok(entry) => entry?,
        Err(fault) => {
            tracing::error!(error = %fault, "cannot use the spool");
            return None;
        }
    };
    let destination = Arc::clone(destination);
    let attempt = Attempt {
        envelope: entry.envelope,
        number: entry.attempt,
    };
    let outcome = tokio::spawn(async move {
        match tokio::time::timeout(timeout, destination.deliver(attempt)).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::failed(format!(
                "no answer within {}",
                humantime::format_duration(timeout)
            )),
        }
    })
    .await
    .unwrap_or_else(|_| Outcome::failed("the destination panicked"));
    Some((entry.seq, outcome))
}

/// Takes in the results of `joined` and of every other chain that has ended.
fn collect(
    under_way: &mut UnderWay,
    mut joined: Option<Result<(Id, ()), JoinError>>,
    finished: &mut Vec<(i64, Ended)>,
) {
    while let Some(one) = joined
        .take()
        .or_else(|| under_way.tasks.try_join_next_with_id())
    {
        finished.extend(
            under_way
                .ended(one.map(|(id, ())| id))
                .into_iter()
                .flatten(),
        );
    }
}

/// Starts the chain of `entry` and its followers: one attempt after the other, each
/// bounded by `timeout`, until one fails.
fn start<D: Destination>(
    under_way: &mut UnderWay,
    destination: &Arc<D>,
    entry: Due,
    timeout: Duration,
) {
    let destination = Arc::clone(destination);
    let mut seqs = Vec::with_capacity(1 + entry.followers.len());
    seqs.push(entry.seq);
    seqs.extend(entry.followers.iter().map(|follower| follower.seq));
    let outcomes = Arc::new(Mutex::new(Vec::with_capacity(seqs.len())));
    let written = Arc::clone(&outcomes);
    let handle = under_way.tasks.spawn(async move {
        let Due {
            envelope,
            attempt,
            followers,
            ..
        } = entry;
        let attempts = std::iter::once((envelope, attempt)).chain(
            followers
                .into_iter()
                .map(|follower| (follower.envelope, follower.attempt)),
        );
        for (envelope, number) in attempts {
            let attempt = Attempt { envelope, number };
            let outcome = match tokio::time::timeout(timeout, destination.deliver(attempt)).await {
                Ok(outcome) => outcome,
                Err(_) => Outcome::failed(format!(
                    "no answer within {}",
                    humantime::format_duration(timeout)
                )),
            };
            let delivered = matches!(outcome, Outcome::Delivered { .. });
            written
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(outcome);
            if !delivered {
                break;
            }
        }
    });
    under_way
        .chains
        .insert(handle.id(), Chain { seqs, outcomes });
}

impl Spool {
    /// One turn of the worker in one transaction: records `results`, then reads up to
    /// `wanted` due entries, none of `under_way` and each with its chain, and when the
    /// next falls due.
    async fn turn(
        &self,
        results: Vec<(i64, Ended)>,
        now: u64,
        wanted: usize,
        under_way: HashSet<i64>,
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
                let states = ops::record_all(db, memory, &results, now, &schedule)?;
                let due = if wanted > 0 {
                    ops::due(db, now, wanted, &under_way, CHAIN)?
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

    /// The ready entry due first, when it is not due yet (one that is due is the
    /// worker's next turn's, not a probe's).
    async fn first_waiting(&self, now: u64) -> Result<Option<Due>, String> {
        self.inner
            .store
            .read(move |db, _| {
                let (due_now, _) = ops::due(db, now, 1, &HashSet::new(), 0)?;
                if !due_now.is_empty() {
                    return Ok(None);
                }
                let (mut first, _) = ops::due(db, u64::MAX, 1, &HashSet::new(), 0)?;
                Ok(first.pop())
            })
            .await
            .map_err(|fault| fault.0)
    }

    /// Records a probe that failed (see [`ops::record_failed_probe`]).
    async fn failed_probe(&self, seq: i64, ended: Ended, now: u64) -> Result<(), String> {
        self.inner
            .store
            .write(Access::WriteUnsynced, move |db, _| {
                ops::record_failed_probe(db, seq, &ended, now)
            })
            .await
            .map_err(|fault| fault.0)
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
                crate::memory::count(db, memory)?;
                Ok(removed)
            })
            .await;
        if let Err(fault) = purged {
            tracing::error!(error = %fault.0, "cannot remove old delivered entries");
        }
    }
}
