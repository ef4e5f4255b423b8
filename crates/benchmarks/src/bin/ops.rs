//! Runs one operation many times, for an instruction counter: `ops NAME ITERATIONS`.
//! `ops --list` prints the names. Run it under valgrind with two iteration counts; the
//! difference divided by the difference of counts is the cost of one call.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_default();
    if name == "--list" {
        for op in tencent_live_webhook_benchmarks::all() {
            println!("{}", op.name);
        }
        return ExitCode::SUCCESS;
    }
    let (Some(op), Some(Ok(iterations))) = (
        tencent_live_webhook_benchmarks::find(&name),
        args.next().map(|count| count.parse::<u64>()),
    ) else {
        eprintln!("usage: ops NAME ITERATIONS | ops --list");
        return ExitCode::from(2);
    };
    // Lazily made inputs are made before counting starts differing between runs.
    tencent_live_webhook_benchmarks::ours::warm_up();
    (op.run)();
    for _ in 0..iterations {
        (op.run)();
    }
    ExitCode::SUCCESS
}
