//! The app administrator's side: UserSig, and the configuration REST API that registers
//! the webhook, built and parsed without I/O.
#![cfg(feature = "alloc")]

pub mod config_api;
#[cfg(feature = "rest")]
pub mod usersig;
