//! Where a request comes from: the peer, or behind trusted proxies the address they
//! forwarded; and whether webhooks are taken from there.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

/// What the server knows of a request's origin.
#[derive(Debug, Clone, Copy, Default)]
pub struct Source<'a> {
    /// The connection's peer address.
    pub peer: Option<IpAddr>,
    /// The raw `X-Forwarded-For` header, if any (only believed from a trusted proxy).
    pub forwarded_for: Option<&'a [u8]>,
}

/// The peer address of a connection, put in each request's extensions by
/// [`serve`](crate::serve) so that extractors find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);

/// Which peers may say where a request came from, and which clients webhooks are taken
/// from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    pub(crate) trusted_proxies: Vec<IpNet>,
    pub(crate) allowed: Option<Vec<IpNet>>,
}

impl Sources {
    /// The client: the peer, or, when the peer is a trusted proxy, the last address in
    /// `X-Forwarded-For` that is not a trusted proxy itself (the addresses before it could
    /// have been written by anyone).
    pub(crate) fn client(&self, source: Source<'_>) -> Option<IpAddr> {
        let peer = source.peer?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        let Some(header) = source
            .forwarded_for
            .and_then(|raw| std::str::from_utf8(raw).ok())
        else {
            return Some(peer);
        };
        let mut client = peer;
        for hop in header.rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(address) => {
                    client = address;
                    if !self.trusts(address) {
                        break;
                    }
                }
                // A hop that is not an address: what is left of it cannot be believed.
                Err(_) => break,
            }
        }
        Some(client)
    }

    /// Whether webhooks are taken from `client` (an unknown client only without a list).
    pub(crate) fn allows(&self, client: Option<IpAddr>) -> bool {
        match (&self.allowed, client) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(allowed), Some(client)) => allowed.iter().any(|net| net.contains(&client)),
        }
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.trusted_proxies
            .iter()
            .any(|net| net.contains(&address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|net| net.parse().unwrap()).collect()
    }

    #[test]
    fn the_client_is_the_peer_unless_a_trusted_proxy_says_otherwise() {
        let sources = Sources {
            trusted_proxies: nets(&["10.0.0.0/8"]),
            allowed: Some(nets(&["203.0.113.0/24"])),
        };
        let client = |peer: &str, forwarded: Option<&str>| {
            sources.client(Source {
                peer: Some(peer.parse().unwrap()),
                forwarded_for: forwarded.map(str::as_bytes),
            })
        };
        let ip = |text: &str| Some(text.parse::<IpAddr>().unwrap());
        // Not a proxy: its header is ignored.
        assert_eq!(
            client("198.51.100.7", Some("203.0.113.5")),
            ip("198.51.100.7")
        );
        // A trusted proxy: the last untrusted hop.
        assert_eq!(client("10.0.0.2", Some("203.0.113.5")), ip("203.0.113.5"));
        assert_eq!(
            client("10.0.0.2", Some("1.2.3.4, 203.0.113.5, 10.0.0.9")),
            ip("203.0.113.5")
        );
        // A forged hop before the real one is not believed.
        assert_eq!(
            client("10.0.0.2", Some("203.0.113.9, 198.51.100.1")),
            ip("198.51.100.1")
        );
        // Garbage stops the walk at what was last believed.
        assert_eq!(client("10.0.0.2", Some("junk, 10.0.0.3")), ip("10.0.0.3"));
        assert_eq!(client("10.0.0.2", None), ip("10.0.0.2"));
        assert_eq!(client("10.0.0.2", Some("::1")), ip("::1"));
        assert!(sources.allows(ip("203.0.113.5")));
        assert!(!sources.allows(ip("198.51.100.1")));
        assert!(!sources.allows(None));
        assert!(Sources::default().allows(None));
    }
}
