//! The sending side: building the query string Tencent would send, for tests and tools.

use alloc::string::String;
use core::fmt::Write;

use crate::command::Command;
use crate::platform::Platform;
use crate::sign::{Sign, Token};

/// The query string of a signed webhook for `command`, as Tencent builds it
/// (without the leading `?`).
///
/// ```
/// use tencent_live_webhook::{signed_query, Command, Token};
///
/// let query = signed_query(1_400_000_000, &Command::AfterCreateRoom, &Token::new("xxxxyyyy")?, 1_669_872_112);
/// assert_eq!(
///     query,
///     "SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterCreateRoom&contenttype=json\
///      &Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112"
/// );
/// # Ok::<(), tencent_live_webhook::TokenError>(())
/// ```
pub fn signed_query(
    sdk_app_id: u64,
    command: &Command,
    token: &Token,
    request_time: u64,
) -> String {
    QueryBuilder::new(sdk_app_id, *command).signed(token, request_time)
}

/// Builds a webhook query string with the optional parameters too.
///
/// ```
/// use tencent_live_webhook::{Command, Platform, QueryBuilder, Token};
///
/// let query = QueryBuilder::new(1_400_000_000, Command::AfterSendMsg)
///     .client_ip("::1")
///     .platform(Platform::Ios)
///     .signed(&Token::new("t")?, 1_700_000_000);
/// assert!(query.contains("&ClientIP=%3A%3A1&OptPlatform=iOS&"));
/// # Ok::<(), tencent_live_webhook::TokenError>(())
/// ```
#[derive(Debug, Clone)]
pub struct QueryBuilder {
    sdk_app_id: u64,
    command: Command,
    client_ip: Option<String>,
    platform: Option<Platform>,
}

impl QueryBuilder {
    /// A query for `command` from `sdk_app_id`.
    pub fn new(sdk_app_id: u64, command: Command) -> QueryBuilder {
        QueryBuilder {
            sdk_app_id,
            command,
            client_ip: None,
            platform: None,
        }
    }

    /// Adds `ClientIP`.
    #[must_use]
    pub fn client_ip(mut self, ip: impl Into<String>) -> QueryBuilder {
        self.client_ip = Some(ip.into());
        self
    }

    /// Adds `OptPlatform`.
    #[must_use]
    pub fn platform(mut self, platform: Platform) -> QueryBuilder {
        self.platform = Some(platform);
        self
    }

    /// The query without `Sign` and `RequestTime`, as sent by an app without a token.
    pub fn unsigned(&self) -> String {
        let mut query = String::new();
        let _ = write!(query, "SdkAppid={}&CallbackCommand=", self.sdk_app_id);
        push_encoded(&mut query, self.command.as_str());
        query.push_str("&contenttype=json");
        if let Some(ip) = &self.client_ip {
            query.push_str("&ClientIP=");
            push_encoded(&mut query, ip);
        }
        if let Some(platform) = &self.platform {
            query.push_str("&OptPlatform=");
            push_encoded(&mut query, platform.as_str());
        }
        query
    }

    /// The query signed with `token` at `request_time` (Unix seconds).
    pub fn signed(&self, token: &Token, request_time: u64) -> String {
        let mut query = self.unsigned();
        let sign = Sign::compute(token, request_time);
        let _ = write!(
            query,
            "&Sign={}&RequestTime={request_time}",
            sign.to_hex().as_str()
        );
        query
    }
}

/// Appends `text` with every byte outside the unreserved set percent-encoded.
fn push_encoded(out: &mut String, text: &str) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}
