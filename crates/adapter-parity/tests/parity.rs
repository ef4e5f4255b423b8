//! Every case runs through the three adapters: each must give the expected status, and all
//! must give the same status, content type and body.

use actix_web::{App, HttpResponse, test as actix_test, web};
use http_body_util::BodyExt;
use tencent_live_webhook::{
    Command, Event, Payload, QueryBuilder, Reply, Token, Verifier, Webhook, signed_query, trtc,
};
use tower::ServiceExt;
use warp::Filter;

const APP: u64 = 1_400_000_000;
const NOW: u64 = 1_700_000_000;
const SECRET: &str = "parity-secret-token";
const LIMIT: usize = 4096;
const TRTC_KEY: &str = "parityTrtcKey42";

/// The one configuration type all three adapters share.
fn config() -> tencent_live_webhook_axum::WebhookConfig {
    tencent_live_webhook_axum::WebhookConfig::new(
        Verifier::new().app(APP, [Token::new(SECRET).unwrap()]),
    )
    .trtc(trtc::Verifier::new().app(APP, [trtc::Key::new(TRTC_KEY).unwrap()]))
    .body_limit(LIMIT)
    .clock(|| NOW)
}

/// What the TRTC test handler answers: the ack for a room creation, else what was decoded.
fn describe_trtc(callback: &trtc::Callback, raw_body: &[u8]) -> Option<Reply> {
    let text = match callback.payload() {
        trtc::Payload::Event(trtc::Event::Room(room))
            if room.kind == trtc::RoomEventKind::Created =>
        {
            return None;
        }
        trtc::Payload::Event(event) => format!(
            "{} {} {} room={:?} id={} exact={}",
            event.group(),
            event.event_type(),
            serde_json::to_value(event).unwrap()["EventInfo"].is_object(),
            event.room_id(),
            callback.event_id(),
            raw_body.len()
        ),
        trtc::Payload::Misfit(misfit) => format!("misfit {}", misfit.error().path()),
    };
    Some(Reply::reject_message_with(10_200, text).unwrap())
}

async fn actix_trtc_handler(
    request: actix_web::HttpRequest,
    callback: tencent_live_webhook_actix::TrtcCallback,
) -> HttpResponse {
    use actix_web::Responder;
    match describe_trtc(&callback, callback.raw_body()) {
        None => tencent_live_webhook_actix::TrtcAck.respond_to(&request),
        Some(reply) => tencent_live_webhook_actix::WebhookReply(reply).respond_to(&request),
    }
}

/// What the test handler answers: the event's kind, so the test sees what was decoded.
fn describe(webhook: &Webhook) -> Reply {
    match webhook.payload() {
        Payload::Event(Event::BeforeSendGift(gift)) if gift.gift_water.gift_id == "forbidden" => {
            Reply::reject_gift_with(102_150, "gift not allowed").unwrap()
        }
        Payload::Event(Event::BeforeSendMsg(message)) if message.msg_body.is_empty() => {
            Reply::drop_message()
        }
        Payload::Event(Event::BeforeSendMsg(_)) => Reply::deliver_rewritten(
            Some(vec![tencent_live_webhook::MsgElement::text("***")]),
            None,
        ),
        Payload::Event(Event::Unknown(unknown)) => Reply::reject_message_with(
            10_100,
            format!("unknown {} {}", unknown.command(), unknown.body()),
        )
        .unwrap(),
        Payload::Event(event @ Event::AfterDestroyRoom(_)) => Reply::reject_message_with(
            10_101,
            format!(
                "{:?} app={} id={:?}",
                event.command(),
                webhook.meta().sdk_app_id,
                webhook.meta().request_id
            ),
        )
        .unwrap(),
        Payload::Event(event) => {
            Reply::reject_message_with(10_101, format!("{:?}", event.command())).unwrap()
        }
        Payload::Misfit(misfit) => Reply::reject_message_with(
            10_102,
            format!("misfit {} {}", misfit.error().path(), misfit.body()),
        )
        .unwrap(),
    }
}

/// Asked by an `Echo=raw` parameter, the handler echoes what the adapter kept of the
/// request: the query without its `Sign` (a credential), and the body, both exact.
fn describe_raw(webhook: &Webhook, raw_query: &str, raw_body: &[u8]) -> Reply {
    if !raw_query.split('&').any(|pair| pair == "Echo=raw") {
        return describe(webhook);
    }
    let unsigned: Vec<&str> = raw_query
        .split('&')
        .filter(|pair| !pair.starts_with("Sign="))
        .collect();
    Reply::reject_message_with(
        10_103,
        format!(
            "{}|{}",
            unsigned.join("&"),
            String::from_utf8_lossy(raw_body)
        ),
    )
    .unwrap()
}

async fn actix_handler(
    webhook: tencent_live_webhook_actix::Webhook,
) -> tencent_live_webhook_actix::WebhookReply {
    describe_raw(&webhook, webhook.raw_query(), webhook.raw_body()).into()
}

struct Answer {
    status: u16,
    content_type: String,
    body: String,
}

async fn via_actix(method: &str, uri: &str, body: &[u8], headers: &[(&str, &str)]) -> Answer {
    let app = actix_test::init_service(
        App::new()
            .app_data(config())
            .route("/live", web::post().to(actix_handler))
            .route("/trtc", web::post().to(actix_trtc_handler))
            .default_service(web::to(HttpResponse::MethodNotAllowed)),
    )
    .await;
    let mut request = actix_test::TestRequest::default()
        .method(method.parse().unwrap())
        .uri(uri)
        .set_payload(body.to_vec());
    for (name, value) in headers {
        request = request.insert_header((*name, *value));
    }
    let response = actix_test::call_service(&app, request.to_request()).await;
    let status = response.status().as_u16();
    let content_type = header_actix(response.headers().get("content-type"));
    let body = actix_test::read_body(response).await;
    Answer {
        status,
        content_type,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

async fn via_warp(method: &str, uri: &str, body: &[u8], headers: &[(&str, &str)]) -> Answer {
    let routes = warp::path("live")
        .and(warp::path::end())
        .and(tencent_live_webhook_warp::webhook(config()))
        .map(|webhook: tencent_live_webhook_warp::Webhook| {
            tencent_live_webhook_warp::WebhookReply(describe_raw(
                &webhook,
                webhook.raw_query(),
                webhook.raw_body(),
            ))
        })
        .or(warp::path("trtc")
            .and(warp::path::end())
            .and(tencent_live_webhook_warp::trtc_callback(config()))
            .map(|callback: tencent_live_webhook_warp::TrtcCallback| {
                match describe_trtc(&callback, callback.raw_body()) {
                    None => warp::Reply::into_response(tencent_live_webhook_warp::TrtcAck),
                    Some(reply) => {
                        warp::Reply::into_response(tencent_live_webhook_warp::WebhookReply(reply))
                    }
                }
            }))
        .recover(tencent_live_webhook_warp::recover);
    let mut request = warp::test::request().method(method).path(uri).body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.reply(&routes).await;
    Answer {
        status: response.status().as_u16(),
        content_type: header(response.headers().get("content-type")),
        body: String::from_utf8(response.body().to_vec()).unwrap(),
    }
}

async fn axum_handler(
    webhook: tencent_live_webhook_axum::Webhook,
) -> tencent_live_webhook_axum::WebhookReply {
    describe_raw(&webhook, webhook.raw_query(), webhook.raw_body()).into()
}

async fn axum_trtc_handler(
    callback: tencent_live_webhook_axum::TrtcCallback,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match describe_trtc(&callback, callback.raw_body()) {
        None => tencent_live_webhook_axum::TrtcAck.into_response(),
        Some(reply) => tencent_live_webhook_axum::WebhookReply(reply).into_response(),
    }
}

async fn via_axum(method: &str, uri: &str, body: &[u8], headers: &[(&str, &str)]) -> Answer {
    let app = axum::Router::new()
        .route("/live", axum::routing::post(axum_handler))
        .route("/trtc", axum::routing::post(axum_trtc_handler))
        .with_state(config());
    let mut request = axum::http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(axum::body::Body::from(body.to_vec())).unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let content_type = header(response.headers().get("content-type"));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        content_type,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

fn header(value: Option<&warp::http::HeaderValue>) -> String {
    value
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

fn header_actix(value: Option<&actix_web::http::header::HeaderValue>) -> String {
    value
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Runs one request through the three adapters and returns the (shared) answer.
async fn all_three(query: &str, body: &[u8]) -> Answer {
    all_three_with(query, body, &[]).await
}

async fn all_three_with(query: &str, body: &[u8], headers: &[(&str, &str)]) -> Answer {
    all_three_at(&format!("/live?{query}"), body, headers).await
}

async fn all_three_at(uri: &str, body: &[u8], headers: &[(&str, &str)]) -> Answer {
    let uri = uri.to_owned();
    let actix = via_actix("POST", &uri, body, headers).await;
    let warp = via_warp("POST", &uri, body, headers).await;
    let axum = via_axum("POST", &uri, body, headers).await;
    for (name, other) in [("warp", &warp), ("axum", &axum)] {
        assert_eq!(
            (actix.status, &actix.body, &actix.content_type),
            (other.status, &other.body, &other.content_type),
            "actix and {name} differ for {uri}"
        );
    }
    assert!(
        !actix.body.contains(SECRET),
        "secret leaked: {}",
        actix.body
    );
    let expected_sign =
        tencent_live_webhook::Sign::compute(&Token::new(SECRET).unwrap(), NOW).to_string();
    assert!(
        !actix.body.contains(&expected_sign),
        "expected Sign leaked: {}",
        actix.body
    );
    actix
}

fn signed(command: &str) -> String {
    signed_query(
        APP,
        &command.parse::<Command>().unwrap(),
        &Token::new(SECRET).unwrap(),
        NOW,
    )
}

fn json(answer: &Answer) -> serde_json::Value {
    assert_eq!(answer.content_type, "application/json");
    serde_json::from_str(&answer.body).unwrap_or_else(|e| panic!("{e}: {}", answer.body))
}

fn assert_refused(answer: &Answer, status: u16, reason: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    let body = json(answer);
    assert_eq!(body["ActionStatus"], "FAIL");
    assert_eq!(body["ErrorCode"], status);
    let info = body["ErrorInfo"].as_str().unwrap();
    assert!(info.contains(reason), "{info:?} lacks {reason:?}");
}

use tencent_live_webhook::samples::ALL as SAMPLES;

#[actix_web::test]
async fn every_sample_is_accepted_and_decoded_to_its_variant() {
    for (name, body) in SAMPLES {
        let answer = all_three(&signed(name), body).await;
        assert_eq!(answer.status, 200, "{name}: {}", answer.body);
        let reply = json(&answer);
        assert_eq!(reply["ActionStatus"], "OK", "{name}");
        let command: Command = name.parse().unwrap();
        match command {
            Command::BeforeSendMsg => assert_eq!(reply["MsgBody"][0]["MsgContent"]["Text"], "***"),
            Command::BeforeSendGift => assert_eq!(reply["ErrorCode"], 10_101),
            _ => {
                let info = reply["ErrorInfo"].as_str().unwrap();
                let kind = info.split(' ').next().unwrap();
                assert_eq!(kind, format!("{command:?}"), "{name}");
            }
        }
    }
}

#[actix_web::test]
async fn every_chat_example_is_handed_over_alike_as_its_typed_event() {
    use tencent_live_webhook::samples::{CHAT, chat_word};
    for (name, body) in CHAT {
        let word = chat_word(name);
        let command: Command = word.parse().unwrap();
        let answer = all_three(&signed(word), body).await;
        assert_eq!(answer.status, 200, "{name}: {}", answer.body);
        let reply = json(&answer);
        // The handler names the typed variant it got (the message words have their own
        // replies above).
        if matches!(command, Command::BeforeSendMsg) {
            assert_eq!(reply["MsgBody"][0]["MsgContent"]["Text"], "***", "{name}");
            continue;
        }
        let info = reply["ErrorInfo"].as_str().unwrap();
        let kind = info.split(' ').next().unwrap();
        assert_eq!(kind, format!("{command:?}"), "{name}");
    }
    // A moderation result names its command only in the URL; push reports only inside
    // each event: both still arrive typed.
    let answer = all_three(
        &signed("ContentCallback.ResultNotify"),
        br#"{"Scene":"C2C","CtxcbResult":1}"#,
    )
    .await;
    assert!(
        json(&answer)["ErrorInfo"]
            .as_str()
            .unwrap()
            .starts_with("ContentCallbackResultNotify")
    );
}

#[actix_web::test]
async fn gift_rejection_with_pass_through_code() {
    let body = br#"{"RoomId":"r","GiftWater":{"GiftId":"forbidden","Count":1}}"#;
    let answer = all_three(&signed("Live.CallbackBeforeSendGift"), body).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.body,
        r#"{"ActionStatus":"OK","ErrorCode":102150,"ErrorInfo":"gift not allowed"}"#
    );
}

#[actix_web::test]
async fn message_drop_and_rewrite_replies() {
    let empty = br#"{"GroupId":"@TGS#1","MsgBody":[]}"#;
    let answer = all_three(&signed("Group.CallbackBeforeSendMsg"), empty).await;
    assert_eq!(
        answer.body,
        r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#
    );
}

#[actix_web::test]
async fn bad_sign_is_401() {
    let query = signed("Live.CallbackAfterCreateRoom");
    let sign = &query[query.find("Sign=").unwrap() + 5..][..64];
    let tampered = query.replace(sign, &"0".repeat(64));
    assert_refused(&all_three(&tampered, b"{}").await, 401, "Sign");
}

#[actix_web::test]
async fn stale_and_future_times_are_401() {
    let token = Token::new(SECRET).unwrap();
    let stale = signed_query(APP, &Command::AfterCreateRoom, &token, NOW - 61);
    assert_refused(&all_three(&stale, b"{}").await, 401, "61 s in the past");
    let future = signed_query(APP, &Command::AfterCreateRoom, &token, NOW + 3600);
    assert_refused(
        &all_three(&future, b"{}").await,
        401,
        "3600 s in the future",
    );
}

#[actix_web::test]
async fn missing_sign_is_401() {
    let unsigned = QueryBuilder::new(APP, Command::AfterCreateRoom).unsigned();
    assert_refused(&all_three(&unsigned, b"{}").await, 401, "missing Sign");
}

#[actix_web::test]
async fn wrong_and_missing_app_are_403() {
    let other = signed_query(
        APP + 1,
        &Command::AfterCreateRoom,
        &Token::new(SECRET).unwrap(),
        NOW,
    );
    assert_refused(
        &all_three(&other, b"{}").await,
        403,
        "unknown SdkAppid 1400000001",
    );
    assert_refused(&all_three("", b"{}").await, 403, "missing SdkAppid");
}

#[actix_web::test]
async fn malformed_query_is_400() {
    let repeated = format!(
        "{}&RequestTime={NOW}",
        signed("Live.CallbackAfterCreateRoom")
    );
    assert_refused(
        &all_three(&repeated, b"{}").await,
        400,
        "RequestTime is repeated",
    );
}

#[actix_web::test]
async fn non_json_and_non_object_bodies_are_400() {
    let query = signed("Live.CallbackAfterCreateRoom");
    assert_refused(&all_three(&query, b"<xml/>").await, 400, "not JSON");
    assert_refused(
        &all_three(&query, b"[1,2,3]").await,
        400,
        "not a JSON object",
    );
}

#[actix_web::test]
async fn command_mismatch_is_400() {
    let query = signed("Live.CallbackAfterCreateRoom");
    let body = br#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r"}"#;
    assert_refused(&all_three(&query, body).await, 400, "command mismatch");
}

#[actix_web::test]
async fn oversized_bodies_are_413() {
    let query = signed("Live.CallbackAfterCreateRoom");
    let big = vec![b' '; LIMIT + 1];
    assert_refused(
        &all_three(&query, &big).await,
        413,
        "larger than 4096 bytes",
    );
    let exact = [b"{\"RoomInfo\":{}}".as_slice(), &vec![b' '; LIMIT - 15]].concat();
    assert_eq!(all_three(&query, &exact).await.status, 200);
}

#[actix_web::test]
async fn unknown_command_is_delivered_with_its_raw_body() {
    let body = br#"{"CallbackCommand":"Live.CallbackAfterLike","Likes":3}"#;
    let answer = all_three(&signed("Live.CallbackAfterLike"), body).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        json(&answer)["ErrorInfo"],
        r#"unknown Live.CallbackAfterLike {"CallbackCommand":"Live.CallbackAfterLike","Likes":3}"#
    );
}

#[actix_web::test]
async fn misfit_body_is_delivered_with_its_error() {
    let body = br#"{"RoomId":"r","SeatList":[{"Index":"first"}]}"#;
    let answer = all_three(&signed("Mic.CallbackAfterSeatInfoChanged"), body).await;
    assert_eq!(answer.status, 200);
    let info = json(&answer)["ErrorInfo"].as_str().unwrap().to_owned();
    assert!(
        info.starts_with("misfit SeatList[0].Index {\"RoomId\""),
        "{info}"
    );
}

#[actix_web::test]
async fn no_content_type_is_needed_and_any_is_accepted() {
    let query = signed("Live.CallbackAfterChangeOwner");
    let body = br#"{"RoomId":"r"}"#;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json",
    ] {
        let answer = all_three_with(&query, body, &[("content-type", content_type)]).await;
        assert_eq!(answer.status, 200, "{content_type}");
    }
}

#[actix_web::test]
async fn the_connectivity_probe_is_acked_without_the_handler() {
    let sign = tencent_live_webhook::Sign::compute(&Token::new(SECRET).unwrap(), NOW);
    for query in [
        format!("Sign={sign}&RequestTime={NOW}"),
        format!("SdkAppid={APP}&Sign={sign}&RequestTime={NOW}&contenttype=json"),
    ] {
        for body in [&b""[..], b"{}", b" { } "] {
            let answer = all_three(&query, body).await;
            // The test handler never answers a plain ack: this one is the adapter's.
            assert_eq!(answer.status, 200, "{query} {body:?}");
            assert_eq!(
                answer.body,
                r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
            );
        }
    }
    // Forged, or with something in it: not a probe.
    let forged = format!("Sign={}&RequestTime={NOW}", "1".repeat(64));
    assert_refused(&all_three(&forged, b"{}").await, 401, "Sign does not match");
    let sign = format!("Sign={sign}&RequestTime={NOW}");
    assert_refused(
        &all_three(&sign, br#"{"RoomId":"r"}"#).await,
        400,
        "no command",
    );
}

#[actix_web::test]
async fn request_id_and_the_app_from_the_sign_reach_the_handler() {
    let query = format!(
        "{}&RequestId=2ea4e023-9f",
        signed("Live.CallbackAfterDestroyRoom")
    )
    .replace(&format!("SdkAppid={APP}&"), "");
    assert!(!query.contains("SdkAppid"));
    let answer = all_three(&query, br#"{"RoomId":"r"}"#).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        json(&answer)["ErrorInfo"],
        "AfterDestroyRoom app=1400000000 id=Some(\"2ea4e023-9f\")"
    );
}

#[actix_web::test]
async fn adapters_agree_on_content_type_of_success() {
    let answer = all_three(
        &signed("Live.CallbackAfterChangeOwner"),
        br#"{"RoomId":"r"}"#,
    )
    .await;
    assert_eq!(answer.content_type, "application/json");
}

#[actix_web::test]
async fn the_query_is_judged_before_the_body() {
    // A forged request with an oversized, broken body: the signature is what gets reported.
    let query = signed("Live.CallbackAfterCreateRoom");
    let forged = query.replace("RequestTime=1700000000", "RequestTime=1700000001");
    assert_refused(
        &all_three(&forged, &vec![b'x'; LIMIT * 2]).await,
        401,
        "Sign does not match",
    );
}

#[actix_web::test]
async fn content_length_with_transfer_encoding_is_400() {
    let body = br#"{"RoomId":"r1"}"#;
    let answer = all_three_with(
        &signed("Live.CallbackAfterDestroyRoom"),
        body,
        &[("content-length", "15"), ("transfer-encoding", "chunked")],
    )
    .await;
    assert_refused(
        &answer,
        400,
        "request has both Content-Length and Transfer-Encoding",
    );
}

#[actix_web::test]
async fn a_body_nested_too_deep_is_400() {
    let body = format!(
        r#"{{"CallbackCommand":"Live.CallbackSomethingNew","X":{}{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let answer = all_three(&signed("Live.CallbackSomethingNew"), body.as_bytes()).await;
    assert_refused(&answer, 400, "body is nested deeper than 128 levels");
}

#[tokio::test]
async fn the_handler_gets_the_exact_query_and_body() {
    // Percent-encoding, an extra parameter and a pretty-printed body with CRLF and tabs:
    // all kept byte for byte.
    let query = format!(
        "{}&Extra=a%20b+c&Echo=raw",
        signed("Live.CallbackAfterSetMetadata")
    );
    let body = b"{\r\n\t\"CallbackCommand\": \"Live.CallbackAfterSetMetadata\",\r\n\t\"RoomId\": \"r1\",\r\n\t\"Metadata\": []\r\n}";
    let answer = all_three(&query, body).await;
    assert_eq!(answer.status, 200);
    let unsigned: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("Sign="))
        .collect();
    assert_eq!(
        json(&answer)["ErrorInfo"],
        format!("{}|{}", unsigned.join("&"), String::from_utf8_lossy(body))
    );
    assert!(unsigned.join("&").contains("Extra=a%20b+c"));
}

/// A TRTC callback through the three adapters, signed with `key` (unless `sign` is given).
async fn trtc_three(body: &[u8], sign: Option<&str>, extra: &[(&str, &str)]) -> Answer {
    let signed = trtc::Key::new(TRTC_KEY).unwrap().sign(body);
    let app = APP.to_string();
    let mut headers = vec![("SdkAppId", app.as_str())];
    if let Some(sign) = sign.or(Some(&signed)).filter(|sign| !sign.is_empty()) {
        headers.push(("Sign", sign));
    }
    headers.extend_from_slice(extra);
    let answer = all_three_at("/trtc", body, &headers).await;
    assert!(
        !answer.body.contains(TRTC_KEY),
        "key leaked: {}",
        answer.body
    );
    assert!(
        !answer.body.contains(&signed),
        "Sign leaked: {}",
        answer.body
    );
    answer
}

/// A documented TRTC body sent now: its send time replaced by the test's clock, every
/// other byte (tabs, newlines) kept.
fn sent_now(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let field = if value.get("CallbackMsTs").is_some() {
        "CallbackMsTs"
    } else {
        "CallbackTs"
    };
    let old = value[field].to_string();
    text.replacen(&old, &(NOW * 1000).to_string(), 1)
        .into_bytes()
}

#[actix_web::test]
async fn every_trtc_sample_is_verified_over_its_exact_bytes_and_decoded() {
    for (name, body) in tencent_live_webhook::samples::TRTC {
        let body = sent_now(body);
        let answer = trtc_three(&body, None, &[]).await;
        assert_eq!(answer.status, 200, "{name}: {}", answer.body);
        assert_eq!(answer.content_type, "application/json");
        if name.starts_with("1-101") {
            assert_eq!(answer.body, r#"{"code":0}"#, "{name}");
            continue;
        }
        let info = json(&answer)["ErrorInfo"].as_str().unwrap().to_owned();
        let (group, event_type) = name.split_once('-').unwrap();
        let event_type = event_type.split('-').next().unwrap();
        assert!(
            info.starts_with(&format!("{group} {event_type} ")),
            "{name}: {info}"
        );
        assert!(
            info.ends_with(&format!("exact={}", body.len())),
            "{name}: {info}"
        );
    }
}

#[actix_web::test]
async fn trtc_room_ids_keep_their_type_and_misfits_their_path() {
    let number = br#"{"EventGroupId":1,"EventType":103,"CallbackTs":1700000000000,"EventInfo":{"RoomId":42,"UserId":"u"}}"#;
    let text = br#"{"EventGroupId":1,"EventType":103,"CallbackTs":1700000000000,"EventInfo":{"RoomId":"42","UserId":"u"}}"#;
    let as_number = json(&trtc_three(number, None, &[]).await)["ErrorInfo"].clone();
    let as_text = json(&trtc_three(text, None, &[]).await)["ErrorInfo"].clone();
    assert!(
        as_number
            .as_str()
            .unwrap()
            .contains("room=Some(Number(42))"),
        "{as_number}"
    );
    assert!(
        as_text
            .as_str()
            .unwrap()
            .contains(r#"room=Some(Text("42"))"#),
        "{as_text}"
    );
    let misfit = br#"{"EventGroupId":2,"EventType":201,"CallbackTs":1700000000000,"EventInfo":{"RoomId":[1]}}"#;
    assert_eq!(
        json(&trtc_three(misfit, None, &[]).await)["ErrorInfo"],
        "misfit EventInfo.RoomId"
    );
}

#[actix_web::test]
async fn trtc_refusals_answer_as_the_live_ones_do() {
    let body = sent_now(tencent_live_webhook::samples::TRTC[1].1);
    let genuine = trtc::Key::new(TRTC_KEY).unwrap().sign(&body);
    // Forged: another key's Sign, or the right Sign over other bytes.
    let forged = trtc::Key::new("otherKey").unwrap().sign(&body);
    assert_refused(
        &trtc_three(&body, Some(&forged), &[]).await,
        401,
        "Sign does not match",
    );
    let mut changed = body.clone();
    changed.push(b'\n');
    assert_refused(
        &trtc_three(&changed, Some(&genuine), &[]).await,
        401,
        "Sign does not match",
    );
    assert_refused(
        &trtc_three(&body, Some(""), &[]).await,
        401,
        "no Sign header",
    );
    assert_refused(
        &trtc_three(&body, Some("abc"), &[]).await,
        401,
        "not 44 characters",
    );
    // The documented body as sent years ago: outside the replay window.
    let stale = tencent_live_webhook::samples::TRTC[1].1;
    assert_refused(
        &trtc_three(stale, None, &[]).await,
        401,
        "behind this server's clock",
    );
    // Another app's header.
    let answer = all_three_at("/trtc", &body, &[("SdkAppId", "7"), ("Sign", &genuine)]).await;
    assert_refused(&answer, 403, "SdkAppId 7 is not served here");
    // Too large, before the signature is looked at.
    let big = vec![b' '; LIMIT + 1];
    assert_refused(
        &trtc_three(&big, None, &[]).await,
        413,
        "larger than 4096 bytes",
    );
    // Verified, but without a send time, or not a callback.
    assert_refused(
        &trtc_three(b"[1700000000000]", None, &[]).await,
        401,
        "no CallbackTs",
    );
    assert_refused(
        &trtc_three(br#"{"EventInfo":{}}"#, None, &[]).await,
        401,
        "no CallbackTs",
    );
    assert_refused(
        &trtc_three(br#"{"CallbackTs":1700000000000,"EventInfo":{}}"#, None, &[]).await,
        400,
        "no integer EventGroupId",
    );
}

#[actix_web::test]
async fn a_live_sign_on_the_trtc_route_and_a_trtc_sign_on_the_live_route_are_refused() {
    let live_query = signed("Live.CallbackAfterCreateRoom");
    let live_sign = &live_query[live_query.find("Sign=").unwrap() + 5..][..64];
    let body = sent_now(tencent_live_webhook::samples::TRTC[1].1);
    assert_refused(
        &trtc_three(&body, Some(live_sign), &[]).await,
        401,
        "not 44 characters",
    );
    let trtc_sign = trtc::Key::new(TRTC_KEY).unwrap().sign(&body);
    let answer = all_three_with(
        "",
        &body,
        &[("Sign", &trtc_sign), ("SdkAppId", "1400000000")],
    )
    .await;
    assert_refused(&answer, 403, "missing SdkAppid");
}
