//! What a user writes without the crates, for `cargo xtask load`: an actix-web server that
//! splits the query by hand, recomputes the `Sign` with `format!`, SHA-256 and hex, reads
//! the body into a `serde_json::Value`, prints one line per webhook and acks.
//! `hand-server ADDRESS`.

use std::io::Write;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

const ACK: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;

async fn webhook(request: HttpRequest, body: web::Bytes) -> HttpResponse {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    if !tencent_live_webhook_benchmarks::hand::verify_at(request.query_string(), now) {
        return HttpResponse::Unauthorized().finish();
    }
    let Some(value) = tencent_live_webhook_benchmarks::hand::value(&body) else {
        return HttpResponse::BadRequest().finish();
    };
    let line = format!("{value}\n");
    if std::io::stdout().lock().write_all(line.as_bytes()).is_err() {
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok()
        .content_type("application/json")
        .body(ACK)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18082".into());
    HttpServer::new(|| App::new().default_service(web::post().to(webhook)))
        .workers(2)
        .bind(address)?
        .run()
        .await
}
