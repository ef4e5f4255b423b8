//! `cargo xtask busy`: the whole workspace test suite while `cargo build --release` of the
//! workspace runs beside it (in a target directory of its own, from scratch), so that the
//! tests are seen to hold on a loaded machine. Prints how long each took and how long they
//! overlapped; fails if the tests fail.

use std::process::{Command, ExitCode};
use std::time::Instant;

pub(crate) fn run() -> ExitCode {
    let load_target =
        std::env::temp_dir().join(format!("live-webhook-busy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&load_target);
    let started = Instant::now();
    let mut load = match Command::new(env!("CARGO"))
        .args(["build", "--release", "--workspace", "--locked", "--quiet"])
        .env("CARGO_TARGET_DIR", &load_target)
        .spawn()
    {
        Ok(child) => child,
        Err(error) => {
            eprintln!("cannot start the release build: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The build's end, timed by a thread of its own.
    let build = std::thread::spawn(move || {
        let status = load.wait();
        (status, started.elapsed())
    });
    let tests = Command::new(env!("CARGO"))
        .args(["test", "--workspace", "--locked", "--no-fail-fast"])
        .status();
    let tests_took = started.elapsed();
    let (load_status, load_took) = build.join().unwrap_or_else(|_| {
        (
            Err(std::io::Error::other("the build's thread panicked")),
            started.elapsed(),
        )
    });
    let _ = std::fs::remove_dir_all(&load_target);
    let overlap = load_took.min(tests_took);
    eprintln!(
        "tests: {:.0} s ({}); release build beside them: {:.0} s ({}); overlap {:.0} s",
        tests_took.as_secs_f64(),
        tests
            .as_ref()
            .map_or("did not run".into(), ToString::to_string),
        load_took.as_secs_f64(),
        load_status
            .as_ref()
            .map_or("did not run".into(), ToString::to_string),
        overlap.as_secs_f64(),
    );
    if tests.is_ok_and(|status| status.success()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
