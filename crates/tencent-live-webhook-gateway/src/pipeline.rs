//! The per-request pipeline every framework calls: the path and method checks, then one
//! `handle(accepted) -> Answer` for whatever the extractors accepted, counted and shown
//! in the console on the way.

use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Instant;

use tencent_live_webhook::{Decoded, Notification, Reply, Webhook, trtc};
use tencent_live_webhook_adapter::WebhookConfig;

use crate::admin::Health;
use crate::answer::Answer;
use crate::console::{Record, Refusal};
use crate::metrics::Metrics;
use crate::outputs::{Lines, Went, refused_output};
use crate::writer::Refused;

/// What a framework's extractor accepted: a verified Live webhook with the request's
/// exact query and body, or a verified TRTC callback with its exact body and the `Sign`
/// it came with (to forward it as it came).
pub(crate) enum Accepted {
    Live {
        webhook: Webhook,
        query: String,
        body: Vec<u8>,
    },
    Trtc {
        callback: trtc::Callback,
        body: Vec<u8>,
        sign: String,
    },
}

impl Accepted {
    /// A Live webhook from an extractor's parts: the webhook, the query and the body.
    pub(crate) fn live((webhook, query, body): (Webhook, String, Vec<u8>)) -> Accepted {
        Accepted::Live {
            webhook,
            query,
            body,
        }
    }

    /// A TRTC callback from an extractor's parts, with the `Sign` header it came with.
    pub(crate) fn trtc((callback, body): (trtc::Callback, Vec<u8>), sign: String) -> Accepted {
        Accepted::Trtc {
            callback,
            body,
            sign,
        }
    }
}

/// Where accepted notifications go.
pub(crate) enum Output {
    /// Printed, and forwarded, spooled, published and recorded as configured.
    Lines(Box<Lines>),
    /// Handed to a channel (the demo).
    Channel(Sender<Webhook>),
}

/// What every framework's handler shares: the paths to answer on, where notifications
/// go, the receiver's configuration (whose log limit other refusals share), metrics,
/// health and the console's memory.
pub(crate) struct State {
    pub(crate) path: Option<String>,
    pub(crate) trtc_path: Option<String>,
    pub(crate) output: Output,
    pub(crate) config: WebhookConfig,
    pub(crate) metrics: Option<Arc<Metrics>>,
    pub(crate) health: Arc<Health>,
    pub(crate) console: Option<Arc<crate::console::Console>>,
}

/// The `Sign` header's text (a verified one is base64, so ASCII), to forward as it came.
pub(crate) fn sign_header(value: Option<&[u8]>) -> String {
    value
        .and_then(|value| std::str::from_utf8(value).ok())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

impl State {
    /// Whether `path` is the one to answer on (any path when none was given).
    fn path_matches(&self, path: &str) -> bool {
        self.is_trtc(path) || self.path.as_deref().is_none_or(|wanted| wanted == path)
    }

    /// Whether `path` is where TRTC callbacks arrive.
    pub(crate) fn is_trtc(&self, path: &str) -> bool {
        self.trtc_path.as_deref() == Some(path)
    }

    /// The refusal of a request that cannot be a webhook (wrong path or method), logged
    /// and counted.
    pub(crate) fn not_a_webhook(&self, path: &str, is_post: bool) -> Option<Answer> {
        // A health check that looks here rather than at the admin listener: answered, not
        // logged as a refusal.
        if !is_post && path == "/healthz" && self.path.as_deref() != Some("/healthz") {
            return Some(Answer {
                status: 200,
                body: r#"{"status":"ok"}"#.to_owned(),
            });
        }
        let (status, reason) = if !self.path_matches(path) {
            (404, "not found")
        } else if !is_post {
            (405, "method not allowed")
        } else {
            return None;
        };
        self.config.log_not_a_webhook(status, path);
        self.refused(status);
        self.remember_refusal(|now_ms| {
            Refusal::new(now_ms, "request", status, reason.to_owned()).path(path)
        });
        Some(Answer::failure(status, reason))
    }

    /// Counts a request that could not be read as HTTP (the server answered it itself),
    /// and shows it in the console.
    pub(crate) fn unreadable(&self, status: u16) {
        self.refused(status);
        self.remember_refusal(|now_ms| {
            Refusal::new(
                now_ms,
                "request",
                status,
                "the request could not be read as HTTP".to_owned(),
            )
        });
    }

    /// Keeps the record of a refusal for the console, when there is one.
    fn remember_refusal(&self, refusal: impl FnOnce(u64) -> Refusal) {
        if let Some(console) = &self.console {
            let now_ms = tencent_live_webhook_spool::system_clock_ms();
            console.window.remember_refusal(refusal(now_ms));
        }
    }

    /// Counts a refused request (the receiver's own answer to Tencent's connectivity
    /// probe, 200, is no refusal).
    pub(crate) fn refused(&self, status: u16) {
        if status == 200 {
            return;
        }
        if let Some(metrics) = &self.metrics {
            metrics.refused(status);
        }
        if let Some(console) = &self.console {
            console
                .window
                .refused(tencent_live_webhook_spool::system_clock_ms());
        }
    }

    /// Counts how long a webhook request took.
    pub(crate) fn took(&self, started: Instant) {
        if let Some(metrics) = &self.metrics {
            metrics.observe(started.elapsed());
        }
    }

    /// Handles what an extractor accepted, never blocking a thread: counted, made into a
    /// [`Notification`] (its id hashed once), routed, and shown in the console with the
    /// answer it got.
    pub(crate) async fn handle(&self, accepted: Accepted) -> Answer {
        if let Some(metrics) = &self.metrics {
            match &accepted {
                Accepted::Live { webhook, .. } => metrics.received(webhook.command()),
                Accepted::Trtc { .. } => metrics.received_trtc(),
            }
        }
        let received_at_ms = tencent_live_webhook_spool::system_clock_ms();
        let (notification, sign) = match accepted {
            Accepted::Live {
                webhook,
                query,
                body,
            } => (
                Notification::live(webhook, query, body, received_at_ms),
                None,
            ),
            Accepted::Trtc {
                callback,
                body,
                sign,
            } => (
                Notification::trtc(callback, body, received_at_ms),
                Some(sign),
            ),
        };
        let notification = match notification {
            Ok(notification) => Arc::new(notification),
            Err(error) => {
                // A decoded body was read as JSON, so it is UTF-8: this is a bug if seen.
                tracing::error!(%error, "a notification cannot be kept");
                return Answer::failure(500, "the webhook could not be kept");
            }
        };
        let shown = self.console.as_ref().map(|_| Arc::clone(&notification));
        let (answer, went) = match &self.output {
            Output::Lines(lines) => {
                lines
                    .accept(notification, sign, self.metrics.as_deref())
                    .await
            }
            Output::Channel(sender) => deliver_to_channel(sender, notification),
        };
        if let (Some(console), Some(notification)) = (&self.console, shown) {
            console
                .window
                .push(Record::answered(notification, &answer, went));
        }
        answer
    }
}

/// The demo's channel takes Live webhooks; it receives no TRTC callbacks, and never
/// acknowledges one that goes nowhere.
fn deliver_to_channel(sender: &Sender<Webhook>, notification: Arc<Notification>) -> (Answer, Went) {
    let notification = Arc::unwrap_or_clone(notification);
    match notification.into_parts().1 {
        Decoded::Live(webhook) => match sender.send(webhook) {
            Ok(()) => (Answer::reply(&Reply::ack()), Went::Output),
            Err(_) => (refused_output(Refused::Closed, "output"), Went::Nowhere),
        },
        Decoded::Trtc(_) => (
            Answer::failure(500, "TRTC callbacks are not handled here"),
            Went::Nowhere,
        ),
    }
}
