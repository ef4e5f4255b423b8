//! `cargo xtask load`: a bounded load run against `live-webhook serve` on loopback.
//!
//! Starts the release binary once per framework, sends signed samples from several
//! threads over keep-alive connections, and reports throughput and the server's peak
//! resident memory (from `/proc`). Loopback only; bounded in requests and in time.

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tencent_live_webhook::{Command as LiveCommand, Token, samples, signed_query};

const THREADS: usize = 4;
const REQUESTS_PER_THREAD: usize = 5_000;
const TIME_LIMIT: Duration = Duration::from_secs(60);
const APP: u64 = 1_400_000_000;
const TOKEN: &str = "load-run-token";

struct Outcome {
    sent: usize,
    failed: usize,
    elapsed: Duration,
    peak_rss_kib: Option<u64>,
}

#[allow(clippy::cast_precision_loss)] // request counts and KiB are far below 2^52
pub(crate) fn run() -> ExitCode {
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
    println!("| framework | requests | failed | seconds | requests/s | server peak RSS |");
    println!("|---|---|---|---|---|---|");
    let mut ok = true;
    for framework in ["actix", "warp"] {
        if let Some(outcome) = load(framework) {
            let seconds = outcome.elapsed.as_secs_f64();
            let rate = outcome.sent as f64 / seconds;
            let rss = outcome.peak_rss_kib.map_or_else(
                || "-".into(),
                |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
            );
            println!(
                "| {framework} | {} | {} | {seconds:.2} | {rate:.0} | {rss} |",
                outcome.sent, outcome.failed
            );
            ok &= outcome.failed == 0;
        } else {
            eprintln!("load run against {framework} did not complete");
            ok = false;
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn load(framework: &str) -> Option<Outcome> {
    let mut server = Command::new("target/release/live-webhook")
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
        .ok()?;
    let mut ready = String::new();
    BufReader::new(server.stderr.take()?)
        .read_line(&mut ready)
        .ok()?;
    let address = ready.trim().strip_prefix("listening on ")?.to_owned();

    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    let token = Token::new(TOKEN).ok()?;
    let url = format!(
        "{address}/live?{}",
        signed_query(APP, &LiveCommand::AfterDestroyRoom, &token, now)
    );
    let body = samples::body_for(LiveCommand::AfterDestroyRoom)?;
    let started = Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let url = url.clone();
            thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(10)))
                    .build()
                    .into();
                let (mut sent, mut failed) = (0, 0);
                while sent < REQUESTS_PER_THREAD && started.elapsed() < TIME_LIMIT {
                    let answer = agent.post(&url).send(body);
                    sent += 1;
                    if !matches!(answer, Ok(response) if response.status() == 200) {
                        failed += 1;
                    }
                }
                (sent, failed)
            })
        })
        .collect();
    let (mut sent, mut failed) = (0, 0);
    for worker in workers {
        let (worker_sent, worker_failed) = worker.join().ok()?;
        sent += worker_sent;
        failed += worker_failed;
    }
    let elapsed = started.elapsed();
    let peak_rss_kib = std::fs::read_to_string(format!("/proc/{}/status", server.id()))
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        });
    let _ = server.kill();
    let _ = server.wait();
    Some(Outcome {
        sent,
        failed,
        elapsed,
        peak_rss_kib,
    })
}
