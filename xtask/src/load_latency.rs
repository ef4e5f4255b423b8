//! `cargo xtask load --latency`: what `serve --forward-to` adds to a blocking callback's
//! round trip. A `Live.CallbackBeforeSendGift` from 8 concurrent senders (wrk pinned to
//! core 1; each sender waits 1 ms after each answer, so the load stays far below what one
//! core takes and the figures are round trips, not queues) goes straight to an app that
//! answers at once (the bare server), then through `serve --forward-to` that app, then the
//! same with `--spool` on (which must not delay a blocking callback); app and `serve`
//! share core 0. Three alternated rounds; the median of each percentile.

use std::process::{Child, Command, ExitCode};
use std::thread;
use std::time::Duration;

use tencent_live_webhook::{Command as LiveCommand, Token, signed_query};

use crate::harness::{APP, TOKEN, build_servers, median, pinned, serve_pinned, wait_listening};

const SECONDS: &str = "5s";
const SENDERS: &str = "8";
const ROUNDS: usize = 3;
const APP_ADDRESS: &str = "127.0.0.1:18095";
const SERVE_ADDRESS: &str = "127.0.0.1:18096";
const GIFT: &str = "crates/tencent-live-webhook/testdata/samples/Live.CallbackBeforeSendGift.json";

/// wrk prints the percentiles (microseconds) and the count of answers that were not 200.
const LUA: &str = r#"wrk.method = "POST"
local file = io.open("GIFT", "rb")
wrk.body = file:read("*all")
file:close()
delay = function()
  return 1
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %d\np99 %d\np999 %d\nrequests %d\nbad %d\n",
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"#;

/// One way the gift travels.
#[derive(Clone, Copy)]
enum Path {
    Direct,
    Serve,
    ServeWithSpool,
}

impl Path {
    fn name(self) -> &'static str {
        match self {
            Path::Direct => "straight to the app",
            Path::Serve => "through serve --forward-to",
            Path::ServeWithSpool => "through serve --forward-to --spool",
        }
    }
}

/// Percentiles of one run, microseconds.
struct Latency {
    p50: f64,
    p99: f64,
    p999: f64,
}

pub(crate) fn run() -> ExitCode {
    for (tool, package) in [("wrk", "wrk"), ("taskset", "util-linux")] {
        if Command::new(tool).arg("--version").output().is_err() {
            eprintln!("{tool} is needed: apt-get install {package}");
            return ExitCode::FAILURE;
        }
    }
    if !build_servers() {
        return ExitCode::FAILURE;
    }
    let script = std::env::temp_dir().join("live-webhook-latency.lua");
    if std::fs::write(&script, LUA.replace("GIFT", GIFT)).is_err() {
        return ExitCode::FAILURE;
    }
    let script = script.to_string_lossy().into_owned();
    let paths = [Path::Direct, Path::Serve, Path::ServeWithSpool];
    let mut runs: Vec<Vec<Latency>> = paths.iter().map(|_| Vec::new()).collect();
    for round in 1..=ROUNDS {
        for (index, path) in paths.iter().enumerate() {
            match measure(*path, &script) {
                Ok(latency) => {
                    println!(
                        "round {round}: {}: p50 {:.0} µs, p99 {:.0} µs, p99.9 {:.0} µs",
                        path.name(),
                        latency.p50,
                        latency.p99,
                        latency.p999
                    );
                    runs[index].push(latency);
                }
                Err(error) => {
                    eprintln!("{}: {error}", path.name());
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let medians: Vec<Latency> = runs
        .iter()
        .map(|latencies| Latency {
            p50: median(&mut latencies.iter().map(|l| l.p50).collect::<Vec<_>>()),
            p99: median(&mut latencies.iter().map(|l| l.p99).collect::<Vec<_>>()),
            p999: median(&mut latencies.iter().map(|l| l.p999).collect::<Vec<_>>()),
        })
        .collect();
    let direct = medians[0].p99;
    println!(
        "\n| {SENDERS} senders, a gift each at a time | p50 µs | p99 µs | p99.9 µs | p99 − direct p99 |"
    );
    println!("|---|---|---|---|---|");
    for (path, latency) in paths.iter().zip(&medians) {
        println!(
            "| {} | {:.0} | {:.0} | {:.0} | {:+.0} µs |",
            path.name(),
            latency.p50,
            latency.p99,
            latency.p999,
            latency.p99 - direct
        );
    }
    let added = medians[1..]
        .iter()
        .map(|latency| latency.p99 - direct)
        .fold(f64::MIN, f64::max);
    println!(
        "\nserve adds at most {:.2} ms to a blocking callback's p99 (target: at most 1 ms)",
        added / 1000.0
    );
    ExitCode::SUCCESS
}

fn measure(path: Path, script: &str) -> Result<Latency, String> {
    let app = pinned(
        "0",
        &crate::target_path("release/bare-server"),
        &[APP_ADDRESS],
    )?;
    let mut started = vec![app];
    let result = (|| {
        wait_listening(&mut started[0], APP_ADDRESS, Duration::from_secs(10))?;
        let target = match path {
            Path::Direct => APP_ADDRESS,
            Path::Serve | Path::ServeWithSpool => {
                let forward = format!("http://{APP_ADDRESS}/gift");
                let spool = std::env::temp_dir()
                    .join(format!("live-webhook-latency-{}.db", std::process::id()));
                let _ = std::fs::remove_file(&spool);
                let spool = spool.to_string_lossy().into_owned();
                let mut extra = vec!["--forward-to", forward.as_str()];
                if matches!(path, Path::ServeWithSpool) {
                    extra.extend(["--spool", spool.as_str()]);
                }
                started.push(serve_pinned(SERVE_ADDRESS, &extra)?);
                let serve = started.last_mut().ok_or("no serve")?;
                wait_listening(serve, SERVE_ADDRESS, Duration::from_secs(10))?;
                SERVE_ADDRESS
            }
        };
        send(target, script)
    })();
    for mut child in started {
        stop(&mut child);
    }
    thread::sleep(Duration::from_millis(200));
    result
}

fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// One wrk run of gifts, signed afresh, from core 1.
fn send(address: &str, script: &str) -> Result<Latency, String> {
    let token = Token::new(TOKEN).map_err(|error| error.to_string())?;
    let query = signed_query(
        APP,
        &LiveCommand::BeforeSendGift,
        &token,
        crate::reliability::unix_now(),
    );
    let url = format!("http://{address}/live?{query}");
    let report = Command::new("taskset")
        .args([
            "-c", "1", "wrk", "-t1", "-c", SENDERS, "-d", SECONDS, "-s", script, &url,
        ])
        .output()
        .map_err(|error| error.to_string())?;
    let text = String::from_utf8_lossy(&report.stdout);
    let value = |name: &str| -> Result<f64, String> {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
            .and_then(|value| value.trim().parse().ok())
            .ok_or_else(|| format!("no {name} in wrk's report:\n{text}"))
    };
    if value("bad")? > 0.0 || value("requests")? == 0.0 {
        return Err(format!("not every gift was answered 200:\n{text}"));
    }
    Ok(Latency {
        p50: value("p50")?,
        p99: value("p99")?,
        p999: value("p999")?,
    })
}
