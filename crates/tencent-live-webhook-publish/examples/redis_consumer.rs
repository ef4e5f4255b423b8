//! Reads the webhooks `live-webhook serve --publish redis://...` adds to a stream: a member
//! of a consumer group that acknowledges what it handled and takes over what a dead member
//! left pending for 30 s. Run:
//! `LIVE_WEBHOOK_PUBLISH_URL=redis://127.0.0.1:6379 cargo run --example redis_consumer`
//! (`LIVE_WEBHOOK_CONSUME_MAX=N` stops after N entries).

use std::time::Duration;

use tencent_live_webhook_publish::{BrokerUrl, Decoded, RedisConsumer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url: BrokerUrl = std::env::var("LIVE_WEBHOOK_PUBLISH_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
        .parse()?;
    let name = format!("worker-{}", std::process::id());
    let mut consumer = RedisConsumer::connect(
        &url,
        "live.webhooks",
        "my-service",
        &name,
        Duration::from_secs(30),
    )
    .await?;
    let max: usize =
        std::env::var("LIVE_WEBHOOK_CONSUME_MAX").map_or(Ok(usize::MAX), |max| max.parse())?;
    let mut handled = 0;
    while handled < max {
        for entry in consumer
            .next(16.min(max - handled), Duration::from_secs(5))
            .await?
        {
            handled += 1;
            match entry {
                Ok(entry) => {
                    match entry.notification.decoded() {
                        Decoded::Live(webhook) => println!("{}", webhook.meta().command_word),
                        Decoded::Trtc(callback) => {
                            println!("TRTC {}/{}", callback.group(), callback.event_type());
                        }
                    }
                    consumer.ack(&entry.stream_id).await?;
                }
                Err((stream_id, error)) => {
                    eprintln!("skipped {stream_id}: {error}");
                    consumer.ack(&stream_id).await?;
                }
            }
        }
    }
    Ok(())
}
