//! What the load commands share: the benchmarks' app and token, building the servers,
//! starting `serve` pinned to a core, waiting for a listener, running `wrk` and reading
//! its report, reading the admin listener's metrics.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use tencent_live_webhook::{Command as LiveCommand, Token, signed_query};

/// The benchmarks' app and token (crates/benchmarks/src/inputs.rs).
pub(crate) const APP: u64 = 1_400_000_000;

pub(crate) const TOKEN: &str = "a-token-of-realistic-length-0123456789";

/// Builds `live-webhook` and the baseline servers, optimized; whether it worked.
pub(crate) fn build_servers() -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--locked",
            "-p",
            "tencent-live-webhook-cli",
        ])
        .args(["-p", "tencent-live-webhook-benchmarks", "--bins"])
        .status();
    matches!(built, Ok(status) if status.success())
}

pub(crate) fn median(rates: &mut [f64]) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates.get(rates.len() / 2).copied().unwrap_or(0.0)
}

/// Requests per second, from wrk's report.
pub(crate) fn wrk_rate(report: &str) -> Result<f64, String> {
    report
        .lines()
        .find_map(|line| line.strip_prefix("Requests/sec:"))
        .and_then(|rate| rate.trim().parse().ok())
        .ok_or_else(|| format!("no rate in wrk's report:\n{report}"))
}

/// How many requests were answered, from wrk's report.
pub(crate) fn wrk_requests(report: &str) -> Result<f64, String> {
    report
        .lines()
        .find(|line| line.contains("requests in"))
        .and_then(|line| line.split_whitespace().next())
        .and_then(|count| count.parse().ok())
        .filter(|count: &f64| *count > 0.0)
        .ok_or_else(|| format!("no request count in wrk's report:\n{report}"))
}

pub(crate) fn wait_listening(
    server: &mut Child,
    address: &str,
    limit: Duration,
) -> Result<(), String> {
    let started = Instant::now();
    while TcpStream::connect(address).is_err() {
        if started.elapsed() > limit || matches!(server.try_wait(), Ok(Some(_))) {
            return Err("did not start listening".into());
        }
        thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// One wrk run from core 1 with freshly signed webhooks; wrk's report, refused if any
/// answer was not 200.
pub(crate) fn wrk(
    address: &str,
    script: &str,
    connections: &str,
    seconds: &str,
) -> Result<String, String> {
    let now = crate::reliability::unix_now();
    let token = Token::new(TOKEN).map_err(|error| error.to_string())?;
    let url = format!(
        "http://{address}/live?{}",
        signed_query(APP, &LiveCommand::AfterDestroyRoom, &token, now)
    );
    let report = Command::new("taskset")
        .args([
            "-c",
            "1",
            "wrk",
            "-t1",
            "-c",
            connections,
            "-d",
            seconds,
            "-s",
            script,
            &url,
        ])
        .output()
        .map_err(|error| error.to_string())?;
    let text = String::from_utf8_lossy(&report.stdout);
    if text.contains("Non-2xx") {
        return Err(format!("some answers were not 200:\n{text}"));
    }
    Ok(text.into_owned())
}

/// A wrk script in which every request is a new webhook: a counter in the body, 64 rooms.
pub(crate) const UNIQUE_LUA: &str = r#"wrk.method = "POST"
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"room' .. (counter % 64) .. '","EventTime":' .. counter .. '}'
  return wrk.format(nil, nil, nil, body)
end
"#;

/// `live-webhook serve` (actix) on core 0, listening on `listen`, with the benchmark's app
/// and token and `extra`.
pub(crate) fn serve_pinned(listen: &str, extra: &[&str]) -> Result<Child, String> {
    let mut args = vec![
        "serve",
        "--sdkappid",
        "1400000000",
        "--token",
        TOKEN,
        "--listen",
        listen,
        "--framework",
        "actix",
    ];
    args.extend_from_slice(extra);
    pinned("0", &crate::target_path("release/live-webhook"), &args)
}

pub(crate) fn pinned(core: &str, program: &str, args: &[&str]) -> Result<Child, String> {
    Command::new("taskset")
        .args(["-c", core, program])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot start {program}: {error}"))
}

/// A GET over plain HTTP/1.0: the body.
pub(crate) fn get(address: &str, path: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(address).map_err(|error| error.to_string())?;
    stream
        .write_all(format!("GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").as_bytes())
        .map_err(|error| error.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|error| error.to_string())?;
    Ok(answer
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, body)| body.to_owned()))
}

/// The value of the sample named `name` (with its labels) in Prometheus text; 0 if absent.
pub(crate) fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0.0)
}
