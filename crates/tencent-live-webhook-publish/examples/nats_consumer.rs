//! Reads the webhooks `live-webhook serve --publish nats://...` publishes: a durable
//! JetStream pull consumer with explicit acks; each message becomes a typed webhook in one
//! call. Run: `LIVE_WEBHOOK_PUBLISH_URL=nats://127.0.0.1:4222 cargo run --example nats_consumer`
//! (`LIVE_WEBHOOK_CONSUME_MAX=N` stops after N messages).

use futures_util::StreamExt;
use tencent_live_webhook_publish::{Decoded, Notification, read_payload};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let url = std::env::var("LIVE_WEBHOOK_PUBLISH_URL").unwrap_or_else(|_| "127.0.0.1:4222".into());
    let client = async_nats::connect(url.trim_start_matches("nats://")).await?;
    let jetstream = async_nats::jetstream::new(client);
    let stream = jetstream.get_stream("LIVE_WEBHOOKS").await?;
    let consumer = stream
        .get_or_create_consumer(
            "my-service",
            async_nats::jetstream::consumer::pull::Config {
                durable_name: Some("my-service".into()),
                ack_policy: async_nats::jetstream::consumer::AckPolicy::Explicit,
                ..Default::default()
            },
        )
        .await?;
    let max: usize =
        std::env::var("LIVE_WEBHOOK_CONSUME_MAX").map_or(Ok(usize::MAX), |max| max.parse())?;
    let mut messages = consumer.messages().await?.take(max);
    while let Some(message) = messages.next().await {
        let message = message?;
        match read_payload(&message.payload)
            .as_ref()
            .map(Notification::decoded)
        {
            Ok(Decoded::Live(webhook)) => {
                println!(
                    "{} for app {}",
                    webhook.meta().command_word,
                    webhook.meta().sdk_app_id
                );
            }
            Ok(Decoded::Trtc(callback)) => {
                println!("TRTC {}/{}", callback.group(), callback.event_type());
            }
            // Not ours to retry: acknowledge it and say so.
            Err(error) => eprintln!("skipped a message: {error}"),
        }
        // Acknowledge once handled: unacknowledged messages come back after the ack wait.
        message.ack().await?;
    }
    Ok(())
}
