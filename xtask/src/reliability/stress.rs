//! Load that must not hurt: slow clients, a long soak, and SIGTERM in the middle of it.

use std::collections::HashMap;
use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::http::Connection;
use super::matrix::{Signer, post};
use super::server::Server;
use super::unix_now;

const DESTROY: &str = "Live.CallbackAfterDestroyRoom";
const ROOM: &[u8] = br#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"room-1"}"#;

/// One genuine webhook on a fresh connection: its answer time, if answered 200.
fn genuine(address: &str, id: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let mut signer = Signer::new(unix_now());
    let bytes = post(
        &format!("{}&RequestID={id}", signer.query(DESTROY)),
        "",
        ROOM,
    );
    let mut connection =
        Connection::open(address, Duration::from_secs(10)).map_err(|e| format!("connect: {e}"))?;
    connection.send(&bytes).map_err(|e| e.to_string())?;
    let (response, _) = connection.read_final().map_err(|e| e.to_string())?;
    if response.status == 200 {
        Ok(started.elapsed())
    } else {
        Err(format!("answered {}", response.status))
    }
}

/// Report of the slow-client run.
pub(crate) struct SlowReport {
    pub(crate) held: usize,
    pub(crate) slowest_genuine: Duration,
    pub(crate) closed_by_server: usize,
}

/// Holds `count` slow connections (a third silent, a third trickling a head, a third
/// trickling a body) for `hold`, while genuine webhooks keep arriving; each must be
/// answered within `within`. Then every slow connection must have been closed by the
/// server's deadlines.
pub(crate) fn slow_clients(
    server: &Server,
    count: usize,
    hold: Duration,
    within: Duration,
) -> Result<SlowReport, String> {
    let mut signer = Signer::new(unix_now());
    let query = signer.query(DESTROY);
    let mut streams = Vec::with_capacity(count);
    for n in 0..count {
        let mut stream =
            TcpStream::connect(&server.address).map_err(|e| format!("slow connection {n}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        stream
            .set_write_timeout(Some(Duration::from_secs(1)))
            .map_err(|e| e.to_string())?;
        match n % 3 {
            0 => {}
            1 => stream
                .write_all(format!("POST /live?{query} HTTP/1.1\r\nHost: t\r\n").as_bytes())
                .map_err(|e| e.to_string())?,
            _ => stream
                .write_all(
                    format!(
                        "POST /live?{query} HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n{{"
                    )
                    .as_bytes(),
                )
                .map_err(|e| e.to_string())?,
        }
        streams.push(stream);
    }
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut round = 0;
    while started.elapsed() < hold {
        // One more byte on every trickling connection still open.
        for (n, stream) in streams.iter_mut().enumerate() {
            let byte: &[u8] = match n % 3 {
                0 => continue,
                1 => b"X",
                _ => b" ",
            };
            let _ = stream.write_all(byte);
        }
        let answered = genuine(&server.address, &format!("genuine-{round}"))?;
        if answered > within {
            return Err(format!(
                "a genuine webhook took {answered:?} with {count} slow connections held"
            ));
        }
        slowest = slowest.max(answered);
        round += 1;
        thread::sleep(Duration::from_millis(500));
    }
    // Deadlines passed: the server must have closed every slow connection.
    let mut closed = 0;
    for stream in streams {
        let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
        let mut connection = Connection::from_stream(stream);
        if connection.closed() {
            closed += 1;
        }
    }
    Ok(SlowReport {
        held: count,
        slowest_genuine: slowest,
        closed_by_server: closed,
    })
}

/// Sends `total` signed webhooks, each with a unique id, over `connections` keep-alive
/// connections; `on_progress` gets the number answered so far, about every 1%.
/// Returns the ids answered 200 (all of them, or an error).
pub(crate) fn webhooks(
    address: &str,
    total: usize,
    connections: usize,
    prefix: &str,
    stop: &AtomicBool,
    answered: &AtomicU64,
) -> Vec<String> {
    let acked = Arc::new(Mutex::new(Vec::with_capacity(total.min(1 << 20))));
    thread::scope(|scope| {
        for worker in 0..connections {
            let acked = Arc::clone(&acked);
            scope.spawn(move || {
                let mut connection = None;
                let mut signer = Signer::new(unix_now());
                let mut signed_at = Instant::now();
                let mut query = signer.query(DESTROY);
                let mut n = worker;
                while n < total && !stop.load(Ordering::Relaxed) {
                    if signed_at.elapsed() > Duration::from_secs(20) {
                        signer = Signer::new(unix_now());
                        query = signer.query(DESTROY);
                        signed_at = Instant::now();
                    }
                    let id = format!("{prefix}-{n}");
                    let bytes = post(&format!("{query}&RequestID={id}"), "", ROOM);
                    if connection.is_none() {
                        connection = Connection::open(address, Duration::from_secs(10)).ok();
                    }
                    let Some(open) = connection.as_mut() else {
                        // The server is gone (shutdown): stop.
                        return;
                    };
                    let result = open.send(&bytes).and_then(|()| open.read_final());
                    match result {
                        Ok((response, _)) if response.status == 200 => {
                            acked
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .push(id);
                            answered.fetch_add(1, Ordering::Relaxed);
                            if response.header("connection") == Some("close") {
                                connection = None;
                            }
                            n += connections;
                        }
                        // Refused or cut: try the same id again on a new connection.
                        _ => {
                            connection = None;
                            if stop.load(Ordering::Relaxed) {
                                return;
                            }
                            thread::sleep(Duration::from_millis(10));
                        }
                    }
                }
            });
        }
    });
    Arc::try_unwrap(acked).map_or_else(
        |shared| {
            shared
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone()
        },
        |m| {
            m.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        },
    )
}

/// Counts each id of the output lines; fails on a line that is not one JSON document.
pub(crate) fn printed_ids(server: &Server) -> Result<HashMap<String, usize>, String> {
    let mut seen = HashMap::new();
    for line in server.stdout.snapshot() {
        let value: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| format!("output line is not JSON ({e}): {line:?}"))?;
        if !line.ends_with('\n') {
            return Err(format!("output line not terminated: {line:?}"));
        }
        if let Some(id) = value["request_id"].as_str() {
            *seen.entry(id.to_owned()).or_insert(0) += 1;
        }
    }
    Ok(seen)
}
