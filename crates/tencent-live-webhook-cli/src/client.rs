//! Sending a signed webhook the way Tencent does.

use std::time::Duration;

use tencent_live_webhook::{ActionStatus, Command, Platform, QueryBuilder, Token};

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

/// The part of a webhook answer every receiver must send.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct ProtocolReply {
    #[serde(rename = "ActionStatus")]
    pub(crate) action_status: ActionStatus,
    #[serde(rename = "ErrorCode")]
    pub(crate) error_code: u32,
}

/// `body` read as the protocol's answer (`ActionStatus` OK or FAIL, a numeric
/// `ErrorCode`), or `None` when it is not one.
pub(crate) fn protocol_reply(body: &[u8]) -> Option<ProtocolReply> {
    serde_json::from_slice(body).ok()
}

/// A client with keep-alive and a bounded wait, that reports every status as an answer.
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
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
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{query}")
}

/// POSTs `body` to `url` as Tencent does: JSON, with the query already on the URL.
pub(crate) fn post(agent: &ureq::Agent, url: &str, body: &[u8]) -> Result<Answer, ureq::Error> {
    let mut response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body)?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string()?;
    Ok(Answer { status, body })
}
