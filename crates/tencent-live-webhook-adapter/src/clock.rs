//! The system clock, for configurations that are not given one.

use std::time::{SystemTime, UNIX_EPOCH};

/// The system clock in Unix seconds (0 if it is set before 1970).
pub fn system_clock() -> u64 {
    system_clock_ms() / 1000
}

/// The system clock in Unix milliseconds (0 if it is set before 1970).
pub fn system_clock_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}
