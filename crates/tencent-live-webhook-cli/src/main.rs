//! `live-webhook`: sign, verify, receive and send Tencent Cloud Live webhooks.
// Doc comments here are `--help` text, where backticks would show.
#![allow(clippy::doc_markdown)]

mod client;
mod config;
mod credentials;
mod demo;
mod edit;
mod replay;
mod samples;
mod spool;
mod trtc;
mod words;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use tencent_live_webhook::{
    Command, DEFAULT_BODY_LIMIT, Receiver, Sign, Token, Verifier, VerifyError,
};

use crate::credentials::{TokenArgs, TrtcKeyArgs};
use tencent_live_webhook_gateway::app::check_url;
use tencent_live_webhook_gateway::output;
use tencent_live_webhook_gateway::{
    Framework, GatewayError, GatewayOptions, Limits, Server, Shutdown, Sink, TrtcReceiving,
};

/// The variable `--sdkappid` may come from.
const SDKAPPID_VARIABLE: &str = "LIVE_WEBHOOK_SDKAPPID";

#[derive(Parser)]
#[command(
    name = "live-webhook",
    version,
    about = "Sign, verify, receive and send Tencent Cloud Live webhooks"
)]
struct Cli {
    /// How log lines on standard error look: `text`, or `json` (one object per line with
    /// `timestamp`, `level`, `message` and the line's fields)
    #[arg(long, value_enum, global = true, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Action,
}

/// The form of log lines.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// One line of text per event.
    Text,
    /// One JSON object per event.
    Json,
}

#[derive(Subcommand)]
enum Action {
    /// Print the Sign of a token at a request time
    Sign {
        /// The callback token
        #[arg(long, value_parser = parse_token)]
        token: Token,
        /// The request time, Unix seconds
        #[arg(long)]
        time: u64,
    },
    /// Check a webhook's URL (and body) as a receiver does; print it as JSON. With --trtc,
    /// check a TRTC callback's body and Sign header instead
    Verify {
        /// Your app's SDKAppID
        #[arg(long, env = SDKAPPID_VARIABLE)]
        sdkappid: u64,
        #[command(flatten)]
        tokens: TokenArgs,
        /// The query string (a leading `?` or the whole URL also work)
        #[arg(long, required_unless_present = "trtc")]
        query: Option<String>,
        /// The body: a file, or `-` for standard input
        #[arg(long, required_if_eq("trtc", "true"))]
        body: Option<PathBuf>,
        /// Check a TRTC callback (room, media, recording events): its body against the
        /// value of its Sign header, with --trtc-key
        #[arg(long, conflicts_with = "query", requires = "sign")]
        trtc: bool,
        /// The TRTC callback's Sign header
        #[arg(long, requires = "trtc")]
        sign: Option<String>,
        #[command(flatten)]
        trtc_keys: TrtcKeyArgs,
        /// With --trtc, also refuse a CallbackTs further than this from --now (default: not
        /// checked)
        #[arg(long, value_name = "DURATION", requires = "trtc",
              value_parser = tencent_live_webhook_gateway::duration::seconds)]
        trtc_max_age: Option<std::time::Duration>,
        /// The time to check against, Unix seconds (default: now)
        #[arg(long)]
        now: Option<u64>,
        /// Largest allowed difference between RequestTime and this machine's clock (a bare
        /// number is seconds)
        #[arg(long, value_name = "DURATION", default_value = "60s",
              value_parser = tencent_live_webhook_gateway::duration::seconds)]
        max_skew: std::time::Duration,
    },
    /// Receive webhooks and print each accepted one on standard output; forward, spool
    /// and record them as asked
    #[command(
        after_help = "Durations take a unit: 500ms, 2s, 1m, 1h30m. A bare number is \
                            seconds, except for --forward-timeout (milliseconds)."
    )]
    Serve {
        /// Your app's SDKAppID
        #[arg(long, env = SDKAPPID_VARIABLE)]
        sdkappid: u64,
        #[command(flatten)]
        tokens: TokenArgs,
        /// Accept unsigned requests (for an app without a callback token); insecure
        #[arg(long, conflicts_with_all = ["tokens", "token_file"])]
        no_verify: bool,
        /// Address to listen on: IP:PORT or HOST:PORT (`localhost:8080`)
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Web framework to serve with
        #[arg(long, value_enum, default_value_t = Framework::default_compiled())]
        framework: Framework,
        /// Largest allowed difference between RequestTime and this machine's clock (a bare
        /// number is seconds)
        #[arg(long, value_name = "DURATION", default_value = "60s",
              value_parser = tencent_live_webhook_gateway::duration::seconds)]
        max_skew: std::time::Duration,
        /// Largest body accepted, bytes
        #[arg(long, default_value_t = DEFAULT_BODY_LIMIT)]
        limit: usize,
        /// Only this URL path (default: any path)
        #[arg(long)]
        path: Option<String>,
        #[command(flatten)]
        gateway: Box<GatewayOptions>,
        #[command(flatten)]
        limits: Limits,
        #[command(flatten)]
        sources: tencent_live_webhook_gateway::SourceOptions,
        /// Receive TRTC callbacks too, on --trtc-path, verified with these keys
        #[command(flatten)]
        trtc_keys: TrtcKeyArgs,
    },
    /// Sign and POST a webhook the way Tencent does; print the answer and, for a gift or
    /// message callback, its decision
    Send {
        /// The receiver's URL (http:// or https://)
        #[arg(long)]
        url: String,
        /// The app's SDKAppID
        #[arg(long, env = SDKAPPID_VARIABLE)]
        sdkappid: u64,
        /// Signs with the first token given
        #[command(flatten)]
        tokens: TokenArgs,
        /// The command word, full (Live.CallbackBeforeSendGift) or short (BeforeSendGift);
        /// alone, sends its built-in sample (`live-webhook samples` lists them)
        #[arg(long, required_unless_present = "body")]
        command: Option<String>,
        /// The body to send, from a file or `-` for standard input (its CallbackCommand
        /// names the command)
        #[arg(long)]
        body: Option<PathBuf>,
        // Help given as text: rustdoc would read `[0]` in a doc comment as a link.
        #[arg(
            long = "set",
            value_name = "PATH=VALUE",
            value_parser = edit::parse_assignment,
            help = "Change the body before signing: GiftWater.Coins=6000, \
                    MemberList[0].Member_Account=u7; VALUE is JSON if it parses as JSON, \
                    else a string; repeatable"
        )]
        sets: Vec<edit::Assignment>,
        /// The request time, Unix seconds (default: now)
        #[arg(long)]
        time: Option<u64>,
        /// Exit 0 only if the answer is HTTP 200, ActionStatus OK and this ErrorCode
        /// (a gift rejected with 102150, say)
        #[arg(long, value_name = "N")]
        expect_error_code: Option<u32>,
        /// Trust the certificate authorities in this PEM file for an https:// URL, as well
        /// as the system's and the bundled Mozilla roots
        #[arg(long, value_name = "FILE")]
        cacert: Option<PathBuf>,
        /// Send a TRTC callback instead, signed with the first --trtc-key in a Sign header:
        /// --command names a documented body (1-103, or 103; default 1-103), or give --body
        #[arg(long, conflicts_with_all = ["sets", "time", "expect_error_code"])]
        trtc: bool,
        #[command(flatten)]
        trtc_keys: TrtcKeyArgs,
        /// With --trtc, send the body's CallbackTs as it is (default: set it to now, as a
        /// receiver refuses old ones)
        #[arg(long, requires = "trtc")]
        keep_time: bool,
    },
    /// List the documented commands, or print one command's sample body
    Samples {
        /// A command word, full or short, any case (default: list them all); with --trtc,
        /// a TRTC body's name (1-103)
        word: Option<String>,
        /// Layout of the body [default: pretty on a terminal, compact otherwise]
        #[arg(long, value_enum, requires = "word", conflicts_with = "trtc")]
        layout: Option<samples::Layout>,
        /// The documented TRTC callback bodies, printed exactly as Tencent sends them
        #[arg(long)]
        trtc: bool,
    },
    /// Send the webhooks of a `serve --record` file again, in order, with their exact
    /// bodies and queries, signed afresh
    Replay {
        /// The file `serve --record` wrote
        file: PathBuf,
        /// The receiver's URL (http:// or https://)
        #[arg(long)]
        url: String,
        /// Signs with the first token given (not needed with --keep-signature)
        #[command(flatten)]
        tokens: TokenArgs,
        /// Send Sign and RequestTime as recorded (a receiver refuses them once they are
        /// older than its clock allows)
        #[arg(long)]
        keep_signature: bool,
        /// Only the webhooks of this command (full or short word)
        #[arg(long, value_name = "WORD")]
        command: Option<String>,
        /// The request time to sign with, Unix seconds (default: now, for each webhook)
        #[arg(long, conflicts_with = "keep_signature")]
        time: Option<u64>,
        /// Only the webhooks received since TIME: Unix seconds, an RFC 3339 time
        /// (2026-12-06T10:00:00Z), or how long ago (30m, 2h)
        #[arg(long, value_name = "TIME", value_parser = replay::parse_since)]
        since: Option<u64>,
        /// Only the webhooks whose forwarding to the app failed (no answer, or not HTTP 200)
        #[arg(long)]
        failed: bool,
        /// Trust the certificate authorities in this PEM file for an https:// URL, as well
        /// as the system's and the bundled Mozilla roots
        #[arg(long, value_name = "FILE")]
        cacert: Option<PathBuf>,
    },
    /// Register the webhook with Tencent: its URL, its commands, its signing token
    /// (the v4/live_config REST API, signed with a UserSig)
    Config {
        #[command(flatten)]
        api: config::ApiArgs,
        #[command(subcommand)]
        action: config::ConfigAction,
    },
    /// Print a UserSig, the signature of the app administrator's REST calls
    Usersig {
        /// Your app's SDKAppID
        #[arg(long, env = SDKAPPID_VARIABLE)]
        sdkappid: Option<u64>,
        /// The account it signs for
        #[arg(long, default_value = "administrator")]
        identifier: String,
        /// How long it is valid (a bare number is seconds) [default: 1d]
        #[arg(long, value_name = "DURATION",
              value_parser = tencent_live_webhook_gateway::duration::seconds)]
        expire: Option<std::time::Duration>,
        #[command(flatten)]
        key: credentials::SecretKeyArgs,
    },
    /// Look into and manage the spool of `serve --spool`: stats, list, show, retry, purge
    Spool(spool::SpoolArgs),
    /// Print a shell completion script: `live-webhook completions bash > /etc/bash_completion.d/live-webhook`
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Start a receiver, send it every sample signed, and show what it decoded
    Demo {
        /// Web framework to serve with
        #[arg(long, value_enum, default_value_t = Framework::default_compiled())]
        framework: Framework,
    },
}

fn parse_token(text: &str) -> Result<Token, String> {
    Token::new(text).map_err(|error| error.to_string())
}

/// The tokens of `verify` and `send`: at least one, from wherever they were given.
fn required_tokens(tokens: &TokenArgs) -> Result<Vec<Token>, ExitCode> {
    match tokens.resolve() {
        Ok(tokens) if tokens.is_empty() => Err(usage_error(&format!(
            "no callback token: give --token or --token-file, or set {}",
            credentials::TOKEN_VARIABLE
        ))),
        Ok(tokens) => Ok(tokens),
        Err(message) => Err(usage_error(&message)),
    }
}

/// The TRTC keys of `verify --trtc` and `send --trtc`: at least one.
fn required_trtc_keys(
    keys: &TrtcKeyArgs,
) -> Result<Vec<tencent_live_webhook::trtc::Key>, ExitCode> {
    match keys.resolve() {
        Ok(keys) if keys.is_empty() => Err(usage_error(&format!(
            "no TRTC key: give --trtc-key, or set {}",
            credentials::TRTC_KEY_VARIABLE
        ))),
        Ok(keys) => Ok(keys),
        Err(message) => Err(usage_error(&message)),
    }
}

pub(crate) use tencent_live_webhook_adapter::system_clock as unix_now;

/// The client of `send` and `replay`; an unreadable `--cacert` ends the run (exit 1).
fn sender(cacert: Option<&Path>) -> Result<client::Sender, ExitCode> {
    client::Sender::new(cacert).map_err(|message| {
        eprintln!("error: {message}");
        ExitCode::FAILURE
    })
}

/// A usage error found after parsing: reported like clap's, exit code 2.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Log lines go through a bounded queue to their own thread: a stalled stderr loses
    // lines (the queue drops what does not fit) but never blocks a request.
    let (stderr, _flush_logs) = tracing_appender::non_blocking(std::io::stderr());
    // Refusals are warnings; Tencent's connectivity probe is worth a line too. Requests
    // that are not HTTP at all are answered 400 by the framework's parser: hyper does not
    // log them and actix's line is switched off, so a client cannot flood the log with them.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(
            "warn,tencent_live_webhook_adapter=info,actix_http::h1::dispatcher=off",
        )
    });
    let logs = tracing_subscriber::fmt()
        .with_writer(stderr)
        .with_target(false)
        .with_ansi(false)
        .with_env_filter(filter);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().flatten_event(true).init(),
    }
    match cli.command {
        Action::Sign { token, time } => {
            println!("{}", Sign::compute(&token, time));
            ExitCode::SUCCESS
        }
        Action::Verify {
            sdkappid,
            tokens,
            query,
            body,
            now,
            max_skew,
            trtc,
            sign,
            trtc_keys,
            trtc_max_age,
        } => {
            if trtc {
                let keys = match required_trtc_keys(&trtc_keys) {
                    Ok(keys) => keys,
                    Err(code) => return code,
                };
                return trtc::verify(trtc::Check {
                    sdkappid,
                    keys,
                    body: body.as_deref().unwrap_or(Path::new("-")),
                    sign: sign.as_deref().unwrap_or_default(),
                    max_age_ms: trtc_max_age
                        .map(|age| u64::try_from(age.as_millis()).unwrap_or(u64::MAX)),
                    now_ms: now.map_or_else(tencent_live_webhook_adapter::system_clock_ms, |now| {
                        now.saturating_mul(1000)
                    }),
                });
            }
            let tokens = match required_tokens(&tokens) {
                Ok(tokens) => tokens,
                Err(code) => return code,
            };
            verify(
                sdkappid,
                tokens,
                query.as_deref().unwrap_or_default(),
                body.as_deref(),
                now,
                max_skew.as_secs(),
            )
        }
        Action::Serve {
            sdkappid,
            tokens,
            no_verify,
            listen,
            framework,
            max_skew,
            limit,
            path,
            gateway,
            limits,
            sources,
            trtc_keys,
        } => {
            let trtc_keys = match trtc_keys.resolve() {
                Ok(keys) => keys,
                Err(message) => return usage_error(&message),
            };
            if trtc_keys.is_empty() && gateway.trtc.trtc_forward_to.is_some() {
                return usage_error(&format!(
                    "--trtc-forward-to without a TRTC key: give --trtc-key or set {}",
                    credentials::TRTC_KEY_VARIABLE
                ));
            }
            if !trtc_keys.is_empty() && path.as_deref() == Some(gateway.trtc.trtc_path.as_str()) {
                return usage_error("--path and --trtc-path must differ");
            }
            let trtc = (!trtc_keys.is_empty()).then(|| TrtcReceiving {
                verifier: gateway.trtc.verifier(sdkappid, trtc_keys.clone()),
                path: gateway.trtc.trtc_path.clone(),
            });
            let (verifier, resign_with) = if no_verify {
                if TokenArgs::variable_is_set() {
                    return usage_error(&format!(
                        "--no-verify, yet {} holds tokens: unset it, or drop --no-verify",
                        credentials::TOKEN_VARIABLE
                    ));
                }
                (Verifier::new().insecure_app_without_token(sdkappid), None)
            } else {
                match tokens.resolve() {
                    Ok(tokens) if tokens.is_empty() => {
                        return usage_error(&format!(
                            "no callback token: give --token or --token-file, or set {} (or \
                             --no-verify for an app without one)",
                            credentials::TOKEN_VARIABLE
                        ));
                    }
                    Ok(tokens) => {
                        // Deliveries from the spool are signed afresh with the first.
                        let first = tokens.first().cloned();
                        (Verifier::new().app(sdkappid, tokens), first)
                    }
                    Err(message) => return usage_error(&message),
                }
            };
            let listen = match tencent_live_webhook_gateway::resolve_address(&listen) {
                Ok(address) => address,
                Err(message) => return usage_error(&format!("--listen {message}")),
            };
            let sink = match Sink::stdout(*gateway, resign_with, trtc_keys.first().cloned()) {
                Ok(sink) => sink,
                Err(GatewayError::Usage(message)) => return usage_error(&message),
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::FAILURE;
                }
            };
            let allow_from = match sources.allowed() {
                Ok(allowed) => allowed,
                Err(message) => return usage_error(&message),
            };
            let server = Server {
                receiver: Receiver::new(verifier.max_skew_secs(max_skew.as_secs()))
                    .body_limit(limit),
                listen,
                framework,
                path,
                sink,
                limits,
                trusted_proxies: sources.trusted_proxy,
                allow_from,
                trtc,
            };
            let trtc_at = server.trtc.as_ref().map(|trtc| trtc.path.clone());
            let ready = move |listening: tencent_live_webhook_gateway::Listening| {
                eprintln!("listening on http://{}", listening.webhooks);
                if let Some(path) = trtc_at {
                    eprintln!("TRTC callbacks on http://{}{path}", listening.webhooks);
                }
                if let Some(admin) = listening.admin {
                    eprintln!(
                        "admin on http://{admin} (the console at /, /metrics, /healthz, /readyz)"
                    );
                }
            };
            match tencent_live_webhook_gateway::run(server, ready, Shutdown::Signals) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: cannot serve on {listen}: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Action::Send {
            url,
            sdkappid,
            tokens,
            command,
            body,
            sets,
            time,
            expect_error_code,
            cacert,
            trtc,
            trtc_keys,
            keep_time,
        } => {
            if let Err(message) = check_url("--url", &url) {
                return usage_error(&message);
            }
            if trtc {
                let keys = match required_trtc_keys(&trtc_keys) {
                    Ok(keys) => keys,
                    Err(code) => return code,
                };
                let sender = match sender(cacert.as_deref()) {
                    Ok(sender) => sender,
                    Err(code) => return code,
                };
                return trtc::send(
                    &sender,
                    &trtc::Outgoing {
                        url: &url,
                        sdkappid,
                        key: &keys[0],
                        sample: command.as_deref(),
                        body: body.as_deref(),
                        keep_time,
                        now_ms: tencent_live_webhook_adapter::system_clock_ms(),
                    },
                );
            }
            let tokens = match required_tokens(&tokens) {
                Ok(tokens) => tokens,
                Err(code) => return code,
            };
            let sender = match sender(cacert.as_deref()) {
                Ok(sender) => sender,
                Err(code) => return code,
            };
            let webhook = Outgoing {
                sdkappid,
                token: &tokens[0],
                command: command.as_deref(),
                body: body.as_deref(),
                sets: &sets,
                time: time.unwrap_or_else(unix_now),
            };
            send(&sender, &url, &webhook, expect_error_code)
        }
        Action::Samples { word, layout, trtc } => match (word, trtc) {
            (Some(word), true) => trtc::show(&word),
            (None, true) => trtc::list(),
            (Some(word), false) => samples::show(&word, layout),
            (None, false) => samples::list(),
        },
        Action::Replay {
            file,
            url,
            tokens,
            keep_signature,
            command,
            time,
            since,
            failed,
            cacert,
        } => {
            if let Err(message) = check_url("--url", &url) {
                return usage_error(&message);
            }
            let signing = if keep_signature {
                replay::Signing::AsRecorded
            } else {
                match required_tokens(&tokens) {
                    Ok(tokens) => replay::Signing::Afresh {
                        token: tokens[0].clone(),
                        time,
                    },
                    Err(code) => return code,
                }
            };
            let only = match command.as_deref().map(words::any).transpose() {
                Ok(only) => only,
                Err(message) => return usage_error(&format!("--command {message}")),
            };
            let sender = match sender(cacert.as_deref()) {
                Ok(sender) => sender,
                Err(code) => return code,
            };
            replay::run(&replay::Replay {
                file: &file,
                url: &url,
                signing,
                only,
                since,
                failed,
                sender,
            })
        }
        Action::Config { api, action } => config::run(&api, &action),
        Action::Usersig {
            sdkappid,
            identifier,
            expire,
            key,
        } => config::usersig(
            sdkappid,
            &identifier,
            expire.map(|expire| expire.as_secs()),
            &key,
        ),
        Action::Spool(args) => spool::run(args),
        Action::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "live-webhook",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Action::Demo { framework } => demo::run(framework),
    }
}

fn read_body(path: &Path) -> std::io::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut body = Vec::new();
        std::io::stdin().read_to_end(&mut body)?;
        Ok(body)
    } else {
        std::fs::read(path)
    }
}

fn verify(
    sdkappid: u64,
    tokens: Vec<Token>,
    query: &str,
    body: Option<&Path>,
    now: Option<u64>,
    max_skew: u64,
) -> ExitCode {
    // Accept a bare query, `?query`, or a whole URL.
    let query = query.split_once('?').map_or(query, |(_, query)| query);
    let verifier = Verifier::new()
        .app(sdkappid, tokens)
        .max_skew_secs(max_skew);
    let verified = match verifier.verify(query, now.unwrap_or_else(unix_now)) {
        Ok(verified) => verified,
        Err(error) => {
            eprintln!("invalid: {error}");
            if let Some(hint) = verifier.hint(query, &error) {
                eprintln!("hint: {hint}");
            }
            if now.is_none() && matches!(error, VerifyError::Expired { .. }) {
                let signed_at = tencent_live_webhook::WebhookQuery::parse(query)
                    .ok()
                    .and_then(|query| query.request_time());
                if let Some(time) = signed_at {
                    eprintln!(
                        "hint: checking a captured webhook? Verify it at the time it was sent: --now {time}"
                    );
                } else {
                    eprintln!(
                        "hint: checking a captured webhook? Pass the time it was sent: --now UNIX_SECONDS"
                    );
                }
            }
            return ExitCode::FAILURE;
        }
    };
    let Some(path) = body else {
        let line = serde_json::json!({
            "command": verified.query().command_word(),
            "sdkappid": verified.sdk_app_id(),
            "matched_token": verified.matched_token(),
        });
        println!("{line}");
        return ExitCode::SUCCESS;
    };
    let body = match read_body(path) {
        Ok(body) => body,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    };
    match verified.decode(&body) {
        Ok(webhook) => {
            println!("{}", output::json_line(&webhook, None, None, None));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("invalid: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Why `send` cannot start: a usage error (exit 2) or an unreadable file (exit 1).
enum SendSetupError {
    Usage(String),
    Io(String),
}

/// The webhook `send` builds.
struct Outgoing<'a> {
    sdkappid: u64,
    token: &'a Token,
    command: Option<&'a str>,
    body: Option<&'a Path>,
    sets: &'a [edit::Assignment],
    time: u64,
}

/// The command and the body to send: from the flags, the body's `CallbackCommand`, or the
/// built-in sample; then edited by `--set`.
fn command_and_body(webhook: &Outgoing<'_>) -> Result<(Command, Vec<u8>), SendSetupError> {
    let body = webhook
        .body
        .map(|path| {
            read_body(path).map_err(|error| {
                SendSetupError::Io(format!("cannot read {}: {error}", path.display()))
            })
        })
        .transpose()?;
    let command = match (webhook.command, &body) {
        // With a body of one's own, an undocumented word may be just what is being tested.
        (Some(word), Some(_)) => {
            let command = words::any(word)
                .map_err(|message| SendSetupError::Usage(format!("--command {message}")))?;
            if !command.is_known() {
                eprintln!("note: {command} is not a documented command; sending it as given");
            }
            command
        }
        (Some(word), None) => words::documented(word)
            .map_err(|message| SendSetupError::Usage(format!("--command {message}")))?,
        (None, body) => body
            .as_deref()
            .and_then(|body| serde_json::from_slice::<serde_json::Value>(body).ok())
            .and_then(|body| {
                body["CallbackCommand"]
                    .as_str()
                    .and_then(|word| word.parse().ok())
            })
            .ok_or_else(|| {
                SendSetupError::Usage("the body names no CallbackCommand: give --command".into())
            })?,
    };
    let body = match body {
        Some(body) => body,
        None => tencent_live_webhook::samples::body_for(command)
            .ok_or_else(|| {
                SendSetupError::Usage(format!(
                    "{command} is a configuration switch with no sample body: give --body"
                ))
            })?
            .to_vec(),
    };
    if webhook.sets.is_empty() {
        return Ok((command, body));
    }
    let body = edit::apply(&body, webhook.sets).map_err(SendSetupError::Usage)?;
    Ok((command, body))
}

fn send(
    sender: &client::Sender,
    url: &str,
    webhook: &Outgoing<'_>,
    expect_error_code: Option<u32>,
) -> ExitCode {
    let (command, body) = match command_and_body(webhook) {
        Ok(found) => found,
        Err(SendSetupError::Usage(message)) => return usage_error(&message),
        Err(SendSetupError::Io(message)) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let target = client::signed_url(url, webhook.sdkappid, command, webhook.token, webhook.time);
    let answer = match sender.post(&target, body) {
        Ok(answer) => answer,
        Err(error) => {
            eprintln!("error: request to {url} failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("HTTP {}\n{}", answer.status, answer.body);
    if let Some(words) =
        tencent_live_webhook_gateway::decision::decision(command, answer.status, &answer.body)
    {
        println!("decision: {words}");
    }
    match expect_error_code {
        None if answer.is_ok() => ExitCode::SUCCESS,
        None => ExitCode::FAILURE,
        Some(expected) => {
            let code = client::protocol_reply(answer.body.as_bytes())
                .filter(|_| answer.is_ok())
                .map(|reply| reply.error_code);
            if code == Some(expected) {
                ExitCode::SUCCESS
            } else {
                match code {
                    Some(code) => eprintln!("expected ErrorCode {expected}, got {code}"),
                    None => eprintln!(
                        "expected ErrorCode {expected}, got no HTTP 200 answer with ActionStatus OK"
                    ),
                }
                ExitCode::FAILURE
            }
        }
    }
}
