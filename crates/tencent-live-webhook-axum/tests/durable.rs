//! The spool behind an axum handler: acknowledged once stored, refused (503) when it
//! cannot be, delivered to an in-process destination that fails, then succeeds.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::{Request, StatusCode};
use axum::{Router, routing::post};
use tencent_live_webhook_axum::tencent_live_webhook::{
    Command, Event, Payload, Reply, Token, Verifier, signed_query,
};
use tencent_live_webhook_axum::{Webhook, WebhookConfig, WebhookFailure, WebhookReply};
use tencent_live_webhook_spool::{Attempt, Outcome, Spool, SpoolConfig};
use tower::ServiceExt;

const APP: u64 = 1_400_000_000;
const NOW: u64 = 1_700_000_000;

#[derive(Clone, FromRef)]
struct AppState {
    webhooks: WebhookConfig,
    spool: Spool,
}

async fn live(
    State(spool): State<Spool>,
    webhook: Webhook,
) -> Result<WebhookReply, WebhookFailure> {
    spool.append(&webhook.into_notification()?).await?;
    Ok(Reply::ack().into())
}

fn router(spool: Spool) -> Router {
    let token = Token::new("durable").unwrap();
    let webhooks = WebhookConfig::new(Verifier::new().app(APP, [token])).clock(|| NOW);
    Router::new()
        .route("/live", post(live))
        .with_state(AppState { webhooks, spool })
}

async fn send(router: &Router, body: &str) -> (StatusCode, String) {
    let token = Token::new("durable").unwrap();
    let query = signed_query(APP, &Command::AfterDestroyRoom, &token, NOW);
    let request = Request::post(format!("/live?{query}"))
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

fn destroyed(room: &str) -> String {
    format!(r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"{room}"}}"#)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_then_delivered_after_a_failed_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let config = SpoolConfig::default()
        .retry_schedule("10ms".parse().unwrap())
        .poll_interval(Duration::from_millis(10));
    let spool = Spool::open(dir.path().join("spool.db"), config).unwrap();
    let router = router(spool.clone());
    let (status, body) = send(&router, &destroyed("r1")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(spool.stats().await.unwrap().pending, 1);

    let attempts = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&attempts);
    let (delivered, received) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = spool.clone();
    let running = tokio::spawn(async move {
        let destination = move |attempt: Attempt| {
            let counted = Arc::clone(&counted);
            let delivered = delivered.clone();
            async move {
                if counted.fetch_add(1, Ordering::SeqCst) == 0 {
                    return Outcome::failed("the database is restarting");
                }
                let webhook = attempt.envelope.decode().unwrap();
                let _ = delivered.send((webhook, attempt.number));
                Outcome::Delivered { status: None }
            }
        };
        worker
            .deliver(destination, async {
                let _ = stopped.await;
            })
            .await;
    });
    let mut received = received;
    let (webhook, number) = tokio::time::timeout(Duration::from_secs(20), received.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(number, 2);
    let Payload::Event(Event::AfterDestroyRoom(event)) = webhook.payload() else {
        panic!("{webhook:?}");
    };
    assert_eq!(event.room_id, "r1");
    assert_eq!(webhook.meta().sdk_app_id, APP);
    drop(stop);
    running.await.unwrap();
    let stats = spool.stats().await.unwrap();
    assert_eq!((stats.pending, stats.delivered), (0, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_spool_is_answered_503_never_200() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::open(
        dir.path().join("spool.db"),
        SpoolConfig::default().max_pending(1),
    )
    .unwrap();
    let router = router(spool);
    assert_eq!(send(&router, &destroyed("a")).await.0, StatusCode::OK);
    let (status, body) = send(&router, &destroyed("b")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains(r#""ActionStatus":"FAIL""#), "{body}");
    assert!(body.contains("the spool is full"), "{body}");
    // A duplicate of what is stored is still acknowledged: it is kept.
    assert_eq!(send(&router, &destroyed("a")).await.0, StatusCode::OK);
}
