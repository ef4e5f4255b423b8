//! `cargo xtask reliability`: the receiver against hostile and heavy clients, over raw
//! sockets on loopback, on every framework. Bounded in time; nothing leaves the machine.
//!
//! - the bad-input matrix (`--fast` runs only this, as CI does);
//! - 2,000 slow connections held while genuine webhooks must be answered within 1 s;
//! - a soak of 100,000 signed webhooks over 64 keep-alive connections;
//! - SIGTERM under load: nothing acknowledged is missing from the output.

mod http;
mod matrix;
mod server;
mod stress;

use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use server::Server;

const FRAMEWORKS: [&str; 3] = ["actix", "warp", "axum"];
const SLOW_CONNECTIONS: usize = 2000;
const SOAK_WEBHOOKS: usize = 100_000;
const SOAK_CONNECTIONS: usize = 64;
const SOAK_WARM_UP: u64 = 10_000;

/// Now, Unix seconds: the workspace's one system clock.
pub(crate) fn unix_now() -> u64 {
    tencent_live_webhook_spool::system_clock_ms() / 1000
}

pub(crate) fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|arg| arg == "--list") {
        for row in matrix::list() {
            println!("{row}");
        }
        return ExitCode::SUCCESS;
    }
    let fast = args.iter().any(|arg| arg == "--fast");
    let only = args
        .iter()
        .position(|arg| arg == "--framework")
        .and_then(|at| args.get(at + 1));
    let frameworks: Vec<&str> = FRAMEWORKS
        .into_iter()
        .filter(|name| only.is_none_or(|only| only == name))
        .collect();
    let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    build.args(["build", "--locked", "-p", "tencent-live-webhook-cli"]);
    if !fast {
        build.arg("--release");
    }
    if !matches!(build.status(), Ok(status) if status.success()) {
        return ExitCode::FAILURE;
    }
    let binary = crate::target_path(if fast {
        "debug/live-webhook"
    } else {
        "release/live-webhook"
    });
    let binary = binary.as_str();
    // 2,000 slow connections need as many descriptors here as in the server.
    #[cfg(unix)]
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    println!("matrix: {} rows per framework", matrix::count());
    let mut failures = Vec::new();
    for framework in &frameworks {
        failures.extend(run_matrix(binary, framework));
        if !fast {
            failures.extend(run_slow_clients(binary, framework));
            failures.extend(run_soak(binary, framework));
            failures.extend(run_sigterm(binary, framework));
        }
    }
    if failures.is_empty() {
        println!("reliability: all passed");
        ExitCode::SUCCESS
    } else {
        for failure in &failures {
            println!("FAILED {failure}");
        }
        ExitCode::FAILURE
    }
}

fn run_matrix(binary: &str, framework: &str) -> Vec<String> {
    let started = Instant::now();
    let server = match Server::start(binary, framework, matrix::SERVER_ARGS) {
        Ok(server) => server,
        Err(error) => return vec![error],
    };
    let failures = matrix::run(&server, framework);
    println!(
        "{framework}: matrix {} rows, {} failed, {:.1} s",
        matrix::count(),
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    failures
}

fn run_slow_clients(binary: &str, framework: &str) -> Vec<String> {
    let server = match Server::start(binary, framework, &[]) {
        Ok(server) => server,
        Err(error) => return vec![error],
    };
    // Past the 5 s head and 10 s body deadlines, so every slow connection must be gone.
    match stress::slow_clients(
        &server,
        SLOW_CONNECTIONS,
        Duration::from_secs(12),
        Duration::from_secs(1),
    ) {
        Ok(report) => {
            println!(
                "{framework}: {} slow connections held 12 s; slowest genuine webhook {:.0} ms; {} closed by the server's deadlines",
                report.held,
                report.slowest_genuine.as_secs_f64() * 1000.0,
                report.closed_by_server
            );
            if report.closed_by_server == report.held {
                Vec::new()
            } else {
                vec![format!(
                    "{framework}: {} of {} slow connections still open after the deadlines",
                    report.held - report.closed_by_server,
                    report.held
                )]
            }
        }
        Err(error) => vec![format!("{framework}: slow clients: {error}")],
    }
}

fn run_soak(binary: &str, framework: &str) -> Vec<String> {
    let server = match Server::start(binary, framework, &[]) {
        Ok(server) => server,
        Err(error) => return vec![error],
    };
    let stop = AtomicBool::new(false);
    let answered = AtomicU64::new(0);
    let started = Instant::now();
    let mut warm_rss = None;
    let acked = thread::scope(|scope| {
        let sender = scope.spawn(|| {
            stress::webhooks(
                &server.address,
                SOAK_WEBHOOKS,
                SOAK_CONNECTIONS,
                "soak",
                &stop,
                &answered,
            )
        });
        while !sender.is_finished() {
            if warm_rss.is_none() && answered.load(Ordering::Relaxed) >= SOAK_WARM_UP {
                warm_rss = server.rss_kb();
            }
            thread::sleep(Duration::from_millis(20));
        }
        sender.join().unwrap_or_default()
    });
    let elapsed = started.elapsed();
    // Every acknowledged line must be out before counting.
    let last = format!("\"soak-{}\"", SOAK_WEBHOOKS - 1);
    let _ = server
        .stdout
        .wait_for(Duration::from_secs(30), |line| line.contains(&last));
    thread::sleep(Duration::from_millis(500));
    let end_rss = server.rss_kb();
    let mut failures = Vec::new();
    match stress::printed_ids(&server) {
        Ok(seen) => {
            let missing = acked.iter().filter(|id| !seen.contains_key(*id)).count();
            let twice = seen.values().filter(|count| **count > 1).count();
            if acked.len() != SOAK_WEBHOOKS
                || missing > 0
                || twice > 0
                || seen.len() != SOAK_WEBHOOKS
            {
                failures.push(format!(
                    "{framework}: soak: {} acknowledged of {SOAK_WEBHOOKS}, {} printed, {missing} missing, {twice} printed twice",
                    acked.len(),
                    seen.len()
                ));
            }
        }
        Err(error) => failures.push(format!("{framework}: soak: {error}")),
    }
    let ratio = match (warm_rss, end_rss) {
        (Some(warm), Some(end)) if warm > 0 => {
            #[allow(clippy::cast_precision_loss)] // kB counts far below 2^52
            let ratio = end as f64 / warm as f64;
            if ratio > 1.5 {
                failures.push(format!(
                    "{framework}: soak: RSS grew {ratio:.2}x after warm-up ({warm} kB -> {end} kB)"
                ));
            }
            format!("RSS {warm} kB after warm-up, {end} kB at the end ({ratio:.2}x)")
        }
        _ => {
            failures.push(format!("{framework}: soak: RSS not measured"));
            "RSS not measured".into()
        }
    };
    println!(
        "{framework}: soak {} webhooks over {SOAK_CONNECTIONS} connections in {:.1} s, each printed once; {ratio}",
        acked.len(),
        elapsed.as_secs_f64()
    );
    failures
}

fn run_sigterm(binary: &str, framework: &str) -> Vec<String> {
    let mut server = match Server::start(binary, framework, &["--shutdown-timeout", "5s"]) {
        Ok(server) => server,
        Err(error) => return vec![error],
    };
    let stop = AtomicBool::new(false);
    let answered = AtomicU64::new(0);
    let address = server.address.clone();
    let mut exit = None;
    let mut took = Duration::ZERO;
    let acked = thread::scope(|scope| {
        let sender =
            scope.spawn(|| stress::webhooks(&address, usize::MAX, 16, "term", &stop, &answered));
        // Under load for a moment, then the signal.
        let deadline = Instant::now() + Duration::from_secs(5);
        while answered.load(Ordering::Relaxed) < 2_000 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        let signalled = Instant::now();
        server.terminate();
        exit = server.wait(Duration::from_secs(15));
        took = signalled.elapsed();
        stop.store(true, Ordering::Relaxed);
        sender.join().unwrap_or_default()
    });
    let mut failures = Vec::new();
    if acked.len() < 2_000 {
        failures.push(format!(
            "{framework}: SIGTERM under load: only {} webhooks acknowledged before the signal",
            acked.len()
        ));
    }
    if !exit.is_some_and(|status| status.success()) {
        failures.push(format!(
            "{framework}: SIGTERM under load: exit {exit:?} after {took:?}"
        ));
    }
    // The process has exited: its output is complete once the reader has drained it.
    thread::sleep(Duration::from_millis(300));
    match stress::printed_ids(&server) {
        Ok(seen) => {
            let missing: Vec<&String> = acked.iter().filter(|id| !seen.contains_key(*id)).collect();
            if !missing.is_empty() {
                failures.push(format!(
                    "{framework}: SIGTERM under load: {} acknowledged webhooks missing from the output (first {})",
                    missing.len(),
                    missing[0]
                ));
            }
        }
        Err(error) => failures.push(format!("{framework}: SIGTERM under load: {error}")),
    }
    println!(
        "{framework}: SIGTERM under load: exit {} after {:.2} s; {} acknowledged, all printed: {}",
        exit.and_then(|status| status.code())
            .map_or("-".into(), |code| code.to_string()),
        took.as_secs_f64(),
        acked.len(),
        failures.is_empty()
    );
    failures
}
