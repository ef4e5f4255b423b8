//! The envelope's JSON Schema and the Python consumer example, against real servers:
//! envelopes published here (Live webhooks and a TRTC callback) are read back from NATS
//! JetStream and from Redis Streams by `examples/python/consume.py`, which checks each one
//! against `schema/envelope.schema.json` and acknowledges it; the test then finds nothing
//! left unacknowledged.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tencent_live_webhook::{
    Command as LiveCommand, Token, TrustedEnvelope, Verifier, signed_query,
};
use tencent_live_webhook_publish::{BrokerUrl, PublishConfig, Publisher};
use test_servers::{Server, python_packages};

const APP: u64 = 1_400_000_000;
const TOPIC: &str = "live.python";
const STREAM: &str = "LIVE_PYTHON";
const GROUP: &str = "webhook-workers";

fn crate_path(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The Python packages the example imports.
fn python_path() -> PathBuf {
    python_packages(
        "consumer",
        &["redis==5.2.1", "nats-py==2.9.0", "jsonschema==4.26.0"],
    )
}

fn live(n: u32) -> TrustedEnvelope {
    let token = Token::new("t").unwrap();
    let query = signed_query(APP, &LiveCommand::AfterDestroyRoom, &token, 1_700_000_000);
    let body =
        format!(r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"room-{n}"}}"#);
    let webhook = Verifier::new()
        .app(APP, [token])
        .verify(&query, 1_700_000_000)
        .unwrap()
        .decode(body.as_bytes())
        .unwrap();
    TrustedEnvelope::new(&webhook, &query, body.as_bytes(), 1_700_000_000_000).unwrap()
}

fn trtc() -> TrustedEnvelope {
    use tencent_live_webhook::trtc::{Key, Verifier};
    let key = Key::new("k").unwrap();
    let body = br#"{"EventGroupId":1,"EventType":103,"CallbackTs":5,"EventInfo":{"RoomId":"12345","UserId":"u"}}"#;
    let callback = Verifier::new()
        .app(APP, [key.clone()])
        .without_replay_window()
        .verify(None, Some(key.sign(body).as_bytes()), body, 0)
        .unwrap()
        .decode()
        .unwrap();
    TrustedEnvelope::from_trtc(&callback, body, 1_700_000_000_000).unwrap()
}

/// Runs `python3 args...` with the packages on its path, for at most a minute.
fn python(args: &[&str]) -> Output {
    let mut child = Command::new("python3")
        .args(args)
        .env("PYTHONPATH", python_path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is needed");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// Publishes the envelopes (one of them twice) and has the example read them back; the
/// ids it printed.
async fn publish_and_consume(server: &Server, envelopes: &[TrustedEnvelope]) -> BTreeSet<String> {
    let url: BrokerUrl = server.url().parse().unwrap();
    let config = PublishConfig::default().topic(TOPIC).nats_stream(STREAM);
    let publisher = Publisher::connect(&url, &config).await.unwrap();
    for envelope in envelopes {
        publisher.publish(envelope).await.unwrap();
    }
    assert!(publisher.publish(&envelopes[0]).await.unwrap().duplicate);
    let count = envelopes.len().to_string();
    let script = crate_path("examples/python/consume.py");
    let server_url = server.url();
    let output = tokio::task::spawn_blocking(move || {
        python(&[
            script.to_str().unwrap(),
            &server_url,
            "--topic",
            TOPIC,
            "--stream",
            STREAM,
            "--group",
            GROUP,
            "--count",
            &count,
        ])
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let printed: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(printed["sdkappid"], APP);
            printed["id"].as_str().unwrap().to_owned()
        })
        .collect()
}

fn envelopes() -> Vec<TrustedEnvelope> {
    let mut all: Vec<TrustedEnvelope> = (0..5).map(live).collect();
    all.push(trtc());
    all
}

fn ids(envelopes: &[TrustedEnvelope]) -> BTreeSet<String> {
    envelopes.iter().map(|e| e.id().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_example_reads_and_acknowledges_every_envelope_from_redis() {
    let server = Server::redis();
    let envelopes = envelopes();
    assert_eq!(
        publish_and_consume(&server, &envelopes).await,
        ids(&envelopes)
    );
    let client = redis::Client::open(server.url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    // XPENDING's summary starts with the count of entries read and not acknowledged.
    let pending: Vec<redis::Value> = redis::cmd("XPENDING")
        .arg(TOPIC)
        .arg(GROUP)
        .query_async(&mut connection)
        .await
        .unwrap();
    let count: u64 = redis::from_redis_value(pending[0].clone()).unwrap();
    assert_eq!(count, 0, "every entry acknowledged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_example_reads_and_acknowledges_every_envelope_from_jetstream() {
    let server = Server::nats();
    let envelopes = envelopes();
    assert_eq!(
        publish_and_consume(&server, &envelopes).await,
        ids(&envelopes)
    );
    let client = async_nats::connect(format!("127.0.0.1:{}", server.port()))
        .await
        .unwrap();
    let jetstream = async_nats::jetstream::new(client);
    let stream = jetstream.get_stream(STREAM).await.unwrap();
    let info = stream.consumer_info(GROUP).await.unwrap();
    assert_eq!(info.num_ack_pending, 0, "every message acknowledged");
    assert_eq!(info.num_pending, 0, "none left to read");
}

#[test]
fn the_schema_refuses_what_is_not_an_envelope() {
    let schema = crate_path("schema/envelope.schema.json");
    let good = serde_json::to_string(&live(1)).unwrap();
    let trtc = serde_json::to_string(&trtc()).unwrap();
    let check = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1]))\n\
        validator = jsonschema.Draft202012Validator(schema)\n\
        jsonschema.Draft202012Validator.check_schema(schema)\n\
        for text in sys.argv[2:]:\n    \
            print('ok' if validator.is_valid(json.loads(text)) else 'refused')\n";
    // The good envelope with one field changed.
    let changed = |field: &str, value: Option<serde_json::Value>| {
        let mut envelope: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&good).unwrap();
        match value {
            Some(value) => envelope.insert(field.to_owned(), value),
            None => envelope.remove(field),
        };
        serde_json::to_string(&envelope).unwrap()
    };
    let bad = [
        changed("id", Some("x".into())),
        changed("id", None),
        changed("sdkappid", Some("1400000000".into())),
        changed("extra", Some(1.into())),
        changed("command", Some("".into())),
        changed("received_at_ms", Some((-1).into())),
    ];
    let mut args = vec!["-c", check, schema.to_str().unwrap(), &good, &trtc];
    args.extend(bad.iter().map(String::as_str));
    let output = python(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let verdicts: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        verdicts,
        [
            "ok", "ok", "refused", "refused", "refused", "refused", "refused", "refused"
        ]
    );
}
