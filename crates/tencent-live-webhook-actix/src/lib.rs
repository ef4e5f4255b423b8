#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_LENGTH, ContentType, HeaderValue, TRANSFER_ENCODING};
use actix_web::{
    FromRequest, HttpRequest, HttpResponse, Responder, ResponseError, body::BoxBody, web,
};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use tencent_live_webhook::{Receiver, Rejection, Verifier};

tencent_live_webhook_adapter::adapter_types!();

mod expect;
pub use expect::{ExpectContinue, ExpectContinueService};

/// The configuration comes from `App::app_data`: a [`WebhookConfig`], plain or as
/// `web::Data`. Without one, the answer is 500 and the log says what to register.
impl FromRequest for Webhook {
    type Error = WebhookRejection;
    type Future = LocalBoxFuture<'static, Result<Webhook, WebhookRejection>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let Some(config) = config_of(req) else {
            return Box::pin(async { Err(WebhookRejection(Intercepted::NotConfigured)) });
        };
        // The query is verified here, before the body is touched.
        let started = config.start_from(req.query_string(), framing(req), source(req));
        let body = payload
            .take()
            .map(|chunk| chunk.map_err(|error| body_error(&error)));
        let query = req.query_string().to_owned();
        Box::pin(async move {
            let incoming = started.map_err(WebhookRejection)?;
            let (webhook, body) = config
                .receive_body(incoming, body)
                .await
                .map_err(WebhookRejection)?;
            Ok(Webhook::new(webhook, &query, body, config.now_ms()))
        })
    }
}

/// The configuration comes from `App::app_data`, as for [`Webhook`], with
/// [`WebhookConfig::trtc`] set (without it, the answer is 500). The `Sign` and `SdkAppId`
/// headers are checked before the body is touched; the signature over the body once it is
/// in.
impl FromRequest for TrtcCallback {
    type Error = WebhookRejection;
    type Future = LocalBoxFuture<'static, Result<TrtcCallback, WebhookRejection>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let Some(config) = config_of(req) else {
            return Box::pin(async { Err(WebhookRejection(Intercepted::NotConfigured)) });
        };
        let headers = req.headers();
        let started = config.start_trtc(
            TrtcHeaders::new(
                headers.get("sign").map(HeaderValue::as_bytes),
                headers.get("sdkappid").map(HeaderValue::as_bytes),
            ),
            framing(req),
            source(req),
        );
        let body = payload
            .take()
            .map(|chunk| chunk.map_err(|error| body_error(&error)));
        Box::pin(async move {
            let incoming = started.map_err(WebhookRejection)?;
            let (callback, raw_body) = config
                .receive_trtc_body(incoming, body)
                .await
                .map_err(WebhookRejection)?;
            Ok(TrtcCallback::new(callback, raw_body, config.now_ms()))
        })
    }
}

fn framing(req: &HttpRequest) -> Framing<'_> {
    let headers = req.headers();
    Framing::new(
        headers.get(CONTENT_LENGTH).map(HeaderValue::as_bytes),
        headers.contains_key(TRANSFER_ENCODING),
    )
}

fn source(req: &HttpRequest) -> Source<'_> {
    Source {
        peer: req.peer_addr().map(|peer| peer.ip()),
        forwarded_for: req
            .headers()
            .get("x-forwarded-for")
            .map(HeaderValue::as_bytes),
    }
}

/// The registered [`WebhookConfig`], plain or as `web::Data`. Without one, the log says
/// what to register, and names the likely mistake.
fn config_of(req: &HttpRequest) -> Option<WebhookConfig> {
    let config = req.app_data::<WebhookConfig>().or_else(|| {
        req.app_data::<web::Data<WebhookConfig>>()
            .map(web::Data::get_ref)
    });
    if config.is_none() {
        let registered = if req.app_data::<Receiver>().is_some() {
            "a Receiver (wrap it: WebhookConfig::from(receiver))"
        } else if req.app_data::<Verifier>().is_some() {
            "a Verifier (wrap it: WebhookConfig::new(verifier))"
        } else {
            "nothing"
        };
        tracing::error!(
            "no WebhookConfig in app_data, found {registered}: answering 500 to a Tencent Live webhook"
        );
    }
    config.cloned()
}

/// actix-web's own payload limit is a 413; anything else a broken body.
fn body_error(error: &PayloadError) -> Rejection {
    match error {
        PayloadError::Overflow => Rejection::BodyOverServerLimit,
        _ => Rejection::BodyUnreadable,
    }
}

impl ResponseError for WebhookRejection {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if self.0.closes_connection() {
            response.force_close();
        }
        response
            .content_type(ContentType::json())
            .body(self.0.body())
    }
}

impl Responder for TrtcAck {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok()
            .content_type(ContentType::json())
            .body(tencent_live_webhook::trtc::ACK)
    }
}

/// A handler may return `Result<WebhookReply, WebhookFailure>`.
impl ResponseError for WebhookFailure {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .content_type(ContentType::json())
            .body(self.reply.to_json())
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
