//! The baseline of `cargo xtask load`: an actix-web server that reads each POST's body and
//! acks it, verifying nothing, printing nothing. `bare-server ADDRESS`.

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
    HttpServer::new(|| App::new().default_service(web::post().to(ack)))
        .workers(2)
        .bind(address)?
        .run()
        .await
}
