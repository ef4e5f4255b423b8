//! How webhooks are received: the verifiers, the body limit and deadline, the clock, the
//! sources allowed and the refusal log's budget.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use tencent_live_webhook::{Receiver, Verifier, trtc};

use crate::refusal_log::{RefusalLog, RefusedRequest};
use crate::source::Sources;
use crate::system_clock_ms;

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
    pub(crate) receiver: Arc<Receiver>,
    pub(crate) trtc: Option<Arc<trtc::Receiver>>,
    /// Unix milliseconds.
    pub(crate) clock: Arc<dyn Fn() -> u64 + Send + Sync>,
    pub(crate) body_timeout: Duration,
    pub(crate) refusal_log: Arc<RefusalLog>,
    pub(crate) sources: Arc<Sources>,
    pub(crate) on_refusal: Option<OnRefusal>,
}

/// What [`WebhookConfig::on_refusal`] calls for each refused request.
pub type OnRefusal = Arc<dyn Fn(&RefusedRequest<'_>) + Send + Sync>;

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
    /// ([`Rejection::BodyTimeout`](tencent_live_webhook::Rejection::BodyTimeout)), so a sender that trickles bytes cannot hold a request
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
    /// other is refused with 403 ([`Rejection::SourceNotAllowed`](tencent_live_webhook::Rejection::SourceNotAllowed)) before its query is
    /// checked or its body read. A request whose client is unknown is refused too.
    #[must_use]
    pub fn allow_from(mut self, networks: impl IntoIterator<Item = IpNet>) -> WebhookConfig {
        Arc::make_mut(&mut self.sources).allowed = Some(networks.into_iter().collect());
        self
    }

    /// Calls `observer` for every request the receiver refuses (each one, not only those
    /// the rate-limited log shows), after its log line and before it is answered: to keep
    /// a record of refusals, say, or count them by reason. The observer runs on the
    /// request's task, so it should be quick.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use tencent_live_webhook_adapter::WebhookConfig;
    /// use tencent_live_webhook_adapter::tencent_live_webhook::Verifier;
    ///
    /// let refused = Arc::new(AtomicU64::new(0));
    /// let counter = Arc::clone(&refused);
    /// let config = WebhookConfig::new(Verifier::new()).on_refusal(move |request| {
    ///     assert_ne!(request.rejection.status(), 200);
    ///     counter.fetch_add(1, Ordering::Relaxed);
    /// });
    /// # drop(config);
    /// ```
    #[must_use]
    pub fn on_refusal(
        mut self,
        observer: impl Fn(&RefusedRequest<'_>) + Send + Sync + 'static,
    ) -> WebhookConfig {
        self.on_refusal = Some(Arc::new(observer));
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
            on_refusal: None,
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
            .field("on_refusal", &self.on_refusal.is_some())
            .finish_non_exhaustive()
    }
}
