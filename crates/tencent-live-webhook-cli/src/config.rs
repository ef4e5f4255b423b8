//! `live-webhook config` and `live-webhook usersig`: register the webhook URL, its
//! commands and its token through Tencent's REST API, signed with a UserSig.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;
use tencent_live_webhook::Command;
use tencent_live_webhook::config_api::{
    Admin, Answered, ApiErrorCode, Call, CallError, CallbackConfig, IpListKind, Region,
    SetCallbackToken,
};
use tencent_live_webhook::usersig::UserSig;

use crate::client::Sender;
use crate::credentials::SecretKeyArgs;
use crate::{SDKAPPID_VARIABLE, unix_now, usage_error, words};
use tencent_live_webhook_gateway::output::Format;

/// How long a UserSig printed by `usersig` is valid by default: one day.
const DEFAULT_USERSIG_EXPIRE: u64 = 86_400;

/// The flags every `config` call shares.
#[derive(Debug, clap::Args)]
pub(crate) struct ApiArgs {
    /// Your app's SDKAppID
    #[arg(long, env = SDKAPPID_VARIABLE, global = true)]
    sdkappid: Option<u64>,
    /// The app administrator account that signs the calls
    #[arg(long, default_value = "administrator", global = true)]
    identifier: String,
    #[command(flatten)]
    key: SecretKeyArgs,
    /// Where the app's REST API is [default: china]
    #[arg(long, value_enum, global = true)]
    region: Option<RegionArg>,
    /// Another https:// base URL for the REST API (a private endpoint, a test server)
    #[arg(long, value_name = "URL", conflicts_with = "region", global = true)]
    base_url: Option<String>,
    /// Trust the certificate authorities in this PEM file, as well as the system's and
    /// the bundled Mozilla roots
    #[arg(long, value_name = "FILE", global = true)]
    cacert: Option<PathBuf>,
    /// `human`, or `json` (one line) [default: human on a terminal, json otherwise]
    #[arg(long, value_enum, global = true, hide_possible_values = true)]
    format: Option<Format>,
}

/// The REST API's regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum RegionArg {
    /// console.tim.qq.com
    China,
    /// adminapisgp.im.qcloud.com
    Singapore,
    /// adminapiusa.im.qcloud.com
    Usa,
    /// adminapiidn.im.qcloud.com
    Jakarta,
}

impl From<RegionArg> for Region {
    fn from(region: RegionArg) -> Region {
        match region {
            RegionArg::China => Region::China,
            RegionArg::Singapore => Region::Singapore,
            RegionArg::Usa => Region::Usa,
            RegionArg::Jakarta => Region::Jakarta,
        }
    }
}

/// `live-webhook config ...`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum ConfigAction {
    /// Show the webhook URL and the commands sent to it
    Get,
    /// Create the webhook configuration (there is one per app; `update` changes it)
    Set {
        /// The URL Tencent sends webhooks to (https:// strongly advised)
        #[arg(long)]
        url: String,
        /// Comma-separated command words, full or short, or `all`
        #[arg(long, value_name = "LIST")]
        commands: String,
    },
    /// Change the URL, the commands, or both
    Update {
        /// The new URL
        #[arg(long, required_unless_present = "commands")]
        url: Option<String>,
        /// The new command list: comma-separated words, full or short, or `all`
        #[arg(long, value_name = "LIST")]
        commands: Option<String>,
    },
    /// Delete the webhook configuration
    Delete,
    /// The token webhooks are signed with
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// The addresses Tencent's callbacks come from, one per line: an allow-list for
    /// `serve --allow-from FILE`
    IpList {
        /// Where your server is: inside China (Hong Kong included) or outside
        #[arg(long, value_enum, default_value_t = ServerRegion::OutsideChina)]
        server: ServerRegion,
    },
}

/// Where the receiving server is, which decides which of Tencent's exits call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ServerRegion {
    /// Inside China, Hong Kong included (`nettype` 5).
    InsideChina,
    /// Outside China (`nettype` 6).
    OutsideChina,
}

/// `live-webhook config token ...`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum TokenAction {
    /// Show the token and whether signing is on
    Get,
    /// Set the token and turn signing on (or off with --disable)
    Set {
        /// The token (1 to 128 characters); prefer --generate
        #[arg(
            long,
            required_unless_present = "generate",
            conflicts_with = "generate"
        )]
        token: Option<String>,
        /// Make a strong random token and print it, once
        #[arg(long)]
        generate: bool,
        /// Keep the token but send webhooks unsigned
        #[arg(long)]
        disable: bool,
    },
    /// Delete the token configuration
    Delete,
}

/// `--commands`: every documented command but the switch, or the words given.
fn parse_commands(list: &str) -> Result<Vec<Command>, String> {
    if list.trim().eq_ignore_ascii_case("all") {
        return Ok(Command::KNOWN
            .into_iter()
            .filter(|command| !command.is_switch())
            .collect());
    }
    let mut commands = Vec::new();
    for word in list
        .split(',')
        .map(str::trim)
        .filter(|word| !word.is_empty())
    {
        let command = words::any(word).map_err(|message| format!("--commands {message}"))?;
        if !commands.contains(&command) {
            commands.push(command);
        }
    }
    if commands.is_empty() {
        return Err("--commands: no command word given (or `all`)".into());
    }
    Ok(commands)
}

/// A signing administrator and the client that sends its calls.
struct Api {
    admin: Admin,
    sender: Sender,
}

/// Why a call gave no result: Tencent refused it, or it did not get through.
enum Failure {
    Refused(CallError),
    Transport(String),
}

impl Api {
    fn new(args: &ApiArgs) -> Result<Api, (ExitCode, String)> {
        let usage = |message: String| (ExitCode::from(2), message);
        let sdkappid = args.sdkappid.ok_or_else(|| {
            usage(format!(
                "no app: give --sdkappid or set {SDKAPPID_VARIABLE}"
            ))
        })?;
        let key = args.key.resolve().map_err(usage)?;
        let base_url = match (&args.base_url, args.region) {
            (Some(url), _) => {
                // The URL carries the UserSig, a credential: never in the clear.
                if !url.to_ascii_lowercase().starts_with("https://") {
                    return Err(usage(format!(
                        "--base-url {url:?}: must start with https:// (the UserSig is a credential)"
                    )));
                }
                url.clone()
            }
            (None, region) => {
                format!(
                    "https://{}",
                    Region::from(region.unwrap_or(RegionArg::China)).host()
                )
            }
        };
        let sender =
            Sender::new(args.cacert.as_deref()).map_err(|error| (ExitCode::FAILURE, error))?;
        let admin = Admin::new(sdkappid, args.identifier.clone(), key).base_url(base_url);
        Ok(Api { admin, sender })
    }

    fn call(&mut self, call: &Call) -> Result<Answered, Failure> {
        let random = getrandom::u32()
            .map_err(|error| Failure::Transport(format!("no random numbers: {error}")))?;
        let request = self.admin.request(call, unix_now(), random);
        let answer = self
            .sender
            .post(&request.url, request.body.into_bytes())
            .map_err(|error| Failure::Transport(format!("the REST API: {error}")))?;
        match call.parse_answer(answer.body.as_bytes()) {
            Err(CallError::NotAnAnswer) if answer.status != 200 => Err(Failure::Transport(
                format!("the REST API answered HTTP {}", answer.status),
            )),
            result => result.map_err(Failure::Refused),
        }
    }
}

/// What to try after a refusal, for the codes a user can act on.
fn advice(code: ApiErrorCode) -> Option<&'static str> {
    Some(match code {
        ApiErrorCode::CALLBACK_EXISTS => "change it with `live-webhook config update`",
        ApiErrorCode::NO_CALLBACK => {
            "create it with `live-webhook config set --url URL --commands all`"
        }
        ApiErrorCode::NO_TOKEN => "set one with `live-webhook config token set --generate`",
        ApiErrorCode::USERSIG_INVALID | ApiErrorCode::USERSIG_MALFORMED => {
            "check the secret key (console: Application Management)"
        }
        ApiErrorCode::USERSIG_EXPIRED => "check this machine's clock",
        ApiErrorCode::USERSIG_IDENTIFIER_MISMATCH => {
            "--identifier must be an administrator account of the app"
        }
        ApiErrorCode::USERSIG_APP_MISMATCH | ApiErrorCode::APP_NOT_FOUND => {
            "check --sdkappid and --region"
        }
        ApiErrorCode::PLAN_NOT_SATISFIED => "the Live webhooks need a Live package",
        _ => return None,
    })
}

/// Prints results and refusals as people or programs want them.
struct Printer {
    format: Format,
}

impl Printer {
    fn new(format: Option<Format>) -> Printer {
        let format = format.unwrap_or(if std::io::stdout().is_terminal() {
            Format::Human
        } else {
            Format::Json
        });
        Printer { format }
    }

    fn done(&self, human: &str, json: &serde_json::Value) -> ExitCode {
        match self.format {
            Format::Human => println!("{human}"),
            Format::Json => println!("{json}"),
        }
        ExitCode::SUCCESS
    }

    fn failed(&self, failure: Failure) -> ExitCode {
        match failure {
            Failure::Transport(message) => {
                eprintln!("error: {message}");
                if self.format == Format::Json {
                    println!("{}", json!({"ok": false, "error": message}));
                }
            }
            Failure::Refused(error) => {
                let hint = match &error {
                    CallError::Refused { code, .. } => advice(*code),
                    _ => None,
                };
                match hint {
                    Some(hint) => eprintln!("error: {error}; {hint}"),
                    None => eprintln!("error: {error}"),
                }
                if self.format == Format::Json {
                    let line = match &error {
                        CallError::Refused {
                            code,
                            info,
                            request_id,
                        } => json!({
                            "ok": false,
                            "error_code": code.0,
                            "error_info": info,
                            "meaning": code.meaning(),
                            "request_id": request_id,
                        }),
                        _ => json!({"ok": false, "error": error.to_string()}),
                    };
                    println!("{line}");
                }
            }
        }
        ExitCode::FAILURE
    }
}

fn describe(config: &CallbackConfig) -> String {
    let mut text = format!("url: {}\ncommands:", config.url);
    for command in &config.callback_command_list {
        text.push_str("\n  ");
        text.push_str(command.as_str());
    }
    text
}

/// Runs one `config` action.
pub(crate) fn run(args: &ApiArgs, action: &ConfigAction) -> ExitCode {
    let printer = Printer::new(args.format);
    // Check what can be checked before anything is sent.
    let new_commands = match action {
        ConfigAction::Set { commands, .. }
        | ConfigAction::Update {
            commands: Some(commands),
            ..
        } => match parse_commands(commands) {
            Ok(commands) => Some(commands),
            Err(message) => return usage_error(&message),
        },
        _ => None,
    };
    let new_url = match action {
        ConfigAction::Set { url, .. } => Some(url),
        ConfigAction::Update { url, .. } => url.as_ref(),
        _ => None,
    };
    if let Some(Err(message)) =
        new_url.map(|url| tencent_live_webhook_gateway::app::check_url("--url", url))
    {
        return usage_error(&message);
    }
    let mut api = match Api::new(args) {
        Ok(api) => api,
        Err((code, message)) => {
            eprintln!("error: {message}");
            return code;
        }
    };
    match action {
        ConfigAction::Get => match api.call(&Call::GetCallback) {
            Ok(Answered::Callback(config)) => {
                printer.done(&describe(&config), &json!({"ok": true, "callback": config}))
            }
            Ok(_) => printer.failed(Failure::Refused(CallError::NotAnAnswer)),
            Err(failure) => printer.failed(failure),
        },
        ConfigAction::Set { url, .. } => {
            let config = CallbackConfig {
                url: url.clone(),
                callback_command_list: new_commands.unwrap_or_default(),
            };
            match api.call(&Call::SetCallback(config.clone())) {
                Ok(_) => printer.done(
                    &format!("webhook configuration created\n{}", describe(&config)),
                    &json!({"ok": true, "callback": config}),
                ),
                Err(failure) => printer.failed(failure),
            }
        }
        ConfigAction::Update { url, .. } => {
            // The API replaces the whole configuration: start from what is there.
            let mut config = match api.call(&Call::GetCallback) {
                Ok(Answered::Callback(config)) => config,
                Ok(_) => return printer.failed(Failure::Refused(CallError::NotAnAnswer)),
                Err(failure) => return printer.failed(failure),
            };
            if let Some(url) = url {
                config.url.clone_from(url);
            }
            if let Some(commands) = new_commands {
                config.callback_command_list = commands;
            }
            match api.call(&Call::UpdateCallback(config.clone())) {
                Ok(_) => printer.done(
                    &format!("webhook configuration updated\n{}", describe(&config)),
                    &json!({"ok": true, "callback": config}),
                ),
                Err(failure) => printer.failed(failure),
            }
        }
        ConfigAction::Delete => match api.call(&Call::DeleteCallback) {
            Ok(_) => printer.done("webhook configuration deleted", &json!({"ok": true})),
            Err(failure) => printer.failed(failure),
        },
        ConfigAction::Token { action } => token(&mut api, &printer, action),
        ConfigAction::IpList { server } => {
            let kind = match server {
                ServerRegion::InsideChina => IpListKind::WebhooksInsideChina,
                ServerRegion::OutsideChina => IpListKind::WebhooksOutsideChina,
            };
            match api.call(&Call::GetIpList(kind)) {
                Ok(Answered::IpList(list)) => {
                    printer.done(&list.join("\n"), &json!({"ok": true, "ip_list": list}))
                }
                Ok(_) => printer.failed(Failure::Refused(CallError::NotAnAnswer)),
                Err(failure) => printer.failed(failure),
            }
        }
    }
}

fn token(api: &mut Api, printer: &Printer, action: &TokenAction) -> ExitCode {
    match action {
        TokenAction::Get => match api.call(&Call::GetCallbackToken) {
            Ok(Answered::Token(token)) => printer.done(
                &format!(
                    "token: {}\nsigning: {}",
                    token.token,
                    if token.is_token_enable { "on" } else { "off" }
                ),
                &json!({"ok": true, "token": token.token, "enabled": token.is_token_enable}),
            ),
            Ok(_) => printer.failed(Failure::Refused(CallError::NotAnAnswer)),
            Err(failure) => printer.failed(failure),
        },
        TokenAction::Set {
            token,
            generate,
            disable,
        } => {
            let token = match (token, generate) {
                (Some(token), _) => {
                    if let Err(error) = tencent_live_webhook::Token::new(token) {
                        return usage_error(&format!("--token: {error}"));
                    }
                    token.clone()
                }
                (None, true) => match random_token() {
                    Ok(token) => token,
                    Err(message) => {
                        eprintln!("error: {message}");
                        return ExitCode::FAILURE;
                    }
                },
                (None, false) => return usage_error("give --token TOKEN or --generate"),
            };
            let call = Call::SetCallbackToken(SetCallbackToken {
                token: Some(token.clone()),
                is_token_enable: Some(!disable),
            });
            let signing = if *disable { "off" } else { "on" };
            match api.call(&call) {
                // Only a made token is shown: one given on the command line is known.
                Ok(_) if *generate => printer.done(
                    &format!(
                        "token: {token}\nsigning: {signing}\nThe token is shown only this once: \
                         give it to `live-webhook serve` through LIVE_WEBHOOK_TOKEN or --token-file."
                    ),
                    &json!({"ok": true, "token": token, "enabled": !disable}),
                ),
                Ok(_) => printer.done(
                    &format!("token set\nsigning: {signing}"),
                    &json!({"ok": true, "enabled": !disable}),
                ),
                Err(failure) => printer.failed(failure),
            }
        }
        TokenAction::Delete => match api.call(&Call::DeleteCallbackToken) {
            Ok(_) => printer.done("token configuration deleted", &json!({"ok": true})),
            Err(failure) => printer.failed(failure),
        },
    }
}

/// 32 random bytes from the operating system, as 64 hex digits.
fn random_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| format!("no random numbers: {error}"))?;
    let mut token = String::with_capacity(64);
    for byte in bytes {
        let _ = write!(token, "{byte:02x}");
    }
    Ok(token)
}

/// `live-webhook usersig`: prints a UserSig.
pub(crate) fn usersig(
    sdkappid: Option<u64>,
    identifier: &str,
    expire: Option<u64>,
    key: &SecretKeyArgs,
) -> ExitCode {
    let Some(sdkappid) = sdkappid else {
        return usage_error(&format!(
            "no app: give --sdkappid or set {SDKAPPID_VARIABLE}"
        ));
    };
    let key = match key.resolve() {
        Ok(key) => key,
        Err(message) => return usage_error(&message),
    };
    let sig = UserSig::generate(
        sdkappid,
        &key,
        identifier,
        expire.unwrap_or(DEFAULT_USERSIG_EXPIRE),
        unix_now(),
    );
    println!("{}", sig.as_str());
    ExitCode::SUCCESS
}
