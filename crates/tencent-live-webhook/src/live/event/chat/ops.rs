//! Operations: quota alarms, moderation results and push-delivery reports (`Alert.*`,
//! `ContentCallback.*`, `Push.*`).

use alloc::string::String;
use alloc::vec::Vec;

use super::super::values::{AccountId, flexible_i64, flexible_u64, open_integer_enum};
use super::{chat_event, chat_struct};

chat_event! {
    /// `Alert.RequestOverLimit`: a REST API passed 80 % of its rate limit.
    pub struct AlertRequestOverLimit {
        /// `ServiceName`: such as `openim`.
        "ServiceName" => service_name: String,
        /// `Command`: the API, such as `batchsendmsg`.
        "Command" => command: String,
        /// `Request`: requests per second now.
        #[serde(with = "flexible_u64")]
        "Request" => request: u64,
        /// `Limit`: the threshold per second.
        #[serde(with = "flexible_u64")]
        "Limit" => limit: u64,
    }
}

chat_struct! {
    /// Where moderated content was sent (`ContactItem`).
    pub struct ContactItem {
        /// `ContactType`: 1 one-to-one, 2 group.
        #[serde(with = "flexible_u64")]
        "ContactType" => contact_type: u64,
        /// `To_Account`: for one-to-one messages.
        "To_Account" => to_account: AccountId,
        /// `ToGroupId`: for group messages.
        "ToGroupId" => to_group_id: String,
    }
}

chat_event! {
    /// `ContentCallback.ResultNotify`: a content-moderation result. The body has no
    /// `CallbackCommand`: the URL's names it.
    pub struct ContentCallbackResultNotify {
        /// `Scene`: `C2C`, `Group`, `UserInfo`, ...
        "Scene" => scene: String,
        /// `SdkAppId`: the app (a number here, unlike the URL's `SdkAppid`).
        #[serde(with = "flexible_u64")]
        "SdkAppId" => sdk_app_id: u64,
        /// `From_Account`: who wrote the content.
        "From_Account" => from_account: AccountId,
        /// `ContactItem`: where it was sent.
        "ContactItem" => contact_item: ContactItem,
        /// `ContentType`: `Text`, `Image`, `Audio` or `Video`.
        "ContentType" => content_type: String,
        /// `TextContent`: the texts.
        "TextContent" => text_content: Vec<String>,
        /// `FileURL`: the file, for media.
        "FileURL" => file_url: String,
        /// `MsgID`: the message's key (one-to-one) or sequence (group).
        "MsgID" => msg_id: String,
        /// `CtxcbResult`: 1 blocked, 0 passed.
        #[serde(with = "flexible_i64")]
        "CtxcbResult" => ctxcb_result: i64,
        /// `CtxcbRequestId`.
        "CtxcbRequestId" => ctxcb_request_id: String,
        /// `CtxcbKeywords`: the words that hit.
        "CtxcbKeywords" => ctxcb_keywords: Vec<String>,
        /// `CtxcbSuggestion`: `Block`, `Review` or `Normal`.
        "CtxcbSuggestion" => ctxcb_suggestion: String,
        /// `CtxcbLabel`: the category.
        "CtxcbLabel" => ctxcb_label: String,
        /// `CtxcbSubLabel`.
        "CtxcbSubLabel" => ctxcb_sub_label: String,
        /// `CtxcbSubLabelDesc`.
        "CtxcbSubLabelDesc" => ctxcb_sub_label_desc: String,
        /// `CtxcbLibName`.
        "CtxcbLibName" => ctxcb_lib_name: String,
        /// `CloudCustomData`.
        "CloudCustomData" => cloud_custom_data: String,
    }
}

open_integer_enum! {
    /// `PushPlatform`: the vendor channel a push went through.
    pub enum PushPlatform {
        /// `0`: unknown (or an online push).
        Unknown = 0,
        /// `1`: Apple's APNs.
        Apns = 1,
        /// `2`: Xiaomi.
        Xiaomi = 2,
        /// `3`: Huawei.
        Huawei = 3,
        /// `4`: Google's FCM.
        Fcm = 4,
        /// `5`: Meizu.
        Meizu = 5,
        /// `6`: OPPO.
        Oppo = 6,
        /// `7`: vivo.
        Vivo = 7,
        /// `8`: Honor.
        Honor = 8,
    }
}

open_integer_enum! {
    /// `PushStage`: how far a push got.
    pub enum PushStage {
        /// `1`: sent.
        Sent = 1,
        /// `2`: delivered to the device.
        Delivered = 2,
        /// `3`: clicked.
        Clicked = 3,
    }
}

chat_struct! {
    /// One push of a message (`Events[]` of `Push.OfflinePush`). Its `EventTime` is in
    /// seconds.
    pub struct OfflinePushEvent {
        /// `CallbackCommand`: `Push.OfflinePush`.
        "CallbackCommand" => callback_command: String,
        /// `EventType`: 1 one-to-one, 2 group.
        #[serde(with = "flexible_u64")]
        "EventType" => event_type: u64,
        /// `EventTime`: Unix **seconds**.
        #[serde(with = "flexible_u64")]
        "EventTime" => event_time: u64,
        /// `From_Account`: the sender.
        "From_Account" => from_account: AccountId,
        /// `To_Account`: who was pushed to.
        "To_Account" => to_account: AccountId,
        /// `PushPlatform`.
        "PushPlatform" => push_platform: PushPlatform,
        /// `PushStage`.
        "PushStage" => push_stage: PushStage,
        /// `MsgKey`: one-to-one messages only.
        "MsgKey" => msg_key: String,
        /// `GroupID` (so spelled here): group messages only.
        "GroupID" => group_id: String,
        /// `MsgSeq`.
        #[serde(with = "flexible_u64")]
        "MsgSeq" => msg_seq: u64,
        /// `MsgRandom`.
        #[serde(with = "flexible_u64")]
        "MsgRandom" => msg_random: u64,
        /// `MsgTime`: Unix seconds.
        #[serde(with = "flexible_u64")]
        "MsgTime" => msg_time: u64,
        /// `PushID`.
        "PushID" => push_id: String,
        /// `ErrCode`: 0 on success (`ErrCode`, not `ErrorCode`).
        #[serde(with = "flexible_i64")]
        "ErrCode" => err_code: i64,
        /// `ErrInfo`.
        "ErrInfo" => err_info: String,
    }
}

chat_struct! {
    /// One push of an all-user, tag or single push task (`Events[]` of
    /// `Push.AllMemberPush`). Its `EventTime` is in seconds.
    pub struct AllMemberPushEvent {
        /// `CallbackCommand`: `Push.AllMemberPush`.
        "CallbackCommand" => callback_command: String,
        /// `EventType`: 1 offline push, 2 online push.
        #[serde(with = "flexible_u64")]
        "EventType" => event_type: u64,
        /// `TaskId`: the push task.
        "TaskId" => task_id: String,
        /// `DataId`: the app's id passed with the push.
        "DataId" => data_id: String,
        /// `TaskTime`: Unix seconds.
        #[serde(with = "flexible_u64")]
        "TaskTime" => task_time: u64,
        /// `EventTime`: Unix **seconds**.
        #[serde(with = "flexible_u64")]
        "EventTime" => event_time: u64,
        /// `To_Account`.
        "To_Account" => to_account: AccountId,
        /// `PushPlatform`.
        "PushPlatform" => push_platform: PushPlatform,
        /// `DeviceType`.
        "DeviceType" => device_type: PushPlatform,
        /// `PushStage`.
        "PushStage" => push_stage: PushStage,
        /// `ErrCode`: 0 on success.
        #[serde(with = "flexible_i64")]
        "ErrCode" => err_code: i64,
        /// `ErrInfo`.
        "ErrInfo" => err_info: String,
    }
}

chat_event! {
    /// `Push.OfflinePush`: up to 100 push reports for messages, in one body whose command
    /// is only in the URL and in each event.
    pub struct PushOfflinePush {
        /// `Events`.
        "Events" => events: Vec<OfflinePushEvent>,
    }
}

chat_event! {
    /// `Push.AllMemberPush`: up to 100 push reports for push tasks.
    pub struct PushAllMemberPush {
        /// `Events`.
        "Events" => events: Vec<AllMemberPushEvent>,
    }
}
