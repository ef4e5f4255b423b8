//! `live-webhook serve`: a receiver on any of the frameworks compiled in, built from the
//! adapters. What does not depend on the framework lives here.

#[cfg(feature = "actix")]
mod actix;
#[cfg(feature = "axum")]
mod axum;
#[cfg(any(feature = "warp", feature = "axum"))]
mod framing;
#[cfg(any(feature = "warp", feature = "axum"))]
mod hyper;
#[cfg(feature = "warp")]
mod warp;
mod writer;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::time::Duration;

use clap::builder::PossibleValue;
use tencent_live_webhook::{Receiver, Reply, Webhook};
use tencent_live_webhook_adapter::WebhookConfig;

use crate::output::json_line;
use writer::{LineWriter, Refused};

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

/// The time and count limits of a server.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Limits {
    /// Time a connection has to send a request's head, from when it opens or from the
    /// previous answer (so also how long an idle keep-alive connection is kept)
    #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
    pub(crate) header_timeout: Duration,
    /// Time a request's whole body has to arrive; a slower one is answered 408
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    pub(crate) body_timeout: Duration,
    /// Most connections open at once (further ones wait to be accepted); also kept under
    /// the process's file-descriptor limit, which is raised to its maximum at start
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_connections: u32,
    /// On SIGTERM or Ctrl-C, how long requests in flight may take to finish before exit
    #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
    pub(crate) shutdown_timeout: Duration,
    /// Webhook lines waiting to be written to standard output; when a reader falls that
    /// far behind, webhooks are answered 503 (Tencent retries) until it catches up
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) output_queue: u32,
    /// How long a webhook waits for its line to be written before it is answered 503 (a
    /// webhook is acknowledged only once its line is out)
    #[arg(long, default_value = "1s", value_parser = humantime::parse_duration)]
    pub(crate) output_timeout: Duration,
    /// Refusals logged per second; the rest are counted in one summary line
    #[arg(long, default_value_t = tencent_live_webhook_adapter::DEFAULT_REFUSAL_LOG_LINES_PER_SEC)]
    pub(crate) log_refusals_per_sec: u32,
}

impl Default for Limits {
    /// The defaults `serve` shows in `--help`: one source for both.
    fn default() -> Limits {
        #[derive(clap::Parser)]
        struct Defaults {
            #[command(flatten)]
            limits: Limits,
        }
        <Defaults as clap::Parser>::parse_from(["live-webhook"]).limits
    }
}

impl Limits {
    /// The connection limit, kept under the file-descriptor limit (with room for the
    /// listener, standard streams and logs).
    fn connections_within(&self, descriptors: u64) -> usize {
        const RESERVED: u64 = 32;
        let fit = descriptors.saturating_sub(RESERVED).max(1);
        usize::try_from(u64::from(self.max_connections).min(fit)).unwrap_or(usize::MAX)
    }
}

/// Raises the soft file-descriptor limit to the hard one; returns the limit in force.
fn raise_descriptor_limit() -> u64 {
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

/// Where accepted webhooks go.
pub(crate) enum Sink {
    /// One JSON line each on standard output, through the non-blocking writer.
    Stdout,
    /// Handed to the demo.
    Channel(Sender<Webhook>),
}

/// A sink in use.
enum Output {
    Lines(LineWriter),
    Channel(Sender<Webhook>),
}

/// When to stop.
pub(crate) enum Shutdown {
    /// On SIGINT or SIGTERM.
    Signals,
    /// When the sender is used or dropped.
    Channel(tokio::sync::oneshot::Receiver<()>),
}

type Stop = Pin<Box<dyn Future<Output = ()> + Send>>;

impl Shutdown {
    /// The future that completes when it is time to stop. Signal handlers are installed
    /// here, at once, so that a signal arriving any time after this is handled. Must be
    /// called inside a Tokio runtime.
    fn listen(self) -> io::Result<Stop> {
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

/// A receiver to run.
pub(crate) struct Server {
    pub(crate) receiver: Receiver,
    pub(crate) listen: SocketAddr,
    pub(crate) framework: Framework,
    pub(crate) path: Option<String>,
    pub(crate) sink: Sink,
    pub(crate) limits: Limits,
}

/// What every framework's handler shares: the path to answer on, where webhooks go, and
/// the receiver's configuration (whose log limit other refusals share).
struct State {
    path: Option<String>,
    output: Output,
    config: WebhookConfig,
    /// Set once shutdown has begun (where the framework needs telling).
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    stopping: AtomicBool,
}

impl State {
    /// Whether `path` is the one to answer on (any path when none was given).
    fn path_matches(&self, path: &str) -> bool {
        self.path.as_deref().is_none_or(|wanted| wanted == path)
    }

    /// The refusal of a request that cannot be a webhook (wrong path or method), logged.
    fn not_a_webhook(&self, path: &str, is_post: bool) -> Option<Reply> {
        let (status, reason) = if !self.path_matches(path) {
            (404, "not found")
        } else if !is_post {
            (405, "method not allowed")
        } else {
            return None;
        };
        self.config.log_not_a_webhook(status, path);
        Some(Reply::failure(u32::from(status), reason))
    }

    /// Records an accepted webhook: acknowledged once its line is written, never blocking
    /// a thread. A webhook that cannot be recorded is answered as a failure so that the
    /// sender knows and retries: 503 while the output's reader lags, 500 once the output is
    /// gone.
    async fn accept(&self, webhook: Webhook) -> Result<Reply, Reply> {
        let refused = match &self.output {
            Output::Lines(writer) => writer.write(json_line(&webhook)).await.err(),
            Output::Channel(sender) => sender.send(webhook).err().map(|_| Refused::Closed),
        };
        match refused {
            None => Ok(Reply::ack()),
            Some(Refused::Lagging) => Err(Reply::failure(
                503,
                "output is not being read: try again later",
            )),
            Some(Refused::Closed) => {
                tracing::error!("could not record webhook: the output is closed");
                Err(Reply::failure(500, "could not record the webhook"))
            }
        }
    }
}

/// The HTTP status of a failure reply made here (not a webhook, not recorded): its code.
fn failure_status(reply: &Reply) -> u16 {
    u16::try_from(reply.error_code()).unwrap_or(500)
}

/// Serves until `shutdown`; calls `ready` with the bound address once accepting.
///
/// On shutdown, stops accepting, lets requests in flight finish within the shutdown
/// timeout, then waits (within the same timeout) until every acknowledged webhook's line
/// is written.
pub(crate) fn run(
    server: Server,
    ready: impl FnOnce(SocketAddr) + Send + 'static,
    shutdown: Shutdown,
) -> io::Result<()> {
    let limits = server.limits;
    let descriptors = raise_descriptor_limit();
    let max_connections = limits.connections_within(descriptors);
    let (output, flush) = match server.sink {
        Sink::Stdout => {
            let capacity = usize::try_from(limits.output_queue).unwrap_or(usize::MAX);
            let (writer, flush) = LineWriter::spawn(
                io::stdout(),
                writer::stdout_ready_check(),
                capacity,
                limits.output_timeout,
            )?;
            (Output::Lines(writer), Some(flush))
        }
        Sink::Channel(sender) => (Output::Channel(sender), None),
    };
    let config = WebhookConfig::from(server.receiver)
        .body_timeout(limits.body_timeout)
        .refusal_log_limit(limits.log_refusals_per_sec);
    let state = State {
        path: server.path,
        output,
        config: config.clone(),
        stopping: AtomicBool::new(false),
    };
    let serving = Serving {
        config,
        listen: server.listen,
        state,
        limits: limits.clone(),
        max_connections,
    };
    let served = match server.framework {
        #[cfg(feature = "actix")]
        Framework::Actix => actix::run(serving, ready, shutdown),
        #[cfg(feature = "warp")]
        Framework::Warp => warp::run(serving, ready, shutdown),
        #[cfg(feature = "axum")]
        Framework::Axum => axum::run(serving, ready, shutdown),
    };
    // The frameworks have dropped the state, and with it the writer: what is queued is
    // all there is to write.
    if let Some(flush) = flush
        && !flush.wait(limits.shutdown_timeout)
    {
        tracing::error!("standard output is not being read: webhook lines are left unwritten");
    }
    served
}

/// What a framework's `run` gets.
struct Serving {
    config: WebhookConfig,
    listen: SocketAddr,
    state: State,
    limits: Limits,
    /// [`Limits::max_connections`] under the file-descriptor limit.
    max_connections: usize,
}

/// Connections the kernel may queue before they are accepted.
const BACKLOG: u32 = 2048;

/// Binds `address` with a backlog that absorbs bursts while every slot is busy. Must be
/// called inside a Tokio runtime.
fn bind(address: SocketAddr) -> io::Result<tokio::net::TcpListener> {
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

/// The runtime warp and axum run on: two workers, like actix's.
#[cfg(any(feature = "warp", feature = "axum"))]
fn tokio_runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Args {
        #[command(flatten)]
        limits: Limits,
    }

    #[test]
    fn limits_have_safe_defaults_and_read_human_durations() {
        let defaults = Limits::default();
        assert_eq!(defaults.header_timeout, Duration::from_secs(5));
        assert_eq!(defaults.body_timeout, Duration::from_secs(10));
        assert_eq!(defaults.shutdown_timeout, Duration::from_secs(5));
        assert_eq!(defaults.max_connections, 10_000);
        assert_eq!(defaults.output_timeout, Duration::from_secs(1));
        let set = Args::parse_from(["x", "--body-timeout", "1500ms", "--header-timeout", "2m"]);
        assert_eq!(set.limits.body_timeout, Duration::from_millis(1500));
        assert_eq!(set.limits.header_timeout, Duration::from_secs(120));
        assert!(Args::try_parse_from(["x", "--body-timeout", "soon"]).is_err());
        assert!(Args::try_parse_from(["x", "--max-connections", "0"]).is_err());
    }

    #[test]
    fn connections_stay_under_the_descriptor_limit() {
        let limits = Args::parse_from(["x"]).limits;
        assert_eq!(limits.connections_within(1024), 992);
        assert_eq!(limits.connections_within(1_000_000), 10_000);
        assert_eq!(limits.connections_within(3), 1);
    }
}
