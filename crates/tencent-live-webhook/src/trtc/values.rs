//! Field types of TRTC callbacks: room ids of either JSON type and open enums for the
//! documented codes.

use alloc::string::{String, ToString};
use core::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::live::event::values::{open_integer_enum, open_string_enum};

/// A TRTC room id, in the JSON type the client chose: a numeric room gives a number, a
/// string room (`strRoomId`) a string. The two are different rooms even with the same
/// digits, so the type is kept, and serializing writes it back the same way.
///
/// ```
/// use tencent_live_webhook::trtc::RoomId;
///
/// let number: RoomId = serde_json::from_str("123")?;
/// let text: RoomId = serde_json::from_str("\"123\"")?;
/// assert_ne!(number, text);
/// assert_eq!((number.to_string(), text.to_string()), ("123".into(), "123".into()));
/// assert_eq!(serde_json::to_string(&text)?, "\"123\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoomId {
    /// A numeric room id.
    Number(u64),
    /// A string room id.
    Text(String),
}

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoomId::Number(number) => write!(f, "{number}"),
            RoomId::Text(text) => f.write_str(text),
        }
    }
}

impl Serialize for RoomId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RoomId::Number(number) => serializer.serialize_u64(*number),
            RoomId::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for RoomId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RoomVisitor;
        impl Visitor<'_> for RoomVisitor {
            type Value = RoomId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a room id as a non-negative integer or a string")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<RoomId, E> {
                Ok(RoomId::Text(text.into()))
            }
            fn visit_string<E: de::Error>(self, text: String) -> Result<RoomId, E> {
                Ok(RoomId::Text(text))
            }
            fn visit_u64<E: de::Error>(self, number: u64) -> Result<RoomId, E> {
                Ok(RoomId::Number(number))
            }
            fn visit_i64<E: de::Error>(self, number: i64) -> Result<RoomId, E> {
                u64::try_from(number)
                    .map(RoomId::Number)
                    .map_err(|_| E::custom("negative room id"))
            }
        }
        deserializer.deserialize_any(RoomVisitor)
    }
}

/// A text field that some pages show as a number (`TaskId` of a relay event): either is
/// kept as its text.
pub(crate) mod text_or_number {
    use super::{Deserializer, String, ToString, Visitor, de, fmt};

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Option<String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an integer")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Option<String>, D::Error> {
                deserializer.deserialize_any(self)
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Option<String>, E> {
                Ok(Some(text.into()))
            }
            fn visit_u64<E: de::Error>(self, number: u64) -> Result<Option<String>, E> {
                Ok(Some(number.to_string()))
            }
            fn visit_i64<E: de::Error>(self, number: i64) -> Result<Option<String>, E> {
                Ok(Some(number.to_string()))
            }
        }
        deserializer.deserialize_option(TextVisitor)
    }
}

open_integer_enum! {
    /// `Role` of a user in a room.
    pub enum Role {
        /// `20`: anchor (`MEMBER_TRTC_ANCHOR`).
        Anchor = 20,
        /// `21`: audience (`MEMBER_TRTC_VIEWER`).
        Audience = 21,
    }
}

open_integer_enum! {
    /// `TerminalType`: the device a user entered from.
    pub enum TerminalType {
        /// `1`: Windows.
        Windows = 1,
        /// `2`: Android.
        Android = 2,
        /// `3`: iOS.
        Ios = 3,
        /// `4`: Linux.
        Linux = 4,
        /// `100`: another device.
        OtherDevice = 100,
    }
}

open_integer_enum! {
    /// `UserType`: the kind of SDK a user entered with.
    pub enum UserType {
        /// `1`: WebRTC (a browser).
        WebRtc = 1,
        /// `2`: a WeChat mini program.
        MiniProgram = 2,
        /// `3`: a native SDK.
        NativeSdk = 3,
    }
}

open_integer_enum! {
    /// `Reason` of an enter event (103).
    pub enum EnterReason {
        /// `1`: a normal entry.
        Normal = 1,
        /// `2`: re-entry after a network change.
        NetworkChange = 2,
        /// `3`: re-entry after a timeout.
        AfterTimeout = 3,
        /// `4`: entry for cross-room co-anchoring.
        CrossRoom = 4,
    }
}

open_integer_enum! {
    /// `Reason` of an exit event (104).
    pub enum ExitReason {
        /// `1`: a normal exit.
        Normal = 1,
        /// `2`: timed out (also what Android reports for a killed app).
        Timeout = 2,
        /// `3`: removed from the room.
        Kicked = 3,
        /// `4`: cross-room co-anchoring ended.
        CrossRoomEnded = 4,
        /// `5`: the app's process was killed.
        ProcessKilled = 5,
    }
}

open_integer_enum! {
    /// `Payload.LeaveCode` of a recorder stop (302): why the recording robot left.
    pub enum RecorderLeaveCode {
        /// `0`: stopped through the API.
        StoppedByApi = 0,
        /// `1`: the app removed the robot.
        KickedByApp = 1,
        /// `2`: the app dissolved the room.
        RoomDismissedByApp = 2,
        /// `3`: the server removed the robot.
        KickedByServer = 3,
        /// `4`: the server dissolved the room.
        RoomDismissedByServer = 4,
        /// `99`: no other user published for the configured time.
        NoStreams = 99,
        /// `100`: the room timed out.
        RoomTimeout = 100,
        /// `101`: the same user entered the same room again.
        ReEntered = 101,
    }
}

open_integer_enum! {
    /// `Payload.Status` of a relay-to-CDN event (401): the state of one push URL.
    pub enum RelayStatus {
        /// `0`: not started, or ended.
        Idle = 0,
        /// `1`: connecting to the CDN (repeated every 5 s, up to 60 s).
        Connecting = 1,
        /// `2`: publishing.
        Running = 2,
        /// `3`: interrupted, reconnecting (repeated every 5 s, up to 60 s).
        Recovering = 3,
        /// `4`: failed.
        Failure = 4,
        /// `5`: being removed; `0` follows.
        Disconnecting = 5,
    }
}

open_string_enum! {
    /// `TrackType` of a recorded file.
    pub enum TrackType {
        /// `audio`.
        Audio = "audio",
        /// `video`.
        Video = "video",
        /// `audio_video`.
        AudioVideo = "audio_video",
    }
}

open_string_enum! {
    /// `MediaId` of a recorded file: which stream it holds.
    pub enum MediaId {
        /// `main`: the camera.
        Main = "main",
        /// `aux`: the screen share.
        Aux = "aux",
        /// `mix`: the mixed recording.
        Mix = "mix",
    }
}
