//! A Tencent Live webhook receiver on warp.
//!
//! `LIVE_TOKEN=secret LIVE_SDKAPPID=1400000000 cargo run -p tencent-live-webhook-warp --example warp-receiver`
//! then POST signed webhooks to `http://127.0.0.1:8080/live`
//! (`live-webhook send` from the CLI crate does that).

use tencent_live_webhook_warp::tencent_live_webhook::{
    Event, Payload, Receiver, Reply, Token, Verifier, Webhook,
};
use tencent_live_webhook_warp::{WebhookReply, recover, webhook};
use warp::Filter;

async fn live(webhook: Webhook) -> Result<WebhookReply, warp::Rejection> {
    let meta = webhook.meta();
    match webhook.payload() {
        Payload::Event(Event::BeforeSendMsg(message)) if message.msg_body.is_empty() => {
            return Ok(Reply::drop_message().into());
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
    Ok(Reply::ack().into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = Token::new(std::env::var("LIVE_TOKEN").map_err(|_| "set LIVE_TOKEN")?)?;
    let app: u64 = std::env::var("LIVE_SDKAPPID").map_or(Ok(1_400_000_000), |id| id.parse())?;
    let receiver = Receiver::new(Verifier::new().app(app, [token]));
    let routes = warp::path("live")
        .and(webhook(receiver))
        .and_then(live)
        .recover(recover);
    println!("listening on http://127.0.0.1:8080/live");
    warp::serve(routes).run(([127, 0, 0, 1], 8080)).await;
    Ok(())
}
