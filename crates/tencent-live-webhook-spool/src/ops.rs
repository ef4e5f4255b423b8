//! The spool's SQL: each function runs on the store thread, inside a transaction.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, Row, params};
use tencent_live_webhook::TrustedEnvelope;

use crate::config::RetrySchedule;
use crate::entry::{Appended, AttemptRecord, EntryDetail, EntryState, EntrySummary, Stats};
use crate::error::AppendError;
use crate::memory::{Memory, count, counts};
use crate::recent::Seen;
use crate::values::{app_from_sql, app_to_sql, id_key, int, uint};

/// Whether entry `seq` exists and has this id (a key shared by two ids is not a match).
fn has_id(db: &Connection, seq: i64, id: &str) -> Result<bool, rusqlite::Error> {
    let stored: Option<String> = db
        .prepare_cached("SELECT id FROM entries WHERE seq = ?1")?
        .query_row([seq], |row| row.get(0))
        .optional()?;
    Ok(stored.as_deref() == Some(id))
}

/// The newest entry with this id: from memory for the dedup window, else by reading the
/// file newest first.
fn find(db: &Connection, memory: &Memory, id: &str) -> Result<Option<i64>, rusqlite::Error> {
    let Some(key) = id_key(id) else {
        return Ok(None);
    };
    if let Some(seq) = memory.recent.newest(key)
        && has_id(db, seq, id)?
    {
        return Ok(Some(seq));
    }
    db.prepare_cached(
        "SELECT seq FROM entries WHERE id_key = ?2 AND id = ?1 ORDER BY seq DESC LIMIT 1",
    )?
    .query_row(params![id, key], |row| row.get(0))
    .optional()
}

/// What an append is to store.
pub(crate) struct NewEntry {
    pub(crate) envelope: TrustedEnvelope,
    pub(crate) room: Option<String>,
    pub(crate) dedup_window_ms: u64,
    pub(crate) max_pending: u64,
}

pub(crate) fn append(
    db: &Connection,
    memory: &mut Memory,
    entry: &NewEntry,
) -> Result<Result<Appended, AppendError>, rusqlite::Error> {
    let envelope = &entry.envelope;
    let since = envelope
        .received_at_ms()
        .saturating_sub(entry.dedup_window_ms);
    // An envelope's id is 64 hex digits (checked when it decodes); anything else has no
    // key and cannot be stored.
    let Some(key) = id_key(envelope.id()) else {
        return Ok(Err(AppendError::Unstorable(
            "the id is not hexadecimal".into(),
        )));
    };
    let seen = match memory.recent.since(key, since) {
        Some(seq) => has_id(db, seq, envelope.id())?,
        None => false,
    };
    let id = envelope.id().to_owned();
    if seen {
        return Ok(Ok(Appended {
            id,
            duplicate: true,
        }));
    }
    if memory.pending >= entry.max_pending {
        return Ok(Err(AppendError::Full {
            max_pending: entry.max_pending,
        }));
    }
    // Behind an earlier pending entry of its room, it waits for it.
    let ready = match &entry.room {
        None => true,
        Some(room) => db
            .prepare_cached(ROOM_HAS_PENDING)?
            .query_row([room], |_| Ok(()))
            .optional()?
            .is_none(),
    };
    db.prepare_cached(INSERT)?.execute(params![
        envelope.id(),
        int(envelope.received_at_ms()),
        app_to_sql(envelope.sdk_app_id()),
        envelope.command_word(),
        entry.room,
        envelope.query(),
        envelope.body(),
        ready,
        key,
    ])?;
    memory.recent.insert(
        key,
        Seen {
            seq: db.last_insert_rowid(),
            received_at_ms: envelope.received_at_ms(),
        },
    );
    memory.pending += 1;
    Ok(Ok(Appended {
        id,
        duplicate: false,
    }))
}

/// An entry due for an attempt.
pub(crate) struct Due {
    pub(crate) seq: i64,
    pub(crate) envelope: TrustedEnvelope,
    pub(crate) attempt: u32,
    /// The entries of its room stored after it and due too, in order: each may be handed
    /// over as soon as the one before it was delivered, before that is recorded.
    pub(crate) followers: Vec<Due>,
}

/// Reads `seq, id, received_at_ms, sdkappid, command, query, body, attempts`.
fn due_from_row(row: &Row<'_>) -> Result<Due, rusqlite::Error> {
    Ok(Due {
        seq: row.get(0)?,
        envelope: envelope_from_row(row, 1)?,
        attempt: u32::try_from(row.get::<_, i64>(7)?)
            .unwrap_or(u32::MAX)
            .saturating_add(1),
        followers: Vec::new(),
    })
}

// The statements run for every webhook. SQLite prepares a statement again whenever a new
// value is bound to a parameter its plan may depend on, and rusqlite's statement cache
// unbinds them all after each use; a bare parameter compared in a query with ORDER BY
// (or MIN) is such a parameter, and parsing again costs more than running. So those
// parameters are wrapped in a CAST: the plan stays, the index is still used.
// `every_hot_statement_stays_prepared` checks it.

/// Whether a pending entry of this room is stored (an append behind it waits).
const ROOM_HAS_PENDING: &str = "SELECT 1 FROM entries
    WHERE room = CAST(?1 AS TEXT) AND room IS NOT NULL AND state = 'pending' LIMIT 1";

const INSERT: &str = "INSERT INTO entries (id, id_key, state, received_at_ms, sdkappid, command,
                      room, query, body, ready, next_attempt_at_ms)
    VALUES (?1, ?9, 'pending', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?2)";

const PROMOTE_HEAD: &str = "UPDATE entries SET ready = 1
    WHERE seq = (SELECT MIN(seq) FROM entries
                 WHERE room = CAST(?1 AS TEXT) AND room IS NOT NULL AND state = 'pending')
      AND ready = 0";

const DUE: &str = "SELECT seq, id, received_at_ms, sdkappid, command, query, body, attempts,
        room
    FROM entries
    WHERE state = 'pending' AND ready = 1 AND next_attempt_at_ms <= CAST(?1 AS INTEGER)
    ORDER BY next_attempt_at_ms, seq LIMIT CAST(?2 AS INTEGER)";

/// The pending entries of a room after one, in order, with when each is due.
const FOLLOWERS: &str = "SELECT seq, id, received_at_ms, sdkappid, command, query, body, attempts,
        next_attempt_at_ms
    FROM entries
    WHERE room = CAST(?1 AS TEXT) AND room IS NOT NULL AND state = 'pending'
      AND seq > CAST(?2 AS INTEGER)
    ORDER BY seq LIMIT CAST(?3 AS INTEGER)";

const NEXT_DUE: &str = "SELECT MIN(next_attempt_at_ms) FROM entries
    WHERE state = 'pending' AND ready = 1 AND next_attempt_at_ms > CAST(?1 AS INTEGER)";

const PENDING_ENTRY: &str =
    "SELECT attempts, failures, room FROM entries WHERE seq = ?1 AND state = 'pending'";

const RECORD: &str = "UPDATE entries SET state = ?2, attempts = ?3, failures = ?4,
        next_attempt_at_ms = ?5, last_status = ?6, last_error = ?7, finished_at_ms = ?8
    WHERE seq = ?1";

const RECORD_ATTEMPT: &str = "INSERT OR REPLACE INTO attempts
        (seq, attempt, at_ms, delivered, status, error)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// Marks the oldest pending entry of `room` ready, after an entry of the room finished.
fn promote_head(db: &Connection, room: &str) -> Result<(), rusqlite::Error> {
    db.prepare_cached(PROMOTE_HEAD)?.execute([room])?;
    Ok(())
}

/// Marks the oldest pending entry of `room` ready and every other one not, after an older
/// entry came back to pending (a retry) ahead of one that was ready.
fn refresh_room(db: &Connection, room: &str) -> Result<(), rusqlite::Error> {
    db.prepare_cached(
        "UPDATE entries SET ready = 0
         WHERE room = ?1 AND room IS NOT NULL AND state = 'pending' AND ready = 1
           AND seq <> (SELECT MIN(seq) FROM entries
                        WHERE room = CAST(?1 AS TEXT) AND room IS NOT NULL
                          AND state = 'pending')",
    )?
    .execute([room])?;
    promote_head(db, room)
}

/// Up to `wanted` ready pending entries (no earlier pending entry in their room) whose
/// time has come and that are not `under_way`, oldest due first, each with up to
/// `followers` of its room's next entries whose time has come too and that are not under
/// way; and when the next later one falls due.
pub(crate) fn due(
    db: &Connection,
    now_ms: u64,
    wanted: usize,
    under_way: &HashSet<i64>,
    followers: usize,
) -> Result<(Vec<Due>, Option<u64>), rusqlite::Error> {
    // Entries under way are ready heads too (at most one a room): read enough to pass them.
    let limit = wanted.saturating_add(under_way.len());
    let mut statement = db.prepare_cached(DUE)?;
    let rows = statement.query_map(
        params![int(now_ms), i64::try_from(limit).unwrap_or(i64::MAX)],
        |row| Ok((due_from_row(row)?, row.get::<_, Option<String>>(8)?)),
    )?;
    let mut due = Vec::with_capacity(wanted);
    for row in rows {
        let (mut head, room) = row?;
        if under_way.contains(&head.seq) {
            continue;
        }
        if let Some(room) = room
            && followers > 0
        {
            head.followers = room_followers(db, &room, head.seq, now_ms, followers)?;
            // A follower still under way (in an earlier chain) ends this one.
            if let Some(stop) = head
                .followers
                .iter()
                .position(|follower| under_way.contains(&follower.seq))
            {
                head.followers.truncate(stop);
            }
        }
        due.push(head);
        if due.len() == wanted {
            break;
        }
    }
    let next: Option<i64> = db
        .prepare_cached(NEXT_DUE)?
        .query_row([int(now_ms)], |row| row.get(0))?;
    Ok((due, next.map(uint)))
}

/// The entries of `room` after `seq`, in order, up to the first not due yet.
fn room_followers(
    db: &Connection,
    room: &str,
    seq: i64,
    now_ms: u64,
    limit: usize,
) -> Result<Vec<Due>, rusqlite::Error> {
    let mut statement = db.prepare_cached(FOLLOWERS)?;
    let rows = statement.query_map(
        params![room, seq, i64::try_from(limit).unwrap_or(i64::MAX)],
        |row| Ok((due_from_row(row)?, uint(row.get(8)?))),
    )?;
    let mut followers = Vec::new();
    for row in rows {
        let (follower, due_at) = row?;
        if due_at > now_ms {
            break;
        }
        followers.push(follower);
    }
    Ok(followers)
}

/// Reads `id, received_at_ms, sdkappid, command, query, body` from `first` on.
fn envelope_from_row(row: &Row<'_>, first: usize) -> Result<TrustedEnvelope, rusqlite::Error> {
    Ok(TrustedEnvelope::from_stored(
        row.get(first)?,
        uint(row.get(first + 1)?),
        app_from_sql(row.get(first + 2)?),
        row.get(first + 3)?,
        row.get(first + 4)?,
        row.get(first + 5)?,
    ))
}

/// How an attempt ended.
pub(crate) struct Ended {
    pub(crate) delivered: bool,
    pub(crate) status: Option<u16>,
    pub(crate) error: Option<String>,
}

/// Records attempts, in order: each entry delivered, retried later, or dead. Returns,
/// for each entry still pending before, whether its attempt delivered and its state now.
pub(crate) fn record_all(
    db: &Connection,
    memory: &mut Memory,
    results: &[(i64, Ended)],
    now_ms: u64,
    schedule: &RetrySchedule,
) -> Result<Vec<(bool, EntryState)>, rusqlite::Error> {
    let mut states = Vec::with_capacity(results.len());
    // A room whose entries finished gets its next one ready once, after all of them (a
    // run of one room's entries is recorded together).
    let mut rooms: Vec<String> = Vec::new();
    for (seq, ended) in results {
        if let Some((state, room)) = record(db, memory, *seq, ended, now_ms, schedule)? {
            states.push((ended.delivered, state));
            if state != EntryState::Pending
                && let Some(room) = room
                && !rooms.contains(&room)
            {
                rooms.push(room);
            }
        }
    }
    for room in &rooms {
        promote_head(db, room)?;
    }
    Ok(states)
}

/// Records an attempt of entry `seq`. Returns the state it is now in and its room
/// (`None` if the entry is gone or no longer pending).
fn record(
    db: &Connection,
    memory: &mut Memory,
    seq: i64,
    outcome: &Ended,
    now_ms: u64,
    schedule: &RetrySchedule,
) -> Result<Option<(EntryState, Option<String>)>, rusqlite::Error> {
    let current: Option<(i64, i64, Option<String>)> = db
        .prepare_cached(PENDING_ENTRY)?
        .query_row([seq], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    let Some((attempts, failures, room)) = current else {
        return Ok(None);
    };
    let attempts = attempts.saturating_add(1);
    let (state, failures, next) = if outcome.delivered {
        (EntryState::Delivered, failures, now_ms)
    } else {
        let failures = failures.saturating_add(1);
        let count = u32::try_from(failures).unwrap_or(u32::MAX);
        match schedule.after_failure(count) {
            Some(delay) => {
                let delay = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                (EntryState::Pending, failures, now_ms.saturating_add(delay))
            }
            None => (EntryState::Dead, failures, now_ms),
        }
    };
    let finished = (state != EntryState::Pending).then_some(int(now_ms));
    db.prepare_cached(RECORD)?.execute(params![
        seq,
        state.as_str(),
        attempts,
        failures,
        int(next),
        outcome.status,
        outcome.error,
        finished,
    ])?;
    record_attempt(db, seq, attempts, outcome, now_ms)?;
    match state {
        EntryState::Pending => {}
        EntryState::Delivered => memory.pending = memory.pending.saturating_sub(1),
        EntryState::Dead => {
            memory.pending = memory.pending.saturating_sub(1);
            memory.dead += 1;
        }
    }
    Ok(Some((state, room)))
}

/// Records a failed probe of entry `seq`: in its history and its attempt count, but not
/// in its failures, so its schedule (next attempt, when it dies) is unchanged.
pub(crate) fn record_failed_probe(
    db: &Connection,
    seq: i64,
    outcome: &Ended,
    now_ms: u64,
) -> Result<(), rusqlite::Error> {
    let current: Option<i64> = db
        .prepare_cached(PENDING_ENTRY)?
        .query_row([seq], |row| row.get(0))
        .optional()?;
    let Some(attempts) = current else {
        return Ok(());
    };
    let attempts = attempts.saturating_add(1);
    db.prepare_cached(
        "UPDATE entries SET attempts = ?2, last_status = ?3, last_error = ?4
         WHERE seq = ?1 AND state = 'pending'",
    )?
    .execute(params![seq, attempts, outcome.status, outcome.error])?;
    record_attempt(db, seq, attempts, outcome, now_ms)
}

/// Adds attempt number `attempt` of entry `seq` to its history.
fn record_attempt(
    db: &Connection,
    seq: i64,
    attempt: i64,
    outcome: &Ended,
    now_ms: u64,
) -> Result<(), rusqlite::Error> {
    db.prepare_cached(RECORD_ATTEMPT)?.execute(params![
        seq,
        attempt,
        int(now_ms),
        outcome.delivered,
        outcome.status,
        outcome.error,
    ])?;
    Ok(())
}

pub(crate) fn stats(db: &Connection, now_ms: u64) -> Result<Stats, rusqlite::Error> {
    let (pending, dead) = counts(db)?;
    let delivered: i64 = db
        .prepare_cached(
            "SELECT COUNT(*) FROM entries WHERE finished_at_ms IS NOT NULL AND state = 'delivered'",
        )?
        .query_row([], |row| row.get(0))?;
    let oldest: Option<i64> = db
        .prepare_cached("SELECT MIN(received_at_ms) FROM entries WHERE state = 'pending'")?
        .query_row([], |row| row.get(0))?;
    Ok(Stats {
        pending,
        delivered: uint(delivered),
        dead,
        oldest_pending_age_s: oldest.map_or(0, |oldest| now_ms.saturating_sub(uint(oldest)) / 1000),
    })
}

const SUMMARY_COLUMNS: &str = "id, state, command, sdkappid, room, received_at_ms, attempts,
    last_status, last_error, next_attempt_at_ms";

fn summary_from_row(row: &Row<'_>) -> Result<EntrySummary, rusqlite::Error> {
    let state: String = row.get(1)?;
    let state = state.parse::<EntryState>().map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(error))
    })?;
    let last_status: Option<i64> = row.get(7)?;
    Ok(EntrySummary {
        id: row.get(0)?,
        state,
        command: row.get(2)?,
        sdkappid: app_from_sql(row.get(3)?),
        room: row.get(4)?,
        received_at_ms: uint(row.get(5)?),
        attempts: u32::try_from(row.get::<_, i64>(6)?).unwrap_or(u32::MAX),
        last_status: last_status.and_then(|status| u16::try_from(status).ok()),
        last_error: row.get(8)?,
        next_attempt_at_ms: (state == EntryState::Pending).then(|| uint(row.get(9).unwrap_or(0))),
    })
}

/// The newest entries first, of one state or all.
pub(crate) fn list(
    db: &Connection,
    state: Option<EntryState>,
    limit: usize,
) -> Result<Vec<EntrySummary>, rusqlite::Error> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM entries WHERE ?1 IS NULL OR state = ?1
         ORDER BY seq DESC LIMIT ?2"
    );
    let mut statement = db.prepare_cached(&sql)?;
    let rows = statement.query_map(params![state.map(EntryState::as_str), limit], |row| {
        summary_from_row(row)
    })?;
    rows.collect()
}

/// The newest entry with this id, with its query, body and attempts.
pub(crate) fn show(
    db: &Connection,
    memory: &Memory,
    id: &str,
) -> Result<Option<EntryDetail>, rusqlite::Error> {
    let Some(seq) = find(db, memory, id)? else {
        return Ok(None);
    };
    let sql = format!("SELECT {SUMMARY_COLUMNS}, query, body FROM entries WHERE seq = ?1");
    let (summary, query, body) = db.prepare_cached(&sql)?.query_row([seq], |row| {
        Ok((
            summary_from_row(row)?,
            row.get::<_, String>(10)?,
            row.get::<_, String>(11)?,
        ))
    })?;
    let mut statement = db.prepare_cached(
        "SELECT attempt, at_ms, delivered, status, error FROM attempts WHERE seq = ?1
         ORDER BY attempt",
    )?;
    let history = statement
        .query_map([seq], |row| {
            let status: Option<i64> = row.get(3)?;
            Ok(AttemptRecord {
                attempt: u32::try_from(row.get::<_, i64>(0)?).unwrap_or(u32::MAX),
                at_ms: uint(row.get(1)?),
                delivered: row.get(2)?,
                status: status.and_then(|status| u16::try_from(status).ok()),
                error: row.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(EntryDetail {
        summary,
        query,
        body,
        history,
    }))
}

/// Puts the newest entry of each id back to pending, due now, with a fresh schedule; or,
/// when any id matches no entry, changes nothing and returns those ids.
pub(crate) fn retry(
    db: &Connection,
    memory: &mut Memory,
    ids: &[String],
    now_ms: u64,
) -> Result<Result<(), Vec<String>>, rusqlite::Error> {
    let mut missing = Vec::new();
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        match find(db, memory, id)? {
            Some(seq) => found.push(seq),
            None => missing.push(id.clone()),
        }
    }
    if !missing.is_empty() {
        return Ok(Err(missing));
    }
    for seq in found {
        db.prepare_cached(
            "UPDATE entries SET state = 'pending', failures = 0, next_attempt_at_ms = ?2,
                        finished_at_ms = NULL
                 WHERE seq = ?1",
        )?
        .execute(params![seq, int(now_ms)])?;
    }
    count(db, memory)?;
    Ok(Ok(()))
}

/// Makes every pending entry due now (their schedules go on from there). Returns how
/// many were waiting for a later time.
pub(crate) fn pending_due_now(db: &Connection, now_ms: u64) -> Result<u64, rusqlite::Error> {
    let changed = db
        .prepare_cached(
            "UPDATE entries SET next_attempt_at_ms = ?1
             WHERE state = 'pending' AND next_attempt_at_ms > ?1",
        )?
        .execute([int(now_ms)])?;
    Ok(u64::try_from(changed).unwrap_or(u64::MAX))
}

/// Puts every dead entry back to pending, due now. Returns how many.
pub(crate) fn retry_dead(
    db: &Connection,
    memory: &mut Memory,
    now_ms: u64,
) -> Result<u64, rusqlite::Error> {
    let rooms = db
        .prepare_cached(
            "SELECT DISTINCT room FROM entries WHERE state = 'dead' AND room IS NOT NULL",
        )?
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let changed = db
        .prepare_cached(
            "UPDATE entries SET state = 'pending', failures = 0, next_attempt_at_ms = ?1,
                    finished_at_ms = NULL
             WHERE state = 'dead'",
        )?
        .execute([int(now_ms)])?;
    for room in rooms {
        refresh_room(db, &room)?;
    }
    count(db, memory)?;
    Ok(u64::try_from(changed).unwrap_or(u64::MAX))
}

/// Removes delivered or dead entries that finished before `before_ms`, with their
/// attempts. Returns how many.
pub(crate) fn purge(
    db: &Connection,
    memory: &mut Memory,
    state: EntryState,
    before_ms: u64,
) -> Result<u64, rusqlite::Error> {
    db.prepare_cached(
        "DELETE FROM attempts WHERE seq IN
            (SELECT seq FROM entries
             WHERE finished_at_ms IS NOT NULL AND finished_at_ms < ?2 AND state = ?1)",
    )?
    .execute(params![state.as_str(), int(before_ms)])?;
    let removed = db
        .prepare_cached(
            "DELETE FROM entries
             WHERE finished_at_ms IS NOT NULL AND finished_at_ms < ?2 AND state = ?1",
        )?
        .execute(params![state.as_str(), int(before_ms)])?;
    count(db, memory)?;
    Ok(u64::try_from(removed).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use rusqlite::StatementStatus;

    use super::*;
    use crate::recent::Recent;

    fn envelope(n: u64) -> TrustedEnvelope {
        TrustedEnvelope::from_stored(
            format!("{n:064x}"),
            1_000 + n,
            1_400_000_000,
            "Live.CallbackAfterDestroyRoom".into(),
            "sdkappid=1400000000".into(),
            format!(r#"{{"RoomId":"r{}"}}"#, n % 3),
        )
    }

    #[test]
    fn every_hot_statement_stays_prepared() {
        let db = Connection::open_in_memory().unwrap();
        db.set_prepared_statement_cache_capacity(64);
        db.execute_batch(crate::store::SCHEMA).unwrap();
        let mut memory = Memory {
            pending: 0,
            dead: 0,
            recent: Recent::new(60_000),
        };
        let schedule = RetrySchedule::default();
        for n in 0..30 {
            let entry = NewEntry {
                envelope: envelope(n),
                room: Some(format!("r{}", n % 3)),
                dedup_window_ms: 60_000,
                max_pending: 1_000,
            };
            append(&db, &mut memory, &entry).unwrap().unwrap();
            // Every new value of every parameter: a duplicate, then the next turn.
            append(&db, &mut memory, &entry).unwrap().unwrap();
            let (due, _) = due(&db, 2_000 + n, 5, &HashSet::new(), 4).unwrap();
            let results: Vec<(i64, Ended)> = due
                .iter()
                .enumerate()
                .map(|(k, entry)| {
                    let outcome = Ended {
                        delivered: k % 2 == 0,
                        status: Some(200),
                        error: None,
                    };
                    (entry.seq, outcome)
                })
                .collect();
            record_all(&db, &mut memory, &results, 2_000 + n, &schedule).unwrap();
        }
        assert!(memory.pending < 30, "the turns delivered");
        for sql in [
            ROOM_HAS_PENDING,
            INSERT,
            PROMOTE_HEAD,
            DUE,
            FOLLOWERS,
            NEXT_DUE,
            PENDING_ENTRY,
            RECORD,
            RECORD_ATTEMPT,
        ] {
            let statement = db.prepare_cached(sql).unwrap();
            assert_eq!(
                statement.get_status(StatementStatus::RePrepare),
                0,
                "prepared again: {sql}"
            );
            assert!(
                statement.get_status(StatementStatus::VmStep) > 0,
                "never run: {sql}"
            );
        }
    }
}
