#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::convert::Infallible;
use std::pin::pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Buf;
use futures_util::{Stream, StreamExt};
pub use tencent_live_webhook;
use tencent_live_webhook::{Command, Receiver, Rejection, Reply, Webhook, WebhookQuery};
use warp::Filter;
use warp::http::header::CONTENT_TYPE;
use warp::http::{Response, StatusCode};

/// A filter that extracts a verified, decoded [`Webhook`] from a `POST`, reading the clock
/// from the system.
///
/// The query is verified before the body is read; the body is read under the receiver's
/// limit. Refusals are [`WebhookRejection`]s: add [`recover`] to answer them as Tencent
/// expects.
pub fn webhook(
    receiver: Receiver,
) -> impl Filter<Extract = (Webhook,), Error = warp::Rejection> + Clone {
    webhook_with_clock(receiver, unix_now)
}

/// [`webhook`] with another clock (Unix seconds), for tests.
pub fn webhook_with_clock(
    receiver: Receiver,
    clock: fn() -> u64,
) -> impl Filter<Extract = (Webhook,), Error = warp::Rejection> + Clone {
    let receiver = Arc::new(receiver);
    // A request without a query string is still ours to refuse, with our own answer.
    let raw_query = warp::query::raw().or(warp::any().map(String::new)).unify();
    warp::post()
        .and(raw_query)
        .and(warp::header::optional::<String>("content-length"))
        .and(warp::body::stream())
        .and_then(move |query: String, length: Option<String>, body| {
            let receiver = Arc::clone(&receiver);
            async move {
                receive(&receiver, clock(), &query, length.as_deref(), body)
                    .await
                    .map_err(warp::reject::custom)
            }
        })
}

async fn receive<B: Buf>(
    receiver: &Receiver,
    now: u64,
    query: &str,
    content_length: Option<&str>,
    body: impl Stream<Item = Result<B, warp::Error>>,
) -> Result<Webhook, WebhookRejection> {
    let mut incoming = receiver
        .start(query, content_length.map(str::as_bytes), now)
        .map_err(|rejection| refuse(rejection, query))?;
    let command = incoming.verified().command();
    let mut body = pin!(body);
    while let Some(chunk) = body.next().await {
        let mut chunk = chunk.map_err(|_| refuse_command(Rejection::BodyUnreadable, command))?;
        while chunk.has_remaining() {
            let part = chunk.chunk();
            let taken = part.len();
            incoming
                .push(part)
                .map_err(|rejection| refuse_command(rejection, command))?;
            chunk.advance(taken);
        }
    }
    incoming
        .finish()
        .map_err(|rejection| refuse_command(rejection, command))
}

/// The system clock in Unix seconds (0 if it is set before 1970).
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

fn refuse(rejection: Rejection, raw_query: &str) -> WebhookRejection {
    let command = WebhookQuery::parse(raw_query)
        .ok()
        .and_then(|query| query.command());
    refuse_command(rejection, command)
}

fn refuse_command(rejection: Rejection, command: Option<Command>) -> WebhookRejection {
    tracing::warn!(
        status = rejection.status(),
        reason = %rejection,
        command = command.as_ref().map(Command::as_str),
        "refused Tencent Live webhook"
    );
    WebhookRejection(rejection)
}

/// A refused webhook, as a warp rejection. [`recover`] turns it into the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookRejection(pub Rejection);

impl warp::reject::Reject for WebhookRejection {}

/// Answers a [`WebhookRejection`] with the core's status and JSON body; passes any other
/// rejection on. Use it as `routes.recover(recover)`.
#[allow(clippy::unused_async)] // warp's `recover` wants a function returning a future
pub async fn recover(rejection: warp::Rejection) -> Result<Response<String>, warp::Rejection> {
    match rejection.find::<WebhookRejection>() {
        Some(WebhookRejection(refused)) => {
            Ok(json_response(refused.status(), refused.reply().to_json()))
        }
        None => Err(rejection),
    }
}

/// Like [`recover`], but also answers warp's own rejections (wrong method, unknown path)
/// with the same JSON shape, so no rejection ever becomes a 500 or an HTML page.
#[allow(clippy::unused_async)] // warp's `recover` wants a function returning a future
pub async fn recover_all(rejection: warp::Rejection) -> Result<Response<String>, Infallible> {
    if let Some(WebhookRejection(refused)) = rejection.find::<WebhookRejection>() {
        return Ok(json_response(refused.status(), refused.reply().to_json()));
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
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    response.headers_mut().insert(
        CONTENT_TYPE,
        warp::http::HeaderValue::from_static("application/json"),
    );
    response
}

/// A core [`Reply`] as a warp reply: HTTP 200 with the protocol's JSON.
///
/// Return it from a handler: `WebhookReply(Reply::ack())` or `Reply::ack().into()`.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookReply(pub Reply);

impl From<Reply> for WebhookReply {
    fn from(reply: Reply) -> Self {
        WebhookReply(reply)
    }
}

impl warp::Reply for WebhookReply {
    fn into_response(self) -> warp::reply::Response {
        json_response(200, self.0.to_json()).map(Into::into)
    }
}
