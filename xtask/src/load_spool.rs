//! `cargo xtask load --spool`: the cost of durability. `serve --spool --forward-to APP`
//! against `serve --forward-to APP` (the same work minus durability) under wrk at 32
//! connections, each request a different webhook (the spool drops duplicates); the spool's
//! syncs per webhook from its metrics; then how fast 100,000 spooled webhooks drain into
//! the app. The app is the bare actix-web ack server. serve runs on core 0, wrk and the
//! app on core 1; rounds alternate; medians. Loopback only; bounded in time.

use std::process::{Child, Command, ExitCode};
use std::thread;
use std::time::{Duration, Instant};

use tencent_live_webhook::{Command as LiveCommand, Token, Verifier, signed_query};
use tencent_live_webhook_spool::{Spool, SpoolConfig};

use crate::harness::{
    APP, TOKEN, UNIQUE_LUA, get, median, metric, pinned, serve_pinned, wait_listening, wrk,
    wrk_rate,
};

const SERVE: &str = "127.0.0.1:18090";
const APP_ADDRESS: &str = "127.0.0.1:18091";
const ADMIN: &str = "127.0.0.1:18092";
const CONNECTIONS: &str = "32";
const SECONDS: &str = "5s";
const ROUNDS: usize = 3;
const DRAIN: u32 = 100_000;

pub(crate) fn run() -> ExitCode {
    match measure_all() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("load --spool: {error}");
            ExitCode::FAILURE
        }
    }
}

fn measure_all() -> Result<(), String> {
    for (tool, package) in [("wrk", "wrk"), ("taskset", "util-linux")] {
        if Command::new(tool).arg("--version").output().is_err() {
            return Err(format!("{tool} is needed: apt-get install {package}"));
        }
    }
    if !crate::harness::build_servers() {
        return Err("the build failed".into());
    }
    let directory =
        std::env::temp_dir().join(format!("live-webhook-load-spool-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).map_err(|error| error.to_string())?;
    let script = directory.join("unique.lua");
    std::fs::write(&script, UNIQUE_LUA).map_err(|error| error.to_string())?;
    let script = script.to_string_lossy().into_owned();
    let mut app = pinned(
        "1",
        &crate::target_path("release/bare-server"),
        &[APP_ADDRESS],
    )?;
    let result = compare(&directory, &script, &mut app);
    let _ = app.kill();
    let _ = app.wait();
    let _ = std::fs::remove_dir_all(&directory);
    result
}

fn compare(directory: &std::path::Path, script: &str, app: &mut Child) -> Result<(), String> {
    wait_listening(app, APP_ADDRESS, Duration::from_secs(10))?;
    let forward_to = format!("http://{APP_ADDRESS}/hook");
    let mut plain = Vec::new();
    let mut spooled = Vec::new();
    let mut syncs = Vec::new();
    for round in 1..=ROUNDS {
        let rate = serve_and_load(&["--forward-to", &forward_to], script)?.0;
        println!("round {round}: serve --forward-to: {rate:.0} requests/s");
        plain.push(rate);
        let spool = directory.join(format!("round{round}.db"));
        let spool = spool.to_string_lossy();
        let (rate, metrics) = serve_and_load(
            &[
                "--forward-to",
                &forward_to,
                "--spool",
                &spool,
                "--metrics-listen",
                ADMIN,
            ],
            script,
        )?;
        let received = metric(
            &metrics,
            "live_webhook_received_total{command=\"Live.CallbackAfterDestroyRoom\"}",
        );
        let per_webhook = metric(&metrics, "live_webhook_spool_syncs_total") / received;
        let pending = metric(&metrics, "live_webhook_spool_pending");
        println!(
            "round {round}: serve --spool --forward-to: {rate:.0} requests/s, {per_webhook:.3} syncs per webhook, {pending:.0} of {received:.0} not yet delivered when the load stopped"
        );
        spooled.push(rate);
        syncs.push(per_webhook);
    }
    let (plain, spooled, syncs) = (median(&mut plain), median(&mut spooled), median(&mut syncs));
    let drain_file = directory.join("drain.db");
    fill(&drain_file)?;
    let drained = drain(&drain_file, &forward_to)?;
    println!("\n| measure (median of {ROUNDS}; wrk -c{CONNECTIONS}) | value | ratio |");
    println!("|---|---|---|");
    println!("| serve --forward-to APP | {plain:.0} requests/s | 1.00 |");
    println!(
        "| serve --spool --forward-to APP | {spooled:.0} requests/s | {:.2} × without spool |",
        spooled / plain
    );
    println!("| syncs per webhook (spool) | {syncs:.3} | |");
    println!(
        "| drain of {DRAIN} spooled webhooks into APP | {drained:.0} webhooks/s | {:.2} × spool ingest |",
        drained / spooled
    );
    Ok(())
}

/// Runs `serve` with `extra` on core 0, loads it, scrapes its metrics (when it has an
/// admin listener), stops it. Requests per second and the metrics text.
fn serve_and_load(extra: &[&str], script: &str) -> Result<(f64, String), String> {
    let mut server = serve(extra)?;
    let result = (|| {
        wait_listening(&mut server, SERVE, Duration::from_secs(10))?;
        let rate = wrk_rate(&wrk(SERVE, script, CONNECTIONS, SECONDS)?)?;
        let metrics = if extra.contains(&"--metrics-listen") {
            get(ADMIN, "/metrics")?
        } else {
            String::new()
        };
        Ok((rate, metrics))
    })();
    let _ = server.kill();
    let _ = server.wait();
    thread::sleep(Duration::from_millis(200));
    result
}

/// Appends `DRAIN` distinct verified webhooks to a fresh spool, many at a time.
fn fill(path: &std::path::Path) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|error| error.to_string())?;
    runtime.block_on(async {
        let spool = Spool::open(path, SpoolConfig::default()).map_err(|error| error.to_string())?;
        let token = Token::new(TOKEN).map_err(|error| error.to_string())?;
        let now = crate::reliability::unix_now();
        let query = signed_query(APP, &LiveCommand::AfterDestroyRoom, &token, now);
        let verifier = Verifier::new().app(APP, [token]);
        let verified = verifier.verify(&query, now).map_err(|error| error.to_string())?;
        for chunk in 0..DRAIN / 1000 {
            let mut appends = tokio::task::JoinSet::new();
            for n in chunk * 1000..(chunk + 1) * 1000 {
                let body = format!(
                    r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"room{}","EventTime":{n}}}"#,
                    n % 64
                );
                let webhook = verified.decode(body.as_bytes()).map_err(|error| error.to_string())?;
                let notification = tencent_live_webhook::Notification::live(
                    webhook,
                    query.clone(),
                    body.into_bytes(),
                    now * 1000,
                )
                .map_err(|error| error.to_string())?;
                let spool = spool.clone();
                appends.spawn(async move { spool.append(&notification).await });
            }
            while let Some(appended) = appends.join_next().await {
                appended
                    .map_err(|error| error.to_string())?
                    .map_err(|error| error.to_string())?;
            }
        }
        Ok::<(), String>(())
    })
}

/// Starts `serve` on the filled spool and times until nothing is pending.
fn drain(path: &std::path::Path, forward_to: &str) -> Result<f64, String> {
    let spool = path.to_string_lossy();
    let started = Instant::now();
    let mut server = serve(&[
        "--forward-to",
        forward_to,
        "--spool",
        &spool,
        "--metrics-listen",
        ADMIN,
    ])?;
    let result = (|| {
        wait_listening(&mut server, ADMIN, Duration::from_secs(10))?;
        let deadline = Instant::now() + Duration::from_secs(600);
        loop {
            let metrics = get(ADMIN, "/metrics")?;
            if metric(&metrics, "live_webhook_spool_pending") == 0.0 {
                return Ok(f64::from(DRAIN) / started.elapsed().as_secs_f64());
            }
            if Instant::now() > deadline {
                return Err("the spool did not drain within 10 minutes".into());
            }
            thread::sleep(Duration::from_millis(100));
        }
    })();
    let _ = server.kill();
    let _ = server.wait();
    thread::sleep(Duration::from_millis(200));
    result
}

fn serve(extra: &[&str]) -> Result<Child, String> {
    serve_pinned(SERVE, extra)
}
