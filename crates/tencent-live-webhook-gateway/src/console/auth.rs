//! The admin token: required for the console and its API when the admin listener is bound
//! beyond loopback; compared in constant time; never logged.

use std::fmt;

use subtle::ConstantTimeEq;

/// The cookie that carries the token once the page was opened with `?token=`.
pub(crate) const COOKIE: &str = "live_webhook_admin";

/// The secret that opens the console (`--admin-token`, `LIVE_WEBHOOK_ADMIN_TOKEN`).
#[derive(Clone)]
pub struct AdminToken(String);

impl AdminToken {
    /// Wraps a token of at least 16 characters of `A-Z a-z 0-9 - _ .`, so it fits in a
    /// cookie and a URL as it is.
    pub fn new(token: &str) -> Result<AdminToken, String> {
        if token.len() < 16 {
            return Err("the admin token must have at least 16 characters".into());
        }
        if !token
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
        {
            return Err("the admin token may hold only letters, digits, - _ and .".into());
        }
        Ok(AdminToken(token.to_owned()))
    }

    /// Whether `offered` is the token, in constant time.
    pub(crate) fn matches(&self, offered: &str) -> bool {
        self.0.as_bytes().ct_eq(offered.as_bytes()).into()
    }

    pub(crate) fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminToken(<redacted>)")
    }
}

/// The token a request offers: `Authorization: Bearer`, or the console's cookie.
pub(crate) fn offered(headers: &hyper::HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(hyper::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    bearer.or_else(|| {
        headers
            .get_all(hyper::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .find_map(|cookie| cookie.trim().strip_prefix(COOKIE)?.strip_prefix('='))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked_and_never_shown() {
        assert!(AdminToken::new("short").is_err());
        assert!(AdminToken::new("has spaces in it, sixteen+").is_err());
        let token = AdminToken::new("a-long-enough_token.1").unwrap();
        assert!(token.matches("a-long-enough_token.1"));
        assert!(!token.matches("a-long-enough_token.2"));
        assert!(!token.matches(""));
        assert_eq!(format!("{token:?}"), "AdminToken(<redacted>)");
        let mut headers = hyper::HeaderMap::new();
        headers.insert(
            hyper::header::COOKIE,
            "a=b; live_webhook_admin=xyz".parse().unwrap(),
        );
        assert_eq!(offered(&headers), Some("xyz"));
        headers.insert(hyper::header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        assert_eq!(offered(&headers), Some("abc"));
    }
}
