//! `live-webhook verify`: check a webhook's URL (and body), or a TRTC callback's body
//! and Sign, the way a receiver does.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tencent_live_webhook::{Token, Verifier, VerifyError};
use tencent_live_webhook_gateway::output;

use crate::credentials::{TokenArgs, TrtcKeyArgs};
use crate::input::read_body;
use crate::{SDKAPPID_VARIABLE, required_tokens, required_trtc_keys, trtc, unix_now};

/// Check a webhook's URL (and body) as a receiver does; print it as JSON. With --trtc,
/// check a TRTC callback's body and Sign header instead
#[derive(clap::Args)]
pub(crate) struct VerifyArgs {
    /// Your app's SDKAppID
    #[arg(long, env = SDKAPPID_VARIABLE)]
    pub(crate) sdkappid: u64,
    #[command(flatten)]
    pub(crate) tokens: TokenArgs,
    /// The query string (a leading `?` or the whole URL also work)
    #[arg(long, required_unless_present = "trtc")]
    pub(crate) query: Option<String>,
    /// The body: a file, or `-` for standard input
    #[arg(long, required_if_eq("trtc", "true"))]
    pub(crate) body: Option<PathBuf>,
    /// Check a TRTC callback (room, media, recording events): its body against the
    /// value of its Sign header, with --trtc-key
    #[arg(long, conflicts_with = "query", requires = "sign")]
    pub(crate) trtc: bool,
    /// The TRTC callback's Sign header
    #[arg(long, requires = "trtc")]
    pub(crate) sign: Option<String>,
    #[command(flatten)]
    pub(crate) trtc_keys: TrtcKeyArgs,
    /// With --trtc, also refuse a CallbackTs further than this from --now (default: not
    /// checked)
    #[arg(long, value_name = "DURATION", requires = "trtc",
          value_parser = tencent_live_webhook_gateway::duration::seconds)]
    pub(crate) trtc_max_age: Option<std::time::Duration>,
    /// The time to check against, Unix seconds (default: now)
    #[arg(long)]
    pub(crate) now: Option<u64>,
    /// Largest allowed difference between RequestTime and this machine's clock (a bare
    /// number is seconds)
    #[arg(long, value_name = "DURATION", default_value = "60s",
          value_parser = tencent_live_webhook_gateway::duration::seconds)]
    pub(crate) max_skew: std::time::Duration,
}

pub(crate) fn run(args: VerifyArgs) -> ExitCode {
    let VerifyArgs {
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
    } = args;
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
            max_age_ms: trtc_max_age.map(|age| u64::try_from(age.as_millis()).unwrap_or(u64::MAX)),
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
