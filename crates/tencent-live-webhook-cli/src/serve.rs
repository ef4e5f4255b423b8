//! `live-webhook serve`: a receiver on any of the frameworks compiled in, built from the
//! adapters. What does not depend on the framework lives here.

#[cfg(feature = "actix")]
mod actix;
#[cfg(feature = "axum")]
mod axum;
mod forward;
#[cfg(any(feature = "warp", feature = "axum"))]
mod framing;
#[cfg(any(feature = "warp", feature = "axum"))]
mod hyper;
#[cfg(feature = "warp")]
mod warp;
mod writer;

use std::fs::File;
use std::future::Future;
use std::io::{self, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::time::Duration;

use clap::builder::PossibleValue;
use tencent_live_webhook::{Receiver, Reply, Webhook};
use tencent_live_webhook_adapter::WebhookConfig;

use crate::output::{self, Format};
pub(crate) use forward::Forwarded;
use forward::Forwarder;
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

/// What `serve` does with a verified webhook besides answering it: forward it to an app,
/// record it, print it.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Gateway {
    /// POST each verified webhook to this URL (http:// or https://) with its exact body and
    /// original query string, and answer the sender with the app's status and body
    #[arg(long, value_name = "URL")]
    forward_to: Option<String>,
    /// How long the app has to answer a forwarded webhook, in milliseconds (Tencent waits
    /// 2 s for blocking callbacks); past it the sender gets 502
    #[arg(long, value_name = "MS", default_value_t = 1500,
          value_parser = clap::value_parser!(u64).range(1..=60_000))]
    forward_timeout: u64,
    /// Trust the certificate authorities in this PEM file for an https:// --forward-to, as
    /// well as the system's and the bundled Mozilla roots (for an app with a private CA)
    #[arg(long, value_name = "FILE", requires = "forward_to")]
    cacert: Option<PathBuf>,
    /// Append each verified webhook to FILE as one JSON line (`received_at_ms`, `query`,
    /// `body`: the exact bytes), before it is answered
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// How each webhook is printed: `json`, one JSON document per line, or `human` [default:
    /// human on a terminal, json otherwise]
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Colour in human output: `auto` (on a terminal, unless NO_COLOR is set), `always`,
    /// `never`
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// When human output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always (an explicit choice overrides NO_COLOR).
    Always,
    /// Never.
    Never,
}

/// Why the gateway cannot start: a usage error (exit 2) or an I/O error (exit 1).
pub(crate) enum GatewayError {
    Usage(String),
    Io(String),
}

/// Where accepted webhooks go.
pub(crate) enum Sink {
    /// Printed on standard output (and forwarded and recorded as asked).
    Stdout(Box<Outlets>),
    /// Handed to the demo.
    Channel(Sender<Webhook>),
}

/// The gateway's parts, ready to run.
pub(crate) struct Outlets {
    forward: Option<Forwarder>,
    record: Option<File>,
    format: Format,
    color: bool,
}

impl Sink {
    /// Standard output with the gateway's forwarding, recording and format.
    pub(crate) fn stdout(gateway: Gateway) -> Result<Sink, GatewayError> {
        let forward = match gateway.forward_to {
            Some(url) => {
                crate::check_url("--forward-to", &url).map_err(GatewayError::Usage)?;
                let timeout = Duration::from_millis(gateway.forward_timeout);
                let authorities = match &gateway.cacert {
                    Some(path) => crate::client::authorities(path).map_err(GatewayError::Io)?,
                    None => Vec::new(),
                };
                Some(Forwarder::new(url, timeout, authorities).map_err(GatewayError::Io)?)
            }
            None => None,
        };
        let record = match gateway.record {
            Some(path) => Some(
                File::options()
                    .append(true)
                    .create(true)
                    .open(&path)
                    .map_err(|error| {
                        GatewayError::Io(format!("cannot open {}: {error}", path.display()))
                    })?,
            ),
            None => None,
        };
        let terminal = io::stdout().is_terminal();
        let format = gateway.format.unwrap_or(if terminal {
            Format::Human
        } else {
            Format::Json
        });
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let color = match gateway.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        };
        Ok(Sink::Stdout(Box::new(Outlets {
            forward,
            record,
            format,
            color,
        })))
    }
}

/// A sink in use.
enum Output {
    Lines(Box<Lines>),
    Channel(Sender<Webhook>),
}

/// The writers and the forwarder of a running gateway.
struct Lines {
    stdout: LineWriter,
    record: Option<LineWriter>,
    forward: Option<Forwarder>,
    format: Format,
    color: bool,
}

/// A verified webhook and the request's exact query string and body.
pub(crate) struct Delivery {
    pub(crate) webhook: Webhook,
    pub(crate) query: String,
    pub(crate) body: Vec<u8>,
}

/// An answer to send: status and JSON body.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
}

impl Answer {
    /// A reply made here: the ack (200), or a failure whose code is its HTTP status.
    fn reply(reply: &Reply) -> Answer {
        let status = if reply.action_status() == tencent_live_webhook::ActionStatus::Ok {
            200
        } else {
            u16::try_from(reply.error_code()).unwrap_or(500)
        };
        Answer {
            status,
            body: reply.to_json(),
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
    fn not_a_webhook(&self, path: &str, is_post: bool) -> Option<Answer> {
        let (status, reason) = if !self.path_matches(path) {
            (404, "not found")
        } else if !is_post {
            (405, "method not allowed")
        } else {
            return None;
        };
        self.config.log_not_a_webhook(status, path);
        Some(Answer::reply(&Reply::failure(u32::from(status), reason)))
    }

    /// Handles an accepted webhook, never blocking a thread: recorded first (with
    /// `--record`), then forwarded (with `--forward-to`), then printed; answered only once
    /// all of that is done. A webhook that cannot be recorded or printed is answered as a
    /// failure so that the sender knows and retries: 503 while a reader lags, 500 once an
    /// output is gone.
    async fn accept(&self, delivery: Delivery) -> Answer {
        match &self.output {
            Output::Lines(lines) => lines.accept(delivery).await,
            Output::Channel(sender) => match sender.send(delivery.webhook) {
                Ok(()) => Answer::reply(&Reply::ack()),
                Err(_) => refused(Refused::Closed, "output"),
            },
        }
    }
}

impl Lines {
    async fn accept(&self, delivery: Delivery) -> Answer {
        let Delivery {
            webhook,
            query,
            body,
        } = delivery;
        if let Some(record) = &self.record {
            let Some(line) = output::record_line(output::unix_millis(), &query, &body) else {
                tracing::error!("could not record webhook: its body is not UTF-8");
                return Answer::reply(&Reply::failure(500, "could not record the webhook"));
            };
            if let Err(refusal) = record.write(line).await {
                return refused(refusal, "record file");
            }
        }
        let (answer, forwarded) = match &self.forward {
            None => (Answer::reply(&Reply::ack()), None),
            Some(forwarder) => {
                let (answer, forwarded) = forwarder.forward(&query, body).await;
                let answer = answer.unwrap_or_else(|| {
                    Answer::reply(&Reply::failure(502, "forwarding to the app failed"))
                });
                (answer, Some(forwarded))
            }
        };
        let line = match self.format {
            Format::Json => output::json_line(&webhook, forwarded.as_ref()),
            Format::Human => output::human_line(&webhook, &answer, forwarded.as_ref(), self.color),
        };
        match self.stdout.write(line).await {
            Ok(()) => answer,
            Err(refusal) => refused(refusal, "standard output"),
        }
    }
}

/// The answer when a webhook's line could not be written to `output`.
fn refused(refusal: Refused, output: &str) -> Answer {
    match refusal {
        Refused::Lagging => Answer::reply(&Reply::failure(
            503,
            "output is not being read: try again later",
        )),
        Refused::Closed => {
            tracing::error!("could not record webhook: the {output} is closed");
            Answer::reply(&Reply::failure(500, "could not record the webhook"))
        }
    }
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
    let mut flushes = Vec::new();
    let output = match server.sink {
        Sink::Stdout(outlets) => {
            let Outlets {
                forward,
                record,
                format,
                color,
            } = *outlets;
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
            Output::Lines(Box::new(Lines {
                stdout,
                record,
                forward,
                format,
                color,
            }))
        }
        Sink::Channel(sender) => Output::Channel(sender),
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
    // The frameworks have dropped the state, and with it the writers: what is queued is
    // all there is to write.
    let until = std::time::Instant::now() + limits.shutdown_timeout;
    for flush in flushes {
        if !flush.wait(until.saturating_duration_since(std::time::Instant::now())) {
            tracing::error!("an output is not being written: webhook lines are left unwritten");
        }
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
