//! The `live-webhook serve` gateway as a library: a receiver for Tencent Cloud Live
//! webhooks on actix-web, warp or axum, with the limits a public endpoint needs, that
//! prints each webhook as a line, forwards it to an app, keeps notifications in a durable
//! spool until the app has them, and serves Prometheus metrics and health checks.
//!
//! The `live-webhook` binary is argument parsing around [`run`]; embed the same gateway
//! in a binary of your own by building a [`Server`] (its option structs are `clap::Args`,
//! so they can be flattened into your own command line).
//!
//! Tencent sends each Live webhook once and does not retry it: with a spool
//! ([`SpoolOptions`]) a notification is answered 200 only once it is on disk, then
//! delivered to the app until it takes it.
//!
//! # Features
#![doc = document_features::document_features!()]
#![forbid(unsafe_code)]

pub use tencent_live_webhook;

#[cfg(feature = "actix")]
mod actix;
mod admin;
mod answer;
pub mod app;
#[cfg(feature = "axum")]
mod axum;
mod background;
pub mod config_file;
mod console;
pub mod credentials;
pub mod decision;
pub mod duration;
mod error;
mod forward;
mod line;
mod metrics;
mod options;
mod outbox;
pub mod output;
mod outputs;
mod pipeline;
pub mod route;
mod run;
mod secret;
mod serve_args;
mod serving;
mod setup;
pub mod size;
pub mod trtc_output;
#[cfg(feature = "warp")]
mod warp;
mod writer;

pub use admin::{Health, READY_RECHECK};
pub use answer::Answer;
pub use console::{AdminToken, AllowedHosts, WINDOW as CONSOLE_WINDOW};
pub use error::GatewayError;
pub use forward::Forwarded;
pub use metrics::Metrics;
pub use options::{
    AppFailure, ColorChoice, Framework, GatewayOptions, Limits, PublishOptions, SourceOptions,
    SpoolOptions, TrtcOptions,
};
pub use run::{Listening, Server, TrtcReceiving, run};
pub use secret::{Secret, ServiceUrl, without_userinfo};
pub use serve_args::{SDKAPPID_VARIABLE, ServeArgs};
pub use serving::Shutdown;
pub use setup::{Outlets, Sink};

#[cfg(not(any(feature = "actix", feature = "warp", feature = "axum")))]
compile_error!("the gateway needs at least one framework: enable `actix`, `warp` or `axum`");

/// The first address `text` names: an IP address and port, or a host name and port
/// (`localhost:8080`).
pub fn resolve_address(text: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs;
    let mut addresses = text
        .to_socket_addrs()
        .map_err(|error| format!("{text:?}: {error}"))?;
    addresses
        .next()
        .ok_or_else(|| format!("{text:?}: the name has no address"))
}
