//! Field types shared by the events: account ids, flexible numbers and open enums.

use alloc::string::{String, ToString};
use core::fmt;
use core::ops::Deref;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A user account id (`*_Account`), kept exactly as sent.
///
/// The docs type these as strings, but samples carry bare integers above 2^53 (for
/// example `144115216631667826`). Both forms are accepted and kept as their decimal
/// text, never passed through a float; serialization always writes a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct AccountId(String);

impl AccountId {
    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id's text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl Deref for AccountId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for AccountId {
    fn from(id: &str) -> Self {
        AccountId(id.into())
    }
}

impl From<String> for AccountId {
    fn from(id: String) -> Self {
        AccountId(id)
    }
}

impl PartialEq<str> for AccountId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for AccountId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for AccountId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = AccountId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an account id as a string or an integer")
            }
            fn visit_str<E: de::Error>(self, id: &str) -> Result<AccountId, E> {
                Ok(AccountId(id.into()))
            }
            fn visit_string<E: de::Error>(self, id: String) -> Result<AccountId, E> {
                Ok(AccountId(id))
            }
            fn visit_u64<E: de::Error>(self, id: u64) -> Result<AccountId, E> {
                Ok(AccountId(id.to_string()))
            }
            fn visit_i64<E: de::Error>(self, id: i64) -> Result<AccountId, E> {
                Ok(AccountId(id.to_string()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<AccountId, E> {
                Err(E::custom(
                    "account id is a number that cannot be kept exactly (fraction, exponent or above 2^64)",
                ))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

/// The `CallbackCommand` a body states, kept beside the event it came with.
///
/// It is not part of the event's identity (the command is the event's variant), so any two
/// compare equal: an event decoded from a body without `CallbackCommand` equals the same
/// event decoded from a body with it.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(transparent)]
pub(crate) struct BodyCommand(pub(crate) Option<crate::live::command::Command>);

impl PartialEq for BodyCommand {
    fn eq(&self, _: &BodyCommand) -> bool {
        true
    }
}

impl Eq for BodyCommand {}

/// `Option<u64>` from an integer or a string of digits (`EventTime` is both in the samples).
pub(crate) mod flexible_u64 {
    use super::{Deserializer, Serializer, Visitor, de, fmt};

    #[allow(clippy::ref_option)] // serde's `serialize_with` passes a reference to the field
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<u64>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_u64(*value),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<u64>, D::Error> {
        struct FlexVisitor;
        impl<'de> Visitor<'de> for FlexVisitor {
            type Value = Option<u64>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative integer, as a number or a string of digits")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<u64>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<u64>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Option<u64>, D::Error> {
                deserializer.deserialize_any(self)
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Option<u64>, E> {
                Ok(Some(value))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Option<u64>, E> {
                u64::try_from(value).map(Some).map_err(|_| {
                    E::custom("negative value where a non-negative integer is expected")
                })
            }
            fn visit_str<E: de::Error>(self, digits: &str) -> Result<Option<u64>, E> {
                crate::live::query::parse_decimal(digits)
                    .map(Some)
                    .ok_or_else(|| {
                        if !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()) {
                            E::custom("string of digits is above 2^64")
                        } else {
                            E::invalid_type(de::Unexpected::Str(digits), &self)
                        }
                    })
            }
        }
        deserializer.deserialize_option(FlexVisitor)
    }
}

/// `Option<i64>` from an integer or a string holding one.
pub(crate) mod flexible_i64 {
    use super::{Deserializer, Serializer, Visitor, de, fmt};

    #[allow(clippy::ref_option)] // serde's `serialize_with` passes a reference to the field
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<i64>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_i64(*value),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        struct FlexVisitor;
        impl<'de> Visitor<'de> for FlexVisitor {
            type Value = Option<i64>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, as a number or a string")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<i64>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Option<i64>, D::Error> {
                deserializer.deserialize_any(self)
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Option<i64>, E> {
                Ok(Some(value))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Option<i64>, E> {
                i64::try_from(value)
                    .map(Some)
                    .map_err(|_| E::custom("integer above 2^63"))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Option<i64>, E> {
                let (negative, digits) = match text.strip_prefix('-') {
                    Some(digits) => (true, digits),
                    None => (false, text),
                };
                let magnitude = crate::live::query::parse_decimal(digits)
                    .and_then(|magnitude| i64::try_from(magnitude).ok());
                magnitude
                    .map(|magnitude| Some(if negative { -magnitude } else { magnitude }))
                    .ok_or_else(|| E::invalid_type(de::Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_option(FlexVisitor)
    }
}

/// `Option<bool>` from a boolean or the strings `"true"` and `"false"` (Tencent's pages
/// write both).
pub(crate) mod flexible_bool {
    use super::{Deserializer, Serializer, Visitor, de, fmt};

    // serde's `serialize_with` passes a reference to the field
    #[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<bool>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_bool(*value),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<bool>, D::Error> {
        struct FlexVisitor;
        impl<'de> Visitor<'de> for FlexVisitor {
            type Value = Option<bool>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean, or the string \"true\" or \"false\"")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<bool>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<bool>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Option<bool>, D::Error> {
                deserializer.deserialize_any(self)
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Option<bool>, E> {
                Ok(Some(value))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Option<bool>, E> {
                match text {
                    "true" => Ok(Some(true)),
                    "false" => Ok(Some(false)),
                    _ => Err(E::invalid_type(de::Unexpected::Str(text), &self)),
                }
            }
        }
        deserializer.deserialize_option(FlexVisitor)
    }
}

/// Defines an enum over documented string values with an `Other` arm that keeps the text.
macro_rules! open_string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A value this crate does not know, kept as received.
            Other(alloc::string::String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(text) => text,
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $( $text => $name::$variant, )*
                    other => $name::Other(other.into()),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct TextVisitor;
                impl serde::de::Visitor<'_> for TextVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$name, E> {
                        Ok($name::from(text))
                    }
                }
                deserializer.deserialize_str(TextVisitor)
            }
        }
    };
}

/// Defines an enum over documented integer codes with an `Other` arm that keeps the code.
macro_rules! open_integer_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $code:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A code this crate does not know, kept as received.
            Other(i64),
        }

        impl $name {
            /// The code as sent on the wire.
            pub fn code(&self) -> i64 {
                match self {
                    $( $name::$variant => $code, )*
                    $name::Other(code) => *code,
                }
            }
        }

        impl From<i64> for $name {
            fn from(code: i64) -> Self {
                match code {
                    $( $code => $name::$variant, )*
                    other => $name::Other(other),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok($name::from(i64::deserialize(deserializer)?))
            }
        }
    };
}

pub(crate) use {open_integer_enum, open_string_enum};

open_string_enum! {
    /// `RoomType` (and a message's `Type`): Live rooms always say `Live`.
    pub enum RoomType {
        /// `Live`.
        Live = "Live",
    }
}

open_string_enum! {
    /// `TakeSeatMode`: how a user gets a seat.
    pub enum TakeSeatMode {
        /// `None`: seats are not used.
        None = "None",
        /// `FreeToTake`: anyone may take a free seat.
        FreeToTake = "FreeToTake",
        /// `ApplyToTake`: the owner or an admin must approve.
        ApplyToTake = "ApplyToTake",
    }
}

open_string_enum! {
    /// `EventType` of a room destruction: who ended the room.
    pub enum DestroyType {
        /// `DestroyByUser`: the owner or an admin dissolved it.
        DestroyByUser = "DestroyByUser",
        /// `DestroyBySystem`: the system dissolved it (for example, the room was empty).
        DestroyBySystem = "DestroyBySystem",
    }
}

open_string_enum! {
    /// `EventType` of a member state change.
    pub enum MemberEventType {
        /// `Online`.
        Online = "Online",
        /// `Offline`.
        Offline = "Offline",
    }
}

open_string_enum! {
    /// `EventCause` of a member state change.
    pub enum MemberEventCause {
        /// `Enter`: the member entered the room.
        Enter = "Enter",
        /// `Leave`: the member left.
        Leave = "Leave",
        /// `HeartbeatInterrupt`: the member's heartbeat stopped.
        HeartbeatInterrupt = "HeartbeatInterrupt",
        /// `HeartbeatRecover`: the member's heartbeat came back.
        HeartbeatRecover = "HeartbeatRecover",
        /// `Kicked`: removed by the owner or an admin (documented on one page only).
        Kicked = "Kicked",
    }
}

open_string_enum! {
    /// `opType` of an admin change.
    pub enum AdminOperation {
        /// `add`.
        Add = "add",
        /// `delete`.
        Delete = "delete",
    }
}

open_string_enum! {
    /// `MsgType` of a message element.
    pub enum MessageType {
        /// `TIMTextElem`: text.
        Text = "TIMTextElem",
        /// `TIMCustomElem`: app-defined data.
        Custom = "TIMCustomElem",
        /// `TIMFaceElem`: an emoji.
        Face = "TIMFaceElem",
        /// `TIMLocationElem`: a location.
        Location = "TIMLocationElem",
        /// `TIMImageElem`: an image.
        Image = "TIMImageElem",
        /// `TIMSoundElem`: a voice message.
        Sound = "TIMSoundElem",
        /// `TIMVideoFileElem`: a video.
        Video = "TIMVideoFileElem",
        /// `TIMFileElem`: a file.
        File = "TIMFileElem",
        /// `TIMRelayElem`: combined, forwarded messages.
        Relay = "TIMRelayElem",
    }
}

open_integer_enum! {
    /// `OpType` of a battle end: why it ended.
    pub enum BattleEndReason {
        /// `0`: the battle ran its full time.
        TimeUp = 0,
        /// `1`: every owner left after the start.
        AllOwnersLeft = 1,
        /// `2`: it never started because nobody joined.
        NobodyJoined = 2,
    }
}

open_integer_enum! {
    /// `EventGroupId` of a recording event.
    pub enum RecordingEventGroup {
        /// `3`: cloud recording.
        CloudRecording = 3,
        /// `8`: page (web) recording.
        PageRecording = 8,
    }
}

open_integer_enum! {
    /// `EventType` of a recording event (TRTC cloud recording codes).
    pub enum RecordingEventType {
        /// `301`: the recorder started.
        RecorderStarted = 301,
        /// `302`: the recorder exited.
        RecorderStopped = 302,
        /// `303`: upload started.
        UploadStarted = 303,
        /// `304`: the first m3u8 index was uploaded.
        FirstIndexUploaded = 304,
        /// `305`: upload finished.
        UploadFinished = 305,
        /// `306`: the task moved to another machine.
        TaskMigrated = 306,
        /// `307`: the first segment was written.
        FirstSegmentCreated = 307,
        /// `311`: the VOD commit finished.
        VodCommitted = 311,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_keep_digits_beyond_f64_precision() {
        let ids: alloc::vec::Vec<AccountId> =
            serde_json::from_str(r#"[144115216631667826, "user3", 18446744073709551615, -5]"#)
                .unwrap();
        assert_eq!(ids[0], "144115216631667826");
        assert_eq!(ids[1], "user3");
        assert_eq!(ids[2], "18446744073709551615");
        assert_eq!(ids[3], "-5");
        assert_eq!(
            serde_json::to_string(&ids[0]).unwrap(),
            r#""144115216631667826""#
        );
    }

    #[test]
    fn account_ids_refuse_numbers_that_would_lose_digits() {
        for bad in ["18446744073709551616", "1.5", "1e3", "true", "null", "{}"] {
            assert!(serde_json::from_str::<AccountId>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn open_enums_keep_unknown_values() {
        assert_eq!(TakeSeatMode::from("ApplyToTake"), TakeSeatMode::ApplyToTake);
        let other: TakeSeatMode = serde_json::from_str(r#""InviteOnly""#).unwrap();
        assert_eq!(other, TakeSeatMode::Other("InviteOnly".into()));
        assert_eq!(serde_json::to_string(&other).unwrap(), r#""InviteOnly""#);
        let code: RecordingEventType = serde_json::from_str("399").unwrap();
        assert_eq!(code, RecordingEventType::Other(399));
        assert_eq!(serde_json::to_string(&code).unwrap(), "399");
        assert_eq!(BattleEndReason::from(2), BattleEndReason::NobodyJoined);
    }
}
