//! The spool file and the one thread that writes it. Every operation is a job on that
//! thread; jobs that arrive together run in one transaction, committed (and so synced to
//! disk) once: group commit.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

use crate::error::OpenError;
use crate::memory::Memory;
use crate::recent::Recent;

/// Most jobs in one transaction: bounds how long one commit keeps the others waiting.
const MAX_BATCH: usize = 1024;

/// Statements kept prepared.
const STATEMENT_CACHE: usize = 64;

/// How long a connection waits for another process's write (`live-webhook spool` while
/// `serve` runs) before it gives up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    -- The id's first 64 bits: a small key for the index that deduplicates.
    id_key INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    received_at_ms INTEGER NOT NULL,
    sdkappid INTEGER NOT NULL,
    command TEXT NOT NULL,
    room TEXT,
    query TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    -- 1 for a pending entry that may be handed over: it names no room, or it is the
    -- oldest pending entry of its room. Kept up to date on every change of a room.
    ready INTEGER NOT NULL DEFAULT 1,
    next_attempt_at_ms INTEGER NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    finished_at_ms INTEGER
);
-- Indexes are few and small: each one costs every write pages in the log. Those on
-- pending entries hold only pending entries.
-- Ids are looked up in memory (see `recent`), not through an index of random keys.
DROP INDEX IF EXISTS entries_by_key;
CREATE INDEX IF NOT EXISTS entries_due ON entries (ready, next_attempt_at_ms, seq)
    WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS entries_by_room ON entries (room, seq)
    WHERE state = 'pending' AND room IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_finished ON entries (finished_at_ms)
    WHERE finished_at_ms IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_dead ON entries (seq) WHERE state = 'dead';
CREATE TABLE IF NOT EXISTS attempts (
    seq INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    delivered INTEGER NOT NULL,
    status INTEGER,
    error TEXT,
    PRIMARY KEY (seq, attempt)
) WITHOUT ROWID;
";

/// Counters and gauges anyone may read without a job.
#[derive(Debug, Default)]
pub(crate) struct Published {
    pub(crate) pending: AtomicU64,
    pub(crate) dead: AtomicU64,
    /// Transactions committed with a sync of the disk.
    pub(crate) syncs: AtomicU64,
    pub(crate) stored: AtomicU64,
    pub(crate) duplicates: AtomicU64,
    /// Whether the last synced write (an append) succeeded.
    pub(crate) writable: AtomicBool,
    /// When a synced write last failed, Unix ms (0: never).
    pub(crate) last_failure_ms: AtomicU64,
}

/// A failure of the store itself, shared by every job of a failed transaction.
#[derive(Debug, Clone)]
pub(crate) struct Fault(pub(crate) String);

impl From<rusqlite::Error> for Fault {
    fn from(error: rusqlite::Error) -> Fault {
        Fault(describe(&error))
    }
}

/// A SQLite error in a few words, with the usual causes named.
fn describe(error: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    match error.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => format!("disk full ({error})"),
        Some(ErrorCode::ReadOnly) => format!("read-only ({error})"),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            format!("the file is damaged or not a spool ({error})")
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            format!("another process holds the spool ({error})")
        }
        _ => error.to_string(),
    }
}

/// Runs one statement without parameters, prepared once per connection (these run for
/// every job).
fn statement(db: &Connection, sql: &str) -> Result<(), rusqlite::Error> {
    db.prepare_cached(sql)?.execute([]).map(drop)
}

type Work<T> = Box<dyn FnOnce(&Connection, &mut Memory) -> Result<T, rusqlite::Error> + Send>;

trait Job: Send {
    /// Runs inside the batch's transaction; says why, if it failed.
    fn run(&mut self, db: &Connection, memory: &mut Memory) -> Option<Fault>;
    /// Answers once the transaction committed, or failed.
    fn finish(self: Box<Self>, committed: Result<(), Fault>);
    /// For a job that must be synced (an append): whether its work succeeded.
    fn wrote(&self) -> Option<bool>;
    /// What the job does to the file.
    fn access(&self) -> Access;
}

/// What a job does to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Only reads.
    Read,
    /// Writes what must be on disk before the job is answered (an append).
    Write,
    /// Writes what may be lost to a power cut without harm, since it only makes the
    /// spool repeat itself (an attempt's result: lost, the webhook is delivered again).
    /// Synced with the next `Write`.
    WriteUnsynced,
}

struct Call<T> {
    access: Access,
    /// Whether the work may leave a half-done change behind when it fails (more than one
    /// statement that writes): then it runs inside a savepoint.
    savepoint: bool,
    work: Option<Work<T>>,
    result: Option<Result<T, Fault>>,
    reply: oneshot::Sender<Result<T, Fault>>,
}

impl<T: Send> Job for Call<T> {
    fn run(&mut self, db: &Connection, memory: &mut Memory) -> Option<Fault> {
        let work = self.work.take()?;
        // A savepoint per job that needs one: a job that fails half-way leaves nothing
        // behind, and the others of its batch still commit.
        if self.savepoint
            && let Err(error) = statement(db, "SAVEPOINT job")
        {
            let fault = Fault::from(error);
            self.result = Some(Err(fault.clone()));
            return Some(fault);
        }
        let before = memory.mark();
        let result = work(db, memory);
        let closed = match (result.is_ok(), self.savepoint) {
            (true, true) => statement(db, "RELEASE job"),
            (false, true) => {
                memory.roll_back_to(before);
                statement(db, "ROLLBACK TO job").and_then(|()| statement(db, "RELEASE job"))
            }
            (true, false) => Ok(()),
            (false, false) => {
                memory.roll_back_to(before);
                Ok(())
            }
        };
        let result = match (result, closed) {
            (Ok(value), Ok(())) => Ok(value),
            (Err(error), _) | (Ok(_), Err(error)) => Err(Fault::from(error)),
        };
        let fault = result.as_ref().err().cloned();
        self.result = Some(result);
        fault
    }

    fn wrote(&self) -> Option<bool> {
        (self.access == Access::Write).then_some(matches!(self.result, Some(Ok(_))))
    }

    fn access(&self) -> Access {
        self.access
    }

    fn finish(self: Box<Self>, committed: Result<(), Fault>) {
        let answer = match committed {
            Ok(()) => self
                .result
                .unwrap_or_else(|| Err(Fault("the job did not run".into()))),
            Err(fault) => Err(fault),
        };
        let _ = self.reply.send(answer);
    }
}

/// The handle jobs are sent through.
#[derive(Clone)]
pub(crate) struct Store {
    jobs: mpsc::Sender<Box<dyn Job>>,
    pub(crate) published: Arc<Published>,
}

impl Store {
    /// Opens (creating if needed) the spool at `path` and starts its thread.
    pub(crate) fn open(
        path: &Path,
        max_bytes: Option<u64>,
        dedup_window_ms: u64,
        now_ms: u64,
    ) -> Result<Store, OpenError> {
        let fail = |error: rusqlite::Error| OpenError {
            message: format!("{}: {}", path.display(), describe(&error)),
        };
        let refuse = |why: String| OpenError {
            message: format!("{}: {why}", path.display()),
        };
        crate::file::prepare(path).map_err(refuse)?;
        let db = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NOFOLLOW
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(fail)?;
        // Before anything writes: a file that is not a spool is left as it was.
        match crate::file::claim(&db) {
            Ok(()) => {}
            Err(crate::file::ClaimError::NotASpool(why)) => return Err(refuse(why)),
            Err(crate::file::ClaimError::Sqlite(error)) => return Err(fail(error)),
        }
        for file in crate::file::make_private(path) {
            tracing::warn!(
                file = %file.display(),
                "the spool was readable by other users: now by its owner only"
            );
        }
        db.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        // Every statement the store runs stays prepared: there are more than rusqlite's
        // default of 16, and one parsed again per use costs more than running it.
        db.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // WAL: readers (another process's `spool list`) never block the writer; FULL:
        // every commit is synced to disk before it returns.
        let mode: String = db
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(fail)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(OpenError {
                message: format!("{}: cannot use write-ahead logging", path.display()),
            });
        }
        // FULL: a commit is synced before it returns. A larger cache and a larger log
        // between checkpoints: pages written again and again (index roots, the newest
        // leaves) are read from memory and copied into the file once per checkpoint.
        db.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA cache_size = -16384; \
             PRAGMA wal_autocheckpoint = 8192;",
        )
        .map_err(fail)?;
        db.execute_batch(SCHEMA).map_err(fail)?;
        if let Some(bytes) = max_bytes {
            let page: i64 = db
                .query_row("PRAGMA page_size", [], |row| row.get(0))
                .map_err(fail)?;
            let pages = i64::try_from(bytes).unwrap_or(i64::MAX) / page.max(1);
            db.execute_batch(&format!("PRAGMA max_page_count = {}", pages.max(1)))
                .map_err(fail)?;
        }
        let mut memory = Memory {
            pending: 0,
            dead: 0,
            recent: Recent::new(dedup_window_ms),
        };
        crate::memory::count(&db, &mut memory).map_err(fail)?;
        memory.recent.load(&db, now_ms).map_err(fail)?;
        let version = data_version(&db).map_err(fail)?;
        let published = Arc::new(Published::default());
        publish(&published, &memory);
        published.writable.store(true, Ordering::Release);
        let (jobs, receiver) = mpsc::channel::<Box<dyn Job>>();
        let thread_published = Arc::clone(&published);
        thread::Builder::new()
            .name("spool-writer".into())
            .spawn(move || write_jobs(&db, &receiver, memory, version, &thread_published))
            .map_err(|error| OpenError {
                message: format!("cannot start the spool's thread: {error}"),
            })?;
        Ok(Store { jobs, published })
    }

    /// Runs `work`, which writes, on the store thread, in a transaction; answers once it
    /// committed and, for [`Access::Write`], synced. Whether it succeeded says whether the
    /// spool is writable.
    pub(crate) async fn write<T: Send + 'static>(
        &self,
        access: Access,
        work: impl FnOnce(&Connection, &mut Memory) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, Fault> {
        self.call(access, true, Box::new(work)).await
    }

    /// Like [`Store::write`], for work whose only change is one statement: SQLite undoes a
    /// statement that fails, so it needs no savepoint of its own.
    pub(crate) async fn write_one_statement<T: Send + 'static>(
        &self,
        access: Access,
        work: impl FnOnce(&Connection, &mut Memory) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, Fault> {
        self.call(access, false, Box::new(work)).await
    }

    /// Runs `work`, which only reads, on the store thread.
    pub(crate) async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection, &mut Memory) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, Fault> {
        self.call(Access::Read, false, Box::new(work)).await
    }

    async fn call<T: Send + 'static>(
        &self,
        access: Access,
        savepoint: bool,
        work: Work<T>,
    ) -> Result<T, Fault> {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Call {
            access,
            savepoint,
            work: Some(work),
            result: None,
            reply,
        });
        self.jobs
            .send(job)
            .map_err(|_| Fault("the spool's thread has stopped".into()))?;
        answer
            .await
            .unwrap_or_else(|_| Err(Fault("the spool's thread has stopped".into())))
    }
}

/// Records whether writes succeed; true when they just started failing.
fn set_writable(published: &Published, writable: bool) -> bool {
    let was = published.writable.swap(writable, Ordering::AcqRel);
    if !writable {
        published
            .last_failure_ms
            .store(crate::config::system_clock_ms(), Ordering::Release);
    }
    was && !writable
}

fn publish(published: &Published, memory: &Memory) {
    published.pending.store(memory.pending, Ordering::Release);
    published.dead.store(memory.dead, Ordering::Release);
}

/// The store thread: takes every job waiting, runs them in one transaction, commits,
/// answers them all. Ends when every handle is gone.
fn write_jobs(
    db: &Connection,
    receiver: &mpsc::Receiver<Box<dyn Job>>,
    mut memory: Memory,
    mut version: i64,
    published: &Published,
) {
    let mut synced = true;
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // A commit syncs the log only when a job needs it (WAL: a later synced commit
        // takes the unsynced ones before it to disk too).
        let sync = batch.iter().any(|job| job.access() == Access::Write);
        if sync != synced {
            let mode = if sync { "FULL" } else { "NORMAL" };
            // Not a kept statement: SQLite applies this pragma when it prepares it.
            if db
                .execute_batch(&format!("PRAGMA synchronous = {mode}"))
                .is_ok()
            {
                synced = sync;
            }
        }
        let before = memory.mark();
        let committed = run_batch(db, &mut batch, &mut memory, &mut version);
        match &committed {
            Ok(()) => {
                if synced {
                    published.syncs.fetch_add(1, Ordering::Relaxed);
                }
                let wrote: Vec<bool> = batch.iter().filter_map(|job| job.wrote()).collect();
                if !wrote.is_empty() {
                    set_writable(published, wrote.iter().all(|ok| *ok));
                }
                memory.recent.commit();
                publish(published, &memory);
            }
            Err(fault) => {
                memory.roll_back_to(before);
                // Once when it starts failing, not once a batch.
                if set_writable(published, false) {
                    tracing::error!(error = %fault.0, "the spool cannot be written");
                }
            }
        }
        for job in batch {
            job.finish(committed.clone());
        }
    }
}

/// SQLite's count of commits by other connections to the file.
fn data_version(db: &Connection) -> Result<i64, rusqlite::Error> {
    db.prepare_cached("PRAGMA data_version")?
        .query_row([], |row| row.get(0))
}

fn run_batch(
    db: &Connection,
    batch: &mut [Box<dyn Job>],
    memory: &mut Memory,
    version: &mut i64,
) -> Result<(), Fault> {
    statement(db, "BEGIN IMMEDIATE")?;
    // Another process (`live-webhook spool retry`, a second receiver) committed: learn
    // what it appended and counted. Under the write lock, nothing changes meanwhile.
    let now = data_version(db)?;
    if now != *version {
        memory.recent.catch_up(db)?;
        crate::memory::count(db, memory)?;
        *version = now;
    }
    for job in batch.iter_mut() {
        let fault = job.run(db, memory);
        // Some errors (a full disk, I/O) make SQLite roll the whole transaction back:
        // then nothing of this batch is stored, and every job must hear so.
        if db.is_autocommit() {
            return Err(fault.unwrap_or_else(|| Fault("the transaction was rolled back".into())));
        }
    }
    match statement(db, "COMMIT") {
        Ok(()) => Ok(()),
        Err(error) => {
            let fault = Fault::from(error);
            if !db.is_autocommit() {
                let _ = db.execute_batch("ROLLBACK");
            }
            Err(fault)
        }
    }
}
