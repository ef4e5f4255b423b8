//! Where to publish: a broker URL, read once, its password kept out of every message.

use std::fmt;

/// A broker to publish to: `nats://[USER:PASSWORD@]HOST:PORT` or
/// `redis://[USER:PASSWORD@]HOST:PORT[/DB]` (`rediss://` for TLS).
///
/// Its `Display` and `Debug` show the URL with the password replaced by `***`.
///
/// ```
/// use tencent_live_webhook_publish::BrokerUrl;
///
/// let url: BrokerUrl = "redis://app:s3cret@10.0.0.5:6379/2".parse()?;
/// assert_eq!(url.to_string(), "redis://app:***@10.0.0.5:6379/2");
/// assert!("amqp://host".parse::<BrokerUrl>().is_err());
/// # Ok::<(), tencent_live_webhook_publish::UrlError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BrokerUrl {
    engine: Engine,
    url: url::Url,
}

/// The broker behind a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Engine {
    /// NATS JetStream.
    Nats,
    /// Redis Streams.
    Redis,
}

impl BrokerUrl {
    /// Which broker.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The user and password, when the URL has them.
    pub(crate) fn credentials(&self) -> Option<(String, String)> {
        let user = self.url.username();
        let password = self.url.password()?;
        Some((decoded(user), decoded(password)))
    }

    /// `host:port` (the NATS default port 4222 when none is given).
    pub(crate) fn address(&self) -> String {
        let host = self.url.host_str().unwrap_or("127.0.0.1");
        let port = self.url.port().unwrap_or(match self.engine {
            Engine::Nats => 4222,
            Engine::Redis => 6379,
        });
        // An IPv6 host comes bracketed already.
        format!("{host}:{port}")
    }

    /// The whole URL, credentials included: only for the client library.
    pub(crate) fn secret_text(&self) -> &str {
        self.url.as_str()
    }
}

fn decoded(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map_or_else(|| text.to_owned(), |(_, value)| value.into_owned())
}

impl std::str::FromStr for BrokerUrl {
    type Err = UrlError;

    fn from_str(text: &str) -> Result<BrokerUrl, UrlError> {
        let url = url::Url::parse(text).map_err(|_| UrlError::NotAUrl)?;
        let engine = match url.scheme() {
            "nats" | "tls" => Engine::Nats,
            "redis" | "rediss" => Engine::Redis,
            _ => return Err(UrlError::UnknownScheme),
        };
        if url.host_str().is_none_or(str::is_empty) {
            return Err(UrlError::NoHost);
        }
        Ok(BrokerUrl { engine, url })
    }
}

impl fmt::Display for BrokerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.url.clone();
        if shown.password().is_some() {
            let _ = shown.set_password(Some("***"));
        }
        f.write_str(shown.as_str())
    }
}

impl fmt::Debug for BrokerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BrokerUrl({self})")
    }
}

/// Why a broker URL was refused. Never shows the URL (it may hold a password).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// It is not a URL.
    NotAUrl,
    /// The scheme is neither `nats://` nor `redis://`.
    UnknownScheme,
    /// It names no host.
    NoHost,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlError::NotAUrl => "the broker URL is not a URL",
            UrlError::UnknownScheme => {
                "the broker URL must start with nats:// or redis:// (rediss:// for TLS)"
            }
            UrlError::NoHost => "the broker URL names no host",
        })
    }
}

impl std::error::Error for UrlError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_their_engine_address_and_credentials() {
        let nats: BrokerUrl = "nats://127.0.0.1".parse().unwrap();
        assert_eq!(
            (nats.engine(), nats.address()),
            (Engine::Nats, "127.0.0.1:4222".into())
        );
        assert_eq!(nats.credentials(), None);
        let redis: BrokerUrl = "redis://gw:p%40ss%3Aword@[::1]:7000/3".parse().unwrap();
        assert_eq!(redis.engine(), Engine::Redis);
        assert_eq!(redis.address(), "[::1]:7000");
        assert_eq!(redis.credentials(), Some(("gw".into(), "p@ss:word".into())));
        assert_eq!(redis.to_string(), "redis://gw:***@[::1]:7000/3");
        assert!(!format!("{redis:?}").contains("p%40ss"));
        for bad in ["", "nats", "http://host", "nats://", "redis:///0"] {
            assert!(bad.parse::<BrokerUrl>().is_err(), "{bad}");
        }
        assert_eq!(
            "amqp://u:secret@host"
                .parse::<BrokerUrl>()
                .unwrap_err()
                .to_string(),
            "the broker URL must start with nats:// or redis:// (rediss:// for TLS)"
        );
    }
}
