//! Room message callbacks (sent by the Chat backend behind each Live room).

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use super::raw::RawJson;
use super::values::{AccountId, BodyCommand, MessageType, RoomType, flexible_u64};

/// One element of a message body (`MsgBody[]`): a type and its content.
///
/// The content's shape depends on the type (`{"Text": ...}` for text, `{"Data": ...}`
/// for custom elements) and it is the sender's data, so it is kept as the exact JSON text
/// received.
///
/// ```
/// use tencent_live_webhook::MsgElement;
///
/// let element = MsgElement::text("hello");
/// assert_eq!(
///     serde_json::to_string(&element)?,
///     r#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"hello"}}"#
/// );
/// assert_eq!(element.as_text().as_deref(), Some("hello"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MsgElement {
    /// `MsgType`.
    #[serde(rename = "MsgType")]
    pub msg_type: MessageType,
    /// `MsgContent`.
    #[serde(rename = "MsgContent")]
    pub msg_content: RawJson,
}

impl MsgElement {
    /// A text element (`TIMTextElem`).
    pub fn text(text: impl Into<String>) -> MsgElement {
        // `Value`'s `Display` writes the string quoted and escaped: always valid JSON.
        let content = format!("{{\"Text\":{}}}", Value::String(text.into()));
        MsgElement {
            msg_type: MessageType::Text,
            msg_content: RawJson::from_string(content)
                .unwrap_or_else(|_| RawJson::from(RawValue::NULL.to_owned())),
        }
    }

    /// The text of a text element, if this is one and its content has a string `Text`.
    pub fn as_text(&self) -> Option<String> {
        #[derive(Deserialize)]
        struct TextContent {
            #[serde(rename = "Text")]
            text: String,
        }
        match self.msg_type {
            MessageType::Text => self
                .msg_content
                .parse::<TextContent>()
                .ok()
                .map(|content| content.text),
            _ => None,
        }
    }
}

/// `Group.CallbackBeforeSendMsg`: a room message is about to be delivered.
///
/// Blocking: answer within two seconds with one of the message replies on
/// [`Reply`](crate::Reply).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeSendMsg {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `GroupId`: the chat group behind the room.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: `Live`.
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomType>,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account", skip_serializing_if = "Option::is_none")]
    pub from_account: Option<AccountId>,
    /// `Operator_Account`: who made the request (an admin sending on someone's behalf).
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `Random`: the 32-bit random number of the send request.
    #[serde(
        rename = "Random",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub random: Option<u64>,
    /// `MsgId`: the client's message id.
    #[serde(rename = "MsgId", skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
    /// `MsgBody`: the message elements.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: custom data stored with the message.
    #[serde(rename = "CloudCustomData", skip_serializing_if = "Option::is_none")]
    pub cloud_custom_data: Option<String>,
    /// `OnlineOnlyFlag`: 1 for an online-only message (Chat groups; 0 in audio-video
    /// groups).
    #[serde(
        rename = "OnlineOnlyFlag",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub online_only_flag: Option<u64>,
    /// `TopicId`: the topic, in a community with topics.
    #[serde(rename = "TopicId", skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// `EventTime`: Unix milliseconds (a string in the samples).
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterSendMsg`: a room message was delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterSendMsg {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `GroupId`: the chat group behind the room.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: `Live`.
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomType>,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account", skip_serializing_if = "Option::is_none")]
    pub from_account: Option<AccountId>,
    /// `Operator_Account`: who made the request.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `Random`: the 32-bit random number of the send request.
    #[serde(
        rename = "Random",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub random: Option<u64>,
    /// `MsgId`: the client's message id.
    #[serde(rename = "MsgId", skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
    /// `MsgSeq`: the server's sequence number; messages are ordered by it.
    #[serde(
        rename = "MsgSeq",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub msg_seq: Option<u64>,
    /// `MsgTime`: server send time, Unix seconds.
    #[serde(
        rename = "MsgTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub msg_time: Option<u64>,
    /// `MsgBody`: the message elements.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: custom data stored with the message.
    #[serde(rename = "CloudCustomData", skip_serializing_if = "Option::is_none")]
    pub cloud_custom_data: Option<String>,
    /// `OnlineOnlyFlag`: 1 for an online-only message (Chat groups; 0 in audio-video
    /// groups).
    #[serde(
        rename = "OnlineOnlyFlag",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub online_only_flag: Option<u64>,
    /// `TopicId`: the topic, in a community with topics.
    #[serde(rename = "TopicId", skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// `GroupAtInfo`: the @-mentions (mainland pages).
    #[serde(rename = "GroupAtInfo", skip_serializing_if = "Option::is_none")]
    pub group_at_info: Option<Vec<crate::live::event::GroupAt>>,
    /// `EventTime`: Unix milliseconds (a string in the samples).
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}
