//! Which `Host` the console answers to, and which `Origin` may change state.
//!
//! A page on another site can point its own name at 127.0.0.1 (DNS rebinding) and then
//! read the console as if it were that site's: the browser sends that name as `Host`. The
//! console answers only to an IP address (a browser that asks for an address has no other
//! site's name to lend), `localhost` and the names the operator lists.

/// The host names the console answers to besides IP addresses and `localhost`.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    names: Vec<String>,
}

impl AllowedHosts {
    /// Allows `names` too (`--admin-host`): each a DNS name, compared without case.
    pub fn new<I, S>(names: I) -> Result<AllowedHosts, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut allowed = Vec::new();
        for name in names {
            let name = name.as_ref();
            let normal = normal(name);
            let valid = !normal.is_empty()
                && normal.len() <= 253
                && normal
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.'));
            if !valid {
                return Err(format!(
                    "--admin-host {name:?} is not a host name (letters, digits, - and .)"
                ));
            }
            allowed.push(normal);
        }
        Ok(AllowedHosts { names: allowed })
    }

    /// Whether the console answers a request whose `Host` header is `host`.
    pub(crate) fn allows(&self, host: Option<&str>) -> bool {
        let Some(name) = host.and_then(host_name) else {
            return false;
        };
        if name.starts_with('[') || name.parse::<std::net::Ipv4Addr>().is_ok() {
            return true;
        }
        let name = normal(name);
        name == "localhost" || self.names.contains(&name)
    }
}

/// Lowercase, without the trailing dot of a fully qualified name.
fn normal(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

/// The name (or the bracketed IPv6 address) of an authority `NAME[:PORT]`, if well formed.
fn host_name(authority: &str) -> Option<&str> {
    let (name, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        authority[1..end].parse::<std::net::Ipv6Addr>().ok()?;
        let rest = &authority[end + 1..];
        let port = if rest.is_empty() {
            None
        } else {
            Some(rest.strip_prefix(':')?)
        };
        (&authority[..=end], port)
    } else {
        match authority.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        }
    };
    let port_ok = port.is_none_or(|digits| digits.parse::<u16>().is_ok());
    (!name.is_empty() && port_ok).then_some(name)
}

/// Whether a request's `Origin` is the console's own (the page it served, at the `Host` it
/// was asked for): scheme `http` or `https` and the same authority.
pub(crate) fn same_origin(origin: &str, host: &str) -> bool {
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_localhost_and_listed_names_are_answered() {
        let hosts = AllowedHosts::new(["Console.Example.com."]).unwrap();
        for host in [
            "127.0.0.1:9090",
            "127.0.0.1",
            "10.1.2.3:80",
            "[::1]:9090",
            "[::1]",
            "localhost:9090",
            "LOCALHOST",
            "localhost.",
            "console.example.com:9090",
            "CONSOLE.example.COM",
        ] {
            assert!(hosts.allows(Some(host)), "{host}");
        }
        for host in [
            "evil.example:9090",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "[evil]:80",
            "[::1",
            "localhost:99999",
            "localhost:x",
            ":9090",
            "",
        ] {
            assert!(!hosts.allows(Some(host)), "{host}");
        }
        assert!(!hosts.allows(None), "no Host at all");
    }

    #[test]
    fn names_are_checked() {
        assert!(AllowedHosts::new(["ok-name.example"]).is_ok());
        for bad in ["", "has space", "a/b", "name:80", "."] {
            assert!(AllowedHosts::new([bad]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn only_the_console_own_origin_is_same() {
        assert!(same_origin("http://127.0.0.1:9090", "127.0.0.1:9090"));
        assert!(same_origin("https://Console.example", "console.example"));
        assert!(!same_origin("http://evil.example", "127.0.0.1:9090"));
        assert!(!same_origin("http://127.0.0.1:9091", "127.0.0.1:9090"));
        assert!(!same_origin("null", "127.0.0.1:9090"));
        assert!(!same_origin("file://127.0.0.1:9090", "127.0.0.1:9090"));
    }
}
