//! The axum extractor through a real `Router`, with `oneshot`, and once over a socket.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::http::{Request, StatusCode};
use axum::routing::post;
use axum::{Router, response::IntoResponse};
use futures_util::stream;
use http_body_util::BodyExt;
use tencent_live_webhook_axum::tencent_live_webhook::{
    Command, Event, Payload, Reply, Sign, Token, Verifier, signed_query,
};
use tencent_live_webhook_axum::{
    Intercepted, Webhook, WebhookConfig, WebhookRejection, WebhookReply,
};
use tower::ServiceExt;

const APP: u64 = 1_400_000_000;
const NOW: u64 = 1_700_000_000;
const SECRET: &str = "axum-secret-token";

fn token() -> Token {
    Token::new(SECRET).unwrap()
}

fn config() -> WebhookConfig {
    WebhookConfig::new(Verifier::new().app(APP, [token()]))
        .body_limit(4096)
        .clock(|| NOW)
}

fn signed(command: Command) -> String {
    signed_query(APP, &command, &token(), NOW)
}

/// Answers with what was decoded, so tests see it.
async fn describe(webhook: Webhook) -> WebhookReply {
    let meta = webhook.meta();
    let text = match webhook.payload() {
        Payload::Event(Event::Unknown(unknown)) => format!("unknown {}", unknown.body()),
        Payload::Event(event) => format!(
            "{:?} room={:?} id={:?}",
            event.command(),
            event.room_id(),
            meta.request_id
        ),
        Payload::Misfit(misfit) => format!("misfit {}", misfit.error().path()),
    };
    Reply::failure(0, text).into()
}

fn router(config: WebhookConfig) -> Router {
    Router::new()
        .route("/live", post(describe))
        .with_state(config)
}

struct Answer {
    status: StatusCode,
    content_type: String,
    json: serde_json::Value,
}

async fn call(app: Router, query: &str, body: Body, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::post(format!("/live?{query}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app.oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&bytes)));
    Answer {
        status,
        content_type,
        json,
    }
}

async fn post_body(query: &str, body: &'static [u8]) -> Answer {
    call(router(config()), query, Body::from(body), &[]).await
}

fn assert_refused(answer: &Answer, status: u16, reason: &str) {
    assert_eq!(answer.status.as_u16(), status, "{}", answer.json);
    assert_eq!(answer.content_type, "application/json");
    assert_eq!(answer.json["ActionStatus"], "FAIL");
    assert_eq!(answer.json["ErrorCode"], status);
    let info = answer.json["ErrorInfo"].as_str().unwrap();
    assert!(info.contains(reason), "{info:?} lacks {reason:?}");
    assert!(!info.contains(SECRET));
    assert!(!info.contains(&Sign::compute(&token(), NOW).to_string()));
}

/// A body that fails if anyone reads it: proves a refusal came before the body.
fn unreadable_body() -> Body {
    Body::from_stream(stream::iter([Err::<Bytes, _>(std::io::Error::other(
        "the body was read",
    ))]))
}

/// A body delivered in chunks, without a declared length.
fn chunked(chunks: Vec<&'static [u8]>) -> Body {
    Body::from_stream(stream::iter(
        chunks
            .into_iter()
            .map(|chunk| Ok::<_, Infallible>(Bytes::from_static(chunk))),
    ))
}

#[tokio::test]
async fn a_signed_webhook_reaches_the_handler_decoded() {
    let answer = post_body(
        &signed(Command::AfterDestroyRoom),
        br#"{"RoomId":"r1","EventTime":1}"#,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type, "application/json");
    assert_eq!(
        answer.json["ErrorInfo"],
        "AfterDestroyRoom room=Some(\"r1\") id=None"
    );
}

#[tokio::test]
async fn every_documented_sample_is_accepted() {
    for (word, body) in tencent_live_webhook_axum::tencent_live_webhook::samples::ALL {
        let command: Command = word.parse().unwrap();
        let answer = post_body(&signed(command), body).await;
        assert_eq!(answer.status, StatusCode::OK, "{word}: {}", answer.json);
        assert!(
            answer.json["ErrorInfo"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{command:?}")),
            "{word}: {}",
            answer.json
        );
    }
}

#[tokio::test]
async fn a_forged_sign_is_401_before_the_body_is_read() {
    let forged = signed(Command::AfterCreateRoom)
        .replace("RequestTime=1700000000", "RequestTime=1700000001");
    let answer = call(router(config()), &forged, unreadable_body(), &[]).await;
    assert_refused(&answer, 401, "Sign does not match");
}

#[tokio::test]
async fn stale_and_future_times_are_401() {
    let stale = signed_query(APP, &Command::AfterCreateRoom, &token(), NOW - 61);
    assert_refused(&post_body(&stale, b"{}").await, 401, "61 s in the past");
    let future = signed_query(APP, &Command::AfterCreateRoom, &token(), NOW + 61);
    assert_refused(&post_body(&future, b"{}").await, 401, "61 s in the future");
}

#[tokio::test]
async fn unknown_and_missing_apps_are_403() {
    let other = signed_query(APP + 1, &Command::AfterCreateRoom, &token(), NOW);
    assert_refused(
        &post_body(&other, b"{}").await,
        403,
        "unknown SdkAppid 1400000001",
    );
    assert_refused(&post_body("", b"{}").await, 403, "missing SdkAppid");
}

#[tokio::test]
async fn malformed_queries_and_bodies_are_400() {
    let repeated = format!("{}&Sign=00", signed(Command::AfterCreateRoom));
    assert_refused(&post_body(&repeated, b"{}").await, 400, "Sign is repeated");
    let query = signed(Command::AfterCreateRoom);
    assert_refused(&post_body(&query, b"<xml/>").await, 400, "not JSON");
    assert_refused(&post_body(&query, b"[1]").await, 400, "not a JSON object");
    let mismatch = br#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom"}"#;
    assert_refused(&post_body(&query, mismatch).await, 400, "command mismatch");
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_413_before_the_body_is_read() {
    let answer = call(
        router(config()),
        &signed(Command::AfterCreateRoom),
        unreadable_body(),
        &[("content-length", "4097")],
    )
    .await;
    assert_refused(&answer, 413, "larger than 4096 bytes");
    let answer = call(
        router(config()),
        &signed(Command::AfterCreateRoom),
        unreadable_body(),
        &[("content-length", "12x")],
    )
    .await;
    assert_refused(&answer, 400, "Content-Length");
}

#[tokio::test]
async fn chunks_past_the_limit_are_413() {
    let big: &'static [u8] = Box::leak(vec![b' '; 3000].into_boxed_slice());
    let answer = call(
        router(config()),
        &signed(Command::AfterCreateRoom),
        chunked(vec![b"{", big, big, b"}"]),
        &[],
    )
    .await;
    assert_refused(&answer, 413, "larger than 4096 bytes");
}

#[tokio::test]
async fn a_smaller_default_body_limit_of_the_application_wins() {
    let app = router(config()).layer(DefaultBodyLimit::max(16));
    let query = signed(Command::AfterDestroyRoom);
    let body: &'static [u8] = br#"{"RoomId":"a-room-id-longer-than-16-bytes"}"#;
    let answer = call(app.clone(), &query, chunked(vec![body]), &[]).await;
    assert_refused(&answer, 413, "larger than the server accepts");
    let answer = call(app, &query, Body::from(body), &[]).await;
    assert_refused(&answer, 413, "larger than the server accepts");
    // A larger or disabled one leaves ours in force.
    for layer in [DefaultBodyLimit::max(1 << 20), DefaultBodyLimit::disable()] {
        let app = router(config()).layer(layer);
        let big: &'static [u8] = Box::leak(vec![b' '; 5000].into_boxed_slice());
        let answer = call(app, &query, chunked(vec![b"{}", big]), &[]).await;
        assert_refused(&answer, 413, "larger than 4096 bytes");
    }
}

#[tokio::test]
async fn a_body_that_breaks_off_is_400() {
    let body = Body::from_stream(stream::iter([
        Ok(Bytes::from_static(b"{\"RoomId\":")),
        Err(std::io::Error::other("connection reset")),
    ]));
    let answer = call(
        router(config()),
        &signed(Command::AfterDestroyRoom),
        body,
        &[],
    )
    .await;
    assert_refused(&answer, 400, "body could not be read");
}

#[tokio::test]
async fn the_connectivity_probe_is_acked_without_calling_the_handler() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let app = Router::new()
        .route(
            "/live",
            post(move |_: Webhook| async move {
                counted.fetch_add(1, Ordering::SeqCst);
                WebhookReply(Reply::failure(1, "handler called"))
            }),
        )
        .with_state(config());
    let probe = format!("Sign={}&RequestTime={NOW}", Sign::compute(&token(), NOW));
    for body in [&b""[..], b"{}"] {
        let answer = call(app.clone(), &probe, Body::from(body), &[]).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(
            answer.json,
            serde_json::json!({"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""})
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    // A forged probe is refused like any forged request.
    let forged = format!("Sign={}&RequestTime={NOW}", "0".repeat(64));
    assert_refused(&call(app, &forged, Body::empty(), &[]).await, 401, "Sign");
}

#[tokio::test]
async fn request_id_reaches_the_handler() {
    let query = format!(
        "{}&RequestID=c637d5f9-2b8e",
        signed(Command::AfterDestroyRoom)
    );
    let answer = post_body(&query, br#"{"RoomId":"r1"}"#).await;
    assert_eq!(
        answer.json["ErrorInfo"],
        "AfterDestroyRoom room=Some(\"r1\") id=Some(\"c637d5f9-2b8e\")"
    );
}

#[tokio::test]
async fn unknown_commands_and_misfits_are_delivered() {
    let unknown = signed_query(
        APP,
        &"Live.CallbackAfterLike".parse().unwrap(),
        &token(),
        NOW,
    );
    let answer = post_body(&unknown, br#"{"Likes":3}"#).await;
    assert_eq!(answer.json["ErrorInfo"], r#"unknown {"Likes":3}"#);
    let seat = signed(Command::AfterSeatInfoChanged);
    let answer = post_body(&seat, br#"{"SeatList":[{"Index":"first"}]}"#).await;
    assert_eq!(answer.json["ErrorInfo"], "misfit SeatList[0].Index");
}

#[tokio::test]
async fn the_clock_can_be_any_closure() {
    let now = Arc::new(AtomicU64::new(NOW));
    let clock = Arc::clone(&now);
    let app = router(config().clock(move || clock.load(Ordering::SeqCst)));
    let query = signed(Command::AfterDestroyRoom);
    let answer = call(app.clone(), &query, Body::from("{}"), &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    now.store(NOW + 61, Ordering::SeqCst);
    let answer = call(app, &query, Body::from("{}"), &[]).await;
    assert_refused(&answer, 401, "61 s in the past");
}

#[derive(Clone, FromRef)]
struct AppState {
    webhooks: WebhookConfig,
    greeting: &'static str,
}

#[tokio::test]
async fn a_larger_state_gives_the_config_through_from_ref() {
    async fn handler(State(greeting): State<&'static str>, webhook: Webhook) -> WebhookReply {
        Reply::failure(0, format!("{greeting} {}", webhook.command())).into()
    }
    let app = Router::new()
        .route("/live", post(handler))
        .with_state(AppState {
            webhooks: config(),
            greeting: "hello",
        });
    let answer = call(
        app,
        &signed(Command::AfterDestroyRoom),
        Body::from("{}"),
        &[],
    )
    .await;
    assert_eq!(
        answer.json["ErrorInfo"],
        "hello Live.CallbackAfterDestroyRoom"
    );
}

#[tokio::test]
async fn rejections_and_replies_are_responses() {
    let rejection = WebhookRejection(Intercepted::NotConfigured);
    assert_eq!(rejection.status(), 500);
    let response = rejection.into_response();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let response = WebhookReply::from(Reply::reject_gift()).into_response();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        &body[..],
        br#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
    );
}

#[tokio::test]
async fn over_a_real_socket() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, router(config())).into_future());
    let body = br#"{"RoomId":"r9"}"#;
    for (query, expected) in [
        (signed(Command::AfterDestroyRoom), "200 OK"),
        (
            signed(Command::AfterDestroyRoom).replace("SdkAppid=", "SdkAppid=9"),
            "403 Forbidden",
        ),
    ] {
        let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
        let head = format!(
            "POST /live?{query} HTTP/1.1\r\nHost: test\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(body).await.unwrap();
        let mut answer = String::new();
        socket.read_to_string(&mut answer).await.unwrap();
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {expected}")),
            "{answer}"
        );
        assert!(
            answer.contains("content-type: application/json"),
            "{answer}"
        );
        if expected == "200 OK" {
            assert!(
                answer.ends_with(r#""ErrorInfo":"AfterDestroyRoom room=Some(\"r9\") id=None"}"#),
                "{answer}"
            );
        }
    }
    server.abort();
}
