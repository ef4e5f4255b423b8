#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::convert::Infallible;

use futures_util::StreamExt;
use tencent_live_webhook::{Rejection, Reply};
use tencent_live_webhook_adapter::JSON;
#[cfg(feature = "serve")]
pub use tencent_live_webhook_adapter::{ServeLimits, serve};
use warp::Filter;
use warp::http::header::{CONNECTION, CONTENT_TYPE};
use warp::http::{HeaderValue, Response, StatusCode};

tencent_live_webhook_adapter::adapter_types!();

/// A filter that extracts a verified, decoded [`Webhook`] from a `POST`.
///
/// The query is verified before the body is read; the body is read under the configured
/// limit. What is answered instead of calling the handler (a refusal, or the ack to
/// Tencent's connectivity probe) is a [`WebhookRejection`]: add [`recover`] (or
/// [`recover_all`]) to answer it.
pub fn webhook(
    config: impl Into<WebhookConfig>,
) -> impl Filter<Extract = (Webhook,), Error = warp::Rejection> + Clone {
    let config = config.into();
    // A request without a query string is still ours to refuse, with our own answer.
    let raw_query = warp::query::raw().or(warp::any().map(String::new)).unify();
    warp::post()
        .and(raw_query)
        .and(warp::header::headers_cloned())
        .and(peer())
        .and(warp::body::stream())
        .and_then(
            move |query: String, headers: warp::http::HeaderMap, peer, body| {
                let (framing, source) = framing_and_source(&headers, peer);
                let started = config.start_from(&query, framing, source);
                let config = config.clone();
                async move {
                    let received = match started {
                        Ok(incoming) => config.receive_body(incoming, readable(body)).await,
                        Err(intercepted) => Err(intercepted),
                    };
                    received
                        .map(|(webhook, body)| Webhook::new(webhook, &query, body, config.now_ms()))
                        .map_err(|intercepted| warp::reject::custom(WebhookRejection(intercepted)))
                }
            },
        )
}

/// How a request's body is framed and who sent it, from its headers and its peer.
fn framing_and_source(
    headers: &warp::http::HeaderMap,
    peer: Option<std::net::IpAddr>,
) -> (Framing<'_>, Source<'_>) {
    let framing = Framing::new(
        headers.get("content-length").map(HeaderValue::as_bytes),
        headers.contains_key("transfer-encoding"),
    );
    let source = Source {
        peer,
        forwarded_for: headers.get("x-forwarded-for").map(HeaderValue::as_bytes),
    };
    (framing, source)
}

/// warp's body stream, its errors read as what they are: transport failures, the body
/// could not be read.
fn readable<B>(
    body: impl futures_util::Stream<Item = Result<B, warp::Error>>,
) -> impl futures_util::Stream<Item = Result<B, Rejection>> {
    StreamExt::map(body, |chunk| chunk.map_err(|_| Rejection::BodyUnreadable))
}

/// The peer: from `warp::serve`, or from `serve`.
fn peer() -> impl Filter<Extract = (Option<std::net::IpAddr>,), Error = Infallible> + Clone {
    warp::addr::remote()
        .and(warp::ext::optional::<PeerAddr>())
        .map(
            |remote: Option<std::net::SocketAddr>, served: Option<PeerAddr>| {
                remote.or(served.map(|peer| peer.0)).map(|peer| peer.ip())
            },
        )
}

/// A filter that extracts a verified, decoded [`TrtcCallback`] from a `POST`, with
/// [`WebhookConfig::trtc`] configured (without it, the answer is 500).
///
/// The `Sign` and `SdkAppId` headers are checked before the body is read; the signature
/// over the body once it is in. Refusals are [`WebhookRejection`]s, answered by
/// [`recover`] as the Live ones are. Answer a handled callback with [`TrtcAck`].
pub fn trtc_callback(
    config: impl Into<WebhookConfig>,
) -> impl Filter<Extract = (TrtcCallback,), Error = warp::Rejection> + Clone {
    let config = config.into();
    warp::post()
        .and(warp::header::headers_cloned())
        .and(peer())
        .and(warp::body::stream())
        .and_then(move |headers: warp::http::HeaderMap, peer, body| {
            let (framing, source) = framing_and_source(&headers, peer);
            let trtc_headers = TrtcHeaders::new(
                headers.get("sign").map(HeaderValue::as_bytes),
                headers.get("sdkappid").map(HeaderValue::as_bytes),
            );
            let started = config.start_trtc(trtc_headers, framing, source);
            let config = config.clone();
            async move {
                let received = match started {
                    Ok(incoming) => config.receive_trtc_body(incoming, readable(body)).await,
                    Err(intercepted) => Err(intercepted),
                };
                received
                    .map(|(callback, raw_body)| {
                        TrtcCallback::new(callback, raw_body, config.now_ms())
                    })
                    .map_err(|intercepted| warp::reject::custom(WebhookRejection(intercepted)))
            }
        })
}

impl warp::reject::Reject for WebhookRejection {}

impl warp::Reply for WebhookRejection {
    fn into_response(self) -> warp::reply::Response {
        refusal(&self.0).map(Into::into)
    }
}

/// The answer to an intercepted request; closes the connection when its body was left
/// unread.
fn refusal(intercepted: &Intercepted) -> Response<String> {
    let mut response = json_response(intercepted.status(), intercepted.body());
    if intercepted.closes_connection() {
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Answers a [`WebhookRejection`] with the core's status and JSON body; passes any other
/// rejection on. Use it as `routes.recover(recover)`.
#[allow(clippy::unused_async)] // warp's `recover` wants a function returning a future
pub async fn recover(rejection: warp::Rejection) -> Result<Response<String>, warp::Rejection> {
    match rejection.find::<WebhookRejection>() {
        Some(WebhookRejection(intercepted)) => Ok(refusal(intercepted)),
        None => Err(rejection),
    }
}

/// Like [`recover`], but also answers warp's own rejections (wrong method, unknown path)
/// with the same JSON shape, so no rejection ever becomes a 500 or an HTML page.
#[allow(clippy::unused_async)] // warp's `recover` wants a function returning a future
pub async fn recover_all(rejection: warp::Rejection) -> Result<Response<String>, Infallible> {
    if let Some(WebhookRejection(intercepted)) = rejection.find::<WebhookRejection>() {
        return Ok(refusal(intercepted));
    }
    let (status, reason) = if rejection.is_not_found() {
        (StatusCode::NOT_FOUND, "not found")
    } else if rejection.find::<warp::reject::MethodNotAllowed>().is_some() {
        (StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
    } else {
        (StatusCode::BAD_REQUEST, "bad request")
    };
    let body = Reply::failure(u32::from(status.as_u16()), reason).to_json();
    Ok(json_response(status.as_u16(), body))
}

fn json_response(status: u16, body: String) -> Response<String> {
    let mut response = Response::new(body);
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}

impl warp::Reply for WebhookFailure {
    fn into_response(self) -> warp::reply::Response {
        json_response(self.status, self.reply.to_json()).map(Into::into)
    }
}

impl warp::Reply for TrtcAck {
    fn into_response(self) -> warp::reply::Response {
        json_response(200, tencent_live_webhook::trtc::ACK.to_owned()).map(Into::into)
    }
}

impl warp::Reply for WebhookReply {
    fn into_response(self) -> warp::reply::Response {
        json_response(200, self.0.to_json()).map(Into::into)
    }
}
