//! `live-webhook serve`: a receiver on any of the frameworks compiled in, built from the
//! adapters. What does not depend on the framework lives here.

#[cfg(feature = "actix")]
mod actix;
#[cfg(feature = "axum")]
mod axum;
#[cfg(feature = "warp")]
mod warp;

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::mpsc::Sender;

use clap::builder::PossibleValue;
use tencent_live_webhook::{Receiver, Reply, Webhook};

use crate::output::json_line;

#[cfg(not(any(feature = "actix", feature = "warp", feature = "axum")))]
compile_error!("live-webhook needs at least one framework: enable `actix`, `warp` or `axum`");

/// The web framework to serve with: one per cargo feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framework {
    /// actix-web 4, through `tencent-live-webhook-actix`.
    #[cfg(feature = "actix")]
    Actix,
    /// warp 0.4, through `tencent-live-webhook-warp`.
    #[cfg(feature = "warp")]
    Warp,
    /// axum 0.8, through `tencent-live-webhook-axum`.
    #[cfg(feature = "axum")]
    Axum,
}

impl Framework {
    /// The first framework compiled in.
    pub(crate) fn default_compiled() -> Framework {
        // `compile_error!` above guarantees at least one.
        <Framework as clap::ValueEnum>::value_variants()[0]
    }
}

impl clap::ValueEnum for Framework {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            #[cfg(feature = "actix")]
            Framework::Actix,
            #[cfg(feature = "warp")]
            Framework::Warp,
            #[cfg(feature = "axum")]
            Framework::Axum,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            #[cfg(feature = "actix")]
            Framework::Actix => PossibleValue::new("actix").help("actix-web 4"),
            #[cfg(feature = "warp")]
            Framework::Warp => PossibleValue::new("warp").help("warp 0.4"),
            #[cfg(feature = "axum")]
            Framework::Axum => PossibleValue::new("axum").help("axum 0.8"),
        })
    }
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

/// What every framework's handler shares: the path to answer on and where webhooks go.
struct State {
    path: Option<String>,
    sink: Sink,
}

impl State {
    /// Whether `path` is the one to answer on (any path when none was given).
    fn path_matches(&self, path: &str) -> bool {
        self.path.as_deref().is_none_or(|wanted| wanted == path)
    }

    /// The refusal of a request that cannot be a webhook (wrong path or method), logged.
    /// (warp says the same with its own filters.)
    #[cfg(any(feature = "actix", feature = "axum"))]
    fn not_a_webhook(&self, path: &str, is_post: bool) -> Option<Reply> {
        let (status, reason) = if !self.path_matches(path) {
            (404, "not found")
        } else if !is_post {
            (405, "method not allowed")
        } else {
            return None;
        };
        tracing::warn!(status, path, "refused request that is not a webhook");
        Some(Reply::failure(status, reason))
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

/// The HTTP status of a failure reply made here (not a webhook, not recorded): its code.
#[cfg(any(feature = "actix", feature = "axum"))]
fn failure_status(reply: &Reply) -> u16 {
    u16::try_from(reply.error_code()).unwrap_or(500)
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
    let config = tencent_live_webhook_adapter::WebhookConfig::from(server.receiver);
    match server.framework {
        #[cfg(feature = "actix")]
        Framework::Actix => actix::run(config, server.listen, state, ready, shutdown),
        #[cfg(feature = "warp")]
        Framework::Warp => warp::run(config, server.listen, state, ready, shutdown),
        #[cfg(feature = "axum")]
        Framework::Axum => axum::run(config, server.listen, state, ready, shutdown),
    }
}

/// The runtime warp and axum run on: two workers, like actix's.
#[cfg(any(feature = "warp", feature = "axum"))]
fn tokio_runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}
