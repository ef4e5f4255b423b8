//! `cargo xtask budget`: the instructions one webhook costs on the request path (the
//! benchmarks' `request path/ours`: verify, collect, decode, make the notification and its
//! id, write the ack), counted by callgrind as `cargo xtask bench` counts, against the
//! budget committed in `crates/benchmarks/request-path.budget`. A change that makes the
//! main path dearer fails here, and raises the budget on purpose or not at all.

use std::process::{Command, ExitCode};

const BUDGET_FILE: &str = "crates/benchmarks/request-path.budget";
const OP: &str = "request path/ours";

pub(crate) fn run() -> ExitCode {
    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!("valgrind is needed: apt-get install valgrind");
        return ExitCode::FAILURE;
    }
    let budget = match read_budget() {
        Ok(budget) => budget,
        Err(error) => {
            eprintln!("{BUDGET_FILE}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let Some(per_call) = crate::bench::instructions(OP) else {
        eprintln!("could not count the instructions of {OP}");
        return ExitCode::FAILURE;
    };
    println!("{OP}: {per_call:.0} instructions per webhook; budget {budget:.0}");
    if per_call > budget {
        eprintln!(
            "the request path costs {:.1} % more than its budget: make it cheaper, or raise \
             the budget in {BUDGET_FILE} and say why in the commit",
            (per_call / budget - 1.0) * 100.0
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The budget: the first number in the file (the rest is comment).
fn read_budget() -> Result<f64, String> {
    let text = std::fs::read_to_string(BUDGET_FILE).map_err(|error| error.to_string())?;
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .and_then(|line| line.replace('_', "").parse().ok())
        .ok_or_else(|| "no number".to_owned())
}
