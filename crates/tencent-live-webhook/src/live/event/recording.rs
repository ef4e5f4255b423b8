//! The cloud recording status event.

use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::raw::RawJson;
use super::values::{
    AccountId, BodyCommand, RecordingEventGroup, RecordingEventType, flexible_u64,
};

/// `Live.CallbackAfterCloudRecordingChanged`: a room's cloud recording status changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterCloudRecordingChanged {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `EventGroupId`: cloud or page recording.
    #[serde(rename = "EventGroupId", skip_serializing_if = "Option::is_none")]
    pub event_group_id: Option<RecordingEventGroup>,
    /// `EventType`: the recording event code.
    #[serde(rename = "EventType")]
    pub event_type: RecordingEventType,
    /// `CallbackTs`: when the callback was sent, Unix milliseconds.
    #[serde(
        rename = "CallbackTs",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub callback_ts: Option<u64>,
    /// `EventInfo`: the details.
    #[serde(rename = "EventInfo", skip_serializing_if = "Option::is_none")]
    pub event_info: Option<RecordingEventInfo>,
}

/// The details of a recording event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordingEventInfo {
    /// `RoomId`.
    #[serde(rename = "RoomId", skip_serializing_if = "Option::is_none")]
    pub room_id: Option<AccountId>,
    /// `EventTs`: Unix seconds.
    #[serde(
        rename = "EventTs",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ts: Option<u64>,
    /// `EventMsTs`: Unix milliseconds.
    #[serde(
        rename = "EventMsTs",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// `UserId`: the recorder's user id.
    #[serde(rename = "UserId", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<AccountId>,
    /// `TaskId`: the recording task.
    #[serde(rename = "TaskId", skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// `Payload`: event-specific details, kept as the exact JSON text received.
    #[serde(rename = "Payload", skip_serializing_if = "Option::is_none")]
    pub payload: Option<RawJson>,
}
