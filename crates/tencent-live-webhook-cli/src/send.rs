//! `live-webhook send`: sign and POST a webhook (or a TRTC callback) the way Tencent
//! does, and say what the answer decided.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tencent_live_webhook::{Command, Token};
use tencent_live_webhook_gateway::app::check_url;

use crate::credentials::{TokenArgs, TrtcKeyArgs};
use crate::input::read_body;
use crate::{
    SDKAPPID_VARIABLE, client, edit, required_tokens, required_trtc_keys, sender, trtc, unix_now,
    usage_error, words,
};

/// Sign and POST a webhook the way Tencent does; print the answer and, for a gift or
/// message callback, its decision
#[derive(clap::Args)]
pub(crate) struct SendArgs {
    /// The receiver's URL (http:// or https://)
    #[arg(long)]
    pub(crate) url: String,
    /// The app's SDKAppID
    #[arg(long, env = SDKAPPID_VARIABLE)]
    pub(crate) sdkappid: u64,
    /// Signs with the first token given
    #[command(flatten)]
    pub(crate) tokens: TokenArgs,
    /// The command word, full (Live.CallbackBeforeSendGift) or short (BeforeSendGift);
    /// alone, sends its built-in sample (`live-webhook samples` lists them)
    #[arg(long, required_unless_present = "body")]
    pub(crate) command: Option<String>,
    /// The body to send, from a file or `-` for standard input (its CallbackCommand
    /// names the command)
    #[arg(long)]
    pub(crate) body: Option<PathBuf>,
    // Help given as text: rustdoc would read `[0]` in a doc comment as a link.
    #[arg(
        long = "set",
        value_name = "PATH=VALUE",
        value_parser = edit::parse_assignment,
        help = "Change the body before signing: GiftWater.Coins=6000, \
                MemberList[0].Member_Account=u7; VALUE is JSON if it parses as JSON, \
                else a string; repeatable"
    )]
    pub(crate) sets: Vec<edit::Assignment>,
    /// The request time, Unix seconds (default: now)
    #[arg(long)]
    pub(crate) time: Option<u64>,
    /// Exit 0 only if the answer is HTTP 200, ActionStatus OK and this ErrorCode
    /// (a gift rejected with 102150, say)
    #[arg(long, value_name = "N")]
    pub(crate) expect_error_code: Option<u32>,
    /// Trust the certificate authorities in this PEM file for an https:// URL, as well
    /// as the system's and the bundled Mozilla roots
    #[arg(long, value_name = "FILE")]
    pub(crate) cacert: Option<PathBuf>,
    /// Send a TRTC callback instead, signed with the first --trtc-key in a Sign header:
    /// --command names a documented body (1-103, or 103; default 1-103), or give --body
    #[arg(long, conflicts_with_all = ["sets", "time", "expect_error_code"])]
    pub(crate) trtc: bool,
    #[command(flatten)]
    pub(crate) trtc_keys: TrtcKeyArgs,
    /// With --trtc, send the body's CallbackTs as it is (default: set it to now, as a
    /// receiver refuses old ones)
    #[arg(long, requires = "trtc")]
    pub(crate) keep_time: bool,
}

pub(crate) fn run(args: SendArgs) -> ExitCode {
    let SendArgs {
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
    } = args;
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
            eprintln!(
                "error: request to {} failed: {error}",
                tencent_live_webhook_gateway::without_userinfo(url)
            );
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
