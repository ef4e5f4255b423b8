//! The Chat (IM) callbacks: every word of Tencent Cloud Chat's webhook, and the Call and
//! Desk words that come in the same envelope, signed like Live webhooks.
//!
//! The pages never say which request fields are always sent, and their examples and
//! tables disagree, so every field is optional here, numbers are read from JSON numbers or
//! strings of digits, and a field is written back only when it came.

mod bot;
mod c2c;
mod call;
mod elements;
mod group;
mod official;
mod ops;
mod user;

use alloc::string::String;

use serde::{Deserialize, Serialize};

pub use bot::{BotOnC2cMessage, BotOnGroupMessage, ChatbotOnC2cSignalMessage};
pub use c2c::{
    C2cAfterC2cMsgExtension, C2cAfterMsgReport, C2cAfterMsgWithDraw, C2cAfterSendMsg,
    C2cBeforeSendMsg, ExtensionOperation, MsgExtension,
};
pub use call::{
    CallAction, CallAfterEndCall, CallAfterMemberChanged, CallAfterStartCall, CallInfo,
    CallMemberChange, CallRecord, CallUser, DeskSessionEventNotify,
};
pub use elements::{
    CustomElem, FaceElem, FileElem, ImageElem, ImageInfo, LocationElem, MsgContent, RelayElem,
    RelayedMsg, SoundElem, TextElem, VideoElem,
};
pub use group::{
    GroupAfterChangeGroupOwner, GroupAfterCreateGroup, GroupAfterCreateTopic,
    GroupAfterGroupAttrChanged, GroupAfterGroupDestroyed, GroupAfterGroupFull,
    GroupAfterGroupInfoChanged, GroupAfterGroupMsgExtension, GroupAfterMemberExit,
    GroupAfterMemberFieldChanged, GroupAfterNewMemberJoin, GroupAfterReadReceipt,
    GroupAfterRecallMsg, GroupAfterTopicDestroyed, GroupAfterTopicInfoChanged, GroupAt,
    GroupAttribute, GroupBeforeApplyJoinGroup, GroupBeforeCreateGroup, GroupBeforeCreateTopic,
    GroupBeforeInviteJoinGroup, GroupMember, GroupOnDailyGroupQuotaAlarm, GroupOnMemberStateChange,
    GroupSendMsgException, GroupType, MsgSeqItem, ReadReceipt, UserDefinedData,
};
pub use official::{
    OfficialAccountAfterAddSubscriber, OfficialAccountAfterCreateOfficialAccount,
    OfficialAccountAfterDeleteSubscriber, OfficialAccountAfterMsgWithDraw,
    OfficialAccountAfterOfficialAccountDestroyed, OfficialAccountAfterOfficialAccountFull,
    OfficialAccountAfterOfficialAccountInfoChanged, OfficialAccountAfterSendMsg,
    OfficialAccountBeforeAddSubscriber, OfficialAccountBeforeCreateOfficialAccount,
    OfficialAccountBeforeSendMsg, Subscriber, WithdrawnMsg,
};
pub use ops::{
    AlertRequestOverLimit, AllMemberPushEvent, ContactItem, ContentCallbackResultNotify,
    OfflinePushEvent, PushAllMemberPush, PushOfflinePush, PushPlatform, PushStage,
};
pub use user::{
    FriendItem, FriendPair, KickedDevice, ProfileItem, ProfilePortraitSet, ProfileValue,
    ResponseFriendItem, SnsBlackListAdd, SnsBlackListDelete, SnsFriendAdd, SnsFriendDelete,
    SnsPrevFriendAdd, SnsPrevFriendResponse, StateChange, StateInfo,
};

/// A value the pages give as a number in one place and as text in another (a profile
/// item's `Value`, a call's `CallResult`): kept as it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TextOrNumber {
    /// A JSON string.
    Text(String),
    /// A JSON integer.
    Number(i64),
}

/// Declares a Chat event struct: the body's `CallbackCommand` read beside it (never
/// written twice), every field optional and written back only when it came, and
/// `EventTime` accepted on every event (milliseconds, a number or a string of digits)
/// since the pages disagree on which events carry it. `[room = field]` names the field
/// that orders the event's deliveries (its group).
macro_rules! chat_event {
    (
        $(#[$meta:meta])*
        pub struct $name:ident $([room = $room:ident])? {
            $( $(#[$field_meta:meta])* $json:literal => $field:ident: $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            /// `CallbackCommand` as the body states it, checked against the URL.
            #[serde(rename = "CallbackCommand", default, skip_serializing)]
            pub(crate) body_command: crate::live::event::values::BodyCommand,
            $(
                $(#[$field_meta])*
                #[serde(rename = $json, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// `EventTime`: Unix milliseconds, when the body carries it (as a number or a
            /// string of digits).
            #[serde(
                rename = "EventTime",
                default,
                with = "crate::live::event::values::flexible_u64",
                skip_serializing_if = "Option::is_none"
            )]
            pub event_time: Option<u64>,
        }

        impl $name {
            /// The group (or room) that orders this event's deliveries, when it names one.
            pub(crate) fn order_room(&self) -> Option<&str> {
                $( return self.$room.as_deref(); )?
                #[allow(unreachable_code)]
                None
            }
        }
    };
}

/// Declares a struct nested in a Chat event: every field optional, written back only when
/// it came.
macro_rules! chat_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $json:literal => $field:ident: $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(rename = $json, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }
    };
}

pub(crate) use {chat_event, chat_struct};
