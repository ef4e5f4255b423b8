#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod body;
mod clock;
mod config;
mod framing;
mod intercepted;
mod live;
mod refusal_log;
#[cfg(feature = "hyper")]
mod serve;
#[cfg(feature = "hyper")]
mod slots;
mod source;
mod trtc;
mod types;
#[cfg(feature = "hyper")]
mod watch;

pub use clock::{system_clock, system_clock_ms};
pub use config::{
    DEFAULT_BODY_TIMEOUT, DEFAULT_REFUSAL_LOG_LINES_PER_SEC, OnRefusal, WebhookConfig,
};
pub use framing::{Framing, TrtcHeaders};
pub use intercepted::{Intercepted, JSON};
pub use ipnet::IpNet;
pub use refusal_log::RefusedRequest;
#[cfg(feature = "hyper")]
pub use serve::{ServeLimits, serve};
#[cfg(feature = "hyper")]
pub use slots::{Busy, Connection, OnShed, Slots};
pub use source::{PeerAddr, Source};
pub use tencent_live_webhook;
