//! Sending a signed webhook the way Tencent does, over http:// or https://.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use tencent_live_webhook::{ActionStatus, Command, Platform, QueryBuilder, Token};
pub(crate) use tencent_live_webhook_gateway::app::{
    MAX_ANSWER, authorities, protocol_reply, root_cause, with_query,
};

/// How long `send`, `replay` and the demo wait for a receiver's answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// What the receiver answered.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
}

impl Answer {
    /// HTTP 200 with `"ActionStatus":"OK"`: what Tencent counts as delivered.
    pub(crate) fn is_ok(&self) -> bool {
        self.status == 200
            && protocol_reply(self.body.as_bytes())
                .is_some_and(|reply| reply.action_status == ActionStatus::Ok)
    }
}

/// Posts webhooks over keep-alive connections. Servers are checked against the system's
/// roots and the bundled Mozilla roots, and the `--cacert` authorities.
pub(crate) struct Sender {
    http: reqwest::blocking::Client,
}

impl Sender {
    pub(crate) fn new(cacert: Option<&Path>) -> Result<Sender, String> {
        let mut builder = reqwest::blocking::Client::builder();
        for certificate in cacert.map(authorities).transpose()?.unwrap_or_default() {
            builder = builder.add_root_certificate(certificate);
        }
        let http = builder
            .timeout(ANSWER_TIMEOUT)
            // The query carries the Sign: never follow a redirect elsewhere with it.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| format!("cannot set up the client: {}", root_cause(&error)))?;
        Ok(Sender { http })
    }

    /// POSTs `body` to `url` as Tencent does: JSON, with the query already on the URL.
    /// The error says why without the URL, whose query holds the Sign.
    pub(crate) fn post(&self, url: &str, body: Vec<u8>) -> Result<Answer, String> {
        self.post_with(url, &[], body)
    }

    /// [`post`](Self::post) with extra headers (a TRTC callback's `Sign` and `SdkAppId`).
    pub(crate) fn post_with(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<Answer, String> {
        let mut request = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request
            .body(body)
            .send()
            .map_err(|error| describe(&error.without_url()))?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        let limit = u64::try_from(MAX_ANSWER).unwrap_or(u64::MAX) + 1;
        response
            .take(limit)
            .read_to_end(&mut body)
            .map_err(|error| format!("reading the answer failed: {}", root_cause(&error)))?;
        if body.len() > MAX_ANSWER {
            return Err(format!("the answer (HTTP {status}) is over 1 MiB"));
        }
        let body = String::from_utf8_lossy(&body).into_owned();
        Ok(Answer { status, body })
    }
}

/// Why a request failed, in a few words.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        format!("no answer within {} s", ANSWER_TIMEOUT.as_secs())
    } else if error.is_connect() {
        format!("cannot connect: {}", root_cause(error))
    } else {
        format!("the request failed: {}", root_cause(error))
    }
}

/// `url` with the signed webhook query for `command` appended.
pub(crate) fn signed_url(
    url: &str,
    sdk_app_id: u64,
    command: Command,
    token: &Token,
    time: u64,
) -> String {
    let query = QueryBuilder::new(sdk_app_id, command)
        .client_ip("127.0.0.1")
        .platform(Platform::RestApi)
        .signed(token, time);
    with_query(url, &query)
}
