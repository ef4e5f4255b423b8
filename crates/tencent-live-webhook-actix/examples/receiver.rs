//! A Tencent Live webhook receiver on actix-web.
//!
//! `LIVE_WEBHOOK_TOKEN=secret LIVE_WEBHOOK_SDKAPPID=1400000000 cargo run -p tencent-live-webhook-actix --example actix-receiver`
//! then POST signed webhooks to `http://127.0.0.1:8080/live`
//! (`live-webhook send` from the CLI crate does that).

use actix_web::{App, HttpServer, web};
use tencent_live_webhook_actix::tencent_live_webhook::{Event, Payload, Reply, Token, Verifier};
use tencent_live_webhook_actix::{Webhook, WebhookConfig, WebhookReply};

async fn live(webhook: Webhook) -> WebhookReply {
    let meta = webhook.meta();
    match webhook.payload() {
        // A blocking callback: answer within two seconds.
        Payload::Event(Event::BeforeSendGift(gift)) if gift.gift_water.count > Some(99) => {
            return Reply::reject_gift().into();
        }
        Payload::Event(event) => println!(
            "app {} sent {} (room {:?}, request id {:?})",
            meta.sdk_app_id,
            meta.command_word,
            event.room_id(),
            meta.request_id
        ),
        // Genuine, but the body did not fit its type: keep the raw body.
        Payload::Misfit(misfit) => eprintln!(
            "{}: {}; raw body: {}",
            meta.command_word,
            misfit.error(),
            misfit.body()
        ),
    }
    Reply::ack().into()
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Refusals and connectivity probes are logged through `tracing`.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let token =
        Token::new(std::env::var("LIVE_WEBHOOK_TOKEN").map_err(|_| "set LIVE_WEBHOOK_TOKEN")?)?;
    let app_id: u64 =
        std::env::var("LIVE_WEBHOOK_SDKAPPID").map_or(Ok(1_400_000_000), |id| id.parse())?;
    let config = WebhookConfig::new(Verifier::new().app(app_id, [token])).body_limit(64 * 1024);
    println!("listening on http://127.0.0.1:8080/live");
    HttpServer::new(move || {
        App::new()
            .app_data(config.clone())
            .route("/live", web::post().to(live))
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await?;
    Ok(())
}
