//! The sending side: building the query string Tencent would send, for tests and tools.
#![cfg(feature = "alloc")]

use alloc::string::String;
use core::fmt::Write;

use crate::live::command::Command;
use crate::live::platform::Platform;
use crate::live::query::Param;
use crate::live::signature::{Sign, Token};

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

/// `query` (a webhook's query string, with or without its leading `?`) signed afresh:
/// every `Sign` and `RequestTime` takes the new values, keys matched as the verifier
/// matches them; either one missing is appended. Every other byte stays as it was, so a
/// recorded webhook can be sent again with a token and time of the sender's choosing.
///
/// ```
/// use tencent_live_webhook::{Sign, Token, resigned_query};
///
/// let token = Token::new("xxxxyyyy")?;
/// let query = resigned_query("?SdkAppid=1&x=%20&sign=00&requesttime=5", &token, 1_700_000_000);
/// let sign = Sign::compute(&token, 1_700_000_000).to_hex();
/// assert_eq!(query, format!("SdkAppid=1&x=%20&sign={}&requesttime=1700000000", sign.as_str()));
///
/// let sign = Sign::compute(&token, 7).to_hex();
/// assert_eq!(resigned_query("a=b", &token, 7), format!("a=b&Sign={}&RequestTime=7", sign.as_str()));
/// # Ok::<(), tencent_live_webhook::TokenError>(())
/// ```
pub fn resigned_query(query: &str, token: &Token, request_time: u64) -> String {
    let query = query.strip_prefix('?').unwrap_or(query);
    let sign = Sign::compute(token, request_time).to_hex();
    let mut time = String::new();
    let _ = write!(time, "{request_time}");
    let mut out = String::with_capacity(query.len() + 96);
    let (mut signed, mut timed) = (false, false);
    for (index, pair) in query.split('&').enumerate() {
        if index > 0 {
            out.push('&');
        }
        let key = pair.split_once('=').map_or(pair, |(key, _)| key);
        let value = match Param::from_raw_key(key, key.contains(['%', '+'])) {
            Some(Param::Sign) => {
                signed = true;
                sign.as_str()
            }
            Some(Param::RequestTime) => {
                timed = true;
                time.as_str()
            }
            _ => {
                out.push_str(pair);
                continue;
            }
        };
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    for (present, key, value) in [
        (signed, "Sign", sign.as_str()),
        (timed, "RequestTime", &time),
    ] {
        if !present {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(key);
            out.push('=');
            out.push_str(value);
        }
    }
    out
}

/// Appends `text` with every byte outside the unreserved set percent-encoded.
pub(crate) fn push_encoded(out: &mut String, text: &str) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::verifier::Verifier;

    #[test]
    fn a_resigned_query_verifies_with_the_new_token_and_keeps_the_rest() {
        let old = Token::new("old-token").unwrap();
        let new = Token::new("new-token").unwrap();
        let recorded = QueryBuilder::new(1_400_000_000, Command::BeforeSendGift)
            .client_ip("10.0.0.1")
            .signed(&old, 1_600_000_000);
        let resigned = resigned_query(&recorded, &new, 1_700_000_000);
        let unchanged = |query: &str| -> alloc::vec::Vec<alloc::string::String> {
            query
                .split('&')
                .filter(|pair| !pair.starts_with("Sign=") && !pair.starts_with("RequestTime="))
                .map(alloc::string::String::from)
                .collect()
        };
        assert_eq!(unchanged(&resigned), unchanged(&recorded));
        let verifier = Verifier::new().app(1_400_000_000, [new]);
        assert!(verifier.verify(&resigned, 1_700_000_000).is_ok());
        assert!(verifier.verify(&recorded, 1_600_000_000).is_err());
    }

    #[test]
    fn keys_are_found_in_any_spelling_and_odd_pairs_stay() {
        let token = Token::new("t").unwrap();
        let sign = Sign::compute(&token, 9).to_hex();
        let query = resigned_query("&Sig%6E=1&&REQUESTTIME=2&x&y=%zz", &token, 9);
        assert_eq!(
            query,
            alloc::format!("&Sig%6E={}&&REQUESTTIME=9&x&y=%zz", sign.as_str())
        );
        assert_eq!(
            resigned_query("", &token, 9),
            alloc::format!("Sign={}&RequestTime=9", sign.as_str())
        );
    }
}
