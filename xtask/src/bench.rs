//! `cargo xtask bench`: instructions and allocations per call, ours side by side with what
//! a user writes by hand and with the cost floor, counted by valgrind (callgrind for
//! instructions, DHAT for allocations). Counts do not drift with machine noise, so the
//! table reproduces anywhere the same compiler builds the same code.
//!
//! Each operation runs in `ops` (crates/benchmarks) twice, with 1 and 1 + `CALLS`
//! iterations; the difference divided by `CALLS` is the cost of one call, start-up and
//! input preparation cancelled out.

use std::collections::BTreeMap;
use std::process::{Command, ExitCode};

const CALLS: u64 = 200;
/// The driver, under cargo's target directory.
fn ops() -> String {
    crate::target_path("release/ops")
}

pub(crate) fn run(args: &[String]) -> ExitCode {
    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!("valgrind is needed: apt-get install valgrind");
        return ExitCode::FAILURE;
    }
    if !build_ops() {
        return ExitCode::FAILURE;
    }
    let Ok(listed) = Command::new(ops()).arg("--list").output() else {
        return ExitCode::FAILURE;
    };
    let only = args.first().filter(|arg| !arg.starts_with('-'));
    let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter(|name| only.is_none_or(|only| name.contains(only.as_str())))
        .map(str::to_owned)
        .collect();
    // group -> [(variant, instructions, allocations)]
    let mut groups: BTreeMap<String, Vec<(String, f64, f64)>> = BTreeMap::new();
    let mut order = Vec::new();
    for name in &names {
        let (Some(instructions), Some(allocations)) =
            (per_call(name, "callgrind"), per_call(name, "dhat"))
        else {
            eprintln!("could not measure {name}");
            return ExitCode::FAILURE;
        };
        let (group, variant) = name.split_once('/').unwrap_or((name, ""));
        if !groups.contains_key(group) {
            order.push(group.to_owned());
        }
        groups.entry(group.to_owned()).or_default().push((
            variant.to_owned(),
            instructions,
            allocations,
        ));
    }
    println!(
        "| operation | variant | instructions per call | allocations per call | ours ÷ this |"
    );
    println!("|---|---|---|---|---|");
    for group in &order {
        let rows = &groups[group];
        let ours = rows
            .iter()
            .find(|(variant, _, _)| variant == "ours")
            .map(|row| row.1);
        for (variant, instructions, allocations) in rows {
            let ratio = match ours {
                Some(ours) if variant != "ours" && *instructions > 0.0 => {
                    format!("{:.3}", ours / instructions)
                }
                _ => String::new(),
            };
            println!("| {group} | {variant} | {instructions:.0} | {allocations:.1} | {ratio} |");
        }
    }
    ExitCode::SUCCESS
}

/// Builds the `ops` driver, optimized; whether it worked.
fn build_ops() -> bool {
    let built = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--release",
            "--locked",
            "-p",
            "tencent-live-webhook-benchmarks",
            "--bin",
            "ops",
        ])
        .status();
    matches!(built, Ok(status) if status.success())
}

/// The instructions of one call of `name`, the driver built first.
pub(crate) fn instructions(name: &str) -> Option<f64> {
    if !build_ops() {
        return None;
    }
    per_call(name, "callgrind")
}

/// Instructions (`callgrind`) or heap blocks (`dhat`) of one call of `name`.
fn per_call(name: &str, tool: &str) -> Option<f64> {
    let once = total(name, tool, 1)?;
    let many = total(name, tool, 1 + CALLS)?;
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    Some(many.saturating_sub(once) as f64 / CALLS as f64)
}

fn total(name: &str, tool: &str, iterations: u64) -> Option<u64> {
    let output = Command::new("valgrind")
        .arg(format!("--tool={tool}"))
        .arg(if tool == "dhat" {
            "--dhat-out-file=/dev/null"
        } else {
            "--callgrind-out-file=/dev/null"
        })
        .args([&ops(), name, &iterations.to_string()])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stderr);
    let line = if tool == "dhat" {
        // "Total:     71,220 bytes in 4,494 blocks"
        text.lines()
            .find(|line| line.contains("Total:"))?
            .split(" in ")
            .nth(1)?
            .split_whitespace()
            .next()?
            .to_owned()
    } else {
        // "Collected : 1925128"
        text.lines()
            .find(|line| line.contains("Collected :"))?
            .rsplit(' ')
            .next()?
            .to_owned()
    };
    line.replace(',', "").parse().ok()
}
