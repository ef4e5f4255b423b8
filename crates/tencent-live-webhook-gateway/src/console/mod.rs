//! The web console on the admin listener: what arrived in the last hour, the latest
//! webhooks and their deliveries, Retry and Purge; the page and the JSON API it calls.
//!
//! Without a spool it shows an in-memory window of the last [`WINDOW`] webhooks.

mod api;
mod auth;
mod host;
mod window;

pub(crate) use api::answer;
pub use auth::AdminToken;
pub use host::AllowedHosts;
pub(crate) use window::{Record, Window};

use std::fmt::Write as _;

use tencent_live_webhook_spool::Spool;

/// Webhooks kept in memory for the console.
pub const WINDOW: usize = 1000;

/// What the console reads and acts on.
pub(crate) struct Console {
    pub(crate) window: Window,
    pub(crate) spool: Option<Spool>,
    pub(crate) token: Option<AdminToken>,
    pub(crate) hosts: AllowedHosts,
    /// Sent with the page, required on every state-changing request: a page of another
    /// site cannot read it, so it cannot make the browser retry or purge.
    pub(crate) csrf: String,
}

impl Console {
    pub(crate) fn new(
        spool: Option<Spool>,
        token: Option<AdminToken>,
        hosts: AllowedHosts,
    ) -> Console {
        let mut bytes = [0u8; 16];
        // Without randomness the page still works; its token is then fixed per process.
        let _ = getrandom::fill(&mut bytes);
        Console {
            window: Window::default(),
            spool,
            token,
            hosts,
            csrf: bytes.iter().fold(String::new(), |mut hex, byte| {
                let _ = write!(hex, "{byte:02x}");
                hex
            }),
        }
    }
}
