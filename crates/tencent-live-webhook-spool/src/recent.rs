//! The entries appended within the dedup window, by the first 64 bits of their id, kept
//! in memory by the store thread. An index of the file on a random key would cost every
//! append a page of the log (its leaf is never the one the previous append touched); this
//! map costs a hash lookup. It is read from the file at start and caught up whenever
//! another connection committed. The window is measured back from the newest arrival
//! seen: an envelope appended with an arrival time older than that is stored, but not
//! remembered for long.

use std::collections::HashMap;

use rusqlite::Connection;

/// The newest entry whose id starts with a given key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen {
    pub(crate) seq: i64,
    pub(crate) received_at_ms: u64,
}

/// See the module documentation.
#[derive(Debug)]
pub(crate) struct Recent {
    window_ms: u64,
    entries: HashMap<i64, Seen>,
    /// What the transaction under way changed, to undo it if it fails: the key and what
    /// it held before.
    journal: Vec<(i64, Option<Seen>)>,
    /// The newest sequence number known: rows after it were written by someone else.
    last_seq: i64,
    /// The newest arrival time known, the "now" that pruning measures the window from.
    newest_ms: u64,
    /// Pruning runs when the map reaches this size, so it costs O(1) per append.
    prune_at: usize,
}

/// Size below which the map is never pruned.
const MIN_PRUNE_AT: usize = 4096;

impl Recent {
    pub(crate) fn new(window_ms: u64) -> Recent {
        Recent {
            window_ms,
            entries: HashMap::new(),
            journal: Vec::new(),
            last_seq: 0,
            newest_ms: 0,
            prune_at: MIN_PRUNE_AT,
        }
    }

    /// The newest entry with this key received at `since_ms` or later.
    pub(crate) fn since(&self, key: i64, since_ms: u64) -> Option<i64> {
        self.entries
            .get(&key)
            .filter(|seen| seen.received_at_ms >= since_ms)
            .map(|seen| seen.seq)
    }

    /// The newest entry with this key still in memory.
    pub(crate) fn newest(&self, key: i64) -> Option<i64> {
        self.entries.get(&key).map(|seen| seen.seq)
    }

    /// Notes an entry written in the transaction under way.
    pub(crate) fn insert(&mut self, key: i64, seen: Seen) {
        let before = self.entries.insert(key, seen);
        self.journal.push((key, before));
        self.last_seq = self.last_seq.max(seen.seq);
        self.newest_ms = self.newest_ms.max(seen.received_at_ms);
    }

    /// The transaction committed: its entries stay.
    pub(crate) fn commit(&mut self) {
        self.journal.clear();
        if self.entries.len() >= self.prune_at {
            let since = self.newest_ms.saturating_sub(self.window_ms);
            self.entries.retain(|_, seen| seen.received_at_ms >= since);
            self.prune_at = (self.entries.len() * 2).max(MIN_PRUNE_AT);
        }
    }

    /// How far back the transaction under way has written: to undo it with [`Recent::roll_back_to`].
    pub(crate) fn mark(&self) -> usize {
        self.journal.len()
    }

    /// Undoes what was written after `mark` (one job of a batch failed).
    pub(crate) fn roll_back_to(&mut self, mark: usize) {
        while self.journal.len() > mark {
            if let Some((key, before)) = self.journal.pop() {
                match before {
                    Some(seen) => self.entries.insert(key, seen),
                    None => self.entries.remove(&key),
                };
            }
        }
    }

    /// Reads the entries received since `now_ms` minus the window, newest first, at start.
    /// Entries are appended in arrival order, so the scan stops at the first older one
    /// (after a step back of the clock, a few entries of the window may be missed).
    pub(crate) fn load(&mut self, db: &Connection, now_ms: u64) -> Result<(), rusqlite::Error> {
        let since = now_ms.saturating_sub(self.window_ms);
        let mut statement =
            db.prepare("SELECT seq, id_key, received_at_ms FROM entries ORDER BY seq DESC")?;
        let mut rows = statement.query([])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            let (seq, key, received): (i64, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
            self.last_seq = self.last_seq.max(seq);
            let received = u64::try_from(received).unwrap_or(0);
            if received < since {
                break;
            }
            found.push((key, seq, received));
        }
        // Oldest first, so that the newest entry of a key is the one kept.
        for (key, seq, received_at_ms) in found.into_iter().rev() {
            self.note(key, seq, received_at_ms);
        }
        Ok(())
    }

    /// Reads the entries another connection appended since the newest one known.
    pub(crate) fn catch_up(&mut self, db: &Connection) -> Result<(), rusqlite::Error> {
        let mut statement = db.prepare_cached(
            "SELECT seq, id_key, received_at_ms FROM entries WHERE seq > CAST(?1 AS INTEGER) ORDER BY seq",
        )?;
        let mut rows = statement.query([self.last_seq])?;
        while let Some(row) = rows.next()? {
            let (seq, key, received): (i64, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
            self.note(key, seq, u64::try_from(received).unwrap_or(0));
        }
        Ok(())
    }

    /// Notes an entry already committed (read from the file).
    fn note(&mut self, key: i64, seq: i64, received_at_ms: u64) {
        self.entries.insert(
            key,
            Seen {
                seq,
                received_at_ms,
            },
        );
        self.last_seq = self.last_seq.max(seq);
        self.newest_ms = self.newest_ms.max(received_at_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(seq: i64, received_at_ms: u64) -> Seen {
        Seen {
            seq,
            received_at_ms,
        }
    }

    #[test]
    fn a_key_counts_only_within_the_window() {
        let mut recent = Recent::new(1_000);
        recent.insert(7, seen(1, 5_000));
        recent.commit();
        assert_eq!(recent.since(7, 4_000), Some(1));
        assert_eq!(recent.since(7, 5_001), None);
        assert_eq!(recent.since(8, 0), None);
        assert_eq!(recent.newest(7), Some(1));
    }

    #[test]
    fn a_failed_transaction_leaves_nothing_behind() {
        let mut recent = Recent::new(1_000);
        recent.insert(7, seen(1, 5_000));
        recent.commit();
        let mark = recent.mark();
        recent.insert(7, seen(2, 6_000));
        recent.insert(9, seen(3, 6_000));
        recent.roll_back_to(mark);
        assert_eq!(recent.newest(7), Some(1));
        assert_eq!(recent.newest(9), None);
    }

    #[test]
    fn a_failed_job_undoes_only_its_own_entries() {
        let mut recent = Recent::new(1_000);
        recent.insert(1, seen(1, 5_000));
        let mark = recent.mark();
        recent.insert(2, seen(2, 5_000));
        recent.insert(1, seen(3, 5_000));
        recent.roll_back_to(mark);
        assert_eq!(recent.newest(1), Some(1));
        assert_eq!(recent.newest(2), None);
    }

    #[test]
    fn pruning_forgets_only_what_left_the_window() {
        let mut recent = Recent::new(1_000);
        let count = i64::try_from(MIN_PRUNE_AT).unwrap();
        for seq in 0..count {
            recent.insert(seq, seen(seq, 10));
        }
        recent.insert(count, seen(count, 5_000));
        recent.commit();
        assert_eq!(recent.newest(0), None);
        assert_eq!(recent.newest(count), Some(count));
        assert_eq!(recent.entries.len(), 1);
    }

    #[test]
    fn the_file_is_read_newest_first_until_the_window_ends() {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch(
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY, id_key INTEGER, received_at_ms INTEGER);
             INSERT INTO entries VALUES (1, 10, 100), (2, 11, 4000), (3, 10, 4500), (4, 12, 5000);",
        )
        .unwrap();
        let mut recent = Recent::new(1_000);
        recent.load(&db, 5_000).unwrap();
        assert_eq!(recent.newest(10), Some(3));
        assert_eq!(recent.newest(11), Some(2));
        assert_eq!(recent.newest(12), Some(4));
        db.execute_batch("INSERT INTO entries VALUES (5, 13, 5100)")
            .unwrap();
        recent.catch_up(&db).unwrap();
        assert_eq!(recent.newest(13), Some(5));
    }
}
