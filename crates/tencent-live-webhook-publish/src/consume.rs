//! Reading back what was published: one call from a message to a typed webhook, and a
//! Redis consumer group that claims what a dead consumer left pending.

use std::fmt;
use std::time::Duration;

use redis::Value;
use redis::aio::ConnectionManager;
use tencent_live_webhook::{EnvelopeError, Notification, TrustedEnvelope};

use crate::BrokerUrl;
use crate::error::{ConnectError, chain};

/// Reads a message's payload (the envelope's JSON form) and decodes it: one call from a
/// JetStream message or a Redis entry's `envelope` field to the typed notification
/// (without checking signatures again: trust comes from the queue, which only your
/// receivers write to).
///
/// ```
/// use tencent_live_webhook::{Command, Decoded, Notification, Token, Verifier, signed_query};
/// use tencent_live_webhook_publish::read_payload;
///
/// let token = Token::new("t")?;
/// let query = signed_query(7, &Command::AfterDestroyRoom, &token, 1_700_000_000);
/// let body = br#"{"RoomId":"r1"}"#;
/// let webhook = Verifier::new().app(7, [token]).verify(&query, 1_700_000_000)?.decode(body)?;
/// let sent = Notification::live(webhook.clone(), query, body.to_vec(), 1)?;
/// let payload = serde_json::to_vec(sent.envelope())?;
///
/// let notification = read_payload(&payload)?;
/// let Decoded::Live(read) = notification.decoded() else { unreachable!("a Live webhook") };
/// assert_eq!(read.payload(), webhook.payload());
/// assert_eq!(notification.body(), r#"{"RoomId":"r1"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_payload(payload: &[u8]) -> Result<Notification, ReadError> {
    let envelope: TrustedEnvelope = serde_json::from_slice(payload)
        .map_err(|error| ReadError::NotAnEnvelope(error.to_string()))?;
    Notification::decode(envelope).map_err(ReadError::Envelope)
}

/// Why a message could not be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadError {
    /// The payload is not an envelope's JSON form.
    NotAnEnvelope(String),
    /// The envelope does not decode (its id no longer matches its body, ...).
    Envelope(EnvelopeError),
    /// The broker failed.
    Broker(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotAnEnvelope(reason) => {
                write!(f, "the message is not an envelope: {reason}")
            }
            ReadError::Envelope(error) => write!(f, "the envelope does not decode: {error}"),
            ReadError::Broker(reason) => write!(f, "the broker failed: {reason}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// One entry read from a Redis stream by a consumer group.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RedisEntry {
    /// The stream entry's id (`1700000000000-0`), to acknowledge it.
    pub stream_id: String,
    /// The envelope as published ([`Notification::envelope`]), decoded.
    pub notification: Notification,
}

/// A member of a Redis consumer group: reads new entries (`XREADGROUP`), acknowledges
/// them (`XACK`), and first takes over entries another member read but did not
/// acknowledge for longer than `claim_after` (`XAUTOCLAIM`), so that a consumer that dies
/// mid-way loses nothing.
pub struct RedisConsumer {
    connection: ConnectionManager,
    stream: String,
    group: String,
    consumer: String,
    claim_after: Duration,
}

impl fmt::Debug for RedisConsumer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisConsumer")
            .field("stream", &self.stream)
            .field("group", &self.group)
            .field("consumer", &self.consumer)
            .finish_non_exhaustive()
    }
}

impl RedisConsumer {
    /// Joins `group` on `stream` as `consumer`, creating the group (from the stream's
    /// start, and the stream itself) when missing.
    pub async fn connect(
        url: &BrokerUrl,
        stream: &str,
        group: &str,
        consumer: &str,
        claim_after: Duration,
    ) -> Result<RedisConsumer, ConnectError> {
        let mut connection = crate::redis::connect(url, Duration::from_secs(5)).await?;
        let created = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(stream)
            .arg(group)
            .arg("0")
            .arg("MKSTREAM")
            .query_async::<()>(&mut connection)
            .await;
        if let Err(error) = created
            && error.code() != Some("BUSYGROUP")
        {
            return Err(ConnectError {
                message: format!(
                    "cannot create the group {group} on {stream}: {}",
                    chain(&error)
                ),
            });
        }
        Ok(RedisConsumer {
            connection,
            stream: stream.to_owned(),
            group: group.to_owned(),
            consumer: consumer.to_owned(),
            claim_after,
        })
    }

    /// Up to `count` entries: first those left pending by others for longer than
    /// `claim_after`, else new ones, waiting up to `block` for them. Entries whose
    /// envelope does not decode are returned as errors in their place.
    pub async fn next(
        &mut self,
        count: usize,
        block: Duration,
    ) -> Result<Vec<Result<RedisEntry, (String, ReadError)>>, ReadError> {
        let broker = |error: redis::RedisError| ReadError::Broker(chain(&error));
        let claimed: Value = redis::cmd("XAUTOCLAIM")
            .arg(&self.stream)
            .arg(&self.group)
            .arg(&self.consumer)
            .arg(u64::try_from(self.claim_after.as_millis()).unwrap_or(u64::MAX))
            .arg("0-0")
            .arg("COUNT")
            .arg(count)
            .query_async(&mut self.connection)
            .await
            .map_err(broker)?;
        let mut entries = match &claimed {
            Value::Array(parts) => parts.get(1).map(stream_entries).unwrap_or_default(),
            _ => Vec::new(),
        };
        if entries.is_empty() {
            let read: Value = redis::cmd("XREADGROUP")
                .arg("GROUP")
                .arg(&self.group)
                .arg(&self.consumer)
                .arg("COUNT")
                .arg(count)
                .arg("BLOCK")
                .arg(u64::try_from(block.as_millis()).unwrap_or(u64::MAX).max(1))
                .arg("STREAMS")
                .arg(&self.stream)
                .arg(">")
                .query_async(&mut self.connection)
                .await
                .map_err(broker)?;
            entries = per_stream(&read);
        }
        Ok(entries
            .into_iter()
            .map(|(stream_id, fields)| {
                let payload = fields
                    .iter()
                    .find(|(name, _)| name == "envelope")
                    .map(|(_, value)| value.as_slice())
                    .unwrap_or_default();
                match read_payload(payload) {
                    Ok(notification) => Ok(RedisEntry {
                        stream_id,
                        notification,
                    }),
                    Err(error) => Err((stream_id, error)),
                }
            })
            .collect())
    }

    /// Acknowledges an entry by its stream id: it will not be handed out again.
    pub async fn ack(&mut self, stream_id: &str) -> Result<(), ReadError> {
        redis::cmd("XACK")
            .arg(&self.stream)
            .arg(&self.group)
            .arg(stream_id)
            .query_async::<i64>(&mut self.connection)
            .await
            .map(drop)
            .map_err(|error| ReadError::Broker(chain(&error)))
    }
}

type Fields = Vec<(String, Vec<u8>)>;

fn text(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok(),
        Value::SimpleString(text) => Some(text.clone()),
        _ => None,
    }
}

/// `[[id, [field, value, ...]], ...]`.
fn stream_entries(value: &Value) -> Vec<(String, Fields)> {
    let Value::Array(entries) = value else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let Value::Array(parts) = entry else {
                return None;
            };
            let id = text(parts.first()?)?;
            let Value::Array(flat) = parts.get(1)? else {
                return None;
            };
            let fields = flat
                .chunks(2)
                .filter_map(|pair| match pair {
                    [name, Value::BulkString(bytes)] => Some((text(name)?, bytes.clone())),
                    _ => None,
                })
                .collect();
            Some((id, fields))
        })
        .collect()
}

/// `XREADGROUP`'s `[[stream, entries], ...]` (or a map of stream to entries).
fn per_stream(value: &Value) -> Vec<(String, Fields)> {
    match value {
        Value::Array(streams) => streams
            .iter()
            .flat_map(|stream| match stream {
                Value::Array(parts) => parts.get(1).map(stream_entries).unwrap_or_default(),
                _ => Vec::new(),
            })
            .collect(),
        Value::Map(streams) => streams
            .iter()
            .flat_map(|(_, entries)| stream_entries(entries))
            .collect(),
        _ => Vec::new(),
    }
}
