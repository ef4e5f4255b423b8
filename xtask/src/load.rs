//! `cargo xtask load`: `live-webhook serve` under load on loopback, against two baselines
//! measured in the same run: a bare actix-web server that acks without verifying, and the
//! receiver a user writes by hand (crates/benchmarks/src/bin). Each server is pinned to
//! core 0 and `wrk` (Debian package `wrk`) to core 1; the servers take turns, three rounds,
//! and the median of each is compared. Loopback only; bounded in time.
//!
//! `--instructions` counts instead of timing: each server runs under callgrind, is warmed
//! up, has its counters zeroed, takes a fixed-length wrk run and dumps; the instructions
//! it executed in user space divided by the requests wrk completed. Counts do not move
//! with machine noise; what they miss is the kernel's share (loopback TCP, syscalls).

use std::process::{Child, Command, ExitCode, Stdio};
use std::thread;
use std::time::Duration;

use crate::harness::{
    APP, TOKEN, build_servers, median, wait_listening, wrk, wrk_rate, wrk_requests,
};

const SECONDS: &str = "5s";
const CONNECTIONS: &str = "16";
const ROUNDS: usize = 3;
const SAMPLE: &str =
    "crates/tencent-live-webhook/testdata/samples/Live.CallbackAfterDestroyRoom.json";

struct Contender {
    name: &'static str,
    program: String,
    args: Vec<String>,
}

pub(crate) fn run(args: &[String]) -> ExitCode {
    let instructions = args.iter().any(|arg| arg == "--instructions");
    let mut tools = vec![("wrk", "wrk"), ("taskset", "util-linux")];
    if instructions {
        tools.push(("valgrind", "valgrind"));
    }
    for (tool, package) in tools {
        if Command::new(tool).arg("--version").output().is_err() {
            eprintln!("{tool} is needed: apt-get install {package}");
            return ExitCode::FAILURE;
        }
    }
    if !build_servers() {
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
            program: crate::target_path("release/bare-server"),
            args: vec![address.into()],
        },
        Contender {
            name: "hand-written receiver",
            program: crate::target_path("release/hand-server"),
            args: vec![address.into()],
        },
        Contender {
            name: "live-webhook serve (actix)",
            program: crate::target_path("release/live-webhook"),
            args: serve("actix"),
        },
        Contender {
            name: "live-webhook serve (warp)",
            program: crate::target_path("release/live-webhook"),
            args: serve("warp"),
        },
        Contender {
            name: "live-webhook serve (axum)",
            program: crate::target_path("release/live-webhook"),
            args: serve("axum"),
        },
    ];
    if instructions {
        return count_instructions(&contenders, address, &script.to_string_lossy());
    }
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

/// Starts the server on core 0, loads it from core 1, stops it; requests per second.
fn measure(contender: &Contender, address: &str, script: &str) -> Result<f64, String> {
    let mut server = Command::new("taskset")
        .args(["-c", "0", &contender.program])
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
    wait_listening(server, address, Duration::from_secs(10))?;
    let text = wrk(address, script, CONNECTIONS, SECONDS)?;
    wrk_rate(&text)
}

/// `--instructions`: user-space instructions per request of each server, under callgrind.
fn count_instructions(contenders: &[Contender], address: &str, script: &str) -> ExitCode {
    let mut counts = Vec::new();
    for contender in contenders {
        match instructions_per_request(contender, address, script) {
            Ok(count) => {
                println!("{}: {count:.0} instructions per request", contender.name);
                counts.push(count);
            }
            Err(error) => {
                eprintln!("{}: {error}", contender.name);
                return ExitCode::FAILURE;
            }
        }
    }
    let (bare, hand) = (counts[0], counts[1]);
    println!(
        "\n| server | instructions per request (user space) | ÷ bare actix-web | ÷ hand-written |"
    );
    println!("|---|---|---|---|");
    for (contender, count) in contenders.iter().zip(&counts) {
        println!(
            "| {} | {count:.0} | {:.2} | {:.2} |",
            contender.name,
            count / bare,
            count / hand
        );
    }
    ExitCode::SUCCESS
}

fn instructions_per_request(
    contender: &Contender,
    address: &str,
    script: &str,
) -> Result<f64, String> {
    let directory = std::env::temp_dir().join(format!("live-webhook-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).map_err(|error| error.to_string())?;
    let mut server = Command::new("taskset")
        .args(["-c", "0", "valgrind", "--tool=callgrind"])
        .arg(format!(
            "--callgrind-out-file={}/out.%p",
            directory.display()
        ))
        .arg(&contender.program)
        .args(&contender.args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot start: {error}"))?;
    let result = count_under_callgrind(&mut server, address, script, &directory);
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&directory);
    thread::sleep(Duration::from_millis(200));
    result
}

fn count_under_callgrind(
    server: &mut Child,
    address: &str,
    script: &str,
    directory: &std::path::Path,
) -> Result<f64, String> {
    wait_listening(server, address, Duration::from_secs(60))?;
    // Warm up: connections, buffers and lazily built state are not what is measured.
    wrk(address, script, "4", "2s")?;
    let pid = server.id().to_string();
    let control = |command: &str| {
        Command::new("callgrind_control")
            .args([command, &pid])
            .output()
            .map_err(|error| format!("callgrind_control: {error}"))
            .and_then(|output| {
                if output.status.success() {
                    Ok(())
                } else {
                    Err(format!("callgrind_control {command} failed"))
                }
            })
    };
    control("-z")?;
    let report = wrk(address, script, "4", "8s")?;
    control("-d")?;
    let requests = wrk_requests(&report)?;
    // The dump after zeroing is the one file with a part number: out.PID.1
    let dump = directory.join(format!("out.{pid}.1"));
    let text =
        std::fs::read_to_string(&dump).map_err(|error| format!("{}: {error}", dump.display()))?;
    let instructions: f64 = text
        .lines()
        .find_map(|line| line.strip_prefix("summary: "))
        .and_then(|count| count.trim().parse().ok())
        .ok_or_else(|| format!("{}: no summary line", dump.display()))?;
    Ok(instructions / requests)
}
