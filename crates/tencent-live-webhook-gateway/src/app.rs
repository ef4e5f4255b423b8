//! Talking to an app over HTTP: the answer the protocol expects, URLs and certificates.
//! Shared by the gateway's forwarding and the CLI's clients.

use std::path::Path;

use tencent_live_webhook::ActionStatus;

/// The largest answer read from a receiver; the protocol's answers are far smaller.
pub const MAX_ANSWER: usize = 1024 * 1024;

/// The part of a webhook answer every receiver must send, and what a decision adds.
#[derive(Debug, serde::Deserialize)]
pub struct ProtocolReply {
    /// `ActionStatus`: OK or FAIL.
    #[serde(rename = "ActionStatus")]
    pub action_status: ActionStatus,
    /// `ErrorCode`.
    #[serde(rename = "ErrorCode")]
    pub error_code: u32,
    /// `ErrorInfo`, when given.
    #[serde(rename = "ErrorInfo", default)]
    pub error_info: Option<String>,
    /// Present when a message decision replaces the message body.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Option<serde::de::IgnoredAny>,
    /// Present when a message decision replaces the custom data.
    #[serde(rename = "CloudCustomData", default)]
    pub cloud_custom_data: Option<serde::de::IgnoredAny>,
    /// A friend decision's answers, per target.
    #[serde(rename = "ResultItem", default)]
    pub result_item: Option<Vec<ResultItem>>,
    /// The invitees an invitation decision refuses.
    #[serde(rename = "RefusedMembers_Account", default)]
    pub refused_members: Option<Vec<serde::de::IgnoredAny>>,
    /// The users a subscription decision refuses.
    #[serde(rename = "RefusedSubscribers_Account", default)]
    pub refused_subscribers: Option<Vec<serde::de::IgnoredAny>>,
    /// The chatbot's answer.
    #[serde(rename = "RspData", default)]
    pub rsp_data: Option<serde::de::IgnoredAny>,
}

/// One target's answer in a friend decision (`ResultItem[]`).
#[derive(Debug, serde::Deserialize)]
pub struct ResultItem {
    /// `ResultCode`: 0 allows.
    #[serde(rename = "ResultCode", default)]
    pub result_code: i64,
}

/// `body` read as the protocol's answer (`ActionStatus` OK or FAIL, a numeric
/// `ErrorCode`), or `None` when it is not one.
pub fn protocol_reply(body: &[u8]) -> Option<ProtocolReply> {
    serde_json::from_slice(body).ok()
}

/// The certificate authorities in the PEM file at `path`, for `--cacert`.
pub fn authorities(path: &Path) -> Result<Vec<reqwest::Certificate>, String> {
    let pem = std::fs::read(path)
        .map_err(|error| format!("--cacert: cannot read {}: {error}", path.display()))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|error| format!("--cacert {}: {error}", path.display()))?;
    if certificates.is_empty() {
        return Err(format!(
            "--cacert {}: no certificate in the file",
            path.display()
        ));
    }
    Ok(certificates)
}

/// The innermost error's text: the useful part (connection refused, certificate unknown),
/// free of the URL.
pub fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

/// `url` with `query` appended.
pub fn with_query(url: &str, query: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{query}")
}

/// Refuses a URL that does not say how to reach it: `flag` names where it came from.
pub fn check_url(flag: &str, url: &str) -> Result<(), String> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(())
    } else {
        Err(format!(
            "{flag} {:?}: URL must start with http:// or https://",
            crate::secret::without_userinfo(url)
        ))
    }
}

/// `url` with its path replaced by `path` and without its query: where the app receives
/// TRTC callbacks when it mirrors the gateway's paths.
///
/// ```
/// use tencent_live_webhook_gateway::app::with_path;
///
/// assert_eq!(with_path("http://app:9000/live?x=1", "/trtc").unwrap(), "http://app:9000/trtc");
/// ```
pub fn with_path(url: &str, path: &str) -> Result<String, String> {
    let mut parsed = reqwest::Url::parse(url).map_err(|error| {
        format!(
            "--forward-to {:?}: {error}",
            crate::secret::without_userinfo(url)
        )
    })?;
    parsed.set_path(path);
    parsed.set_query(None);
    Ok(parsed.into())
}
