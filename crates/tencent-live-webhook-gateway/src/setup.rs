//! Building a gateway's outlets from its options: forwarders, spool, broker, record
//! file, output format and the admin listener, each checked once, before anything runs.

use std::fs::File;
use std::io::{self, IsTerminal};
use std::net::SocketAddr;
use std::sync::mpsc::Sender;

use tencent_live_webhook::{Token, Webhook, trtc};
use tencent_live_webhook_spool::{HttpDestination, Spool};

use crate::error::GatewayError;
use crate::forward::Forwarder;
use crate::options::{AppFailure, ColorChoice, GatewayOptions};
use crate::outbox::{Broker, SpoolTarget};
use crate::output::Format;

/// Where accepted webhooks go.
pub enum Sink {
    /// Printed on standard output (and forwarded, spooled and recorded as asked).
    Stdout(Box<Outlets>),
    /// Handed to a channel (the demo).
    Channel(Sender<Webhook>),
}

/// The gateway's parts, ready to run.
pub struct Outlets {
    pub(crate) forward: Option<Forwarder>,
    pub(crate) trtc_forward: Option<Forwarder>,
    pub(crate) on_app_failure: AppFailure,
    pub(crate) spool: Option<Spooling>,
    pub(crate) record: Option<File>,
    pub(crate) format: Format,
    pub(crate) color: bool,
    pub(crate) admin: Option<SocketAddr>,
    pub(crate) admin_token: Option<crate::console::AdminToken>,
    pub(crate) admin_hosts: crate::console::AllowedHosts,
    pub(crate) broker: Option<Broker>,
}

/// A spool and where its webhooks go.
pub(crate) struct Spooling {
    pub(crate) spool: Spool,
    pub(crate) destination: SpoolTarget,
}

impl Sink {
    /// Standard output with the gateway's forwarding, spooling, recording and format.
    /// Deliveries from the spool are signed afresh with `resign_with` (the app's first
    /// token; `None` for an app without one), TRTC callbacks with `trtc_key` (the first
    /// TRTC key, when TRTC callbacks are received).
    pub fn stdout(
        options: GatewayOptions,
        resign_with: Option<Token>,
        trtc_key: Option<trtc::Key>,
    ) -> Result<Sink, GatewayError> {
        let authorities = match &options.cacert {
            Some(path) => crate::app::authorities(path).map_err(GatewayError::Io)?,
            None => Vec::new(),
        };
        let forward = match &options.forward_to {
            Some(url) => {
                crate::app::check_url("--forward-to", url.as_str()).map_err(GatewayError::Usage)?;
                let timeout = options.forward_timeout;
                Some(
                    Forwarder::new(url.as_str().to_owned(), timeout, authorities.clone())
                        .map_err(GatewayError::Io)?,
                )
            }
            None => None,
        };
        let trtc_url = match (
            &trtc_key,
            &options.trtc.trtc_forward_to,
            &options.forward_to,
        ) {
            (None, _, _) | (Some(_), None, None) => None,
            (Some(_), Some(url), _) => {
                crate::app::check_url("--trtc-forward-to", url.as_str())
                    .map_err(GatewayError::Usage)?;
                Some(url.as_str().to_owned())
            }
            (Some(_), None, Some(live)) => Some(
                crate::app::with_path(live.as_str(), &options.trtc.trtc_path)
                    .map_err(GatewayError::Usage)?,
            ),
        };
        let trtc_forward = match &trtc_url {
            Some(url) => Some(
                Forwarder::new(url.clone(), options.forward_timeout, authorities.clone())
                    .map_err(GatewayError::Io)?,
            ),
            None => None,
        };
        // Checked before the spool is created, so that a refused start leaves no file.
        let admin = match &options.admin_listen {
            Some(address) => Some(
                crate::resolve_address(address)
                    .map_err(|error| GatewayError::Usage(format!("--admin-listen {error}")))?,
            ),
            None => None,
        };
        let admin_token = admin_token(&options)?;
        let admin_hosts =
            crate::console::AllowedHosts::new(&options.admin_hosts).map_err(GatewayError::Usage)?;
        if let Some(address) = admin
            && !address.ip().is_loopback()
            && admin_token.is_none()
        {
            return Err(GatewayError::Usage(format!(
                "--admin-listen {address} is reachable from other machines: set LIVE_WEBHOOK_ADMIN_TOKEN (or --admin-token) to protect the console"
            )));
        }
        let broker = Broker::connect(&options.publish, options.spool.dedup_window)?;
        let spool = match (&options.spool.spool, &options.forward_to, &broker) {
            (None, _, _) => None,
            (Some(_), None, None) => {
                return Err(GatewayError::Usage(
                    "--spool needs somewhere to deliver the webhooks it keeps: add --forward-to URL or --publish URL"
                        .into(),
                ));
            }
            (Some(path), _, Some(broker)) => {
                let spool = Spool::open(path, options.spool.broker_config())
                    .map_err(|error| GatewayError::Io(error.to_string()))?;
                Some(Spooling {
                    spool,
                    destination: SpoolTarget::Broker(broker.publisher.clone()),
                })
            }
            (Some(path), Some(url), None) => {
                let config = options.spool.config();
                let mut destination = HttpDestination::new(
                    url.as_str(),
                    resign_with,
                    options.spool.delivery_timeout,
                    authorities,
                )
                .map_err(|error| GatewayError::Usage(error.to_string()))?;
                if let (Some(url), Some(key)) = (&trtc_url, trtc_key) {
                    destination = destination.trtc(url.clone(), key);
                }
                let spool = Spool::open(path, config)
                    .map_err(|error| GatewayError::Io(error.to_string()))?;
                Some(Spooling {
                    spool,
                    destination: SpoolTarget::Http(destination),
                })
            }
        };
        let record = match options.record {
            Some(path) => Some(private_append(&path).map_err(|error| {
                GatewayError::Io(format!("cannot open {}: {error}", path.display()))
            })?),
            None => None,
        };
        let terminal = io::stdout().is_terminal();
        let format = options.format.unwrap_or(if terminal {
            Format::Human
        } else {
            Format::Json
        });
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let color = match options.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        };
        Ok(Sink::Stdout(Box::new(Outlets {
            forward,
            trtc_forward,
            on_app_failure: options.on_app_failure,
            spool,
            record,
            format,
            color,
            admin,
            admin_token,
            admin_hosts,
            broker,
        })))
    }
}

/// The admin token, from `--admin-token` (or its variable) or `--admin-token-file` (or
/// its variable), never both.
fn admin_token(
    options: &GatewayOptions,
) -> Result<Option<crate::console::AdminToken>, GatewayError> {
    let (text, from) = match (&options.admin_token, &options.admin_token_file) {
        (Some(_), Some(_)) => {
            return Err(GatewayError::Usage(
                "the admin token is given twice: keep --admin-token (LIVE_WEBHOOK_ADMIN_TOKEN) or --admin-token-file (LIVE_WEBHOOK_ADMIN_TOKEN_FILE)".into(),
            ));
        }
        (Some(token), None) => (token.expose().to_owned(), "--admin-token".to_owned()),
        (None, Some(path)) => {
            let lines = crate::secret::secret_lines(path, "admin token")
                .map_err(|error| GatewayError::Usage(format!("--admin-token-file: {error}")))?;
            let first = lines.into_iter().next().unwrap_or_default();
            (first, format!("--admin-token-file {}", path.display()))
        }
        (None, None) => return Ok(None),
    };
    crate::console::AdminToken::new(&text)
        .map(Some)
        .map_err(|error| GatewayError::Usage(format!("{from}: {error}")))
}

/// Opens `path` to append to, creating it readable by its owner only: a record holds
/// queries with a fresh `Sign` and every body.
fn private_append(path: &std::path::Path) -> io::Result<File> {
    let mut options = File::options();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
