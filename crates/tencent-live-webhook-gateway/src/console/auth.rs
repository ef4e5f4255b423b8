//! The admin token and the sessions it opens: the token is required for the console and
//! its API when the admin listener is bound beyond loopback. Only its SHA-256 digest is
//! kept, compared in constant time whatever the length offered; the browser's cookie
//! holds a random session id, never the token.

use std::collections::VecDeque;
use std::fmt::{self, Write as _};
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The cookie that carries a session id once the page was opened with `?token=`.
pub(crate) const COOKIE: &str = "live_webhook_admin";

/// How long a session lasts, in seconds.
pub(crate) const SESSION_SECONDS: u64 = 12 * 60 * 60;

/// Sessions kept at once; opening one more ends the oldest.
const MAX_SESSIONS: usize = 256;

/// The secret that opens the console (`--admin-token`, `LIVE_WEBHOOK_ADMIN_TOKEN`).
#[derive(Clone)]
pub struct AdminToken {
    digest: [u8; 32],
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

impl AdminToken {
    /// Wraps a token of at least 16 characters of `A-Z a-z 0-9 - _ .`, so it fits in a
    /// URL as it is.
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
        Ok(AdminToken {
            digest: digest(token),
        })
    }

    /// Whether `offered` is the token: their digests compared in constant time, so neither
    /// the length nor the first differing byte shows in the time taken.
    pub(crate) fn matches(&self, offered: &str) -> bool {
        digest(offered).ct_eq(&self.digest).into()
    }
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminToken(<redacted>)")
    }
}

/// `bytes` random bytes as lowercase hex; an error when the system has no randomness.
pub(crate) fn random_hex<const N: usize>() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().fold(String::new(), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    }))
}

/// The sessions opened with the token: digests of their ids and when each ends.
#[derive(Default)]
pub(crate) struct Sessions {
    open: Mutex<VecDeque<([u8; 32], u64)>>,
}

impl Sessions {
    /// Opens a session; its id, for the cookie.
    pub(crate) fn open(&self, now_ms: u64) -> Result<String, getrandom::Error> {
        let id = random_hex::<16>()?;
        let ends = now_ms.saturating_add(SESSION_SECONDS.saturating_mul(1000));
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        open.retain(|&(_, end)| end > now_ms);
        if open.len() >= MAX_SESSIONS {
            open.pop_front();
        }
        open.push_back((digest(&id), ends));
        Ok(id)
    }

    /// Whether `id` is an open session's, comparing with every one in constant time.
    pub(crate) fn is_open(&self, id: &str, now_ms: u64) -> bool {
        let offered = digest(id);
        let open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut found = subtle::Choice::from(0);
        for (kept, end) in open.iter() {
            found |= offered.ct_eq(kept) & subtle::Choice::from(u8::from(*end > now_ms));
        }
        found.into()
    }
}

/// Counts failed logins and logs them, one line per [`FAILED_LOGIN_LINE_MS`] at most
/// (a guesser must not flood the log).
#[derive(Default)]
pub(crate) struct FailedLogins {
    last_line_ms: std::sync::atomic::AtomicU64,
    unlogged: std::sync::atomic::AtomicU64,
}

/// Least time between two lines about failed logins.
pub(crate) const FAILED_LOGIN_LINE_MS: u64 = 10_000;

impl FailedLogins {
    /// A request with a wrong token or an unknown session, from `peer`.
    pub(crate) fn failed(&self, peer: Option<std::net::IpAddr>, now_ms: u64) {
        use std::sync::atomic::Ordering;
        let unlogged = self.unlogged.fetch_add(1, Ordering::Relaxed) + 1;
        let last = self.last_line_ms.load(Ordering::Relaxed);
        if (last == 0 || now_ms.saturating_sub(last) >= FAILED_LOGIN_LINE_MS)
            && self
                .last_line_ms
                .compare_exchange(last, now_ms.max(1), Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            self.unlogged.fetch_sub(unlogged, Ordering::Relaxed);
            let peer = peer.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
            tracing::warn!(
                failed = unlogged,
                last_from = %peer,
                "console: wrong admin token or unknown session"
            );
        }
    }
}

/// What a request offers to get in.
pub(crate) enum Offered<'a> {
    /// `Authorization: Bearer TOKEN`.
    Token(&'a str),
    /// The console's cookie.
    Session(&'a str),
    /// Nothing.
    Nothing,
}

/// What a request offers: `Authorization: Bearer`, or the console's cookie.
pub(crate) fn offered(headers: &hyper::HeaderMap) -> Offered<'_> {
    let bearer = headers
        .get(hyper::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if let Some(token) = bearer {
        return Offered::Token(token);
    }
    headers
        .get_all(hyper::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .find_map(|cookie| cookie.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .map_or(Offered::Nothing, Offered::Session)
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
        assert!(!token.matches("a-long-enough_token.1 "));
        assert!(!token.matches(""));
        assert_eq!(format!("{token:?}"), "AdminToken(<redacted>)");
        let mut headers = hyper::HeaderMap::new();
        assert!(matches!(offered(&headers), Offered::Nothing));
        headers.insert(
            hyper::header::COOKIE,
            "a=b; live_webhook_admin=xyz".parse().unwrap(),
        );
        assert!(matches!(offered(&headers), Offered::Session("xyz")));
        headers.insert(hyper::header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        assert!(matches!(offered(&headers), Offered::Token("abc")));
    }

    #[test]
    fn sessions_are_random_bounded_and_end() {
        let sessions = Sessions::default();
        let first = sessions.open(0).unwrap();
        let second = sessions.open(0).unwrap();
        assert_eq!(first.len(), 32);
        assert_ne!(first, second);
        assert!(sessions.is_open(&first, 1));
        assert!(!sessions.is_open("0123456789abcdef0123456789abcdef", 1));
        let end = SESSION_SECONDS * 1000;
        assert!(!sessions.is_open(&first, end), "ended");
        for _ in 0..MAX_SESSIONS {
            sessions.open(1).unwrap();
        }
        assert!(!sessions.is_open(&second, 2), "the oldest gave way");
    }
}
