//! `serve --framework actix`.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_http::error::{DispatchError, ParseError};
use actix_http::{ConnectionType, Extensions, HttpService, KeepAlive, Protocol};
use actix_service::{Service, ServiceFactoryExt, apply_fn_factory, fn_service, map_config};
use actix_web::dev::AppConfig;
use actix_web::http::{Method, StatusCode};
use actix_web::rt::net::TcpStream;
use actix_web::{App, FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use tencent_live_webhook_actix::{ExpectContinue, TrtcCallback, Webhook};
use tencent_live_webhook_adapter::{Connection, Slots};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::answer::Answer;
use crate::pipeline::{Accepted, State, sign_header};
use crate::serving::{Serving, Shutdown, bind};

/// actix's worker threads, like the two Tokio workers of warp and axum.
const WORKERS: usize = 2;

/// Connections actix may accept beyond the point where shedding starts: actix stops
/// accepting at its own cap, so shedding must begin below it for a newcomer to get in.
const SHED_BELOW_CAP: usize = 16;

/// A webhook connection with its slot, so that the handler can mark it busy.
struct Slotted {
    stream: TcpStream,
    slot: Arc<Connection>,
}

impl AsyncRead for Slotted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Slotted {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

pub(super) fn run(
    serving: Serving,
    ready: impl FnOnce(SocketAddr),
    shutdown: Shutdown,
) -> io::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        // Signals are caught from here on, before anything is announced.
        let stop = serving.stop_on(shutdown)?;
        let Serving {
            config,
            listen,
            state,
            limits,
            max_connections,
        } = serving;
        let listener = bind(listen)?.into_std()?;
        let address = listener.local_addr()?;
        let mut expect = ExpectContinue::new(config.clone());
        if let Some(path) = &state.path {
            expect = expect.path(path.clone());
        }
        let on_shed =
            state
                .metrics
                .clone()
                .map(|metrics| -> tencent_live_webhook_adapter::OnShed {
                    Arc::new(move || metrics.shed("webhook"))
                });
        let slots = Slots::new(max_connections.saturating_sub(SHED_BELOW_CAP), on_shed);
        let state = web::Data::new(state);
        // actix keeps serving new requests on open keep-alive connections while it shuts
        // down; from the signal on (`stop` marks it), every answer closes its connection.
        let head = limits.header_timeout;
        let server = actix_server::Server::build()
            .workers(WORKERS)
            .max_concurrent_connections(max_connections.div_ceil(WORKERS))
            .disable_signals()
            .shutdown_signal(stop)
            .shutdown_timeout(whole_seconds(limits.shutdown_timeout))
            .listen("live-webhook", listener, move || {
                let app = App::new()
                    .app_data(config.clone())
                    .app_data(state.clone())
                    .default_service(web::to(dispatch));
                // actix-web's `HttpServer` sends `100 Continue` before any check and takes
                // no expect handler: build the service it would build, with ours.
                let http = HttpService::build()
                    .keep_alive(KeepAlive::Timeout(head))
                    .client_request_timeout(head)
                    .client_disconnect_timeout(Duration::from_secs(1))
                    .on_connect_ext(|io: &Slotted, data: &mut Extensions| {
                        data.insert(Arc::clone(&io.slot));
                    })
                    .expect(expect.clone())
                    .finish(map_config(app, |()| AppConfig::default()));
                // A connection shed for a newcomer ends its dispatcher, which closes it.
                let sheddable = apply_fn_factory(
                    http,
                    |(io, protocol, peer): (Slotted, Protocol, Option<SocketAddr>), http: &_| {
                        let slot = Arc::clone(&io.slot);
                        let served = Service::call(http, (io, protocol, peer));
                        async move {
                            tokio::select! {
                                served = served => served,
                                () = slot.shed() => Ok(()),
                            }
                        }
                    },
                );
                let slots = Arc::clone(&slots);
                fn_service(move |stream: TcpStream| {
                    let slots = Arc::clone(&slots);
                    async move {
                        // When every connection is busy, wait for one to end, for a head's
                        // time at most (actix's own cap bounds what is open meanwhile).
                        let _ = tokio::time::timeout(head, slots.room()).await;
                        let peer = stream.peer_addr().ok();
                        let _ = stream.set_nodelay(true);
                        let slot = Arc::new(slots.open());
                        Ok::<_, DispatchError>((Slotted { stream, slot }, Protocol::Http1, peer))
                    }
                })
                .and_then(sheddable)
                .map_err({
                    // actix answers a request it cannot parse itself (400, 431):
                    // counted here, from how the connection ended.
                    let state = state.clone();
                    move |error: DispatchError| {
                        if let DispatchError::Parse(parse) = &error {
                            let status = if matches!(parse, ParseError::TooLarge) {
                                431
                            } else {
                                400
                            };
                            state.unreadable(status);
                        }
                        error
                    }
                })
            })?
            .run();
        ready(address);
        server.await
    })
}

/// actix counts the shutdown timeout in whole seconds: round up, so it is never shorter.
fn whole_seconds(timeout: Duration) -> u64 {
    timeout
        .as_secs()
        .saturating_add(u64::from(timeout.subsec_nanos() > 0))
}

async fn dispatch(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
) -> HttpResponse {
    // From a complete head to its answer, the connection is not shed.
    let _busy = request.conn_data::<Arc<Connection>>().map(Connection::busy);
    let mut response = answer(&request, payload, &state).await;
    if state.health.stopping() {
        response
            .head_mut()
            .set_connection_type(ConnectionType::Close);
    }
    response
}

async fn answer(request: &HttpRequest, payload: web::Payload, state: &State) -> HttpResponse {
    let started = std::time::Instant::now();
    if let Some(refusal) = state.not_a_webhook(request.path(), request.method() == Method::POST) {
        return json(refusal);
    }
    let mut payload = payload.into_inner();
    let accepted = if state.is_trtc(request.path()) {
        let sign = sign_header(
            request
                .headers()
                .get("sign")
                .map(actix_web::http::header::HeaderValue::as_bytes),
        );
        TrtcCallback::from_request(request, &mut payload)
            .await
            .map(|callback| Accepted::trtc(callback.into_parts(), sign))
            .map_err(|intercepted| intercepted.error_response())
    } else {
        Webhook::from_request(request, &mut payload)
            .await
            .map(|webhook| Accepted::live(webhook.into_parts()))
            .map_err(|intercepted| intercepted.error_response())
    };
    match accepted {
        Ok(accepted) => {
            let answer = state.handle(accepted).await;
            state.took(started);
            json(answer)
        }
        Err(response) => {
            state.refused(response.status().as_u16());
            response
        }
    }
}

fn json(answer: Answer) -> HttpResponse {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status)
        .content_type("application/json")
        .body(answer.body)
}
