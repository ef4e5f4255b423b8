//! The connection loop of `serve` for the frameworks built on hyper (warp, axum): the
//! limits those frameworks' own `serve` functions cannot express.

use std::convert::Infallible;
use std::error::Error as StdError;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::{Body, Incoming};
use hyper::server::conn::http1;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::framing::Watched;
use crate::options::Limits;

/// The read buffer, and so the largest request head, in bytes: as actix-web's.
const MAX_HEAD_BUFFER: usize = 128 * 1024;

/// How long to wait before accepting again after the process ran out of descriptors
/// (or another accept error), instead of spinning.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);

/// Serves `service` on `listener` until `stop` completes, then lets requests in flight
/// finish for at most the shutdown timeout.
///
/// Each connection must send a request head within the header timeout, counted from when
/// it opens or from the previous answer (so it also bounds idle keep-alive connections);
/// at most `max_connections` are open at once, further ones wait in the listen backlog.
pub(super) async fn serve<S, B>(
    listener: TcpListener,
    service: S,
    limits: &Limits,
    max_connections: usize,
    stop: impl Future<Output = ()>,
    parser_refused: impl Fn(u16) + Clone + Send + 'static,
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
    let permits = Arc::new(Semaphore::new(max_connections));
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let permit = tokio::select! {
            () = &mut stop => break,
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_RETRY).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let (stream, framing) = Watched::new(stream);
        let service = tower::ServiceExt::map_request(service.clone(), move |mut request| {
            framing.restore(&mut request);
            request
        });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        let parser_refused = parser_refused.clone();
        tokio::spawn(async move {
            // A connection that fails (a client that left, a head too slow) only ends itself;
            // hyper answers a request it cannot parse itself (400, 431), counted here.
            if let Err(error) = connection.await {
                if error.is_parse_too_large() {
                    parser_refused(431);
                } else if error.is_parse() {
                    parser_refused(400);
                }
            }
            drop(permit);
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
