//! A Tencent Live webhook receiver on actix-web.
//!
//! `LIVE_TOKEN=secret LIVE_SDKAPPID=1400000000 cargo run -p tencent-live-webhook-actix --example actix-receiver`
//! then POST signed webhooks to `http://127.0.0.1:8080/live`
//! (`live-webhook send` from the CLI crate does that).

use actix_web::{App, HttpServer, web};
use tencent_live_webhook_actix::tencent_live_webhook::{Event, Payload, Reply, Token, Verifier};
use tencent_live_webhook_actix::{Webhook, WebhookConfig, WebhookReply};

async fn live(webhook: Webhook) -> WebhookReply {
    let meta = webhook.meta();
    match webhook.payload() {
        Payload::Event(Event::BeforeSendGift(gift)) if gift.gift_water.count > Some(99) => {
            return Reply::reject_gift().into();
        }
        Payload::Event(event) => println!(
            "app {} sent {} (room {:?}, event time {:?})",
            meta.sdk_app_id,
            meta.command_word,
            event.room_id(),
            event.event_time()
        ),
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
    let token = Token::new(std::env::var("LIVE_TOKEN").map_err(|_| "set LIVE_TOKEN")?)?;
    let app: u64 = std::env::var("LIVE_SDKAPPID").map_or(Ok(1_400_000_000), |id| id.parse())?;
    let config = WebhookConfig::new(Verifier::new().app(app, [token]));
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
