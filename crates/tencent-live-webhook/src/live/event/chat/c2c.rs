//! One-to-one messages (`C2C.*`).

use alloc::string::String;
use alloc::vec::Vec;

use super::super::message::MsgElement;
use super::super::values::{AccountId, flexible_i64, flexible_u64, open_integer_enum};
use super::{chat_event, chat_struct};

chat_event! {
    /// `C2C.CallbackBeforeSendMsg`: a one-to-one message is about to be delivered; the
    /// reply decides (codes 120001–130000 pass through to the sender).
    pub struct C2cBeforeSendMsg {
        /// `From_Account`: the sender.
        "From_Account" => from_account: AccountId,
        /// `To_Account`: the recipient.
        "To_Account" => to_account: AccountId,
        /// `MsgSeq`: 32-bit sequence number.
        #[serde(with = "flexible_u64")]
        "MsgSeq" => msg_seq: u64,
        /// `MsgRandom`: 32-bit random number.
        #[serde(with = "flexible_u64")]
        "MsgRandom" => msg_random: u64,
        /// `MsgTime`: Unix seconds.
        #[serde(with = "flexible_u64")]
        "MsgTime" => msg_time: u64,
        /// `MsgKey`: the message's key (opaque; recalls use it).
        "MsgKey" => msg_key: String,
        /// `MsgId`: the client's message id (mainland pages).
        "MsgId" => msg_id: String,
        /// `OnlineOnlyFlag`: 1 for an online-only message.
        #[serde(with = "flexible_u64")]
        "OnlineOnlyFlag" => online_only_flag: u64,
        /// `MsgBody`: the message's elements.
        "MsgBody" => msg_body: Vec<MsgElement>,
        /// `CloudCustomData`: custom data stored with the message.
        "CloudCustomData" => cloud_custom_data: String,
    }
}

chat_event! {
    /// `C2C.CallbackAfterSendMsg`: a one-to-one message was delivered, or failed
    /// (`SendMsgResult`).
    pub struct C2cAfterSendMsg {
        /// `From_Account`: the sender.
        "From_Account" => from_account: AccountId,
        /// `To_Account`: the recipient.
        "To_Account" => to_account: AccountId,
        /// `MsgSeq`.
        #[serde(with = "flexible_u64")]
        "MsgSeq" => msg_seq: u64,
        /// `MsgRandom`.
        #[serde(with = "flexible_u64")]
        "MsgRandom" => msg_random: u64,
        /// `MsgTime`: Unix seconds.
        #[serde(with = "flexible_u64")]
        "MsgTime" => msg_time: u64,
        /// `MsgKey`.
        "MsgKey" => msg_key: String,
        /// `MsgId`: the client's message id.
        "MsgId" => msg_id: String,
        /// `OnlineOnlyFlag`.
        #[serde(with = "flexible_u64")]
        "OnlineOnlyFlag" => online_only_flag: u64,
        /// `MsgBody`.
        "MsgBody" => msg_body: Vec<MsgElement>,
        /// `CloudCustomData`.
        "CloudCustomData" => cloud_custom_data: String,
        /// `SendMsgResult`: 0 delivered, else the error code.
        #[serde(with = "flexible_i64")]
        "SendMsgResult" => send_msg_result: i64,
        /// `ErrorInfo`: the delivery's result in words (a request field, not the reply's).
        "ErrorInfo" => error_info: String,
        /// `UnreadMsgNum`: the recipient's unread count; -1 when delivery failed.
        #[serde(with = "flexible_i64")]
        "UnreadMsgNum" => unread_msg_num: i64,
    }
}

chat_event! {
    /// `C2C.CallbackAfterMsgReport`: a one-to-one conversation was marked read.
    pub struct C2cAfterMsgReport {
        /// `Report_Account`: who read.
        "Report_Account" => report_account: AccountId,
        /// `Peer_Account`: the other side.
        "Peer_Account" => peer_account: AccountId,
        /// `LastReadTime`: Unix seconds.
        #[serde(with = "flexible_u64")]
        "LastReadTime" => last_read_time: u64,
        /// `UnreadMsgNum`: the reader's unread count.
        #[serde(with = "flexible_i64")]
        "UnreadMsgNum" => unread_msg_num: i64,
    }
}

chat_event! {
    /// `C2C.CallbackAfterMsgWithDraw`: a one-to-one message was recalled.
    pub struct C2cAfterMsgWithDraw {
        /// `From_Account`.
        "From_Account" => from_account: AccountId,
        /// `To_Account`.
        "To_Account" => to_account: AccountId,
        /// `MsgKey`: the recalled message.
        "MsgKey" => msg_key: String,
        /// `UnreadMsgNum`: the recipient's unread count.
        #[serde(with = "flexible_i64")]
        "UnreadMsgNum" => unread_msg_num: i64,
    }
}

open_integer_enum! {
    /// `OperateType` of a message extension change.
    pub enum ExtensionOperation {
        /// `1`: keys were set.
        Set = 1,
        /// `2`: keys were deleted.
        Delete = 2,
        /// `3`: every key was cleared.
        Clear = 3,
    }
}

chat_struct! {
    /// One extension key (`ExtensionList[]`).
    pub struct MsgExtension {
        /// `Key`.
        "Key" => key: String,
        /// `Value`: empty for a deleted key.
        "Value" => value: String,
        /// `Seq`: the key's version.
        #[serde(with = "flexible_u64")]
        "Seq" => seq: u64,
    }
}

chat_event! {
    /// `C2C.CallbackAfterC2CMsgExtension`: a one-to-one message's extension keys changed.
    pub struct C2cAfterC2cMsgExtension {
        /// `From_Account`: the message's sender.
        "From_Account" => from_account: AccountId,
        /// `To_Account`: its recipient.
        "To_Account" => to_account: AccountId,
        /// `MsgKey`: the message.
        "MsgKey" => msg_key: String,
        /// `OperateType`: set, delete or clear.
        "OperateType" => operate_type: ExtensionOperation,
        /// `ExtensionList`: the keys changed (empty when cleared).
        "ExtensionList" => extension_list: Vec<MsgExtension>,
        /// `Seq`: the message's extension version.
        #[serde(with = "flexible_u64")]
        "Seq" => seq: u64,
    }
}
