//! The warp filter: metadata, the system clock, and the recover functions.

use std::time::{SystemTime, UNIX_EPOCH};

use tencent_live_webhook::{Command, Platform, QueryBuilder, Receiver, Token, Verifier};
use tencent_live_webhook_warp::{Webhook, recover, recover_all, webhook};
use warp::Filter;

const APP: u64 = 1_400_000_000;

fn system_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn routes() -> impl Filter<Extract = (String,), Error = warp::Rejection> + Clone {
    let receiver = Receiver::new(Verifier::new().app(APP, [Token::new("t").unwrap()]));
    warp::path("live")
        .and(warp::path::end())
        .and(webhook(receiver))
        .map(|webhook: Webhook| {
            let meta = webhook.meta();
            format!(
                "{}|{:?}|{:?}",
                meta.command_word, meta.client_ip, meta.platform
            )
        })
}

fn signed_now() -> String {
    QueryBuilder::new(APP, Command::AfterCreateBattle)
        .client_ip("::1")
        .platform(Platform::Ios)
        .signed(&Token::new("t").unwrap(), system_now())
}

#[tokio::test]
async fn handler_sees_the_metadata_with_the_real_clock() {
    let response = warp::test::request()
        .method("POST")
        .path(&format!("/live?{}", signed_now()))
        .body(r#"{"BattleId":"b"}"#)
        .reply(&routes())
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.body(),
        r#"Live.CallbackAfterCreateBattle|Some("::1")|Some(Ios)"#
    );
}

#[tokio::test]
async fn recover_leaves_other_rejections_to_warp() {
    let routes = routes().recover(recover);
    let not_found = warp::test::request()
        .method("POST")
        .path("/elsewhere")
        .reply(&routes)
        .await;
    assert_eq!(not_found.status(), 404);
    let get = warp::test::request()
        .method("GET")
        .path("/live")
        .reply(&routes)
        .await;
    assert_eq!(get.status(), 405);
}

#[tokio::test]
async fn recover_all_answers_everything_in_the_protocol_shape() {
    let routes = routes().recover(recover_all);
    let get = warp::test::request()
        .method("GET")
        .path("/live")
        .reply(&routes)
        .await;
    assert_eq!(get.status(), 405);
    assert_eq!(
        get.body(),
        r#"{"ActionStatus":"FAIL","ErrorCode":405,"ErrorInfo":"method not allowed"}"#
    );
    let forged = warp::test::request()
        .method("POST")
        .path(&format!(
            "/live?{}",
            signed_now().replace("SdkAppid=1400000000", "SdkAppid=1")
        ))
        .reply(&routes)
        .await;
    assert_eq!(forged.status(), 403);
    assert_eq!(
        forged.body(),
        r#"{"ActionStatus":"FAIL","ErrorCode":403,"ErrorInfo":"unknown SdkAppid 1"}"#
    );
}

#[tokio::test]
async fn a_request_without_any_query_is_refused_as_ours() {
    let response = warp::test::request()
        .method("POST")
        .path("/live")
        .body("{}")
        .reply(&routes().recover(recover))
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(response.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn the_route_is_exact() {
    let response = warp::test::request()
        .method("POST")
        .path(&format!("/live/anything/else?{}", signed_now()))
        .body(r#"{"BattleId":"b"}"#)
        .reply(&routes().recover(recover_all))
        .await;
    assert_eq!(response.status(), 404);
}
