//! `serve --spool`: acknowledged only once stored, delivered until the app takes it,
//! deduplicated, surviving `kill -9`; `live-webhook spool`; metrics and health. Real
//! binary, real sockets, real files.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::app::{App, Seen};
use common::{
    APP, Serving, TOKEN, TempDir, agent, free_address, live_webhook, now, run, signed, text,
};
use serde_json::Value;
use tencent_live_webhook::{Command, Token, Verifier};

const FRAMEWORKS: [&str; 3] = ["actix", "warp", "axum"];
const OK: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;

/// A room-destroyed body for `room`, unique by `n`.
fn destroyed(room: &str, n: u64) -> String {
    format!(
        r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"{room}","EventTime":{n}}}"#
    )
}

/// POSTs `body` as `command`, signed now; the status and the answer's body.
fn post(url: &str, command: Command, body: &str) -> (u16, String) {
    post_at(url, command, body, now())
}

fn post_at(url: &str, command: Command, body: &str, time: u64) -> (u16, String) {
    let mut response = agent()
        .post(format!("{url}/?{}", signed(&command, time)))
        .header("content-type", "application/json")
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// `serve --spool DIR/spool.db --forward-to http://APP` with `extra` and a fast schedule.
fn serve(framework: &str, spool: &str, app: &str, extra: &[&str]) -> Serving {
    let url = format!("http://{app}/hook");
    let mut args = vec![
        "--token",
        TOKEN,
        "--framework",
        framework,
        "--spool",
        spool,
        "--forward-to",
        &url,
    ];
    if !extra.contains(&"--retry-schedule") {
        args.extend([
            "--retry-schedule",
            "100ms,200ms,300ms,500ms,1s,1s,1s,1s,1s,1s",
        ]);
    }
    args.extend_from_slice(extra);
    Serving::start(&args)
}

/// Collects what the app gets until `done` says enough, for at most 30 s.
fn collect(app: &App, mut done: impl FnMut(&[Seen]) -> bool) -> Vec<Seen> {
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(&seen) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "the app got {} requests, not all",
            seen.len()
        );
        if let Ok(request) = app.seen.recv_timeout(left.min(Duration::from_millis(200))) {
            seen.push(request);
        }
    }
    seen
}

/// The delivered ids the app saw (2xx answers only: our handlers ack everything but the
/// bodies they were told to fail).
fn ids(seen: &[Seen]) -> BTreeSet<String> {
    seen.iter()
        .map(|request| request.header("live-webhook-id").unwrap().to_owned())
        .collect()
}

fn acking(_: &Seen) -> (String, String) {
    ("200 OK".into(), OK.into())
}

/// `live-webhook spool ACTION...` as JSON lines.
fn spool_cli(spool: &str, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["spool", "--spool", spool, "--format", "json"];
    all.extend_from_slice(args);
    let output = run(&all);
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn app_down_then_up(framework: &str) {
    let dir = TempDir::new(&format!("down-{framework}"));
    let address = free_address();
    let serving = serve(framework, &dir.spool(), &address, &[]);
    let mut sent = BTreeMap::new();
    for n in 0..12 {
        let body = destroyed(&format!("room{}", n % 3), n);
        let (status, answer) = post(&serving.url, Command::AfterDestroyRoom, &body);
        assert_eq!((status, answer.as_str()), (200, OK), "{framework} {n}");
        let line = serving.next_line();
        assert_eq!(line["spool"]["duplicate"], false, "{line}");
        let id = line["spool"]["id"].as_str().unwrap().to_owned();
        assert_eq!(id.len(), 64);
        sent.insert(id, body);
    }
    // The app has been down all along: nothing could be delivered.
    let stats = &spool_cli(&dir.spool(), &["stats"])[0];
    assert_eq!(stats["pending"], 12, "{stats}");
    // The app comes up on its address.
    let app = App::start_on(TcpListener::bind(&address).unwrap(), acking);
    let seen = collect(&app, |seen| ids(seen).len() == 12);
    assert_eq!(ids(&seen), sent.keys().cloned().collect::<BTreeSet<_>>());
    let verifier = Verifier::new().app(APP.parse().unwrap(), [Token::new(TOKEN).unwrap()]);
    for request in &seen {
        let id = request.header("live-webhook-id").unwrap();
        // The exact body, the original query signed afresh (so it verifies now).
        assert_eq!(request.body, sent[id].as_bytes());
        assert!(request.target.starts_with("/hook?"));
        verifier
            .verify(request.query(), now())
            .unwrap_or_else(|error| panic!("{framework}: {error}: {}", request.query()));
        let attempt: u32 = request
            .header("live-webhook-attempt")
            .unwrap()
            .parse()
            .unwrap();
        // The first webhook of each room met the app down; the later ones of its room
        // waited for it, so their first attempt found the app up.
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        if body["EventTime"].as_u64().unwrap() < 3 {
            assert!(attempt >= 2, "the app was down for the first attempt");
        }
        let received: u64 = request
            .header("live-webhook-received-at")
            .unwrap()
            .parse()
            .unwrap();
        assert!(received.abs_diff(now() * 1000) < 120_000);
        assert_eq!(request.content_type, "application/json");
    }
    thread::sleep(Duration::from_millis(300));
    let stats = &spool_cli(&dir.spool(), &["stats"])[0];
    assert_eq!(stats["delivered"], 12, "{stats}");
    assert_eq!(stats["pending"], 0, "{stats}");
    assert!(serving.terminate().success());
}

#[test]
fn app_down_then_up_with_actix() {
    app_down_then_up("actix");
}

#[test]
fn app_down_then_up_with_warp() {
    app_down_then_up("warp");
}

#[test]
fn app_down_then_up_with_axum() {
    app_down_then_up("axum");
}

#[test]
fn the_same_webhook_twice_is_stored_and_delivered_once() {
    for framework in FRAMEWORKS {
        let dir = TempDir::new(&format!("dup-{framework}"));
        let app = App::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), acking);
        let serving = serve(framework, &dir.spool(), &app.address, &[]);
        let body = destroyed("dup", 1);
        // Another RequestTime, so another Sign: the same webhook all the same.
        let first = post_at(&serving.url, Command::AfterDestroyRoom, &body, now() - 5);
        let second = post_at(&serving.url, Command::AfterDestroyRoom, &body, now());
        assert_eq!(first.0, 200);
        assert_eq!(second.0, 200);
        let (one, two) = (serving.next_line(), serving.next_line());
        assert_eq!(one["spool"]["duplicate"], false);
        assert_eq!(two["spool"]["duplicate"], true);
        assert_eq!(one["spool"]["id"], two["spool"]["id"]);
        let seen = collect(&app, |seen| !seen.is_empty());
        assert_eq!(seen.len(), 1);
        app.nothing_more();
        assert!(serving.terminate().success());
    }
}

#[test]
fn one_room_is_delivered_in_order_when_its_first_attempt_fails() {
    let dir = TempDir::new("order");
    let failed = Arc::new(AtomicU32::new(0));
    let failing = Arc::clone(&failed);
    let app = App::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), move |request| {
        let body = String::from_utf8_lossy(&request.body);
        if body.contains(r#""EventTime":0"#) && failing.fetch_add(1, Ordering::SeqCst) == 0 {
            return ("503 Service Unavailable".into(), "restarting".into());
        }
        ("200 OK".into(), OK.into())
    });
    let serving = serve(
        "axum",
        &dir.spool(),
        &app.address,
        &["--delivery-concurrency", "8"],
    );
    for n in 0..4 {
        assert_eq!(
            post(&serving.url, Command::AfterDestroyRoom, &destroyed("R", n)).0,
            200
        );
    }
    let seen = collect(&app, |seen| seen.len() == 5);
    let order: Vec<u64> = seen
        .iter()
        .map(|request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            body["EventTime"].as_u64().unwrap()
        })
        .collect();
    assert_eq!(order, [0, 0, 1, 2, 3]);
    let attempts: Vec<&str> = seen
        .iter()
        .map(|request| request.header("live-webhook-attempt").unwrap())
        .collect();
    assert_eq!(attempts, ["1", "2", "1", "1", "1"]);
    assert!(serving.terminate().success());
}

#[test]
fn dead_after_the_schedule_then_retried_from_the_cli() {
    let dir = TempDir::new("dead");
    let up = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let app_up = Arc::clone(&up);
    let app = App::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), move |_| {
        if app_up.load(Ordering::SeqCst) {
            ("200 OK".into(), OK.into())
        } else {
            // 200 with the protocol's FAIL is a failure too.
            (
                "200 OK".into(),
                r#"{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"no"}"#.into(),
            )
        }
    });
    let serving = serve(
        "actix",
        &dir.spool(),
        &app.address,
        &["--retry-schedule", "50ms,50ms"],
    );
    let (status, _) = post(&serving.url, Command::AfterDestroyRoom, &destroyed("d", 1));
    assert_eq!(status, 200);
    let id = serving.next_line()["spool"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    collect(&app, |seen| seen.len() == 3);
    let mut dead = Vec::new();
    for _ in 0..100 {
        dead = spool_cli(&dir.spool(), &["list", "--state", "dead"]);
        if !dead.is_empty() {
            break;
        }
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(dead.len(), 1);
    let entry = &dead[0];
    assert_eq!(entry["id"], id.as_str());
    assert_eq!(entry["state"], "dead");
    assert_eq!(entry["command"], "Live.CallbackAfterDestroyRoom");
    assert_eq!(entry["sdkappid"], 1_400_000_000_u64);
    assert_eq!(entry["attempts"], 3);
    assert_eq!(entry["last_status"], 200);
    assert_eq!(entry["last_error"], "the app answered ActionStatus FAIL");
    assert_eq!(entry["next_attempt_at_ms"], Value::Null);
    app.nothing_more();
    let stats = &spool_cli(&dir.spool(), &["stats"])[0];
    assert_eq!(
        (stats["dead"].as_u64(), stats["pending"].as_u64()),
        (Some(1), Some(0))
    );
    // Fixed; retry every dead webhook from another process while serve runs.
    up.store(true, Ordering::SeqCst);
    assert_eq!(
        spool_cli(&dir.spool(), &["retry", "--dead"])[0]["retried"],
        1
    );
    let seen = collect(&app, |seen| !seen.is_empty());
    assert_eq!(seen[0].header("live-webhook-attempt"), Some("4"));
    let mut shown = Value::Null;
    for _ in 0..100 {
        shown = spool_cli(&dir.spool(), &["show", &id]).remove(0);
        if shown["state"] == "delivered" {
            break;
        }
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(shown["state"], "delivered");
    assert_eq!(shown["body"], destroyed("d", 1));
    assert!(
        shown["query"]
            .as_str()
            .unwrap()
            .contains("SdkAppid=1400000000")
    );
    assert_eq!(shown["history"].as_array().unwrap().len(), 4);
    // Purge: delivered ones go, and show no longer finds it.
    assert_eq!(
        spool_cli(&dir.spool(), &["purge", "--delivered"])[0]["purged"],
        1
    );
    let missing = run(&["spool", "--spool", &dir.spool(), "show", &id]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("no entry with id"));
    assert!(serving.terminate().success());
}

#[test]
fn blocking_callbacks_still_go_to_the_app_at_once() {
    let dir = TempDir::new("blocking");
    let app = App::start_on(
        TcpListener::bind("127.0.0.1:0").unwrap(),
        common::app::app_answer,
    );
    let serving = serve("warp", &dir.spool(), &app.address, &[]);
    let gift = r#"{"CallbackCommand":"Live.CallbackBeforeSendGift","RoomId":"r","GiftWater":{"GiftId":"forbidden","Count":1,"Coins":10}}"#;
    let (status, answer) = post(&serving.url, Command::BeforeSendGift, gift);
    assert_eq!(status, 200);
    assert!(
        answer.contains("102150"),
        "the app's decision comes back: {answer}"
    );
    let line = serving.next_line();
    assert!(line.get("spool").is_none(), "{line}");
    assert!(line["forward"]["status"] == 200, "{line}");
    assert_eq!(spool_cli(&dir.spool(), &["stats"])[0]["pending"], 0);
    assert!(serving.terminate().success());
}

#[test]
fn a_full_or_unwritable_spool_answers_503_and_is_not_ready() {
    let dir = TempDir::new("full");
    let address = free_address();
    let admin = free_address();
    let serving = serve(
        "axum",
        &dir.spool(),
        &address,
        &["--spool-max-pending", "2", "--metrics-listen", &admin],
    );
    let readyz = || {
        agent()
            .get(format!("http://{admin}/readyz"))
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(readyz(), 200);
    for n in 0..2 {
        assert_eq!(
            post(&serving.url, Command::AfterDestroyRoom, &destroyed("f", n)).0,
            200
        );
    }
    let (status, answer) = post(&serving.url, Command::AfterDestroyRoom, &destroyed("f", 9));
    assert_eq!(status, 503, "{answer}");
    assert!(answer.contains(r#""ActionStatus":"FAIL""#), "{answer}");
    drop(serving);

    // A spool that cannot grow: writes fail as on a full disk.
    let dir = TempDir::new("unwritable");
    let serving = serve(
        "actix",
        &dir.spool(),
        &address,
        &["--spool-max-bytes", "65536", "--metrics-listen", &admin],
    );
    let padding = "x".repeat(4000);
    let mut refused = None;
    for n in 0..100 {
        let body = format!(
            r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"u","Pad":"{padding}{n}"}}"#
        );
        let (status, answer) = post(&serving.url, Command::AfterDestroyRoom, &body);
        if status != 200 {
            refused = Some((status, answer));
            break;
        }
    }
    let (status, answer) = refused.expect("a 64 KiB spool fills up");
    assert_eq!(status, 503, "{answer}");
    assert_eq!(readyz(), 503);
    let body = agent()
        .get(format!("http://{admin}/readyz"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(body, "the spool cannot be written\n");
    // One log line for the failure, not one per webhook.
    for n in 0..3 {
        let body = format!(
            r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"u","Pad":"{padding}{n}x"}}"#
        );
        assert_eq!(post(&serving.url, Command::AfterDestroyRoom, &body).0, 503);
    }
    let stderr = serving.stderr.try_iter().collect::<Vec<_>>();
    let logged = stderr
        .iter()
        .filter(|line| line.contains("could not be stored"))
        .count();
    assert_eq!(logged, 1, "{stderr:?}");
    assert!(
        stderr.iter().any(|line| line.contains("disk full")),
        "{stderr:?}"
    );
    assert!(serving.terminate().success());
}

#[test]
fn spool_without_a_destination_is_refused_at_start() {
    let dir = TempDir::new("alone");
    let output = live_webhook()
        .args([
            "serve",
            "--sdkappid",
            APP,
            "--token",
            TOKEN,
            "--spool",
            &dir.spool(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--spool needs somewhere to deliver"),
        "{}",
        text(&output.stderr)
    );
    let missing = run(&["spool", "--spool", "/nonexistent/spool.db", "stats"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("no spool at /nonexistent/spool.db"));
}

#[test]
fn metrics_move_as_the_traffic_says() {
    for framework in FRAMEWORKS {
        let dir = TempDir::new(&format!("metrics-{framework}"));
        let app = App::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), acking);
        let admin = free_address();
        let serving = serve(
            framework,
            &dir.spool(),
            &app.address,
            &["--metrics-listen", &admin],
        );
        let body = destroyed("m", 1);
        assert_eq!(post(&serving.url, Command::AfterDestroyRoom, &body).0, 200);
        assert_eq!(post(&serving.url, Command::AfterDestroyRoom, &body).0, 200);
        let unknown = r#"{"CallbackCommand":"Live.CallbackSomethingNew","RoomId":"m"}"#;
        let word: Command = "Live.CallbackSomethingNew".parse().unwrap();
        assert_eq!(post(&serving.url, word, unknown).0, 200);
        // Forged: a wrong Sign.
        let forged = agent()
            .post(format!("{}/?SdkAppid={APP}&CallbackCommand=Live.CallbackAfterDestroyRoom&Sign={}&RequestTime={}", serving.url, "0".repeat(64), now()))
            .send(body.as_str())
            .unwrap();
        assert_eq!(forged.status().as_u16(), 401);
        assert_eq!(
            agent()
                .get(format!("{}/", serving.url))
                .call()
                .unwrap()
                .status()
                .as_u16(),
            405
        );
        // Not HTTP at all: the framework's parser answers 400 before any handler.
        let mut raw =
            std::net::TcpStream::connect(serving.url.trim_start_matches("http://")).unwrap();
        raw.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        std::io::Write::write_all(&mut raw, b"\x01\x02 not http\r\n\r\n").unwrap();
        let mut answer = String::new();
        let _ = std::io::Read::read_to_string(&mut raw, &mut answer);
        assert!(
            answer.starts_with("HTTP/1.1 400"),
            "{framework}: {answer:?}"
        );
        collect(&app, |seen| seen.len() == 2);
        let mut metrics = String::new();
        for _ in 0..100 {
            metrics = agent()
                .get(format!("http://{admin}/metrics"))
                .call()
                .unwrap()
                .body_mut()
                .read_to_string()
                .unwrap();
            if metrics.contains(r#"live_webhook_deliveries_total{result="delivered"} 2"#) {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
        for expected in [
            r#"live_webhook_received_total{command="Live.CallbackAfterDestroyRoom"} 2"#,
            r#"live_webhook_received_total{command="other"} 1"#,
            r#"live_webhook_refused_total{status="401"} 1"#,
            r#"live_webhook_refused_total{status="405"} 1"#,
            r#"live_webhook_refused_total{status="400"} 1"#,
            "live_webhook_duplicates_total 1",
            "live_webhook_spool_pending 0",
            "live_webhook_spool_dead 0",
            r#"live_webhook_deliveries_total{result="delivered"} 2"#,
            "live_webhook_request_duration_seconds_count 3",
        ] {
            assert!(
                metrics.contains(expected),
                "{framework}: no {expected:?} in\n{metrics}"
            );
        }
        let health = agent()
            .get(format!("http://{admin}/healthz"))
            .call()
            .unwrap();
        assert_eq!(health.status().as_u16(), 200);
        assert_eq!(
            agent()
                .get(format!("http://{admin}/nope"))
                .call()
                .unwrap()
                .status()
                .as_u16(),
            404
        );
        assert!(serving.terminate().success());
    }
}

#[test]
fn a_stalled_reader_costs_lines_not_webhooks() {
    let dir = TempDir::new("stalled");
    let app = App::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), acking);
    let url = format!("http://{}/hook", app.address);
    let mut child = live_webhook()
        .args([
            "serve",
            "--sdkappid",
            APP,
            "--token",
            TOKEN,
            "--listen",
            "127.0.0.1:0",
            "--spool",
            &dir.spool(),
            "--forward-to",
            &url,
            "--output-queue",
            "4",
            "--output-timeout",
            "50ms",
        ])
        .stdin(std::process::Stdio::null())
        // Nobody reads standard output: the pipe fills.
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = common::lines(child.stderr.take().unwrap());
    let ready = stderr.recv_timeout(common::WAIT).unwrap();
    let address = ready
        .strip_prefix("listening on http://")
        .unwrap()
        .to_owned();
    let padding = "p".repeat(2000);
    for n in 0..200 {
        let body = format!(
            r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"s{n}","Pad":"{padding}"}}"#
        );
        let (status, _) = post(
            &format!("http://{address}"),
            Command::AfterDestroyRoom,
            &body,
        );
        assert_eq!(status, 200, "webhook {n}");
    }
    let seen = collect(&app, |seen| ids(seen).len() == 200);
    assert_eq!(ids(&seen).len(), 200);
    let _ = child.kill();
    let _ = child.wait();
}

/// Each webhook's id and its answer: Some(status), or None when the connection broke.
type Answers = Arc<Mutex<Vec<(String, Option<u16>)>>>;

#[test]
fn kill_9_under_load_loses_nothing_that_was_acknowledged() {
    let dir = TempDir::new("kill");
    let address = free_address();
    let serving = serve("axum", &dir.spool(), &address, &[]);
    let url = serving.url.clone();
    // Four senders.
    let answers: Answers = Arc::default();
    let senders: Vec<_> = (0..4)
        .map(|sender| {
            let url = url.clone();
            let answers = Arc::clone(&answers);
            thread::spawn(move || {
                for n in 0..400_u64 {
                    let body = destroyed(&format!("k{sender}"), n);
                    let query = signed(&Command::AfterDestroyRoom, now());
                    let sent = agent().post(format!("{url}/?{query}")).send(body.as_str());
                    let status = sent.ok().map(|response| response.status().as_u16());
                    let id = tencent_live_webhook::TrustedEnvelope::id_of(
                        APP.parse().unwrap(),
                        "Live.CallbackAfterDestroyRoom",
                        body.as_bytes(),
                    );
                    answers.lock().unwrap().push((id, status));
                    if status.is_none() {
                        return;
                    }
                }
            })
        })
        .collect();
    // Let some land, then kill without warning.
    while answers.lock().unwrap().len() < 200 {
        thread::sleep(Duration::from_millis(5));
    }
    let mut serving = serving;
    serving.child.kill().unwrap();
    serving.child.wait().unwrap();
    for sender in senders {
        sender.join().unwrap();
    }
    let answers = answers.lock().unwrap().clone();
    let acked: BTreeSet<String> = answers
        .iter()
        .filter(|(_, status)| *status == Some(200))
        .map(|(id, _)| id.clone())
        .collect();
    let refused: BTreeSet<String> = answers
        .iter()
        .filter(|(_, status)| matches!(status, Some(status) if *status != 200))
        .map(|(id, _)| id.clone())
        .collect();
    let broken: BTreeSet<String> = answers
        .iter()
        .filter(|(_, status)| status.is_none())
        .map(|(id, _)| id.clone())
        .collect();
    assert!(acked.len() >= 200, "{} acknowledged", acked.len());
    // Restart on the same spool, with the app up.
    let app = App::start_on(TcpListener::bind(&address).unwrap(), acking);
    let restarted = serve("axum", &dir.spool(), &address, &[]);
    let seen = collect(&app, |seen| acked.is_subset(&ids(seen)));
    thread::sleep(Duration::from_millis(500));
    let mut seen = ids(&seen);
    while let Ok(request) = app.seen.try_recv() {
        seen.insert(request.header("live-webhook-id").unwrap().to_owned());
    }
    // Every acknowledged webhook arrived; nothing refused did; the only others are those
    // whose answer the kill cut off (stored, then the process died before answering).
    assert!(acked.is_subset(&seen));
    assert!(seen.is_disjoint(&refused));
    for id in seen.difference(&acked) {
        assert!(broken.contains(id), "{id} arrived but was never sent");
    }
    // For docs/reliability.md (`cargo test --test spool kill_9 -- --nocapture`).
    eprintln!(
        "kill -9: {} acknowledged, {} refused, {} cut off by the kill; after restart {} delivered \
         (every acknowledged one, and {} whose answer the kill cut off)",
        acked.len(),
        refused.len(),
        broken.len(),
        seen.len(),
        seen.difference(&acked).count()
    );
    assert!(restarted.terminate().success());
}

#[test]
fn after_an_outage_the_backlog_goes_at_once_and_the_log_says_what_happened() {
    let dir = TempDir::new("outage");
    let up = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let app = App::down_until(&up);
    // Credentials in the URL must not show in the log; retries are an hour apart.
    let url = format!("http://user:s3cretpw@{}/hook", app.address);
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--format",
        "json",
        "--spool",
        &dir.spool(),
        "--forward-to",
        &url,
        "--retry-schedule",
        "1h,1h",
        "--probe-interval",
        "200ms",
    ]);
    for n in 0..6 {
        let (status, _) = post(
            &serving.url,
            Command::AfterDestroyRoom,
            &destroyed(&format!("room{}", n % 3), n),
        );
        assert_eq!(status, 200);
    }
    let mut seen = Vec::new();
    let failing = serving.stderr_line("deliveries are failing", &mut seen);
    assert!(failing.contains("/hook"), "{failing}");
    assert!(failing.contains("503"), "{failing}");
    assert!(!failing.contains("s3cretpw"), "{failing}");
    // Probes come and go while the app is down; the backlog still waits.
    thread::sleep(Duration::from_millis(600));
    assert_eq!(spool_cli(&dir.spool(), &["stats"])[0]["pending"], 6);
    // The app is back: the next probe delivers and everything follows, not in an hour.
    up.store(true, Ordering::SeqCst);
    let recovered = serving.stderr_line("deliveries recovered", &mut seen);
    assert!(recovered.contains("waiting"), "{recovered}");
    let caught_up = serving.stderr_line("deliveries caught up", &mut seen);
    assert!(caught_up.contains("delivered=6"), "{caught_up}");
    assert_eq!(spool_cli(&dir.spool(), &["stats"])[0]["delivered"], 6);
    assert!(
        seen.iter().all(|line| !line.contains("s3cretpw")),
        "{seen:#?}"
    );
}

#[test]
fn retry_pending_and_all_from_the_cli_and_the_console() {
    let dir = TempDir::new("retry-pending");
    let up = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let app = App::down_until(&up);
    let admin = free_address();
    // Probes an hour apart: only a retry brings the backlog forward.
    let serving = serve(
        "axum",
        &dir.spool(),
        &app.address,
        &[
            "--retry-schedule",
            "1h,1h",
            "--probe-interval",
            "1h",
            "--admin-listen",
            &admin,
        ],
    );
    for n in 0..3 {
        let (status, _) = post(
            &serving.url,
            Command::AfterDestroyRoom,
            &destroyed(&format!("r{n}"), n),
        );
        assert_eq!(status, 200);
    }
    let agent = agent();
    let listed = |state: &str| -> Vec<Value> {
        let text = agent
            .get(format!("http://{admin}/api/webhooks?state={state}"))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let deadline = Instant::now() + common::WAIT;
    while listed("pending")
        .iter()
        .filter(|entry| entry["attempts"] == 1)
        .count()
        < 3
    {
        assert!(Instant::now() < deadline, "{:?}", listed("all"));
        thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(listed("all").len(), 3, "state=all lists every state");
    // The CLI: every pending one due now; the app still down, each fails once more.
    let retried = spool_cli(&dir.spool(), &["retry", "--pending"]);
    assert_eq!(retried[0]["retried"], 3);
    while listed("pending")
        .iter()
        .filter(|entry| entry["attempts"] == 2)
        .count()
        < 3
    {
        assert!(Instant::now() < deadline, "{:?}", listed("all"));
        thread::sleep(Duration::from_millis(100));
    }
    // The console's button does the same, and the app now takes them.
    up.store(true, Ordering::SeqCst);
    let page = agent
        .get(format!("http://{admin}/"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(page.contains("id=\"retry-pending\""));
    let csrf = common::csrf_of(&page);
    let mut answer = agent
        .post(format!("http://{admin}/api/retry-pending"))
        .header("X-Live-Webhook-Csrf", &csrf)
        .send_empty()
        .unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(body["retried"], 3);
    while listed("delivered").len() < 3 {
        assert!(Instant::now() < deadline, "{:?}", listed("all"));
        thread::sleep(Duration::from_millis(100));
    }
    // --all takes dead ones too (none here): nothing left to retry.
    let retried = spool_cli(&dir.spool(), &["retry", "--all"]);
    assert_eq!(retried[0]["retried"], 0);
    drop(serving);
}

#[test]
fn an_upgrade_stops_one_serve_and_the_next_delivers_what_waited_on_the_same_spool() {
    let dir = TempDir::new("upgrade");
    let down = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = down.local_addr().unwrap().to_string();
    drop(down);
    // The old binary: the app is down, so what it acknowledges waits in the spool.
    let old = serve("actix", &dir.spool(), &address, &["--retry-schedule", "1h"]);
    let mut bodies = Vec::new();
    for n in 0..4 {
        let body = destroyed(&format!("u{}", n % 2), n);
        assert_eq!(post(&old.url, Command::AfterDestroyRoom, &body).0, 200);
        bodies.push(body);
    }
    // SIGTERM, as systemctl restart sends it: a clean exit.
    assert!(old.terminate().success());
    assert_eq!(spool_cli(&dir.spool(), &["stats"])[0]["pending"], 4);
    // The new one, on the same file, with the app back.
    let app = App::start_on(TcpListener::bind(&address).unwrap(), acking);
    let new = serve(
        "axum",
        &dir.spool(),
        &app.address,
        &["--retry-schedule", "1h"],
    );
    let seen = collect(&app, |seen| seen.len() >= 4);
    let mut delivered: Vec<String> = seen
        .iter()
        .map(|request| String::from_utf8(request.body.clone()).unwrap())
        .collect();
    delivered.sort();
    bodies.sort();
    assert_eq!(delivered, bodies);
    drop(new);
}
