//! `serve`: the limits a public endpoint needs, against real sockets: a silent client is
//! cut off at the head deadline, connections beyond the cap wait, a request with both
//! `Content-Length` and `Transfer-Encoding` is refused, and a genuine webhook is answered.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use axum::{Router, routing::post};
use tencent_live_webhook_axum::tencent_live_webhook::{
    Command, Reply, Token, Verifier, signed_query,
};
use tencent_live_webhook_axum::{ServeLimits, Webhook, WebhookConfig, WebhookReply, serve};

const APP: u64 = 1_400_000_000;

async fn live(_webhook: Webhook) -> WebhookReply {
    Reply::ack().into()
}

/// A server with `limits` on a free port; its address and the sender that stops it.
async fn start(limits: ServeLimits) -> (String, tokio::sync::oneshot::Sender<()>) {
    let token = Token::new("serve-test").unwrap();
    let config = WebhookConfig::new(Verifier::new().app(APP, [token]));
    let router = Router::new().route("/live", post(live)).with_state(config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, router, limits, async {
        let _ = stopped.await;
    }));
    (address, stop)
}

fn webhook_request(extra_headers: &str, body: &str) -> String {
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

/// Sends `request` on a new connection and reads until the server closes it.
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
async fn a_hardened_server_keeps_its_limits() {
    let mut limits = ServeLimits::default();
    limits.header_timeout = Duration::from_millis(300);
    limits.max_connections = 2;
    let (address, stop) = start(limits).await;
    let body = r#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r"}"#;
    let checks = tokio::task::spawn_blocking(move || {
        // A genuine webhook.
        let ok = exchange(
            &address,
            &webhook_request(&format!("content-length: {}\r\n", body.len()), body),
        );
        assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
        // Both framings: refused, as actix-web does.
        let both = exchange(
            &address,
            &webhook_request(
                &format!(
                    "content-length: {}\r\ntransfer-encoding: chunked\r\n",
                    body.len()
                ),
                &format!("{:x}\r\n{body}\r\n0\r\n\r\n", body.len()),
            ),
        );
        assert!(both.starts_with("HTTP/1.1 400"), "{both}");
        // A client that says nothing is cut off at the head deadline.
        let started = Instant::now();
        let mut silent = TcpStream::connect(&address).unwrap();
        silent
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut nothing = Vec::new();
        let _ = silent.read_to_end(&mut nothing);
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(250), "{waited:?}");
        assert!(waited < Duration::from_secs(5), "{waited:?}");
    });
    checks.await.unwrap();
    drop(stop);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_cap_a_new_connection_takes_the_place_of_one_that_sent_nothing() {
    // A head deadline far longer than any wait below: what closes a held connection is
    // the newcomer, never the deadline.
    let mut limits = ServeLimits::default();
    limits.header_timeout = Duration::from_secs(30);
    limits.max_connections = 2;
    let (address, stop) = start(limits).await;
    let body = r#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r"}"#;
    let checks = tokio::task::spawn_blocking(move || {
        let held: Vec<TcpStream> = (0..2)
            .map(|_| TcpStream::connect(&address).unwrap())
            .collect();
        // Both are taken (the server reads from them) before the third arrives.
        std::thread::sleep(Duration::from_millis(200));
        let third = exchange(
            &address,
            &webhook_request(&format!("content-length: {}\r\n", body.len()), body),
        );
        assert!(third.starts_with("HTTP/1.1 200"), "{third}");
        // The older held connection was closed for it; the other is still open.
        let mut byte = [0u8; 1];
        let mut older = &held[0];
        older
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        assert_eq!(older.read(&mut byte).unwrap(), 0, "closed by the server");
        let mut newer = &held[1];
        newer
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let still_open = newer.read(&mut byte);
        assert!(
            still_open.as_ref().is_err_and(|error| matches!(
                error.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            )),
            "{still_open:?}"
        );
    });
    checks.await.unwrap();
    drop(stop);
}
