//! `live-webhook`: sign, verify, receive and send Tencent Cloud Live webhooks.
// Doc comments here are `--help` text, where backticks would show.
#![allow(clippy::doc_markdown)]

mod client;
mod config;
mod credentials;
mod demo;
mod edit;
mod input;
mod replay;
mod samples;
mod spool;
mod trtc;
mod words;

mod send;
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use tencent_live_webhook::{Sign, Token};

use crate::credentials::{TokenArgs, TrtcKeyArgs};
pub(crate) use tencent_live_webhook_gateway::SDKAPPID_VARIABLE;
use tencent_live_webhook_gateway::app::check_url;
use tencent_live_webhook_gateway::{Framework, GatewayError, ServeArgs, Shutdown};

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
    Verify(verify::VerifyArgs),
    /// Receive webhooks and print each accepted one on standard output; forward, spool,
    /// publish and record them as asked
    #[command(
        after_help = "Durations take a unit: 500ms, 2s, 1m, 1h30m. A bare number is \
                            seconds, except for --forward-timeout (milliseconds)."
    )]
    Serve(Box<ServeArgs>),
    Send(send::SendArgs),
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
    let cli = match arguments() {
        Ok(arguments) => Cli::parse_from(arguments),
        Err(code) => return code,
    };
    // Log lines go through a bounded queue to their own thread: a stalled stderr loses
    // lines (the queue drops what does not fit) but never blocks a request.
    let (stderr, _flush_logs) = tracing_appender::non_blocking(std::io::stderr());
    // Refusals are warnings; Tencent's connectivity probe is worth a line too, and so is
    // the end of a delivery outage (the spool's own lines). Requests
    // that are not HTTP at all are answered 400 by the framework's parser: hyper does not
    // log them and actix's line is switched off, so a client cannot flood the log with them.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(
            "warn,tencent_live_webhook_adapter=info,tencent_live_webhook_spool=info,\
             actix_http::h1::dispatcher=off",
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
        Action::Verify(args) => verify::run(args),
        Action::Serve(args) => serve(*args),
        Action::Send(args) => send::run(args),
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

/// The command line, with the options of `serve --config FILE` put right after `serve`
/// (but for those the command line gives itself).
fn arguments() -> Result<Vec<std::ffi::OsString>, ExitCode> {
    let mut arguments: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let Some(serve) = arguments.iter().position(|argument| argument == "serve") else {
        return Ok(arguments);
    };
    let after = &arguments[serve + 1..];
    let file = after.iter().enumerate().find_map(|(at, argument)| {
        if argument == "--config" {
            after.get(at + 1).map(PathBuf::from)
        } else {
            argument
                .to_str()
                .and_then(|text| text.strip_prefix("--config="))
                .map(PathBuf::from)
        }
    });
    let Some(file) = file else {
        return Ok(arguments);
    };
    let cli = Cli::command();
    let Some(command) = cli.find_subcommand("serve") else {
        return Ok(arguments);
    };
    match tencent_live_webhook_gateway::config_file::read(command, &file, after) {
        Ok(from_file) => {
            // Right after `serve`, before its own flags.
            let at = serve + 1;
            arguments.splice(at..at, from_file);
            Ok(arguments)
        }
        Err(GatewayError::Usage(message)) => Err(usage_error(&message)),
        Err(error) => {
            eprintln!("error: {error}");
            Err(ExitCode::FAILURE)
        }
    }
}

/// `serve`: the gateway's own builder checks the options; this prints where it listens.
fn serve(args: ServeArgs) -> ExitCode {
    let server = match args.server() {
        Ok(server) => server,
        Err(GatewayError::Usage(message)) => return usage_error(&message),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let trtc_at = server.trtc.as_ref().map(|trtc| trtc.path.clone());
    let ready = move |listening: tencent_live_webhook_gateway::Listening| {
        eprintln!("listening on http://{}", listening.webhooks);
        if let Some(path) = trtc_at {
            eprintln!("TRTC callbacks on http://{}{path}", listening.webhooks);
        }
        if let Some(admin) = listening.admin {
            eprintln!("admin on http://{admin} (the console at /, /metrics, /healthz, /readyz)");
        }
    };
    let listen = server.listen;
    match tencent_live_webhook_gateway::run(server, ready, Shutdown::Signals) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot serve on {listen}: {error}");
            ExitCode::FAILURE
        }
    }
}
