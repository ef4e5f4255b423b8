//! The spool's file: created readable by its owner only, never opened through a symbolic
//! link, and only ever a spool (SQLite's `application_id` says so), so that a mistyped
//! path cannot turn another program's database into one.
//!
//! The file holds each webhook's query, with a `Sign` still valid for a minute, and its
//! body (what the app's users wrote): 0600, like SSH keys.

use std::io;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

/// `LWHS`: marks a SQLite file as a spool.
pub(crate) const APPLICATION_ID: i32 = 0x4C57_4853;

/// Refuses a symbolic link or a path that is not a regular file; creates a missing file
/// readable and writable by its owner only.
pub(crate) fn prepare(path: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => Err(
            "is a symbolic link: give the file's own path (a link could point the spool at another file)".into(),
        ),
        Ok(metadata) if !metadata.is_file() => Err("is not a regular file".into()),
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => create_private(path)
            .or_else(|error| {
                // Another process created it meanwhile: open that one.
                if error.kind() == io::ErrorKind::AlreadyExists {
                    Ok(())
                } else {
                    Err(error)
                }
            })
            .map_err(|error| format!("cannot create it: {error}")),
        Err(error) => Err(error.to_string()),
    }
}

fn create_private(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// Checks that the open database is a spool; marks an empty one (or a spool made before
/// the mark) as one. Reads only, unless it marks.
pub(crate) fn claim(db: &Connection) -> Result<(), ClaimError> {
    let id: i32 = db.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    if id == APPLICATION_ID {
        return Ok(());
    }
    if id != 0 {
        return Err(ClaimError::NotASpool(format!(
            "is not a spool (its SQLite application_id is {id:#x}, another program's)"
        )));
    }
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let spool = ["entries", "attempts"];
    let ours = tables.is_empty()
        || tables
            .iter()
            .all(|table| spool.contains(&table.as_str()) || table.starts_with("sqlite_"));
    if !ours {
        return Err(ClaimError::NotASpool(
            "is not a spool (it is a SQLite database with other tables)".into(),
        ));
    }
    db.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
    Ok(())
}

/// Why [`claim`] refused.
#[derive(Debug)]
pub(crate) enum ClaimError {
    NotASpool(String),
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for ClaimError {
    fn from(error: rusqlite::Error) -> ClaimError {
        ClaimError::Sqlite(error)
    }
}

/// Takes read access from group and others on the spool and its `-wal` and `-shm` (files
/// made by an older version, or copied in); says which it changed.
pub(crate) fn make_private(path: &Path) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    #[cfg(unix)]
    for file in [
        path.to_owned(),
        with_suffix(path, "-wal"),
        with_suffix(path, "-shm"),
    ] {
        use std::os::unix::fs::PermissionsExt;
        let Ok(metadata) = std::fs::symlink_metadata(&file) else {
            continue;
        };
        let mode = metadata.permissions().mode();
        if metadata.is_file()
            && mode & 0o077 != 0
            && std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode & 0o700))
                .is_ok()
        {
            changed.push(file);
        }
    }
    changed
}

#[cfg(unix)]
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
