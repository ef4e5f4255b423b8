//! TRTC callbacks through the real binary: `serve --trtc-key` beside the Live webhooks on
//! every framework, forwarded with their Sign, spooled once per event; `samples --trtc`,
//! `send --trtc`, `verify --trtc`.

mod common;

use std::net::TcpListener;
use std::time::{SystemTime, UNIX_EPOCH};

use common::app::{App, Seen};
use common::{APP, Serving, TOKEN, TempDir, TempFile, agent, live_webhook, run, send, text};
use serde_json::Value;
use tencent_live_webhook::trtc::{Key, Verifier};

const FRAMEWORKS: [&str; 3] = ["actix", "warp", "axum"];
const KEY: &str = "cliTrtcKey2026";

fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// `serve` with the TRTC key in its variable (never on the command line), JSON lines.
fn serve(extra: &[&str]) -> Serving {
    let mut command = live_webhook();
    command
        .env("LIVE_WEBHOOK_TRTC_KEY", KEY)
        .args(["serve", "--sdkappid", APP, "--listen", "127.0.0.1:0"])
        .args(["--token", TOKEN, "--format", "json"])
        .args(extra);
    Serving::spawn(command)
}

/// `send --trtc` of a documented body to `url`.
fn send_trtc(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "send",
        "--trtc",
        "--url",
        url,
        "--sdkappid",
        APP,
        "--trtc-key",
        KEY,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// POSTs `body` with a Sign header to `url`; the status and the answer.
fn post(url: &str, body: &[u8], sign: &str) -> (u16, String) {
    let mut response = agent()
        .post(url)
        .header("content-type", "application/json")
        .header("Sign", sign)
        .header("SdkAppId", APP)
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// A room event signed with the test key, sent at `sent_ms`.
fn entered(user: &str, sent_ms: u64) -> Vec<u8> {
    format!(
        "{{\n\t\"EventGroupId\":\t1,\n\t\"EventType\":\t103,\n\t\"CallbackTs\":\t{sent_ms},\n\t\"EventInfo\":\t{{\n\t\t\"RoomId\":\t\"r1\",\n\t\t\"EventMsTs\":\t1700000000000,\n\t\t\"UserId\":\t\"{user}\",\n\t\t\"Role\":\t20\n\t}}\n}}"
    )
    .into_bytes()
}

fn trtc_and_live_on_one_server(framework: &str) {
    let serving = serve(&["--framework", framework]);
    let trtc_url = format!("{}/trtc", serving.url);

    // A Live webhook, as before.
    let live = send(&serving.url, &["--command", "AfterDestroyRoom"]);
    assert!(live.status.success(), "{}", text(&live.stderr));
    let line = serving.next_line();
    assert_eq!(line["command"], "Live.CallbackAfterDestroyRoom", "{line}");

    // A TRTC callback: the documented body, pretty-printed with tabs, sent now.
    let sent = send_trtc(&trtc_url, &["--command", "1-103"]);
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    assert_eq!(text(&sent.stdout), "HTTP 200\n{\"code\":0}\n");
    let line = serving.next_line();
    assert_eq!(line["kind"], "trtc", "{line}");
    assert_eq!(
        (line["group"].as_i64(), line["type"].as_i64()),
        (Some(1), Some(103))
    );
    assert_eq!(line["sdkappid"].as_u64(), Some(APP.parse().unwrap()));
    let info = &line["event"]["EventInfo"];
    assert_eq!(info["RoomId"], 12345, "{line}");
    assert_eq!(info["UserId"], "test");
    assert_eq!(info["Role"], 21);
    assert_eq!(line["event_id"].as_str().unwrap().len(), 64);

    // The same body signed with another key, a changed byte, an old send time: refused.
    let body = entered("u1", now_ms());
    let forged = Key::new("otherKey").unwrap().sign(&body);
    let (status, answer) = post(&trtc_url, &body, &forged);
    assert_eq!(status, 401, "{answer}");
    assert!(answer.contains("Sign does not match"), "{answer}");
    let genuine = Key::new(KEY).unwrap().sign(&body);
    let mut changed = body.clone();
    changed[body.len() - 3] = b' ';
    assert_eq!(post(&trtc_url, &changed, &genuine).0, 401);
    let stale = send_trtc(&trtc_url, &["--command", "1-104", "--keep-time"]);
    assert!(!stale.status.success());
    assert!(
        text(&stale.stdout).starts_with("HTTP 401"),
        "{}",
        text(&stale.stdout)
    );
    // A Live signature on the TRTC path is not a TRTC one.
    assert_eq!(post(&trtc_url, &body, &"0".repeat(64)).0, 401);
    serving.no_more_stdout();

    // A genuine one posted directly: its line.
    let (status, answer) = post(&trtc_url, &body, &genuine);
    assert_eq!((status, answer.as_str()), (200, r#"{"code":0}"#));
    assert_eq!(serving.next_line()["event"]["EventInfo"]["UserId"], "u1");
    let stderr: Vec<String> = serving.stderr.try_iter().collect();
    assert!(
        stderr
            .iter()
            .any(|line| line.contains("refused TRTC callback")),
        "{stderr:?}"
    );
    assert!(!stderr.join("\n").contains(KEY));
    assert!(serving.terminate().success());
}

#[test]
fn trtc_and_live_on_one_server_with_actix() {
    trtc_and_live_on_one_server("actix");
}

#[test]
fn trtc_and_live_on_one_server_with_warp() {
    trtc_and_live_on_one_server("warp");
}

#[test]
fn trtc_and_live_on_one_server_with_axum() {
    trtc_and_live_on_one_server("axum");
}

fn acking(request: &Seen) -> (String, String) {
    if request.target.starts_with("/trtc") {
        ("200 OK".into(), r#"{"code":0}"#.into())
    } else {
        (
            "200 OK".into(),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#.into(),
        )
    }
}

#[test]
fn forwarded_to_the_app_with_a_sign_that_verifies_over_the_same_bytes() {
    let app = App::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), acking);
    let forward = format!("http://{}/hook", app.address);
    for framework in FRAMEWORKS {
        let serving = serve(&["--framework", framework, "--forward-to", &forward]);
        let body = entered(framework, now_ms());
        let sign = Key::new(KEY).unwrap().sign(&body);
        let (status, answer) = post(&format!("{}/trtc", serving.url), &body, &sign);
        assert_eq!(
            (status, answer.as_str()),
            (200, r#"{"code":0}"#),
            "{framework}"
        );
        let seen = app.next();
        // The --forward-to URL with its path replaced by the TRTC path.
        assert_eq!(seen.target, "/trtc");
        assert_eq!(seen.body, body);
        let verifier = Verifier::new().app(APP.parse().unwrap(), [Key::new(KEY).unwrap()]);
        let verified = verifier.verify(
            seen.header("sdkappid").map(str::as_bytes),
            seen.header("sign").map(str::as_bytes),
            &seen.body,
            now_ms(),
        );
        assert!(verified.is_ok(), "{framework}: {verified:?}");
        let line = serving.next_line();
        assert_eq!(line["forward"]["status"], 200, "{line}");
    }
    // The app down: 502, so that Tencent tries again.
    let down = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = down.local_addr().unwrap();
    drop(down);
    let serving = serve(&["--forward-to", &format!("http://{address}/hook")]);
    let body = entered("x", now_ms());
    let sign = Key::new(KEY).unwrap().sign(&body);
    assert_eq!(post(&format!("{}/trtc", serving.url), &body, &sign).0, 502);
}

#[test]
fn spooled_once_per_event_and_delivered_signed() {
    let dir = TempDir::new("trtc");
    let spool = dir.join("spool.db");
    let app = App::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), acking);
    let forward = format!("http://{}/hook", app.address);
    let serving = serve(&[
        "--spool",
        spool.to_str().unwrap(),
        "--forward-to",
        &forward,
        "--trtc-forward-to",
        &format!("http://{}/trtc-app", app.address),
        "--retry-schedule",
        "100ms",
    ]);
    let url = format!("{}/trtc", serving.url);
    let key = Key::new(KEY).unwrap();
    // Tencent's retry: the same event, a later send time, so other bytes and another Sign.
    let first = entered("same", now_ms());
    let retry = entered("same", now_ms() + 10_000);
    assert_ne!(first, retry);
    assert_eq!(post(&url, &first, &key.sign(&first)).0, 200);
    assert_eq!(post(&url, &retry, &key.sign(&retry)).0, 200);
    let lines = [serving.next_line(), serving.next_line()];
    assert_eq!(lines[0]["spool"]["duplicate"], false, "{}", lines[0]);
    assert_eq!(lines[1]["spool"]["duplicate"], true, "{}", lines[1]);
    assert_eq!(lines[0]["spool"]["id"], lines[1]["spool"]["id"]);
    let seen = app.next();
    app.nothing_more();
    assert_eq!(seen.target, "/trtc-app");
    assert_eq!(seen.body, first);
    assert_eq!(seen.header("sign"), Some(key.sign(&first).as_str()));
    assert_eq!(seen.header("sdkappid"), Some(APP));
    assert_eq!(
        seen.header("live-webhook-id"),
        lines[0]["spool"]["id"].as_str()
    );
    let listed = run(&[
        "spool",
        "--spool",
        spool.to_str().unwrap(),
        "list",
        "--format",
        "json",
    ]);
    assert!(
        text(&listed.stdout).contains("trtc:1:103"),
        "{}",
        text(&listed.stdout)
    );
    drop(serving);
}

#[test]
fn samples_verify_and_keys_from_the_command_line() {
    let listed = run(&["samples", "--trtc"]);
    assert!(listed.status.success());
    assert_eq!(text(&listed.stdout).lines().count(), 43);
    // Printed exactly as documented: tabs, newlines, no final newline when piped.
    let vector = run(&["samples", "--trtc", "2-204-signature-vector"]);
    let body = vector.stdout;
    assert!(body.starts_with(b"{\n\t\"EventGroupId\":\t2,"));
    assert!(body.ends_with(b"}"));
    let file = TempFile::new("trtc-vector.json", &body);
    let documented = "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=";
    let check = |key: &str, path: &str| {
        run(&[
            "verify",
            "--trtc",
            "--sdkappid",
            APP,
            "--trtc-key",
            key,
            "--body",
            path,
            "--sign",
            documented,
        ])
    };
    let verified = check("123654", file.path());
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    let line: Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(line["event"]["EventInfo"]["UserId"], "user_85034614");
    // The body with literal \n, as copied from the web page: refused, with a hint.
    let literal = body
        .iter()
        .flat_map(|byte| match byte {
            b'\n' => b"\\n".to_vec(),
            b'\t' => b"\\t".to_vec(),
            other => vec![*other],
        })
        .collect::<Vec<u8>>();
    let copied = TempFile::new("trtc-literal.json", &literal);
    let refused = check("123654", copied.path());
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("hint: the Sign covers the body's exact bytes"));
    // A key the console would not take: refused at once, without echoing it.
    let long = "k".repeat(33);
    let too_long = check(&long, file.path());
    assert_eq!(too_long.status.code(), Some(2));
    assert!(
        text(&too_long.stderr).contains("33 characters"),
        "{}",
        text(&too_long.stderr)
    );
    assert!(!text(&too_long.stderr).contains(&long));
    let served = live_webhook()
        .args([
            "serve",
            "--sdkappid",
            APP,
            "--token",
            TOKEN,
            "--trtc-key",
            "not-alnum!",
        ])
        .output()
        .unwrap();
    assert_eq!(served.status.code(), Some(2));
    assert!(!text(&served.stderr).contains("not-alnum!"));
}

#[test]
fn a_dedup_window_shorter_than_the_trtc_replay_window_is_warned_about() {
    let directory = TempDir::new("trtc-dedup");
    let spool = directory.join("spool.db");
    let spool = spool.to_str().unwrap();
    let warning = "--dedup-window is shorter than --trtc-max-age";
    let stderr_of = |window: &str| {
        let serving = serve(&[
            "--spool",
            spool,
            "--forward-to",
            "http://127.0.0.1:9/hook",
            "--dedup-window",
            window,
        ]);
        serving.early.join("\n")
    };
    assert!(stderr_of("1m").contains(warning));
    assert!(!stderr_of("10m").contains(warning));
}
