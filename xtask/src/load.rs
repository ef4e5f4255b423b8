//! `cargo xtask load`: `live-webhook serve` under load on loopback, against two baselines
//! measured in the same run: a bare actix-web server that acks without verifying, and the
//! receiver a user writes by hand (crates/benchmarks/src/bin). Each server is pinned to
//! core 0 and `wrk` (Debian package `wrk`) to core 1; the servers take turns, three rounds,
//! and the median of each is compared. Loopback only; bounded in time.

use std::net::TcpStream;
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tencent_live_webhook::{Command as LiveCommand, Token, signed_query};

/// The benchmarks' app and token (crates/benchmarks/src/inputs.rs).
const APP: u64 = 1_400_000_000;
const TOKEN: &str = "a-token-of-realistic-length-0123456789";
const SECONDS: &str = "5s";
const CONNECTIONS: &str = "16";
const ROUNDS: usize = 3;
const SAMPLE: &str =
    "crates/tencent-live-webhook/testdata/samples/Live.CallbackAfterDestroyRoom.json";

struct Contender {
    name: &'static str,
    program: &'static str,
    args: Vec<String>,
}

pub(crate) fn run() -> ExitCode {
    for (tool, package) in [("wrk", "wrk"), ("taskset", "util-linux")] {
        if Command::new(tool).arg("--version").output().is_err() {
            eprintln!("{tool} is needed: apt-get install {package}");
            return ExitCode::FAILURE;
        }
    }
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
    if !matches!(built, Ok(status) if status.success()) {
        return ExitCode::FAILURE;
    }
    let script = std::env::temp_dir().join("live-webhook-load.lua");
    let lua = format!(
        "wrk.method = \"POST\"\nlocal file = io.open(\"{SAMPLE}\", \"rb\")\nwrk.body = file:read(\"*all\")\nfile:close()\n"
    );
    if std::fs::write(&script, lua).is_err() {
        return ExitCode::FAILURE;
    }
    let address = "127.0.0.1:18090";
    let serve = |framework: &str| {
        vec![
            "serve".into(),
            "--sdkappid".into(),
            APP.to_string(),
            "--token".into(),
            TOKEN.into(),
            "--listen".into(),
            address.into(),
            "--framework".into(),
            framework.into(),
        ]
    };
    let contenders = [
        Contender {
            name: "bare actix-web (acks, verifies nothing)",
            program: "target/release/bare-server",
            args: vec![address.into()],
        },
        Contender {
            name: "hand-written receiver",
            program: "target/release/hand-server",
            args: vec![address.into()],
        },
        Contender {
            name: "live-webhook serve (actix)",
            program: "target/release/live-webhook",
            args: serve("actix"),
        },
        Contender {
            name: "live-webhook serve (warp)",
            program: "target/release/live-webhook",
            args: serve("warp"),
        },
        Contender {
            name: "live-webhook serve (axum)",
            program: "target/release/live-webhook",
            args: serve("axum"),
        },
    ];
    let mut results: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
    for round in 1..=ROUNDS {
        for (index, contender) in contenders.iter().enumerate() {
            match measure(contender, address, &script.to_string_lossy()) {
                Ok(rate) => {
                    println!("round {round}: {}: {rate:.0} requests/s", contender.name);
                    results[index].push(rate);
                }
                Err(error) => {
                    eprintln!("{}: {error}", contender.name);
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let medians: Vec<f64> = results.iter_mut().map(|rates| median(rates)).collect();
    let (bare, hand) = (medians[0], medians[1]);
    println!("\n| server | requests/s (median of {ROUNDS}) | ÷ bare actix-web | ÷ hand-written |");
    println!("|---|---|---|---|");
    for (contender, rate) in contenders.iter().zip(&medians) {
        println!(
            "| {} | {rate:.0} | {:.2} | {:.2} |",
            contender.name,
            rate / bare,
            rate / hand
        );
    }
    ExitCode::SUCCESS
}

fn median(rates: &mut [f64]) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates.get(rates.len() / 2).copied().unwrap_or(0.0)
}

/// Starts the server on core 0, loads it from core 1, stops it; requests per second.
fn measure(contender: &Contender, address: &str, script: &str) -> Result<f64, String> {
    let mut server = Command::new("taskset")
        .args(["-c", "0", contender.program])
        .args(&contender.args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot start: {error}"))?;
    let result = load(&mut server, address, script);
    let _ = server.kill();
    let _ = server.wait();
    // The port is free again before the next server binds it.
    thread::sleep(Duration::from_millis(200));
    result
}

fn load(server: &mut Child, address: &str, script: &str) -> Result<f64, String> {
    let started = Instant::now();
    while TcpStream::connect(address).is_err() {
        if started.elapsed() > Duration::from_secs(10) || matches!(server.try_wait(), Ok(Some(_))) {
            return Err("did not start listening".into());
        }
        thread::sleep(Duration::from_millis(20));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
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
            CONNECTIONS,
            "-d",
            SECONDS,
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
    text.lines()
        .find_map(|line| line.strip_prefix("Requests/sec:"))
        .and_then(|rate| rate.trim().parse().ok())
        .ok_or_else(|| format!("no rate in wrk's report:\n{text}"))
}
