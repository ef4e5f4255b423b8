//! The web console on the admin listener: what arrived in the last hour, the latest
//! webhooks and their deliveries, Retry and Purge; the page and the JSON API it calls.
//!
//! It remembers the last [`WINDOW`] webhooks with the answer each got and the last
//! refusals; with a spool, its list merges them with the spool's entries.

mod api;
mod auth;
mod host;
mod naming;
mod state;
mod window;

pub(crate) use api::answer;
pub use auth::AdminToken;
pub use host::AllowedHosts;
pub(crate) use window::{Record, Refusal, Window};

use std::sync::Arc;

use tencent_live_webhook_spool::Spool;

use crate::metrics::Metrics;

/// Webhooks kept in memory for the console.
pub const WINDOW: usize = 1000;

/// What the console reads and acts on.
pub(crate) struct Console {
    pub(crate) window: Window,
    pub(crate) spool: Option<Spool>,
    pub(crate) token: Option<AdminToken>,
    pub(crate) sessions: auth::Sessions,
    pub(crate) failed_logins: auth::FailedLogins,
    pub(crate) metrics: Option<Arc<Metrics>>,
    pub(crate) hosts: AllowedHosts,
    /// Sent with the page, required on every state-changing request: a page of another
    /// site cannot read it, so it cannot make the browser retry or purge.
    pub(crate) csrf: String,
}

impl Console {
    /// A console; an error when the system has no randomness for its page token.
    pub(crate) fn new(
        spool: Option<Spool>,
        token: Option<AdminToken>,
        hosts: AllowedHosts,
        metrics: Option<Arc<Metrics>>,
    ) -> Result<Console, getrandom::Error> {
        Ok(Console {
            window: Window::default(),
            spool,
            token,
            sessions: auth::Sessions::default(),
            failed_logins: auth::FailedLogins::default(),
            metrics,
            hosts,
            csrf: auth::random_hex::<16>()?,
        })
    }

    /// A request with a wrong token or an unknown session: counted and logged.
    pub(crate) fn failed_login(&self, peer: Option<std::net::IpAddr>, now_ms: u64) {
        if let Some(metrics) = &self.metrics {
            metrics.failed_login();
        }
        self.failed_logins.failed(peer, now_ms);
    }
}
