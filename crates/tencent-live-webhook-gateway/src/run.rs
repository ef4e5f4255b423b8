//! Running a gateway: its parts put together, served by the framework asked for, and
//! stopped in order.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use tencent_live_webhook::{Receiver, trtc};
use tencent_live_webhook_adapter::WebhookConfig;

use crate::admin::Health;
use crate::background::Background;
use crate::metrics::Metrics;
use crate::options::{Framework, Limits};
use crate::outbox::Broker;
use crate::outputs::Lines;
use crate::pipeline::{Output, State};
use crate::serving::{Serving, Shutdown, raise_descriptor_limit};
use crate::setup::{Outlets, Sink, Spooling};
use crate::writer::{self, LineWriter};

/// A receiver to run.
pub struct Server {
    /// What is verified and how large a body may be.
    pub receiver: Receiver,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The framework to serve with.
    pub framework: Framework,
    /// Only this URL path (any path when `None`).
    pub path: Option<String>,
    /// Where accepted webhooks go.
    pub sink: Sink,
    /// Time and count limits.
    pub limits: Limits,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The only clients webhooks are taken from (`None`: any).
    pub allow_from: Option<Vec<ipnet::IpNet>>,
    /// TRTC's own callbacks, when they are received too.
    pub trtc: Option<TrtcReceiving>,
}

/// Where TRTC callbacks are received and how they are verified.
pub struct TrtcReceiving {
    /// The keys and the replay window.
    pub verifier: trtc::Verifier,
    /// The URL path they arrive on.
    pub path: String,
}

/// Where a started gateway listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Listening {
    /// The webhook port.
    pub webhooks: SocketAddr,
    /// The admin listener (`/metrics`, `/healthz`, `/readyz`), when asked for.
    pub admin: Option<SocketAddr>,
}

/// Serves until `shutdown`; calls `ready` once accepting.
///
/// On shutdown, `/readyz` answers 503 at once; the server stops accepting, lets requests
/// in flight finish within the shutdown timeout, then waits (within the same timeout)
/// until every acknowledged webhook's line is written; deliveries under way from the
/// spool may finish within the delivery timeout (what does not is made again at the next
/// start).
pub fn run(
    server: Server,
    ready: impl FnOnce(Listening) + Send + 'static,
    shutdown: Shutdown,
) -> io::Result<()> {
    let limits = server.limits;
    let descriptors = raise_descriptor_limit();
    let max_connections = limits.connections_within(descriptors);
    let mut flushes = Vec::new();
    let mut admin = None;
    let mut admin_token = None;
    let mut admin_hosts = crate::console::AllowedHosts::default();
    let mut worker = None;
    let mut spool = None;
    // The broker's connection lives on this runtime until the gateway is done.
    let mut broker_runtime = None;
    let output = match server.sink {
        Sink::Stdout(outlets) => {
            let Outlets {
                forward,
                trtc_forward,
                on_app_failure,
                spool: spooling,
                record,
                format,
                color,
                admin: admin_address,
                admin_token: token,
                admin_hosts: hosts,
                broker,
            } = *outlets;
            admin_token = token;
            admin_hosts = hosts;
            let mut publisher = None;
            if let Some(Broker {
                runtime,
                publisher: connected,
            }) = broker
            {
                broker_runtime = Some(runtime);
                // With a spool, its worker publishes (on the broker's runtime); without
                // one, each request does.
                if spooling.is_none() {
                    publisher = Some(connected);
                }
            }
            let capacity = usize::try_from(limits.output_queue).unwrap_or(usize::MAX);
            let (stdout, flush) = LineWriter::spawn(
                io::stdout(),
                writer::stdout_ready_check(),
                capacity,
                limits.output_timeout,
            )?;
            flushes.push(flush);
            let record = match record {
                Some(file) => {
                    // A file never waits for a reader, but a disk can stall: through the
                    // writer thread, under the same queue and deadline.
                    let (writer, flush) =
                        LineWriter::spawn(file, None, capacity, limits.output_timeout)?;
                    flushes.push(flush);
                    Some(writer)
                }
                None => None,
            };
            if let Some(Spooling {
                spool: kept,
                destination,
            }) = spooling
            {
                worker = Some((kept.clone(), destination));
                spool = Some(kept);
            }
            if let Some(address) = admin_address {
                admin = Some(std::net::TcpListener::bind(address)?);
            }
            Output::Lines(Box::new(Lines {
                stdout,
                record,
                forward,
                trtc_forward,
                on_app_failure,
                spool: spool.clone(),
                spool_failing: AtomicBool::new(false),
                publisher,
                publish_failing: AtomicBool::new(false),
                format,
                color,
            }))
        }
        Sink::Channel(sender) => Output::Channel(sender),
    };
    let health = Arc::new(Health::new(spool.clone()));
    let metrics = admin
        .is_some()
        .then(|| Arc::new(Metrics::new(spool.clone())));
    let console = match admin {
        Some(_) => Some(Arc::new(
            crate::console::Console::new(
                spool.clone(),
                admin_token,
                admin_hosts,
                metrics.clone(),
            )
            .map_err(|error| {
                io::Error::other(format!(
                    "no randomness for the console's tokens ({error}): refusing to serve a console whose tokens could be guessed"
                ))
            })?,
        )),
        None => None,
    };
    let admin_address = admin
        .as_ref()
        .map(std::net::TcpListener::local_addr)
        .transpose()?;
    let background = Background::start(
        admin
            .zip(metrics.clone())
            .zip(console.clone())
            .map(|((listener, metrics), console)| {
                (
                    listener,
                    crate::admin::Admin {
                        metrics,
                        health: Arc::clone(&health),
                        console,
                    },
                )
            }),
        worker,
        // The worker publishes from the broker connection's own runtime.
        if spool.is_some() {
            broker_runtime.take()
        } else {
            None
        },
    )?;
    let mut config = WebhookConfig::from(server.receiver)
        .body_timeout(limits.body_timeout)
        .refusal_log_limit(limits.log_refusals_per_sec)
        .trusted_proxies(server.trusted_proxies);
    if let Some(console) = &console {
        // Every refusal is remembered, past the log's budget: the console's ring is bounded.
        let console = Arc::clone(console);
        config = config.on_refusal(move |request| {
            let now_ms = tencent_live_webhook_spool::system_clock_ms();
            console
                .window
                .remember_refusal(crate::console::Refusal::of(request, now_ms));
        });
    }
    if let Some(allowed) = server.allow_from {
        config = config.allow_from(allowed);
    }
    let mut trtc_path = None;
    if let Some(trtc) = server.trtc {
        config = config.trtc(trtc.verifier);
        trtc_path = Some(trtc.path);
    }
    let state = State {
        path: server.path,
        trtc_path,
        output,
        config: config.clone(),
        metrics,
        health,
        console,
    };
    let serving = Serving {
        config,
        listen: server.listen,
        state,
        limits: limits.clone(),
        max_connections,
    };
    let ready = move |webhooks| {
        ready(Listening {
            webhooks,
            admin: admin_address,
        });
    };
    let served = match server.framework {
        #[cfg(feature = "actix")]
        Framework::Actix => crate::actix::run(serving, ready, shutdown),
        #[cfg(feature = "warp")]
        Framework::Warp => crate::warp::run(serving, ready, shutdown),
        #[cfg(feature = "axum")]
        Framework::Axum => {
            crate::serving::serve_on_tokio(serving, ready, shutdown, crate::axum::router)
        }
    };
    // The frameworks have dropped the state, and with it the writers: what is queued is
    // all there is to write.
    let until = Instant::now() + limits.shutdown_timeout;
    for flush in flushes {
        if !flush.wait(until.saturating_duration_since(Instant::now())) {
            tracing::error!("an output is not being written: webhook lines are left unwritten");
        }
    }
    background.finish();
    drop(broker_runtime);
    served
}
