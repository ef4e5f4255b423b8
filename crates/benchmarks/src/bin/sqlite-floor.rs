//! The least a durable SQLite spool can cost per webhook on this machine, for comparison
//! with the spool's own cost: one thread, no HTTP, no channel, no worker; rows of a
//! webhook's size, appended 28 at a time in a transaction committed with
//! `synchronous = FULL` (write-ahead log, as the spool), then marked delivered in a
//! transaction committed without a sync (as the spool records an attempt). Prints the
//! wall time per webhook and how many it wrote (a multiple of 28); `cargo xtask load
//! --publish` reads the CPU time it used. `sqlite-floor [WEBHOOKS]`.

use std::process::ExitCode;
use std::time::Instant;

use rusqlite::{Connection, params};

/// Appends per transaction: what group commit reaches at 32 connections.
const BATCH: u64 = 28;

fn main() -> ExitCode {
    let count: u64 = match std::env::args().nth(1).map(|text| text.parse()) {
        None => 100_000,
        Some(Ok(count)) if count >= BATCH => count,
        Some(_) => {
            eprintln!("usage: sqlite-floor [WEBHOOKS (at least {BATCH})]");
            return ExitCode::from(2);
        }
    };
    let directory = std::env::temp_dir().join(format!("sqlite-floor-{}", std::process::id()));
    let result = std::fs::create_dir_all(&directory)
        .map_err(|error| error.to_string())
        .and_then(|()| {
            measure(&directory.join("floor.db"), count).map_err(|error| error.to_string())
        });
    let _ = std::fs::remove_dir_all(&directory);
    match result {
        Ok((wall, written)) => {
            println!("{wall:.1} µs per webhook (wall), {written} webhooks");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("sqlite-floor: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Microseconds of wall time per webhook, and how many were written.
fn measure(path: &std::path::Path, count: u64) -> Result<(f64, u64), rusqlite::Error> {
    let db = Connection::open(path)?;
    db.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE entries (seq INTEGER PRIMARY KEY, id TEXT NOT NULL,
             state TEXT NOT NULL, received_at_ms INTEGER NOT NULL, room TEXT,
             query TEXT NOT NULL, body TEXT NOT NULL, finished_at_ms INTEGER);
         CREATE INDEX entries_pending ON entries (seq) WHERE state = 'pending';",
    )?;
    let query = "sdkappid=1400000000&CallbackCommand=Live.CallbackAfterDestroyRoom\
                 &RequestTime=1700000000&Sign=9f2c1d3e4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff";
    let started = Instant::now();
    let mut appended = 0;
    while appended + BATCH <= count {
        db.execute_batch("PRAGMA synchronous = FULL; BEGIN IMMEDIATE")?;
        for n in appended..appended + BATCH {
            let body = format!(
                r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"room{}","EventTime":{n}}}"#,
                n % 64
            );
            db.prepare_cached(
                "INSERT INTO entries (id, state, received_at_ms, room, query, body)
                 VALUES (?1, 'pending', ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                format!("{n:064x}"),
                i64::try_from(n).unwrap_or(i64::MAX),
                format!("room{}", n % 64),
                query,
                body
            ])?;
        }
        db.execute_batch("COMMIT; PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE")?;
        for n in appended..appended + BATCH {
            db.prepare_cached(
                "UPDATE entries SET state = 'delivered', finished_at_ms = ?2 WHERE seq = ?1",
            )?
            .execute(params![i64::try_from(n + 1).unwrap_or(i64::MAX), 1])?;
        }
        db.execute_batch("COMMIT")?;
        appended += BATCH;
    }
    let wall = started.elapsed().as_secs_f64();
    #[allow(clippy::cast_precision_loss)] // a count far below 2^52
    Ok((wall * 1e6 / appended as f64, appended))
}
