#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::ops::Deref;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_LENGTH, ContentType};
use actix_web::{
    FromRequest, HttpRequest, HttpResponse, Responder, ResponseError, body::BoxBody, web,
};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
pub use tencent_live_webhook;
use tencent_live_webhook::{Command, Receiver, Rejection, Reply, Verifier, WebhookQuery};

/// How webhooks are received: the verifier, the body limit and the clock.
///
/// Register it with `App::app_data` (or as `web::Data`), in the style of `JsonConfig`.
#[derive(Clone)]
pub struct WebhookConfig {
    receiver: Arc<Receiver>,
    clock: fn() -> u64,
}

impl WebhookConfig {
    /// Receives webhooks for the verifier's apps, with the default body limit (256 KiB).
    pub fn new(verifier: Verifier) -> WebhookConfig {
        WebhookConfig::from_receiver(Receiver::new(verifier))
    }

    /// Receives webhooks as `receiver` says.
    pub fn from_receiver(receiver: Receiver) -> WebhookConfig {
        WebhookConfig {
            receiver: Arc::new(receiver),
            clock: unix_now,
        }
    }

    /// Sets the largest body accepted, in bytes.
    #[must_use]
    pub fn body_limit(self, bytes: usize) -> WebhookConfig {
        WebhookConfig::from_receiver((*self.receiver).clone().body_limit(bytes)).clock(self.clock)
    }

    /// Replaces the clock (Unix seconds); the system clock by default. For tests.
    #[must_use]
    pub fn clock(mut self, clock: fn() -> u64) -> WebhookConfig {
        self.clock = clock;
        self
    }
}

/// The system clock in Unix seconds (0 if it is set before 1970).
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// A verified, decoded webhook: use it as a handler argument.
///
/// Dereferences to the core [`Webhook`](tencent_live_webhook::Webhook): metadata, the
/// typed event, or for a body that did not fit, the error and the raw body.
#[derive(Debug, Clone)]
pub struct Webhook(tencent_live_webhook::Webhook);

impl Webhook {
    /// The core webhook.
    pub fn into_inner(self) -> tencent_live_webhook::Webhook {
        self.0
    }
}

impl Deref for Webhook {
    type Target = tencent_live_webhook::Webhook;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl FromRequest for Webhook {
    type Error = WebhookError;
    type Future = LocalBoxFuture<'static, Result<Webhook, WebhookError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let config = req
            .app_data::<WebhookConfig>()
            .or_else(|| {
                req.app_data::<web::Data<WebhookConfig>>()
                    .map(web::Data::get_ref)
            })
            .cloned();
        let Some(config) = config else {
            tracing::error!("no WebhookConfig in app_data: refusing Tencent Live webhook");
            return Box::pin(async { Err(WebhookError::NotConfigured) });
        };
        let content_length = req
            .headers()
            .get(CONTENT_LENGTH)
            .map(actix_web::http::header::HeaderValue::as_bytes);
        // The query is verified here, before the body is touched.
        let started = config
            .receiver
            .start(req.query_string(), content_length, (config.clock)())
            .map_err(|rejection| refuse(rejection, req.query_string()));
        let mut payload = payload.take();
        Box::pin(async move {
            let mut incoming = started?;
            let command = incoming.verified().command();
            while let Some(chunk) = payload.next().await {
                let pushed = match chunk {
                    Ok(chunk) => incoming.push(&chunk),
                    Err(_) => Err(Rejection::BodyUnreadable),
                };
                pushed.map_err(|rejection| refuse_command(rejection, command))?;
            }
            incoming
                .finish()
                .map(Webhook)
                .map_err(|rejection| refuse_command(rejection, command))
        })
    }
}

fn refuse(rejection: Rejection, raw_query: &str) -> WebhookError {
    let command = WebhookQuery::parse(raw_query)
        .ok()
        .and_then(|query| query.command());
    refuse_command(rejection, command)
}

fn refuse_command(rejection: Rejection, command: Option<Command>) -> WebhookError {
    tracing::warn!(
        status = rejection.status(),
        reason = %rejection,
        command = command.as_ref().map(Command::as_str),
        "refused Tencent Live webhook"
    );
    WebhookError::Rejected(rejection)
}

/// Why the extractor refused a request; answers with the core's status and JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request is not a genuine, well-formed webhook.
    Rejected(Rejection),
    /// No [`WebhookConfig`] was registered with the app (500).
    NotConfigured,
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookError::Rejected(rejection) => std::fmt::Display::fmt(rejection, f),
            WebhookError::NotConfigured => f.write_str("webhook receiver is not configured"),
        }
    }
}

impl std::error::Error for WebhookError {}

impl ResponseError for WebhookError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebhookError::Rejected(rejection) => {
                StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::BAD_REQUEST)
            }
            WebhookError::NotConfigured => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let body = match self {
            WebhookError::Rejected(rejection) => rejection.reply().to_json(),
            WebhookError::NotConfigured => Reply::failure(500, self.to_string()).to_json(),
        };
        HttpResponse::build(self.status_code())
            .content_type(ContentType::json())
            .body(body)
    }
}

/// A core [`Reply`] as an actix-web response: HTTP 200 with the protocol's JSON.
///
/// Return it from a handler: `Reply::ack().into()`.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookReply(pub Reply);

impl From<Reply> for WebhookReply {
    fn from(reply: Reply) -> Self {
        WebhookReply(reply)
    }
}

impl Responder for WebhookReply {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok()
            .content_type(ContentType::json())
            .body(self.0.to_json())
    }
}
