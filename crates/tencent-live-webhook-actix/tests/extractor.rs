//! The actix-web extractor: configuration, metadata, responses.

use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::{App, test, web};
use tencent_live_webhook::{Command, Platform, QueryBuilder, Reply, Token, Verifier};
use tencent_live_webhook_actix::{Webhook, WebhookConfig, WebhookReply};

const APP: u64 = 1_400_000_000;

fn system_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn summary(webhook: Webhook) -> String {
    let meta = webhook.meta();
    format!(
        "{}|{}|{:?}|{:?}|{:?}|{:?}",
        meta.sdk_app_id,
        meta.command_word,
        meta.command,
        meta.client_ip,
        meta.platform,
        meta.matched_token
    )
}

fn verifier() -> Verifier {
    Verifier::new().app(
        APP,
        [Token::new("old").unwrap(), Token::new("new").unwrap()],
    )
}

fn query(token: &str, time: u64) -> String {
    // The URL uses the documented alias; the command is not covered by the signature.
    QueryBuilder::new(APP, Command::AfterMemberStateChanged)
        .client_ip("203.0.113.9")
        .platform(Platform::Android)
        .signed(&Token::new(token).unwrap(), time)
        .replace(
            "Live.CallbackAfterMemberStateChanged",
            "Live.CallbackMemberStateChanged",
        )
}

#[actix_web::test]
async fn handler_sees_the_metadata_with_the_real_clock() {
    let app = test::init_service(
        App::new()
            .app_data(WebhookConfig::new(verifier()))
            .route("/", web::post().to(summary)),
    )
    .await;
    let request = test::TestRequest::post()
        .uri(&format!("/?{}", query("new", system_now())))
        .set_payload(r#"{"RoomId":"r"}"#)
        .to_request();
    let body = test::call_and_read_body(&app, request).await;
    assert_eq!(
        std::str::from_utf8(&body).unwrap(),
        "1400000000|Live.CallbackMemberStateChanged|AfterMemberStateChanged|Some(\"203.0.113.9\")|Some(Android)|Some(1)"
    );
}

#[actix_web::test]
async fn config_can_be_shared_as_web_data() {
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(WebhookConfig::new(verifier())))
            .route("/", web::post().to(summary)),
    )
    .await;
    let request = test::TestRequest::post()
        .uri(&format!("/?{}", query("old", system_now())))
        .set_payload(r#"{"RoomId":"r"}"#)
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), 200);
}

#[actix_web::test]
async fn missing_config_is_a_500_with_the_same_json_shape() {
    let app = test::init_service(App::new().route("/", web::post().to(summary))).await;
    let request = test::TestRequest::post().uri("/?SdkAppid=1").to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), 500);
    let body: serde_json::Value = test::read_body_json(response).await;
    assert_eq!(body["ActionStatus"], "FAIL");
    assert_eq!(body["ErrorCode"], 500);
}

#[actix_web::test]
async fn body_limit_is_configurable() {
    fn fixed() -> u64 {
        1_700_000_000
    }
    let config = WebhookConfig::new(verifier()).clock(fixed).body_limit(10);
    let app = test::init_service(
        App::new()
            .app_data(config)
            .route("/", web::post().to(summary)),
    )
    .await;
    let request = test::TestRequest::post()
        .uri(&format!("/?{}", query("new", fixed())))
        .set_payload(r#"{"RoomId":"room"}"#)
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), 413);
}

#[actix_web::test]
async fn replies_are_200_json() {
    async fn gift(_: Webhook) -> WebhookReply {
        Reply::reject_gift_with(102_100, "no").unwrap().into()
    }
    let app = test::init_service(
        App::new()
            .app_data(WebhookConfig::new(verifier()))
            .route("/", web::post().to(gift)),
    )
    .await;
    let query = tencent_live_webhook::signed_query(
        APP,
        &Command::BeforeSendGift,
        &Token::new("old").unwrap(),
        system_now(),
    );
    let request = test::TestRequest::post()
        .uri(&format!("/?{query}"))
        .set_payload(r#"{"RoomId":"r","GiftWater":{"GiftId":"g"}}"#)
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/json"
    );
    let body = test::read_body(response).await;
    assert_eq!(
        body,
        r#"{"ActionStatus":"OK","ErrorCode":102100,"ErrorInfo":"no"}"#
    );
}

#[actix_web::test]
async fn a_receiver_registered_instead_of_the_config_is_a_500_not_a_verdict() {
    let receiver = tencent_live_webhook::Receiver::new(verifier());
    let app = test::init_service(
        App::new()
            .app_data(receiver)
            .route("/", web::post().to(summary)),
    )
    .await;
    let request = test::TestRequest::post()
        .uri(&format!("/?{}", query("new", system_now())))
        .set_payload(r#"{"RoomId":"room"}"#)
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), 500);
    let body: serde_json::Value = test::read_body_json(response).await;
    assert_eq!(body["ErrorInfo"], "webhook receiver is not configured");
}

#[actix_web::test]
async fn the_clock_can_capture_a_value() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    let now = Arc::new(AtomicU64::new(1_700_000_000));
    let clock = Arc::clone(&now);
    let config = WebhookConfig::new(verifier()).clock(move || clock.load(Ordering::SeqCst));
    let app = test::init_service(
        App::new()
            .app_data(config)
            .route("/", web::post().to(summary)),
    )
    .await;
    let signed = format!("/?{}", query("new", 1_700_000_000));
    let send = || {
        test::TestRequest::post()
            .uri(&signed)
            .set_payload(r#"{"RoomId":"room"}"#)
            .to_request()
    };
    assert_eq!(test::call_service(&app, send()).await.status(), 200);
    now.store(1_700_000_061, Ordering::SeqCst);
    assert_eq!(test::call_service(&app, send()).await.status(), 401);
}
