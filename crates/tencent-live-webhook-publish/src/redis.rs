//! Redis Streams: `XADD` behind a key that expires with the dedup window, both in one
//! script, so a crash between the two can neither lose nor double an entry.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tencent_live_webhook::TrustedEnvelope;

use crate::error::{ConnectError, PublishError, chain};
use crate::{BrokerUrl, PublishConfig, Published};

/// `KEYS[1]` the stream, `KEYS[2]` the dedup key; `ARGV`: id, command, app, envelope,
/// window in ms. Scripts run atomically: the key is set if and only if the entry is added.
const ADD_ONCE: &str = r"
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[5]) then
  return redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'command', ARGV[2], 'sdkappid', ARGV[3], 'envelope', ARGV[4])
end
return false
";

/// Publishes envelopes to a Redis stream with `XADD`, each id once per dedup window.
#[derive(Clone)]
pub struct RedisPublisher {
    connection: ConnectionManager,
    stream: String,
    window_ms: u64,
    timeout: Duration,
    script: Arc<redis::Script>,
}

impl std::fmt::Debug for RedisPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisPublisher")
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

impl RedisPublisher {
    /// The stream key it adds to.
    pub fn stream(&self) -> &str {
        &self.stream
    }

    /// Connects (the password, if any, checked at once) to the server of `url`.
    pub async fn connect(
        url: &BrokerUrl,
        config: &PublishConfig,
    ) -> Result<RedisPublisher, ConnectError> {
        let connection = connect(url, config.timeout).await?;
        Ok(RedisPublisher {
            connection,
            stream: config.topic.clone(),
            window_ms: u64::try_from(config.dedup_window.as_millis())
                .unwrap_or(u64::MAX)
                .max(1),
            timeout: config.timeout,
            script: Arc::new(redis::Script::new(ADD_ONCE)),
        })
    }

    /// The key that marks `id` as published within the dedup window.
    pub fn dedup_key(&self, id: &str) -> String {
        format!("{}:dedup:{id}", self.stream)
    }

    /// Adds one envelope to the stream (fields `id`, `command`, `sdkappid`, `envelope`)
    /// unless its id was added within the dedup window; waits for the reply.
    pub async fn publish(&self, envelope: &TrustedEnvelope) -> Result<Published, PublishError> {
        let json = serde_json::to_string(envelope)
            .map_err(|error| PublishError::Envelope(error.to_string()))?;
        let mut connection = self.connection.clone();
        let mut invocation = self.script.prepare_invoke();
        invocation
            .key(&self.stream)
            .key(self.dedup_key(envelope.id()))
            .arg(envelope.id())
            .arg(envelope.command_word())
            .arg(envelope.sdk_app_id())
            .arg(json)
            .arg(self.window_ms);
        let added = tokio::time::timeout(
            self.timeout,
            invocation.invoke_async::<Option<String>>(&mut connection),
        )
        .await
        .map_err(|_| PublishError::Timeout)?
        .map_err(|error| PublishError::Broker(chain(&error)))?;
        Ok(Published {
            duplicate: added.is_none(),
        })
    }
}

/// A connection manager to the server of `url`, reconnecting by itself, checked with a
/// PING so that refused credentials show at once.
pub(crate) async fn connect(
    url: &BrokerUrl,
    timeout: Duration,
) -> Result<ConnectionManager, ConnectError> {
    let refused = |error: &redis::RedisError| ConnectError {
        message: format!("cannot connect to {url}: {}", chain(error)),
    };
    let client = redis::Client::open(url.secret_text()).map_err(|error| refused(&error))?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(timeout.max(Duration::from_secs(1))))
        .set_response_timeout(Some(timeout))
        .set_number_of_retries(1);
    let mut connection = tokio::time::timeout(
        timeout.max(Duration::from_secs(1)) * 2,
        ConnectionManager::new_with_config(client, config),
    )
    .await
    .map_err(|_| ConnectError {
        message: format!("cannot connect to {url}: no answer in time"),
    })?
    .map_err(|error| refused(&error))?;
    redis::cmd("PING")
        .query_async::<String>(&mut connection)
        .await
        .map_err(|error| refused(&error))?;
    Ok(connection)
}
