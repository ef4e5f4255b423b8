#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::fmt;
use std::pin::pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Buf;
use futures_util::{Stream, StreamExt};
pub use tencent_live_webhook;
use tencent_live_webhook::{
    Command, Incoming, Probe, Received, Receiver, Rejection, Reply, Verifier, Webhook, WebhookQuery,
};

/// How webhooks are received: the verifier, the body limit and the clock.
///
/// Cheap to clone (two reference counts), so frameworks can hand a copy to every request.
///
/// ```
/// use tencent_live_webhook_adapter::WebhookConfig;
/// use tencent_live_webhook_adapter::tencent_live_webhook::{Token, Verifier};
///
/// let config = WebhookConfig::new(Verifier::new().app(1_400_000_000, [Token::new("secret")?]))
///     .body_limit(64 * 1024)
///     .clock(|| 1_700_000_000); // tests pin the time; the system clock by default
/// assert_eq!(config.now(), 1_700_000_000);
/// assert_eq!(config.receiver().limit(), 65_536);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct WebhookConfig {
    receiver: Arc<Receiver>,
    clock: Arc<dyn Fn() -> u64 + Send + Sync>,
}

impl WebhookConfig {
    /// Receives webhooks for the verifier's apps, with the default body limit (256 KiB)
    /// and the system clock.
    pub fn new(verifier: Verifier) -> WebhookConfig {
        WebhookConfig::from(Receiver::new(verifier))
    }

    /// Sets the largest body accepted, in bytes.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> WebhookConfig {
        self.receiver = Arc::new((*self.receiver).clone().body_limit(bytes));
        self
    }

    /// Replaces the clock, which gives Unix seconds; the system clock by default.
    #[must_use]
    pub fn clock(mut self, clock: impl Fn() -> u64 + Send + Sync + 'static) -> WebhookConfig {
        self.clock = Arc::new(clock);
        self
    }

    /// The receiver: verifier and body limit.
    pub fn receiver(&self) -> &Receiver {
        &self.receiver
    }

    /// The time now, from the configured clock.
    pub fn now(&self) -> u64 {
        (self.clock)()
    }

    /// Verifies the query and the declared `Content-Length` (the raw header value) at the
    /// clock's time, before any body byte is read. A refusal is logged.
    pub fn start(
        &self,
        raw_query: &str,
        content_length: Option<&[u8]>,
    ) -> Result<Incoming, Intercepted> {
        self.receiver
            .start(raw_query, content_length, self.now())
            .map_err(|rejection| {
                let command = WebhookQuery::parse(raw_query)
                    .ok()
                    .and_then(|query| query.command());
                refused(rejection, command)
            })
    }
}

impl From<Receiver> for WebhookConfig {
    fn from(receiver: Receiver) -> WebhookConfig {
        WebhookConfig {
            receiver: Arc::new(receiver),
            clock: Arc::new(system_clock),
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
            .finish_non_exhaustive()
    }
}

/// The system clock in Unix seconds (0 if it is set before 1970).
pub fn system_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Reads the body of a verified request chunk by chunk under the receiver's limit, then
/// decodes it.
///
/// The adapter turns its framework's body errors into a [`Rejection`] first
/// ([`Rejection::BodyUnreadable`], or [`Rejection::BodyOverServerLimit`] when a framework
/// limit stopped the body). Reading stops at the first refused chunk. A refusal is logged;
/// a connectivity probe is logged at `info` and comes back as [`Intercepted::Probe`], to be
/// answered without calling the handler.
pub async fn receive_body<B: Buf>(
    mut incoming: Incoming,
    body: impl Stream<Item = Result<B, Rejection>>,
) -> Result<Webhook, Intercepted> {
    let command = incoming.verified().command();
    let mut body = pin!(body);
    while let Some(chunk) = body.next().await {
        let mut chunk = chunk.map_err(|rejection| refused(rejection, command))?;
        while chunk.has_remaining() {
            let part = chunk.chunk();
            let taken = part.len();
            incoming
                .push(part)
                .map_err(|rejection| refused(rejection, command))?;
            chunk.advance(taken);
        }
    }
    match incoming.finish() {
        Ok(Received::Webhook(webhook)) => Ok(webhook),
        Ok(Received::Probe(probe)) => {
            tracing::info!(
                sdk_app_id = probe.sdk_app_id(),
                "answered Tencent's connectivity probe"
            );
            Err(Intercepted::Probe(probe))
        }
        Err(rejection) => Err(refused(rejection, command)),
    }
}

/// The one log line of a refusal: status, reason and command, never a token, a `Sign` or
/// the URL.
fn refused(rejection: Rejection, command: Option<Command>) -> Intercepted {
    tracing::warn!(
        status = rejection.status(),
        reason = %rejection,
        command = command.as_ref().map(Command::as_str),
        "refused Tencent Live webhook"
    );
    Intercepted::Refused(rejection)
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
///   [`Webhook`](tencent_live_webhook::Webhook), `into_inner()`;
/// - `WebhookRejection`, what is answered instead of calling the handler: `Deref` to
///   [`Intercepted`], `into_inner()`, `Display`, `Error`;
/// - `WebhookReply`, a core [`Reply`] to answer with: `From<Reply>`.
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
        /// or, for a body that did not fit, the error and the raw body.
        #[derive(Debug, Clone)]
        pub struct Webhook($crate::tencent_live_webhook::Webhook);

        impl Webhook {
            /// The core webhook.
            pub fn into_inner(self) -> $crate::tencent_live_webhook::Webhook {
                self.0
            }
        }

        impl ::std::ops::Deref for Webhook {
            type Target = $crate::tencent_live_webhook::Webhook;
            fn deref(&self) -> &Self::Target {
                &self.0
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
    };
}
