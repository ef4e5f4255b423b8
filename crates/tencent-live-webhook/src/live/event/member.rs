//! User and seat events: member state, owner change, admin change, seat list.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::values::{
    AccountId, AdminOperation, BodyCommand, MemberEventCause, MemberEventType, flexible_bool,
    flexible_u64,
};

/// One member in [`AfterMemberStateChanged`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Member {
    /// `Member_Account`.
    #[serde(rename = "Member_Account")]
    pub member_account: AccountId,
}

/// `Live.CallbackAfterMemberStateChanged`: members went online or offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterMemberStateChanged {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `EventType`: `Online` or `Offline`.
    #[serde(rename = "EventType", skip_serializing_if = "Option::is_none")]
    pub event_type: Option<MemberEventType>,
    /// `EventCause`: enter, leave, heartbeat lost or back, kicked.
    #[serde(rename = "EventCause", skip_serializing_if = "Option::is_none")]
    pub event_cause: Option<MemberEventCause>,
    /// `MemberList`: the members concerned.
    #[serde(rename = "MemberList", default)]
    pub member_list: Vec<Member>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// `Live.CallbackAfterChangeOwner`: room ownership moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterChangeOwner {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `CurrentOwner_Account`: the new owner.
    #[serde(
        rename = "CurrentOwner_Account",
        skip_serializing_if = "Option::is_none"
    )]
    pub current_owner_account: Option<AccountId>,
    /// `OriginalOwner_Account`: the previous owner.
    #[serde(
        rename = "OriginalOwner_Account",
        skip_serializing_if = "Option::is_none"
    )]
    pub original_owner_account: Option<AccountId>,
    /// `Operator_Account`: who made the change.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// `Live.CallbackAfterModifyAdmin`: administrators were added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterModifyAdmin {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `Admin_Account`: the users whose role changed.
    #[serde(rename = "Admin_Account", default)]
    pub admin_account: Vec<AccountId>,
    /// `opType` (lower camel case on the wire): `add` or `delete`.
    #[serde(rename = "opType", skip_serializing_if = "Option::is_none")]
    pub op_type: Option<AdminOperation>,
    /// `Operator_Account`: who made the change.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// One seat in [`AfterSeatInfoChanged`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Seat {
    /// `Index`: the seat number.
    #[serde(rename = "Index")]
    pub index: u32,
    /// `Member_Account`: who sits there; absent (or empty) for a free seat.
    #[serde(rename = "Member_Account", skip_serializing_if = "Option::is_none")]
    pub member_account: Option<AccountId>,
    /// `IsTakenDisabled`: the seat is locked.
    #[serde(
        rename = "IsTakenDisabled",
        default,
        with = "flexible_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_taken_disabled: Option<bool>,
    /// `IsVideoDisabled`: video from this seat is forbidden.
    #[serde(
        rename = "IsVideoDisabled",
        default,
        with = "flexible_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_video_disabled: Option<bool>,
    /// `IsAudioDisabled`: audio from this seat is forbidden.
    #[serde(
        rename = "IsAudioDisabled",
        default,
        with = "flexible_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_audio_disabled: Option<bool>,
}

/// `Mic.CallbackAfterSeatInfoChanged`: the seat list changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterSeatInfoChanged {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `SeatList`: the seats after the change.
    #[serde(rename = "SeatList", default)]
    pub seat_list: Vec<Seat>,
    /// `Operator_Account`: present in the Conference copy of this event.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}
