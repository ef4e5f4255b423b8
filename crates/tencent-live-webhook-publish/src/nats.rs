//! NATS JetStream: a stream whose duplicate window deduplicates by `Nats-Msg-Id`.

use std::time::Duration;

use async_nats::jetstream;
use tencent_live_webhook::TrustedEnvelope;

use crate::error::{ConnectError, PublishError, chain};
use crate::{BrokerUrl, COMMAND_HEADER, PublishConfig, Published, SDKAPPID_HEADER};

/// Publishes envelopes to a JetStream subject; each acknowledgement is awaited.
#[derive(Clone)]
pub struct NatsPublisher {
    jetstream: jetstream::Context,
    subject: String,
    timeout: Duration,
}

impl std::fmt::Debug for NatsPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsPublisher")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

impl NatsPublisher {
    /// The subject it publishes to.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Connects, and makes sure the stream exists: created with the topic as its subject
    /// and the dedup window as its duplicate window when missing, used as it is otherwise.
    pub async fn connect(
        url: &BrokerUrl,
        config: &PublishConfig,
    ) -> Result<NatsPublisher, ConnectError> {
        let refused = |what: &str, error: &(dyn std::error::Error + 'static)| ConnectError {
            message: format!("{what} {url}: {}", chain(error)),
        };
        let mut options = async_nats::ConnectOptions::new()
            .connection_timeout(config.timeout.max(Duration::from_secs(1)))
            .request_timeout(Some(config.timeout))
            // Back within a second of the broker's return (the client's own default waits
            // up to 4 s between attempts): until then every webhook is a 503.
            .reconnect_delay_callback(|attempts| {
                Duration::from_millis(100)
                    .saturating_mul(u32::try_from(attempts).unwrap_or(u32::MAX))
                    .min(Duration::from_secs(1))
            });
        if let Some((user, password)) = url.credentials() {
            options = options.user_and_password(user, password);
        }
        let client = options
            .connect(url.address())
            .await
            .map_err(|error| refused("cannot connect to", &error))?;
        let jetstream = jetstream::new(client);
        let stream = jetstream::stream::Config {
            name: config.nats_stream.clone(),
            subjects: vec![config.topic.clone()],
            duplicate_window: config.dedup_window,
            ..Default::default()
        };
        jetstream
            .get_or_create_stream(stream)
            .await
            .map_err(|error| {
                refused(
                    &format!("cannot use the stream {} on", config.nats_stream),
                    &error,
                )
            })?;
        Ok(NatsPublisher {
            jetstream,
            subject: config.topic.clone(),
            timeout: config.timeout,
        })
    }

    /// Publishes one envelope (its JSON form) with `Nats-Msg-Id` set to its id, and waits
    /// for the stream's acknowledgement.
    pub async fn publish(&self, envelope: &TrustedEnvelope) -> Result<Published, PublishError> {
        let payload = serde_json::to_vec(envelope)
            .map_err(|error| PublishError::Envelope(error.to_string()))?;
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", envelope.id());
        headers.insert(COMMAND_HEADER, envelope.command_word());
        headers.insert(SDKAPPID_HEADER, envelope.sdk_app_id().to_string().as_str());
        let acknowledged = async {
            self.jetstream
                .publish_with_headers(self.subject.clone(), headers, payload.into())
                .await
                .map_err(|error| PublishError::Broker(chain(&error)))?
                .await
                .map_err(|error| PublishError::Broker(chain(&error)))
        };
        let ack = tokio::time::timeout(self.timeout, acknowledged)
            .await
            .map_err(|_| PublishError::Timeout)??;
        Ok(Published {
            duplicate: ack.duplicate,
        })
    }
}
