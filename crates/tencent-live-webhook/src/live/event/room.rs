//! Room events: created, destroyed, updated, metadata, quota alert.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::values::{
    AccountId, BodyCommand, DestroyType, RoomType, TakeSeatMode, flexible_bool, flexible_i64,
    flexible_u64,
};

/// A room's attributes, as carried by room create, update and destroy events.
///
/// Every field is optional: an update may carry only the changed fields, and the
/// destroy snapshot has changed shape over time. So `RoomId` is optional here while the
/// events that name their room at the top level (`AfterDestroyRoom::room_id`, ...) require
/// it; [`Event::room_id`](crate::Event::room_id) gives every event's room the same way.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoomInfo {
    /// `RoomId`.
    #[serde(rename = "RoomId", skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    /// `RoomName`.
    #[serde(rename = "RoomName", skip_serializing_if = "Option::is_none")]
    pub room_name: Option<String>,
    /// `RoomType`: `Live` for every Live room.
    #[serde(rename = "RoomType", skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomType>,
    /// `Owner_Account`: the owner.
    #[serde(rename = "Owner_Account", skip_serializing_if = "Option::is_none")]
    pub owner_account: Option<AccountId>,
    /// `MaxMemberCount`.
    #[serde(
        rename = "MaxMemberCount",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_member_count: Option<u64>,
    /// `IsMessageDisabled`: room-wide text mute.
    #[serde(
        rename = "IsMessageDisabled",
        default,
        with = "flexible_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_message_disabled: Option<bool>,
    /// `CustomInfo`: free-form app data.
    #[serde(rename = "CustomInfo", skip_serializing_if = "Option::is_none")]
    pub custom_info: Option<String>,
    /// `IsSeatEnabled`: whether the room uses seats.
    #[serde(
        rename = "IsSeatEnabled",
        default,
        with = "flexible_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_seat_enabled: Option<bool>,
    /// `MaxSeatCount`.
    #[serde(
        rename = "MaxSeatCount",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_seat_count: Option<u64>,
    /// `TakeSeatMode`.
    #[serde(rename = "TakeSeatMode", skip_serializing_if = "Option::is_none")]
    pub take_seat_mode: Option<TakeSeatMode>,
    /// `CreateTime`: Unix seconds.
    #[serde(
        rename = "CreateTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<u64>,
    /// `IsPublicVisible`: listed publicly.
    #[serde(
        rename = "IsPublicVisible",
        default,
        with = "flexible_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_public_visible: Option<bool>,
    /// `CoverURL`.
    #[serde(rename = "CoverURL", skip_serializing_if = "Option::is_none")]
    pub cover_url: Option<String>,
    /// `Category`: integer tags.
    #[serde(rename = "Category", skip_serializing_if = "Option::is_none")]
    pub category: Option<Vec<i64>>,
    /// `ActivityStatus`: an app-defined status tag.
    #[serde(
        rename = "ActivityStatus",
        default,
        with = "flexible_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub activity_status: Option<i64>,
    /// `ViewCount`: room entries so far.
    #[serde(
        rename = "ViewCount",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub view_count: Option<u64>,
    /// `BackgroundURL`.
    #[serde(rename = "BackgroundURL", skip_serializing_if = "Option::is_none")]
    pub background_url: Option<String>,
    /// `IsUnlimitedRoomEnabled`: high-concurrency mode.
    #[serde(
        rename = "IsUnlimitedRoomEnabled",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_unlimited_room_enabled: Option<bool>,
    /// `EventTime` (ms), which one copy of the docs places inside `RoomInfo`.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// `Live.CallbackAfterCreateRoom`: a room was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterCreateRoom {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `Operator_Account`: who created it.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `RoomInfo`: the new room, its id in `room_info.room_id` (optional in [`RoomInfo`],
    /// which update events share; [`Event::room_id`](crate::Event::room_id) reads it).
    #[serde(rename = "RoomInfo")]
    pub room_info: RoomInfo,
    /// `EventTime`: Unix milliseconds (missing from some samples).
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// `Live.CallbackAfterDestroyRoom`: a room was dissolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterDestroyRoom {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `Operator_Account`: who dissolved it.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `EventType`: by a user or by the system.
    #[serde(rename = "EventType", skip_serializing_if = "Option::is_none")]
    pub event_type: Option<DestroyType>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
    /// `RoomInfo`: the room as it was (absent in older payloads).
    #[serde(rename = "RoomInfo", skip_serializing_if = "Option::is_none")]
    pub room_info: Option<RoomInfo>,
    /// `Statistic`: totals over the room's life (absent in older payloads).
    #[serde(rename = "Statistic", skip_serializing_if = "Option::is_none")]
    pub statistic: Option<RoomStatistic>,
}

/// End-of-room totals in [`AfterDestroyRoom`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoomStatistic {
    /// `TotalViewers`: entries (one user entering twice counts twice).
    #[serde(
        rename = "TotalViewers",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_viewers: Option<u64>,
    /// `TotalGiftsSent`.
    #[serde(
        rename = "TotalGiftsSent",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_gifts_sent: Option<u64>,
    /// `TotalGiftCoins`.
    #[serde(
        rename = "TotalGiftCoins",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_gift_coins: Option<u64>,
    /// `TotalUniqueGiftSenders`.
    #[serde(
        rename = "TotalUniqueGiftSenders",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_unique_gift_senders: Option<u64>,
    /// `TotalLikesReceived`.
    #[serde(
        rename = "TotalLikesReceived",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_likes_received: Option<u64>,
}

/// `Live.CallbackAfterUpdateRoomInfo`: room information changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterUpdateRoomInfo {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `Operator_Account`: who changed it.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `RoomInfo`: the room's fields (whether only the changed ones is not documented).
    #[serde(rename = "RoomInfo")]
    pub room_info: RoomInfo,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// One key and value in [`AfterSetMetadata`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetadataEntry {
    /// `Key`.
    #[serde(rename = "Key")]
    pub key: String,
    /// `Value`.
    #[serde(rename = "Value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `Live.CallbackAfterSetMetadata`: room metadata keys were set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterSetMetadata {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `Operator_Account`.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `Metadata`: the keys and values set.
    #[serde(rename = "Metadata", default)]
    pub metadata: Vec<MetadataEntry>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// `Live.CallbackAfterDelMetadata`: room metadata keys were deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterDelMetadata {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `Operator_Account`.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `Keys`: the deleted keys.
    #[serde(rename = "Keys", default)]
    pub keys: Vec<String>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// `Live.CallbackAfterCreateRoomReachingThreshold`: room creation reached the alert level
/// (70 %) of the app's room quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterCreateRoomReachingThreshold {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `Operator_Account`: whose create request crossed the threshold.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `CurRoomCount`: rooms now (a number, or a string of digits).
    #[serde(
        rename = "CurRoomCount",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub cur_room_count: Option<u64>,
    /// `MaxRoomCount`: the quota (a number, or a string of digits).
    #[serde(
        rename = "MaxRoomCount",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_room_count: Option<u64>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}
