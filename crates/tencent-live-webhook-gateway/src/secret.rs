//! Option values that must not show anywhere: secrets, and URLs that may carry a password.
//! Their `Debug` (and a URL's `Display`) hide what is secret, so that printing options,
//! an error or a log line cannot leak it; secrets can be read from files so that they
//! need not sit in a process's arguments or environment.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

/// A secret option value (a token, a key). `Debug` shows `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, to hand to what checks it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(text.to_owned()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A URL that may carry `USER:PASSWORD@`: `Display` and `Debug` show it with that part
/// replaced by `***`.
///
/// ```
/// use tencent_live_webhook_gateway::ServiceUrl;
///
/// let url: ServiceUrl = "http://app:s3cret@10.0.0.5:3000/hook".parse().unwrap();
/// assert_eq!(url.to_string(), "http://***@10.0.0.5:3000/hook");
/// assert_eq!(url.as_str(), "http://app:s3cret@10.0.0.5:3000/hook");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceUrl(String);

impl ServiceUrl {
    /// The whole URL, credentials included: only for the client that connects.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for ServiceUrl {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<ServiceUrl, Self::Err> {
        Ok(ServiceUrl(text.to_owned()))
    }
}

impl fmt::Display for ServiceUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&without_userinfo(&self.0))
    }
}

impl fmt::Debug for ServiceUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", without_userinfo(&self.0))
    }
}

/// `url` with whatever stands before an `@` in its authority replaced by `***`; also for
/// text that is not quite a URL (`http//user:pw@host`), since that is when an error shows
/// it.
///
/// ```
/// use tencent_live_webhook_gateway::without_userinfo;
///
/// assert_eq!(without_userinfo("https://u:p@host/x?a=b@c"), "https://***@host/x?a=b@c");
/// assert_eq!(without_userinfo("http//u:p@host/x"), "http//***@host/x");
/// assert_eq!(without_userinfo("http://host/x"), "http://host/x");
/// ```
pub fn without_userinfo(url: &str) -> Cow<'_, str> {
    // The credentials end at the last `@` before the path's first `/` after them, the
    // query or the fragment.
    let start = url.find("://").map_or(0, |at| at + 3);
    let rest = &url[start..];
    let before_query = rest.find(['?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..before_query].rfind('@') else {
        return Cow::Borrowed(url);
    };
    // Without `://`, the user info starts after the last `/` before the `@`.
    let from = if start == 0 {
        rest[..at].rfind('/').map_or(0, |slash| slash + 1)
    } else {
        0
    };
    if rest[from..at].contains('/') {
        // The `@` is in the path: no credentials.
        return Cow::Borrowed(url);
    }
    Cow::Owned(format!(
        "{}{}***{}",
        &url[..start],
        &rest[..from],
        &rest[at..]
    ))
}

/// The secrets in `path`, one per line; blank lines and lines starting with `#` are
/// skipped. Errors name the file and a line number, never a line. A file other local
/// users may read draws a warning on standard error.
pub(crate) fn secret_lines(path: &Path, what: &str) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    if readable_by_others(path) {
        eprintln!(
            "warning: {} holds secrets and other users may read it: chmod 600 it",
            path.display()
        );
    }
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    if lines.is_empty() {
        return Err(format!("{} holds no {what}", path.display()));
    }
    Ok(lines)
}

/// Whether users other than the owner may read `path`.
#[cfg(unix)]
pub(crate) fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|metadata| metadata.permissions().mode() & 0o044 != 0)
}

/// Whether users other than the owner may read `path`.
#[cfg(not(unix))]
pub(crate) fn readable_by_others(_: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show() {
        for (url, shown) in [
            (
                "http://app:s3cretpw@10.0.0.1:3000/hook",
                "http://***@10.0.0.1:3000/hook",
            ),
            ("http://s3cretpw@h", "http://***@h"),
            ("nats://u:p%40ss@h:4222", "nats://***@h:4222"),
            ("http://a@b:c@h/x", "http://***@h/x"),
            ("htp:/app:s3cretpw@h/x", "htp:/***@h/x"),
            ("app:s3cretpw@h", "***@h"),
            ("http://h/p@th", "http://h/p@th"),
            ("http://h/?q=a@b", "http://h/?q=a@b"),
            ("", ""),
        ] {
            assert_eq!(without_userinfo(url), shown, "{url}");
            let parsed: ServiceUrl = url.parse().unwrap();
            assert_eq!(parsed.to_string(), shown);
            assert!(!format!("{parsed:?}").contains("s3cretpw"));
        }
        let secret: Secret = "s3cret".parse().unwrap();
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(secret.expose(), "s3cret");
    }
}
