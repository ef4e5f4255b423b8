//! The content of each message element type (`MsgContent` by `MsgType`), read on demand
//! from the exact JSON an element keeps.

use alloc::string::String;
use alloc::vec::Vec;

use super::super::message::MsgElement;
use super::super::raw::RawJson;
use super::super::values::{AccountId, MessageType, flexible_u64};
use super::chat_struct;

chat_struct! {
    /// `TIMTextElem`.
    pub struct TextElem {
        /// `Text`.
        "Text" => text: String,
    }
}

chat_struct! {
    /// `TIMFaceElem`: an emoji.
    pub struct FaceElem {
        /// `Index`.
        #[serde(with = "flexible_u64")]
        "Index" => index: u64,
        /// `Data`.
        "Data" => data: String,
    }
}

chat_struct! {
    /// `TIMLocationElem`.
    pub struct LocationElem {
        /// `Desc`.
        "Desc" => desc: String,
        /// `Latitude`.
        "Latitude" => latitude: f64,
        /// `Longitude`.
        "Longitude" => longitude: f64,
    }
}

chat_struct! {
    /// `TIMCustomElem`: app-defined data.
    pub struct CustomElem {
        /// `Data`.
        "Data" => data: String,
        /// `Desc`.
        "Desc" => desc: String,
        /// `Ext`.
        "Ext" => ext: String,
        /// `Sound`.
        "Sound" => sound: String,
    }
}

chat_struct! {
    /// One size of an image (`ImageInfoArray[]`).
    pub struct ImageInfo {
        /// `Type`: 1 original, 2 large, 3 thumbnail.
        #[serde(with = "flexible_u64")]
        "Type" => image_type: u64,
        /// `Size`: bytes.
        #[serde(with = "flexible_u64")]
        "Size" => size: u64,
        /// `Width`.
        #[serde(with = "flexible_u64")]
        "Width" => width: u64,
        /// `Height`.
        #[serde(with = "flexible_u64")]
        "Height" => height: u64,
        /// `URL` (upper case here, `Url` elsewhere).
        "URL" => url: String,
    }
}

chat_struct! {
    /// `TIMImageElem`.
    pub struct ImageElem {
        /// `UUID`.
        "UUID" => uuid: String,
        /// `ImageFormat`: JPG 1, GIF 2, PNG 3, BMP 4, other 255.
        #[serde(with = "flexible_u64")]
        "ImageFormat" => image_format: u64,
        /// `ImageInfoArray`.
        "ImageInfoArray" => image_info_array: Vec<ImageInfo>,
    }
}

chat_struct! {
    /// `TIMSoundElem`: a voice message.
    pub struct SoundElem {
        /// `Url`.
        "Url" => url: String,
        /// `UUID`.
        "UUID" => uuid: String,
        /// `Size`: bytes.
        #[serde(with = "flexible_u64")]
        "Size" => size: u64,
        /// `Second`: length.
        #[serde(with = "flexible_u64")]
        "Second" => second: u64,
        /// `Download_Flag`.
        #[serde(with = "flexible_u64")]
        "Download_Flag" => download_flag: u64,
    }
}

chat_struct! {
    /// `TIMFileElem`.
    pub struct FileElem {
        /// `Url`.
        "Url" => url: String,
        /// `UUID`.
        "UUID" => uuid: String,
        /// `FileSize`: bytes.
        #[serde(with = "flexible_u64")]
        "FileSize" => file_size: u64,
        /// `FileName` (a table writes `fileName`).
        #[serde(alias = "fileName")]
        "FileName" => file_name: String,
        /// `Download_Flag`.
        #[serde(with = "flexible_u64")]
        "Download_Flag" => download_flag: u64,
    }
}

chat_struct! {
    /// `TIMVideoFileElem`.
    pub struct VideoElem {
        /// `VideoUrl`.
        "VideoUrl" => video_url: String,
        /// `VideoUUID`.
        "VideoUUID" => video_uuid: String,
        /// `VideoSize`: bytes.
        #[serde(with = "flexible_u64")]
        "VideoSize" => video_size: u64,
        /// `VideoSecond`: 0 from Web clients.
        #[serde(with = "flexible_u64")]
        "VideoSecond" => video_second: u64,
        /// `VideoFormat`.
        "VideoFormat" => video_format: String,
        /// `VideoDownloadFlag`.
        #[serde(with = "flexible_u64")]
        "VideoDownloadFlag" => video_download_flag: u64,
        /// `ThumbUrl`.
        "ThumbUrl" => thumb_url: String,
        /// `ThumbUUID`.
        "ThumbUUID" => thumb_uuid: String,
        /// `ThumbSize`.
        #[serde(with = "flexible_u64")]
        "ThumbSize" => thumb_size: u64,
        /// `ThumbWidth`.
        #[serde(with = "flexible_u64")]
        "ThumbWidth" => thumb_width: u64,
        /// `ThumbHeight`.
        #[serde(with = "flexible_u64")]
        "ThumbHeight" => thumb_height: u64,
        /// `ThumbFormat`.
        "ThumbFormat" => thumb_format: String,
        /// `ThumbDownloadFlag`.
        #[serde(with = "flexible_u64")]
        "ThumbDownloadFlag" => thumb_download_flag: u64,
    }
}

chat_struct! {
    /// A message inside a combined one (`MsgList[]`).
    pub struct RelayedMsg {
        /// `From_Account`.
        "From_Account" => from_account: AccountId,
        /// `To_Account`: one-to-one messages.
        "To_Account" => to_account: AccountId,
        /// `GroupId`: group messages.
        "GroupId" => group_id: String,
        /// `MsgSeq`.
        #[serde(with = "flexible_u64")]
        "MsgSeq" => msg_seq: u64,
        /// `MsgRandom`.
        #[serde(with = "flexible_u64")]
        "MsgRandom" => msg_random: u64,
        /// `MsgTimeStamp`: Unix seconds.
        #[serde(with = "flexible_u64")]
        "MsgTimeStamp" => msg_time_stamp: u64,
        /// `MsgBody`: its elements.
        "MsgBody" => msg_body: Vec<MsgElement>,
        /// `CloudCustomData`.
        "CloudCustomData" => cloud_custom_data: String,
    }
}

chat_struct! {
    /// `TIMRelayElem`: combined, forwarded messages.
    pub struct RelayElem {
        /// `Title`.
        "Title" => title: String,
        /// `MsgNum`.
        #[serde(with = "flexible_u64")]
        "MsgNum" => msg_num: u64,
        /// `CompatibleText`: what older clients show.
        "CompatibleText" => compatible_text: String,
        /// `AbstractList`.
        "AbstractList" => abstract_list: Vec<String>,
        /// `MsgList`: the messages, unless they are too large (then `JsonMsgKey`).
        "MsgList" => msg_list: Vec<RelayedMsg>,
        /// `JsonMsgKey`: where the messages are kept when they exceed 12 KB.
        "JsonMsgKey" => json_msg_key: String,
    }
}

/// A message element's content, typed by its `MsgType`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MsgContent {
    /// `TIMTextElem`.
    Text(TextElem),
    /// `TIMFaceElem`.
    Face(FaceElem),
    /// `TIMLocationElem`.
    Location(LocationElem),
    /// `TIMCustomElem`.
    Custom(CustomElem),
    /// `TIMImageElem`.
    Image(ImageElem),
    /// `TIMSoundElem`.
    Sound(SoundElem),
    /// `TIMVideoFileElem`.
    Video(VideoElem),
    /// `TIMFileElem`.
    File(FileElem),
    /// `TIMRelayElem`.
    Relay(RelayElem),
    /// A type this crate does not know: its content as received.
    Unknown(RawJson),
}

impl MsgElement {
    /// The content, typed by `MsgType`; an error when it does not have the type's shape.
    ///
    /// ```
    /// use tencent_live_webhook::{MsgContent, MsgElement};
    ///
    /// let element: MsgElement = serde_json::from_str(
    ///     r#"{"MsgType":"TIMFaceElem","MsgContent":{"Index":1,"Data":"smile"}}"#,
    /// )?;
    /// let MsgContent::Face(face) = element.content()? else { panic!() };
    /// assert_eq!((face.index, face.data.as_deref()), (Some(1), Some("smile")));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn content(&self) -> Result<MsgContent, serde_json::Error> {
        let content = &self.msg_content;
        Ok(match self.msg_type {
            MessageType::Text => MsgContent::Text(content.parse()?),
            MessageType::Face => MsgContent::Face(content.parse()?),
            MessageType::Location => MsgContent::Location(content.parse()?),
            MessageType::Custom => MsgContent::Custom(content.parse()?),
            MessageType::Image => MsgContent::Image(content.parse()?),
            MessageType::Sound => MsgContent::Sound(content.parse()?),
            MessageType::Video => MsgContent::Video(content.parse()?),
            MessageType::File => MsgContent::File(content.parse()?),
            MessageType::Relay => MsgContent::Relay(content.parse()?),
            _ => MsgContent::Unknown(content.clone()),
        })
    }
}
