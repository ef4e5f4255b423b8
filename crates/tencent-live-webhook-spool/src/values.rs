//! How Rust values are kept in SQLite's columns.

/// A Unix-millisecond time or a count as SQLite's integer (saturating: no real time or
/// count comes near `i64::MAX`).
pub(crate) fn int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Back from SQLite's integer; a negative value (never written) reads as 0.
pub(crate) fn uint(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// An app id kept bit for bit: any `u64` the wire carried fits.
pub(crate) fn app_to_sql(app: u64) -> i64 {
    i64::from_ne_bytes(app.to_ne_bytes())
}

pub(crate) fn app_from_sql(app: i64) -> u64 {
    u64::from_ne_bytes(app.to_ne_bytes())
}

/// The first 64 bits of a hex id, the key of its index; `None` for text that is not one.
pub(crate) fn id_key(id: &str) -> Option<i64> {
    let prefix = id.get(..16)?;
    u64::from_str_radix(prefix, 16)
        .ok()
        .map(|key| i64::from_ne_bytes(key.to_ne_bytes()))
}
