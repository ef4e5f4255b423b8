//! The typed webhook events, one struct per command.
#![cfg(feature = "alloc")]

mod battle;
mod chat;
mod follow;
mod gift;
mod member;
mod message;
pub(crate) mod raw;
mod recording;
mod room;
pub(crate) mod values;

use alloc::boxed::Box;

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

pub use battle::{AfterCreateBattle, AfterEndBattle, AfterStartBattle, BattleRoom};
pub use chat::*;
pub use follow::{AfterFollowAdd, AfterFollowDelete, FollowTarget};
pub use gift::{BeforeSendGift, GiftWater};
pub use member::{
    AfterChangeOwner, AfterMemberStateChanged, AfterModifyAdmin, AfterSeatInfoChanged, Member, Seat,
};
pub use message::{AfterSendMsg, BeforeSendMsg, MsgElement};
pub use raw::RawJson;
pub use recording::{AfterCloudRecordingChanged, RecordingEventInfo};
pub use room::{
    AfterCreateRoom, AfterCreateRoomReachingThreshold, AfterDelMetadata, AfterDestroyRoom,
    AfterSetMetadata, AfterUpdateRoomInfo, MetadataEntry, RoomInfo, RoomStatistic,
};
pub use values::{
    AccountId, AdminOperation, BattleEndReason, DestroyType, MemberEventCause, MemberEventType,
    MessageType, RecordingEventGroup, RecordingEventType, RoomType, TakeSeatMode,
};

use crate::live::command::Command;

/// An event whose command has no typed body here; the body is kept as received.
#[derive(Debug, Clone)]
pub struct UnknownEvent {
    command: Command,
    body: Box<RawValue>,
}

impl UnknownEvent {
    /// The command.
    pub fn command(&self) -> Command {
        self.command
    }

    /// The body exactly as received (a JSON object).
    pub fn body(&self) -> &RawValue {
        &self.body
    }
}

impl PartialEq for UnknownEvent {
    fn eq(&self, other: &Self) -> bool {
        self.command == other.command && self.body.get() == other.body.get()
    }
}

/// Generates the per-variant plumbing from one list, so a new command is one line.
macro_rules! events {
    (live: [$($live:ident),* $(,)?], chat: [$($chat:ident),* $(,)?] $(,)?) => {
        /// A decoded webhook event: one variant per command.
        ///
        /// Serializes back to the protocol's JSON, `CallbackCommand` included.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)] // one event per request; boxing would only add an allocation
        pub enum Event {
            $(
                #[doc = concat!("The event of [`Command::", stringify!($live), "`].")]
                $live($live),
            )*
            $(
                #[doc = concat!("The event of [`Command::", stringify!($chat), "`] (Chat).")]
                $chat($chat),
            )*
            /// A command with no typed body: an unknown word, or a known word that has no
            /// documented body (the `Live.CallbackBeforeCallBackNotBlock` switch).
            Unknown(UnknownEvent),
        }

        events!(@all [$($live,)* $($chat,)*]);

        impl Event {
            /// A Chat event's `EventTime` (`Some(None)` when it has none); `None` for the
            /// others.
            fn chat_event_time(&self) -> Option<Option<u64>> {
                match self {
                    $( Event::$chat(event) => Some(event.event_time), )*
                    _ => None,
                }
            }

            /// A Chat event's group (`Some(None)` when it names none); `None` for the others.
            fn chat_room(&self) -> Option<Option<&str>> {
                match self {
                    $( Event::$chat(event) => Some(event.order_room()), )*
                    _ => None,
                }
            }
        }
    };
    (@all [$($variant:ident),* $(,)?]) => {
        impl Event {
            /// The command this event answers to.
            pub fn command(&self) -> Command {
                match self {
                    $( Event::$variant(_) => Command::$variant, )*
                    Event::Unknown(unknown) => unknown.command,
                }
            }

            /// The `CallbackCommand` the body stated, if it had a typed event and stated one.
            pub(crate) fn body_command(&self) -> Option<Command> {
                match self {
                    $( Event::$variant(event) => event.body_command.0, )*
                    Event::Unknown(_) => None,
                }
            }

            /// Decodes a body for a command known to have a typed event.
            pub(crate) fn decode_typed(command: Command, body: &[u8]) -> Option<Result<Event, TypedError>> {
                match command {
                    $( Command::$variant => Some(typed(body).map(Event::$variant)), )*
                    _ => None,
                }
            }
        }

        impl Serialize for Event {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Event::$variant(event) => Tagged {
                        command: Command::$variant.as_str(),
                        event,
                    }
                    .serialize(serializer), )*
                    Event::Unknown(unknown) => unknown.body.serialize(serializer),
                }
            }
        }
    };
}

events!(
    live: [
    AfterCreateRoom,
    AfterDestroyRoom,
    AfterUpdateRoomInfo,
    AfterSetMetadata,
    AfterDelMetadata,
    AfterCreateRoomReachingThreshold,
    AfterMemberStateChanged,
    AfterChangeOwner,
    AfterModifyAdmin,
    AfterSeatInfoChanged,
    AfterCreateBattle,
    AfterStartBattle,
    AfterEndBattle,
    BeforeSendGift,
    BeforeSendMsg,
    AfterSendMsg,
    AfterFollowAdd,
    AfterFollowDelete,
    AfterCloudRecordingChanged,
    ],
    chat: [
    StateChange,
    ProfilePortraitSet,
    SnsPrevFriendAdd,
    SnsPrevFriendResponse,
    SnsFriendAdd,
    SnsFriendDelete,
    SnsBlackListAdd,
    SnsBlackListDelete,
    C2cBeforeSendMsg,
    C2cAfterSendMsg,
    C2cAfterMsgReport,
    C2cAfterMsgWithDraw,
    C2cAfterC2cMsgExtension,
    GroupBeforeCreateGroup,
    GroupAfterCreateGroup,
    GroupBeforeApplyJoinGroup,
    GroupBeforeInviteJoinGroup,
    GroupAfterNewMemberJoin,
    GroupAfterMemberExit,
    GroupAfterGroupFull,
    GroupAfterGroupDestroyed,
    GroupAfterGroupInfoChanged,
    GroupOnMemberStateChange,
    GroupSendMsgException,
    GroupBeforeCreateTopic,
    GroupAfterCreateTopic,
    GroupAfterTopicDestroyed,
    GroupAfterTopicInfoChanged,
    GroupAfterRecallMsg,
    GroupAfterMemberFieldChanged,
    GroupAfterGroupAttrChanged,
    GroupAfterReadReceipt,
    GroupAfterChangeGroupOwner,
    GroupOnDailyGroupQuotaAlarm,
    GroupAfterGroupMsgExtension,
    OfficialAccountBeforeCreateOfficialAccount,
    OfficialAccountAfterCreateOfficialAccount,
    OfficialAccountAfterOfficialAccountInfoChanged,
    OfficialAccountAfterOfficialAccountDestroyed,
    OfficialAccountBeforeAddSubscriber,
    OfficialAccountAfterAddSubscriber,
    OfficialAccountAfterOfficialAccountFull,
    OfficialAccountAfterDeleteSubscriber,
    OfficialAccountBeforeSendMsg,
    OfficialAccountAfterSendMsg,
    OfficialAccountAfterMsgWithDraw,
    BotOnC2cMessage,
    BotOnGroupMessage,
    ChatbotOnC2cSignalMessage,
    AlertRequestOverLimit,
    ContentCallbackResultNotify,
    PushOfflinePush,
    PushAllMemberPush,
    CallAfterStartCall,
    CallAfterEndCall,
    CallAfterMemberChanged,
    DeskSessionEventNotify,
    ],
);

impl Event {
    pub(crate) fn unknown(command: Command, body: Box<RawValue>) -> Event {
        Event::Unknown(UnknownEvent { command, body })
    }

    /// `EventTime` in Unix milliseconds, wherever the body put it: at the top level, or
    /// inside `RoomInfo`. For the recording event, `CallbackTs`; for a gift, `None`
    /// unless the body carried one.
    ///
    /// A Chat event's `EventTime` where it has one (batched push reports carry theirs in
    /// each event, in seconds: `None` here).
    pub fn event_time(&self) -> Option<u64> {
        if let Some(time) = self.chat_event_time() {
            return time;
        }
        match self {
            Event::AfterCreateRoom(e) => e.event_time.or(e.room_info.event_time),
            Event::AfterDestroyRoom(e) => e
                .event_time
                .or_else(|| e.room_info.as_ref().and_then(|info| info.event_time)),
            Event::AfterUpdateRoomInfo(e) => e.event_time.or(e.room_info.event_time),
            Event::AfterSetMetadata(e) => e.event_time,
            Event::AfterDelMetadata(e) => e.event_time,
            Event::AfterCreateRoomReachingThreshold(e) => e.event_time,
            Event::AfterMemberStateChanged(e) => e.event_time,
            Event::AfterChangeOwner(e) => e.event_time,
            Event::AfterModifyAdmin(e) => e.event_time,
            Event::AfterSeatInfoChanged(e) => e.event_time,
            Event::AfterCreateBattle(e) => e.event_time,
            Event::AfterStartBattle(e) => e.event_time,
            Event::AfterEndBattle(e) => e.event_time,
            Event::BeforeSendGift(e) => e.event_time,
            Event::BeforeSendMsg(e) => e.event_time,
            Event::AfterSendMsg(e) => e.event_time,
            Event::AfterFollowAdd(e) => e.event_time,
            Event::AfterFollowDelete(e) => e.event_time,
            Event::AfterCloudRecordingChanged(e) => e.callback_ts,
            _ => None,
        }
    }

    /// The room the event is about, when it names one (`RoomId`, `RoomInfo.RoomId`,
    /// a message's `GroupId`, a battle's calling room); for Chat events, the group or
    /// official account they are about.
    pub fn room_id(&self) -> Option<&str> {
        if let Some(room) = self.chat_room() {
            return room;
        }
        match self {
            Event::AfterCreateRoom(e) => e.room_info.room_id.as_deref(),
            Event::AfterUpdateRoomInfo(e) => e.room_info.room_id.as_deref(),
            Event::AfterDestroyRoom(e) => Some(&e.room_id),
            Event::AfterSetMetadata(e) => Some(&e.room_id),
            Event::AfterDelMetadata(e) => Some(&e.room_id),
            Event::AfterMemberStateChanged(e) => Some(&e.room_id),
            Event::AfterChangeOwner(e) => Some(&e.room_id),
            Event::AfterModifyAdmin(e) => Some(&e.room_id),
            Event::AfterSeatInfoChanged(e) => Some(&e.room_id),
            Event::BeforeSendGift(e) => Some(&e.room_id),
            Event::AfterCreateBattle(e) => e.from_room_id.as_deref(),
            Event::AfterStartBattle(e) => {
                e.from_room_info.as_ref().map(|room| room.room_id.as_str())
            }
            Event::AfterEndBattle(e) => e.from_room_info.as_ref().map(|room| room.room_id.as_str()),
            Event::BeforeSendMsg(e) => Some(&e.group_id),
            Event::AfterSendMsg(e) => Some(&e.group_id),
            Event::AfterCloudRecordingChanged(e) => e
                .event_info
                .as_ref()
                .and_then(|info| info.room_id.as_deref()),
            _ => None,
        }
    }
}

/// An event struct with `CallbackCommand` put back in front of its fields.
#[derive(Serialize)]
struct Tagged<'a, T> {
    #[serde(rename = "CallbackCommand")]
    command: &'a str,
    #[serde(flatten)]
    event: &'a T,
}

/// Why a body did not decode into its typed event.
pub(crate) enum TypedError {
    /// A field did not fit (or the body is not JSON up to that point).
    Field(serde_path_to_error::Error<serde_json::Error>),
    /// The event decoded, but the body goes on after it.
    Trailing(serde_json::Error),
}

pub(crate) fn typed<T: DeserializeOwned>(body: &[u8]) -> Result<T, TypedError> {
    // The usual case first, as cheaply as it can be read: UTF-8 checked once for the
    // whole body (so strings are not checked one by one), and no path tracking.
    if let Ok(text) = core::str::from_utf8(body) {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        if let Ok(value) = T::deserialize(&mut deserializer)
            && deserializer.end().is_ok()
        {
            return Ok(value);
        }
    }
    // It did not fit: read it again, tracking the path, to say exactly where and why.
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(TypedError::Field)?;
    deserializer.end().map_err(TypedError::Trailing)?;
    Ok(value)
}
