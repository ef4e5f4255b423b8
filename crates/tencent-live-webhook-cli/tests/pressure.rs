//! `serve` under pressure from its own surroundings: a reader of its output that stalls,
//! recovers or goes away, an unread stderr, signals at awkward moments, slow clients at
//! shutdown. Runs the real binary on loopback, every framework.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStderr, ChildStdout, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tencent_live_webhook::{Command as LiveCommand, Token, signed_query};

const APP: u64 = 1_400_000_000;
const TOKEN: &str = "pressure-test-token";
const FRAMEWORKS: [&str; 3] = ["actix", "warp", "axum"];

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A `serve` whose stdout and stderr the test handles itself.
struct Server {
    child: Child,
    address: String,
    stdout: Option<ChildStdout>,
    stderr: BufReader<ChildStderr>,
}

impl Server {
    fn start(framework: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_live-webhook"))
            .args(["serve", "--sdkappid", &APP.to_string(), "--token", TOKEN])
            .args(["--listen", "127.0.0.1:0", "--framework", framework])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut ready = String::new();
        stderr.read_line(&mut ready).unwrap();
        let address = ready
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("{ready}"))
            .to_owned();
        Server {
            stdout: child.stdout.take(),
            child,
            address,
            stderr,
        }
    }

    fn terminate(&mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn wait(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// POSTs `body` signed with `token` and a `RequestID`; returns status and body.
fn post(address: &str, token: &str, id: &str, body: &str) -> (u16, String) {
    let query = signed_query(
        APP,
        &"Live.CallbackSomethingNew".parse::<LiveCommand>().unwrap(),
        &Token::new(token).unwrap(),
        now(),
    );
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "POST /?{query}&RequestID={id} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .unwrap_or_else(|e| panic!("no answer in time: {e}"));
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("{answer}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// A body whose output line is about 8 KiB, so a few fill a pipe.
fn big_body(id: &str) -> String {
    format!(r#"{{"Id":"{id}","Pad":"{}"}}"#, "p".repeat(8192))
}

fn ids_in(output: &str) -> Vec<String> {
    output
        .lines()
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            value["request_id"].as_str().unwrap().to_owned()
        })
        .collect()
}

fn stalled_reader_gets_503_then_everything_acked_is_written(framework: &str) {
    let mut server = Server::start(
        framework,
        &["--output-queue", "4", "--output-timeout", "300ms"],
    );
    let mut acked = Vec::new();
    let mut stuck = None;
    // The pipe (64 KiB) fills within a few dozen 8 KiB lines; then the writer blocks in
    // the middle of one, and its webhook is answered 503.
    for n in 0..200 {
        let id = format!("w{n}");
        match post(&server.address, TOKEN, &id, &big_body(&id)) {
            (200, _) => acked.push(id),
            (503, body) => {
                assert!(
                    body.contains(r#""ErrorCode":503"#) && body.contains("FAIL"),
                    "{body}"
                );
                stuck = Some(id);
                break;
            }
            other => panic!("{framework}: {other:?}"),
        }
    }
    let stuck = stuck.unwrap_or_else(|| panic!("{framework}: never answered 503"));
    // While the reader is stalled every webhook is refused (queued and given up, or
    // refused at once once the queue is full), and forged ones are answered at once.
    for n in 0..6 {
        let id = format!("x{n}");
        assert_eq!(
            post(&server.address, TOKEN, &id, &big_body(&id)).0,
            503,
            "{framework}: {id}"
        );
    }
    let started = Instant::now();
    assert_eq!(post(&server.address, "guess", "f", "{}").0, 401);
    assert!(started.elapsed() < Duration::from_secs(2), "{framework}");
    // The reader comes back: every acknowledged line arrives, whole, once, in order; of the
    // refused ones only the line the writer was in the middle of may appear; new webhooks
    // are accepted again.
    let stdout = BufReader::new(server.stdout.take().unwrap());
    let (lines, received) = std::sync::mpsc::channel();
    thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    // The queue may still be full of given-up lines for a moment: send again until one lands.
    let mut after = None;
    for attempt in 0..50 {
        let id = format!("after{attempt}");
        match post(&server.address, TOKEN, &id, "{}").0 {
            200 => {
                after = Some(id);
                break;
            }
            503 => thread::sleep(Duration::from_millis(100)),
            other => panic!("{framework}: {other}"),
        }
    }
    let after = after.unwrap_or_else(|| panic!("{framework}: never accepted again"));
    let mut output = String::new();
    while !output.contains(&format!("\"{after}\"")) {
        let line = received
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("{framework}: output ended: {output}"));
        output.push_str(&line);
        output.push('\n');
    }
    let mut wanted = acked.clone();
    let ids = ids_in(&output);
    if ids.contains(&stuck) {
        wanted.push(stuck);
    }
    wanted.push(after);
    assert_eq!(ids, wanted, "{framework}");
    server.terminate();
    assert!(
        server
            .wait(Duration::from_secs(10))
            .is_some_and(|s| s.success())
    );
}

#[test]
fn stalled_reader_gets_503_then_everything_acked_is_written_actix() {
    stalled_reader_gets_503_then_everything_acked_is_written("actix");
}

#[test]
fn stalled_reader_gets_503_then_everything_acked_is_written_warp() {
    stalled_reader_gets_503_then_everything_acked_is_written("warp");
}

#[test]
fn stalled_reader_gets_503_then_everything_acked_is_written_axum() {
    stalled_reader_gets_503_then_everything_acked_is_written("axum");
}

#[test]
fn a_slow_reader_sees_every_acknowledged_webhook_once_and_no_other() {
    for framework in FRAMEWORKS {
        let mut server = Server::start(framework, &["--output-queue", "2"]);
        let stdout = server.stdout.take().unwrap();
        // Reads one line every 20 ms.
        let reader = thread::spawn(move || {
            let mut output = String::new();
            let mut lines = BufReader::new(stdout);
            loop {
                thread::sleep(Duration::from_millis(20));
                match lines.read_line(&mut output) {
                    Ok(0) | Err(_) => return output,
                    Ok(_) => {}
                }
            }
        });
        let mut acked = Vec::new();
        for n in 0..60 {
            let id = format!("s{n}");
            match post(&server.address, TOKEN, &id, &big_body(&id)) {
                (200, _) => acked.push(id),
                (503, _) => {}
                other => panic!("{framework}: {other:?}"),
            }
        }
        server.terminate();
        assert!(
            server
                .wait(Duration::from_secs(10))
                .is_some_and(|s| s.success())
        );
        let output = reader.join().unwrap();
        assert_eq!(ids_in(&output), acked, "{framework}");
    }
}

#[test]
fn a_reader_that_exits_turns_webhooks_into_500_and_the_server_keeps_serving() {
    for framework in FRAMEWORKS {
        let mut server = Server::start(framework, &[]);
        drop(server.stdout.take());
        let mut failed = false;
        for n in 0..50 {
            let (status, body) = post(&server.address, TOKEN, &format!("x{n}"), "{}");
            match status {
                200 => {}
                500 => {
                    assert!(body.contains("could not record the webhook"), "{body}");
                    failed = true;
                    break;
                }
                other => panic!("{framework}: {other} {body}"),
            }
            thread::sleep(Duration::from_millis(10));
        }
        assert!(failed, "{framework}: a closed output was never reported");
        assert_eq!(
            post(&server.address, "guess", "f", "{}").0,
            401,
            "{framework}"
        );
        assert_eq!(
            post(&server.address, TOKEN, "y", "{}").0,
            500,
            "{framework}"
        );
        server.terminate();
        assert!(
            server.wait(Duration::from_secs(10)).is_some(),
            "{framework}"
        );
    }
}

#[test]
fn an_unread_stderr_never_blocks_a_request() {
    for framework in FRAMEWORKS {
        // Every refusal logged: far more than a pipe holds, and nobody reads it.
        let mut server = Server::start(framework, &["--log-refusals-per-sec", "1000000"]);
        let address = server.address.clone();
        let started = Instant::now();
        for n in 0..800 {
            assert_eq!(post(&address, "guess", &format!("f{n}"), "{}").0, 401);
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{framework}: refusals slowed down by an unread stderr"
        );
        let (status, _) = post(&address, TOKEN, "ok", "{}");
        assert_eq!(status, 200, "{framework}");
        server.terminate();
        assert!(
            server
                .wait(Duration::from_secs(10))
                .is_some_and(|s| s.success())
        );
        // What was logged is whole lines (some were dropped, none cut).
        let mut rest = String::new();
        let _ = server.stderr.read_to_string(&mut rest);
        for line in rest.lines() {
            assert!(
                line.contains("WARN") || line.contains("INFO") || line.contains("ERROR"),
                "{line}"
            );
        }
    }
}

#[test]
fn sigterm_right_after_the_ready_line_is_a_clean_exit() {
    for framework in FRAMEWORKS {
        for _ in 0..3 {
            let mut server = Server::start(framework, &[]);
            server.terminate();
            let status = server.wait(Duration::from_secs(10));
            assert!(
                status.is_some_and(|status| status.success()),
                "{framework}: {status:?}"
            );
        }
    }
}

#[test]
fn shutdown_does_not_wait_for_slow_clients_past_its_deadline() {
    for framework in FRAMEWORKS {
        let mut server = Server::start(framework, &["--shutdown-timeout", "1s"]);
        let query = signed_query(
            APP,
            &LiveCommand::AfterDestroyRoom,
            &Token::new(TOKEN).unwrap(),
            now(),
        );
        // Bodies that would take far longer than the deadline: started, never finished.
        let slow: Vec<TcpStream> = (0..50)
            .map(|_| {
                let mut stream = TcpStream::connect(&server.address).unwrap();
                write!(
                    stream,
                    "POST /?{query} HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n{{"
                )
                .unwrap();
                stream
            })
            .collect();
        thread::sleep(Duration::from_millis(300));
        let signalled = Instant::now();
        server.terminate();
        let status = server.wait(Duration::from_secs(8));
        assert!(
            status.is_some_and(|status| status.success()),
            "{framework}: {status:?}"
        );
        assert!(
            signalled.elapsed() < Duration::from_secs(4),
            "{framework}: took {:?}",
            signalled.elapsed()
        );
        drop(slow);
    }
}
