//! Carrying out a notification's [plan](crate::route::Plan): the writers, the
//! forwarders, the spool and the broker of a running gateway.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tencent_live_webhook::{Decoded, Family, Notification, Reply, trtc};
use tencent_live_webhook_publish::Publisher;
use tencent_live_webhook_spool::{Appended, Spool};

use crate::answer::Answer;
use crate::forward::{Forwarded, Forwarder};
use crate::metrics::Metrics;
use crate::options::AppFailure;
use crate::output::{self, Format, Kept};
use crate::route::{Configured, IfAppFails, Plan};
use crate::writer::{LineWriter, Refused};

/// The writers, the forwarders, the spool and the broker of a running gateway.
pub(crate) struct Lines {
    pub(crate) stdout: LineWriter,
    pub(crate) record: Option<LineWriter>,
    pub(crate) forward: Option<Forwarder>,
    pub(crate) trtc_forward: Option<Forwarder>,
    pub(crate) on_app_failure: AppFailure,
    pub(crate) spool: Option<Spool>,
    /// Set while appends fail, so that a failing disk costs one log line, not one a
    /// webhook.
    pub(crate) spool_failing: AtomicBool,
    /// `--publish` without a spool: notifications are answered once the broker has them.
    pub(crate) publisher: Option<Publisher>,
    /// Set while publishing fails: one log line per outage.
    pub(crate) publish_failing: AtomicBool,
    pub(crate) format: Format,
    pub(crate) color: bool,
}

/// Where an accepted notification went, and so who answered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Went {
    /// Into the spool; `duplicate` when the spool had it already.
    Spool { duplicate: bool },
    /// Into the broker; `duplicate` when the stream had it already.
    Broker { duplicate: bool },
    /// To the app; `answered` when its answer is the one sent back.
    App { answered: bool },
    /// To standard output (or the demo's channel) only.
    Output,
    /// Nowhere: it could not be kept, and the answer says so.
    Nowhere,
}

impl Went {
    /// `spool`, `broker`, `app`, `output` or `nowhere`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Went::Spool { .. } => "spool",
            Went::Broker { .. } => "broker",
            Went::App { .. } => "app",
            Went::Output => "output",
            Went::Nowhere => "nowhere",
        }
    }

    /// Who made the answer that was sent back.
    pub(crate) fn answered_by(self) -> &'static str {
        match self {
            Went::App { answered: true } => "the app",
            Went::App { answered: false } => "the gateway (the app did not answer)",
            _ => "the gateway",
        }
    }
}

/// A notification's body for the HTTP client, shared with the notification, not copied.
struct SharedBody(Arc<Notification>);

impl AsRef<[u8]> for SharedBody {
    fn as_ref(&self) -> &[u8] {
        self.0.body().as_bytes()
    }
}

impl Lines {
    /// The outlets configured for `family`.
    fn configured(&self, family: Family) -> Configured {
        Configured {
            spool: self.spool.is_some(),
            publish: self.publisher.is_some(),
            forward: match family {
                Family::Trtc => self.trtc_forward.is_some(),
                Family::Live => self.forward.is_some(),
            },
            record: self.record.is_some(),
            on_app_failure: self.on_app_failure,
        }
    }

    /// Routes a notification ([`crate::route::plan`]) and carries the plan out. A stored
    /// or published notification is answered once it is kept, its line offered without
    /// waiting (a stalled reader costs lines, counted, not webhooks); anything else is
    /// answered only once its line is out. A notification that cannot be kept is answered
    /// as a failure so that the sender knows: 503 while a reader lags, the spool refuses
    /// or the broker is away, 500 once an output is gone. With the answer, where the
    /// notification went.
    pub(crate) async fn accept(
        &self,
        notification: Arc<Notification>,
        sign: Option<String>,
        metrics: Option<&Metrics>,
    ) -> (Answer, Went) {
        let family = notification.family();
        let plan = crate::route::plan(family, notification.is_blocking(), self.configured(family));
        let ack = || match family {
            Family::Trtc => Answer {
                status: 200,
                body: trtc::ACK.to_owned(),
            },
            Family::Live => Answer::reply(&Reply::ack()),
        };
        match plan {
            Plan::Spool { record } => {
                if record && let Err(answer) = self.record(&notification, None).await {
                    return (answer, Went::Nowhere);
                }
                let Some(spool) = &self.spool else {
                    return (ack(), Went::Output);
                };
                match self.stored(spool.append(&notification).await, family, metrics) {
                    Ok(appended) => {
                        let answer = ack();
                        let kept = Kept::Spool(&appended);
                        self.offer(self.line(&notification, &answer, None, Some(kept)), metrics);
                        let duplicate = appended.duplicate;
                        (answer, Went::Spool { duplicate })
                    }
                    Err(answer) => (answer, Went::Nowhere),
                }
            }
            Plan::Publish { record } => {
                if record && let Err(answer) = self.record(&notification, None).await {
                    return (answer, Went::Nowhere);
                }
                let Some(publisher) = &self.publisher else {
                    return (ack(), Went::Output);
                };
                match self.publish(publisher, &notification, metrics).await {
                    Ok(duplicate) => {
                        let answer = ack();
                        let kept = Kept::Broker {
                            id: notification.id(),
                            duplicate,
                        };
                        self.offer(self.line(&notification, &answer, None, Some(kept)), metrics);
                        (answer, Went::Broker { duplicate })
                    }
                    Err(answer) => (answer, Went::Nowhere),
                }
            }
            Plan::Forward {
                record,
                if_app_fails,
            } => {
                let (answer, forwarded) = self.forward(&notification, sign.as_deref()).await;
                let went = Went::App {
                    answered: answer.is_some(),
                };
                let answer = answer.unwrap_or_else(|| match if_app_fails {
                    // The app's decision is missing: the callback's own allowing or
                    // refusing reply, or a failure for Tencent's policy to settle.
                    IfAppFails::Allow => Answer::reply(&stand_in(&notification, true)),
                    IfAppFails::Refuse => Answer::reply(&stand_in(&notification, false)),
                    IfAppFails::Fail => Answer::failure(502, "forwarding to the app failed"),
                });
                if let Some(Forwarded::Failed { error }) = &forwarded {
                    tracing::warn!(
                        command = %notification.command_word(),
                        answered = answer.status,
                        %error,
                        "forwarding to the app failed"
                    );
                }
                let answer = self
                    .finish(&notification, answer, record, forwarded.as_ref())
                    .await;
                (answer, went)
            }
            Plan::Print { record } => (
                self.finish(&notification, ack(), record, None).await,
                Went::Output,
            ),
        }
    }

    /// Sends a notification to its app: the app's answer (`None` when there is none to
    /// pass on) and how it went.
    async fn forward(
        &self,
        notification: &Arc<Notification>,
        sign: Option<&str>,
    ) -> (Option<Answer>, Option<Forwarded>) {
        let body = bytes::Bytes::from_owner(SharedBody(Arc::clone(notification)));
        let (forwarder, trtc) = match notification.family() {
            Family::Trtc => (&self.trtc_forward, true),
            Family::Live => (&self.forward, false),
        };
        let Some(forwarder) = forwarder else {
            return (None, None);
        };
        let (answer, forwarded) = if trtc {
            let sign = sign.unwrap_or_default();
            forwarder
                .forward_trtc(sign, notification.sdk_app_id(), body)
                .await
        } else {
            forwarder.forward(notification.query(), body).await
        };
        (answer, Some(forwarded))
    }

    /// Records (when asked) and prints a notification answered `answer`; the answer once
    /// its line is out, or the failure to send instead.
    async fn finish(
        &self,
        notification: &Notification,
        answer: Answer,
        record: bool,
        forwarded: Option<&Forwarded>,
    ) -> Answer {
        if record && let Err(answer) = self.record(notification, forwarded).await {
            return answer;
        }
        let line = self.line(notification, &answer, forwarded, None);
        match self.stdout.write(line).await {
            Ok(()) => answer,
            Err(refusal) => refused_output(refusal, "standard output"),
        }
    }

    /// Appends the webhook's record line (with `--record`); the answer to send instead
    /// when it cannot be written.
    async fn record(
        &self,
        notification: &Notification,
        forwarded: Option<&Forwarded>,
    ) -> Result<(), Answer> {
        let Some(record) = &self.record else {
            return Ok(());
        };
        let Some(line) = output::record_line(
            notification.received_at_ms(),
            notification.query(),
            notification.body().as_bytes(),
            forwarded,
        ) else {
            tracing::error!("could not record webhook: its body is not UTF-8");
            return Err(Answer::failure(500, "could not record the webhook"));
        };
        record
            .write(line)
            .await
            .map_err(|refusal| refused_output(refusal, "record file"))
    }

    /// What an append to the spool means for the request: the append, counted when it was a
    /// duplicate, or the answer to send instead (logged once per spool outage).
    fn stored(
        &self,
        appended: Result<Appended, tencent_live_webhook_spool::AppendError>,
        family: Family,
        metrics: Option<&Metrics>,
    ) -> Result<Appended, Answer> {
        let what = match family {
            Family::Trtc => "callback",
            Family::Live => "webhook",
        };
        match appended {
            Ok(appended) => {
                if self.spool_failing.swap(false, Ordering::Relaxed) {
                    tracing::warn!("the spool takes webhooks again");
                }
                if appended.duplicate
                    && let Some(metrics) = metrics
                {
                    metrics.duplicate();
                }
                Ok(appended)
            }
            Err(error) => {
                if !self.spool_failing.swap(true, Ordering::Relaxed) {
                    tracing::error!(%error, "a {what} could not be stored: answered 503 (logged once until the spool recovers)");
                }
                Err(Answer::failure(
                    error.status(),
                    &format!("the {what} could not be stored: try again later"),
                ))
            }
        }
    }

    /// Publishes a notification and waits for the broker: whether it was a duplicate, or
    /// the answer to send instead (503: the broker is down or too slow), logged once per
    /// outage.
    async fn publish(
        &self,
        publisher: &Publisher,
        notification: &Notification,
        metrics: Option<&Metrics>,
    ) -> Result<bool, Answer> {
        match publisher.publish(notification.envelope()).await {
            Ok(published) => {
                if self.publish_failing.swap(false, Ordering::Relaxed) {
                    tracing::warn!("the broker takes webhooks again");
                }
                if let Some(metrics) = metrics {
                    metrics.published(if published.duplicate {
                        "duplicate"
                    } else {
                        "ok"
                    });
                }
                Ok(published.duplicate)
            }
            Err(error) => {
                if let Some(metrics) = metrics {
                    metrics.published("failed");
                }
                if !self.publish_failing.swap(true, Ordering::Relaxed) {
                    tracing::error!(%error, "a webhook could not be published: answered 503 (logged once until the broker recovers)");
                }
                Err(Answer::failure(
                    error.status(),
                    "the webhook could not be published: try again later",
                ))
            }
        }
    }

    /// Offers a line to standard output without waiting: a stalled reader costs lines
    /// (counted), not webhooks.
    fn offer(&self, line: String, metrics: Option<&Metrics>) {
        if self.stdout.offer(line).is_err()
            && let Some(metrics) = metrics
        {
            metrics.dropped_line();
        }
    }

    fn line(
        &self,
        notification: &Notification,
        answer: &Answer,
        forwarded: Option<&Forwarded>,
        kept: Option<Kept<'_>>,
    ) -> String {
        notification_line(
            self.format,
            notification,
            answer,
            forwarded,
            kept,
            self.color,
        )
    }
}

/// A notification's line in `format`: `json_line` or `human_line` for a Live webhook,
/// their TRTC counterparts for a TRTC callback.
fn notification_line(
    format: Format,
    notification: &Notification,
    answer: &Answer,
    forwarded: Option<&Forwarded>,
    kept: Option<Kept<'_>>,
    color: bool,
) -> String {
    let received_at_ms = notification.received_at_ms();
    match (notification.decoded(), format) {
        (Decoded::Live(webhook), Format::Json) => {
            output::json_line(webhook, Some(received_at_ms), forwarded, kept)
        }
        (Decoded::Live(webhook), Format::Human) => {
            output::human_line(webhook, answer, forwarded, kept, color)
        }
        (Decoded::Trtc(callback), Format::Json) => {
            crate::trtc_output::trtc_json_line(callback, received_at_ms, forwarded, kept)
        }
        (Decoded::Trtc(callback), Format::Human) => {
            crate::trtc_output::trtc_human_line(callback, answer, forwarded, kept, color)
        }
    }
}

/// The reply the gateway makes in the app's place for a blocking callback: the event's
/// allowing (or refusing) reply, or the plain one when its body did not fit the event.
fn stand_in(notification: &Notification, allow: bool) -> Reply {
    let event = match notification.decoded() {
        Decoded::Live(webhook) => webhook.event(),
        Decoded::Trtc(_) => None,
    };
    match (event, allow) {
        (Some(event), true) => event.allowing_reply(),
        (Some(event), false) => event.refusing_reply().unwrap_or_else(Reply::reject),
        (None, true) => Reply::allow(),
        (None, false) => Reply::reject(),
    }
}

/// The answer when a webhook's line could not be written to `output`.
pub(crate) fn refused_output(refusal: Refused, output: &str) -> Answer {
    match refusal {
        Refused::Lagging => Answer::failure(503, "output is not being read: try again later"),
        Refused::Closed => {
            tracing::error!("could not record webhook: the {output} is closed");
            Answer::failure(500, "could not record the webhook")
        }
    }
}
