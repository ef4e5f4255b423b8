//! What the store thread keeps in memory beside the file: the pending and dead counts it
//! publishes after each commit, and the ids of the dedup window; put back when a job
//! fails.

use rusqlite::Connection;

use crate::recent::Recent;
use crate::values::uint;

/// What the store thread keeps in memory: counts published after each commit, and the
/// ids of the dedup window.
#[derive(Debug)]
pub(crate) struct Memory {
    pub(crate) pending: u64,
    pub(crate) dead: u64,
    pub(crate) recent: Recent,
}

/// Where a job or batch started, to put the memory back if it fails.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    pending: u64,
    dead: u64,
    recent: usize,
}

impl Memory {
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            pending: self.pending,
            dead: self.dead,
            recent: self.recent.mark(),
        }
    }

    pub(crate) fn roll_back_to(&mut self, mark: Mark) {
        self.pending = mark.pending;
        self.dead = mark.dead;
        self.recent.roll_back_to(mark.recent);
    }
}

/// Counts pending and dead entries afresh (another process may have changed them).
pub(crate) fn count(db: &Connection, memory: &mut Memory) -> Result<(), rusqlite::Error> {
    (memory.pending, memory.dead) = counts(db)?;
    Ok(())
}

/// How many entries are pending and dead.
pub(crate) fn counts(db: &Connection) -> Result<(u64, u64), rusqlite::Error> {
    // Literal states, so that the partial indexes of those states answer.
    let counted = |sql: &str| -> Result<u64, rusqlite::Error> {
        db.prepare_cached(sql)?
            .query_row([], |row| row.get::<_, i64>(0))
            .map(uint)
    };
    Ok((
        counted("SELECT COUNT(*) FROM entries WHERE state = 'pending'")?,
        counted("SELECT COUNT(*) FROM entries WHERE state = 'dead'")?,
    ))
}
