//! `live-webhook serve`: a receiver on either framework, built from the adapters.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc::Sender;

use actix_web::http::Method;
use actix_web::{
    App, FromRequest, HttpRequest, HttpResponse, HttpServer, Responder, ResponseError, web,
};
use tencent_live_webhook::{Receiver, Reply, Webhook};
use tencent_live_webhook_warp::WebhookRejection;
use warp::Filter;

use crate::output::json_line;

/// The web framework to serve with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Framework {
    /// actix-web 4, through `tencent-live-webhook-actix`.
    Actix,
    /// warp 0.4, through `tencent-live-webhook-warp`.
    Warp,
}

/// Where accepted webhooks go.
pub(crate) enum Sink {
    /// One JSON line each on standard output.
    Stdout,
    /// Handed to the demo.
    Channel(Sender<Webhook>),
}

impl Sink {
    fn deliver(&self, webhook: Webhook) -> io::Result<()> {
        match self {
            Sink::Stdout => {
                let mut line = json_line(&webhook);
                line.push('\n');
                // One write under the lock: concurrent requests never interleave their lines.
                let mut out = io::stdout().lock();
                out.write_all(line.as_bytes())?;
                out.flush()
            }
            Sink::Channel(sender) => sender
                .send(webhook)
                .map_err(|_| io::Error::other("nobody is listening for webhooks")),
        }
    }
}

/// When to stop.
pub(crate) enum Shutdown {
    /// On SIGINT or SIGTERM.
    Signals,
    /// When the sender is used or dropped.
    Channel(tokio::sync::oneshot::Receiver<()>),
}

async fn stopped(shutdown: Shutdown) {
    match shutdown {
        Shutdown::Channel(receiver) => {
            let _ = receiver.await;
        }
        Shutdown::Signals => {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{SignalKind, signal};
                match signal(SignalKind::terminate()) {
                    Ok(mut terminate) => {
                        tokio::select! {
                            _ = tokio::signal::ctrl_c() => {}
                            _ = terminate.recv() => {}
                        }
                    }
                    Err(_) => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
            }
            #[cfg(not(unix))]
            {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

/// A receiver to run.
pub(crate) struct Server {
    pub(crate) receiver: Receiver,
    pub(crate) listen: SocketAddr,
    pub(crate) framework: Framework,
    pub(crate) path: Option<String>,
    pub(crate) sink: Sink,
}

struct State {
    path: Option<String>,
    sink: Sink,
}

impl State {
    fn path_matches(&self, path: &str) -> bool {
        self.path.as_deref().is_none_or(|wanted| wanted == path)
    }

    /// Records an accepted webhook; a webhook that cannot be recorded is answered as a
    /// failure so that the sender knows.
    fn accept(&self, webhook: Webhook) -> Result<Reply, Reply> {
        match self.sink.deliver(webhook) {
            Ok(()) => Ok(Reply::ack()),
            Err(error) => {
                tracing::error!(%error, "could not record webhook");
                Err(Reply::failure(500, "could not record the webhook"))
            }
        }
    }
}

/// Serves until `shutdown`; calls `ready` with the bound address once accepting.
pub(crate) fn run(
    server: Server,
    ready: impl FnOnce(SocketAddr) + Send + 'static,
    shutdown: Shutdown,
) -> io::Result<()> {
    let state = State {
        path: server.path,
        sink: server.sink,
    };
    match server.framework {
        Framework::Actix => run_actix(server.receiver, server.listen, state, ready, shutdown),
        Framework::Warp => run_warp(server.receiver, server.listen, state, ready, shutdown),
    }
}

fn run_actix(
    receiver: Receiver,
    listen: SocketAddr,
    state: State,
    ready: impl FnOnce(SocketAddr),
    shutdown: Shutdown,
) -> io::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let config = tencent_live_webhook_actix::WebhookConfig::from_receiver(receiver);
        let state = web::Data::new(state);
        let http = HttpServer::new(move || {
            App::new()
                .app_data(config.clone())
                .app_data(state.clone())
                .default_service(web::to(actix_dispatch))
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

async fn actix_dispatch(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
) -> HttpResponse {
    let refusal = if !state.path_matches(request.path()) {
        Some((404, "not found"))
    } else if request.method() != Method::POST {
        Some((405, "method not allowed"))
    } else {
        None
    };
    if let Some((status, reason)) = refusal {
        tracing::warn!(status, method = %request.method(), path = request.path(), "refused request that is not a webhook");
        return json(status, &Reply::failure(u32::from(status), reason));
    }
    let webhook =
        tencent_live_webhook_actix::Webhook::from_request(&request, &mut payload.into_inner())
            .await;
    match webhook {
        Ok(webhook) => match state.accept(webhook.into_inner()) {
            Ok(reply) => tencent_live_webhook_actix::WebhookReply(reply).respond_to(&request),
            Err(failure) => json(500, &failure),
        },
        Err(refused) => refused.error_response(),
    }
}

fn json(status: u16, reply: &Reply) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST);
    HttpResponse::build(status)
        .content_type("application/json")
        .body(reply.to_json())
}

fn run_warp(
    receiver: Receiver,
    listen: SocketAddr,
    state: State,
    ready: impl FnOnce(SocketAddr),
    shutdown: Shutdown,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let address = listener.local_addr()?;
        let state = Arc::new(state);
        let path_state = Arc::clone(&state);
        let path = warp::path::full()
            .and_then(move |full: warp::path::FullPath| {
                let matches = path_state.path_matches(full.as_str());
                async move {
                    if matches {
                        Ok(())
                    } else {
                        Err(warp::reject::not_found())
                    }
                }
            })
            .untuple_one();
        let routes = path
            .and(tencent_live_webhook_warp::webhook(receiver))
            .map(move |webhook: Webhook| match state.accept(webhook) {
                Ok(reply) => {
                    warp::Reply::into_response(tencent_live_webhook_warp::WebhookReply(reply))
                }
                Err(failure) => {
                    let mut response = warp::Reply::into_response(
                        tencent_live_webhook_warp::WebhookReply(failure),
                    );
                    *response.status_mut() = warp::http::StatusCode::INTERNAL_SERVER_ERROR;
                    response
                }
            })
            .recover(warp_recover);
        ready(address);
        warp::serve(routes)
            .incoming(listener)
            .graceful(stopped(shutdown))
            .run()
            .await;
        Ok(())
    })
}

async fn warp_recover(
    rejection: warp::Rejection,
) -> Result<warp::http::Response<String>, std::convert::Infallible> {
    let ours = rejection.find::<WebhookRejection>().is_some();
    let response = tencent_live_webhook_warp::recover_all(rejection).await?;
    if !ours {
        // Webhook refusals were logged by the adapter; log the rest the same way actix does.
        tracing::warn!(
            status = response.status().as_u16(),
            "refused request that is not a webhook"
        );
    }
    Ok(response)
}
