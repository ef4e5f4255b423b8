//! The console's memory: the last webhooks, and how many arrived each minute of the last
//! hour, by command, with the refusals.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use tencent_live_webhook::Notification;

use super::WINDOW;

/// Minutes of history the chart shows.
const MINUTES: usize = 60;

/// One webhook as the console shows it without a spool (the same fields as a spool's
/// entry).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Record {
    pub(crate) id: String,
    /// `answered` (200) or `failed` (any other answer).
    pub(crate) state: &'static str,
    pub(crate) command: String,
    pub(crate) sdkappid: u64,
    pub(crate) room: Option<String>,
    pub(crate) received_at_ms: u64,
    pub(crate) attempts: u32,
    pub(crate) last_status: Option<u16>,
    pub(crate) last_error: Option<String>,
    /// What was received, shared with the pipeline rather than copied.
    #[serde(skip)]
    pub(crate) notification: Arc<Notification>,
}

impl Record {
    /// A notification just received, as the console lists it.
    pub(crate) fn received(notification: Arc<Notification>) -> Record {
        Record {
            id: notification.id().to_owned(),
            state: "answered",
            command: notification.command_word().to_owned(),
            sdkappid: notification.sdk_app_id(),
            room: notification.room(),
            received_at_ms: notification.received_at_ms(),
            attempts: 1,
            last_status: None,
            last_error: None,
            notification,
        }
    }

    /// The record with the answer the webhook got.
    pub(crate) fn answered(mut self, answer: &crate::answer::Answer) -> Record {
        self.last_status = Some(answer.status);
        if answer.status != 200 {
            self.state = "failed";
            self.last_error = Some(answer.body.clone());
        }
        self
    }
}

/// Counts of one minute.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Minute {
    /// Unix milliseconds of the minute's start.
    pub(crate) start_ms: u64,
    /// Webhooks by command word.
    pub(crate) counts: BTreeMap<String, u64>,
    /// Refused requests.
    pub(crate) refused: u64,
}

#[derive(Debug, Default)]
struct Inner {
    records: VecDeque<Record>,
    minutes: VecDeque<Minute>,
    received: u64,
    refused: u64,
}

/// Shared between the request handlers and the console's API.
#[derive(Debug, Default)]
pub(crate) struct Window {
    inner: Mutex<Inner>,
}

impl Window {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        // Counters and records only: a panic elsewhere leaves nothing half-done to fear.
        f(&mut self.inner.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// A webhook was answered.
    pub(crate) fn push(&self, record: Record) {
        self.with(|inner| {
            inner.received += 1;
            minute(inner, record.received_at_ms)
                .counts
                .entry(record.command.clone())
                .and_modify(|count| *count += 1)
                .or_insert(1);
            if inner.records.len() == WINDOW {
                inner.records.pop_front();
            }
            inner.records.push_back(record);
        });
    }

    /// A request was refused.
    pub(crate) fn refused(&self, now_ms: u64) {
        self.with(|inner| {
            inner.refused += 1;
            minute(inner, now_ms).refused += 1;
        });
    }

    /// Received and refused so far.
    pub(crate) fn totals(&self) -> (u64, u64) {
        self.with(|inner| (inner.received, inner.refused))
    }

    /// The last hour, minute by minute, oldest first (minutes without traffic left out).
    pub(crate) fn minutes(&self, now_ms: u64) -> Vec<Minute> {
        let since = now_ms.saturating_sub(60 * 60_000);
        self.with(|inner| {
            inner
                .minutes
                .iter()
                .filter(|minute| minute.start_ms >= since)
                .cloned()
                .collect()
        })
    }

    /// The newest records first, filtered.
    pub(crate) fn list(
        &self,
        command: Option<&str>,
        state: Option<&str>,
        limit: usize,
    ) -> Vec<Record> {
        self.with(|inner| {
            inner
                .records
                .iter()
                .rev()
                .filter(|record| command.is_none_or(|command| record.command == command))
                .filter(|record| state.is_none_or(|state| state == "all" || record.state == state))
                .take(limit)
                .cloned()
                .collect()
        })
    }

    /// One record by id, the newest if it came more than once.
    pub(crate) fn find(&self, id: &str) -> Option<Record> {
        self.with(|inner| {
            inner
                .records
                .iter()
                .rev()
                .find(|record| record.id == id)
                .cloned()
        })
    }
}

/// The bucket of the minute of `at_ms`, made when missing; old ones dropped.
fn minute(inner: &mut Inner, at_ms: u64) -> &mut Minute {
    let start = at_ms - at_ms % 60_000;
    if inner
        .minutes
        .back()
        .is_none_or(|last| last.start_ms < start)
    {
        if inner.minutes.len() == MINUTES {
            inner.minutes.pop_front();
        }
        inner.minutes.push_back(Minute {
            start_ms: start,
            ..Minute::default()
        });
    }
    // A clock stepping back counts in the newest minute at or before it, or the oldest.
    let index = inner
        .minutes
        .iter()
        .rposition(|minute| minute.start_ms <= start)
        .unwrap_or(0);
    &mut inner.minutes[index]
}
