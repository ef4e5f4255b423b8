//! Serving a tower service (an axum `Router`, a warp filter as `warp::service`) with the
//! limits a public webhook endpoint needs, which `axum::serve` and `warp::serve` cannot
//! express (feature `hyper`). `live-webhook serve` serves axum and warp through it.

use std::convert::Infallible;
use std::error::Error as StdError;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use crate::Slots;
use crate::source::PeerAddr;
use crate::watch::Watched;
use hyper::body::{Body, Incoming};
use hyper::server::conn::http1;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// The read buffer, and so the largest request head, in bytes: as actix-web's.
const MAX_HEAD_BUFFER: usize = 128 * 1024;

/// How long to wait before accepting again after the process ran out of descriptors
/// (or another accept error), instead of spinning.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);

/// The limits of [`serve`]; the defaults are `live-webhook serve`'s.
#[derive(Clone)]
#[non_exhaustive]
pub struct ServeLimits {
    /// Time a connection has to send a request's head, from when it opens or from the
    /// previous answer (so also how long an idle keep-alive connection is kept). 5 s.
    pub header_timeout: Duration,
    /// Most connections open at once. 10,000 (keep it under the process's file-descriptor
    /// limit). At the cap, a new connection takes the place of the oldest one that has not
    /// sent a request head (see [`Slots`](crate::Slots)); only when every connection has a
    /// request in flight do new ones wait in the listen backlog.
    pub max_connections: usize,
    /// On stop, how long requests in flight may take to finish. 5 s.
    pub shutdown_timeout: Duration,
    /// Told the status (400, 431) of each request the HTTP parser refused before any
    /// handler saw it, for a metric. None by default.
    pub parser_refused: Option<Arc<dyn Fn(u16) + Send + Sync>>,
    /// Told of each connection shed to make room for a new one, for a metric. None by
    /// default.
    pub on_shed: Option<crate::OnShed>,
}

impl Default for ServeLimits {
    fn default() -> ServeLimits {
        ServeLimits {
            header_timeout: Duration::from_secs(5),
            max_connections: 10_000,
            shutdown_timeout: Duration::from_secs(5),
            parser_refused: None,
            on_shed: None,
        }
    }
}

impl std::fmt::Debug for ServeLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeLimits")
            .field("header_timeout", &self.header_timeout)
            .field("max_connections", &self.max_connections)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .finish_non_exhaustive()
    }
}

/// Serves `service` on `listener` over HTTP/1.1 until `stop` completes, then lets
/// requests in flight finish for at most the shutdown timeout.
///
/// Each connection must send a request head within the header timeout, counted from when
/// it opens or from the previous answer (so it also bounds idle keep-alive connections);
/// at most `max_connections` are open at once: at the cap a new connection takes the
/// place of the oldest one that is only waiting, and waits in the listen backlog only
/// while every connection has a request in flight. A
/// head may be at most 128 KiB (as actix-web's). A request with both `Content-Length` and
/// `Transfer-Encoding` keeps both headers (hyper would drop the length), so the webhook
/// extractor refuses it with 400 as on actix-web.
pub async fn serve<S, B>(
    listener: TcpListener,
    service: S,
    limits: ServeLimits,
    stop: impl Future<Output = ()>,
) -> io::Result<()>
where
    S: tower::Service<Request<Incoming>, Response = Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_HEAD_BUFFER)
        .keep_alive(true);
    let slots = Slots::new(limits.max_connections, limits.on_shed.clone());
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            () = slots.room() => {}
        }
        let stream = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_RETRY).await;
                    continue;
                }
            },
        };
        let (stream, peer) = stream;
        let _ = stream.set_nodelay(true);
        let slot = Arc::new(slots.open());
        let (stream, framing) = Watched::new(stream);
        // From a complete head to its answer, the connection is not shed. (Begun and ended
        // in the request and response maps: wrapping the handler's future in another
        // would move it, and warp's are large.)
        let begins = Arc::clone(&slot);
        let ends = Arc::clone(&slot);
        let service = tower::ServiceExt::map_request(service.clone(), move |mut request| {
            begins.begin();
            framing.restore(&mut request);
            request.extensions_mut().insert(PeerAddr(peer));
            request
        });
        let service = tower::ServiceExt::map_response(service, move |response| {
            ends.end();
            response
        });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        let parser_refused = limits.parser_refused.clone();
        tokio::spawn(async move {
            // A connection that fails (a client that left, a head too slow) only ends itself;
            // hyper answers a request it cannot parse itself (400, 431), counted here. A
            // connection shed for a newcomer is dropped, which closes it.
            let ended = tokio::select! {
                ended = connection => ended,
                () = slot.shed() => Ok(()),
            };
            if let (Err(error), Some(refused)) = (ended, parser_refused) {
                if error.is_parse_too_large() {
                    refused(431);
                } else if error.is_parse() {
                    refused(400);
                }
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            timeout = ?limits.shutdown_timeout,
            "requests still in flight at the shutdown deadline were cut off"
        );
    }
    Ok(())
}
