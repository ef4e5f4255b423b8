//! Running a gateway: the state every framework's handler shares, what happens to an
//! accepted webhook, and the start and stop of it all.

use std::fs::File;
use std::future::Future;
use std::io::{self, IsTerminal};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Instant;

use tencent_live_webhook::{Receiver, Reply, Token, TrustedEnvelope, Webhook, trtc};
use tencent_live_webhook_adapter::WebhookConfig;
use tencent_live_webhook_publish::Publisher;
use tencent_live_webhook_spool::{Appended, HttpDestination, Spool};

use crate::admin::Health;
use crate::answer::Answer;
use crate::background::Background;
use crate::forward::Forwarder;
use crate::metrics::Metrics;
use crate::options::{AppFailure, ColorChoice, Framework, GatewayOptions, Limits};
use crate::outbox::{Broker, SpoolTarget};
use crate::output::{self, Format, Kept};
use crate::writer::{self, LineWriter, Refused};

/// Why the gateway cannot start.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayError {
    /// The options do not fit together or name something that cannot be used: say so and
    /// exit 2.
    Usage(String),
    /// A file or the network failed: exit 1.
    Io(String),
}

impl std::fmt::Display for GatewayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GatewayError::Usage(message) | GatewayError::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for GatewayError {}

/// Where accepted webhooks go.
pub enum Sink {
    /// Printed on standard output (and forwarded, spooled and recorded as asked).
    Stdout(Box<Outlets>),
    /// Handed to a channel (the demo).
    Channel(Sender<Webhook>),
}

/// The gateway's parts, ready to run.
pub struct Outlets {
    forward: Option<Forwarder>,
    trtc_forward: Option<Forwarder>,
    on_app_failure: AppFailure,
    spool: Option<Spooling>,
    record: Option<File>,
    format: Format,
    color: bool,
    admin: Option<SocketAddr>,
    admin_token: Option<crate::console::AdminToken>,
    broker: Option<Broker>,
}

/// A spool and where its webhooks go.
struct Spooling {
    spool: Spool,
    destination: SpoolTarget,
}

impl Sink {
    /// Standard output with the gateway's forwarding, spooling, recording and format.
    /// Deliveries from the spool are signed afresh with `resign_with` (the app's first
    /// token; `None` for an app without one), TRTC callbacks with `trtc_key` (the first
    /// TRTC key, when TRTC callbacks are received).
    pub fn stdout(
        options: GatewayOptions,
        resign_with: Option<Token>,
        trtc_key: Option<trtc::Key>,
    ) -> Result<Sink, GatewayError> {
        let authorities = match &options.cacert {
            Some(path) => crate::app::authorities(path).map_err(GatewayError::Io)?,
            None => Vec::new(),
        };
        let forward = match &options.forward_to {
            Some(url) => {
                crate::app::check_url("--forward-to", url).map_err(GatewayError::Usage)?;
                let timeout = options.forward_timeout;
                Some(
                    Forwarder::new(url.clone(), timeout, authorities.clone())
                        .map_err(GatewayError::Io)?,
                )
            }
            None => None,
        };
        let trtc_url = match (
            &trtc_key,
            &options.trtc.trtc_forward_to,
            &options.forward_to,
        ) {
            (None, _, _) | (Some(_), None, None) => None,
            (Some(_), Some(url), _) => {
                crate::app::check_url("--trtc-forward-to", url).map_err(GatewayError::Usage)?;
                Some(url.clone())
            }
            (Some(_), None, Some(live)) => Some(
                crate::app::with_path(live, &options.trtc.trtc_path)
                    .map_err(GatewayError::Usage)?,
            ),
        };
        let trtc_forward = match &trtc_url {
            Some(url) => Some(
                Forwarder::new(url.clone(), options.forward_timeout, authorities.clone())
                    .map_err(GatewayError::Io)?,
            ),
            None => None,
        };
        let broker = Broker::connect(&options.publish, options.spool.dedup_window)?;
        let spool = match (&options.spool.spool, &options.forward_to, &broker) {
            (None, _, _) => None,
            (Some(_), None, None) => {
                return Err(GatewayError::Usage(
                    "--spool needs somewhere to deliver the webhooks it keeps: add --forward-to URL or --publish URL"
                        .into(),
                ));
            }
            (Some(path), _, Some(broker)) => {
                let spool = Spool::open(path, options.spool.broker_config())
                    .map_err(|error| GatewayError::Io(error.to_string()))?;
                Some(Spooling {
                    spool,
                    destination: SpoolTarget::Broker(broker.publisher.clone()),
                })
            }
            (Some(path), Some(url), None) => {
                let config = options.spool.config();
                let mut destination = HttpDestination::new(
                    url.clone(),
                    resign_with,
                    options.spool.delivery_timeout,
                    authorities,
                )
                .map_err(|error| GatewayError::Usage(error.to_string()))?;
                if let (Some(url), Some(key)) = (&trtc_url, trtc_key) {
                    destination = destination.trtc(url.clone(), key);
                }
                let spool = Spool::open(path, config)
                    .map_err(|error| GatewayError::Io(error.to_string()))?;
                Some(Spooling {
                    spool,
                    destination: SpoolTarget::Http(destination),
                })
            }
        };
        let admin = match &options.admin_listen {
            Some(address) => Some(
                crate::resolve_address(address)
                    .map_err(|error| GatewayError::Usage(format!("--admin-listen {error}")))?,
            ),
            None => None,
        };
        let admin_token = options
            .admin_token
            .as_deref()
            .map(crate::console::AdminToken::new)
            .transpose()
            .map_err(|error| GatewayError::Usage(format!("--admin-token: {error}")))?;
        if let Some(address) = admin
            && !address.ip().is_loopback()
            && admin_token.is_none()
        {
            return Err(GatewayError::Usage(format!(
                "--admin-listen {address} is reachable from other machines: set LIVE_WEBHOOK_ADMIN_TOKEN (or --admin-token) to protect the console"
            )));
        }
        let record = match options.record {
            Some(path) => Some(
                File::options()
                    .append(true)
                    .create(true)
                    .open(&path)
                    .map_err(|error| {
                        GatewayError::Io(format!("cannot open {}: {error}", path.display()))
                    })?,
            ),
            None => None,
        };
        let terminal = io::stdout().is_terminal();
        let format = options.format.unwrap_or(if terminal {
            Format::Human
        } else {
            Format::Json
        });
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let color = match options.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        };
        Ok(Sink::Stdout(Box::new(Outlets {
            forward,
            trtc_forward,
            on_app_failure: options.on_app_failure,
            spool,
            record,
            format,
            color,
            admin,
            admin_token,
            broker,
        })))
    }
}

/// A sink in use.
enum Output {
    Lines(Box<Lines>),
    Channel(Sender<Webhook>),
}

/// The writers, the forwarder and the spool of a running gateway.
struct Lines {
    stdout: LineWriter,
    record: Option<LineWriter>,
    forward: Option<Forwarder>,
    trtc_forward: Option<Forwarder>,
    on_app_failure: AppFailure,
    spool: Option<Spool>,
    /// Set while appends fail, so that a failing disk costs one log line, not one a
    /// webhook.
    spool_failing: AtomicBool,
    /// `--publish` without a spool: notifications are answered once the broker has them.
    publisher: Option<Publisher>,
    /// Set while publishing fails: one log line per outage.
    publish_failing: AtomicBool,
    format: Format,
    color: bool,
}

/// A verified webhook and the request's exact query string and body.
pub(crate) struct Delivery {
    pub(crate) webhook: Webhook,
    pub(crate) query: String,
    pub(crate) body: Vec<u8>,
}

/// A verified TRTC callback, its exact body and the `Sign` it came with.
pub(crate) struct TrtcDelivery {
    pub(crate) callback: trtc::Callback,
    pub(crate) body: Vec<u8>,
    pub(crate) sign: String,
}

/// The `Sign` header's text (a verified one is base64, so ASCII), to forward as it came.
pub(crate) fn sign_header(value: Option<&[u8]>) -> String {
    value
        .and_then(|value| std::str::from_utf8(value).ok())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// When to stop.
pub enum Shutdown {
    /// On SIGINT or SIGTERM.
    Signals,
    /// When the sender is used or dropped.
    Channel(tokio::sync::oneshot::Receiver<()>),
}

type Stop = Pin<Box<dyn Future<Output = ()> + Send>>;

impl Shutdown {
    /// The future that completes when it is time to stop. Signal handlers are installed
    /// here, at once, so that a signal arriving any time after this is handled. Must be
    /// called inside a Tokio runtime.
    pub(crate) fn listen(self) -> io::Result<Stop> {
        match self {
            Shutdown::Channel(receiver) => Ok(Box::pin(async move {
                let _ = receiver.await;
            })),
            Shutdown::Signals => {
                #[cfg(unix)]
                {
                    use tokio::signal::unix::{SignalKind, signal};
                    let mut terminate = signal(SignalKind::terminate())?;
                    let mut interrupt = signal(SignalKind::interrupt())?;
                    Ok(Box::pin(async move {
                        tokio::select! {
                            _ = terminate.recv() => {}
                            _ = interrupt.recv() => {}
                        }
                    }))
                }
                #[cfg(not(unix))]
                {
                    Ok(Box::pin(async {
                        let _ = tokio::signal::ctrl_c().await;
                    }))
                }
            }
        }
    }
}

/// A receiver to run.
pub struct Server {
    /// What is verified and how large a body may be.
    pub receiver: Receiver,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The framework to serve with.
    pub framework: Framework,
    /// Only this URL path (any path when `None`).
    pub path: Option<String>,
    /// Where accepted webhooks go.
    pub sink: Sink,
    /// Time and count limits.
    pub limits: Limits,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The only clients webhooks are taken from (`None`: any).
    pub allow_from: Option<Vec<ipnet::IpNet>>,
    /// TRTC's own callbacks, when they are received too.
    pub trtc: Option<TrtcReceiving>,
}

/// Where TRTC callbacks are received and how they are verified.
pub struct TrtcReceiving {
    /// The keys and the replay window.
    pub verifier: trtc::Verifier,
    /// The URL path they arrive on.
    pub path: String,
}

/// Where a started gateway listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Listening {
    /// The webhook port.
    pub webhooks: SocketAddr,
    /// The admin listener (`/metrics`, `/healthz`, `/readyz`), when asked for.
    pub admin: Option<SocketAddr>,
}

/// What every framework's handler shares: the path to answer on, where webhooks go, the
/// receiver's configuration (whose log limit other refusals share), metrics and health.
pub(crate) struct State {
    pub(crate) path: Option<String>,
    trtc_path: Option<String>,
    output: Output,
    config: WebhookConfig,
    metrics: Option<Arc<Metrics>>,
    pub(crate) health: Arc<Health>,
    /// The web console's memory, when the admin listener serves it.
    console: Option<Arc<crate::console::Console>>,
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
        Some(Answer::failure(status, reason))
    }

    /// Counts a refused request.
    pub(crate) fn refused(&self, status: u16) {
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

    /// Handles an accepted webhook, never blocking a thread. See [`Lines::accept`].
    pub(crate) async fn accept(&self, delivery: Delivery) -> Answer {
        if let Some(metrics) = &self.metrics {
            metrics.received(delivery.webhook.command());
        }
        let Some(console) = &self.console else {
            return self.answer(delivery).await;
        };
        let meta = delivery.webhook.meta();
        let record = crate::console::Record {
            id: TrustedEnvelope::id_of(meta.sdk_app_id, &meta.command_word, &delivery.body),
            state: "answered",
            command: meta.command_word.to_string(),
            sdkappid: meta.sdk_app_id,
            room: delivery
                .webhook
                .event()
                .and_then(tencent_live_webhook::Event::room_id)
                .map(str::to_owned),
            received_at_ms: tencent_live_webhook_spool::system_clock_ms(),
            attempts: 1,
            last_status: None,
            last_error: None,
            query: delivery.query.clone(),
            body: String::from_utf8_lossy(&delivery.body).into_owned(),
        };
        let answer = self.answer(delivery).await;
        console.window.push(record.answered(&answer));
        answer
    }

    async fn answer(&self, delivery: Delivery) -> Answer {
        match &self.output {
            Output::Lines(lines) => lines.accept(delivery, self.metrics.as_deref()).await,
            Output::Channel(sender) => match sender.send(delivery.webhook) {
                Ok(()) => Answer::reply(&Reply::ack()),
                Err(_) => refused(Refused::Closed, "output"),
            },
        }
    }
}

impl State {
    /// Handles an accepted TRTC callback. See [`Lines::accept_trtc`].
    pub(crate) async fn accept_trtc(&self, delivery: TrtcDelivery) -> Answer {
        if let Some(metrics) = &self.metrics {
            metrics.received_trtc();
        }
        let Some(console) = &self.console else {
            return self.answer_trtc(delivery).await;
        };
        let callback = &delivery.callback;
        let record = crate::console::Record {
            id: callback.event_id().to_owned(),
            state: "answered",
            command: format!(
                "{}{}:{}",
                tencent_live_webhook::TRTC_COMMAND_PREFIX,
                callback.group(),
                callback.event_type()
            ),
            sdkappid: callback.sdk_app_id(),
            room: callback
                .event()
                .and_then(trtc::Event::room_id)
                .map(ToString::to_string),
            received_at_ms: tencent_live_webhook_spool::system_clock_ms(),
            attempts: 1,
            last_status: None,
            last_error: None,
            query: String::new(),
            body: String::from_utf8_lossy(&delivery.body).into_owned(),
        };
        let answer = self.answer_trtc(delivery).await;
        console.window.push(record.answered(&answer));
        answer
    }

    async fn answer_trtc(&self, delivery: TrtcDelivery) -> Answer {
        match &self.output {
            Output::Lines(lines) => lines.accept_trtc(delivery, self.metrics.as_deref()).await,
            // The demo receives no TRTC callbacks; never acknowledge one that goes nowhere.
            Output::Channel(_) => Answer::failure(500, "TRTC callbacks are not handled here"),
        }
    }
}

impl Lines {
    /// A TRTC callback is stored in the spool (with `--spool`) and answered once it is on
    /// disk; otherwise forwarded (when there is somewhere to forward it) and printed, and
    /// answered once its line is out. Answered 200 `{"code":0}`; a callback that cannot be
    /// kept is answered as a failure, and Tencent tries it again for about a minute.
    async fn accept_trtc(&self, delivery: TrtcDelivery, metrics: Option<&Metrics>) -> Answer {
        let TrtcDelivery {
            callback,
            body,
            sign,
        } = delivery;
        let received_at_ms = tencent_live_webhook_spool::system_clock_ms();
        let ack = || Answer {
            status: 200,
            body: trtc::ACK.to_owned(),
        };
        if let Some(spool) = &self.spool {
            let appended = spool.append_trtc(&callback, &body, received_at_ms).await;
            return match self.stored(appended, "callback", metrics) {
                Ok(appended) => {
                    let answer = ack();
                    let line = self.trtc_line(
                        &callback,
                        received_at_ms,
                        &answer,
                        None,
                        Some(Kept::Spool(&appended)),
                    );
                    self.offer(line, metrics);
                    answer
                }
                Err(answer) => answer,
            };
        }
        if let Some(publisher) = &self.publisher {
            let envelope = match TrustedEnvelope::from_trtc(&callback, &body, received_at_ms) {
                Ok(envelope) => envelope,
                Err(error) => {
                    tracing::error!(%error, "a TRTC callback cannot be put in an envelope");
                    return Answer::failure(500, "the callback could not be kept");
                }
            };
            return match self.publish(publisher, &envelope, metrics).await {
                Ok(duplicate) => {
                    let answer = ack();
                    let kept = Kept::Broker {
                        id: envelope.id(),
                        duplicate,
                    };
                    let line = self.trtc_line(&callback, received_at_ms, &answer, None, Some(kept));
                    self.offer(line, metrics);
                    answer
                }
                Err(answer) => answer,
            };
        }
        let (answer, forwarded) = match &self.trtc_forward {
            None => (ack(), None),
            Some(forwarder) => {
                let (answer, forwarded) = forwarder
                    .forward_trtc(&sign, callback.sdk_app_id(), bytes::Bytes::from(body))
                    .await;
                let answer =
                    answer.unwrap_or_else(|| Answer::failure(502, "forwarding to the app failed"));
                (answer, Some(forwarded))
            }
        };
        let line = self.trtc_line(&callback, received_at_ms, &answer, forwarded.as_ref(), None);
        match self.stdout.write(line).await {
            Ok(()) => answer,
            Err(refusal) => refused(refusal, "standard output"),
        }
    }

    fn trtc_line(
        &self,
        callback: &trtc::Callback,
        received_at_ms: u64,
        answer: &Answer,
        forwarded: Option<&crate::forward::Forwarded>,
        kept: Option<Kept<'_>>,
    ) -> String {
        match self.format {
            Format::Json => {
                crate::trtc_output::trtc_json_line(callback, received_at_ms, forwarded, kept)
            }
            Format::Human => {
                crate::trtc_output::trtc_human_line(callback, answer, forwarded, kept, self.color)
            }
        }
    }

    /// Publishes an envelope and waits for the broker: whether it was a duplicate, or the
    /// answer to send instead (503: the broker is down or too slow), logged once per
    /// outage.
    async fn publish(
        &self,
        publisher: &Publisher,
        envelope: &TrustedEnvelope,
        metrics: Option<&Metrics>,
    ) -> Result<bool, Answer> {
        match publisher.publish(envelope).await {
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

    /// A notification is stored in the spool (with `--spool`) and answered 200 once it is
    /// on disk, its line printed if the reader keeps up; anything else is forwarded (with
    /// `--forward-to`) and printed, and answered only once its line is out. With
    /// `--record`, each is recorded before it is answered (after forwarding, with how that
    /// went). A webhook that cannot be kept is answered as a failure so that the sender
    /// knows: 503 while a reader lags or the spool refuses, 500 once an output is gone.
    async fn accept(&self, delivery: Delivery, metrics: Option<&Metrics>) -> Answer {
        let Delivery {
            webhook,
            query,
            body,
        } = delivery;
        let received_at_ms = tencent_live_webhook_spool::system_clock_ms();
        // Shared with the forwarder, kept for the record: one buffer for both.
        let body = bytes::Bytes::from(body);
        if let Some(spool) = &self.spool
            && !webhook.command().is_blocking()
        {
            if let Err(answer) = self.record(received_at_ms, &query, &body, None).await {
                return answer;
            }
            return self
                .spool(spool, &webhook, &query, &body, received_at_ms, metrics)
                .await;
        }
        if let Some(publisher) = &self.publisher
            && !webhook.command().is_blocking()
        {
            if let Err(answer) = self.record(received_at_ms, &query, &body, None).await {
                return answer;
            }
            let envelope = match TrustedEnvelope::new(&webhook, &query, &body, received_at_ms) {
                Ok(envelope) => envelope,
                Err(error) => {
                    tracing::error!(%error, "a webhook cannot be put in an envelope");
                    return Answer::failure(500, "the webhook could not be kept");
                }
            };
            return match self.publish(publisher, &envelope, metrics).await {
                Ok(duplicate) => {
                    let answer = Answer::reply(&Reply::ack());
                    let kept = Kept::Broker {
                        id: envelope.id(),
                        duplicate,
                    };
                    let line = self.line(&webhook, received_at_ms, &answer, None, Some(kept));
                    self.offer(line, metrics);
                    answer
                }
                Err(answer) => answer,
            };
        }
        let (answer, forwarded) = match &self.forward {
            None => (Answer::reply(&Reply::ack()), None),
            Some(forwarder) => {
                let blocking = webhook.command().is_blocking();
                let (answer, forwarded) = forwarder.forward(&query, body.clone()).await;
                let answer = answer.unwrap_or_else(|| match self.on_app_failure {
                    // The app's decision is missing: let the gift or message through.
                    AppFailure::Allow if blocking => Answer::reply(&Reply::ack()),
                    _ => Answer::failure(502, "forwarding to the app failed"),
                });
                (answer, Some(forwarded))
            }
        };
        if let Err(answer) = self
            .record(received_at_ms, &query, &body, forwarded.as_ref())
            .await
        {
            return answer;
        }
        let line = self.line(&webhook, received_at_ms, &answer, forwarded.as_ref(), None);
        match self.stdout.write(line).await {
            Ok(()) => answer,
            Err(refusal) => refused(refusal, "standard output"),
        }
    }

    /// Appends the webhook's record line (with `--record`); the answer to send instead
    /// when it cannot be written.
    async fn record(
        &self,
        received_at_ms: u64,
        query: &str,
        body: &[u8],
        forwarded: Option<&crate::forward::Forwarded>,
    ) -> Result<(), Answer> {
        let Some(record) = &self.record else {
            return Ok(());
        };
        let Some(line) = output::record_line(received_at_ms, query, body, forwarded) else {
            tracing::error!("could not record webhook: its body is not UTF-8");
            return Err(Answer::failure(500, "could not record the webhook"));
        };
        record
            .write(line)
            .await
            .map_err(|refusal| refused(refusal, "record file"))
    }

    /// Stores a notification; 200 once it is on disk. Its line is offered to standard
    /// output without waiting: a stalled reader costs lines (counted), not webhooks.
    async fn spool(
        &self,
        spool: &Spool,
        webhook: &Webhook,
        query: &str,
        body: &[u8],
        received_at_ms: u64,
        metrics: Option<&Metrics>,
    ) -> Answer {
        let appended = spool.append(webhook, query, body, received_at_ms).await;
        match self.stored(appended, "webhook", metrics) {
            Ok(appended) => {
                let answer = Answer::reply(&Reply::ack());
                let line = self.line(
                    webhook,
                    received_at_ms,
                    &answer,
                    None,
                    Some(Kept::Spool(&appended)),
                );
                self.offer(line, metrics);
                answer
            }
            Err(answer) => answer,
        }
    }

    /// What an append to the spool means for the request: the append, counted when it was a
    /// duplicate, or the answer to send instead (logged once per spool outage). `what`
    /// names the request in the log line and the answer: `webhook` or `callback`.
    fn stored(
        &self,
        appended: Result<Appended, tencent_live_webhook_spool::AppendError>,
        what: &str,
        metrics: Option<&Metrics>,
    ) -> Result<Appended, Answer> {
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

    fn line(
        &self,
        webhook: &Webhook,
        received_at_ms: u64,
        answer: &Answer,
        forwarded: Option<&crate::forward::Forwarded>,
        kept: Option<Kept<'_>>,
    ) -> String {
        match self.format {
            Format::Json => output::json_line(webhook, Some(received_at_ms), forwarded, kept),
            Format::Human => output::human_line(webhook, answer, forwarded, kept, self.color),
        }
    }
}

/// The answer when a webhook's line could not be written to `output`.
fn refused(refusal: Refused, output: &str) -> Answer {
    match refusal {
        Refused::Lagging => Answer::failure(503, "output is not being read: try again later"),
        Refused::Closed => {
            tracing::error!("could not record webhook: the {output} is closed");
            Answer::failure(500, "could not record the webhook")
        }
    }
}

/// Serves until `shutdown`; calls `ready` once accepting.
///
/// On shutdown, `/readyz` answers 503 at once; the server stops accepting, lets requests
/// in flight finish within the shutdown timeout, then waits (within the same timeout)
/// until every acknowledged webhook's line is written; deliveries under way from the
/// spool may finish within the delivery timeout (what does not is made again at the next
/// start).
pub fn run(
    server: Server,
    ready: impl FnOnce(Listening) + Send + 'static,
    shutdown: Shutdown,
) -> io::Result<()> {
    let limits = server.limits;
    let descriptors = raise_descriptor_limit();
    let max_connections = limits.connections_within(descriptors);
    let mut flushes = Vec::new();
    let mut admin = None;
    let mut admin_token = None;
    let mut worker = None;
    let mut spool = None;
    // The broker's connection lives on this runtime until the gateway is done.
    let mut broker_runtime = None;
    let output = match server.sink {
        Sink::Stdout(outlets) => {
            let Outlets {
                forward,
                trtc_forward,
                on_app_failure,
                spool: spooling,
                record,
                format,
                color,
                admin: admin_address,
                admin_token: token,
                broker,
            } = *outlets;
            admin_token = token;
            let mut publisher = None;
            if let Some(Broker {
                runtime,
                publisher: connected,
            }) = broker
            {
                broker_runtime = Some(runtime);
                // With a spool, its worker publishes (on the broker's runtime); without
                // one, each request does.
                if spooling.is_none() {
                    publisher = Some(connected);
                }
            }
            let capacity = usize::try_from(limits.output_queue).unwrap_or(usize::MAX);
            let (stdout, flush) = LineWriter::spawn(
                io::stdout(),
                writer::stdout_ready_check(),
                capacity,
                limits.output_timeout,
            )?;
            flushes.push(flush);
            let record = match record {
                Some(file) => {
                    // A file never waits for a reader, but a disk can stall: through the
                    // writer thread, under the same queue and deadline.
                    let (writer, flush) =
                        LineWriter::spawn(file, None, capacity, limits.output_timeout)?;
                    flushes.push(flush);
                    Some(writer)
                }
                None => None,
            };
            if let Some(Spooling {
                spool: kept,
                destination,
            }) = spooling
            {
                worker = Some((kept.clone(), destination));
                spool = Some(kept);
            }
            if let Some(address) = admin_address {
                admin = Some(std::net::TcpListener::bind(address)?);
            }
            Output::Lines(Box::new(Lines {
                stdout,
                record,
                forward,
                trtc_forward,
                on_app_failure,
                spool: spool.clone(),
                spool_failing: AtomicBool::new(false),
                publisher,
                publish_failing: AtomicBool::new(false),
                format,
                color,
            }))
        }
        Sink::Channel(sender) => Output::Channel(sender),
    };
    let health = Arc::new(Health::new(spool.clone()));
    let metrics = admin
        .is_some()
        .then(|| Arc::new(Metrics::new(spool.clone())));
    let console = admin
        .is_some()
        .then(|| Arc::new(crate::console::Console::new(spool.clone(), admin_token)));
    let admin_address = admin
        .as_ref()
        .map(std::net::TcpListener::local_addr)
        .transpose()?;
    let background = Background::start(
        admin
            .zip(metrics.clone())
            .zip(console.clone())
            .map(|((listener, metrics), console)| {
                (
                    listener,
                    crate::admin::Admin {
                        metrics,
                        health: Arc::clone(&health),
                        console,
                    },
                )
            }),
        worker,
        // The worker publishes from the broker connection's own runtime.
        if spool.is_some() {
            broker_runtime.take()
        } else {
            None
        },
    )?;
    let mut config = WebhookConfig::from(server.receiver)
        .body_timeout(limits.body_timeout)
        .refusal_log_limit(limits.log_refusals_per_sec)
        .trusted_proxies(server.trusted_proxies);
    if let Some(allowed) = server.allow_from {
        config = config.allow_from(allowed);
    }
    let mut trtc_path = None;
    if let Some(trtc) = server.trtc {
        config = config.trtc(trtc.verifier);
        trtc_path = Some(trtc.path);
    }
    let state = State {
        path: server.path,
        trtc_path,
        output,
        config: config.clone(),
        metrics,
        health,
        console,
    };
    let serving = Serving {
        config,
        listen: server.listen,
        state,
        limits: limits.clone(),
        max_connections,
    };
    let ready = move |webhooks| {
        ready(Listening {
            webhooks,
            admin: admin_address,
        });
    };
    let served = match server.framework {
        #[cfg(feature = "actix")]
        Framework::Actix => crate::actix::run(serving, ready, shutdown),
        #[cfg(feature = "warp")]
        Framework::Warp => crate::warp::run(serving, ready, shutdown),
        #[cfg(feature = "axum")]
        Framework::Axum => crate::axum::run(serving, ready, shutdown),
    };
    // The frameworks have dropped the state, and with it the writers: what is queued is
    // all there is to write.
    let until = Instant::now() + limits.shutdown_timeout;
    for flush in flushes {
        if !flush.wait(until.saturating_duration_since(Instant::now())) {
            tracing::error!("an output is not being written: webhook lines are left unwritten");
        }
    }
    background.finish();
    drop(broker_runtime);
    served
}

/// What a framework's `run` gets.
pub(crate) struct Serving {
    pub(crate) config: WebhookConfig,
    pub(crate) listen: SocketAddr,
    pub(crate) state: State,
    pub(crate) limits: Limits,
    /// [`Limits::max_connections`] under the file-descriptor limit.
    pub(crate) max_connections: usize,
}

/// The limits of the hyper loop warp and axum are served through; parser refusals are
/// counted with the others.
#[cfg(any(feature = "warp", feature = "axum"))]
pub(crate) fn serve_limits(
    limits: &Limits,
    max_connections: usize,
    state: Arc<State>,
) -> tencent_live_webhook_adapter::ServeLimits {
    let mut serve = tencent_live_webhook_adapter::ServeLimits::default();
    serve.header_timeout = limits.header_timeout;
    serve.max_connections = max_connections;
    serve.shutdown_timeout = limits.shutdown_timeout;
    serve.parser_refused = Some(Arc::new(move |status| state.refused(status)));
    serve
}

impl Serving {
    /// The stop future of `shutdown`, which also marks the gateway as stopping (so
    /// `/readyz` answers 503 at once). Must be called inside a Tokio runtime.
    pub(crate) fn stop_on(&self, shutdown: Shutdown) -> io::Result<Stop> {
        let stop = shutdown.listen()?;
        let health = Arc::clone(&self.state.health);
        Ok(Box::pin(async move {
            stop.await;
            health.stop();
        }))
    }
}

/// Raises the soft file-descriptor limit to the hard one; returns the limit in force.
fn raise_descriptor_limit() -> u64 {
    #[cfg(unix)]
    {
        match rlimit::increase_nofile_limit(u64::MAX) {
            Ok(limit) => limit,
            Err(error) => {
                tracing::warn!(%error, "cannot raise the file-descriptor limit");
                rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
            }
        }
    }
    #[cfg(not(unix))]
    {
        u64::MAX
    }
}

/// Connections the kernel may queue before they are accepted.
const BACKLOG: u32 = 2048;

/// Binds `address` with a backlog that absorbs bursts while every slot is busy. Must be
/// called inside a Tokio runtime.
pub(crate) fn bind(address: SocketAddr) -> io::Result<tokio::net::TcpListener> {
    let socket = if address.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(BACKLOG)
}

/// The runtime warp and axum run on: two workers, like actix's.
#[cfg(any(feature = "warp", feature = "axum"))]
pub(crate) fn tokio_runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}
