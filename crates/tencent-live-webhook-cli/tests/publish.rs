//! `serve --publish` against real brokers (nats-server -js, redis-server, started here):
//! every framework, with and without a spool; a broker outage under load; two receivers
//! sharing one broker; wrong credentials.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use common::{APP, Serving, TOKEN, agent, live_webhook, now, signed};
use serde_json::Value;
use tencent_live_webhook::Command;
use tencent_live_webhook_publish::read_payload;
use test_servers::{Kind, Server};

const FRAMEWORKS: [&str; 3] = ["actix", "warp", "axum"];
const TOPIC: &str = "live.webhooks";

/// A room-destroyed body for room `n`: every one different.
fn body(n: usize) -> String {
    format!(
        r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"room-{n}","EventTime":{n}}}"#
    )
}

/// `serve --publish` with the broker URL in its variable, JSON lines.
fn serve(framework: &str, broker: &Server, extra: &[&str]) -> Serving {
    let mut command = live_webhook();
    command
        .env("LIVE_WEBHOOK_PUBLISH_URL", broker.url())
        .args(["serve", "--sdkappid", APP, "--listen", "127.0.0.1:0"])
        .args([
            "--token",
            TOKEN,
            "--format",
            "json",
            "--framework",
            framework,
        ])
        .args(["--publish-timeout", "1s"])
        .args(extra);
    Serving::spawn(command)
}

/// POSTs the bodies of `numbers` from `threads` connections; the status of each, by number.
fn send_all(url: &str, numbers: &[usize], threads: usize) -> BTreeMap<usize, u16> {
    let numbers = Arc::new(numbers.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (numbers, next, url) = (Arc::clone(&numbers), Arc::clone(&next), url.to_owned());
            thread::spawn(move || {
                let agent = agent();
                let mut statuses = Vec::new();
                loop {
                    let at = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&n) = numbers.get(at) else { break };
                    let query = signed(&Command::AfterDestroyRoom, now());
                    let status = agent
                        .post(format!("{url}/?{query}"))
                        .send(body(n))
                        .map_or(0, |response| response.status().as_u16());
                    statuses.push((n, status));
                }
                statuses
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|handle| handle.join().unwrap())
        .collect()
}

/// Every entry of the broker's stream: the envelope id and the payload (the envelope's
/// JSON form), in order.
fn stream_entries(kind: Kind, broker: &Server) -> Vec<(String, Vec<u8>)> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        match kind {
            Kind::Nats => {
                let client = async_nats::connect(format!("127.0.0.1:{}", broker.port()))
                    .await
                    .unwrap();
                let jetstream = async_nats::jetstream::new(client);
                let mut stream = jetstream.get_stream("LIVE_WEBHOOKS").await.unwrap();
                let state = stream.info().await.unwrap().state.clone();
                let mut entries = Vec::new();
                if state.messages > 0 {
                    for sequence in state.first_sequence..=state.last_sequence {
                        let message = stream.get_raw_message(sequence).await.unwrap();
                        let id = message.headers.get("Nats-Msg-Id").unwrap().to_string();
                        entries.push((id, message.payload.to_vec()));
                    }
                }
                entries
            }
            Kind::Redis => {
                let client = redis::Client::open(broker.url()).unwrap();
                // redis answers within 500 ms by default; an fsync'd server on a busy machine may
                // not, and a test that reads what was stored must not fail for it.
                let config = redis::AsyncConnectionConfig::new()
                    .set_response_timeout(Some(std::time::Duration::from_secs(30)));
                let mut connection = client
                    .get_multiplexed_async_connection_with_config(&config)
                    .await
                    .unwrap();
                let reply: redis::streams::StreamRangeReply = redis::cmd("XRANGE")
                    .arg(TOPIC)
                    .arg("-")
                    .arg("+")
                    .query_async(&mut connection)
                    .await
                    .unwrap();
                reply
                    .ids
                    .iter()
                    .map(|entry| {
                        let field = |name: &str| -> Vec<u8> {
                            redis::from_redis_value(entry.map.get(name).unwrap().clone()).unwrap()
                        };
                        (String::from_utf8(field("id")).unwrap(), field("envelope"))
                    })
                    .collect()
            }
        }
    })
}

/// The room each entry decodes to, checking on the way that each id is there once, that
/// the body is the one sent, byte for byte, and that the typed event equals the line
/// `serve` printed for it.
fn check_entries(
    entries: &[(String, Vec<u8>)],
    lines: &BTreeMap<String, Value>,
) -> BTreeSet<usize> {
    let mut ids = BTreeSet::new();
    let mut rooms = BTreeSet::new();
    for (id, payload) in entries {
        assert!(ids.insert(id.clone()), "{id} twice in the stream");
        let notification = read_payload(payload).unwrap();
        let envelope = notification.envelope();
        assert_eq!(envelope.id(), id);
        let Some(webhook) = notification.webhook() else {
            panic!("not Live")
        };
        let room = webhook.event().unwrap().room_id().unwrap().to_owned();
        let n: usize = room.trim_start_matches("room-").parse().unwrap();
        assert_eq!(envelope.body(), body(n), "the body changed on the way");
        if let Some(line) = lines.get(id) {
            assert_eq!(
                serde_json::to_value(webhook.event().unwrap()).unwrap(),
                line["event"],
                "the broker's webhook and serve's line differ"
            );
        }
        rooms.insert(n);
    }
    rooms
}

/// The JSON lines `serve` printed, by their publish (or spool) id.
fn lines_by_id(serving: &Serving, count: usize, key: &str) -> BTreeMap<String, Value> {
    (0..count)
        .map(|_| {
            let line = serving.next_line();
            (line[key]["id"].as_str().unwrap().to_owned(), line)
        })
        .collect()
}

fn thousand_webhooks(kind: Kind, framework: &str, spool: bool) {
    let broker = match kind {
        Kind::Nats => Server::nats(),
        Kind::Redis => Server::redis(),
    };
    let dir = tempfile_dir();
    let spool_path = dir.join("spool.db");
    let spool_args: Vec<&str> = if spool {
        vec![
            "--spool",
            spool_path.to_str().unwrap(),
            "--retry-schedule",
            "100ms,200ms,500ms,1s,1s,1s,1s,1s,1s,1s",
        ]
    } else {
        Vec::new()
    };
    let serving = serve(framework, &broker, &spool_args);
    let numbers: Vec<usize> = (0..1000).collect();
    let statuses = send_all(&serving.url, &numbers, 16);
    assert!(
        statuses.values().all(|status| *status == 200),
        "{framework}: {statuses:?}"
    );
    let key = if spool { "spool" } else { "publish" };
    let lines = lines_by_id(&serving, 1000, key);
    // With a spool, publishing happens in the background: wait for all of it.
    let deadline = Instant::now() + Duration::from_secs(60);
    let entries = loop {
        let entries = stream_entries(kind, &broker);
        if entries.len() >= 1000 || Instant::now() > deadline {
            break entries;
        }
        thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(entries.len(), 1000, "{kind:?} {framework} spool={spool}");
    assert_eq!(check_entries(&entries, &lines).len(), 1000);
    drop(serving);
}

fn tempfile_dir() -> std::path::PathBuf {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "live-webhook-publish-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn nats_without_a_spool_on_every_framework() {
    for framework in FRAMEWORKS {
        thousand_webhooks(Kind::Nats, framework, false);
    }
}

#[test]
fn nats_with_a_spool_on_every_framework() {
    for framework in FRAMEWORKS {
        thousand_webhooks(Kind::Nats, framework, true);
    }
}

#[test]
fn redis_without_a_spool_on_every_framework() {
    for framework in FRAMEWORKS {
        thousand_webhooks(Kind::Redis, framework, false);
    }
}

#[test]
fn redis_with_a_spool_on_every_framework() {
    for framework in FRAMEWORKS {
        thousand_webhooks(Kind::Redis, framework, true);
    }
}

/// Sends webhooks numbered from `first` until `stop`, one connection; the statuses.
fn keep_sending(
    url: String,
    first: usize,
    stop: Arc<AtomicBool>,
) -> thread::JoinHandle<Vec<(usize, u16, Instant)>> {
    thread::spawn(move || {
        let agent = agent();
        let mut sent = Vec::new();
        let mut n = first;
        while !stop.load(Ordering::SeqCst) {
            let query = signed(&Command::AfterDestroyRoom, now());
            let status = agent
                .post(format!("{url}/?{query}"))
                .send(body(n))
                .map_or(0, |response| response.status().as_u16());
            sent.push((n, status, Instant::now()));
            n += 1;
            thread::sleep(Duration::from_millis(20));
        }
        sent
    })
}

fn outage(kind: Kind, spool: bool) {
    let mut broker = match kind {
        Kind::Nats => Server::nats(),
        Kind::Redis => Server::redis(),
    };
    let dir = tempfile_dir();
    let spool_path = dir.join("spool.db");
    let mut extra = Vec::new();
    if spool {
        // Retried every second at most, for long enough to outlast the outage.
        let schedule = "200ms,500ms,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s";
        extra.extend([
            "--spool",
            spool_path.to_str().unwrap(),
            "--retry-schedule",
            schedule,
        ]);
    }
    let serving = serve("axum", &broker, &extra);
    let stop = Arc::new(AtomicBool::new(false));
    let senders: Vec<_> = (0..4)
        .map(|i| keep_sending(serving.url.clone(), i * 100_000, Arc::clone(&stop)))
        .collect();
    thread::sleep(Duration::from_secs(1));
    broker.stop();
    let stopped_at = Instant::now();
    thread::sleep(Duration::from_secs(10));
    // Requests answered while it starts may already get through: "down" ends here.
    let restarting_at = Instant::now();
    broker.start_again();
    let restarted_at = Instant::now();
    thread::sleep(Duration::from_secs(6));
    let settled_at = restarted_at + Duration::from_secs(4);
    stop.store(true, Ordering::SeqCst);
    let sent: Vec<(usize, u16, Instant)> = senders
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let acked: BTreeSet<usize> = sent
        .iter()
        .filter(|(_, status, _)| *status == 200)
        .map(|(n, _, _)| *n)
        .collect();
    if spool {
        // The spool takes everything: 200 throughout.
        assert_eq!(acked.len(), sent.len(), "{kind:?}: refused with a spool");
    } else {
        // While the broker is down, 503 (after its start is noticed); 200 again after.
        let refused_while_down = sent
            .iter()
            .filter(|(_, _, at)| *at > stopped_at + Duration::from_secs(2) && *at < restarting_at)
            .all(|(_, status, _)| *status == 503);
        assert!(refused_while_down, "{kind:?}: something but 503 while down");
        // The clients reconnect on their own: the last two seconds are all 200.
        let late_ok = sent
            .iter()
            .filter(|(_, _, at)| *at > settled_at)
            .all(|(_, status, _)| *status == 200);
        assert!(
            late_ok,
            "{kind:?}: not 200 again after the broker came back"
        );
        assert!(sent.iter().any(|(_, status, _)| *status == 503));
    }
    // Everything acknowledged is in the stream.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let entries = stream_entries(kind, &broker);
        let rooms = check_entries(&entries, &BTreeMap::new());
        let missing: Vec<_> = acked.difference(&rooms).collect();
        if missing.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{kind:?} spool={spool}: {} acknowledged webhooks lost",
            missing.len()
        );
        thread::sleep(Duration::from_millis(300));
    }
    drop(serving);
}

#[test]
fn a_broker_down_for_ten_seconds_loses_nothing_acknowledged() {
    thread::scope(|scope| {
        for kind in [Kind::Nats, Kind::Redis] {
            for spool in [true, false] {
                scope.spawn(move || outage(kind, spool));
            }
        }
    });
}

#[test]
fn two_receivers_sharing_a_broker_store_each_webhook_once() {
    for kind in [Kind::Nats, Kind::Redis] {
        let broker = match kind {
            Kind::Nats => Server::nats(),
            Kind::Redis => Server::redis(),
        };
        let first = serve("actix", &broker, &[]);
        let second = serve("warp", &broker, &[]);
        let numbers: Vec<usize> = (0..500).collect();
        let (a, b) = thread::scope(|scope| {
            let a = scope.spawn(|| send_all(&first.url, &numbers, 8));
            let b = scope.spawn(|| send_all(&second.url, &numbers, 8));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert!(a.values().chain(b.values()).all(|status| *status == 200));
        let entries = stream_entries(kind, &broker);
        assert_eq!(entries.len(), 500, "{kind:?}");
        assert_eq!(check_entries(&entries, &BTreeMap::new()).len(), 500);
    }
}

#[test]
fn wrong_broker_credentials_stop_the_start_without_showing_the_password() {
    for kind in [Kind::Nats, Kind::Redis] {
        let broker = Server::with_credentials(kind, "gateway", "right-one");
        let wrong = broker.url().replace("right-one", "N0tTheP4ss");
        let output = live_webhook()
            .env("LIVE_WEBHOOK_PUBLISH_URL", &wrong)
            .args([
                "serve",
                "--sdkappid",
                APP,
                "--token",
                TOKEN,
                "--listen",
                "127.0.0.1:0",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{kind:?}: {stderr}");
        assert!(stderr.contains("cannot connect to"), "{kind:?}: {stderr}");
        assert!(
            stderr.contains("gateway:***@127.0.0.1"),
            "{kind:?}: {stderr}"
        );
        assert!(!stderr.contains("N0tTheP4ss"), "{kind:?}: {stderr}");
        // A URL that is not a broker's: a usage error.
        let output = live_webhook()
            .args([
                "serve",
                "--sdkappid",
                APP,
                "--token",
                TOKEN,
                "--publish",
                "amqp://host",
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
    }
}
