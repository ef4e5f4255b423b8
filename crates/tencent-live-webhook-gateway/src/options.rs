//! What `serve` is told: the framework, the limits, what to do with each webhook.
// Doc comments of the option fields are `--help` text, where backticks would show.
#![allow(clippy::doc_markdown)]

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::PossibleValue;

use crate::output::Format;

/// The web framework to serve with: one per cargo feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
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
    pub fn default_compiled() -> Framework {
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
pub struct Limits {
    /// Time a connection has to send a request's head, from when it opens or from the
    /// previous answer (so also how long an idle keep-alive connection is kept)
    #[arg(long, default_value = "5s", value_parser = crate::duration::seconds)]
    pub header_timeout: Duration,
    /// Time a request's whole body has to arrive; a slower one is answered 408
    #[arg(long, default_value = "10s", value_parser = crate::duration::seconds)]
    pub body_timeout: Duration,
    /// Most connections open at once; also kept under the process's file-descriptor limit,
    /// which is raised to its maximum at start. At the cap a new connection takes the place
    /// of the oldest that has sent no request (counted in
    /// live_webhook_connections_shed_total); only while every connection has a request in
    /// flight do new ones wait to be accepted
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// On SIGTERM or Ctrl-C, how long requests in flight may take to finish before exit
    #[arg(long, default_value = "5s", value_parser = crate::duration::seconds)]
    pub shutdown_timeout: Duration,
    /// Webhook lines waiting to be written to standard output; when a reader falls that
    /// far behind, webhooks are answered 503 until it catches up (Tencent does not send a
    /// webhook again: use --spool so that a slow reader costs lines, not webhooks)
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub output_queue: u32,
    /// How long a webhook waits for its line to be written before it is answered 503 (a
    /// webhook is acknowledged only once its line is out)
    #[arg(long, default_value = "1s", value_parser = crate::duration::seconds)]
    pub output_timeout: Duration,
    /// Refusals logged per second; the rest are counted in one summary line
    #[arg(long, default_value_t = tencent_live_webhook_adapter::DEFAULT_REFUSAL_LOG_LINES_PER_SEC)]
    pub log_refusals_per_sec: u32,
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
    pub(crate) fn connections_within(&self, descriptors: u64) -> usize {
        const RESERVED: u64 = 32;
        let fit = descriptors.saturating_sub(RESERVED).max(1);
        usize::try_from(u64::from(self.max_connections).min(fit)).unwrap_or(usize::MAX)
    }
}

/// What `serve` does with a verified webhook besides answering it: forward it to an app,
/// keep it in a spool, record it, print it.
#[derive(Debug, Clone, clap::Args)]
pub struct GatewayOptions {
    /// POST each verified webhook to this URL (http:// or https://) with its exact body and
    /// original query string, and answer the sender with the app's status and body (with
    /// --spool: notifications are stored, answered, then delivered in the background)
    #[arg(help_heading = "Forwarding", long, value_name = "URL")]
    pub forward_to: Option<crate::ServiceUrl>,
    /// How long the app has to answer a forwarded webhook (Tencent waits 2 s for blocking
    /// callbacks); past it the sender gets 502. A bare number is milliseconds
    #[arg(help_heading = "Forwarding", long, value_name = "DURATION", default_value = "1500ms",
          value_parser = forward_timeout)]
    pub forward_timeout: Duration,
    /// What a blocking callback (a gift, and every Chat "before" callback: messages, groups,
    /// topics, friends, official accounts, the chatbot) is answered when the app is down,
    /// too slow or answers something else: `tencent` answers 502 and leaves the outcome to
    /// Tencent's own failure policy (a gift is blocked; a Chat action goes ahead unless its
    /// console says otherwise), `allow` answers the callback's allowing reply (the action
    /// goes ahead), `reject` answers its refusing reply with HTTP 200, which Tencent
    /// honours (the action is refused)
    #[arg(help_heading = "Forwarding", long, value_enum, default_value_t = AppFailure::Tencent, requires = "forward_to")]
    pub on_app_failure: AppFailure,
    /// Trust the certificate authorities in this PEM file for an https:// --forward-to, as
    /// well as the system's and the bundled Mozilla roots (for an app with a private CA)
    #[arg(
        help_heading = "Forwarding",
        long,
        value_name = "FILE",
        requires = "forward_to"
    )]
    pub cacert: Option<PathBuf>,
    /// Append each verified Live webhook to FILE as one JSON line (`received_at_ms`,
    /// `query`, `body`: the exact bytes), before it is answered (for `replay`; TRTC
    /// callbacks are not recorded: keep them with --spool)
    #[arg(help_heading = "Output", long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// How each webhook is printed: `json`, one JSON document per line, or `human` [default:
    /// human on a terminal, json otherwise]
    #[arg(help_heading = "Output", long, value_enum)]
    pub format: Option<Format>,
    /// Colour in human output: `auto` (on a terminal, unless NO_COLOR is set), `always`,
    /// `never`
    #[arg(help_heading = "Output", long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten, next_help_heading = "Spool")]
    #[allow(missing_docs)]
    pub spool: SpoolOptions,
    /// Serve the web console (/), GET /metrics (Prometheus text), /healthz and /readyz on
    /// this address (its own listener, never the webhook port); --metrics-listen is the
    /// same. Beyond loopback it needs --admin-token
    #[arg(
        help_heading = "Console",
        long,
        value_name = "ADDR",
        alias = "metrics-listen"
    )]
    pub admin_listen: Option<String>,
    /// The token that opens the console and its API (open /?token=TOKEN once; scripts send
    /// Authorization: Bearer TOKEN): at least 16 letters, digits, - _ or .; /metrics,
    /// /healthz and /readyz stay open. Prefer the variable: a command line is visible in
    /// `ps`
    #[arg(
        help_heading = "Console",
        long,
        value_name = "TOKEN",
        env = "LIVE_WEBHOOK_ADMIN_TOKEN",
        hide_env_values = true
    )]
    // No `requires`: a token exported for every run must not stop a serve without console.
    pub admin_token: Option<crate::Secret>,
    /// A file whose first line (not blank, not starting with #) is the admin token: the
    /// token then appears in no process's arguments or environment
    #[arg(
        help_heading = "Console",
        long,
        value_name = "PATH",
        env = "LIVE_WEBHOOK_ADMIN_TOKEN_FILE"
    )]
    pub admin_token_file: Option<PathBuf>,
    /// A host name the console answers to besides IP addresses and localhost (the name in
    /// the operator's address bar, behind a proxy or in DNS); repeat for more. Any other
    /// `Host` is refused, so that a web page cannot point its own name at the console
    /// (DNS rebinding)
    #[arg(help_heading = "Console", long = "admin-host", value_name = "NAME")]
    pub admin_hosts: Vec<String>,
    #[command(flatten, next_help_heading = "TRTC callbacks")]
    #[allow(missing_docs)]
    pub trtc: TrtcOptions,
    #[command(flatten, next_help_heading = "Publishing")]
    #[allow(missing_docs)]
    pub publish: PublishOptions,
}

/// Where verified notifications are published: a NATS JetStream subject or a Redis stream.
#[derive(Debug, Clone, clap::Args)]
pub struct PublishOptions {
    /// Publish every verified notification and TRTC callback to this broker, as the JSON
    /// envelope: nats://HOST:PORT or redis://HOST:PORT/DB, with USER:PASSWORD@ before the
    /// host when the broker wants them.
    /// Without --spool, answered 200 once the broker acknowledged it (503 if it cannot);
    /// with --spool, published from the spool in the background. Gift and message
    /// callbacks still go to --forward-to. Prefer the variable: a password on a command
    /// line is visible in `ps`
    #[arg(
        long,
        value_name = "URL",
        env = "LIVE_WEBHOOK_PUBLISH_URL",
        hide_env_values = true
    )]
    pub publish: Option<crate::ServiceUrl>,
    /// The JetStream subject or the Redis stream key
    #[arg(
        long,
        value_name = "NAME",
        default_value = "live.webhooks",
        requires = "publish"
    )]
    pub topic: String,
    /// The JetStream stream (created with --topic as its subject and --dedup-window as its
    /// duplicate window when missing; an existing one is used as it is)
    #[arg(
        long,
        value_name = "NAME",
        default_value = "LIVE_WEBHOOKS",
        requires = "publish"
    )]
    pub nats_stream: String,
    /// How long the broker has to acknowledge a webhook; past it the sender gets 503
    /// (without --spool)
    #[arg(long, value_name = "DURATION", default_value = "2s", requires = "publish",
          value_parser = crate::duration::seconds)]
    pub publish_timeout: Duration,
}

/// Where TRTC's own callbacks (room, media, recording events) are received and sent on.
#[derive(Debug, Clone, clap::Args)]
pub struct TrtcOptions {
    /// The URL path TRTC callbacks are received on, beside the Live webhooks (with a TRTC
    /// key)
    #[arg(long, value_name = "PATH", default_value = "/trtc")]
    pub trtc_path: String,
    /// Where TRTC callbacks are forwarded (and delivered from the spool), with their exact
    /// body and a Sign header [default: the --forward-to URL with its path replaced by
    /// --trtc-path]
    #[arg(long, value_name = "URL")]
    pub trtc_forward_to: Option<crate::ServiceUrl>,
    /// Refuse a TRTC callback whose CallbackTs is further than this from this machine's
    /// clock (its signature holds no time: this limits replays); 0 turns the check off.
    /// Tencent retries for about a minute
    #[arg(long, value_name = "DURATION", default_value = "5m",
          value_parser = crate::duration::seconds)]
    pub trtc_max_age: Duration,
}

impl TrtcOptions {
    /// The TRTC verifier for `sdk_app_id` and its keys, with the replay window asked for.
    pub fn verifier(
        &self,
        sdk_app_id: u64,
        keys: Vec<tencent_live_webhook::trtc::Key>,
    ) -> tencent_live_webhook::trtc::Verifier {
        let verifier = tencent_live_webhook::trtc::Verifier::new().app(sdk_app_id, keys);
        if self.trtc_max_age.is_zero() {
            verifier.without_replay_window()
        } else {
            verifier.max_age_ms(u64::try_from(self.trtc_max_age.as_millis()).unwrap_or(u64::MAX))
        }
    }
}

/// `--forward-timeout`: from 1 ms to 60 s; a bare number is milliseconds.
fn forward_timeout(text: &str) -> Result<Duration, String> {
    let timeout = crate::duration::milliseconds(text)?;
    if timeout < Duration::from_millis(1) || timeout > Duration::from_secs(60) {
        return Err(format!("{text:?} is not between 1ms and 60s"));
    }
    Ok(timeout)
}

/// Where and how `serve` keeps notifications until the app has them.
#[derive(Debug, Clone, clap::Args)]
pub struct SpoolOptions {
    /// Keep every verified notification in this SQLite file before answering 200, then
    /// deliver it to --forward-to until the app takes it (gift and message callbacks still
    /// go to the app at once: Tencent waits for their answer)
    #[arg(long, value_name = "PATH", env = "LIVE_WEBHOOK_SPOOL")]
    pub spool: Option<PathBuf>,
    /// Delays between delivery attempts; after the last one fails the webhook is dead
    #[arg(
        long,
        value_name = "DELAYS",
        default_value = "1s,5s,30s,2m,10m,30m,1h,2h,4h,8h",
        requires = "spool"
    )]
    pub retry_schedule: tencent_live_webhook_spool::RetrySchedule,
    /// Deliveries under way at once (a room counts once: its webhooks go one after the
    /// other) [default: 8 to an app, 64 to a broker, which takes many at once on one
    /// connection]
    #[arg(long, value_name = "N", requires = "spool",
          value_parser = clap::value_parser!(u16).range(1..))]
    pub delivery_concurrency: Option<u16>,
    /// While deliveries fail, how often the webhook due first is tried whatever its own
    /// schedule says; the first that is taken makes every waiting webhook due at once (a
    /// failed probe does not count against the webhook's schedule)
    #[arg(long, value_name = "DURATION", default_value = "5s", requires = "spool",
          value_parser = crate::duration::seconds)]
    pub probe_interval: Duration,
    /// How long the app has to take one delivery before the attempt counts as failed
    #[arg(long, value_name = "DURATION", default_value = "10s", requires = "spool",
          value_parser = crate::duration::seconds)]
    pub delivery_timeout: Duration,
    /// The same webhook (app, command and body) arriving again within this time is stored
    /// and delivered once (and published once: the broker's duplicate window, or the
    /// expiry of the Redis key that marks it)
    #[arg(long, value_name = "DURATION", default_value = "10m",
          value_parser = crate::duration::seconds)]
    pub dedup_window: Duration,
    /// How long delivered webhooks stay in the spool (never less than --dedup-window)
    #[arg(long, value_name = "DURATION", default_value = "24h", requires = "spool",
          value_parser = crate::duration::seconds)]
    pub keep_delivered: Duration,
    /// Most webhooks waiting for delivery; past it, new ones are answered 503
    #[arg(long, value_name = "N", default_value_t = 100_000, requires = "spool")]
    pub spool_max_pending: u64,
    /// Largest size of the spool file: bytes, or with a unit (512MiB, 2GiB) (default: as
    /// large as the disk allows); past it, new webhooks are answered 503
    #[arg(long, value_name = "SIZE", requires = "spool", value_parser = crate::size::bytes)]
    pub spool_max_bytes: Option<u64>,
}

/// Deliveries under way at once to an app over HTTP, unless told.
pub(crate) const APP_DELIVERY_CONCURRENCY: u16 = 8;

/// Deliveries under way at once to a broker, unless told: publishing is pipelined on one
/// connection, and each room's webhooks wait for the broker's acknowledgement one after the
/// other, so it takes many rooms at once to keep up with a busy receiver.
pub(crate) const BROKER_DELIVERY_CONCURRENCY: u16 = 64;

impl SpoolOptions {
    /// The spool's settings, delivering to an app over HTTP.
    pub fn config(&self) -> tencent_live_webhook_spool::SpoolConfig {
        self.config_with(APP_DELIVERY_CONCURRENCY)
    }

    /// The spool's settings, publishing to a broker.
    pub fn broker_config(&self) -> tencent_live_webhook_spool::SpoolConfig {
        self.config_with(BROKER_DELIVERY_CONCURRENCY)
    }

    fn config_with(&self, default_concurrency: u16) -> tencent_live_webhook_spool::SpoolConfig {
        let concurrency = self.delivery_concurrency.unwrap_or(default_concurrency);
        let mut config = tencent_live_webhook_spool::SpoolConfig::default()
            .retry_schedule(self.retry_schedule.clone())
            .concurrency(usize::from(concurrency))
            .delivery_timeout(self.delivery_timeout)
            .probe_interval(self.probe_interval)
            .dedup_window(self.dedup_window)
            .keep_delivered(self.keep_delivered)
            .max_pending(self.spool_max_pending);
        if let Some(bytes) = self.spool_max_bytes {
            config = config.max_bytes(bytes);
        }
        config
    }
}

/// Who may send webhooks, and which proxies may say who did.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SourceOptions {
    /// Believe X-Forwarded-For from peers in these networks (your reverse proxies): the
    /// client is then the last address in it that is not one of them (CIDR, comma-separated)
    #[arg(long, value_name = "CIDR,...", value_delimiter = ',', value_parser = network)]
    pub trusted_proxy: Vec<ipnet::IpNet>,
    /// Take webhooks only from these clients, refusing any other with 403 before its body
    /// is read: a file with one CIDR per line (# comments), or CIDRs separated by commas
    #[arg(long, value_name = "FILE|CIDR,...")]
    pub allow_from: Option<String>,
}

impl SourceOptions {
    /// The allow-list, read from its file when it names one.
    pub fn allowed(&self) -> Result<Option<Vec<ipnet::IpNet>>, String> {
        let Some(text) = &self.allow_from else {
            return Ok(None);
        };
        let path = std::path::Path::new(text);
        let (list, from) = if path.is_file() {
            let contents = std::fs::read_to_string(path).map_err(|error| {
                format!("--allow-from: cannot read {}: {error}", path.display())
            })?;
            (contents, format!("{}", path.display()))
        } else {
            (text.replace(',', "\n"), String::from("--allow-from"))
        };
        let mut networks = Vec::new();
        for (number, line) in list.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            networks
                .push(network(line).map_err(|error| format!("{from}:{}: {error}", number + 1))?);
        }
        if networks.is_empty() {
            return Err(format!("{from}: no address in the allow-list"));
        }
        Ok(Some(networks))
    }
}

/// A network in CIDR form (`203.0.113.0/24`) or a single address.
fn network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{text:?} is not an address or a CIDR network"))
}

/// What `serve` answers for a blocking callback the app did not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AppFailure {
    /// 502: Tencent applies its own failure policy for the callback (it blocks a gift; it
    /// lets a Chat action through unless its console is set to block).
    Tencent,
    /// The allowing reply: the action goes ahead as if the app had allowed it.
    Allow,
    /// The refusing reply, with HTTP 200: the action is refused as if the app had said so.
    Reject,
}

/// When human output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always (an explicit choice overrides NO_COLOR).
    Always,
    /// Never.
    Never,
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

    #[derive(Parser)]
    struct SpoolArgs {
        #[command(flatten)]
        spool: SpoolOptions,
    }

    #[test]
    fn a_broker_takes_more_deliveries_at_once_than_an_app_unless_told() {
        let concurrency = |config: tencent_live_webhook_spool::SpoolConfig| {
            let shown = format!("{config:?}");
            let (_, rest) = shown.split_once("concurrency: ").unwrap();
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap()
                .parse::<u16>()
                .unwrap()
        };
        let defaults = SpoolArgs::parse_from(["x", "--spool", "s.db"]).spool;
        assert_eq!(concurrency(defaults.config()), APP_DELIVERY_CONCURRENCY);
        assert_eq!(
            concurrency(defaults.broker_config()),
            BROKER_DELIVERY_CONCURRENCY
        );
        let told =
            SpoolArgs::parse_from(["x", "--spool", "s.db", "--delivery-concurrency", "3"]).spool;
        assert_eq!(concurrency(told.config()), 3);
        assert_eq!(concurrency(told.broker_config()), 3);
        assert!(
            SpoolArgs::try_parse_from(["x", "--spool", "s.db", "--delivery-concurrency", "0"])
                .is_err()
        );
    }

    #[test]
    fn connections_stay_under_the_descriptor_limit() {
        let limits = Args::parse_from(["x"]).limits;
        assert_eq!(limits.connections_within(1024), 992);
        assert_eq!(limits.connections_within(1_000_000), 10_000);
        assert_eq!(limits.connections_within(3), 1);
    }
}
