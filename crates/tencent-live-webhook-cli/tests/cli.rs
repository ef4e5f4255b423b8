//! Runs the real `live-webhook` binary: every subcommand, every framework, on loopback.

use std::io::Write;
use std::process::Stdio;
use std::thread;
use std::time::Duration;

use serde_json::Value;
use tencent_live_webhook::{Command as LiveCommand, QueryBuilder, Sign, Token, signed_query};

mod common;

use common::*;

#[test]
fn sign_prints_the_documented_vector() {
    let output = run(&["sign", "--token", "xxxxyyyy", "--time", "1669872112"]);
    assert!(output.status.success());
    assert_eq!(
        text(&output.stdout),
        "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061\n"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["sign", "--token", "", "--time", "1"][..],
        &["sign", "--token", "t", "--time", "-5"],
        &["verify", "--sdkappid", "1", "--token", "t"],
        &["serve", "--sdkappid", "1"],
        &["serve", "--sdkappid", "1", "--token", "t", "--no-verify"],
        &[
            "send",
            "--url",
            "http://127.0.0.1:9",
            "--sdkappid",
            "1",
            "--token",
            "t",
        ],
        &[
            "send",
            "--url",
            "http://127.0.0.1:9",
            "--sdkappid",
            "1",
            "--token",
            "t",
            "--command",
            "X.Unknown",
        ],
        &["frobnicate"],
    ] {
        let output = run(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(!output.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn every_subcommand_has_help() {
    let help = text(&run(&["--help"]).stdout);
    for subcommand in ["sign", "verify", "serve", "send", "demo"] {
        assert!(help.contains(subcommand), "{help}");
        let output = run(&[subcommand, "--help"]);
        assert!(output.status.success(), "{subcommand}");
        assert!(
            text(&output.stdout).contains("Usage: live-webhook"),
            "{subcommand}"
        );
    }
}

#[test]
fn verify_prints_the_decoded_webhook() {
    let time = 1_700_000_000u64;
    let query = signed_query(
        1_400_000_000,
        &LiveCommand::AfterDestroyRoom,
        &Token::new(TOKEN).unwrap(),
        time,
    );
    let body = TempFile::new(
        "destroy.json",
        include_bytes!(
            "../../tencent-live-webhook/testdata/samples/Live.CallbackAfterDestroyRoom.json"
        ),
    );
    let url = format!("https://example.com/live?{query}");
    for query in [query.as_str(), &format!("?{query}"), &url] {
        let output = run(&[
            "verify",
            "--sdkappid",
            APP,
            "--token",
            "old",
            "--token",
            TOKEN,
            "--query",
            query,
            "--body",
            body.path(),
            "--now",
            "1700000030",
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let stdout = text(&output.stdout);
        assert_eq!(stdout.lines().count(), 1);
        let line: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(line["command"], "Live.CallbackAfterDestroyRoom");
        assert_eq!(line["sdkappid"], 1_400_000_000u64);
        assert_eq!(
            line["event"]["RoomInfo"]["Owner_Account"],
            "144115216631667826"
        );
    }
}

#[test]
fn verify_reads_the_body_from_stdin_and_works_without_one() {
    let time = now();
    let query = signed_query(
        1_400_000_000,
        &LiveCommand::AfterChangeOwner,
        &Token::new(TOKEN).unwrap(),
        time,
    );
    let mut child = live_webhook()
        .args([
            "verify",
            "--sdkappid",
            APP,
            "--token",
            TOKEN,
            "--query",
            &query,
            "--body",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"RoomId":"r9"}"#)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let line: Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert_eq!(line["event"]["RoomId"], "r9");

    let output = run(&[
        "verify",
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--query",
        &query,
    ]);
    assert!(output.status.success());
    let line: Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert_eq!(line["command"], "Live.CallbackAfterChangeOwner");
    assert_eq!(line["matched_token"], 0);
}

#[test]
fn verify_refuses_with_the_reason_a_hint_and_no_expected_sign() {
    let token = Token::new(TOKEN).unwrap();
    let stale_time = 1_700_000_000u64;
    let stale = signed_query(
        1_400_000_000,
        &LiveCommand::AfterCreateRoom,
        &token,
        stale_time,
    );
    let forged = signed_query(
        1_400_000_000,
        &LiveCommand::AfterCreateRoom,
        &Token::new("guess").unwrap(),
        stale_time,
    );
    let expected = Sign::compute(&token, stale_time).to_string();
    for (query, now, reason) in [
        (&stale, "1700000061", "61 s in the past"),
        (&forged, "1700000000", "Sign does not match"),
        (
            &"SdkAppid=1".to_string(),
            "1700000000",
            "unknown SdkAppid 1",
        ),
    ] {
        let output = run(&[
            "verify",
            "--sdkappid",
            APP,
            "--token",
            TOKEN,
            "--query",
            query,
            "--now",
            now,
        ]);
        assert_eq!(output.status.code(), Some(1));
        assert!(output.stdout.is_empty());
        let stderr = text(&output.stderr);
        // The reason on one line, and what to do on one more.
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{stderr}");
        assert!(lines[0].contains(reason), "{stderr}");
        assert!(lines[1].starts_with("hint: "), "{stderr}");
        assert!(
            !stderr.contains(&expected) && !stderr.contains(TOKEN),
            "{stderr}"
        );
    }
    let not_json = TempFile::new("bad.json", b"[1]");
    let query = signed_query(1_400_000_000, &LiveCommand::AfterCreateRoom, &token, now());
    let output = run(&[
        "verify",
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--query",
        &query,
        "--body",
        not_json.path(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stderr), "invalid: body is not a JSON object\n");
}

fn serve_and_send_every_kind_of_line(framework: &str) {
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--framework",
        framework,
        "--path",
        "/live",
    ]);
    let url = format!("{}/live", serving.url);

    // Samples by command word alone; account ids keep their digits as strings.
    let output = send(&url, &["--command", "Mic.CallbackAfterSeatInfoChanged"]);
    assert!(output.status.success(), "{}", text(&output.stdout));
    assert_eq!(
        text(&output.stdout),
        "HTTP 200\n{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\"}\n"
    );
    let line = serving.next_line();
    assert_eq!(line["command"], "Mic.CallbackAfterSeatInfoChanged");
    assert_eq!(line["sdkappid"], 1_400_000_000u64);
    assert_eq!(
        line["event"]["SeatList"][0]["Member_Account"],
        "144115233775727695"
    );
    assert_eq!(
        line["event"]["CallbackCommand"],
        "Mic.CallbackAfterSeatInfoChanged"
    );

    // A body that does not fit its type: delivered with the error and the raw body.
    let misfit = TempFile::new(
        &format!("misfit-{framework}.json"),
        br#"{"CallbackCommand":"Live.CallbackAfterEndBattle","BattleId":7}"#,
    );
    assert!(send(&url, &["--body", misfit.path()]).status.success());
    let line = serving.next_line();
    assert_eq!(line["command"], "Live.CallbackAfterEndBattle");
    assert!(
        line["error"]
            .as_str()
            .unwrap()
            .starts_with("field BattleId: invalid type"),
        "{line}"
    );
    assert_eq!(line["raw"]["BattleId"], 7);
    assert!(line.get("event").is_none());

    // An unknown command: delivered raw.
    let unknown = TempFile::new(
        &format!("unknown-{framework}.json"),
        br#"{"CallbackCommand":"Live.CallbackAfterLike","N":1}"#,
    );
    assert!(send(&url, &["--body", unknown.path()]).status.success());
    let mut line = serving.next_line();
    // When it arrived, by the server's clock.
    let received = line
        .as_object_mut()
        .unwrap()
        .remove("received_at_ms")
        .unwrap();
    assert!(received.as_u64().unwrap().abs_diff(now() * 1000) < 60_000);
    assert_eq!(
        line,
        serde_json::json!({"command": "Live.CallbackAfterLike", "sdkappid": 1_400_000_000u64, "raw": {"CallbackCommand": "Live.CallbackAfterLike", "N": 1}})
    );

    // A forged request: refused, nothing on stdout, one line on stderr.
    let forged = run(&[
        "send",
        "--url",
        &url,
        "--sdkappid",
        APP,
        "--token",
        "wrong",
        "--command",
        "Live.CallbackAfterCreateRoom",
    ]);
    assert_eq!(forged.status.code(), Some(1));
    assert!(
        text(&forged.stdout).starts_with("HTTP 401\n"),
        "{}",
        text(&forged.stdout)
    );
    let logged = serving.stderr.recv_timeout(WAIT).unwrap();
    assert!(
        logged.contains("Sign does not match") && !logged.contains(TOKEN),
        "{logged}"
    );
    serving.no_more_stdout();

    // Other methods and other paths.
    let client = agent();
    let get = client.get(&url).call().unwrap();
    assert_eq!(get.status().as_u16(), 405);
    let elsewhere = client
        .post(&format!("{}/other", serving.url))
        .send("{}")
        .unwrap();
    assert_eq!(elsewhere.status().as_u16(), 404);
    assert_eq!(
        serving.stderr.recv_timeout(WAIT).map(|l| l.contains("405")),
        Ok(true)
    );
    assert_eq!(
        serving.stderr.recv_timeout(WAIT).map(|l| l.contains("404")),
        Ok(true)
    );
    serving.no_more_stdout();

    assert!(serving.terminate().success(), "SIGTERM is a clean stop");
}

#[test]
fn serve_with_actix_prints_every_kind_of_line() {
    serve_and_send_every_kind_of_line("actix");
}

#[test]
fn serve_with_warp_prints_every_kind_of_line() {
    serve_and_send_every_kind_of_line("warp");
}

fn concurrent_keep_alive_requests_are_each_printed_once(framework: &str) {
    const THREADS: usize = 4;
    const EACH: usize = 25;
    let serving = Serving::start(&["--token", TOKEN, "--framework", framework]);
    let senders: Vec<_> = (0..THREADS)
        .map(|thread_index| {
            let base = serving.url.clone();
            thread::spawn(move || {
                let client = agent(); // one agent per thread: its connection is kept alive
                let token = Token::new(TOKEN).unwrap();
                for index in 0..EACH {
                    let query =
                        signed_query(1_400_000_000, &LiveCommand::AfterDelMetadata, &token, now());
                    let body = format!(
                        r#"{{"RoomId":"t{thread_index}-{index}","Keys":["{}"]}}"#,
                        "k".repeat(index * 40)
                    );
                    let response = client
                        .post(&format!("{base}/?{query}"))
                        .send(body.as_bytes())
                        .unwrap();
                    assert_eq!(response.status().as_u16(), 200);
                }
            })
        })
        .collect();
    for sender in senders {
        sender.join().unwrap();
    }
    let mut rooms: Vec<String> = (0..THREADS * EACH)
        .map(|_| {
            serving.next_line()["event"]["RoomId"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    rooms.sort();
    rooms.dedup();
    assert_eq!(rooms.len(), THREADS * EACH);
    serving.no_more_stdout();
}

#[test]
fn concurrent_requests_are_printed_once_each_with_actix() {
    concurrent_keep_alive_requests_are_each_printed_once("actix");
}

#[test]
fn serve_with_axum_prints_every_kind_of_line() {
    serve_and_send_every_kind_of_line("axum");
}

#[test]
fn concurrent_requests_are_printed_once_each_with_axum() {
    concurrent_keep_alive_requests_are_each_printed_once("axum");
}

#[test]
fn concurrent_requests_are_printed_once_each_with_warp() {
    concurrent_keep_alive_requests_are_each_printed_once("warp");
}

#[test]
fn serve_limits_and_unsigned_mode() {
    let serving = Serving::start(&["--no-verify", "--limit", "64", "--framework", "warp"]);
    let client = agent();
    let unsigned = QueryBuilder::new(1_400_000_000, LiveCommand::AfterChangeOwner).unsigned();
    let ok = client
        .post(&format!("{}/x?{unsigned}", serving.url))
        .send(r#"{"RoomId":"r"}"#)
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    assert_eq!(serving.next_line()["event"]["RoomId"], "r");
    let big = format!(r#"{{"RoomId":"{}"}}"#, "r".repeat(100));
    let too_big = client
        .post(&format!("{}/x?{unsigned}", serving.url))
        .send(big.as_bytes())
        .unwrap();
    assert_eq!(too_big.status().as_u16(), 413);
    serving.no_more_stdout();
    drop(serving);
    // Sizes take units: 1KiB lets 1,000 bytes in and keeps 1,100 out.
    let serving = Serving::start(&["--no-verify", "--limit", "1KiB", "--framework", "axum"]);
    for (filler, status) in [(980, 200), (1_080, 413)] {
        let body = format!(r#"{{"RoomId":"{}"}}"#, "r".repeat(filler));
        let answer = client
            .post(&format!("{}/x?{unsigned}", serving.url))
            .send(body.as_bytes())
            .unwrap();
        assert_eq!(answer.status().as_u16(), status, "{} bytes", body.len());
    }
    let refused = run(&[
        "serve",
        "--no-verify",
        "--sdkappid",
        APP,
        "--limit",
        "1.5MiB",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("not a size"),
        "{}",
        text(&refused.stderr)
    );
}

#[test]
fn serve_reports_a_busy_address() {
    let serving = Serving::start(&["--token", TOKEN]);
    let address = serving.url.trim_start_matches("http://").to_owned();
    let output = run(&[
        "serve",
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--listen",
        &address,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("cannot serve"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn send_fails_when_nobody_listens() {
    let output = send(
        "http://127.0.0.1:9/live",
        &["--command", "Live.CallbackAfterCreateRoom"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("failed"));
}

#[test]
fn demo_succeeds_with_every_framework() {
    for framework in ["actix", "warp", "axum"] {
        let output = run(&["demo", "--framework", framework]);
        let stdout = text(&output.stdout);
        assert!(
            output.status.success(),
            "{framework}: {stdout}{}",
            text(&output.stderr)
        );
        // Every Live and Chat example, three moderated messages and the forgery.
        let samples =
            tencent_live_webhook::samples::ALL.len() + tencent_live_webhook::samples::CHAT.len();
        assert_eq!(
            stdout
                .lines()
                .filter(|line| line.starts_with("ok "))
                .count(),
            samples + 3 + 1,
            "{stdout}"
        );
        assert!(stdout.contains(&format!(
            "{samples}/{samples} webhooks accepted and decoded; messages moderated as meant; forged request refused"
        )));
        assert!(stdout.contains("rejected with code 120001"), "{stdout}");
    }
}

/// Writes a raw HTTP/1.1 request head (and `body`), returns the status line of the answer.
fn raw_request(url: &str, head: &str, body: &[u8]) -> String {
    use std::io::Read;
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0; 1024];
    while !answer.windows(2).any(|w| w == b"\r\n") {
        let read = stream.read(&mut buffer).expect("no answer in time");
        assert!(read > 0, "connection closed without an answer");
        answer.extend_from_slice(&buffer[..read]);
    }
    text(&answer).lines().next().unwrap().to_owned()
}

fn forged_query_is_refused_without_waiting_for_the_body(framework: &str) {
    let serving = Serving::start(&["--token", TOKEN, "--framework", framework]);
    let forged = signed_query(
        1_400_000_000,
        &LiveCommand::AfterCreateRoom,
        &Token::new("guess").unwrap(),
        now(),
    );
    // Announces a body of 100 000 bytes and sends none of it: the answer must still come.
    let head = format!("POST /?{forged} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    assert_eq!(
        raw_request(&serving.url, &head, b""),
        "HTTP/1.1 401 Unauthorized"
    );
    let declared_too_big = signed_query(
        1_400_000_000,
        &LiveCommand::AfterCreateRoom,
        &Token::new(TOKEN).unwrap(),
        now(),
    );
    let head =
        format!("POST /?{declared_too_big} HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n");
    assert_eq!(
        raw_request(&serving.url, &head, b""),
        "HTTP/1.1 413 Payload Too Large"
    );
    serving.no_more_stdout();
}

#[test]
fn forged_query_is_refused_without_waiting_for_the_body_actix() {
    forged_query_is_refused_without_waiting_for_the_body("actix");
}

#[test]
fn forged_query_is_refused_without_waiting_for_the_body_warp() {
    forged_query_is_refused_without_waiting_for_the_body("warp");
}

fn chunked_body_over_the_limit_is_413(framework: &str) {
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--framework",
        framework,
        "--limit",
        "1000",
    ]);
    let query = signed_query(
        1_400_000_000,
        &LiveCommand::AfterCreateRoom,
        &Token::new(TOKEN).unwrap(),
        now(),
    );
    let head = format!("POST /?{query} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    let chunk = format!("{:x}\r\n{}\r\n", 1500, " ".repeat(1500));
    let status = raw_request(&serving.url, &head, format!("{chunk}0\r\n\r\n").as_bytes());
    assert_eq!(status, "HTTP/1.1 413 Payload Too Large");
    // Within the limit, chunked is fine.
    let small = r#"{"RoomInfo":{"RoomId":"chunked"}}"#;
    let body = format!("{:x}\r\n{small}\r\n0\r\n\r\n", small.len());
    assert_eq!(
        raw_request(&serving.url, &head, body.as_bytes()),
        "HTTP/1.1 200 OK"
    );
    assert_eq!(
        serving.next_line()["event"]["RoomInfo"]["RoomId"],
        "chunked"
    );
}

#[test]
fn chunked_body_over_the_limit_is_413_actix() {
    chunked_body_over_the_limit_is_413("actix");
}

#[test]
fn chunked_body_over_the_limit_is_413_warp() {
    chunked_body_over_the_limit_is_413("warp");
}

#[test]
fn forged_query_is_refused_without_waiting_for_the_body_axum() {
    forged_query_is_refused_without_waiting_for_the_body("axum");
}

#[test]
fn chunked_body_over_the_limit_is_413_axum() {
    chunked_body_over_the_limit_is_413("axum");
}

/// The console's connectivity check: acked, logged at info, and no line on stdout.
fn probe_is_acked_without_a_line(framework: &str) {
    let serving = Serving::start(&["--token", TOKEN, "--framework", framework]);
    let time = now();
    let sign = Sign::compute(&Token::new(TOKEN).unwrap(), time);
    let agent = agent();
    let mut response = agent
        .post(&format!("{}/?Sign={sign}&RequestTime={time}", serving.url))
        .send(&b"{}"[..])
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.body_mut().read_to_string().unwrap(),
        r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
    );
    let logged = serving.stderr.recv_timeout(WAIT).unwrap();
    assert!(
        logged.contains("INFO") && logged.contains("connectivity probe"),
        "{logged}"
    );
    assert!(!logged.contains(&sign.to_string()), "{logged}");
    serving.no_more_stdout();
    // A RequestID rides along into the line of a real webhook.
    let query = format!(
        "{}&RequestID=c637d5f9",
        signed_query(
            1_400_000_000,
            &LiveCommand::AfterDestroyRoom,
            &Token::new(TOKEN).unwrap(),
            time
        )
    );
    let status = agent
        .post(&format!("{}/?{query}", serving.url))
        .send(&br#"{"RoomId":"r1"}"#[..])
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 200);
    assert_eq!(serving.next_line()["request_id"], "c637d5f9");
}

#[test]
fn probe_is_acked_without_a_line_actix() {
    probe_is_acked_without_a_line("actix");
}

#[test]
fn probe_is_acked_without_a_line_warp() {
    probe_is_acked_without_a_line("warp");
}

#[test]
fn probe_is_acked_without_a_line_axum() {
    probe_is_acked_without_a_line("axum");
}

#[test]
fn every_duration_flag_takes_units_and_bare_numbers_keep_their_meaning() {
    let time = 1_700_000_000u64;
    let query = signed_query(
        1_400_000_000,
        &LiveCommand::AfterChangeOwner,
        &Token::new(TOKEN).unwrap(),
        time,
    );
    let verify_at = |now: u64, skew: &str| {
        run(&[
            "verify",
            "--sdkappid",
            APP,
            "--token",
            TOKEN,
            "--query",
            &query,
            "--now",
            &now.to_string(),
            "--max-skew",
            skew,
        ])
        .status
        .code()
    };
    // 100 s late: within 2m, within a bare 120 (seconds), not within 90s or a bare 90.
    assert_eq!(verify_at(time + 100, "2m"), Some(0));
    assert_eq!(verify_at(time + 100, "120"), Some(0));
    assert_eq!(verify_at(time + 100, "90s"), Some(1));
    assert_eq!(verify_at(time + 100, "90"), Some(1));
    let bad = run(&[
        "verify",
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--query",
        &query,
        "--max-skew",
        "soon",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("write durations like 500ms, 2s, 1m"));

    // serve: units everywhere, bare numbers as before (forward timeout in ms, the rest s).
    for flags in [
        &[
            "--forward-timeout",
            "2s",
            "--header-timeout",
            "5",
            "--body-timeout",
            "1m",
        ][..],
        &[
            "--forward-timeout",
            "1500",
            "--shutdown-timeout",
            "2s",
            "--output-timeout",
            "500ms",
        ],
    ] {
        let mut args = vec!["--token", TOKEN, "--forward-to", "http://127.0.0.1:9/app"];
        args.extend_from_slice(flags);
        let serving = Serving::start(&args);
        assert!(serving.terminate().success());
    }
    let too_long = run(&[
        "serve",
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--forward-timeout",
        "2m",
    ]);
    assert_eq!(too_long.status.code(), Some(2));
    assert!(text(&too_long.stderr).contains("not between 1ms and 60s"));
    let help = text(&run(&["serve", "--help"]).stdout);
    assert!(help.contains("A bare number is seconds, except for --forward-timeout"));
}

#[test]
fn json_logs_and_a_health_check_on_the_webhook_port() {
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--log-format",
        "json",
        "--framework",
        "axum",
    ]);
    // A health check is answered, and not logged as a refusal.
    let health = agent()
        .get(format!("{}/healthz", serving.url))
        .call()
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    // A forged request: one JSON log line with the level, the message and its fields.
    let forged = agent()
        .post(format!(
            "{}/live?SdkAppid={APP}&CallbackCommand=Live.CallbackAfterDestroyRoom&Sign={}&RequestTime={}",
            serving.url,
            "0".repeat(64),
            now()
        ))
        .send("{}")
        .unwrap();
    assert_eq!(forged.status().as_u16(), 401);
    let line = serving.stderr.recv_timeout(common::WAIT).unwrap();
    let log: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(log["level"], "WARN", "{log}");
    assert!(log["timestamp"].is_string(), "{log}");
    assert!(
        log["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{log}"
    );
    assert_eq!(log["status"], 401, "{log}");
    // Nothing was logged for the health check: the refusal is the first line.
    assert!(serving.stderr.try_recv().is_err());
    serving.no_more_stdout();
}

#[test]
fn refusals_say_what_to_do_in_verify_and_in_serves_log() {
    let time = now();
    let signed_with = |token: &str, app: u64, at: u64| {
        signed_query(
            app,
            &LiveCommand::AfterDestroyRoom,
            &Token::new(token).unwrap(),
            at,
        )
    };
    let mistakes = [
        // A wrong token: which of the app's tokens were tried, and the Chat console.
        (
            signed_with("not-the-token", 1_400_000_000, time),
            "the app's tokens 1 and 2 were tried",
        ),
        // The clock two minutes off: the window, NTP, and the flag that widens it.
        (
            signed_with(TOKEN, 1_400_000_000, time - 120),
            "within 60 s of this machine's clock",
        ),
        (
            signed_with(TOKEN, 1_400_000_000, time - 120),
            "or widen the allowed skew with --max-skew",
        ),
        // Another app id: the ones configured.
        (
            signed_with(TOKEN, 1_400_000_001, time),
            "apps configured: 1400000000",
        ),
    ];
    for (query, hint) in &mistakes {
        let output = run(&[
            "verify",
            "--sdkappid",
            APP,
            "--token",
            "older-token",
            "--token",
            TOKEN,
            "--query",
            query,
        ]);
        assert_eq!(output.status.code(), Some(1));
        let stderr = text(&output.stderr);
        let hinted = stderr
            .lines()
            .find(|line| line.starts_with("hint: "))
            .unwrap_or_default();
        assert!(hinted.contains(hint), "{stderr}");
        assert!(!stderr.contains(TOKEN), "{stderr}");
    }
    assert!(
        text(
            &run(&[
                "verify",
                "--sdkappid",
                APP,
                "--token",
                TOKEN,
                "--query",
                &mistakes[0].0
            ])
            .stderr
        )
        .contains("the app's token (1 of 1) was tried")
    );
    let serving = Serving::start(&["--token", "older-token", "--token", TOKEN]);
    for (query, hint) in &mistakes {
        let refused = agent()
            .post(format!("{}/live?{query}", serving.url))
            .send("{}")
            .unwrap();
        assert_ne!(refused.status().as_u16(), 200);
        let line = serving.stderr.recv_timeout(common::WAIT).unwrap();
        assert!(line.contains(hint), "{line}");
        assert!(!line.contains(TOKEN), "{line}");
    }
    serving.no_more_stdout();
}

/// `serve --config FILE`: the file's keys are the flags; the command line and set
/// environment variables win over it; a key that is not a flag is refused with its name.
#[test]
fn serve_reads_a_config_file_that_flags_and_the_environment_override() {
    let file = TempFile::new(
        "serve.toml",
        format!(
            "sdkappid = 999\ntoken = [\"{TOKEN}\"]\nlisten = \"127.0.0.1:0\"\nframework = \"axum\"\n\
             path = \"/from-the-file\"\nlimit = 64\n"
        )
        .as_bytes(),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file.0, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    // The app comes from the environment, the path from the command line; the token, the
    // body limit and the framework from the file.
    let mut command = live_webhook();
    command.env("LIVE_WEBHOOK_SDKAPPID", APP).args([
        "serve",
        "--config",
        file.path(),
        "--path",
        "/tencent",
    ]);
    let serving = Serving::spawn(command);
    let client = agent();
    let query = signed(&LiveCommand::AfterChangeOwner, now());
    let ok = client
        .post(&format!("{}/tencent?{query}", serving.url))
        .send(r#"{"RoomId":"r"}"#)
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    let line = serving.next_line();
    assert_eq!(line["sdkappid"], 1_400_000_000);
    assert_eq!(line["event"]["RoomId"], "r");
    let elsewhere = client
        .post(&format!("{}/from-the-file?{query}", serving.url))
        .send(r#"{"RoomId":"r"}"#)
        .unwrap();
    assert_eq!(elsewhere.status().as_u16(), 404);
    let big = format!(r#"{{"RoomId":"{}"}}"#, "r".repeat(100));
    let too_big = client
        .post(&format!("{}/tencent?{query}", serving.url))
        .send(big.as_bytes())
        .unwrap();
    assert_eq!(
        too_big.status().as_u16(),
        413,
        "the file's --limit 64 holds"
    );
    drop(serving);

    let unknown = TempFile::new("unknown.toml", b"sdkappid = 1\nforward = 'http://a/'\n");
    let refused = run(&["serve", "--config", unknown.path()]);
    assert_eq!(refused.status.code(), Some(2));
    let error = text(&refused.stderr);
    assert!(
        error.contains("\"forward\" is not an option of serve"),
        "{error}"
    );
    let missing = run(&["serve", "--config", "/nonexistent/serve.toml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("cannot read /nonexistent/serve.toml"));
}
