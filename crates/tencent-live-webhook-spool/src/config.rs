//! How a spool keeps, deduplicates and retries webhooks.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The delays between a failed attempt and the next one. After the last delay's attempt
/// fails too, the entry is dead.
///
/// ```
/// use std::time::Duration;
/// use tencent_live_webhook_spool::RetrySchedule;
///
/// let schedule: RetrySchedule = "1s, 30s,2m".parse()?;
/// assert_eq!(schedule.delays(), [Duration::from_secs(1), Duration::from_secs(30), Duration::from_secs(120)]);
/// assert_eq!(schedule.attempts(), 4); // the first and three retries
/// assert_eq!(RetrySchedule::default().to_string(), "1s,5s,30s,2m,10m,30m,1h,2h,4h,8h");
/// assert!("1s,soon".parse::<RetrySchedule>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySchedule {
    delays: Vec<Duration>,
}

impl RetrySchedule {
    /// A schedule of these delays (none: the first failure is final).
    pub fn new(delays: impl IntoIterator<Item = Duration>) -> RetrySchedule {
        RetrySchedule {
            delays: delays.into_iter().collect(),
        }
    }

    /// The delays, in order.
    pub fn delays(&self) -> &[Duration] {
        &self.delays
    }

    /// How many attempts an entry gets before it is dead: the first, and one per delay.
    pub fn attempts(&self) -> usize {
        self.delays.len().saturating_add(1)
    }

    /// The delay after the `failures`-th failed attempt (1-based), or `None` when that
    /// failure was the last allowed.
    pub fn after_failure(&self, failures: u32) -> Option<Duration> {
        let index = usize::try_from(failures).ok()?.checked_sub(1)?;
        self.delays.get(index).copied()
    }
}

impl Default for RetrySchedule {
    /// `1s,5s,30s,2m,10m,30m,1h,2h,4h,8h`: eleven attempts over about 15 hours.
    fn default() -> RetrySchedule {
        const SECS: [u64; 10] = [1, 5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800];
        RetrySchedule::new(SECS.map(Duration::from_secs))
    }
}

impl fmt::Display for RetrySchedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, delay) in self.delays.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}", humantime::format_duration(*delay))?;
        }
        Ok(())
    }
}

/// A retry schedule that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScheduleError {
    delay: String,
    reason: String,
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "retry delay {:?}: {} (write delays like 1s,5s,2m,1h)",
            self.delay, self.reason
        )
    }
}

impl std::error::Error for ScheduleError {}

impl FromStr for RetrySchedule {
    type Err = ScheduleError;

    /// Comma-separated durations (`500ms`, `5s`, `2m`, `1h`); an empty text is no retry.
    fn from_str(text: &str) -> Result<RetrySchedule, ScheduleError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(RetrySchedule::new([]));
        }
        text.split(',')
            .map(|delay| {
                humantime::parse_duration(delay.trim()).map_err(|error| ScheduleError {
                    delay: delay.trim().to_owned(),
                    reason: error.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(RetrySchedule::new)
    }
}

/// The clock a spool schedules by: Unix milliseconds.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// Now, in Unix milliseconds, from the system clock: the adapters' own, so that a
/// receiver and its spool read time alike.
pub use tencent_live_webhook_adapter::system_clock_ms;

/// A spool's settings. The defaults suit a gateway in front of one app.
///
/// ```
/// use std::time::Duration;
/// use tencent_live_webhook_spool::SpoolConfig;
///
/// let config = SpoolConfig::default()
///     .dedup_window(Duration::from_secs(300))
///     .concurrency(16)
///     .max_pending(50_000);
/// assert_eq!(config.retry_schedule_ref().attempts(), 11);
/// ```
#[derive(Clone)]
pub struct SpoolConfig {
    pub(crate) dedup_window: Duration,
    pub(crate) keep_delivered: Duration,
    pub(crate) max_pending: u64,
    pub(crate) max_bytes: Option<u64>,
    pub(crate) retry_schedule: RetrySchedule,
    pub(crate) concurrency: usize,
    pub(crate) delivery_timeout: Duration,
    pub(crate) poll_interval: Duration,
    pub(crate) probe_interval: Duration,
    pub(crate) clock: Clock,
}

impl fmt::Debug for SpoolConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpoolConfig")
            .field("dedup_window", &self.dedup_window)
            .field("keep_delivered", &self.keep_delivered)
            .field("max_pending", &self.max_pending)
            .field("max_bytes", &self.max_bytes)
            .field("retry_schedule", &self.retry_schedule)
            .field("concurrency", &self.concurrency)
            .field("delivery_timeout", &self.delivery_timeout)
            .field("poll_interval", &self.poll_interval)
            .field("probe_interval", &self.probe_interval)
            .finish_non_exhaustive()
    }
}

impl Default for SpoolConfig {
    fn default() -> SpoolConfig {
        SpoolConfig {
            dedup_window: Duration::from_secs(600),
            keep_delivered: Duration::from_secs(24 * 3600),
            max_pending: 100_000,
            max_bytes: None,
            retry_schedule: RetrySchedule::default(),
            concurrency: 8,
            delivery_timeout: Duration::from_secs(10),
            poll_interval: Duration::from_secs(1),
            probe_interval: Duration::from_secs(5),
            clock: Arc::new(system_clock_ms),
        }
    }
}

impl SpoolConfig {
    /// A webhook whose id was stored less than this long before (by received time) is a
    /// duplicate and is not stored again. Default 10 minutes.
    #[must_use]
    pub fn dedup_window(mut self, window: Duration) -> SpoolConfig {
        self.dedup_window = window;
        self
    }

    /// How long delivered entries are kept (at least the dedup window, so that
    /// deduplication holds). Default 24 hours.
    #[must_use]
    pub fn keep_delivered(mut self, keep: Duration) -> SpoolConfig {
        self.keep_delivered = keep;
        self
    }

    /// Most entries waiting for delivery; past it, appends are refused. Default 100,000.
    #[must_use]
    pub fn max_pending(mut self, entries: u64) -> SpoolConfig {
        self.max_pending = entries;
        self
    }

    /// Largest size of the spool file, in bytes (rounded down to whole pages); an append
    /// that would grow it further is refused as a full disk would be. Default: no limit.
    #[must_use]
    pub fn max_bytes(mut self, bytes: u64) -> SpoolConfig {
        self.max_bytes = Some(bytes);
        self
    }

    /// The delays between attempts. Default `1s,5s,30s,2m,10m,30m,1h,2h,4h,8h`.
    #[must_use]
    pub fn retry_schedule(mut self, schedule: RetrySchedule) -> SpoolConfig {
        self.retry_schedule = schedule;
        self
    }

    /// The retry schedule in force.
    pub fn retry_schedule_ref(&self) -> &RetrySchedule {
        &self.retry_schedule
    }

    /// Most deliveries under way at once (at least 1). Default 8. A room counts once: its
    /// next entries are handed over one after the other, each as soon as the one before
    /// it was delivered.
    #[must_use]
    pub fn concurrency(mut self, deliveries: usize) -> SpoolConfig {
        self.concurrency = deliveries.max(1);
        self
    }

    /// How long one attempt may take before it counts as failed. Default 10 s.
    #[must_use]
    pub fn delivery_timeout(mut self, timeout: Duration) -> SpoolConfig {
        self.delivery_timeout = timeout;
        self
    }

    /// How often the delivery worker looks for work it was not told about (entries
    /// retried by another process, entries whose room was unblocked). Default 1 s.
    #[must_use]
    pub fn poll_interval(mut self, interval: Duration) -> SpoolConfig {
        self.poll_interval = interval.max(Duration::from_millis(1));
        self
    }

    /// While deliveries fail, how often the worker tries the entry due first (whatever its
    /// own next attempt time) to see whether the destination is back; its first success
    /// makes every pending entry due at once. A failed probe does not count against the
    /// entry's schedule. Default 5 s.
    #[must_use]
    pub fn probe_interval(mut self, interval: Duration) -> SpoolConfig {
        self.probe_interval = interval.max(Duration::from_millis(1));
        self
    }

    /// The clock that schedules retries and ages entries (Unix milliseconds). Default:
    /// the system clock. Received times come from the appended webhooks.
    #[must_use]
    pub fn clock(mut self, clock: Clock) -> SpoolConfig {
        self.clock = clock;
        self
    }
}
