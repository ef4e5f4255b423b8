//! Against real servers (started here on free loopback ports): publishing deduplicates,
//! consumers get the typed webhooks back, a dead Redis consumer's entries are claimed,
//! wrong credentials are refused at connect without the password.

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::StreamExt;
use tencent_live_webhook::{Command, Token, TrustedEnvelope, Verifier, signed_query};
use tencent_live_webhook_publish::{
    BrokerUrl, PublishConfig, Publisher, RedisConsumer, read_payload,
};
use test_servers::{Kind, Server};

const APP: u64 = 1_400_000_000;

/// A verified room-destroyed webhook for room `n`, in its envelope.
fn envelope(n: u32) -> TrustedEnvelope {
    let token = Token::new("t").unwrap();
    let query = signed_query(APP, &Command::AfterDestroyRoom, &token, 1_700_000_000);
    let body = format!(r#"{{"RoomId":"room-{n}","EventTime":{n}}}"#);
    let webhook = Verifier::new()
        .app(APP, [token])
        .verify(&query, 1_700_000_000)
        .unwrap()
        .decode(body.as_bytes())
        .unwrap();
    TrustedEnvelope::new(&webhook, &query, body.as_bytes(), 1_700_000_000_000).unwrap()
}

fn config(topic: &str) -> PublishConfig {
    PublishConfig::default()
        .topic(topic)
        .nats_stream(topic.replace('.', "_").to_uppercase())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jetstream_keeps_each_id_once_and_a_pull_consumer_reads_them_back() {
    let server = Server::nats();
    let url: BrokerUrl = server.url().parse().unwrap();
    let publisher = Publisher::connect(&url, &config("live.test"))
        .await
        .unwrap();
    let mut duplicates = 0;
    for n in 0..60 {
        // Every third one twice: the second must be a duplicate.
        for _ in 0..=u32::from(n % 3 == 0) {
            let published = publisher.publish(&envelope(n)).await.unwrap();
            duplicates += u32::from(published.duplicate);
        }
    }
    assert_eq!(duplicates, 20);

    // The consumer side, as the nats_consumer example does it.
    let client = async_nats::connect(format!("127.0.0.1:{}", server.port()))
        .await
        .unwrap();
    let jetstream = async_nats::jetstream::new(client);
    let stream = jetstream.get_stream("LIVE_TEST").await.unwrap();
    let consumer = stream
        .get_or_create_consumer(
            "reader",
            async_nats::jetstream::consumer::pull::Config {
                durable_name: Some("reader".into()),
                ack_policy: async_nats::jetstream::consumer::AckPolicy::Explicit,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut messages = consumer.messages().await.unwrap();
    let mut rooms = BTreeSet::new();
    while rooms.len() < 60 {
        let message = tokio::time::timeout(Duration::from_secs(10), messages.next())
            .await
            .expect("the stream ran dry")
            .unwrap()
            .unwrap();
        let notification = read_payload(&message.payload).unwrap();
        let Some(webhook) = notification.webhook() else {
            panic!("not a Live webhook")
        };
        let read = notification.envelope().clone();
        let room = webhook.event().unwrap().room_id().unwrap().to_owned();
        let n: u32 = room.trim_start_matches("room-").parse().unwrap();
        assert_eq!(read, envelope(n), "the envelope comes back byte for byte");
        assert_eq!(
            message
                .headers
                .as_ref()
                .unwrap()
                .get("Nats-Msg-Id")
                .unwrap()
                .as_str(),
            read.id()
        );
        message.ack().await.unwrap();
        assert!(rooms.insert(room), "a room twice");
    }
    let info = jetstream
        .get_stream("LIVE_TEST")
        .await
        .unwrap()
        .info()
        .await
        .unwrap()
        .clone();
    assert_eq!(info.state.messages, 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_adds_each_id_once_and_a_dead_consumers_entries_are_claimed() {
    let server = Server::redis();
    let url: BrokerUrl = server.url().parse().unwrap();
    let publisher = Publisher::connect(&url, &config("live.test"))
        .await
        .unwrap();
    for n in 0..30 {
        assert!(!publisher.publish(&envelope(n)).await.unwrap().duplicate);
        assert!(publisher.publish(&envelope(n)).await.unwrap().duplicate);
    }
    let client = redis::Client::open(server.url()).unwrap();
    // redis answers within 500 ms by default; an fsync'd server on a busy machine may
    // not, and a test that reads what was stored must not fail for it.
    let config = redis::AsyncConnectionConfig::new()
        .set_response_timeout(Some(std::time::Duration::from_secs(30)));
    let mut plain = client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .unwrap();
    let length: u64 = redis::cmd("XLEN")
        .arg("live.test")
        .query_async(&mut plain)
        .await
        .unwrap();
    assert_eq!(length, 30);

    // One consumer reads ten and dies before XACK.
    let claim_after = Duration::from_millis(300);
    let mut dying = RedisConsumer::connect(&url, "live.test", "workers", "dying", claim_after)
        .await
        .unwrap();
    let taken = dying.next(10, Duration::from_millis(100)).await.unwrap();
    assert_eq!(taken.len(), 10);
    drop(dying);

    // Another takes the rest, then, once the ten have waited long enough, those too.
    let mut alive = RedisConsumer::connect(&url, "live.test", "workers", "alive", claim_after)
        .await
        .unwrap();
    let mut rooms = BTreeSet::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while rooms.len() < 30 {
        assert!(
            std::time::Instant::now() < deadline,
            "only {} rooms",
            rooms.len()
        );
        for entry in alive.next(8, Duration::from_millis(100)).await.unwrap() {
            let entry = entry.unwrap();
            let Some(webhook) = entry.notification.webhook() else {
                panic!()
            };
            rooms.insert(webhook.event().unwrap().room_id().unwrap().to_owned());
            alive.ack(&entry.stream_id).await.unwrap();
        }
    }
    let pending: redis::Value = redis::cmd("XPENDING")
        .arg("live.test")
        .arg("workers")
        .query_async(&mut plain)
        .await
        .unwrap();
    let redis::Value::Array(summary) = pending else {
        panic!("{pending:?}")
    };
    assert_eq!(summary[0], redis::Value::Int(0), "nothing left pending");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_are_refused_at_connect_without_the_password() {
    for kind in [Kind::Nats, Kind::Redis] {
        let server = Server::with_credentials(kind, "app", "right-password");
        let good: BrokerUrl = server.url().parse().unwrap();
        assert!(
            Publisher::connect(&good, &config("live.auth"))
                .await
                .is_ok(),
            "{kind:?}"
        );
        let bad: BrokerUrl = server
            .url()
            .replace("right-password", "Wr0ngSecret")
            .parse()
            .unwrap();
        let error = Publisher::connect(&bad, &config("live.auth"))
            .await
            .unwrap_err()
            .to_string();
        assert!(!error.contains("Wr0ngSecret"), "{kind:?}: {error}");
        assert!(error.contains("app:***@127.0.0.1"), "{kind:?}: {error}");
        assert!(format!("{bad:?}").contains("***"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_broker_is_a_timely_error_and_a_restarted_one_works_again() {
    for kind in [Kind::Nats, Kind::Redis] {
        let mut server = match kind {
            Kind::Nats => Server::nats(),
            Kind::Redis => Server::redis(),
        };
        let url: BrokerUrl = server.url().parse().unwrap();
        let config = config("live.outage").timeout(Duration::from_millis(500));
        let publisher = Publisher::connect(&url, &config).await.unwrap();
        publisher.publish(&envelope(1)).await.unwrap();
        server.stop();
        let started = std::time::Instant::now();
        assert!(publisher.publish(&envelope(2)).await.is_err(), "{kind:?}");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{kind:?}: {:?}",
            started.elapsed()
        );
        server.start_again();
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        loop {
            match publisher.publish(&envelope(3)).await {
                Ok(_) => break,
                Err(error) => {
                    assert!(std::time::Instant::now() < deadline, "{kind:?}: {error}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
    }
}

/// An example program: `cargo test` builds the examples beside the test binaries; a run
/// of this test file alone builds the one it needs.
fn example(name: &str) -> std::process::Command {
    let deps = std::env::current_exe().unwrap();
    let debug = deps.parent().unwrap().parent().unwrap();
    let path = debug.join("examples").join(name);
    if !path.is_file() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let built = std::process::Command::new(cargo)
            .args([
                "build",
                "-p",
                "tencent-live-webhook-publish",
                "--example",
                name,
            ])
            .status()
            .unwrap();
        assert!(built.success(), "cannot build the example {name}");
    }
    std::process::Command::new(path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consumer_examples_read_what_was_published() {
    for (kind, name) in [
        (Kind::Nats, "nats_consumer"),
        (Kind::Redis, "redis_consumer"),
    ] {
        let server = match kind {
            Kind::Nats => Server::nats(),
            Kind::Redis => Server::redis(),
        };
        let url: BrokerUrl = server.url().parse().unwrap();
        let publisher = Publisher::connect(&url, &PublishConfig::default())
            .await
            .unwrap();
        for n in 0..5 {
            publisher.publish(&envelope(n)).await.unwrap();
        }
        let output = tokio::task::spawn_blocking(move || {
            example(name)
                .env("LIVE_WEBHOOK_PUBLISH_URL", server.url())
                .env("LIVE_WEBHOOK_CONSUME_MAX", "5")
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            stdout
                .lines()
                .filter(|line| line.contains("Live.CallbackAfterDestroyRoom"))
                .count(),
            5,
            "{name}: {stdout}"
        );
    }
}
