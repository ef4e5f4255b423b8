//! The baseline of `cargo xtask load`: an actix-web server that reads each POST's body and
//! acks it, verifying nothing, printing nothing. `bare-server ADDRESS [WORKERS]` (2 by
//! default; the latency mode gives 1, so that two workers sharing one core do not add
//! their time slices to the app's own tail).

use actix_web::{App, HttpResponse, HttpServer, web};

const ACK: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;

async fn ack(_body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(ACK)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18081".into());
    let workers = std::env::args()
        .nth(2)
        .and_then(|count| count.parse().ok())
        .unwrap_or(2);
    HttpServer::new(|| App::new().default_service(web::post().to(ack)))
        .workers(workers)
        .bind(address)?
        .run()
        .await
}
