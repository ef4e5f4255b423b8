//! Whether deliveries to the destination fail, and what the operator is told: one warning
//! when they start failing, a reminder a minute at most while they do, one line when they
//! recover and one when what waited has been delivered.

use std::time::Duration;

use tokio::time::Instant;

/// Least time between two reminders of an outage.
pub(crate) const REMINDER: Duration = Duration::from_secs(60);

/// The worker's view of its destination.
pub(crate) struct Outage {
    destination: String,
    failing: Option<Failing>,
    /// Nothing was tried since the start: entries that waited before it (an upgrade, a
    /// crash) are probed at once rather than at their next slot.
    untried: bool,
    /// After a recovery, deliveries counted until nothing waits any more.
    catching_up: Option<u64>,
}

struct Failing {
    since: Instant,
    failed: u64,
    last_reminder: Instant,
}

/// What one batch of attempt results says.
pub(crate) enum Change {
    /// Nothing new.
    None,
    /// The first success after failures: make what waits due now.
    Recovered,
}

/// How a batch of attempts went, as far as the operator is told.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) delivered: u64,
    pub(crate) failed: u64,
    /// The status and error of the last failure.
    pub(crate) last_failure: Option<(Option<u16>, String)>,
}

impl Tally {
    /// Counts one attempt.
    pub(crate) fn add(&mut self, delivered: bool, status: Option<u16>, error: Option<&str>) {
        if delivered {
            self.delivered += 1;
        } else {
            self.failed += 1;
            self.last_failure = Some((status, error.unwrap_or("failed").to_owned()));
        }
    }
}

impl Outage {
    pub(crate) fn new(destination: String) -> Outage {
        Outage {
            destination,
            failing: None,
            untried: true,
            catching_up: None,
        }
    }

    /// Whether the destination should be probed: deliveries fail, or nothing was tried
    /// since the start.
    pub(crate) fn probing(&self) -> bool {
        self.failing.is_some() || self.untried
    }

    /// A probe found nothing waiting.
    pub(crate) fn nothing_waits(&mut self) {
        self.untried = false;
    }

    /// Takes in the attempts that ended (`waiting`: entries pending now).
    pub(crate) fn observe(&mut self, tally: Tally, waiting: u64) -> Change {
        let Tally {
            delivered,
            failed,
            last_failure,
        } = tally;
        let now = Instant::now();
        let tried = delivered + failed > 0;
        let first = tried && std::mem::take(&mut self.untried);
        if first && delivered > 0 && self.failing.is_none() {
            if waiting > 0 {
                tracing::info!(
                    destination = %self.destination,
                    waiting,
                    "deliveries work: the webhooks that waited before the start are due now"
                );
                self.catching_up = Some(delivered);
            }
            return Change::Recovered;
        }
        if let Some(count) = &mut self.catching_up {
            *count += delivered;
            if waiting == 0 {
                tracing::info!(
                    destination = %self.destination,
                    delivered = *count,
                    "deliveries caught up: everything that waited was delivered"
                );
                self.catching_up = None;
            }
        }
        if delivered > 0 {
            if let Some(failing) = self.failing.take() {
                tracing::info!(
                    destination = %self.destination,
                    after = %humantime::format_duration(secs(now - failing.since)),
                    failed_attempts = failing.failed,
                    waiting,
                    "deliveries recovered: every waiting webhook is due now"
                );
                self.catching_up = (waiting > 0).then_some(delivered);
                return Change::Recovered;
            }
            return Change::None;
        }
        let Some((status, error)) = last_failure else {
            return Change::None;
        };
        let status = status.map_or_else(|| "-".to_owned(), |status| status.to_string());
        let error = error.as_str();
        match &mut self.failing {
            None => {
                tracing::warn!(
                    destination = %self.destination,
                    status = %status,
                    error,
                    waiting,
                    "deliveries are failing: webhooks wait in the spool and are retried"
                );
                self.failing = Some(Failing {
                    since: now,
                    failed,
                    last_reminder: now,
                });
            }
            Some(failing) => {
                failing.failed += failed;
                if now - failing.last_reminder >= REMINDER {
                    failing.last_reminder = now;
                    tracing::warn!(
                        destination = %self.destination,
                        since = %humantime::format_duration(secs(now - failing.since)),
                        failed_attempts = failing.failed,
                        status = %status,
                        error,
                        waiting,
                        "deliveries still failing"
                    );
                }
            }
        }
        Change::None
    }
}

/// Whole seconds, for a readable duration.
fn secs(duration: Duration) -> Duration {
    Duration::from_secs(duration.as_secs())
}
