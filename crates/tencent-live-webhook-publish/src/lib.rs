//! Publish verified Tencent Cloud Live webhooks (and TRTC callbacks) into the queue your
//! services already consume, and read them back as typed webhooks.
//!
//! Two engines, through their well-kept clients: **NATS JetStream** (`async-nats`;
//! deduplication by `Nats-Msg-Id` within the stream's duplicate window) and **Redis
//! Streams** (`redis`; `XADD` guarded by a key that expires with the dedup window, set in
//! the same script). Every message is a [`TrustedEnvelope`] in its JSON form: the id, when
//! it arrived, the app, the command word, the exact query and body.
//!
//! ```no_run
//! use std::time::Duration;
//! use tencent_live_webhook_publish::{BrokerUrl, PublishConfig, Publisher};
//!
//! # async fn run(envelope: tencent_live_webhook::TrustedEnvelope) -> Result<(), Box<dyn std::error::Error>> {
//! let url: BrokerUrl = std::env::var("LIVE_WEBHOOK_PUBLISH_URL")?.parse()?;
//! let publisher = Publisher::connect(&url, &PublishConfig::default()).await?;
//! // In a receiver: 200 to Tencent only once the broker has it.
//! let published = publisher.publish(&envelope).await?;
//! println!("stored; already there: {}", published.duplicate);
//! # Ok(())
//! # }
//! ```
//!
//! A consumer gets the typed webhook back in one call, [`read_payload`]; the
//! examples `nats_consumer` and `redis_consumer` show a JetStream pull consumer with
//! explicit acks and a Redis consumer group ([`RedisConsumer`]) that claims what a dead
//! consumer left pending.
#![forbid(unsafe_code)]

/// The README's example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod consume;
mod error;
mod nats;
mod redis;
mod target;

use std::time::Duration;

pub use consume::{ReadError, RedisConsumer, RedisEntry, read_payload};
pub use error::{ConnectError, PublishError};
pub use nats::NatsPublisher;
pub use redis::RedisPublisher;
pub use target::{BrokerUrl, Engine, UrlError};
pub use tencent_live_webhook::{Decoded, Notification, TrustedEnvelope};

use tencent_live_webhook_spool::{Attempt, Destination, Outcome};

/// NATS header: the envelope's command word (`trtc:GROUP:TYPE` for a TRTC callback).
pub const COMMAND_HEADER: &str = "Live-Webhook-Command";
/// NATS header: the envelope's app.
pub const SDKAPPID_HEADER: &str = "Live-Webhook-Sdkappid";

/// Where and how to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PublishConfig {
    /// The JetStream subject, or the Redis stream key: `live.webhooks` by default.
    pub topic: String,
    /// The JetStream stream, created when missing: `LIVE_WEBHOOKS` by default.
    pub nats_stream: String,
    /// How long an id is remembered against duplicates: 10 minutes by default.
    pub dedup_window: Duration,
    /// How long the broker has to acknowledge: 2 s by default.
    pub timeout: Duration,
}

impl Default for PublishConfig {
    fn default() -> PublishConfig {
        PublishConfig {
            topic: "live.webhooks".into(),
            nats_stream: "LIVE_WEBHOOKS".into(),
            dedup_window: Duration::from_secs(600),
            timeout: Duration::from_secs(2),
        }
    }
}

impl PublishConfig {
    /// Sets the subject or stream key.
    #[must_use]
    pub fn topic(mut self, topic: impl Into<String>) -> PublishConfig {
        self.topic = topic.into();
        self
    }

    /// Sets the JetStream stream's name.
    #[must_use]
    pub fn nats_stream(mut self, name: impl Into<String>) -> PublishConfig {
        self.nats_stream = name.into();
        self
    }

    /// Sets the dedup window.
    #[must_use]
    pub fn dedup_window(mut self, window: Duration) -> PublishConfig {
        self.dedup_window = window;
        self
    }

    /// Sets the acknowledgement timeout.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> PublishConfig {
        self.timeout = timeout;
        self
    }
}

/// What the broker said of a published envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Published {
    /// The id was already in the stream within the dedup window: not added again.
    pub duplicate: bool,
}

/// A connected publisher for either engine. Cheap to clone (the connection is shared).
#[derive(Debug, Clone)]
pub enum Publisher {
    /// NATS JetStream.
    Nats(NatsPublisher),
    /// Redis Streams.
    Redis(RedisPublisher),
}

impl Publisher {
    /// Connects to the broker `url` names; a refused password or an unreachable broker is
    /// an error here, named without the password.
    pub async fn connect(
        url: &BrokerUrl,
        config: &PublishConfig,
    ) -> Result<Publisher, ConnectError> {
        match url.engine() {
            Engine::Nats => NatsPublisher::connect(url, config)
                .await
                .map(Publisher::Nats),
            Engine::Redis => RedisPublisher::connect(url, config)
                .await
                .map(Publisher::Redis),
        }
    }

    /// Publishes one envelope and waits for the broker's acknowledgement.
    pub async fn publish(&self, envelope: &TrustedEnvelope) -> Result<Published, PublishError> {
        match self {
            Publisher::Nats(nats) => nats.publish(envelope).await,
            Publisher::Redis(redis) => redis.publish(envelope).await,
        }
    }
}

/// A spool's worker publishes what it stores: the spool is then an outbox, and a broker
/// that is down for minutes loses nothing.
impl Destination for Publisher {
    async fn deliver(&self, attempt: Attempt) -> Outcome {
        match self.publish(&attempt.envelope).await {
            Ok(_) => Outcome::Delivered { status: None },
            Err(error) => Outcome::failed(error.to_string()),
        }
    }

    fn describe(&self) -> String {
        match self {
            Publisher::Nats(nats) => format!("the NATS subject {}", nats.subject()),
            Publisher::Redis(redis) => format!("the Redis stream {}", redis.stream()),
        }
    }
}
