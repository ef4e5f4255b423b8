//! The admin listener, on an address of its own: the web console (`/` and `/api/...`),
//! `GET /metrics`, `/healthz`, `/readyz`.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tencent_live_webhook_adapter::Slots;
use tencent_live_webhook_spool::Spool;
use tokio::net::TcpListener;

use crate::console::Console;
use crate::metrics::Metrics;

/// What the admin listener serves.
pub(crate) struct Admin {
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) health: Arc<Health>,
    pub(crate) console: Arc<Console>,
}

/// Connections the admin listener keeps open at once. At the cap a new one takes the place
/// of the oldest that has not sent a request head, so that clients that send nothing
/// cannot keep a load balancer's health checks out.
const MAX_CONNECTIONS: usize = 64;

/// The content type of the plain answers.
const PLAIN: &str = "text/plain; charset=utf-8";

/// Time a connection has to send its request head.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// How long `/readyz` answers 503 after an append to the spool failed, before it lets
/// traffic try again.
pub const READY_RECHECK: Duration = Duration::from_secs(30);

/// Whether the gateway should get traffic.
#[derive(Debug, Default)]
pub struct Health {
    stopping: AtomicBool,
    spool: Option<Spool>,
}

impl Health {
    /// Health of a gateway with this spool, if any.
    pub fn new(spool: Option<Spool>) -> Health {
        Health {
            stopping: AtomicBool::new(false),
            spool,
        }
    }

    /// Shutdown has begun.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
    }

    /// Whether shutdown has begun.
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }

    /// Why the gateway should not get traffic now, if it should not: shutting down, or
    /// the spool's last append failed less than [`READY_RECHECK`] ago. After that the gateway
    /// says it is ready again so that traffic comes back to try (a load balancer that
    /// stopped sending would otherwise never let it recover); each failure starts the
    /// wait again.
    pub fn not_ready(&self) -> Option<&'static str> {
        if self.stopping() {
            return Some("shutting down");
        }
        let since = self.spool.as_ref()?.counters().last_failure_ms?;
        let recheck = u64::try_from(READY_RECHECK.as_millis()).unwrap_or(u64::MAX);
        (tencent_live_webhook_spool::system_clock_ms().saturating_sub(since) < recheck)
            .then_some("the spool cannot be written")
    }
}

/// Serves the admin endpoints on `listener` until `stop` completes.
pub(crate) async fn serve(
    listener: TcpListener,
    admin: Arc<Admin>,
    stop: impl Future<Output = ()>,
) {
    let metrics = Arc::clone(&admin.metrics);
    let slots = Slots::new(
        MAX_CONNECTIONS,
        Some(Arc::new(move || metrics.shed("admin"))),
    );
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            () = slots.room() => {}
        }
        let (stream, peer) = tokio::select! {
            () = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "admin listener: cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let admin = Arc::clone(&admin);
        let slot = Arc::new(slots.open());
        tokio::spawn(async move {
            let in_flight = Arc::clone(&slot);
            let service = service_fn(move |request: Request<Incoming>| {
                let admin = Arc::clone(&admin);
                let busy = in_flight.busy();
                async move {
                    let _busy = busy;
                    let now_ms = tencent_live_webhook_spool::system_clock_ms();
                    let answer = match crate::console::answer(
                        &admin.console,
                        &request,
                        Some(peer.ip()),
                        now_ms,
                    )
                    .await
                    {
                        Some(answer) => answer,
                        None => route(&request, &admin.metrics, &admin.health),
                    };
                    Ok::<_, Infallible>(answer)
                }
            });
            let mut http = http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .keep_alive(true);
            tokio::select! {
                _ = http.serve_connection(TokioIo::new(stream), service) => {}
                () = slot.shed() => {}
            }
        });
    }
}

fn route(request: &Request<Incoming>, metrics: &Metrics, health: &Health) -> Response<Full<Bytes>> {
    let text = |status: StatusCode, content_type: &'static str, body: String| {
        let mut response = Response::new(Full::new(Bytes::from(body)));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static(content_type),
        );
        // Never cached (a stale readiness is wrong), never read as another type.
        headers.insert(
            hyper::header::CACHE_CONTROL,
            hyper::header::HeaderValue::from_static("no-store"),
        );
        headers.insert(
            hyper::header::X_CONTENT_TYPE_OPTIONS,
            hyper::header::HeaderValue::from_static("nosniff"),
        );
        response
    };
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return text(StatusCode::METHOD_NOT_ALLOWED, PLAIN, "use GET\n".into());
    }
    match request.uri().path() {
        "/metrics" => text(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            metrics.render(),
        ),
        "/healthz" => text(StatusCode::OK, PLAIN, "ok\n".into()),
        "/readyz" => match health.not_ready() {
            None => text(StatusCode::OK, PLAIN, "ready\n".into()),
            Some(reason) => text(
                StatusCode::SERVICE_UNAVAILABLE,
                PLAIN,
                format!("{reason}\n"),
            ),
        },
        _ => text(
            StatusCode::NOT_FOUND,
            PLAIN,
            "not found: / (the console), /metrics, /healthz, /readyz\n".into(),
        ),
    }
}
