//! `cargo xtask load --publish nats|redis`: what publishing costs. Under wrk (32
//! connections, every request a new webhook): `serve` printing lines (the baseline),
//! `serve --publish` answering after each broker acknowledgement, and `serve --publish
//! --spool` (the spool as outbox); and the broker's own rate from a minimal client that
//! publishes as fast as 32 requests in flight allow (the floor). serve runs on core 0;
//! wrk, the broker and the client on core 1; rounds alternate; medians. The broker is a
//! real local server (test-servers), on loopback; everything is bounded in time. With the
//! spool, what its worker had not yet published when the load stopped is reported too: a
//! rate bought with a growing backlog would not count.

use std::collections::BTreeMap;
use std::process::{Child, Command, ExitCode};
use std::thread;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use test_servers::{Kind, Server};

use crate::harness::{
    UNIQUE_LUA, get, median, metric, serve_pinned, wait_listening, wrk, wrk_rate, wrk_requests,
};

const SERVE: &str = "127.0.0.1:18093";
const ADMIN: &str = "127.0.0.1:18094";
const CONNECTIONS: &str = "32";
const SECONDS: &str = "5s";
const ROUNDS: usize = 3;
/// Messages the minimal client publishes per round.
const FLOOR_MESSAGES: usize = 50_000;

pub(crate) fn run(engine: Option<&str>) -> ExitCode {
    let kind = match engine {
        Some("nats") => Kind::Nats,
        Some("redis") => Kind::Redis,
        _ => {
            eprintln!("load --publish needs an engine: nats or redis");
            return ExitCode::from(2);
        }
    };
    match measure_all(kind) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("load --publish: {error}");
            ExitCode::FAILURE
        }
    }
}

fn measure_all(kind: Kind) -> Result<(), String> {
    for (tool, package) in [("wrk", "wrk"), ("taskset", "util-linux")] {
        if Command::new(tool).arg("--version").output().is_err() {
            return Err(format!("{tool} is needed: apt-get install {package}"));
        }
    }
    if !crate::harness::build_servers() {
        return Err("the build failed".into());
    }
    // This process (the floor's client) and the broker share core 1 with wrk.
    pin(std::process::id())?;
    let broker = match kind {
        Kind::Nats => Server::nats(),
        Kind::Redis => Server::redis(),
    };
    pin(broker.pid().ok_or("the broker is not running")?)?;
    let directory =
        std::env::temp_dir().join(format!("live-webhook-load-publish-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).map_err(|error| error.to_string())?;
    let script = directory.join("unique.lua");
    std::fs::write(&script, UNIQUE_LUA).map_err(|error| error.to_string())?;
    let script = script.to_string_lossy().into_owned();
    let url = broker.url();
    let (mut plain, mut published, mut spooled, mut floor) = (vec![], vec![], vec![], vec![]);
    let mut backlog = vec![];
    // CPU microseconds per request of serve's threads, by mode: every round's readings.
    let mut cpu: [BTreeMap<String, Vec<f64>>; 3] = Default::default();
    for round in 1..=ROUNDS {
        let run = serve_and_load(&["--format", "json"], &script)?;
        println!("round {round}: serve: {:.0} requests/s", run.rate);
        plain.push(run.rate);
        note(&mut cpu[0], &run.cpu);
        let run = serve_and_load(&["--publish", &url], &script)?;
        println!("round {round}: serve --publish: {:.0} requests/s", run.rate);
        published.push(run.rate);
        note(&mut cpu[1], &run.cpu);
        let spool = directory.join(format!("round{round}.db"));
        let run = serve_and_load(
            &[
                "--publish",
                &url,
                "--spool",
                &spool.to_string_lossy(),
                "--admin-listen",
                ADMIN,
            ],
            &script,
        )?;
        let (rate, metrics) = (run.rate, &run.metrics);
        note(&mut cpu[2], &run.cpu);
        let received = metric(
            metrics,
            "live_webhook_received_total{command=\"Live.CallbackAfterDestroyRoom\"}",
        );
        let pending = metric(metrics, "live_webhook_spool_pending");
        let left = if received > 0.0 {
            pending / received
        } else {
            1.0
        };
        println!(
            "round {round}: serve --publish --spool: {rate:.0} requests/s, {pending:.0} of {received:.0} not yet published when the load stopped"
        );
        spooled.push(rate);
        backlog.push(left);
        let rate = minimal_client(kind, &broker, round)?;
        println!("round {round}: minimal client: {rate:.0} messages/s");
        floor.push(rate);
    }
    let _ = std::fs::remove_dir_all(&directory);
    let (plain, published, spooled, floor, backlog) = (
        median(&mut plain),
        median(&mut published),
        median(&mut spooled),
        median(&mut floor),
        median(&mut backlog),
    );
    let engine = match kind {
        Kind::Nats => "NATS JetStream",
        Kind::Redis => "Redis Streams",
    };
    println!("\n| {engine} (median of {ROUNDS}; wrk -c{CONNECTIONS}) | rate | × serve | × floor |");
    println!("|---|---|---|---|");
    println!("| serve (lines only) | {plain:.0} requests/s | 1.00 | |");
    println!(
        "| serve --publish | {published:.0} requests/s | {:.2} | {:.2} |",
        published / plain,
        published / floor
    );
    println!(
        "| serve --publish --spool | {spooled:.0} requests/s | {:.2} | {:.2} |",
        spooled / plain,
        spooled / floor
    );
    println!("| minimal client, 32 in flight (floor) | {floor:.0} messages/s | | 1.00 |");
    println!(
        "\nWith the spool, {:.1} % of the webhooks received were not yet published when the load stopped (median).",
        backlog * 100.0
    );
    println!("\n| CPU of serve per request (median µs) | total | by thread |");
    println!("|---|---|---|");
    for (mode, readings) in [
        "serve (lines only)",
        "serve --publish",
        "serve --publish --spool",
    ]
    .iter()
    .zip(&mut cpu)
    {
        let mut threads: Vec<(String, f64)> = readings
            .iter_mut()
            .map(|(name, values)| (name.clone(), median(values)))
            .filter(|(_, micros)| *micros >= 0.5)
            .collect();
        threads.sort_by(|a, b| b.1.total_cmp(&a.1));
        let total: f64 = threads.iter().map(|(_, micros)| micros).sum();
        let split: Vec<String> = threads
            .iter()
            // A thread name may hold a `|` (actix's), which would split the table.
            .map(|(name, micros)| format!("{} {micros:.1}", name.replace('|', "/")))
            .collect();
        println!("| {mode} | {total:.1} | {} |", split.join(", "));
    }
    println!(
        "\nAt 0.6 × serve, a webhook may cost {:.1} µs of CPU on serve's core in all.",
        1e6 / (0.6 * plain)
    );
    let floor = sqlite_floor()?;
    println!(
        "The least a synced SQLite append and its delivery record cost (sqlite-floor, core 0): {floor}."
    );
    Ok(())
}

/// `sqlite-floor` run on serve's core: its wall time per webhook, as it says, and its CPU
/// time per webhook, read from what this process's children have used.
fn sqlite_floor() -> Result<String, String> {
    let before = crate::cpu::children()?;
    let output = Command::new("taskset")
        .args(["-c", "0", &crate::target_path("release/sqlite-floor")])
        .output()
        .map_err(|error| error.to_string())?;
    let used = crate::cpu::children()? - before;
    let said = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if !output.status.success() {
        return Err(format!(
            "sqlite-floor failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // "12.3 µs per webhook (wall), 99988 webhooks"
    let (wall, count) = said
        .split_once(", ")
        .and_then(|(wall, rest)| Some((wall, rest.split_whitespace().next()?.parse::<f64>().ok()?)))
        .ok_or_else(|| format!("sqlite-floor said {said:?}"))?;
    Ok(format!(
        "{wall}, {:.1} µs per webhook (CPU)",
        used * 1e6 / count.max(1.0)
    ))
}

fn pin(pid: u32) -> Result<(), String> {
    let pinned = Command::new("taskset")
        .args(["-a", "-p", "-c", "1", &pid.to_string()])
        .output()
        .map_err(|error| error.to_string())?;
    if pinned.status.success() {
        Ok(())
    } else {
        Err(format!("cannot pin process {pid} to core 1"))
    }
}

/// What one load of `serve` measured.
struct Run {
    /// Requests per second.
    rate: f64,
    /// The metrics, when serve had an admin listener.
    metrics: String,
    /// CPU microseconds per request, by thread name.
    cpu: BTreeMap<String, f64>,
}

/// Adds one run's CPU readings to a mode's.
fn note(mode: &mut BTreeMap<String, Vec<f64>>, run: &BTreeMap<String, f64>) {
    for (name, micros) in run {
        mode.entry(name.clone()).or_default().push(*micros);
    }
}

/// `serve` (actix) on core 0 with `extra`, loaded by wrk.
fn serve_and_load(extra: &[&str], script: &str) -> Result<Run, String> {
    let mut server: Child = serve_pinned(SERVE, extra)?;
    let result = (|| {
        wait_listening(&mut server, SERVE, Duration::from_secs(20))?;
        let before = crate::cpu::by_thread(server.id())?;
        let report = wrk(SERVE, script, CONNECTIONS, SECONDS)?;
        let after = crate::cpu::by_thread(server.id())?;
        let (requests, rate) = (wrk_requests(&report)?, wrk_rate(&report)?);
        let metrics = if extra.contains(&"--admin-listen") {
            get(ADMIN, "/metrics")?
        } else {
            String::new()
        };
        Ok(Run {
            rate,
            metrics,
            cpu: crate::cpu::per_request(&before, &after, requests),
        })
    })();
    let _ = server.kill();
    let _ = server.wait();
    thread::sleep(Duration::from_millis(200));
    result
}

/// The broker's own rate: messages of a webhook's size published with 32 awaiting their
/// acknowledgement at any time, by the engine's client alone.
fn minimal_client(kind: Kind, broker: &Server, round: usize) -> Result<f64, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    let payload = |n: usize| {
        format!(
            r#"{{"id":"{n:064}","received_at_ms":1,"sdkappid":1400000000,"command":"Live.CallbackAfterDestroyRoom","query":"","body":"{{\"RoomId\":\"room{}\",\"EventTime\":{n}}}"}}"#,
            n % 64
        )
    };
    runtime.block_on(async {
        let started = Instant::now();
        match kind {
            Kind::Nats => {
                let client = async_nats::connect(format!("127.0.0.1:{}", broker.port()))
                    .await
                    .map_err(|error| error.to_string())?;
                let jetstream = async_nats::jetstream::new(client);
                let subject = format!("floor.{round}");
                jetstream
                    .get_or_create_stream(async_nats::jetstream::stream::Config {
                        name: format!("FLOOR{round}"),
                        subjects: vec![subject.clone()],
                        ..Default::default()
                    })
                    .await
                    .map_err(|error| error.to_string())?;
                let mut in_flight = std::collections::VecDeque::new();
                for n in 0..FLOOR_MESSAGES {
                    let mut headers = async_nats::HeaderMap::new();
                    headers.insert("Nats-Msg-Id", format!("{round}-{n}").as_str());
                    let ack = jetstream
                        .publish_with_headers(subject.clone(), headers, payload(n).into())
                        .await
                        .map_err(|error| error.to_string())?;
                    in_flight.push_back(ack);
                    if in_flight.len() == 32
                        && let Some(ack) = in_flight.pop_front()
                    {
                        ack.await.map_err(|error| error.to_string())?;
                    }
                }
                for ack in in_flight {
                    ack.await.map_err(|error| error.to_string())?;
                }
            }
            Kind::Redis => {
                let client =
                    redis::Client::open(broker.url()).map_err(|error| error.to_string())?;
                let connection = client
                    .get_multiplexed_async_connection()
                    .await
                    .map_err(|error| error.to_string())?;
                let stream = format!("floor.{round}");
                let mut in_flight = futures_util::stream::FuturesUnordered::new();
                for n in 0..FLOOR_MESSAGES {
                    let mut connection = connection.clone();
                    let (stream, body) = (stream.clone(), payload(n));
                    in_flight.push(async move {
                        redis::cmd("XADD")
                            .arg(&stream)
                            .arg("*")
                            .arg("envelope")
                            .arg(body)
                            .query_async::<String>(&mut connection)
                            .await
                    });
                    if in_flight.len() == 32
                        && let Some(added) = in_flight.next().await
                    {
                        added.map_err(|error| error.to_string())?;
                    }
                }
                while let Some(added) = in_flight.next().await {
                    added.map_err(|error| error.to_string())?;
                }
            }
        }
        #[allow(clippy::cast_precision_loss)] // a message count, far below 2^52
        Ok(FLOOR_MESSAGES as f64 / started.elapsed().as_secs_f64())
    })
}
