//! `serve --forward-to`: each verified webhook goes on to the app, exactly as it came
//! (body bytes and query string), and the app's answer goes back to the sender.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::answer::Answer;
use crate::app::{MAX_ANSWER, protocol_reply, root_cause, with_query};

/// Sends webhooks on to one URL over pooled keep-alive connections.
pub(crate) struct Forwarder {
    client: reqwest::Client,
    url: String,
    timeout: Duration,
}

/// How forwarding went, for the webhook's output line.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Forwarded {
    /// The app answered with the protocol's JSON.
    Answered {
        /// Its HTTP status.
        status: u16,
        /// How long it took, milliseconds.
        ms: u64,
    },
    /// The app is down, too slow, or answered something else: the sender gets 502.
    Failed {
        /// What went wrong.
        error: String,
    },
}

/// Which protocol a forwarded request follows, for judging the app's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Live,
    Trtc,
}

impl Forwarder {
    /// A forwarder to `url` (http:// or https://) that waits at most `timeout` for an answer,
    /// trusting the system's roots, the bundled Mozilla roots and `authorities`.
    pub(crate) fn new(
        url: String,
        timeout: Duration,
        authorities: Vec<reqwest::Certificate>,
    ) -> Result<Forwarder, String> {
        let client = tencent_live_webhook_spool::webhook_client(timeout, authorities)
            .map_err(|error| format!("cannot set up forwarding: {error}"))?;
        Ok(Forwarder {
            client,
            url,
            timeout,
        })
    }

    /// POSTs `body` with `query` appended to the URL. The app's answer, to send back as it
    /// is (`None` when there is none to send), and how it went.
    /// `body` is shared, not copied: the caller keeps it to record.
    pub(crate) async fn forward(
        &self,
        query: &str,
        body: bytes::Bytes,
    ) -> (Option<Answer>, Forwarded) {
        let request = self.client.post(with_query(&self.url, query));
        self.send(request, body, Kind::Live).await
    }

    /// POSTs a TRTC callback's exact `body` with its `Sign` and `SdkAppId` headers. Any
    /// 2xx from the app is answered with TRTC's ack.
    pub(crate) async fn forward_trtc(
        &self,
        sign: &str,
        sdk_app_id: u64,
        body: bytes::Bytes,
    ) -> (Option<Answer>, Forwarded) {
        let request = self
            .client
            .post(&self.url)
            .header("Sign", sign)
            .header("SdkAppId", sdk_app_id.to_string());
        self.send(request, body, Kind::Trtc).await
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        body: bytes::Bytes,
        kind: Kind,
    ) -> (Option<Answer>, Forwarded) {
        let started = Instant::now();
        let sent = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        let outcome = match sent {
            Ok(response) => self.read_answer(response, kind).await,
            Err(error) => Err(self.describe(error)),
        };
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match outcome {
            Ok(answer) => {
                let status = answer.status;
                (Some(answer), Forwarded::Answered { status, ms })
            }
            // Logged by the caller, which knows the command and what the sender got.
            Err(error) => (None, Forwarded::Failed { error }),
        }
    }

    async fn read_answer(
        &self,
        mut response: reqwest::Response,
        kind: Kind,
    ) -> Result<Answer, String> {
        let status = response.status().as_u16();
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len().saturating_add(chunk.len()) > MAX_ANSWER {
                        return Err(format!("the app's answer (HTTP {status}) is over 1 MiB"));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) => return Err(self.describe(error)),
            }
        }
        if kind == Kind::Trtc {
            // TRTC ignores the answer's body; only a 2xx counts as handled.
            return if (200..300).contains(&status) {
                Ok(Answer {
                    status: 200,
                    body: tencent_live_webhook::trtc::ACK.to_owned(),
                })
            } else {
                Err(format!("the app answered HTTP {status}"))
            };
        }
        if protocol_reply(&body).is_none() {
            return Err(format!(
                "the app's answer (HTTP {status}) is not the protocol's JSON"
            ));
        }
        // The protocol's JSON is UTF-8; `protocol_reply` parsed it.
        let body = String::from_utf8(body)
            .map_err(|_| format!("the app's answer (HTTP {status}) is not UTF-8"))?;
        Ok(Answer { status, body })
    }

    /// Why a request failed, without its URL (whose query holds the Sign).
    fn describe(&self, error: reqwest::Error) -> String {
        let error = error.without_url();
        if error.is_timeout() {
            return format!(
                "the app did not answer within {} ms",
                self.timeout.as_millis()
            );
        }
        if error.is_connect() {
            return format!("cannot connect to the app: {}", root_cause(&error));
        }
        format!("the request to the app failed: {}", root_cause(&error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// How the app behaves: what the routing rule's table calls up, down, slow and garbage.
    #[derive(Clone, Copy)]
    enum App {
        Up,
        Slow,
        Garbage,
    }

    /// An app on a free loopback port that answers every request as `app` says.
    async fn app(app: App) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut request = vec![0; 4096];
                    let _ = stream.read(&mut request).await;
                    let (content_type, body) = match app {
                        App::Up => ("application/json", r#"{"ActionStatus":"OK","ErrorCode":0}"#),
                        App::Garbage => ("text/html", "<html>down for maintenance</html>"),
                        App::Slow => {
                            tokio::time::sleep(Duration::from_secs(5)).await;
                            ("application/json", r#"{"ActionStatus":"OK","ErrorCode":0}"#)
                        }
                    };
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        format!("http://{address}/tencent")
    }

    /// A port nobody listens on.
    fn down() -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        format!("http://{address}/tencent")
    }

    async fn forward(url: String) -> (Option<Answer>, Forwarded) {
        let forwarder = Forwarder::new(url, Duration::from_millis(300), Vec::new()).unwrap();
        forwarder
            .forward("SdkAppid=7", bytes::Bytes::from_static(b"{}"))
            .await
    }

    /// Only an app that answers the protocol's JSON in time has an answer to pass on; for
    /// the others the routing rule's failure answer applies (502, or the ack).
    #[tokio::test]
    async fn only_a_protocol_answer_in_time_is_passed_on() {
        let (answer, forwarded) = forward(app(App::Up).await).await;
        assert_eq!(answer.map(|answer| answer.status), Some(200));
        assert!(matches!(forwarded, Forwarded::Answered { status: 200, .. }));

        let (answer, forwarded) = forward(down()).await;
        assert_eq!(answer, None);
        let Forwarded::Failed { error } = forwarded else {
            panic!("down, yet answered")
        };
        assert!(error.starts_with("cannot connect to the app"), "{error}");

        let (answer, forwarded) = forward(app(App::Slow).await).await;
        assert_eq!(answer, None);
        let Forwarded::Failed { error } = forwarded else {
            panic!("slow, yet answered")
        };
        assert_eq!(error, "the app did not answer within 300 ms");

        let (answer, forwarded) = forward(app(App::Garbage).await).await;
        assert_eq!(answer, None);
        let Forwarded::Failed { error } = forwarded else {
            panic!("garbage, yet answered")
        };
        assert!(error.contains("is not the protocol's JSON"), "{error}");
    }
}
