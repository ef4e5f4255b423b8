#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

#[cfg(feature = "hyper")]
mod serve;
mod source;
#[cfg(feature = "hyper")]
mod watch;

pub use ipnet::IpNet;
#[cfg(feature = "hyper")]
pub use serve::{ServeLimits, serve};
use source::Sources;
pub use source::{PeerAddr, Source};

use std::fmt;
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Buf;
use futures_util::{Stream, StreamExt};
pub use tencent_live_webhook;
use tencent_live_webhook::trtc;
use tencent_live_webhook::{
    Command, Incoming, Probe, Received, Receiver, Rejection, Reply, Verifier, Webhook, WebhookQuery,
};

/// The default deadline for a whole body to arrive: 10 seconds.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// The default number of refusal log lines written per second; further refusals in the
/// same second are counted and summed up in one line.
pub const DEFAULT_REFUSAL_LOG_LINES_PER_SEC: u32 = 20;

/// How webhooks are received: the verifier (and, for TRTC callbacks, the TRTC verifier),
/// the body limit and deadline, the clock, and how many refusals are logged.
///
/// Cheap to clone (reference counts), so frameworks can hand a copy to every request.
///
/// ```
/// use std::time::Duration;
/// use tencent_live_webhook_adapter::WebhookConfig;
/// use tencent_live_webhook_adapter::tencent_live_webhook::{Token, Verifier};
///
/// let config = WebhookConfig::new(Verifier::new().app(1_400_000_000, [Token::new("secret")?]))
///     .body_limit(64 * 1024)
///     .body_timeout(Duration::from_secs(5))
///     .clock(|| 1_700_000_000); // tests pin the time; the system clock by default
/// assert_eq!(config.now(), 1_700_000_000);
/// assert_eq!(config.receiver().limit(), 65_536);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct WebhookConfig {
    receiver: Arc<Receiver>,
    trtc: Option<Arc<trtc::Receiver>>,
    /// Unix milliseconds.
    clock: Arc<dyn Fn() -> u64 + Send + Sync>,
    body_timeout: Duration,
    refusal_log: Arc<RefusalLog>,
    sources: Arc<Sources>,
}

impl WebhookConfig {
    /// Receives webhooks for the verifier's apps, with the default body limit (256 KiB),
    /// body deadline ([`DEFAULT_BODY_TIMEOUT`]) and the system clock.
    pub fn new(verifier: Verifier) -> WebhookConfig {
        WebhookConfig::from(Receiver::new(verifier))
    }

    /// Sets the largest body accepted, in bytes.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> WebhookConfig {
        self.receiver = Arc::new((*self.receiver).clone().body_limit(bytes));
        self.trtc = self
            .trtc
            .map(|trtc| Arc::new((*trtc).clone().body_limit(bytes)));
        self
    }

    /// Receives webhooks only for TRTC's own callbacks (room, media, recording), verified
    /// with `verifier`: [`WebhookConfig::trtc`] on a configuration without Live apps.
    pub fn for_trtc(verifier: trtc::Verifier) -> WebhookConfig {
        WebhookConfig::new(Verifier::new()).trtc(verifier)
    }

    /// Also receives TRTC callbacks (each adapter's `TrtcCallback` extractor), verified with
    /// `verifier`, under the same body limit, deadline, allow-list and refusal log.
    ///
    /// ```
    /// use tencent_live_webhook_adapter::WebhookConfig;
    /// use tencent_live_webhook_adapter::tencent_live_webhook::{Token, Verifier, trtc};
    ///
    /// let config = WebhookConfig::new(Verifier::new().app(1_400_000_000, [Token::new("live-token")?]))
    ///     .trtc(trtc::Verifier::new().app(1_400_000_000, [trtc::Key::new("trtcKey1")?]));
    /// assert!(config.trtc_receiver().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn trtc(mut self, verifier: trtc::Verifier) -> WebhookConfig {
        self.trtc = Some(Arc::new(
            trtc::Receiver::new(verifier).body_limit(self.receiver.limit()),
        ));
        self
    }

    /// The TRTC receiver, when TRTC callbacks are configured.
    pub fn trtc_receiver(&self) -> Option<&trtc::Receiver> {
        self.trtc.as_deref()
    }

    /// Sets how long the whole body may take to arrive, counted from the first attempt to
    /// read it. A body that is not complete by then is refused with 408
    /// ([`Rejection::BodyTimeout`]), so a sender that trickles bytes cannot hold a request
    /// open. [`DEFAULT_BODY_TIMEOUT`] by default.
    #[must_use]
    pub fn body_timeout(mut self, timeout: Duration) -> WebhookConfig {
        self.body_timeout = timeout;
        self
    }

    /// Sets how many refusal lines are logged per second; the rest of a second's refusals
    /// are counted and reported in one summary line, so forged traffic cannot flood the
    /// log. [`DEFAULT_REFUSAL_LOG_LINES_PER_SEC`] by default; 0 logs only the summaries.
    #[must_use]
    pub fn refusal_log_limit(mut self, lines_per_sec: u32) -> WebhookConfig {
        self.refusal_log = Arc::new(RefusalLog::new(lines_per_sec));
        self
    }

    /// Believes `X-Forwarded-For` from peers in these networks (your reverse proxies):
    /// the client is then the last address in it that is not one of them. Refusal log
    /// lines name the client; [`allow_from`](Self::allow_from) checks it.
    #[must_use]
    pub fn trusted_proxies(mut self, networks: impl IntoIterator<Item = IpNet>) -> WebhookConfig {
        Arc::make_mut(&mut self.sources).trusted_proxies = networks.into_iter().collect();
        self
    }

    /// Takes webhooks only from clients in these networks (Tencent's addresses): any
    /// other is refused with 403 ([`Rejection::SourceNotAllowed`]) before its query is
    /// checked or its body read. A request whose client is unknown is refused too.
    #[must_use]
    pub fn allow_from(mut self, networks: impl IntoIterator<Item = IpNet>) -> WebhookConfig {
        Arc::make_mut(&mut self.sources).allowed = Some(networks.into_iter().collect());
        self
    }

    /// Replaces the clock, which gives Unix seconds; the system clock by default.
    #[must_use]
    pub fn clock(self, clock: impl Fn() -> u64 + Send + Sync + 'static) -> WebhookConfig {
        self.clock_ms(move || clock().saturating_mul(1000))
    }

    /// Replaces the clock with one that gives Unix milliseconds (TRTC's `CallbackTs` is in
    /// milliseconds); the system clock by default.
    #[must_use]
    pub fn clock_ms(mut self, clock: impl Fn() -> u64 + Send + Sync + 'static) -> WebhookConfig {
        self.clock = Arc::new(clock);
        self
    }

    /// The receiver: verifier and body limit.
    pub fn receiver(&self) -> &Receiver {
        &self.receiver
    }

    /// The deadline for a whole body.
    pub fn timeout(&self) -> Duration {
        self.body_timeout
    }

    /// The time now, from the configured clock, in Unix seconds.
    pub fn now(&self) -> u64 {
        self.now_ms() / 1000
    }

    /// The time now, from the configured clock, in Unix milliseconds.
    pub fn now_ms(&self) -> u64 {
        (self.clock)()
    }

    /// Checks the request's framing, then verifies the query and the declared
    /// `Content-Length` at the clock's time, before any body byte is read. A refusal is
    /// logged.
    pub fn start(&self, raw_query: &str, framing: Framing<'_>) -> Result<Incoming, Intercepted> {
        self.start_from(raw_query, framing, Source::default())
    }

    /// [`start`](Self::start) for a request from `source`: a client outside
    /// [`allow_from`](Self::allow_from) is refused first, and a refusal's log line names
    /// the client.
    pub fn start_from(
        &self,
        raw_query: &str,
        framing: Framing<'_>,
        source: Source<'_>,
    ) -> Result<Incoming, Intercepted> {
        let client = self.sources.client(source);
        let started = if !self.sources.allows(client) {
            Err(Rejection::SourceNotAllowed)
        } else if framing.transfer_encoding && framing.content_length.is_some() {
            Err(Rejection::AmbiguousFraming)
        } else {
            self.receiver
                .start(raw_query, framing.content_length, self.now())
        };
        started.map_err(|rejection| {
            let command = WebhookQuery::parse(raw_query)
                .ok()
                .and_then(|query| query.command());
            let hint = match &rejection {
                Rejection::Verify(error) => self.receiver.verifier().hint(raw_query, error),
                _ => None,
            };
            self.refused(rejection, command, hint.as_deref(), client)
        })
    }

    /// Reads the body of a verified request chunk by chunk under the receiver's limit and
    /// the body deadline, then decodes it.
    ///
    /// The adapter turns its framework's body errors into a [`Rejection`] first
    /// ([`Rejection::BodyUnreadable`], or [`Rejection::BodyOverServerLimit`] when a
    /// framework limit stopped the body). Reading stops at the first refused chunk. A
    /// refusal is logged; a connectivity probe is logged at `info` and comes back as
    /// [`Intercepted::Probe`], to be answered without calling the handler.
    ///
    /// The webhook comes back with the body's exact bytes.
    ///
    /// Needs a Tokio runtime with its timer (actix-web, axum and warp all run on one).
    pub async fn receive_body<B: Buf>(
        &self,
        incoming: Incoming,
        body: impl Stream<Item = Result<B, Rejection>>,
    ) -> Result<(Webhook, Vec<u8>), Intercepted> {
        let command = incoming.verified().command();
        let read = async move {
            let mut incoming = incoming;
            read_chunks(body, |part| incoming.push(part)).await?;
            incoming.finish_with_body()
        };
        let received = tokio::time::timeout(self.body_timeout, read)
            .await
            .unwrap_or(Err(Rejection::BodyTimeout));
        match received {
            Ok((Received::Webhook(webhook), body)) => Ok((webhook, body)),
            Ok((Received::Probe(probe), _)) => {
                tracing::info!(
                    sdk_app_id = probe.sdk_app_id(),
                    "answered Tencent's connectivity probe"
                );
                Err(Intercepted::Probe(probe))
            }
            Err(rejection) => Err(self.refused(rejection, command, None, None)),
        }
    }

    /// Checks a TRTC callback's framing and its `Sign` and `SdkAppId` headers before any
    /// body byte is read (the signature itself covers the body, so it is checked once the
    /// body is in: [`receive_trtc_body`](Self::receive_trtc_body)). A refusal is logged;
    /// without [`trtc`](Self::trtc), the answer is [`Intercepted::NotConfigured`].
    pub fn start_trtc(
        &self,
        headers: TrtcHeaders<'_>,
        framing: Framing<'_>,
        source: Source<'_>,
    ) -> Result<trtc::Incoming, Intercepted> {
        let Some(receiver) = &self.trtc else {
            tracing::error!("TRTC callback received, but no TRTC verifier is configured");
            return Err(Intercepted::NotConfigured);
        };
        let client = self.sources.client(source);
        let started = if !self.sources.allows(client) {
            Err(Rejection::SourceNotAllowed)
        } else if framing.transfer_encoding && framing.content_length.is_some() {
            Err(Rejection::AmbiguousFraming)
        } else {
            receiver.start(headers.sdk_app_id, headers.sign, framing.content_length)
        };
        started.map_err(|rejection| self.refused_trtc(rejection, client))
    }

    /// Reads a TRTC callback's body under the limit and the deadline, then verifies it at
    /// the clock's time and decodes it. A refusal is logged. The callback comes back with
    /// the body's exact bytes.
    ///
    /// Needs a Tokio runtime with its timer (actix-web, axum and warp all run on one).
    pub async fn receive_trtc_body<B: Buf>(
        &self,
        incoming: trtc::Incoming,
        body: impl Stream<Item = Result<B, Rejection>>,
    ) -> Result<(trtc::Callback, Vec<u8>), Intercepted> {
        // An `Incoming` comes only from `start_trtc`, which needs the receiver.
        let Some(receiver) = &self.trtc else {
            return Err(Intercepted::NotConfigured);
        };
        let read = async move {
            let mut incoming = incoming;
            read_chunks(body, |part| incoming.push(part)).await?;
            Ok(incoming)
        };
        let received = tokio::time::timeout(self.body_timeout, read)
            .await
            .unwrap_or(Err(Rejection::BodyTimeout))
            .and_then(|incoming| receiver.finish(incoming, self.now_ms()));
        received.map_err(|rejection| self.refused_trtc(rejection, None))
    }

    fn refused_trtc(&self, rejection: Rejection, client: Option<std::net::IpAddr>) -> Intercepted {
        let admitted = self.refusal_log.admit(Instant::now());
        Self::log_summary(admitted.summary);
        if admitted.line {
            tracing::warn!(
                status = rejection.status(),
                reason = %rejection,
                client = client.map(tracing::field::display),
                "refused TRTC callback"
            );
        }
        Intercepted::Refused(rejection)
    }

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

    /// The one log line of a refusal (within the rate limit): status, reason, command and
    /// what to do about it, never a token, a `Sign` or the URL.
    fn refused(
        &self,
        rejection: Rejection,
        command: Option<Command>,
        hint: Option<&str>,
        client: Option<std::net::IpAddr>,
    ) -> Intercepted {
        let admitted = self.refusal_log.admit(Instant::now());
        Self::log_summary(admitted.summary);
        if admitted.line {
            tracing::warn!(
                status = rejection.status(),
                reason = %rejection,
                command = command.as_ref().map(Command::as_str),
                hint,
                client = client.map(tracing::field::display),
                "refused Tencent Live webhook"
            );
        }
        Intercepted::Refused(rejection)
    }
}

/// How a request says its body is framed: the raw `Content-Length` header value, if any,
/// and whether it has a `Transfer-Encoding` header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Framing<'a> {
    /// The raw `Content-Length` header value.
    pub content_length: Option<&'a [u8]>,
    /// Whether a `Transfer-Encoding` header is present.
    pub transfer_encoding: bool,
}

impl<'a> Framing<'a> {
    /// The framing of a request with these headers.
    pub fn new(content_length: Option<&'a [u8]>, transfer_encoding: bool) -> Framing<'a> {
        Framing {
            content_length,
            transfer_encoding,
        }
    }
}

/// Feeds every chunk of `body` to `push`, stopping at the first refusal.
async fn read_chunks<B: Buf>(
    body: impl Stream<Item = Result<B, Rejection>>,
    mut push: impl FnMut(&[u8]) -> Result<(), Rejection>,
) -> Result<(), Rejection> {
    let mut body = pin!(body);
    while let Some(chunk) = body.next().await {
        let mut chunk = chunk?;
        while chunk.has_remaining() {
            let part = chunk.chunk();
            let taken = part.len();
            push(part)?;
            chunk.advance(taken);
        }
    }
    Ok(())
}

/// The headers of a TRTC callback: raw values, `None` when absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TrtcHeaders<'a> {
    /// `Sign`.
    pub sign: Option<&'a [u8]>,
    /// `SdkAppId`.
    pub sdk_app_id: Option<&'a [u8]>,
}

impl<'a> TrtcHeaders<'a> {
    /// The headers of a request with these values.
    pub fn new(sign: Option<&'a [u8]>, sdk_app_id: Option<&'a [u8]>) -> TrtcHeaders<'a> {
        TrtcHeaders { sign, sdk_app_id }
    }
}

/// A per-second budget of refusal log lines.
#[derive(Debug)]
struct RefusalLog {
    lines_per_sec: u32,
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
    fn new(lines_per_sec: u32) -> RefusalLog {
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

impl From<Receiver> for WebhookConfig {
    fn from(receiver: Receiver) -> WebhookConfig {
        WebhookConfig {
            receiver: Arc::new(receiver),
            trtc: None,
            clock: Arc::new(system_clock_ms),
            body_timeout: DEFAULT_BODY_TIMEOUT,
            refusal_log: Arc::new(RefusalLog::new(DEFAULT_REFUSAL_LOG_LINES_PER_SEC)),
            sources: Arc::new(Sources::default()),
        }
    }
}

impl From<Verifier> for WebhookConfig {
    fn from(verifier: Verifier) -> WebhookConfig {
        WebhookConfig::new(verifier)
    }
}

impl fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookConfig")
            .field("receiver", &self.receiver)
            .field("trtc", &self.trtc)
            .field("body_timeout", &self.body_timeout)
            .field("refusal_log_lines_per_sec", &self.refusal_log.lines_per_sec)
            .finish_non_exhaustive()
    }
}

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

/// A request the receiver answered itself, without calling the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Intercepted {
    /// Not a genuine, well-formed webhook: answered with the core's status and JSON.
    Refused(Rejection),
    /// Tencent's connectivity probe: answered with the ack.
    Probe(Probe),
    /// The application registered no [`WebhookConfig`] (possible only where a framework
    /// cannot check that at compile time, as with actix-web's `app_data`): 500.
    NotConfigured,
}

impl Intercepted {
    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            Intercepted::Refused(rejection) => rejection.status(),
            Intercepted::Probe(_) => 200,
            Intercepted::NotConfigured => 500,
        }
    }

    /// The protocol's JSON reply to answer with.
    pub fn reply(&self) -> Reply {
        match self {
            Intercepted::Refused(rejection) => rejection.reply(),
            Intercepted::Probe(probe) => probe.reply(),
            Intercepted::NotConfigured => Reply::failure(500, self.to_string()),
        }
    }

    /// [`Intercepted::reply`] as JSON text, the body to send.
    pub fn body(&self) -> String {
        self.reply().to_json()
    }

    /// Whether the connection should be closed after answering: the body was left
    /// unread or its end is uncertain (too slow, too large, ambiguous framing), so the
    /// next bytes on the connection cannot be trusted to start a new request.
    pub fn closes_connection(&self) -> bool {
        matches!(
            self,
            Intercepted::Refused(
                Rejection::BodyTimeout
                    | Rejection::BodyTooLarge { .. }
                    | Rejection::BodyOverServerLimit
                    | Rejection::AmbiguousFraming
                    | Rejection::BodyUnreadable
            )
        )
    }

    /// The refusal, if this is one.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            Intercepted::Refused(rejection) => Some(rejection),
            _ => None,
        }
    }
}

impl fmt::Display for Intercepted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Intercepted::Refused(rejection) => fmt::Display::fmt(rejection, f),
            Intercepted::Probe(_) => f.write_str("connectivity probe"),
            Intercepted::NotConfigured => f.write_str("webhook receiver is not configured"),
        }
    }
}

impl std::error::Error for Intercepted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Intercepted::Refused(rejection) => Some(rejection),
            _ => None,
        }
    }
}

/// The `Content-Type` of every answer.
pub const JSON: &str = "application/json";

/// Defines, in an adapter crate, the three types every adapter exposes, with all that does
/// not depend on the framework:
///
/// - `Webhook`, the extracted value: `Deref` to the core
///   [`Webhook`](tencent_live_webhook::Webhook), `into_inner()`, and the request's exact
///   query and body (`raw_query()`, `raw_body()`, `into_parts()`);
/// - `WebhookRejection`, what is answered instead of calling the handler: `Deref` to
///   [`Intercepted`], `into_inner()`, `Display`, `Error`;
/// - `WebhookReply`, a core [`Reply`] to answer with: `From<Reply>`;
/// - `TrtcCallback`, the extracted TRTC callback: `Deref` to the core
///   [`trtc::Callback`](tencent_live_webhook::trtc::Callback), `into_inner()`, the exact
///   body (`raw_body()`, `into_parts()`);
/// - `TrtcAck`, the answer TRTC expects: HTTP 200 with `{"code":0}`;
/// - `WebhookFailure`, a failure of the handler's own (a webhook that could not be kept),
///   with `From<AppendError>` when the adapter has a `spool` feature.
///
/// Rust's orphan rule wants a framework's traits implemented on the adapter's own types;
/// the adapter implements them (extractor, response) next to this macro.
#[macro_export]
macro_rules! adapter_types {
    () => {
        /// A verified, decoded webhook: use it as a handler argument.
        ///
        /// Dereferences to the core
        /// [`Webhook`]($crate::tencent_live_webhook::Webhook): metadata, the typed event,
        /// or, for a body that did not fit, the error and the raw body. The request's
        /// exact query string and body stay available, to forward or keep what arrived.
        #[derive(Clone)]
        pub struct Webhook {
            webhook: $crate::tencent_live_webhook::Webhook,
            raw_query: ::std::string::String,
            raw_body: ::std::vec::Vec<u8>,
            received_at_ms: u64,
        }

        impl Webhook {
            fn new(
                webhook: $crate::tencent_live_webhook::Webhook,
                raw_query: &str,
                raw_body: ::std::vec::Vec<u8>,
                received_at_ms: u64,
            ) -> Webhook {
                Webhook {
                    webhook,
                    raw_query: raw_query.to_owned(),
                    raw_body,
                    received_at_ms,
                }
            }

            /// When its body was in, Unix milliseconds, by the configuration's clock.
            pub fn received_at_ms(&self) -> u64 {
                self.received_at_ms
            }

            /// The webhook as a [`Notification`]($crate::tencent_live_webhook::Notification)
            /// (what a spool stores and a queue carries), its id hashed once, the body
            /// kept without a copy.
            pub fn into_notification(
                self,
            ) -> ::std::result::Result<
                $crate::tencent_live_webhook::Notification,
                $crate::tencent_live_webhook::EnvelopeError,
            > {
                $crate::tencent_live_webhook::Notification::live(
                    self.webhook,
                    self.raw_query,
                    self.raw_body,
                    self.received_at_ms,
                )
            }

            /// The core webhook.
            pub fn into_inner(self) -> $crate::tencent_live_webhook::Webhook {
                self.webhook
            }

            /// The query string exactly as it arrived (still percent-encoded, `Sign`
            /// included): a receiver behind this one can verify it again.
            pub fn raw_query(&self) -> &str {
                &self.raw_query
            }

            /// The body exactly as it arrived.
            pub fn raw_body(&self) -> &[u8] {
                &self.raw_body
            }

            /// The core webhook, the raw query string and the raw body.
            pub fn into_parts(
                self,
            ) -> (
                $crate::tencent_live_webhook::Webhook,
                ::std::string::String,
                ::std::vec::Vec<u8>,
            ) {
                (self.webhook, self.raw_query, self.raw_body)
            }
        }

        impl ::std::ops::Deref for Webhook {
            type Target = $crate::tencent_live_webhook::Webhook;
            fn deref(&self) -> &Self::Target {
                &self.webhook
            }
        }

        impl ::std::fmt::Debug for Webhook {
            // The query holds the Sign, a credential for as long as the request is fresh.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Webhook")
                    .field("webhook", &self.webhook)
                    .field("raw_body_len", &self.raw_body.len())
                    .finish_non_exhaustive()
            }
        }

        /// What is answered instead of calling the handler: a refusal with the core's
        /// status and JSON body, or the ack to Tencent's connectivity probe.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct WebhookRejection(pub $crate::Intercepted);

        impl WebhookRejection {
            /// What happened.
            pub fn into_inner(self) -> $crate::Intercepted {
                self.0
            }
        }

        impl ::std::ops::Deref for WebhookRejection {
            type Target = $crate::Intercepted;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl ::std::fmt::Display for WebhookRejection {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::error::Error for WebhookRejection {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                Some(&self.0)
            }
        }

        /// A core [`Reply`]($crate::tencent_live_webhook::Reply) to answer with: HTTP 200
        /// with the protocol's JSON. Return it from a handler: `Reply::ack().into()`.
        #[derive(Debug, Clone, PartialEq)]
        pub struct WebhookReply(pub $crate::tencent_live_webhook::Reply);

        impl From<$crate::tencent_live_webhook::Reply> for WebhookReply {
            fn from(reply: $crate::tencent_live_webhook::Reply) -> Self {
                WebhookReply(reply)
            }
        }

        /// A verified, decoded TRTC callback (room, media, recording events): use it as a
        /// handler argument, with [`WebhookConfig::trtc`] configured.
        ///
        /// Dereferences to the core
        /// [`trtc::Callback`]($crate::tencent_live_webhook::trtc::Callback); the body's
        /// exact bytes stay available.
        #[derive(Debug, Clone)]
        pub struct TrtcCallback {
            callback: $crate::tencent_live_webhook::trtc::Callback,
            raw_body: ::std::vec::Vec<u8>,
            received_at_ms: u64,
        }

        impl TrtcCallback {
            fn new(
                callback: $crate::tencent_live_webhook::trtc::Callback,
                raw_body: ::std::vec::Vec<u8>,
                received_at_ms: u64,
            ) -> TrtcCallback {
                TrtcCallback {
                    callback,
                    raw_body,
                    received_at_ms,
                }
            }

            /// When its body was in, Unix milliseconds, by the configuration's clock.
            pub fn received_at_ms(&self) -> u64 {
                self.received_at_ms
            }

            /// The callback as a [`Notification`]($crate::tencent_live_webhook::Notification)
            /// (its id is the event id), the body kept without a copy.
            pub fn into_notification(
                self,
            ) -> ::std::result::Result<
                $crate::tencent_live_webhook::Notification,
                $crate::tencent_live_webhook::EnvelopeError,
            > {
                $crate::tencent_live_webhook::Notification::trtc(
                    self.callback,
                    self.raw_body,
                    self.received_at_ms,
                )
            }

            /// The core callback.
            pub fn into_inner(self) -> $crate::tencent_live_webhook::trtc::Callback {
                self.callback
            }

            /// The body exactly as it arrived (what the `Sign` covers).
            pub fn raw_body(&self) -> &[u8] {
                &self.raw_body
            }

            /// The core callback and the raw body.
            pub fn into_parts(
                self,
            ) -> (
                $crate::tencent_live_webhook::trtc::Callback,
                ::std::vec::Vec<u8>,
            ) {
                (self.callback, self.raw_body)
            }
        }

        impl ::std::ops::Deref for TrtcCallback {
            type Target = $crate::tencent_live_webhook::trtc::Callback;
            fn deref(&self) -> &Self::Target {
                &self.callback
            }
        }

        /// The answer TRTC expects once a callback is handled: HTTP 200 with
        /// `{"code":0}`. Return it from a handler.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct TrtcAck;

        /// A failure of the handler's own, answered with an HTTP status and the
        /// protocol's JSON failure (its `ErrorCode` is the status), as `application/json`:
        /// for a webhook that could not be kept, so that it is never answered 200. With
        /// the `spool` feature, a spool's `AppendError` converts into it (503), so a
        /// handler can use `?` on `Spool::append`.
        #[derive(Debug, Clone, PartialEq)]
        pub struct WebhookFailure {
            /// The HTTP status.
            pub status: u16,
            /// The body: `ActionStatus` FAIL, `ErrorCode` the status.
            pub reply: $crate::tencent_live_webhook::Reply,
        }

        impl WebhookFailure {
            /// A failure with this status and explanation.
            pub fn new(status: u16, info: impl ::std::fmt::Display) -> WebhookFailure {
                WebhookFailure {
                    status,
                    reply: $crate::tencent_live_webhook::Reply::failure(
                        u32::from(status),
                        ::std::string::ToString::to_string(&info),
                    ),
                }
            }
        }

        impl ::std::fmt::Display for WebhookFailure {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.reply.error_info())
            }
        }

        impl ::std::error::Error for WebhookFailure {}

        /// A notification that cannot be made (a body that is not UTF-8): 500.
        impl From<$crate::tencent_live_webhook::EnvelopeError> for WebhookFailure {
            fn from(error: $crate::tencent_live_webhook::EnvelopeError) -> WebhookFailure {
                WebhookFailure::new(500, error)
            }
        }

        #[cfg(feature = "spool")]
        impl From<::tencent_live_webhook_spool::AppendError> for WebhookFailure {
            fn from(error: ::tencent_live_webhook_spool::AppendError) -> WebhookFailure {
                WebhookFailure::new(error.status(), error)
            }
        }
    };
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
