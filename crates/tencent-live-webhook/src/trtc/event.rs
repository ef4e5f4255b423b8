//! The typed TRTC events: one struct per event group, its event type as a closed enum
//! (types this crate does not know go to [`Event::Unknown`]).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::values::{
    EnterReason, ExitReason, MediaId, RecorderLeaveCode, RelayStatus, Role, RoomId, TerminalType,
    TrackType, UserType, text_or_number,
};
use crate::live::event::RawJson;
use crate::live::event::values::flexible_u64;

/// A decoded TRTC event, by event group.
///
/// Groups and types this crate has no type for (groups 11 and 14, say, or a type Tencent
/// adds later) come as [`Event::Unknown`] with the body as received.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // one event per request; boxing would only add an allocation
pub enum Event {
    /// Group 1: a room was created or dissolved, a user entered, left or changed role.
    Room(RoomEvent),
    /// Group 2: a user started or stopped publishing video, audio or the sub-stream.
    Media(MediaEvent),
    /// Group 3: cloud recording.
    Recording(RecordingEvent),
    /// Group 4: relay to a CDN.
    Relay(RelayEvent),
    /// Group 7: an online media stream pulled into a room.
    StreamIngest(StreamIngestEvent),
    /// Group 8: web-page recording.
    WebRecording(WebRecordingEvent),
    /// Group 9: conversational AI and speech recognition.
    Ai(AiEvent),
    /// A group or type without a type here, kept as received.
    Unknown(UnknownEvent),
}

impl Event {
    /// `EventGroupId`.
    pub fn group(&self) -> i64 {
        match self {
            Event::Room(_) => 1,
            Event::Media(_) => 2,
            Event::Recording(_) => 3,
            Event::Relay(_) => 4,
            Event::StreamIngest(_) => 7,
            Event::WebRecording(_) => 8,
            Event::Ai(_) => 9,
            Event::Unknown(unknown) => unknown.group,
        }
    }

    /// `EventType`.
    pub fn event_type(&self) -> i64 {
        match self {
            Event::Room(event) => event.kind.code(),
            Event::Media(event) => event.kind.code(),
            Event::Recording(event) => event.kind.code(),
            Event::Relay(_) => 401,
            Event::StreamIngest(event) => event.kind.code(),
            Event::WebRecording(event) => event.kind.code(),
            Event::Ai(event) => event.kind.code(),
            Event::Unknown(unknown) => unknown.event_type,
        }
    }

    /// The room the event is about, when it names one.
    pub fn room_id(&self) -> Option<&RoomId> {
        match self {
            Event::Room(RoomEvent { info, .. }) | Event::Media(MediaEvent { info, .. }) => {
                info.room_id.as_ref()
            }
            Event::Recording(event) => event.info.room_id.as_ref(),
            Event::Relay(event) => event.info.room_id.as_ref(),
            Event::Ai(event) => event.info.room_id.as_ref(),
            Event::StreamIngest(_) | Event::WebRecording(_) | Event::Unknown(_) => None,
        }
    }

    /// When the event happened, Unix milliseconds: `EventMsTs` (or the seconds of
    /// `EventTs`, times 1000, where that is all the body has).
    pub fn event_ms(&self) -> Option<u64> {
        let (ms, secs) = match self {
            Event::Room(RoomEvent { info, .. }) | Event::Media(MediaEvent { info, .. }) => {
                (info.event_ms_ts, info.event_ts)
            }
            Event::Recording(event) => (event.info.event_ms_ts, event.info.event_ts),
            Event::Relay(event) => (event.info.event_ms_ts, None),
            Event::StreamIngest(event) => (event.info.event_ms_ts, None),
            Event::WebRecording(event) => (event.info.event_ms_ts, None),
            Event::Ai(event) => (event.info.event_ms_ts, None),
            Event::Unknown(_) => (None, None),
        };
        ms.or_else(|| secs.and_then(|secs| secs.checked_mul(1000)))
    }
}

/// A few words for people naming the documented event `group`/`event_type` (`video
/// start` for 2/201), `None` for one not documented.
///
/// ```
/// use tencent_live_webhook::trtc::event_label;
///
/// assert_eq!(event_label(2, 201), Some("video start"));
/// assert_eq!(event_label(4, 401), Some("CDN relay status"));
/// assert_eq!(event_label(2, 299), None);
/// ```
pub fn event_label(group: i64, event_type: i64) -> Option<&'static str> {
    match group {
        1 => RoomEventKind::from_code(event_type).map(|kind| kind.label()),
        2 => MediaEventKind::from_code(event_type).map(|kind| kind.label()),
        3 => RecordingEventKind::from_code(event_type).map(|kind| kind.label()),
        4 => (event_type == 401).then_some("CDN relay status"),
        7 => StreamIngestEventKind::from_code(event_type).map(|kind| kind.label()),
        8 => WebRecordingEventKind::from_code(event_type).map(|kind| kind.label()),
        9 => AiEventKind::from_code(event_type).map(|kind| kind.label()),
        _ => None,
    }
}

/// Defines the closed enum of a group's documented event types.
macro_rules! event_kinds {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $code:literal => $label:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )*
        }

        impl $name {
            /// The `EventType` code.
            pub fn code(&self) -> i64 {
                match self {
                    $( $name::$variant => $code, )*
                }
            }

            /// A few words for people (`video start`), as a console shows it.
            pub fn label(&self) -> &'static str {
                match self {
                    $( $name::$variant => $label, )*
                }
            }

            /// The kind for a documented code.
            pub fn from_code(code: i64) -> Option<$name> {
                match code {
                    $( $code => Some($name::$variant), )*
                    _ => None,
                }
            }
        }
    };
}

event_kinds! {
    /// The room events (group 1).
    pub enum RoomEventKind {
        /// `101`: a room was created.
        Created = 101 => "room created",
        /// `102`: the room was dissolved.
        Dismissed = 102 => "room dismissed",
        /// `103`: a user entered.
        Entered = 103 => "user entered",
        /// `104`: a user left (the only event when a user leaves: no stop-media events follow).
        Exited = 104 => "user left",
        /// `105`: a user changed role.
        RoleChanged = 105 => "role changed",
    }
}

event_kinds! {
    /// The media events (group 2).
    pub enum MediaEventKind {
        /// `201`: started publishing video.
        VideoStarted = 201 => "video start",
        /// `202`: stopped publishing video, staying in the room.
        VideoStopped = 202 => "video stop",
        /// `203`: started publishing audio.
        AudioStarted = 203 => "audio start",
        /// `204`: stopped publishing audio, staying in the room.
        AudioStopped = 204 => "audio stop",
        /// `205`: started publishing the sub-stream (usually a screen share).
        SubStreamStarted = 205 => "sub-stream start",
        /// `206`: stopped publishing the sub-stream.
        SubStreamStopped = 206 => "sub-stream stop",
    }
}

event_kinds! {
    /// The cloud recording events (group 3).
    pub enum RecordingEventKind {
        /// `301`: the recorder started (or failed to: see `Payload.Status`).
        RecorderStarted = 301 => "recorder start",
        /// `302`: the recorder left (see `Payload.LeaveCode`).
        RecorderStopped = 302 => "recorder stop",
        /// `303`: the upload module started.
        UploadStarted = 303 => "upload start",
        /// `304`: the first M3U8 index file was uploaded.
        FileInfo = 304 => "recording index uploaded",
        /// `305`: the upload finished.
        UploadStopped = 305 => "upload stop",
        /// `306`: the task moved to another machine.
        Failover = 306 => "recording failover",
        /// `307`: the M3U8 file got its first segment.
        FileSlice = 307 => "recording segment",
        /// `308`: the upload hit a storage error.
        UploadError = 308 => "upload error",
        /// `309`: an image the recording needs could not be downloaded.
        DownloadImageError = 309 => "image download error",
        /// `310`: an MP4 task finished (may come once per file).
        Mp4Stopped = 310 => "MP4 done",
        /// `311`: a file was uploaded to VOD.
        VodCommitted = 311 => "VOD file committed",
        /// `312`: the VOD recording task ended.
        VodStopped = 312 => "VOD recording stop",
    }
}

event_kinds! {
    /// The online media stream events (group 7).
    pub enum StreamIngestEventKind {
        /// `701`: the stream started (or failed, or is restarting: see `Status`).
        Started = 701 => "stream ingest start",
        /// `702`: the stream stopped.
        Stopped = 702 => "stream ingest stop",
    }
}

event_kinds! {
    /// The web-page recording events (group 8).
    pub enum WebRecordingEventKind {
        /// `801`: the task started (or failed to: see `Payload.Status`).
        Started = 801 => "web recording start",
        /// `802`: the task ended.
        Stopped = 802 => "web recording stop",
        /// `803`: the page was refreshed, paused or resumed.
        StatusChanged = 803 => "web recording status",
        /// `804`: a limit was reached (duration or resolution).
        LimitReached = 804 => "web recording limit",
    }
}

event_kinds! {
    /// The AI service events (group 9).
    pub enum AiEventKind {
        /// `901`: the task started (or failed to).
        TaskStarted = 901 => "AI task start",
        /// `902`: the task stopped.
        TaskStopped = 902 => "AI task stop",
        /// `903`: a full sentence was recognised or answered.
        Sentence = 903 => "AI sentence",
        /// `904`: a sentence started.
        SentenceStarted = 904 => "AI sentence start",
        /// `905`: the AI finished speaking for a round.
        SpeechFinished = 905 => "AI speech done",
        /// `906`: a metric.
        Metric = 906 => "AI metric",
        /// `908`: a metric error.
        MetricError = 908 => "AI metric error",
        /// `909`: the session is ready.
        SessionReady = 909 => "AI session ready",
    }
}

/// A room event (group 1).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RoomEvent {
    /// What happened.
    pub kind: RoomEventKind,
    /// The event's fields.
    pub info: UserEventInfo,
}

impl RoomEvent {
    /// `Reason`, read as an enter reason, on an enter event.
    pub fn enter_reason(&self) -> Option<EnterReason> {
        (self.kind == RoomEventKind::Entered)
            .then_some(self.info.reason)
            .flatten()
            .map(EnterReason::from)
    }

    /// `Reason`, read as an exit reason, on an exit event.
    pub fn exit_reason(&self) -> Option<ExitReason> {
        (self.kind == RoomEventKind::Exited)
            .then_some(self.info.reason)
            .flatten()
            .map(ExitReason::from)
    }
}

/// A media event (group 2).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MediaEvent {
    /// What happened.
    pub kind: MediaEventKind,
    /// The event's fields.
    pub info: UserEventInfo,
}

/// `EventInfo` of room and media events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserEventInfo {
    /// `RoomId`, in the type the client used.
    #[serde(rename = "RoomId", default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    /// `EventTs`: Unix seconds (kept by Tencent for compatibility).
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
    /// `UserId` (absent on a dismissal).
    #[serde(rename = "UserId", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `UniqueId`: one enter/exit episode, on apps that enabled callbacks before August
    /// 2021. Not an event id.
    #[serde(
        rename = "UniqueId",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub unique_id: Option<u64>,
    /// `Role`, on enter, exit and role change.
    #[serde(rename = "Role", default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// `TerminalType`, on enter.
    #[serde(
        rename = "TerminalType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub terminal_type: Option<TerminalType>,
    /// `UserType`, on enter.
    #[serde(rename = "UserType", default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
    /// `Reason`: on enter and exit (see [`RoomEvent::enter_reason`] and
    /// [`RoomEvent::exit_reason`]); `0` on the stop-media events, undocumented there.
    #[serde(rename = "Reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<i64>,
}

/// A cloud recording event (group 3).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordingEvent {
    /// What happened.
    pub kind: RecordingEventKind,
    /// The event's fields.
    pub info: RecordingInfo,
}

/// `EventInfo` of a cloud recording event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordingInfo {
    /// `RoomId`.
    #[serde(rename = "RoomId", default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    /// `EventTs`: Unix seconds (a string in some of Tencent's examples).
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
    /// `UserId`: the recording robot.
    #[serde(rename = "UserId", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `TaskId`: the recording task.
    #[serde(rename = "TaskId", default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// `Payload`: the fields of this event type.
    #[serde(rename = "Payload", default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<RecordingPayload>,
}

/// `Payload` of a cloud recording event: each event type fills some of these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordingPayload {
    /// `Status` (301, 303, 305, 306, 310, 311, 312): `0` is success everywhere.
    #[serde(rename = "Status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// `LeaveCode` (302; one page writes it on 305 instead of `Status`).
    #[serde(rename = "LeaveCode", default, skip_serializing_if = "Option::is_none")]
    pub leave_code: Option<RecorderLeaveCode>,
    /// `FileList`: one M3U8 name (304) or the files of an MP4 task (310).
    #[serde(rename = "FileList", default, skip_serializing_if = "Option::is_none")]
    pub file_list: Option<FileList>,
    /// `FileName` (307).
    #[serde(rename = "FileName", default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// `UserId` (307): whose stream.
    #[serde(rename = "UserId", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `TrackType` (307).
    #[serde(rename = "TrackType", default, skip_serializing_if = "Option::is_none")]
    pub track_type: Option<TrackType>,
    /// `BeginTimeStamp` (307): Unix milliseconds, a number or a string.
    #[serde(
        rename = "BeginTimeStamp",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub begin_time_stamp: Option<u64>,
    /// `Code` (308): the storage provider's error code.
    #[serde(rename = "Code", default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `Message` (308): the storage provider's error message.
    #[serde(rename = "Message", default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `Url` (309): the image that could not be fetched.
    #[serde(rename = "Url", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `FileMessage` (310): one entry per file.
    #[serde(
        rename = "FileMessage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub file_message: Option<Vec<RecordedFile>>,
    /// `Errmsg` (311, when `Status` is not 0).
    #[serde(rename = "Errmsg", default, skip_serializing_if = "Option::is_none")]
    pub errmsg: Option<String>,
    /// `TencentVod` (311): the file in VOD.
    #[serde(
        rename = "TencentVod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub tencent_vod: Option<VodFile>,
}

/// `FileList`: a string (304) or an array of strings (310).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FileList {
    /// One file name.
    One(String),
    /// Several file names.
    Many(Vec<String>),
}

/// One file of an MP4 recording task (`FileMessage` of 310).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordedFile {
    /// `FileName`.
    #[serde(rename = "FileName", default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// `UserId` (empty in mixed-stream mode).
    #[serde(rename = "UserId", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `TrackType`.
    #[serde(rename = "TrackType", default, skip_serializing_if = "Option::is_none")]
    pub track_type: Option<TrackType>,
    /// `MediaId`.
    #[serde(rename = "MediaId", default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<MediaId>,
    /// `StartTimeStamp`: Unix milliseconds.
    #[serde(
        rename = "StartTimeStamp",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time_stamp: Option<u64>,
    /// `EndTimeStamp`: Unix milliseconds.
    #[serde(
        rename = "EndTimeStamp",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time_stamp: Option<u64>,
}

/// A recorded file in VOD (`TencentVod` of 311).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VodFile {
    /// `UserId`.
    #[serde(rename = "UserId", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `TrackType`.
    #[serde(rename = "TrackType", default, skip_serializing_if = "Option::is_none")]
    pub track_type: Option<TrackType>,
    /// `MediaId`.
    #[serde(rename = "MediaId", default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<MediaId>,
    /// `FileId`: the VOD file id.
    #[serde(rename = "FileId", default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// `VideoUrl`.
    #[serde(rename = "VideoUrl", default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// `CacheFile`.
    #[serde(rename = "CacheFile", default, skip_serializing_if = "Option::is_none")]
    pub cache_file: Option<String>,
    /// `StartTimeStamp`: Unix milliseconds.
    #[serde(
        rename = "StartTimeStamp",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time_stamp: Option<u64>,
    /// `EndTimeStamp`: Unix milliseconds.
    #[serde(
        rename = "EndTimeStamp",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time_stamp: Option<u64>,
}

/// A relay-to-CDN event (group 4, type 401): the state of one push URL.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RelayEvent {
    /// The event's fields.
    pub info: RelayInfo,
}

/// `EventInfo` of a relay event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RelayInfo {
    /// `RoomId`.
    #[serde(rename = "RoomId", default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    /// `RoomType`: `0` numeric room id, `1` string room id.
    #[serde(rename = "RoomType", default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<i64>,
    /// `EventMsTs` (the page's example spells it `EventTsMs`): Unix milliseconds.
    #[serde(
        rename = "EventMsTs",
        alias = "EventTsMs",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// `UserId`: the relay robot.
    #[serde(rename = "UserId", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `TaskId` (a number in one table, a string in the example: kept as text).
    #[serde(
        rename = "TaskId",
        default,
        deserialize_with = "text_or_number::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub task_id: Option<String>,
    /// `Payload`: the push URL's state.
    #[serde(rename = "Payload", default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<RelayPayload>,
}

/// `Payload` of a relay event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RelayPayload {
    /// `Url`: the push URL.
    #[serde(rename = "Url", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `Status`: the state.
    #[serde(rename = "Status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RelayStatus>,
    /// `ErrorCode`.
    #[serde(rename = "ErrorCode", default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<i64>,
    /// `ErrorMsg`.
    #[serde(rename = "ErrorMsg", default, skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
}

/// An online media stream event (group 7).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StreamIngestEvent {
    /// What happened.
    pub kind: StreamIngestEventKind,
    /// The event's fields.
    pub info: StreamIngestInfo,
}

/// `EventInfo` of an online media stream event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamIngestInfo {
    /// `EventMsTs`: Unix milliseconds (a number or a string).
    #[serde(
        rename = "EventMsTs",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// `TaskId`.
    #[serde(rename = "TaskId", default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// `Status`: on 701, `0` started, `1` failed, `2` restarting; on 702, `0` stopped.
    #[serde(rename = "Status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
}

/// A web-page recording event (group 8).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WebRecordingEvent {
    /// What happened.
    pub kind: WebRecordingEventKind,
    /// The event's fields.
    pub info: WebRecordingInfo,
}

/// `EventInfo` of a web-page recording event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebRecordingInfo {
    /// `EventMsTs`: Unix milliseconds.
    #[serde(
        rename = "EventMsTs",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// `TaskId`.
    #[serde(rename = "TaskId", default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// `Payload`.
    #[serde(rename = "Payload", default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<WebRecordingPayload>,
}

/// `Payload` of a web-page recording event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebRecordingPayload {
    /// `Status`: its meaning depends on the event type (see Tencent's page).
    #[serde(rename = "Status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// `EventMessage`, such as `Success` or `PageRefresh`.
    #[serde(
        rename = "EventMessage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub event_message: Option<String>,
}

/// An AI service event (group 9).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AiEvent {
    /// What happened.
    pub kind: AiEventKind,
    /// The event's fields.
    pub info: AiInfo,
}

/// `EventInfo` of an AI service event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AiInfo {
    /// `EventMsTs`: Unix milliseconds (a number or a string).
    #[serde(
        rename = "EventMsTs",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_ms_ts: Option<u64>,
    /// `TaskId`.
    #[serde(rename = "TaskId", default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// `RoomId`: always a string here, even for a numeric room (see `room_id_type`).
    #[serde(rename = "RoomId", default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    /// `RoomIdType`: `0` numeric room, `1` string room.
    #[serde(
        rename = "RoomIdType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub room_id_type: Option<i64>,
    /// `Payload`: its fields differ for every type (sentences, metrics, status), kept as
    /// the exact JSON received.
    #[serde(rename = "Payload", default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<RawJson>,
}

/// An event of a group or type this crate has no type for, kept as received.
#[derive(Debug, Clone)]
pub struct UnknownEvent {
    pub(crate) group: i64,
    pub(crate) event_type: i64,
    pub(crate) body: Box<RawValue>,
}

impl UnknownEvent {
    /// `EventGroupId`.
    pub fn group(&self) -> i64 {
        self.group
    }

    /// `EventType`.
    pub fn event_type(&self) -> i64 {
        self.event_type
    }

    /// The body exactly as received.
    pub fn body(&self) -> &RawValue {
        &self.body
    }
}

impl PartialEq for UnknownEvent {
    fn eq(&self, other: &Self) -> bool {
        self.group == other.group
            && self.event_type == other.event_type
            && self.body.get() == other.body.get()
    }
}
