//! `serve --framework actix`.

use std::io;
use std::net::SocketAddr;

use actix_web::http::{Method, StatusCode};
use actix_web::{
    App, FromRequest, HttpRequest, HttpResponse, HttpServer, Responder, ResponseError, web,
};
use tencent_live_webhook::Reply;
use tencent_live_webhook_actix::{Webhook, WebhookConfig, WebhookReply};

use super::{Shutdown, State, failure_status, stopped};

pub(super) fn run(
    config: WebhookConfig,
    listen: SocketAddr,
    state: State,
    ready: impl FnOnce(SocketAddr),
    shutdown: Shutdown,
) -> io::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let state = web::Data::new(state);
        let http = HttpServer::new(move || {
            App::new()
                .app_data(config.clone())
                .app_data(state.clone())
                .default_service(web::to(dispatch))
        })
        .workers(2)
        .disable_signals()
        .shutdown_timeout(5)
        .bind(listen)?;
        let address = http
            .addrs()
            .first()
            .copied()
            .ok_or_else(|| io::Error::other("bound to no address"))?;
        let running = http.run();
        let handle = running.handle();
        actix_web::rt::spawn(async move {
            stopped(shutdown).await;
            handle.stop(true).await;
        });
        ready(address);
        running.await
    })
}

async fn dispatch(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
) -> HttpResponse {
    if let Some(refusal) = state.not_a_webhook(request.path(), request.method() == Method::POST) {
        return json(&refusal);
    }
    match Webhook::from_request(&request, &mut payload.into_inner()).await {
        Ok(webhook) => match state.accept(webhook.into_inner()) {
            Ok(reply) => WebhookReply(reply).respond_to(&request),
            Err(failure) => json(&failure),
        },
        Err(intercepted) => intercepted.error_response(),
    }
}

fn json(reply: &Reply) -> HttpResponse {
    let status =
        StatusCode::from_u16(failure_status(reply)).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status)
        .content_type("application/json")
        .body(reply.to_json())
}
