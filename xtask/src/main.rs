//! Project automation, run as `cargo xtask <task>`.
//!
//! `cargo xtask ci` runs exactly what CI runs, in the same order.

mod bench;
mod budget;
mod busy;
mod cpu;
mod harness;
mod load;
mod load_latency;
mod load_publish;
mod load_spool;
mod package_contents;
mod readmes;
mod reliability;
mod screenshots;

use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  ci      everything below, in order (what CI runs)
  fmt     rustfmt check
  lint    clippy, -D warnings: workspace, the core without default features, and the CLI
          with one framework each
  test    the workspace tests, and the core's unit tests without default features
  doc     rustdoc, -D warnings
  nostd   link the core into a #![no_std] static library: bare, with alloc, with rest
  deny    cargo deny: licenses, sources and bans over the workspace; no web framework,
          runtime or HTTP stack in the core's graph (deny-core.toml); needs cargo-deny
  reliability [--fast] [--framework NAME] [--list]
          `live-webhook serve` against hostile and heavy clients over raw sockets, every
          framework: the bad-input matrix, 2,000 slow connections, a 100,000-webhook soak,
          SIGTERM under load (--fast: the matrix only, on a debug build; ci runs that;
          --list: print the matrix's rows)
  budget  the instructions one webhook costs on the request path (valgrind), against the
          budget in crates/benchmarks/request-path.budget; needs valgrind
  readmes each adapter README's receiver built as its own package outside the workspace,
          from exactly its [dependencies] block and its code
  package every published crate holds LICENSE, README and docs.rs settings; cargo package
          of each, built from its .crate file
  bench [FILTER]
          instructions and allocations per call (valgrind), the crates side by side with
          hand-written code and the cost floor, with ratios; needs valgrind
  bench --time
          the criterion benchmarks, medians as a table (timings belong to a quiet machine)
  busy    the workspace tests while `cargo build --release` runs beside them (a loaded
          machine): how long each took and their overlap; fails if a test fails (not
          part of ci)
  fuzz    fuzz query verification and body decoding, 60 s each (FUZZ_SECONDS to change);
          needs a nightly toolchain and cargo-fuzz (not part of ci)
  screenshots
          pictures of serve's web console (docs/console-desktop.png, docs/console-phone.png)
          in headless Chromium, for the CLI's README
  load [--instructions | --spool | --publish nats|redis | --latency]
          `live-webhook serve` (every framework) under wrk on loopback against a bare
          actix-web server and a hand-written receiver, server and wrk pinned to different
          cores, three alternated rounds: requests/s and ratios (--instructions: user-space
          instructions per request under callgrind instead; --spool: `serve --spool` against
          `serve --forward-to` at 32 connections, syncs per webhook, and how fast 100,000
          spooled webhooks drain into a fast app; --publish: `serve --publish` and
          `serve --publish --spool` against `serve` and a minimal client of a local broker;
          --latency: p50/p99/p99.9 of a gift callback from 8 senders straight to an app and
          through `serve --forward-to` it, with and without --spool); needs wrk (and
          valgrind), not part of ci";

/// `path` under cargo's target directory (`CARGO_TARGET_DIR`, or `target`).
fn target_path(path: &str) -> String {
    let directory = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    format!("{directory}/{path}")
}

/// One command of a task: a label, the cargo arguments, and what to do first.
struct Step {
    label: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    prepare: fn(),
}

const fn step(label: &'static str, args: &'static [&'static str]) -> Step {
    Step {
        label,
        args,
        env: &[],
        prepare: || {},
    }
}

const CORE: &str = "tencent-live-webhook";

/// Clippy on the CLI built with one framework, as
/// `cargo install --no-default-features --features <framework>` builds it.
const fn cli_clippy(framework: &'static str) -> [&'static str; 10] {
    [
        "clippy",
        "-p",
        "tencent-live-webhook-cli",
        "--no-default-features",
        "--features",
        framework,
        "--locked",
        "--",
        "-D",
        "warnings",
    ]
}

const CLI_ACTIX: [&str; 10] = cli_clippy("actix");
const CLI_WARP: [&str; 10] = cli_clippy("warp");
const CLI_AXUM: [&str; 10] = cli_clippy("axum");

/// The crates `cargo package` publishes, each verified against the others' `.crate` files.
const PUBLISHED: [&str; 9] = [
    CORE,
    "tencent-live-webhook-adapter",
    "tencent-live-webhook-actix",
    "tencent-live-webhook-axum",
    "tencent-live-webhook-warp",
    "tencent-live-webhook-spool",
    "tencent-live-webhook-publish",
    "tencent-live-webhook-gateway",
    "tencent-live-webhook-cli",
];

/// Forgets what an earlier `cargo package` of this checkout left behind.
///
/// `cargo package --workspace` verifies each crate against the others through a temporary
/// local registry under the target directory. Cargo treats registry crates as immutable:
/// it unpacks them once into `$CARGO_HOME/registry/src/-<hash of the registry path>/`
/// (local registries have no name, hence the leading `-`) and reuses their build
/// artifacts by name and version. Both would make the verification build last time's
/// sources, so both go: the unpacked copies, and every artifact of our crates.
fn forget_earlier_packages() {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".cargo"))
        });
    if let Some(home) = home {
        let registries = std::fs::read_dir(home.join("registry/src"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|entry| entry.file_name().to_string_lossy().starts_with('-'));
        for registry in registries {
            let unpacked = std::fs::read_dir(registry.path())
                .into_iter()
                .flatten()
                .flatten()
                .filter(|entry| entry.file_name().to_string_lossy().starts_with(CORE));
            for copy in unpacked {
                if let Err(error) = std::fs::remove_dir_all(copy.path()) {
                    eprintln!("cannot remove {}: {error}", copy.path().display());
                }
            }
        }
    }
    let clean: Vec<&str> = ["clean"]
        .into_iter()
        .chain(PUBLISHED.iter().flat_map(|name| ["-p", name]))
        .collect();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if !matches!(Command::new(cargo).args(clean).status(), Ok(status) if status.success()) {
        eprintln!("cargo clean of the published crates failed");
    }
}

fn steps(task: &str) -> Option<Vec<Step>> {
    let steps = match task {
        "fmt" => vec![step("rustfmt", &["fmt", "--all", "--", "--check"])],
        "lint" => vec![
            step(
                "clippy (workspace)",
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--locked",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            step(
                "clippy (core, no default features)",
                &[
                    "clippy",
                    "-p",
                    CORE,
                    "--lib",
                    "--no-default-features",
                    "--locked",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            step(
                "clippy (core, alloc only)",
                &[
                    "clippy",
                    "-p",
                    CORE,
                    "--lib",
                    "--no-default-features",
                    "--features",
                    "alloc",
                    "--locked",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            step("clippy (CLI, actix only)", &CLI_ACTIX),
            step("clippy (CLI, warp only)", &CLI_WARP),
            step("clippy (CLI, axum only)", &CLI_AXUM),
        ],
        "test" => vec![
            // Every test binary runs even after a failure: one failure must not hide others.
            step(
                "tests (workspace)",
                &["test", "--workspace", "--locked", "--no-fail-fast"],
            ),
            step(
                "unit tests (core, no default features)",
                &[
                    "test",
                    "-p",
                    CORE,
                    "--lib",
                    "--no-default-features",
                    "--locked",
                ],
            ),
        ],
        "doc" => vec![
            Step {
                env: &[("RUSTDOCFLAGS", "-D warnings")],
                ..step("rustdoc", &["doc", "--workspace", "--no-deps", "--locked"])
            },
            Step {
                env: &[("RUSTDOCFLAGS", "-D warnings")],
                ..step(
                    "rustdoc (core, no default features)",
                    &[
                        "doc",
                        "-p",
                        CORE,
                        "--no-deps",
                        "--no-default-features",
                        "--locked",
                    ],
                )
            },
            Step {
                env: &[("RUSTDOCFLAGS", "-D warnings")],
                ..step(
                    "rustdoc (core, alloc only)",
                    &[
                        "doc",
                        "-p",
                        CORE,
                        "--no-deps",
                        "--no-default-features",
                        "--features",
                        "alloc",
                        "--locked",
                    ],
                )
            },
        ],
        "nostd" => vec![
            step(
                "no_std link (bare)",
                &[
                    "build",
                    "--manifest-path",
                    "nostd-check/Cargo.toml",
                    "--locked",
                ],
            ),
            step(
                "no_std link (alloc)",
                &[
                    "build",
                    "--manifest-path",
                    "nostd-check/Cargo.toml",
                    "--features",
                    "alloc",
                    "--locked",
                ],
            ),
            step(
                "no_std link (rest)",
                &[
                    "build",
                    "--manifest-path",
                    "nostd-check/Cargo.toml",
                    "--features",
                    "rest",
                    "--locked",
                ],
            ),
        ],
        "deny" => vec![
            step(
                "cargo deny (workspace: bans, licenses, sources)",
                &["deny", "--locked", "check", "bans", "licenses", "sources"],
            ),
            step(
                "cargo deny (core: no framework, runtime or HTTP stack)",
                &[
                    "deny",
                    "--locked",
                    "--manifest-path",
                    "crates/tencent-live-webhook/Cargo.toml",
                    "--config",
                    "deny-core.toml",
                    "check",
                    "bans",
                ],
            ),
        ],
        "reliability" => vec![step(
            "reliability matrix (every framework)",
            &[
                "run",
                "-p",
                "xtask",
                "--locked",
                "--",
                "reliability",
                "--fast",
            ],
        )],
        "budget" => vec![step(
            "request-path budget (instructions per webhook, valgrind)",
            &["run", "-p", "xtask", "--locked", "--", "budget-check"],
        )],
        "readmes" => vec![step(
            "README examples (each built as its own package)",
            &["run", "-p", "xtask", "--locked", "--", "readmes-build"],
        )],
        "package" => vec![
            step(
                "package contents (LICENSE, README, docs.rs settings)",
                &["run", "-p", "xtask", "--locked", "--", "package-contents"],
            ),
            Step {
                prepare: forget_earlier_packages,
                ..step(
                    "cargo package (every published crate, built from its .crate)",
                    &[
                        "package",
                        "--workspace",
                        "--exclude",
                        "xtask",
                        "--exclude",
                        "adapter-parity",
                        "--exclude",
                        "test-servers",
                        "--exclude",
                        "tencent-live-webhook-benchmarks",
                        "--locked",
                        "--allow-dirty",
                    ],
                )
            },
        ],
        "ci" => [
            "fmt",
            "lint",
            "test",
            "doc",
            "nostd",
            "deny",
            "reliability",
            "budget",
            "readmes",
            "package",
        ]
        .into_iter()
        .flat_map(|task| steps(task).unwrap_or_default())
        .collect(),
        _ => return None,
    };
    Some(steps)
}

fn run(step: &Step) -> bool {
    eprintln!("==> {}: cargo {}", step.label, step.args.join(" "));
    let started = Instant::now();
    (step.prepare)();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(step.args).envs(step.env.iter().copied());
    let ok = matches!(command.status(), Ok(status) if status.success());
    eprintln!(
        "==> {}: {} in {:.1} s",
        step.label,
        if ok { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    ok
}

/// Runs the benchmarks, then prints every criterion median under `<target>/criterion`.
fn bench() -> ExitCode {
    let ran = run(&step(
        "criterion (core)",
        &["bench", "-p", CORE, "--bench", "webhook", "--locked"],
    )) && run(&step(
        "criterion (side by side)",
        &[
            "bench",
            "-p",
            "tencent-live-webhook-benchmarks",
            "--bench",
            "side_by_side",
            "--locked",
        ],
    ));
    let mut rows = Vec::new();
    collect_medians(std::path::Path::new(&target_path("criterion")), &mut rows);
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    println!("| benchmark | median |\n|---|---|");
    for (name, nanos) in &rows {
        if *nanos >= 1000.0 {
            println!("| {name} | {:.2} µs |", nanos / 1000.0);
        } else {
            println!("| {name} | {nanos:.0} ns |");
        }
    }
    if ran && !rows.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Seeds the decode corpus with every sample (selector byte + body), then runs each target.
fn fuzz() -> ExitCode {
    let seconds = std::env::var("FUZZ_SECONDS").unwrap_or_else(|_| "60".into());
    let samples = std::path::Path::new("crates/tencent-live-webhook/testdata/samples");
    let corpus = std::path::Path::new("fuzz/corpus/decode_body");
    if std::fs::create_dir_all(corpus).is_err() {
        return ExitCode::FAILURE;
    }
    // The decode target picks its command from the first byte, in `Command::KNOWN` order;
    // any selector is fine for a seed, so the samples are numbered in file order.
    let mut names: Vec<_> = std::fs::read_dir(samples)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .collect();
    names.sort();
    for (selector, path) in (0u8..).zip(&names) {
        if let Ok(body) = std::fs::read(path) {
            let _ = std::fs::write(
                corpus.join(format!("sample-{selector:02}")),
                [&[selector][..], &body].concat(),
            );
        }
    }
    let max_time = format!("-max_total_time={seconds}");
    let mut ok = true;
    for target in ["verify_query", "decode_body"] {
        eprintln!("==> fuzz {target} for {seconds} s");
        let status = Command::new("cargo")
            .args(["+nightly", "fuzz", "run", target, "--", &max_time])
            .current_dir("fuzz")
            .status();
        ok &= matches!(status, Ok(status) if status.success());
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Finds `<id>/new/estimates.json` files and reads each median (nanoseconds).
fn collect_medians(dir: &std::path::Path, rows: &mut Vec<(String, f64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.ends_with("new") {
            let read = |file: &str| -> Option<serde_json::Value> {
                serde_json::from_slice(&std::fs::read(path.join(file)).ok()?).ok()
            };
            if let (Some(estimates), Some(benchmark)) =
                (read("estimates.json"), read("benchmark.json"))
                && let (Some(median), Some(id)) = (
                    estimates["median"]["point_estimate"].as_f64(),
                    benchmark["full_id"].as_str(),
                )
            {
                rows.push((id.to_owned(), median));
            }
        } else if path.is_dir() {
            collect_medians(&path, rows);
        }
    }
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    match task.as_str() {
        "bench" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            return if args.iter().any(|arg| arg == "--time") {
                bench()
            } else {
                bench::run(&args)
            };
        }
        "fuzz" => return fuzz(),
        "busy" => return busy::run(),
        "load" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            if args.iter().any(|arg| arg == "--spool") {
                return load_spool::run();
            }
            if args.iter().any(|arg| arg == "--latency") {
                return load_latency::run();
            }
            if let Some(at) = args.iter().position(|arg| arg == "--publish") {
                return load_publish::run(args.get(at + 1).map(String::as_str));
            }
            return load::run(&args);
        }
        "reliability" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            return reliability::run(&args);
        }
        "readmes-build" => return readmes::run(),
        "budget-check" => return budget::run(),
        "package-contents" => return package_contents::run(&PUBLISHED),
        "screenshots" => return screenshots::run(),
        _ => {}
    }
    let Some(steps) = steps(&task) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    // Run every step even after a failure, so one CI run reports everything wrong.
    let failed: Vec<&str> = steps
        .iter()
        .filter(|step| !run(step))
        .map(|step| step.label)
        .collect();
    if failed.is_empty() {
        eprintln!("==> all {} steps passed", steps.len());
        ExitCode::SUCCESS
    } else {
        eprintln!("==> failed: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}
