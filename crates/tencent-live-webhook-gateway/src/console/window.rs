//! The console's memory: the last webhooks with the answer each got, small records of
//! the last refusals, and how many arrived each minute of the last hour, by command.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use tencent_live_webhook::{Decoded, Family, Notification};
use tencent_live_webhook_adapter::RefusedRequest;

use super::WINDOW;
use super::state::{Seen, WindowState};
use crate::answer::Answer;
use crate::outputs::Went;

/// Minutes of history the chart shows.
const MINUTES: usize = 60;

/// Refusals remembered: their own ring, so forged traffic cannot push webhooks out.
pub(crate) const REFUSALS: usize = 200;

/// Bytes of a refused request's path kept.
const PATH_SHOWN: usize = 128;

/// One webhook as it was answered (the same fields as a spool's entry, and what the
/// answer decided).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Record {
    /// Its place in the order of arrival here; opens it in the console.
    pub(crate) seen: u64,
    pub(crate) id: String,
    pub(crate) state: WindowState,
    pub(crate) command: String,
    pub(crate) sdkappid: u64,
    pub(crate) room: Option<String>,
    pub(crate) received_at_ms: u64,
    pub(crate) attempts: u32,
    pub(crate) last_status: Option<u16>,
    pub(crate) last_error: Option<String>,
    /// Where it went: `spool`, `broker`, `app`, `output`, or `nowhere`.
    pub(crate) went: &'static str,
    /// Who made the answer: the app, or the gateway itself.
    pub(crate) answered_by: &'static str,
    /// What the answer decided, for a callback that blocks (a gift, a message).
    pub(crate) decision: Option<String>,
    /// What was received, shared with the pipeline rather than copied.
    #[serde(skip)]
    pub(crate) notification: Arc<Notification>,
}

impl Record {
    /// A notification that got `answer`, having gone where `went` says.
    pub(crate) fn answered(notification: Arc<Notification>, answer: &Answer, went: Went) -> Record {
        let state = WindowState::of(answer.status, went);
        let decision = match notification.decoded() {
            Decoded::Live(webhook) => {
                crate::decision::decision(webhook.command(), answer.status, &answer.body)
            }
            Decoded::Trtc(_) => None,
        };
        Record {
            seen: 0,
            id: notification.id().to_owned(),
            state,
            command: notification.command_word().to_owned(),
            sdkappid: notification.sdk_app_id(),
            room: notification.room(),
            received_at_ms: notification.received_at_ms(),
            attempts: 1,
            last_status: Some(answer.status),
            last_error: (answer.status != 200).then(|| answer.body.clone()),
            went: went.as_str(),
            answered_by: went.answered_by(),
            decision,
            notification,
        }
    }
}

/// A refused request, kept small: when, the answer, why, and what it claimed to be;
/// never its query, token or body.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Refusal {
    pub(crate) seen: u64,
    pub(crate) state: WindowState,
    pub(crate) received_at_ms: u64,
    /// `Live webhook`, `TRTC callback`, or `request` (not a webhook at all).
    pub(crate) what: &'static str,
    /// The command word its query names, if it names one.
    pub(crate) command: String,
    pub(crate) last_status: Option<u16>,
    /// Why it was refused.
    pub(crate) last_error: Option<String>,
    pub(crate) client: Option<String>,
    /// The path, for a request that was not a webhook.
    pub(crate) path: Option<String>,
}

impl Refusal {
    /// A refusal at `now_ms` with this status and reason.
    pub(crate) fn new(now_ms: u64, what: &'static str, status: u16, reason: String) -> Refusal {
        Refusal {
            seen: 0,
            state: WindowState::Refused,
            received_at_ms: now_ms,
            what,
            command: String::new(),
            last_status: Some(status),
            last_error: Some(reason),
            client: None,
            path: None,
        }
    }

    /// The record of a request the receiver refused, at `now_ms`.
    pub(crate) fn of(request: &RefusedRequest<'_>, now_ms: u64) -> Refusal {
        let what = match request.family {
            Family::Live => "Live webhook",
            Family::Trtc => "TRTC callback",
        };
        let mut refusal = Refusal::new(
            now_ms,
            what,
            request.rejection.status(),
            request.rejection.to_string(),
        );
        if let Some(command) = request.command {
            command.as_str().clone_into(&mut refusal.command);
        }
        refusal.client = request.client.map(|client| client.to_string());
        refusal
    }

    /// With the path the request asked for (its start only).
    pub(crate) fn path(mut self, path: &str) -> Refusal {
        let mut end = path.len().min(PATH_SHOWN);
        while !path.is_char_boundary(end) {
            end -= 1;
        }
        self.path = Some(path[..end].to_owned());
        self
    }
}

/// A row of the console's list: a webhook or a refusal, the newest first.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum Row {
    Webhook(Record),
    Refusal(Refusal),
}

impl Row {
    pub(crate) fn received_at_ms(&self) -> u64 {
        match self {
            Row::Webhook(record) => record.received_at_ms,
            Row::Refusal(refusal) => refusal.received_at_ms,
        }
    }

    fn seen(&self) -> u64 {
        match self {
            Row::Webhook(record) => record.seen,
            Row::Refusal(refusal) => refusal.seen,
        }
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
    refusals: VecDeque<Refusal>,
    minutes: VecDeque<Minute>,
    received: u64,
    refused: u64,
    seen: u64,
}

impl Inner {
    fn next_seen(&mut self) -> u64 {
        self.seen += 1;
        self.seen
    }
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
    pub(crate) fn push(&self, mut record: Record) {
        self.with(|inner| {
            inner.received += 1;
            record.seen = inner.next_seen();
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

    /// A request was refused (counted; its record, when there is one, comes through
    /// [`Window::remember_refusal`]).
    pub(crate) fn refused(&self, now_ms: u64) {
        self.with(|inner| {
            inner.refused += 1;
            minute(inner, now_ms).refused += 1;
        });
    }

    /// Keeps the record of a refusal, the oldest forgotten past [`REFUSALS`].
    pub(crate) fn remember_refusal(&self, mut refusal: Refusal) {
        self.with(|inner| {
            refusal.seen = inner.next_seen();
            if inner.refusals.len() == REFUSALS {
                inner.refusals.pop_front();
            }
            inner.refusals.push_back(refusal);
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

    /// The newest rows first: webhooks and refusals of `state` (any but
    /// [`WindowState::Spooled`] when `None`: those the spool lists), of `command`.
    pub(crate) fn list(
        &self,
        command: Option<&str>,
        state: Option<WindowState>,
        limit: usize,
    ) -> Vec<Row> {
        let wanted = |row_command: &str, row_state: WindowState| {
            command.is_none_or(|command| row_command == command)
                && match state {
                    Some(state) => row_state == state,
                    None => row_state != WindowState::Spooled,
                }
        };
        self.with(|inner| {
            let records = inner.records.iter().rev();
            let refusals = inner.refusals.iter().rev();
            let mut rows: Vec<Row> = records
                .filter(|record| wanted(&record.command, record.state))
                .take(limit)
                .cloned()
                .map(Row::Webhook)
                .chain(
                    refusals
                        .filter(|refusal| wanted(&refusal.command, refusal.state))
                        .take(limit)
                        .cloned()
                        .map(Row::Refusal),
                )
                .collect();
            rows.sort_by_key(|row| std::cmp::Reverse(row.seen()));
            rows.truncate(limit);
            rows
        })
    }

    /// One row by the number it was seen as.
    pub(crate) fn seen(&self, seen: Seen) -> Option<Row> {
        self.with(|inner| {
            if let Some(record) = inner.records.iter().find(|record| record.seen == seen.0) {
                return Some(Row::Webhook(record.clone()));
            }
            inner
                .refusals
                .iter()
                .find(|refusal| refusal.seen == seen.0)
                .cloned()
                .map(Row::Refusal)
        })
    }

    /// One webhook by id, the newest if it came more than once.
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
