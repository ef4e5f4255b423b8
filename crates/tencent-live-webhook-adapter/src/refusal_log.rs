//! Refusals in the log: one line each within a per-second budget, the rest summed up, so
//! forged traffic cannot flood the log; never a token, a `Sign` or the URL.

use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use tencent_live_webhook::{Command, Family, Rejection};

use crate::{Intercepted, WebhookConfig};

/// What was refused, for its log line.
#[derive(Clone, Copy)]
pub(crate) enum Refused<'a> {
    /// A Live webhook: its command (when the query names one) and a hint.
    LiveWebhook {
        command: Option<Command>,
        hint: Option<&'a str>,
        client: Option<IpAddr>,
    },
    /// A TRTC callback.
    TrtcCallback { client: Option<IpAddr> },
}

/// A request the receiver refused, as the observer set with
/// [`WebhookConfig::on_refusal`] sees it: what it was refused for, never its token, `Sign`
/// or URL.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RefusedRequest<'a> {
    /// Why it was refused; its [`status`](Rejection::status) is the answer's.
    pub rejection: &'a Rejection,
    /// A Live webhook or a TRTC callback, by the path it came to.
    pub family: Family,
    /// The command word its query names (Live webhooks only, when the query is readable).
    pub command: Option<Command>,
    /// The client, when its address is known.
    pub client: Option<IpAddr>,
}

impl WebhookConfig {
    /// Logs a request refused outside the receiver, such as one to an unknown path or with
    /// the wrong method, under the same rate limit as the receiver's own refusals. At most
    /// the first 128 bytes of the path are logged.
    pub fn log_not_a_webhook(&self, status: u16, path: &str) {
        const SHOWN: usize = 128;
        let admitted = self.refusal_log.admit(Instant::now());
        Self::log_summary(admitted.summary);
        if admitted.line {
            let mut end = path.len().min(SHOWN);
            while !path.is_char_boundary(end) {
                end -= 1;
            }
            tracing::warn!(
                status,
                path = &path[..end],
                "refused request that is not a webhook"
            );
        }
    }

    fn log_summary(suppressed: Option<u64>) {
        if let Some(suppressed) = suppressed {
            tracing::warn!(
                suppressed,
                "refused more requests than the log shows: lines left out in the last second"
            );
        }
    }

    /// The one log line of a refusal (within the rate limit): status, reason, and for a
    /// Live webhook its command and what to do about it; never a token, a `Sign` or the
    /// URL.
    pub(crate) fn refused(&self, rejection: Rejection, what: Refused<'_>) -> Intercepted {
        self.log_refusal(&rejection, what);
        if let Some(observer) = &self.on_refusal {
            let (family, command, client) = match what {
                Refused::LiveWebhook {
                    command, client, ..
                } => (Family::Live, command, client),
                Refused::TrtcCallback { client } => (Family::Trtc, None, client),
            };
            observer(&RefusedRequest {
                rejection: &rejection,
                family,
                command,
                client,
            });
        }
        Intercepted::Refused(rejection)
    }

    fn log_refusal(&self, rejection: &Rejection, what: Refused<'_>) {
        let admitted = self.refusal_log.admit(Instant::now());
        Self::log_summary(admitted.summary);
        if admitted.line {
            let status = rejection.status();
            match what {
                Refused::LiveWebhook {
                    command,
                    hint,
                    client,
                } => tracing::warn!(
                    status,
                    reason = %rejection,
                    command = command.as_ref().map(Command::as_str),
                    hint,
                    client = client.map(tracing::field::display),
                    "refused Tencent Live webhook"
                ),
                Refused::TrtcCallback { client } => tracing::warn!(
                    status,
                    reason = %rejection,
                    client = client.map(tracing::field::display),
                    "refused TRTC callback"
                ),
            }
        }
    }
}

/// A per-second budget of refusal log lines.
#[derive(Debug)]
pub(crate) struct RefusalLog {
    pub(crate) lines_per_sec: u32,
    window: Mutex<Window>,
}

#[derive(Debug)]
struct Window {
    started: Option<Instant>,
    logged: u32,
    suppressed: u64,
}

/// What to log for one refusal.
struct Admitted {
    line: bool,
    /// Lines left out in the window that just ended.
    summary: Option<u64>,
}

impl RefusalLog {
    pub(crate) fn new(lines_per_sec: u32) -> RefusalLog {
        RefusalLog {
            lines_per_sec,
            window: Mutex::new(Window {
                started: None,
                logged: 0,
                suppressed: 0,
            }),
        }
    }

    fn admit(&self, now: Instant) -> Admitted {
        // A panic elsewhere while holding the lock leaves counters only: keep using them.
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let mut summary = None;
        let expired = window
            .started
            .is_none_or(|started| now.saturating_duration_since(started) >= Duration::from_secs(1));
        if expired {
            if window.suppressed > 0 {
                summary = Some(window.suppressed);
            }
            *window = Window {
                started: Some(now),
                logged: 0,
                suppressed: 0,
            };
        }
        let line = window.logged < self.lines_per_sec;
        if line {
            window.logged += 1;
        } else {
            window.suppressed = window.suppressed.saturating_add(1);
        }
        Admitted { line, summary }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_admits_its_budget_and_the_next_one_sums_up_the_rest() {
        let log = RefusalLog::new(2);
        let start = Instant::now();
        let at = |millis| start + Duration::from_millis(millis);
        let seen: Vec<(bool, Option<u64>)> = [0, 10, 20, 30, 999, 1000, 1001, 2500]
            .into_iter()
            .map(|millis| {
                let admitted = log.admit(at(millis));
                (admitted.line, admitted.summary)
            })
            .collect();
        assert_eq!(
            seen,
            [
                (true, None),
                (true, None),
                (false, None),
                (false, None),
                (false, None),
                // A new second: three lines were left out of the last one.
                (true, Some(3)),
                (true, None),
                // Nothing was left out of the second before.
                (true, None),
            ]
        );
    }

    #[test]
    fn a_zero_budget_logs_only_summaries() {
        let log = RefusalLog::new(0);
        let start = Instant::now();
        assert!(!log.admit(start).line);
        assert!(!log.admit(start).line);
        let next = log.admit(start + Duration::from_secs(1));
        assert_eq!((next.line, next.summary), (false, Some(2)));
    }
}
