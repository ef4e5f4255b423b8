//! Everything `live-webhook serve` is told, in one typed place, and the one builder that
//! checks how the options fit together before anything starts: a binary that embeds the
//! gateway gets the same checks and the same messages as `serve`.
// Doc comments of the option fields are `--help` text, where backticks would show.
#![allow(clippy::doc_markdown)]

use std::time::Duration;

use tencent_live_webhook::{Receiver, Verifier};

use crate::credentials::{TOKEN_VARIABLE, TRTC_KEY_VARIABLE, TokenArgs, TrtcKeyArgs};
use crate::error::GatewayError;
use crate::options::{Framework, GatewayOptions, Limits, SourceOptions};
use crate::run::{Server, TrtcReceiving};
use crate::setup::Sink;

/// The variable `--sdkappid` may come from.
pub const SDKAPPID_VARIABLE: &str = "LIVE_WEBHOOK_SDKAPPID";

/// The options of `live-webhook serve`, as `clap` arguments: flatten them into a command
/// of your own and call [`server`](ServeArgs::server).
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Read options from this TOML file (the flags' names as keys: `forward-to =
    /// "http://127.0.0.1:3000/tencent"`); flags and environment variables override it
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Your app's SDKAppID
    #[arg(long, env = SDKAPPID_VARIABLE, help_heading = "Verification")]
    pub sdkappid: u64,
    #[command(flatten, next_help_heading = "Verification")]
    #[allow(missing_docs)]
    pub tokens: TokenArgs,
    /// Accept unsigned requests (for an app without a callback token); insecure
    #[arg(long, conflicts_with_all = ["tokens", "token_file"], help_heading = "Verification")]
    pub no_verify: bool,
    /// Largest allowed difference between RequestTime and this machine's clock (a bare
    /// number is seconds)
    #[arg(long, value_name = "DURATION", default_value = "60s",
          value_parser = crate::duration::seconds, help_heading = "Verification")]
    pub max_skew: Duration,
    /// Address to listen on: IP:PORT or HOST:PORT (`localhost:8080`)
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Web framework to serve with
    #[arg(long, value_enum, default_value_t = Framework::default_compiled())]
    pub framework: Framework,
    /// Largest body accepted: bytes, or with a unit (256KiB, 1MiB)
    #[arg(long, value_name = "SIZE", default_value = "256KiB", help_heading = "Limits",
          value_parser = crate::size::bytes_usize)]
    pub limit: usize,
    /// Only this URL path (default: any path)
    #[arg(long)]
    pub path: Option<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub gateway: Box<GatewayOptions>,
    #[command(flatten, next_help_heading = "Limits")]
    #[allow(missing_docs)]
    pub limits: Limits,
    #[command(flatten, next_help_heading = "Sources")]
    #[allow(missing_docs)]
    pub sources: SourceOptions,
    /// Receive TRTC callbacks too, on --trtc-path, verified with these keys
    #[command(flatten, next_help_heading = "TRTC callbacks")]
    pub trtc_keys: TrtcKeyArgs,
}

impl ServeArgs {
    /// The server these options describe, after every check of how they fit together
    /// ([`GatewayError::Usage`] names the flags at fault) and with its outlets opened
    /// (the spool, the broker connection, the record file: [`GatewayError::Io`]).
    pub fn server(self) -> Result<Server, GatewayError> {
        let usage = GatewayError::Usage;
        let trtc_keys = self.trtc_keys.resolve().map_err(usage)?;
        let gateway = *self.gateway;
        if trtc_keys.is_empty() && gateway.trtc.trtc_forward_to.is_some() {
            return Err(usage(format!(
                "--trtc-forward-to without a TRTC key: give --trtc-key or set {TRTC_KEY_VARIABLE}"
            )));
        }
        if !trtc_keys.is_empty() && self.path.as_deref() == Some(gateway.trtc.trtc_path.as_str()) {
            return Err(usage("--path and --trtc-path must differ".into()));
        }
        let dedup = &gateway.spool;
        let deduplicating = dedup.spool.is_some() || gateway.publish.publish.is_some();
        let max_age = gateway.trtc.trtc_max_age;
        if !trtc_keys.is_empty() && deduplicating && dedup.dedup_window < max_age {
            tracing::warn!(
                dedup_window = ?dedup.dedup_window,
                trtc_max_age = ?max_age,
                "--dedup-window is shorter than --trtc-max-age: a TRTC callback replayed after the window but within the age is delivered twice"
            );
        }
        let trtc = (!trtc_keys.is_empty()).then(|| TrtcReceiving {
            verifier: gateway.trtc.verifier(self.sdkappid, trtc_keys.clone()),
            path: gateway.trtc.trtc_path.clone(),
        });
        let (verifier, resign_with) = if self.no_verify {
            if TokenArgs::variable_is_set() {
                return Err(usage(format!(
                    "--no-verify, yet {TOKEN_VARIABLE} holds tokens: unset it, or drop --no-verify"
                )));
            }
            (
                Verifier::new().insecure_app_without_token(self.sdkappid),
                None,
            )
        } else {
            let tokens = self.tokens.resolve().map_err(usage)?;
            if tokens.is_empty() {
                return Err(usage(format!(
                    "no callback token: give --token or --token-file, or set {TOKEN_VARIABLE} (or \
                     --no-verify for an app without one)"
                )));
            }
            // Deliveries from the spool are signed afresh with the first.
            let first = tokens.first().cloned();
            (Verifier::new().app(self.sdkappid, tokens), first)
        };
        let listen = crate::resolve_address(&self.listen)
            .map_err(|message| usage(format!("--listen {message}")))?;
        let allow_from = self.sources.allowed().map_err(usage)?;
        let sink = Sink::stdout(gateway, resign_with, trtc_keys.first().cloned())?;
        Ok(Server {
            receiver: Receiver::new(verifier.max_skew_secs(self.max_skew.as_secs()))
                .body_limit(self.limit),
            listen,
            framework: self.framework,
            path: self.path,
            sink,
            limits: self.limits,
            trusted_proxies: self.sources.trusted_proxy,
            allow_from,
            trtc,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        serve: ServeArgs,
    }

    /// The usage error of `serve` with these arguments (which must not start anything).
    fn refusal(args: &[&str]) -> String {
        let mut all = vec!["serve", "--sdkappid", "7"];
        all.extend_from_slice(args);
        match Command::try_parse_from(all).unwrap().serve.server() {
            Err(GatewayError::Usage(message)) => message,
            Err(other) => panic!("not a usage error: {other}"),
            Ok(_) => panic!("{args:?} was accepted"),
        }
    }

    #[test]
    fn options_that_do_not_fit_together_are_refused_with_the_flags_named() {
        assert!(
            refusal(&["--token", "t", "--trtc-forward-to", "http://a/"])
                .starts_with("--trtc-forward-to without a TRTC key")
        );
        assert_eq!(
            refusal(&["--token", "t", "--trtc-key", "k1", "--path", "/trtc"]),
            "--path and --trtc-path must differ"
        );
        assert!(refusal(&["--token", "t", "--listen", "nowhere"]).starts_with("--listen "));
        assert!(
            refusal(&["--token", "t", "--spool", "/nonexistent/s.db"])
                .starts_with("--spool needs somewhere to deliver")
        );
        assert!(
            refusal(&["--token", "t", "--admin-listen", "0.0.0.0:0"])
                .contains("set LIVE_WEBHOOK_ADMIN_TOKEN")
        );
        assert!(refusal(&["--token", "t", "--forward-to", "ftp://app"]).contains("--forward-to"));
        assert!(refusal(&["--token", "t", "--allow-from", "not-an-address"]).contains("allow"));
        assert!(
            refusal(&["--token", "t", "--trtc-key", "a key with spaces"]).starts_with("--trtc-key")
        );
    }

    #[test]
    fn a_fitting_set_of_options_builds_a_server() {
        let server = Command::try_parse_from([
            "serve",
            "--sdkappid",
            "7",
            "--token",
            "t",
            "--listen",
            "127.0.0.1:0",
            "--trtc-key",
            "k1",
        ])
        .unwrap()
        .serve
        .server()
        .unwrap();
        assert_eq!(server.listen.ip().to_string(), "127.0.0.1");
        assert_eq!(server.trtc.map(|trtc| trtc.path).as_deref(), Some("/trtc"));
    }

    #[test]
    fn debug_output_shows_no_secret() {
        let args = Command::try_parse_from([
            "serve",
            "--sdkappid",
            "7",
            "--token",
            "callback-s3cret",
            "--trtc-key",
            "trtcs3cret",
            "--admin-token",
            "admin-s3cret-0123456789",
            "--forward-to",
            "http://app:fwds3cret@127.0.0.1:3000/hook",
            "--trtc-forward-to",
            "http://app:trtcfwds3cret@127.0.0.1:3000/trtc",
            "--publish",
            "redis://user:brokers3cret@127.0.0.1:6379/0",
        ])
        .unwrap()
        .serve;
        let shown = format!("{args:?}");
        assert!(shown.contains("127.0.0.1:3000/hook"), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }

    #[test]
    fn byte_flags_take_units_and_the_default_limit_is_the_core_one() {
        let parse = |extra: &[&str]| {
            let mut all = vec!["serve", "--sdkappid", "7", "--token", "t"];
            all.extend_from_slice(extra);
            Command::try_parse_from(all).map(|command| command.serve)
        };
        assert_eq!(
            parse(&[]).unwrap().limit,
            tencent_live_webhook::DEFAULT_BODY_LIMIT
        );
        assert_eq!(parse(&["--limit", "1MiB"]).unwrap().limit, 1 << 20);
        assert_eq!(parse(&["--limit", "4096"]).unwrap().limit, 4096);
        assert!(parse(&["--limit", "1.5MiB"]).is_err());
        let spool = parse(&["--spool", "s.db", "--spool-max-bytes", "2GiB"]).unwrap();
        assert_eq!(spool.gateway.spool.spool_max_bytes, Some(2 << 30));
    }
}
