#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use axum::RequestExt;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use http_body_util::LengthLimitError;
use tencent_live_webhook::Rejection;
use tencent_live_webhook_adapter::JSON;
#[cfg(feature = "serve")]
pub use tencent_live_webhook_adapter::{ServeLimits, serve};

tencent_live_webhook_adapter::adapter_types!();

/// The state must give a [`WebhookConfig`] (`Router::with_state(config)`, or a field of a
/// larger state with `#[derive(FromRef)]`); without one, the handler does not compile. The
/// extractor reads the body, so it comes last among a handler's arguments.
///
/// The query is verified before the body is read; the body is read through axum's limited
/// body, so both `DefaultBodyLimit` and [`WebhookConfig::body_limit`] apply, the smaller
/// first.
impl<S> FromRequest<S> for Webhook
where
    WebhookConfig: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Webhook, WebhookRejection> {
        let config = WebhookConfig::from_ref(state);
        let query = request.uri().query().unwrap_or_default().to_owned();
        let incoming = config
            .start_from(&query, framing(&request), source(&request))
            .map_err(WebhookRejection)?;
        let (webhook, body) = config
            .receive_body(incoming, limited_body(request))
            .await
            .map_err(WebhookRejection)?;
        Ok(Webhook::new(webhook, &query, body, config.now_ms()))
    }
}

/// The state must give a [`WebhookConfig`] with [`WebhookConfig::trtc`] set (without it,
/// the answer is 500). The `Sign` and `SdkAppId` headers are checked before the body is
/// read; the signature over the body once it is in. The extractor reads the body, so it
/// comes last among a handler's arguments.
impl<S> FromRequest<S> for TrtcCallback
where
    WebhookConfig: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<TrtcCallback, WebhookRejection> {
        let config = WebhookConfig::from_ref(state);
        let headers = request.headers();
        let trtc_headers = TrtcHeaders::new(
            headers.get("sign").map(HeaderValue::as_bytes),
            headers.get("sdkappid").map(HeaderValue::as_bytes),
        );
        let incoming = config
            .start_trtc(trtc_headers, framing(&request), source(&request))
            .map_err(WebhookRejection)?;
        let (callback, raw_body) = config
            .receive_trtc_body(incoming, limited_body(request))
            .await
            .map_err(WebhookRejection)?;
        Ok(TrtcCallback::new(callback, raw_body, config.now_ms()))
    }
}

fn framing(request: &Request) -> Framing<'_> {
    let headers = request.headers();
    Framing::new(
        headers.get(CONTENT_LENGTH).map(HeaderValue::as_bytes),
        headers.contains_key(TRANSFER_ENCODING),
    )
}

/// The peer (from `into_make_service_with_connect_info`, or from `serve`) and its
/// `X-Forwarded-For`.
fn source(request: &Request) -> Source<'_> {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
        .or_else(|| {
            request
                .extensions()
                .get::<PeerAddr>()
                .map(|peer| peer.0.ip())
        });
    Source {
        peer,
        forwarded_for: request
            .headers()
            .get("x-forwarded-for")
            .map(HeaderValue::as_bytes),
    }
}

/// The original request's limited body: the application's `DefaultBodyLimit` holds.
fn limited_body(
    request: Request,
) -> impl futures_util::Stream<Item = Result<axum::body::Bytes, Rejection>> {
    request
        .into_limited_body()
        .into_data_stream()
        .map(|chunk| chunk.map_err(|error| body_error(&error)))
}

/// axum's limit, found in the error's sources, is a 413; anything else a broken body.
fn body_error(error: &axum::Error) -> Rejection {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if current.is::<LengthLimitError>() {
            return Rejection::BodyOverServerLimit;
        }
        source = current.source();
    }
    Rejection::BodyUnreadable
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let mut response = json_response(self.0.status(), self.0.body());
        if self.0.closes_connection() {
            // The body was left unread: the connection's next bytes are not a request.
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

impl IntoResponse for WebhookReply {
    fn into_response(self) -> Response {
        json_response(200, self.0.to_json())
    }
}

impl IntoResponse for WebhookFailure {
    fn into_response(self) -> Response {
        json_response(self.status, self.reply.to_json())
    }
}

impl IntoResponse for TrtcAck {
    fn into_response(self) -> Response {
        json_response(200, tencent_live_webhook::trtc::ACK.to_owned())
    }
}

fn json_response(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static(JSON))],
        body,
    )
        .into_response()
}
