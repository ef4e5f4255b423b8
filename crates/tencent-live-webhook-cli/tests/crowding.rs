//! `serve`'s listeners crowded by clients that connect and send nothing: genuine webhooks
//! still get in at the file-descriptor limit (every framework), and the admin listener
//! still answers health checks under hundreds of stalled connections. The real binary,
//! on loopback, under `prlimit` for the descriptor limit.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use common::{APP, Serving, TOKEN, free_address, signed};

const FRAMEWORKS: [&str; 3] = ["actix", "warp", "axum"];

/// `serve` on `framework` with an admin listener, its descriptors capped at `nofile`.
fn serve_capped(framework: &str, nofile: u32, admin: &str) -> Serving {
    let mut command = Command::new("prlimit");
    command
        .arg(format!("--nofile={nofile}:{nofile}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_live-webhook"))
        .env_remove("LIVE_WEBHOOK_TOKEN")
        .args(["serve", "--sdkappid", APP, "--token", TOKEN])
        .args(["--listen", "127.0.0.1:0", "--framework", framework])
        .args(["--format", "json", "--admin-listen", admin]);
    Serving::spawn(command)
}

/// Connections that connect and then send nothing.
fn stalled(address: &str, count: usize) -> Vec<TcpStream> {
    (0..count)
        .map(|_| TcpStream::connect(address).unwrap())
        .collect()
}

/// Sends one genuine signed webhook; whether it was answered 200 within `within`.
fn genuine(address: &str, within: Duration) -> bool {
    let started = Instant::now();
    let Ok(mut stream) = TcpStream::connect_timeout(&address.parse().unwrap(), within) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(within));
    let body = r#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r1"}"#;
    let query = signed(
        &"Live.CallbackAfterDestroyRoom".parse().unwrap(),
        common::now(),
    );
    let sent = write!(
        stream,
        "POST /?{query} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut answer = String::new();
    let read = stream.read_to_string(&mut answer);
    sent.is_ok()
        && read.is_ok()
        && answer.starts_with("HTTP/1.1 200")
        && started.elapsed() <= within
}

/// GET `path` from `address`, with `within` to answer; the status, 0 for none.
fn probe(address: &str, path: &str, within: Duration) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect_timeout(&address.parse().unwrap(), within) else {
        return (0, String::new());
    };
    let _ = stream.set_read_timeout(Some(within));
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    );
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

/// The value of the metric line that starts with `name`, 0 when absent.
fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or(0.0)
}

#[test]
fn at_the_descriptor_limit_genuine_webhooks_still_get_in() {
    // 1,100 stalled connections and the probes: more than the default soft limit here.
    rlimit::increase_nofile_limit(4096).unwrap();
    for framework in FRAMEWORKS {
        let admin = free_address();
        let serving = serve_capped(framework, 1024, &admin);
        let address = serving.url.strip_prefix("http://").unwrap().to_owned();
        let crowd = stalled(&address, 1100);
        // Let the server take what it can of them.
        thread::sleep(Duration::from_millis(300));
        let mut answered = 0;
        for _ in 0..10 {
            let started = Instant::now();
            if genuine(&address, Duration::from_secs(2)) {
                answered += 1;
            }
            thread::sleep(Duration::from_millis(300).saturating_sub(started.elapsed()));
        }
        assert!(answered >= 8, "{framework}: {answered} of 10 answered");
        let (status, metrics) = probe(&admin, "/metrics", Duration::from_secs(5));
        assert_eq!(status, 200, "{framework}: {metrics}");
        let shed = metric(
            &metrics,
            "live_webhook_connections_shed_total{listener=\"webhook\"}",
        );
        assert!(
            shed >= 1.0,
            "{framework}: nothing counted as shed\n{metrics}"
        );
        // Every webhook that was answered 200 was printed.
        for _ in 0..answered {
            assert_eq!(
                serving.next_line()["command"],
                "Live.CallbackAfterDestroyRoom"
            );
        }
        drop(crowd);
    }
}

#[test]
fn health_checks_are_answered_under_two_hundred_stalled_admin_connections() {
    let admin = free_address();
    let _serving = serve_capped("axum", 4096, &admin);
    // Half a request each: a head that never ends.
    let mut crowd = stalled(&admin, 200);
    for stream in &mut crowd {
        let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    }
    thread::sleep(Duration::from_millis(300));
    for path in ["/readyz", "/healthz", "/readyz", "/healthz", "/readyz"] {
        let (status, answer) = probe(&admin, path, Duration::from_secs(3));
        assert_eq!(status, 200, "{path}: {answer:?}");
    }
    let (_, metrics) = probe(&admin, "/metrics", Duration::from_secs(3));
    let shed = metric(
        &metrics,
        "live_webhook_connections_shed_total{listener=\"admin\"}",
    );
    assert!(shed >= 100.0, "{metrics}");
    drop(crowd);
}
