//! `cargo xtask load`: a bounded load run against `live-webhook serve` on loopback.
//!
//! Starts the release binary once per framework and drives it with `wrk` (Debian package
//! `wrk`) for a fixed time: signed `Live.CallbackAfterDestroyRoom` samples over keep-alive
//! connections. Reports wrk's throughput and latency and the server's peak resident memory.
//! Loopback only; bounded in time.

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use tencent_live_webhook::{Command as LiveCommand, Token, signed_query};

const APP: u64 = 1_400_000_000;
const TOKEN: &str = "load-run-token";
/// Well inside the 60 s signature window, since every request reuses one signed URL.
const SECONDS: &str = "10s";
const CONNECTIONS: &str = "8";

const POST_SCRIPT: &str = r#"wrk.method = "POST"
local file = io.open("crates/tencent-live-webhook/testdata/samples/Live.CallbackAfterDestroyRoom.json", "rb")
wrk.body = file:read("*all")
file:close()
"#;

pub(crate) fn run() -> ExitCode {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("wrk is needed: apt-get install wrk");
        return ExitCode::FAILURE;
    }
    let built = Command::new("cargo")
        .args([
            "build",
            "--release",
            "--locked",
            "-p",
            "tencent-live-webhook-cli",
        ])
        .status();
    if !matches!(built, Ok(status) if status.success()) {
        return ExitCode::FAILURE;
    }
    let script = std::env::temp_dir().join("live-webhook-load.lua");
    if std::fs::write(&script, POST_SCRIPT).is_err() {
        return ExitCode::FAILURE;
    }
    let mut ok = true;
    for framework in ["actix", "warp", "axum"] {
        ok &= load(framework, &script.to_string_lossy());
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn load(framework: &str, script: &str) -> bool {
    let Ok(mut server) = Command::new("target/release/live-webhook")
        .args([
            "serve",
            "--sdkappid",
            "1400000000",
            "--token",
            TOKEN,
            "--listen",
            "127.0.0.1:0",
        ])
        .args(["--framework", framework])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return false;
    };
    let mut ready = String::new();
    if let Some(stderr) = server.stderr.take() {
        let _ = BufReader::new(stderr).read_line(&mut ready);
    }
    let Some(address) = ready.trim().strip_prefix("listening on ") else {
        let _ = server.kill();
        return false;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let Ok(token) = Token::new(TOKEN) else {
        return false;
    };
    let url = format!(
        "{address}/live?{}",
        signed_query(APP, &LiveCommand::AfterDestroyRoom, &token, now)
    );
    println!("==> {framework}: wrk -t2 -c{CONNECTIONS} -d{SECONDS}");
    let report = Command::new("wrk")
        .args([
            "-t2",
            "-c",
            CONNECTIONS,
            "-d",
            SECONDS,
            "--latency",
            "-s",
            script,
            &url,
        ])
        .output();
    let peak = std::fs::read_to_string(format!("/proc/{}/status", server.id()))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .map(str::to_owned)
        });
    let _ = server.kill();
    let _ = server.wait();
    let Ok(report) = report else { return false };
    let text = String::from_utf8_lossy(&report.stdout);
    for line in text.lines().filter(|line| {
        [
            "Latency",
            "Requests/sec",
            "requests in",
            "Non-2xx",
            "50%",
            "99%",
        ]
        .iter()
        .any(|key| line.contains(key))
    }) {
        println!("    {}", line.trim());
    }
    println!(
        "    server peak RSS: {}",
        peak.as_deref()
            .unwrap_or("-")
            .trim_start_matches("VmHWM:")
            .trim()
    );
    // Every answer must have been a 200: wrk reports the others.
    report.status.success() && !text.contains("Non-2xx")
}
