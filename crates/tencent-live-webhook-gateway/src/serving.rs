//! What a framework's `run` gets, when it stops, and the sockets and runtimes it serves
//! on.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

use tencent_live_webhook_adapter::WebhookConfig;

use crate::options::Limits;
use crate::pipeline::State;

/// When to stop.
pub enum Shutdown {
    /// On SIGINT or SIGTERM.
    Signals,
    /// When the sender is used or dropped.
    Channel(tokio::sync::oneshot::Receiver<()>),
}

pub(crate) type Stop = Pin<Box<dyn Future<Output = ()> + Send>>;

impl Shutdown {
    /// The future that completes when it is time to stop. Signal handlers are installed
    /// here, at once, so that a signal arriving any time after this is handled. Must be
    /// called inside a Tokio runtime.
    pub(crate) fn listen(self) -> io::Result<Stop> {
        match self {
            Shutdown::Channel(receiver) => Ok(Box::pin(async move {
                let _ = receiver.await;
            })),
            Shutdown::Signals => {
                #[cfg(unix)]
                {
                    use tokio::signal::unix::{SignalKind, signal};
                    let mut terminate = signal(SignalKind::terminate())?;
                    let mut interrupt = signal(SignalKind::interrupt())?;
                    Ok(Box::pin(async move {
                        tokio::select! {
                            _ = terminate.recv() => {}
                            _ = interrupt.recv() => {}
                        }
                    }))
                }
                #[cfg(not(unix))]
                {
                    Ok(Box::pin(async {
                        let _ = tokio::signal::ctrl_c().await;
                    }))
                }
            }
        }
    }
}

/// What a framework's `run` gets.
pub(crate) struct Serving {
    pub(crate) config: WebhookConfig,
    pub(crate) listen: SocketAddr,
    pub(crate) state: State,
    pub(crate) limits: Limits,
    /// [`Limits::max_connections`] under the file-descriptor limit.
    pub(crate) max_connections: usize,
}

/// The limits of the hyper loop warp and axum are served through; parser refusals are
/// counted with the others.
#[cfg(any(feature = "warp", feature = "axum"))]
pub(crate) fn serve_limits(
    limits: &Limits,
    max_connections: usize,
    state: Arc<State>,
) -> tencent_live_webhook_adapter::ServeLimits {
    let mut serve = tencent_live_webhook_adapter::ServeLimits::default();
    serve.header_timeout = limits.header_timeout;
    serve.max_connections = max_connections;
    serve.shutdown_timeout = limits.shutdown_timeout;
    if let Some(metrics) = state.metrics.clone() {
        serve.on_shed = Some(Arc::new(move || metrics.shed("webhook")));
    }
    serve.parser_refused = Some(Arc::new(move |status| state.unreadable(status)));
    serve
}

impl Serving {
    /// The stop future of `shutdown`, which also marks the gateway as stopping (so
    /// `/readyz` answers 503 at once). Must be called inside a Tokio runtime.
    pub(crate) fn stop_on(&self, shutdown: Shutdown) -> io::Result<Stop> {
        let stop = shutdown.listen()?;
        let health = Arc::clone(&self.state.health);
        Ok(Box::pin(async move {
            stop.await;
            health.stop();
        }))
    }
}

/// Raises the soft file-descriptor limit to the hard one; returns the limit in force.
pub(crate) fn raise_descriptor_limit() -> u64 {
    #[cfg(unix)]
    {
        match rlimit::increase_nofile_limit(u64::MAX) {
            Ok(limit) => limit,
            Err(error) => {
                tracing::warn!(%error, "cannot raise the file-descriptor limit");
                rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
            }
        }
    }
    #[cfg(not(unix))]
    {
        u64::MAX
    }
}

/// Connections the kernel may queue before they are accepted.
const BACKLOG: u32 = 2048;

/// Binds `address` with a backlog that absorbs bursts while every slot is busy. Must be
/// called inside a Tokio runtime.
pub(crate) fn bind(address: SocketAddr) -> io::Result<tokio::net::TcpListener> {
    let socket = if address.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(BACKLOG)
}

/// Serves the hyper service `make` builds from the configuration and the state (warp's
/// filter, axum's router) through the adapter's serve loop, on a Tokio runtime of its
/// own: bound, announced through `ready`, and stopped on `shutdown`.
#[cfg(any(feature = "warp", feature = "axum"))]
pub(crate) fn serve_on_tokio<S, B>(
    serving: Serving,
    ready: impl FnOnce(SocketAddr),
    shutdown: Shutdown,
    make: impl FnOnce(WebhookConfig, Arc<State>) -> S,
) -> io::Result<()>
where
    S: tower::Service<
            hyper::Request<hyper::body::Incoming>,
            Response = hyper::Response<B>,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    tokio_runtime()?.block_on(async move {
        let stop = serving.stop_on(shutdown)?;
        let listener = bind(serving.listen)?;
        let address = listener.local_addr()?;
        let state = Arc::new(serving.state);
        let limits = serve_limits(&serving.limits, serving.max_connections, Arc::clone(&state));
        let service = make(serving.config, state);
        ready(address);
        tencent_live_webhook_adapter::serve(listener, service, limits, stop).await
    })
}

/// The runtime warp and axum run on: two workers, like actix's.
#[cfg(any(feature = "warp", feature = "axum"))]
pub(crate) fn tokio_runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}
