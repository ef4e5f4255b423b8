//! The JSON answers Tencent expects.
#![cfg(feature = "alloc")]

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::live::command::Command;
use crate::live::event::{AccountId, MsgElement};

/// Codes a gift rejection may carry through to the sending client.
pub const GIFT_PASS_THROUGH_CODES: RangeInclusive<u32> = 102_100..=102_200;

/// Codes a message rejection may carry through to the sending client: group messages, and
/// every other group and topic decision (create, apply, invite).
pub const MESSAGE_PASS_THROUGH_CODES: RangeInclusive<u32> = 10_100..=10_200;

/// Codes a one-to-one message or official-account refusal may carry through to the client.
pub const C2C_PASS_THROUGH_CODES: RangeInclusive<u32> = 120_001..=130_000;

/// Codes that refuse one target of a friend request ([`FriendResult::refuse`]).
pub const FRIEND_RESULT_CODES: RangeInclusive<u32> = 38_000..=39_000;

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
    #[serde(
        rename = "RefusedMembers_Account",
        skip_serializing_if = "Option::is_none"
    )]
    refused_members: Option<Vec<AccountId>>,
    #[serde(
        rename = "RefusedSubscribers_Account",
        skip_serializing_if = "Option::is_none"
    )]
    refused_subscribers: Option<Vec<AccountId>>,
    #[serde(rename = "ResultItem", skip_serializing_if = "Option::is_none")]
    result_item: Option<Vec<FriendResult>>,
    #[serde(rename = "RspData", skip_serializing_if = "Option::is_none")]
    rsp_data: Option<String>,
}

/// The answer to one target of a friend request or response (`ResultItem[]`).
///
/// ```
/// use tencent_live_webhook::{FriendResult, Reply};
///
/// let reply = Reply::friend_results(vec![
///     FriendResult::allow("id1"),
///     FriendResult::refuse("id2", 38_001, "not now")?,
/// ]);
/// assert_eq!(
///     reply.to_json(),
///     r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"id1","ResultCode":0,"ResultInfo":""},{"To_Account":"id2","ResultCode":38001,"ResultInfo":"not now"}]}"#
/// );
/// assert!(FriendResult::refuse("id3", 1, "no").is_err());
/// # Ok::<(), tencent_live_webhook::ReplyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FriendResult {
    #[serde(rename = "To_Account")]
    to_account: AccountId,
    #[serde(rename = "ResultCode")]
    result_code: u32,
    #[serde(rename = "ResultInfo")]
    result_info: String,
}

impl FriendResult {
    /// Let the request to (or from) this user through.
    pub fn allow(to_account: impl Into<AccountId>) -> FriendResult {
        FriendResult {
            to_account: to_account.into(),
            result_code: 0,
            result_info: String::new(),
        }
    }

    /// Refuse it, with a code in [`FRIEND_RESULT_CODES`] and a text the client sees.
    pub fn refuse(
        to_account: impl Into<AccountId>,
        code: u32,
        info: impl Into<String>,
    ) -> Result<FriendResult, ReplyError> {
        check_code(code, FRIEND_RESULT_CODES)?;
        Ok(FriendResult {
            to_account: to_account.into(),
            result_code: code,
            result_info: info.into(),
        })
    }

    /// The user this result is for.
    pub fn to_account(&self) -> &AccountId {
        &self.to_account
    }

    /// `ResultCode`: 0 allows.
    pub fn result_code(&self) -> u32 {
        self.result_code
    }
}

impl Reply {
    fn ok(error_code: u32, error_info: impl Into<String>) -> Reply {
        Reply {
            action_status: ActionStatus::Ok,
            error_code,
            error_info: error_info.into(),
            msg_body: None,
            cloud_custom_data: None,
            refused_members: None,
            refused_subscribers: None,
            result_item: None,
            rsp_data: None,
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

    /// Let any blocking callback's action go ahead unchanged (`ErrorCode` 0): the gift,
    /// the message, the group or topic, the invitation, the subscription.
    pub fn allow() -> Reply {
        Reply::ack()
    }

    /// Refuse a blocking callback's action (`ErrorCode` 1); the client sees the
    /// callback family's own error (10016 or 20006). Friend callbacks refuse per target
    /// ([`Reply::friend_results`]); the chatbot's reply is [`Reply::chatbot`].
    pub fn reject() -> Reply {
        Reply::ok(1, "")
    }

    /// Refuse `command`'s action with a code and text the client sees; the code must be in
    /// the command's range ([`Command::pass_through_codes`]): a gift 102100–102200, group
    /// and topic decisions 10100–10200, one-to-one messages and official accounts
    /// 120001–130000. A command without such a range (a notification, a friend or chatbot
    /// callback) is an error too.
    ///
    /// ```
    /// use tencent_live_webhook::{Command, Reply};
    ///
    /// assert!(Reply::reject_with(Command::C2cBeforeSendMsg, 120_001, "no links").is_ok());
    /// assert!(Reply::reject_with(Command::C2cBeforeSendMsg, 10_100, "no links").is_err());
    /// assert!(Reply::reject_with(Command::GroupBeforeCreateGroup, 10_150, "full").is_ok());
    /// assert!(Reply::reject_with(Command::AfterCreateRoom, 10_150, "x").is_err());
    /// ```
    pub fn reject_with(
        command: Command,
        code: u32,
        info: impl Into<String>,
    ) -> Result<Reply, ReplyError> {
        let Some(range) = command.pass_through_codes() else {
            return Err(ReplyError::NoPassThrough { command });
        };
        check_code(code, range)?;
        Ok(Reply::ok(code, info))
    }

    /// Drop `command`'s message silently (`ErrorCode` 2): only the three send-message
    /// callbacks (group, one-to-one, official account) have this.
    pub fn drop_silently(command: Command) -> Result<Reply, ReplyError> {
        if command.is_send_message() {
            Ok(Reply::drop_message())
        } else {
            Err(ReplyError::NotAMessage { command })
        }
    }

    /// Let a group invitation through except for these invitees
    /// (`RefusedMembers_Account`, for `Group.CallbackBeforeInviteJoinGroup`).
    pub fn invite_except(refused: Vec<AccountId>) -> Reply {
        Reply {
            refused_members: Some(refused),
            ..Reply::ack()
        }
    }

    /// Let a subscription through except for these users (`RefusedSubscribers_Account`,
    /// for `OfficialAccount.CallbackBeforeAddSubscriber`).
    pub fn subscribe_except(refused: Vec<AccountId>) -> Reply {
        Reply {
            refused_subscribers: Some(refused),
            ..Reply::ack()
        }
    }

    /// The per-target answers to a friend request or response (`ResultItem`, for
    /// `Sns.CallbackPrevFriendAdd` and `Sns.CallbackPrevFriendResponse`): send one for
    /// every target.
    pub fn friend_results(results: Vec<FriendResult>) -> Reply {
        Reply {
            result_item: Some(results),
            ..Reply::ack()
        }
    }

    /// The chatbot's answer to a pass-through message (`RspData`, for
    /// `Chatbot.OnC2CSignalMessage`).
    pub fn chatbot(rsp_data: impl Into<String>) -> Reply {
        Reply {
            rsp_data: Some(rsp_data.into()),
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

    /// The invitees refused, if any.
    pub fn refused_members(&self) -> Option<&[AccountId]> {
        self.refused_members.as_deref()
    }

    /// The subscribers refused, if any.
    pub fn refused_subscribers(&self) -> Option<&[AccountId]> {
        self.refused_subscribers.as_deref()
    }

    /// The per-target friend answers, if any.
    pub fn result_items(&self) -> Option<&[FriendResult]> {
        self.result_item.as_deref()
    }

    /// The chatbot's answer, if any.
    pub fn rsp_data(&self) -> Option<&str> {
        self.rsp_data.as_deref()
    }

    /// The JSON body to send.
    pub fn to_json(&self) -> String {
        // Serializing plain strings, integers and JSON values into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl crate::live::event::Event {
    /// The reply that lets this callback's action go ahead as Tencent reads it: the ack,
    /// or for friend callbacks an allowing `ResultItem` for every target, and for the
    /// chatbot an empty `RspData`. Notifications get the ack.
    ///
    /// ```
    /// # use tencent_live_webhook::{Command, Event, Token, Verifier, signed_query};
    /// # let token = Token::new("t")?;
    /// # let query = signed_query(1, &Command::SnsPrevFriendAdd, &token, 10);
    /// let body = br#"{"CallbackCommand":"Sns.CallbackPrevFriendAdd","FriendItem":[{"To_Account":"id1"}]}"#;
    /// # let webhook = Verifier::new().app(1, [token]).verify(&query, 10)?.decode(body)?;
    /// let event: &Event = webhook.event().unwrap();
    /// assert_eq!(
    ///     event.refusing_reply().unwrap().to_json(),
    ///     r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"id1","ResultCode":38000,"ResultInfo":"refused"}]}"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allowing_reply(&self) -> Reply {
        use crate::live::event::Event;
        match self {
            Event::SnsPrevFriendAdd(_) | Event::SnsPrevFriendResponse(_) => {
                Reply::friend_results(self.friend_targets().map(FriendResult::allow).collect())
            }
            Event::ChatbotOnC2cSignalMessage(_) => Reply::chatbot(""),
            _ => Reply::allow(),
        }
    }

    /// The reply that refuses this callback's action in a way Tencent honours (sent with
    /// HTTP 200: a failure status would only count as a failed callback, after which
    /// Tencent lets Chat actions through): `ErrorCode` 1, or for friend callbacks a
    /// refusing `ResultItem` (38000) for every target. `None` for a notification, which
    /// decides nothing.
    pub fn refusing_reply(&self) -> Option<Reply> {
        use crate::live::event::Event;
        if !self.command().is_blocking() {
            return None;
        }
        Some(match self {
            Event::SnsPrevFriendAdd(_) | Event::SnsPrevFriendResponse(_) => Reply::friend_results(
                self.friend_targets()
                    .map(|to| FriendResult {
                        to_account: to,
                        result_code: *FRIEND_RESULT_CODES.start(),
                        result_info: "refused".into(),
                    })
                    .collect(),
            ),
            _ => Reply::reject(),
        })
    }

    /// The targets of a friend request or response.
    fn friend_targets(&self) -> impl Iterator<Item = AccountId> + '_ {
        use crate::live::event::Event;
        let (requested, answered) = match self {
            Event::SnsPrevFriendAdd(add) => (add.friend_item.as_deref(), None),
            Event::SnsPrevFriendResponse(response) => {
                (None, response.response_friend_item.as_deref())
            }
            _ => (None, None),
        };
        let requested = requested
            .unwrap_or_default()
            .iter()
            .filter_map(|item| item.to_account.clone());
        let answered = answered
            .unwrap_or_default()
            .iter()
            .filter_map(|item| item.to_account.clone());
        requested.chain(answered)
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
    /// The command has no pass-through codes: it is a notification, or it refuses
    /// another way (friend callbacks per target, the chatbot with `RspData`).
    NoPassThrough {
        /// The command.
        command: Command,
    },
    /// Only the three send-message callbacks can drop a message silently.
    NotAMessage {
        /// The command.
        command: Command,
    },
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
            ReplyError::NoPassThrough { command } => {
                write!(f, "{command} takes no refusal code")
            }
            ReplyError::NotAMessage { command } => {
                write!(
                    f,
                    "{command} is not a message callback: it cannot drop silently"
                )
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
    fn chat_refusals_keep_to_their_family_ranges() {
        for (command, good, bad) in [
            (Command::C2cBeforeSendMsg, 120_001, 120_000),
            (Command::C2cBeforeSendMsg, 130_000, 130_001),
            (Command::OfficialAccountBeforeAddSubscriber, 125_000, 10_150),
            (Command::GroupBeforeApplyJoinGroup, 10_100, 10_099),
            (Command::GroupBeforeCreateTopic, 10_200, 10_201),
            (Command::BeforeSendGift, 102_100, 10_100),
        ] {
            assert_eq!(
                Reply::reject_with(command, good, "x").unwrap().error_code(),
                good
            );
            assert!(
                matches!(
                    Reply::reject_with(command, bad, "x"),
                    Err(ReplyError::CodeOutOfRange { .. })
                ),
                "{command} {bad}"
            );
        }
        for command in [
            Command::SnsPrevFriendAdd,
            Command::ChatbotOnC2cSignalMessage,
            Command::AfterSendMsg,
        ] {
            assert_eq!(
                Reply::reject_with(command, 10_150, "x"),
                Err(ReplyError::NoPassThrough { command })
            );
        }
        assert_eq!(
            Reply::drop_silently(Command::C2cBeforeSendMsg)
                .unwrap()
                .error_code(),
            2
        );
        assert!(Reply::drop_silently(Command::GroupBeforeCreateGroup).is_err());
        assert!(FriendResult::refuse("a", 38_000, "x").is_ok());
        assert!(FriendResult::refuse("a", 39_001, "x").is_err());
    }

    #[test]
    fn chat_reply_fields_have_their_documented_names() {
        let json = |reply: Reply| reply.to_json();
        assert_eq!(
            json(Reply::invite_except(vec!["u1".into()])),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":["u1"]}"#
        );
        assert_eq!(
            json(Reply::subscribe_except(vec!["u2".into()])),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedSubscribers_Account":["u2"]}"#
        );
        assert_eq!(
            json(Reply::chatbot("{\"msg\":\"hi\"}")),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RspData":"{\"msg\":\"hi\"}"}"#
        );
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
