//! `serve` in front of an app, with the real binary on loopback: forwarding, recording,
//! the line formats, credentials from the environment or a file, every framework.

use std::net::TcpListener;

use serde_json::Value;

mod common;

use common::app::App;
use common::*;

const FRAMEWORKS: [&str; 3] = ["actix", "warp", "axum"];

/// A gift body in one of the shapes Tencent's pages print, with `gift` as its `GiftId`.
fn gift(shape: &str, gift: &str) -> String {
    let fields = [
        r#""CallbackCommand": "Live.CallbackBeforeSendGift""#.to_owned(),
        r#""RoomId": "r1""#.to_owned(),
        format!(r#""GiftWater": {{"GiftId": "{gift}", "Coins": 1000}}"#),
    ];
    shaped(shape, &fields)
}

/// A body with `fields` laid out as `shape`: compact, pretty (spaces), tabs, or CRLF.
fn shaped(shape: &str, fields: &[String]) -> String {
    match shape {
        "compact" => format!("{{{}}}", fields.join(",")),
        "pretty" => format!("{{\n  {}\n}}\n", fields.join(",\n  ")),
        "tabs" => format!("{{\n\t{}\n}}", fields.join(",\n\t")),
        "crlf" => format!("{{\r\n    {}\r\n}}\r\n", fields.join(",\r\n    ")),
        _ => unreachable!(),
    }
}

/// Sends `body` to `url` signed with the test token; the output of `send`.
fn send_body(url: &str, name: &str, body: &str) -> (Option<i32>, String) {
    let file = TempFile::new(name, body.as_bytes());
    let output = send(url, &["--body", file.path()]);
    (output.status.code(), text(&output.stdout))
}

/// The compact form of a JSON text, numbers and strings kept as written.
fn compact(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

fn gateway_forwards_records_and_answers_with_the_app(framework: &str) {
    let app = App::start();
    let record = TempFile::new(&format!("record-{framework}.jsonl"), b"");
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--framework",
        framework,
        "--forward-to",
        &format!("http://{}/hook?app=1", app.address),
        "--forward-timeout",
        "500",
        "--record",
        record.path(),
    ]);
    let url = format!("{}/live", serving.url);
    let mut sent = Vec::new();

    // Allowed, in every body shape: the app gets the exact bytes and the query, the sender
    // gets the app's answer unchanged, stdout one line with the forward status.
    for shape in ["compact", "pretty", "tabs", "crlf"] {
        let body = gift(shape, "rose");
        let (code, out) = send_body(&url, &format!("{framework}-{shape}"), &body);
        assert_eq!(code, Some(0), "{out}");
        assert_eq!(
            out,
            "HTTP 200\n{ \"ActionStatus\": \"OK\", \"ErrorCode\": 0, \"ErrorInfo\": \"\" }\n\
             decision: allowed\n"
        );
        let seen = app.next();
        assert_eq!(seen.body, body.as_bytes());
        assert_eq!(seen.content_type, "application/json");
        assert!(
            seen.target.starts_with("/hook?app=1&SdkAppid="),
            "{}",
            seen.target
        );
        assert!(seen.target.contains("&Sign="), "{}", seen.target);
        let line = serving.next_line();
        assert_eq!(line["event"]["GiftWater"]["GiftId"], "rose");
        assert_eq!(line["forward"]["status"], 200);
        assert!(line["forward"]["ms"].as_u64().is_some(), "{line}");
        sent.push((body, seen.target));
    }

    // The app's decisions reach the sender: a rejected gift, and a non-200 answer.
    let body = gift("pretty", "forbidden");
    let (_, out) = send_body(&url, &format!("{framework}-forbidden"), &body);
    assert_eq!(
        out,
        "HTTP 200\n{\"ActionStatus\":\"OK\",\"ErrorCode\":102150,\"ErrorInfo\":\"gift refused\"}\n\
         decision: rejected with code 102150 (\"gift refused\")\n"
    );
    sent.push((body, app.next().target));
    assert_eq!(serving.next_line()["forward"]["status"], 200);
    let body = gift("compact", "teapot");
    let (code, out) = send_body(&url, &format!("{framework}-teapot"), &body);
    assert_eq!(code, Some(1));
    assert!(out.starts_with("HTTP 418\n"), "{out}");
    assert!(out.contains("short and stout"), "{out}");
    sent.push((body, app.next().target));
    assert_eq!(serving.next_line()["forward"]["status"], 418);

    // Too slow, or not the protocol's JSON: 502 with the FAIL JSON, and the line says why.
    for (gift_id, why) in [
        ("slow", "did not answer within 500 ms"),
        ("garbage", "not the protocol's JSON"),
    ] {
        let body = gift("compact", gift_id);
        let (code, out) = send_body(&url, &format!("{framework}-{gift_id}"), &body);
        assert_eq!(code, Some(1));
        assert!(out.starts_with("HTTP 502\n"), "{out}");
        let reply: Value = serde_json::from_str(out.lines().nth(1).unwrap()).unwrap();
        assert_eq!(reply["ActionStatus"], "FAIL");
        assert_eq!(reply["ErrorCode"], 502);
        sent.push((body, app.next().target));
        let line = serving.next_line();
        let error = line["forward"]["error"].as_str().unwrap();
        assert!(error.contains(why), "{error}");
        let logged = serving.stderr.recv_timeout(WAIT).unwrap();
        assert!(logged.contains(why), "{logged}");
        assert!(!logged.contains("Sign="), "{logged}");
    }

    // A refused request is neither forwarded nor recorded.
    let forged = run(&[
        "send",
        "--url",
        &url,
        "--sdkappid",
        APP,
        "--token",
        "wrong-token",
        "--command",
        "Live.CallbackBeforeSendGift",
    ]);
    assert!(text(&forged.stdout).starts_with("HTTP 401\n"));
    app.nothing_more();
    serving.no_more_stdout();

    // Connections to the app are kept alive and reused (the timed-out one is dropped).
    let connections = app.connections.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        connections * 2 <= sent.len(),
        "{connections} connections for {} webhooks",
        sent.len()
    );

    // The record holds every verified webhook, in order, byte for byte.
    let recorded = std::fs::read_to_string(&record.0).unwrap();
    let records: Vec<Value> = recorded
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(records.len(), sent.len(), "{recorded}");
    for (record, (body, target)) in records.iter().zip(&sent) {
        assert_eq!(record["body"].as_str().unwrap(), body);
        let query = record["query"].as_str().unwrap();
        assert_eq!(target, &format!("/hook?app=1&{query}"));
        assert!(record["received_at_ms"].as_u64().unwrap() > 1_700_000_000_000);
    }
    assert!(serving.terminate().success());
}

#[test]
fn gateway_with_actix() {
    gateway_forwards_records_and_answers_with_the_app("actix");
}

#[test]
fn gateway_with_warp() {
    gateway_forwards_records_and_answers_with_the_app("warp");
}

#[test]
fn gateway_with_axum() {
    gateway_forwards_records_and_answers_with_the_app("axum");
}

#[test]
fn an_app_that_is_down_gets_the_sender_a_502_and_serve_keeps_serving() {
    // A port that was just free: nothing listens there.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    for framework in FRAMEWORKS {
        let serving = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            framework,
            "--forward-to",
            &format!("http://{closed}/"),
        ]);
        for _ in 0..2 {
            let output = send(&serving.url, &["--command", "Live.CallbackAfterCreateRoom"]);
            assert!(
                text(&output.stdout).starts_with("HTTP 502\n"),
                "{framework}"
            );
            let line = serving.next_line();
            let error = line["forward"]["error"].as_str().unwrap();
            assert!(error.starts_with("cannot connect to the app"), "{error}");
            assert_eq!(line["command"], "Live.CallbackAfterCreateRoom");
        }
    }
}

#[test]
fn every_line_is_one_json_document_whatever_the_body_looked_like() {
    let unknown = |shape| {
        shaped(
            shape,
            &[
                r#""CallbackCommand": "Live.CallbackAfterLike""#.to_owned(),
                r#""Big": 123456789012345678901234567890"#.to_owned(),
                "\"Text\": \"line\\nbreak\\ttab\"".to_owned(),
            ],
        )
    };
    let misfit = |shape| {
        shaped(
            shape,
            &[
                r#""CallbackCommand": "Live.CallbackAfterEndBattle""#.to_owned(),
                r#""BattleId": 7.50"#.to_owned(),
            ],
        )
    };
    for framework in FRAMEWORKS {
        let serving = Serving::start(&["--token", TOKEN, "--framework", framework]);
        for shape in ["compact", "pretty", "tabs", "crlf"] {
            for (kind, body) in [
                ("typed", gift(shape, "rose")),
                ("unknown", unknown(shape)),
                ("misfit", misfit(shape)),
            ] {
                let (code, out) =
                    send_body(&serving.url, &format!("{framework}-{shape}-{kind}"), &body);
                assert_eq!(code, Some(0), "{out}");
                let line = serving.stdout.recv_timeout(WAIT).unwrap();
                let parsed: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|error| panic!("{framework} {shape} {kind}: {error}: {line}"));
                if kind == "typed" {
                    assert_eq!(parsed["event"]["GiftWater"]["GiftId"], "rose");
                    assert_eq!(parsed["event"]["GiftWater"]["Coins"], 1000);
                } else {
                    assert_eq!(parsed["raw"], compact(&body), "{framework} {shape} {kind}");
                    assert!(!line.contains('\n'));
                }
                if kind == "unknown" {
                    assert!(line.contains("123456789012345678901234567890"), "{line}");
                }
                if kind == "misfit" {
                    assert!(line.contains("7.50"), "{line}");
                }
            }
        }
        serving.no_more_stdout();
    }
}

#[test]
fn verify_prints_one_line_for_any_body_shape() {
    let time = now();
    let query = signed(&tencent_live_webhook::Command::BeforeSendGift, time);
    for shape in ["compact", "pretty", "tabs", "crlf"] {
        let body = TempFile::new(&format!("verify-{shape}"), gift(shape, "rose").as_bytes());
        let output = verify(&["--query", &query, "--body", body.path()]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let out = text(&output.stdout);
        assert_eq!(out.lines().count(), 1, "{out}");
        let line: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(line["event"]["GiftWater"]["GiftId"], "rose");
    }
}

#[test]
fn human_format_shows_time_command_summary_and_answer() {
    let app = App::start();
    for (color, escapes) in [("never", false), ("always", true)] {
        let serving = Serving::start(&[
            "--token",
            TOKEN,
            "--format",
            "human",
            "--color",
            color,
            "--forward-to",
            &format!("http://{}/", app.address),
        ]);
        let (_, _) = send_body(
            &serving.url,
            &format!("human-{color}"),
            &gift("pretty", "forbidden"),
        );
        app.next();
        let line = serving.stdout.recv_timeout(WAIT).unwrap();
        assert_eq!(line.contains('\u{1b}'), escapes, "{line}");
        let plain = strip_escapes(&line);
        // "YYYY-MM-DD HH:MM:SS  command  summary  -> status verdict (app ...)"
        let (date, rest) = plain.split_once(' ').unwrap();
        assert_eq!(date.len(), 10, "{plain}");
        assert_eq!(rest.as_bytes()[2], b':', "{plain}");
        assert!(plain.contains("  Live.CallbackBeforeSendGift  "), "{plain}");
        assert!(plain.contains("gift forbidden"), "{plain}");
        // The decision in words, as `send` says it.
        assert!(
            plain.contains(
                "-> 200 OK, ErrorCode 102150 decision: rejected with code 102150 (\"gift refused\") (app: HTTP 200 in "
            ),
            "{plain}"
        );
    }
    // Without a terminal and without --format, lines are JSON.
    let serving = Serving::start(&["--token", TOKEN]);
    send(&serving.url, &["--command", "Live.CallbackAfterCreateRoom"]);
    serving.next_line();
}

/// `line` without its ANSI escape sequences.
fn strip_escapes(line: &str) -> String {
    let mut plain = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

#[test]
fn tokens_and_app_come_from_the_environment_or_a_file() {
    // serve: several tokens in the variable, the app in its own.
    let mut command = live_webhook();
    command
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("LIVE_WEBHOOK_TOKEN", format!("old-token,{TOKEN}"))
        .env("LIVE_WEBHOOK_SDKAPPID", APP);
    let serving = Serving::spawn(command);
    let output = send(&serving.url, &["--command", "Live.CallbackAfterCreateRoom"]);
    assert!(output.status.success(), "{}", text(&output.stdout));
    serving.next_line();
    // send signs with the variable's first token: the old one is accepted too.
    let output = live_webhook()
        .args([
            "send",
            "--url",
            &serving.url,
            "--command",
            "Live.CallbackAfterCreateRoom",
        ])
        .env("LIVE_WEBHOOK_TOKEN", "old-token")
        .env("LIVE_WEBHOOK_SDKAPPID", APP)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    serving.next_line();
    drop(serving);

    // serve from a token file.
    let file = TempFile::new("tokens", format!("# rotation\n\n{TOKEN}\n").as_bytes());
    let serving = Serving::start(&["--token-file", file.path()]);
    assert!(
        send(&serving.url, &["--command", "Live.CallbackAfterCreateRoom"])
            .status
            .success()
    );
    serving.next_line();

    // verify from the variable.
    let query = signed(&tencent_live_webhook::Command::AfterCreateRoom, now());
    let output = live_webhook()
        .args(["verify", "--sdkappid", APP, "--query", &query])
        .env("LIVE_WEBHOOK_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));

    // No token anywhere: a usage error that names every way to give one.
    let output = run(&["serve", "--sdkappid", APP]);
    assert_eq!(output.status.code(), Some(2));
    let error = text(&output.stderr);
    assert!(
        error.contains("--token")
            && error.contains("--token-file")
            && error.contains("LIVE_WEBHOOK_TOKEN"),
        "{error}"
    );
    // --no-verify with tokens in the variable is a contradiction, not a silent choice.
    let output = live_webhook()
        .args(["serve", "--sdkappid", APP, "--no-verify"])
        .env("LIVE_WEBHOOK_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));

    // --help names the variables, never their values.
    for subcommand in ["serve", "verify", "send"] {
        let output = live_webhook()
            .args([subcommand, "--help"])
            .env("LIVE_WEBHOOK_TOKEN", "secret-in-the-environment")
            .output()
            .unwrap();
        let help = text(&output.stdout);
        assert!(help.contains("LIVE_WEBHOOK_TOKEN"), "{subcommand}: {help}");
        assert!(
            help.contains("LIVE_WEBHOOK_SDKAPPID"),
            "{subcommand}: {help}"
        );
        assert!(!help.contains("secret-in-the-environment"));
    }
}

#[test]
fn friendlier_edges() {
    // A host name to listen on.
    let mut command = live_webhook();
    command.args([
        "serve",
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--listen",
        "localhost:0",
    ]);
    let serving = Serving::spawn(command);
    assert!(
        send(&serving.url, &["--command", "Live.CallbackAfterCreateRoom"])
            .status
            .success()
    );
    drop(serving);

    // URLs without a scheme.
    for args in [
        vec![
            "serve",
            "--sdkappid",
            APP,
            "--token",
            TOKEN,
            "--forward-to",
            "localhost:9",
        ],
        vec![
            "send",
            "--url",
            "localhost:9",
            "--sdkappid",
            APP,
            "--token",
            TOKEN,
            "--command",
            "Live.CallbackAfterCreateRoom",
        ],
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2));
        assert!(
            text(&output.stderr).contains("URL must start with http:// or https://"),
            "{}",
            text(&output.stderr)
        );
    }

    // An old captured webhook: the hint names the time to pass.
    let signed_at = now() - 3600;
    let query = signed(&tencent_live_webhook::Command::AfterCreateRoom, signed_at);
    let output = verify(&["--query", &query]);
    assert_eq!(output.status.code(), Some(1));
    let error = text(&output.stderr);
    assert!(error.contains(&format!("--now {signed_at}")), "{error}");
    let output = verify(&["--query", &query, "--now", &signed_at.to_string()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
}

#[test]
fn an_https_app_is_reached_with_its_private_ca_and_refused_without_it() {
    let (app, authority) = App::start_tls();
    let authority = TempFile::new("ca.pem", authority.as_bytes());
    let url = format!("https://{}/hook", app.address);
    for framework in FRAMEWORKS {
        let serving = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            framework,
            "--forward-to",
            &url,
            "--cacert",
            authority.path(),
        ]);
        let body = gift("pretty", "forbidden");
        let (_, out) = send_body(&serving.url, &format!("tls-{framework}"), &body);
        assert!(out.contains("\"ErrorCode\":102150"), "{framework}: {out}");
        assert_eq!(app.next().body, body.as_bytes());
        assert_eq!(serving.next_line()["forward"]["status"], 200);
    }
    // Without the CA the certificate is not trusted: 502, and nothing reaches the app.
    let serving = Serving::start(&["--token", TOKEN, "--forward-to", &url]);
    let (_, out) = send_body(&serving.url, "tls-untrusted", &gift("compact", "rose"));
    assert!(out.starts_with("HTTP 502\n"), "{out}");
    let line = serving.next_line();
    let error = line["forward"]["error"].as_str().unwrap();
    assert!(
        error.contains("certificate") || error.contains("Unknown"),
        "{error}"
    );
    app.nothing_more();
}

#[test]
fn on_app_failure_decides_what_a_blocking_callback_gets_when_the_app_cannot_answer() {
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let slow_app = App::start();
    let gift = gift("compact", "rose");
    let slow_gift = gift.replace("rose", "slow");
    let message = r#"{"CallbackCommand":"Group.CallbackBeforeSendMsg","GroupId":"g","From_Account":"u","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}]}"#;
    let direct = r#"{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","To_Account":"b","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}]}"#;
    let friends = r#"{"CallbackCommand":"Sns.CallbackPrevFriendAdd","From_Account":"a","FriendItem":[{"To_Account":"b"},{"To_Account":"c"}]}"#;
    // What each policy answers, per callback: the status line and a part of the body.
    let expected = |policy: &str, name: &str| -> (&'static str, &'static str) {
        match (policy, name) {
            ("tencent", _) => ("HTTP 502\n", "FAIL"),
            ("allow", "friends") => ("HTTP 200\n", r#""ResultCode":0"#),
            ("allow", _) => ("HTTP 200\n", r#""ErrorCode":0"#),
            (_, "friends") => ("HTTP 200\n", r#""ResultCode":38000"#),
            _ => ("HTTP 200\n", r#""ErrorCode":1"#),
        }
    };
    for (policy, framework) in [("allow", "actix"), ("reject", "warp"), ("tencent", "axum")] {
        // The app down: nothing listens.
        let serving = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            framework,
            "--forward-to",
            &format!("http://{closed}/"),
            "--on-app-failure",
            policy,
        ]);
        for (name, body, command) in [
            ("gift", gift.as_str(), "Live.CallbackBeforeSendGift"),
            ("message", message, "Group.CallbackBeforeSendMsg"),
            ("direct", direct, "C2C.CallbackBeforeSendMsg"),
            ("friends", friends, "Sns.CallbackPrevFriendAdd"),
        ] {
            let started = std::time::Instant::now();
            let (_, out) = send_body(&serving.url, &format!("{framework}-{policy}-{name}"), body);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(2),
                "{framework}"
            );
            let (status, part) = expected(policy, name);
            assert!(out.starts_with(status), "{policy} {name}: {out}");
            assert!(out.contains(part), "{policy} {name}: {out}");
            // The log line says which command, and what the sender got.
            let logged = serving.stderr_line("forwarding to the app failed", &mut Vec::new());
            assert!(logged.contains(&format!("command={command}")), "{logged}");
            let answered = if policy == "tencent" { "502" } else { "200" };
            assert!(logged.contains(&format!("answered={answered}")), "{logged}");
            let line = serving.next_line();
            assert!(
                line["forward"]["error"]
                    .as_str()
                    .unwrap()
                    .starts_with("cannot connect")
            );
        }
        // A notification is not a decision: the app's failure is still the sender's 502.
        let output = send(&serving.url, &["--command", "Live.CallbackAfterCreateRoom"]);
        assert!(text(&output.stdout).starts_with("HTTP 502\n"), "{policy}");
        serving.next_line();
        drop(serving);
        // The app too slow for the forward timeout (it answers after 3 s).
        let serving = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            framework,
            "--forward-to",
            &format!("http://{}/", slow_app.address),
            "--forward-timeout",
            "300ms",
            "--on-app-failure",
            policy,
        ]);
        let started = std::time::Instant::now();
        let (_, out) = send_body(
            &serving.url,
            &format!("{framework}-{policy}-slow"),
            &slow_gift,
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        let (status, part) = expected(policy, "gift");
        assert!(
            out.starts_with(status) && out.contains(part),
            "{policy} slow: {out}"
        );
    }
}

#[test]
fn allow_from_refuses_other_clients_before_the_body_and_trusts_only_named_proxies() {
    let list = TempFile::new(
        "allow-from.txt",
        b"# Tencent's addresses\n203.0.113.0/24\n\n198.51.100.7  # one more\n",
    );
    let body = r#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r"}"#;
    let post = |url: &str, forwarded: Option<&str>| {
        let mut request = agent().post(format!(
            "{url}/live?{}",
            signed(&tencent_live_webhook::Command::AfterDestroyRoom, now())
        ));
        if let Some(forwarded) = forwarded {
            request = request.header("x-forwarded-for", forwarded);
        }
        request.send(body).unwrap().status().as_u16()
    };
    for framework in FRAMEWORKS {
        // Not behind a trusted proxy: the peer (127.0.0.1) is the client, and is refused
        // whatever it claims to forward.
        let direct = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            framework,
            "--allow-from",
            list.path(),
        ]);
        assert_eq!(post(&direct.url, None), 403, "{framework}");
        assert_eq!(post(&direct.url, Some("203.0.113.5")), 403, "{framework}");
        let line = direct.stderr.recv_timeout(WAIT).unwrap();
        assert!(line.contains("client=127.0.0.1"), "{line}");
        assert!(
            line.contains("requests from this address are not accepted"),
            "{line}"
        );
        direct.no_more_stdout();
        drop(direct);
        // Behind a trusted proxy (127.0.0.1): the forwarded client counts.
        let proxied = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            framework,
            "--allow-from",
            "203.0.113.0/24,198.51.100.7",
            "--trusted-proxy",
            "127.0.0.1",
        ]);
        assert_eq!(post(&proxied.url, Some("203.0.113.5")), 200, "{framework}");
        assert_eq!(proxied.next_line()["event"]["RoomId"], "r");
        assert_eq!(post(&proxied.url, Some("198.51.100.7")), 200, "{framework}");
        proxied.next_line();
        // A forged first hop does not help: the last untrusted hop is the client.
        assert_eq!(
            post(&proxied.url, Some("203.0.113.5, 192.0.2.1")),
            403,
            "{framework}"
        );
        let line = proxied.stderr.recv_timeout(WAIT).unwrap();
        assert!(line.contains("client=192.0.2.1"), "{line}");
        proxied.no_more_stdout();
    }
    let bad = run(&[
        "serve",
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--allow-from",
        "10.0.0.0/33",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("is not an address or a CIDR network"));
    let bad = run(&[
        "serve",
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--trusted-proxy",
        "proxy",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}
