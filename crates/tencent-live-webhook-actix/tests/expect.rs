//! `ExpectContinue` over a real socket: `100 Continue` only for requests that verify.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_http::HttpService;
use actix_service::map_config;
use actix_web::dev::AppConfig;
use actix_web::{App, web};
use tencent_live_webhook::{Command, Reply, Token, Verifier, signed_query};
use tencent_live_webhook_actix::{ExpectContinue, Webhook, WebhookConfig, WebhookReply};

const APP: u64 = 1_400_000_000;
const BODY: &str = r#"{"RoomId":"r1"}"#;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn ack(_: Webhook) -> WebhookReply {
    Reply::ack().into()
}

/// Serves `/live` with `ExpectContinue` on a free port; returns the address.
fn serve() -> String {
    let config = WebhookConfig::new(Verifier::new().app(APP, [Token::new("secret").unwrap()]));
    let expect = ExpectContinue::new(config.clone()).path("/live");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            actix_server::Server::build()
                .workers(1)
                .disable_signals()
                .listen("test", listener, move || {
                    let app = App::new()
                        .app_data(config.clone())
                        .route("/live", web::post().to(ack))
                        .default_service(web::to(|| async { "other" }));
                    HttpService::build()
                        .expect(expect.clone())
                        .finish(map_config(app, |()| AppConfig::default()))
                        .tcp()
                })
                .unwrap()
                .run()
                .await
        })
    });
    address
}

/// Sends the head with `Expect: 100-continue`; returns the first status line received and,
/// if it was `100 Continue`, the final status line after sending the body.
fn expect(address: &str, path_and_query: &str, length: usize) -> (String, Option<String>) {
    let mut stream = loop {
        match TcpStream::connect(address) {
            Ok(stream) => break stream,
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "POST {path_and_query} HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: {length}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    if !first.contains(" 100 ") {
        let mut rest = String::new();
        let _ = reader.read_to_string(&mut rest);
        return (first.trim().to_owned(), None);
    }
    let mut blank = String::new();
    reader.read_line(&mut blank).unwrap();
    stream
        .write_all(&BODY.as_bytes()[..length.min(BODY.len())])
        .unwrap();
    let mut last = String::new();
    reader.read_line(&mut last).unwrap();
    (first.trim().to_owned(), Some(last.trim().to_owned()))
}

#[test]
fn forged_stale_unknown_and_oversized_requests_get_no_100_continue() {
    let address = serve();
    let now = now();
    let forged = signed_query(
        APP,
        &Command::AfterDestroyRoom,
        &Token::new("guess").unwrap(),
        now,
    );
    let stale = signed_query(
        APP,
        &Command::AfterDestroyRoom,
        &Token::new("secret").unwrap(),
        now - 600,
    );
    let unknown = signed_query(
        APP + 1,
        &Command::AfterDestroyRoom,
        &Token::new("secret").unwrap(),
        now,
    );
    let genuine = signed_query(
        APP,
        &Command::AfterDestroyRoom,
        &Token::new("secret").unwrap(),
        now,
    );
    for (query, length, wanted) in [
        (&forged, BODY.len(), "HTTP/1.1 401 Unauthorized"),
        (&stale, BODY.len(), "HTTP/1.1 401 Unauthorized"),
        (&unknown, BODY.len(), "HTTP/1.1 403 Forbidden"),
        (&genuine, 10 << 20, "HTTP/1.1 413 Payload Too Large"),
    ] {
        let (first, last) = expect(&address, &format!("/live?{query}"), length);
        assert_eq!((first.as_str(), last), (wanted, None), "{query}");
    }
}

#[test]
fn genuine_requests_and_other_paths_continue() {
    let address = serve();
    let genuine = signed_query(
        APP,
        &Command::AfterDestroyRoom,
        &Token::new("secret").unwrap(),
        now(),
    );
    let (first, last) = expect(&address, &format!("/live?{genuine}"), BODY.len());
    assert_eq!(first, "HTTP/1.1 100 Continue");
    assert_eq!(last.as_deref(), Some("HTTP/1.1 200 OK"));
    // Not the webhook path: not ours to verify.
    let (first, last) = expect(&address, "/other", BODY.len());
    assert_eq!(first, "HTTP/1.1 100 Continue");
    assert_eq!(last.as_deref(), Some("HTTP/1.1 200 OK"));
}
