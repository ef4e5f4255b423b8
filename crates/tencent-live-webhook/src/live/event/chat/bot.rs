//! Chatbot accounts (`Bot.*`, `Chatbot.*`).

use alloc::string::String;
use alloc::vec::Vec;

use super::super::message::MsgElement;
use super::super::values::{AccountId, flexible_i64, flexible_u64};
use super::chat_event;
use super::group::GroupType;

chat_event! {
    /// `Bot.OnC2CMessage`: a one-to-one message reached a chatbot account.
    pub struct BotOnC2cMessage {
        /// `From_Account`.
        "From_Account" => from_account: AccountId,
        /// `To_Account`: the chatbot.
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
        /// `OnlineOnlyFlag`.
        #[serde(with = "flexible_u64")]
        "OnlineOnlyFlag" => online_only_flag: u64,
        /// `SendMsgResult`: 0 delivered.
        #[serde(with = "flexible_i64")]
        "SendMsgResult" => send_msg_result: i64,
        /// `ErrorInfo`: the delivery's result in words (a request field).
        "ErrorInfo" => error_info: String,
        /// `MsgBody`.
        "MsgBody" => msg_body: Vec<MsgElement>,
        /// `CloudCustomData`.
        "CloudCustomData" => cloud_custom_data: String,
    }
}

chat_event! {
    /// `Bot.OnGroupMessage`: a chatbot was @-mentioned in a group.
    pub struct BotOnGroupMessage [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `From_Account`.
        "From_Account" => from_account: AccountId,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `Random`.
        #[serde(with = "flexible_u64")]
        "Random" => random: u64,
        /// `MsgSeq`.
        #[serde(with = "flexible_u64")]
        "MsgSeq" => msg_seq: u64,
        /// `MsgTime`: Unix seconds.
        #[serde(with = "flexible_u64")]
        "MsgTime" => msg_time: u64,
        /// `OnlineOnlyFlag`.
        #[serde(with = "flexible_u64")]
        "OnlineOnlyFlag" => online_only_flag: u64,
        /// `MsgBody`.
        "MsgBody" => msg_body: Vec<MsgElement>,
        /// `AtRobots_Account`: the chatbots mentioned.
        "AtRobots_Account" => at_robots_account: Vec<AccountId>,
        /// `CloudCustomData`.
        "CloudCustomData" => cloud_custom_data: String,
        /// `TopicId`.
        "TopicId" => topic_id: String,
    }
}

chat_event! {
    /// `Chatbot.OnC2CSignalMessage`: a pass-through message reached the AI chatbot; the
    /// reply carries the answer ([`Reply::chatbot`](crate::Reply::chatbot)).
    pub struct ChatbotOnC2cSignalMessage {
        /// `From_Account`.
        "From_Account" => from_account: AccountId,
        /// `To_Account`: the chatbot.
        "To_Account" => to_account: AccountId,
        /// `MsgSeq`.
        #[serde(with = "flexible_u64")]
        "MsgSeq" => msg_seq: u64,
        /// `MsgRandom`.
        #[serde(with = "flexible_u64")]
        "MsgRandom" => msg_random: u64,
        /// `MsgKey`.
        "MsgKey" => msg_key: String,
        /// `Data`: the pass-through content (itself JSON text).
        "Data" => data: String,
    }
}
