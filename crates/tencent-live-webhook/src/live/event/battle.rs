//! Battle (PK) events: created, started, ended.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::values::{
    AccountId, BattleEndReason, BodyCommand, flexible_bool, flexible_i64, flexible_u64,
};

/// `Live.CallbackAfterCreateBattle`: a battle was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterCreateBattle {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `Operator_Account`: who asked for the battle.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `BattleId`.
    #[serde(rename = "BattleId")]
    pub battle_id: String,
    /// `FromRoomId`: the caller's room.
    #[serde(rename = "FromRoomId", skip_serializing_if = "Option::is_none")]
    pub from_room_id: Option<String>,
    /// `ToRoomIdList`: the invited rooms.
    #[serde(rename = "ToRoomIdList", default)]
    pub to_room_id_list: Vec<String>,
    /// `Timeout`: milliseconds the invited rooms have to answer.
    #[serde(
        rename = "Timeout",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub timeout: Option<u64>,
    /// `Duration`: battle length once started, milliseconds.
    #[serde(
        rename = "Duration",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<u64>,
    /// `NeedResponse`: whether the battle waits for the invited rooms.
    #[serde(
        rename = "NeedResponse",
        default,
        with = "flexible_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub need_response: Option<bool>,
    /// `ExtensionInfo`: app data.
    #[serde(rename = "ExtensionInfo", skip_serializing_if = "Option::is_none")]
    pub extension_info: Option<String>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// One side of a battle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BattleRoom {
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `Owner_Account`: the room's owner.
    #[serde(rename = "Owner_Account", skip_serializing_if = "Option::is_none")]
    pub owner_account: Option<AccountId>,
    /// `Score`: the room's battle score (end events only).
    #[serde(
        rename = "Score",
        default,
        with = "flexible_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub score: Option<i64>,
}

/// `Live.CallbackAfterStartBattle`: a battle started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterStartBattle {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `BattleId`.
    #[serde(rename = "BattleId")]
    pub battle_id: String,
    /// `Duration`: milliseconds.
    #[serde(
        rename = "Duration",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<u64>,
    /// `CreateTime`: Unix seconds.
    #[serde(
        rename = "CreateTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<u64>,
    /// `StartTime`: Unix seconds.
    #[serde(
        rename = "StartTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<u64>,
    /// `FromRoomInfo`: the caller's side.
    #[serde(rename = "FromRoomInfo", skip_serializing_if = "Option::is_none")]
    pub from_room_info: Option<BattleRoom>,
    /// `ToRoomList`: the invited sides.
    #[serde(rename = "ToRoomList", default)]
    pub to_room_list: Vec<BattleRoom>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// `Live.CallbackAfterEndBattle`: a battle ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterEndBattle {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `BattleId`.
    #[serde(rename = "BattleId")]
    pub battle_id: String,
    /// `Duration`: milliseconds.
    #[serde(
        rename = "Duration",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<u64>,
    /// `CreateTime`: Unix seconds.
    #[serde(
        rename = "CreateTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<u64>,
    /// `StartTime`: Unix seconds.
    #[serde(
        rename = "StartTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<u64>,
    /// `EndTime`: Unix seconds.
    #[serde(
        rename = "EndTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<u64>,
    /// `OpType`: why the battle ended.
    #[serde(rename = "OpType", skip_serializing_if = "Option::is_none")]
    pub op_type: Option<BattleEndReason>,
    /// `FromRoomInfo`: the caller's side, with its score.
    #[serde(rename = "FromRoomInfo", skip_serializing_if = "Option::is_none")]
    pub from_room_info: Option<BattleRoom>,
    /// `ToRoomList`: the invited sides, with their scores.
    #[serde(rename = "ToRoomList", default)]
    pub to_room_list: Vec<BattleRoom>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}
