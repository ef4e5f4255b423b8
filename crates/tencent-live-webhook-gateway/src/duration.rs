//! Durations on the command line: every flag takes a unit (`500ms`, `2s`, `1m`, `1h30m`);
//! a bare number means the unit the flag always meant, seconds or milliseconds.

use std::time::Duration;

/// A duration with a unit, or a bare number of seconds (`90` is `90s`).
///
/// ```
/// use std::time::Duration;
/// use tencent_live_webhook_gateway::duration::seconds;
///
/// assert_eq!(seconds("2m"), Ok(Duration::from_secs(120)));
/// assert_eq!(seconds("90"), Ok(Duration::from_secs(90)));
/// assert_eq!(seconds("1500ms"), Ok(Duration::from_millis(1500)));
/// assert!(seconds("soon").is_err());
/// ```
pub fn seconds(text: &str) -> Result<Duration, String> {
    parse(text, Duration::from_secs)
}

/// A duration with a unit, or a bare number of milliseconds (`1500` is `1500ms`).
///
/// ```
/// use std::time::Duration;
/// use tencent_live_webhook_gateway::duration::milliseconds;
///
/// assert_eq!(milliseconds("2s"), Ok(Duration::from_secs(2)));
/// assert_eq!(milliseconds("1500"), Ok(Duration::from_millis(1500)));
/// ```
pub fn milliseconds(text: &str) -> Result<Duration, String> {
    parse(text, Duration::from_millis)
}

fn parse(text: &str, bare: fn(u64) -> Duration) -> Result<Duration, String> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        return text
            .parse::<u64>()
            .map(bare)
            .map_err(|_| format!("{text:?} is too large"));
    }
    humantime::parse_duration(text)
        .map_err(|error| format!("{text:?}: {error} (write durations like 500ms, 2s, 1m)"))
}
