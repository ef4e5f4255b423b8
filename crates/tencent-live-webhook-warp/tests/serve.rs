//! `serve` with a warp filter: a genuine webhook is answered, both framings are refused,
//! a silent client is cut off at the head deadline.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use tencent_live_webhook_warp::tencent_live_webhook::{
    Command, Reply, Token, Verifier, signed_query,
};
use tencent_live_webhook_warp::{
    ServeLimits, Webhook, WebhookConfig, WebhookReply, recover, serve, webhook,
};
use warp::Filter;

const APP: u64 = 1_400_000_000;

fn request(extra_headers: &str, body: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let query = signed_query(
        APP,
        &Command::AfterDestroyRoom,
        &Token::new("serve-test").unwrap(),
        now,
    );
    format!(
        "POST /live?{query} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n{extra_headers}\r\n{body}"
    )
}

fn exchange(address: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hardened_warp_server_keeps_its_limits() {
    let config = WebhookConfig::new(Verifier::new().app(APP, [Token::new("serve-test").unwrap()]));
    let routes = warp::path("live")
        .and(webhook(config))
        .map(|_webhook: Webhook| WebhookReply::from(Reply::ack()))
        .recover(recover);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let mut limits = ServeLimits::default();
    limits.header_timeout = Duration::from_millis(300);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, warp::service(routes), limits, async {
        let _ = stopped.await;
    }));
    let body = r#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r"}"#;
    tokio::task::spawn_blocking(move || {
        let ok = exchange(
            &address,
            &request(&format!("content-length: {}\r\n", body.len()), body),
        );
        assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
        let both = exchange(
            &address,
            &request(
                &format!(
                    "content-length: {}\r\ntransfer-encoding: chunked\r\n",
                    body.len()
                ),
                &format!("{:x}\r\n{body}\r\n0\r\n\r\n", body.len()),
            ),
        );
        assert!(both.starts_with("HTTP/1.1 400"), "{both}");
        let started = Instant::now();
        let mut silent = TcpStream::connect(&address).unwrap();
        silent
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = silent.read_to_end(&mut Vec::new());
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(250) && waited < Duration::from_secs(5),
            "{waited:?}"
        );
    })
    .await
    .unwrap();
    drop(stop);
}
