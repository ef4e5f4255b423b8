//! The JSON answers Tencent expects.
#![cfg(feature = "alloc")]

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::live::event::MsgElement;

/// Codes a gift rejection may carry through to the sending client.
pub const GIFT_PASS_THROUGH_CODES: RangeInclusive<u32> = 102_100..=102_200;

/// Codes a message rejection may carry through to the sending client.
pub const MESSAGE_PASS_THROUGH_CODES: RangeInclusive<u32> = 10_100..=10_200;

/// `ActionStatus`: whether the receiver handled the webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionStatus {
    /// `OK`.
    #[serde(rename = "OK")]
    Ok,
    /// `FAIL`.
    #[serde(rename = "FAIL")]
    Fail,
}

/// A reply to a webhook, always sent with HTTP 200 except for refusals.
///
/// Build one with the constructors: [`Reply::ack`] for notifications, the gift and
/// message decisions for the two blocking callbacks. Codes outside the documented
/// ranges are refused when the reply is built, so a reply on the wire is always valid.
///
/// ```
/// use tencent_live_webhook::{MsgElement, Reply};
///
/// assert_eq!(Reply::ack().to_json(), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#);
/// assert_eq!(Reply::reject_gift().error_code(), 1);
/// assert!(Reply::reject_gift_with(102_150, "balance too low").is_ok());
/// assert!(Reply::reject_gift_with(5, "nope").is_err());
///
/// let rewritten = Reply::deliver_rewritten(Some(vec![MsgElement::text("***")]), None);
/// assert_eq!(
///     rewritten.to_json(),
///     r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"***"}}]}"#
/// );
/// ```
// Serialize only: a `Reply` is built by its constructors, which enforce the code ranges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    #[serde(rename = "ActionStatus")]
    action_status: ActionStatus,
    #[serde(rename = "ErrorCode")]
    error_code: u32,
    #[serde(rename = "ErrorInfo")]
    error_info: String,
    #[serde(rename = "MsgBody", skip_serializing_if = "Option::is_none")]
    msg_body: Option<Vec<MsgElement>>,
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    cloud_custom_data: Option<String>,
}

impl Reply {
    fn ok(error_code: u32, error_info: impl Into<String>) -> Reply {
        Reply {
            action_status: ActionStatus::Ok,
            error_code,
            error_info: error_info.into(),
            msg_body: None,
            cloud_custom_data: None,
        }
    }

    /// Received and handled: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`.
    ///
    /// The answer to every notification ("after") webhook.
    pub fn ack() -> Reply {
        Reply::ok(0, "")
    }

    /// Let the gift through (`ErrorCode` 0).
    pub fn allow_gift() -> Reply {
        Reply::ack()
    }

    /// Block the gift (`ErrorCode` 1).
    pub fn reject_gift() -> Reply {
        Reply::ok(1, "")
    }

    /// Block the gift with a code and text the sending client sees; the code must be in
    /// [`GIFT_PASS_THROUGH_CODES`].
    pub fn reject_gift_with(code: u32, info: impl Into<String>) -> Result<Reply, ReplyError> {
        check_code(code, GIFT_PASS_THROUGH_CODES)?;
        Ok(Reply::ok(code, info))
    }

    /// Deliver the message unchanged (`ErrorCode` 0).
    pub fn deliver_message() -> Reply {
        Reply::ack()
    }

    /// Refuse the message; the sender gets an error (`ErrorCode` 1).
    pub fn reject_message() -> Reply {
        Reply::ok(1, "")
    }

    /// Drop the message silently; the sender believes it was sent (`ErrorCode` 2).
    pub fn drop_message() -> Reply {
        Reply::ok(2, "")
    }

    /// Refuse the message with a code and text the sender sees; the code must be in
    /// [`MESSAGE_PASS_THROUGH_CODES`].
    pub fn reject_message_with(code: u32, info: impl Into<String>) -> Result<Reply, ReplyError> {
        check_code(code, MESSAGE_PASS_THROUGH_CODES)?;
        Ok(Reply::ok(code, info))
    }

    /// Deliver the message with its body and/or custom data replaced (`ErrorCode` 0).
    /// `None` leaves that part as the sender wrote it.
    pub fn deliver_rewritten(
        msg_body: Option<Vec<MsgElement>>,
        cloud_custom_data: Option<String>,
    ) -> Reply {
        Reply {
            msg_body,
            cloud_custom_data,
            ..Reply::ack()
        }
    }

    /// The answer to a request that was not handled: `ActionStatus` `FAIL`, a code and a
    /// short reason. Send it with a non-200 status; Tencent counts the delivery as failed.
    /// [`Rejection::reply`](crate::Rejection::reply) builds these for refused requests.
    pub fn failure(error_code: u32, reason: impl Into<String>) -> Reply {
        Reply {
            action_status: ActionStatus::Fail,
            ..Reply::ok(error_code, reason)
        }
    }

    /// `ActionStatus`.
    pub fn action_status(&self) -> ActionStatus {
        self.action_status
    }

    /// `ErrorCode`.
    pub fn error_code(&self) -> u32 {
        self.error_code
    }

    /// `ErrorInfo`.
    pub fn error_info(&self) -> &str {
        &self.error_info
    }

    /// The replacement message body, if any.
    pub fn msg_body(&self) -> Option<&[MsgElement]> {
        self.msg_body.as_deref()
    }

    /// The replacement custom data, if any.
    pub fn cloud_custom_data(&self) -> Option<&str> {
        self.cloud_custom_data.as_deref()
    }

    /// The JSON body to send.
    pub fn to_json(&self) -> String {
        // Serializing plain strings, integers and JSON values into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn check_code(code: u32, allowed: RangeInclusive<u32>) -> Result<(), ReplyError> {
    if allowed.contains(&code) {
        Ok(())
    } else {
        Err(ReplyError::CodeOutOfRange {
            code,
            min: *allowed.start(),
            max: *allowed.end(),
        })
    }
}

/// A reply that Tencent would not understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplyError {
    /// The pass-through code is outside the documented range.
    CodeOutOfRange {
        /// The code given.
        code: u32,
        /// Lowest allowed code.
        min: u32,
        /// Highest allowed code.
        max: u32,
    },
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyError::CodeOutOfRange { code, min, max } => {
                write!(f, "reply code {code} is outside {min}..={max}")
            }
        }
    }
}

impl core::error::Error for ReplyError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pass_through_ranges_are_inclusive() {
        for code in [102_100, 102_200] {
            assert_eq!(
                Reply::reject_gift_with(code, "x").unwrap().error_code(),
                code
            );
        }
        for code in [0, 1, 102_099, 102_201] {
            assert!(Reply::reject_gift_with(code, "x").is_err(), "{code}");
        }
        for code in [10_100, 10_200] {
            assert_eq!(
                Reply::reject_message_with(code, "x").unwrap().error_code(),
                code
            );
        }
        let error = Reply::reject_message_with(10_201, "x").unwrap_err();
        assert_eq!(
            error.to_string(),
            "reply code 10201 is outside 10100..=10200"
        );
    }

    #[test]
    fn message_decisions_have_their_documented_codes() {
        assert_eq!(Reply::deliver_message().error_code(), 0);
        assert_eq!(Reply::reject_message().error_code(), 1);
        assert_eq!(Reply::drop_message().error_code(), 2);
        for reply in [
            Reply::reject_message(),
            Reply::drop_message(),
            Reply::reject_gift(),
        ] {
            assert_eq!(reply.action_status(), ActionStatus::Ok);
        }
    }

    #[test]
    fn rewritten_message_carries_custom_data() {
        let reply = Reply::deliver_rewritten(None, Some("tagged".into()));
        assert_eq!(
            reply.to_json(),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","CloudCustomData":"tagged"}"#
        );
    }
}
