//! Delivering to an HTTP(S) URL, as Tencent would have sent the webhook.

use std::fmt;
use std::time::Duration;

use tencent_live_webhook::{ActionStatus, Token, resigned_query, trtc};

use crate::destination::{Attempt, Destination, Outcome};

/// The largest answer read from the app; the rest is not needed to judge it.
const MAX_ANSWER: usize = 1024 * 1024;

/// Header: the webhook's id.
pub const ID_HEADER: &str = "Live-Webhook-Id";
/// Header: the attempt's number, 1 for the first.
pub const ATTEMPT_HEADER: &str = "Live-Webhook-Attempt";
/// Header: when the receiver got the webhook, Unix milliseconds.
pub const RECEIVED_AT_HEADER: &str = "Live-Webhook-Received-At";

/// POSTs each webhook's exact body to a URL, with its original query **signed afresh**
/// at the time of the attempt (so an app that verifies with these crates accepts a
/// delivery made an hour later) and the headers [`ID_HEADER`], [`ATTEMPT_HEADER`] and
/// [`RECEIVED_AT_HEADER`].
///
/// TRTC callbacks go to the URL set with [`trtc`](Self::trtc), their exact body signed
/// again with the TRTC key in a `Sign` header, with `SdkAppId`.
///
/// An attempt succeeds on HTTP 2xx, unless the answer is the protocol's JSON with
/// `"ActionStatus":"FAIL"`. Redirects are not followed (the query carries a `Sign`).
#[derive(Clone)]
pub struct HttpDestination {
    client: reqwest::Client,
    url: String,
    token: Option<Token>,
    trtc: Option<(String, trtc::Key)>,
    clock: fn() -> u64,
}

impl fmt::Debug for HttpDestination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold credentials of its own; the token never shows.
        f.debug_struct("HttpDestination")
            .field("signs", &self.token.is_some())
            .field("trtc", &self.trtc.is_some())
            .finish_non_exhaustive()
    }
}

/// An HTTP destination that cannot be set up.
#[derive(Debug)]
#[non_exhaustive]
pub struct HttpDestinationError {
    message: String,
}

impl fmt::Display for HttpDestinationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot set up delivery over HTTP: {}", self.message)
    }
}

impl std::error::Error for HttpDestinationError {}

/// The HTTP client that takes webhooks to an app, for deliveries here and for anyone
/// forwarding them: pooled keep-alive connections, at most `timeout` to connect and to
/// answer, the system's and the bundled roots and `authorities` trusted, and never a
/// redirect (the query carries a `Sign`: it must not follow a redirect elsewhere).
pub fn webhook_client(
    timeout: Duration,
    authorities: Vec<reqwest::Certificate>,
) -> Result<reqwest::Client, reqwest::Error> {
    let mut builder = reqwest::Client::builder();
    for certificate in authorities {
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(60))
        .build()
}

impl HttpDestination {
    /// Delivers to `url` (http:// or https://), signing with `token` (`None` for an app
    /// without a callback token: the query goes as it came), trusting the system's and the
    /// bundled roots and `authorities`. Each request may take at most `timeout`.
    pub fn new(
        url: impl Into<String>,
        token: Option<Token>,
        timeout: Duration,
        authorities: Vec<reqwest::Certificate>,
    ) -> Result<HttpDestination, HttpDestinationError> {
        let url = url.into();
        let scheme = url.get(..8).unwrap_or(&url).to_ascii_lowercase();
        if !(scheme.starts_with("http://") || scheme.starts_with("https://")) {
            return Err(HttpDestinationError {
                message: "the URL must start with http:// or https://".into(),
            });
        }
        let client =
            webhook_client(timeout, authorities).map_err(|error| HttpDestinationError {
                message: error.to_string(),
            })?;
        Ok(HttpDestination {
            client,
            url,
            token,
            trtc: None,
            clock: unix_seconds,
        })
    }

    /// Delivers TRTC callbacks to `url`, signed with `key`. Without it, a TRTC callback's
    /// attempts fail (and it ends dead, to be retried once this is set).
    #[must_use]
    pub fn trtc(mut self, url: impl Into<String>, key: trtc::Key) -> HttpDestination {
        self.trtc = Some((url.into(), key));
        self
    }

    async fn post(&self, attempt: &Attempt) -> Outcome {
        let envelope = &attempt.envelope;
        let request = if envelope.is_trtc() {
            let Some((url, key)) = &self.trtc else {
                return Outcome::failed("no destination for TRTC callbacks is configured");
            };
            self.client
                .post(url)
                .header("Sign", key.sign(envelope.body().as_bytes()))
                .header("SdkAppId", envelope.sdk_app_id().to_string())
        } else {
            let query = match &self.token {
                Some(token) => resigned_query(envelope.query(), token, (self.clock)()),
                None => envelope.query().to_owned(),
            };
            let separator = if self.url.contains('?') { '&' } else { '?' };
            self.client.post(format!("{}{separator}{query}", self.url))
        };
        let sent = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(ID_HEADER, envelope.id())
            .header(ATTEMPT_HEADER, attempt.number.to_string())
            .header(RECEIVED_AT_HEADER, envelope.received_at_ms().to_string())
            .body(envelope.body().to_owned())
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(error) => return Outcome::failed(describe(&error)),
        };
        let status = response.status().as_u16();
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) if body.len() + chunk.len() <= MAX_ANSWER => {
                    body.extend_from_slice(&chunk);
                }
                // Long answers are judged by their status alone.
                Ok(Some(_)) => {
                    body.clear();
                    break;
                }
                Ok(None) => break,
                Err(error) => {
                    return Outcome::Failed {
                        status: Some(status),
                        error: describe(&error),
                    };
                }
            }
        }
        judge(status, &body)
    }
}

/// 2xx is delivered, unless the body is the protocol's reply saying `FAIL`.
fn judge(status: u16, body: &[u8]) -> Outcome {
    #[derive(serde::Deserialize)]
    struct Reply {
        #[serde(rename = "ActionStatus")]
        action_status: ActionStatus,
    }
    if !(200..300).contains(&status) {
        return Outcome::Failed {
            status: Some(status),
            error: format!("the app answered HTTP {status}"),
        };
    }
    match serde_json::from_slice::<Reply>(body) {
        Ok(reply) if reply.action_status == ActionStatus::Fail => Outcome::Failed {
            status: Some(status),
            error: "the app answered ActionStatus FAIL".into(),
        },
        _ => Outcome::Delivered {
            status: Some(status),
        },
    }
}

/// Why a request failed, without its URL (whose query holds a Sign).
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "the app did not answer in time".into();
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    if error.is_connect() {
        format!("cannot connect to the app: {cause}")
    } else {
        format!("the request to the app failed: {cause}")
    }
}

fn unix_seconds() -> u64 {
    crate::config::system_clock_ms() / 1000
}

impl Destination for HttpDestination {
    async fn deliver(&self, attempt: Attempt) -> Outcome {
        self.post(&attempt).await
    }

    /// The app's URL without user info or query.
    fn describe(&self) -> String {
        match reqwest::Url::parse(&self.url) {
            Ok(mut url) => {
                let _ = url.set_username("");
                let _ = url.set_password(None);
                url.set_query(None);
                url.to_string()
            }
            Err(_) => "the app".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_judged_by_status_and_action_status() {
        let cases: [(u16, &str, bool); 7] = [
            (
                200,
                r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#,
                true,
            ),
            (
                200,
                r#"{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"no"}"#,
                false,
            ),
            (204, "", true),
            (200, "plain text", true),
            (500, r#"{"ActionStatus":"OK"}"#, false),
            (302, "", false),
            (404, "", false),
        ];
        for (status, body, delivered) in cases {
            let outcome = judge(status, body.as_bytes());
            assert_eq!(
                matches!(outcome, Outcome::Delivered { .. }),
                delivered,
                "{status} {body}"
            );
        }
    }
}
