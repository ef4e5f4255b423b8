//! Calls (`TUICallKit`, `Call.*`) and customer service (`Desk.*`): other products that use
//! the same envelope and signature.

use alloc::string::String;
use alloc::vec::Vec;

use super::super::message::MsgElement;
use super::super::values::{AccountId, flexible_bool, flexible_u64, open_string_enum};
use super::{TextOrNumber, chat_event, chat_struct};

chat_struct! {
    /// A call (`CallInfo`).
    pub struct CallInfo {
        /// `CallId`.
        "CallId" => call_id: String,
        /// `CallMediaType`: `Audio` or `Video` (a table calls it `MediaType`).
        #[serde(alias = "MediaType")]
        "CallMediaType" => call_media_type: String,
        /// `ChatGroupId`.
        "ChatGroupId" => chat_group_id: String,
        /// `RoomId`.
        "RoomId" => room_id: String,
        /// `RoomIdType`: 1 numeric, 2 string.
        #[serde(with = "flexible_u64")]
        "RoomIdType" => room_id_type: u64,
    }
}

chat_struct! {
    /// A user in a call (`UserList[]`).
    pub struct CallUser {
        /// `User_Account`.
        "User_Account" => user_account: AccountId,
        /// `Status`: `Calling` or `Waiting`.
        "Status" => status: String,
    }
}

open_string_enum! {
    /// `ActionType` of a call member change.
    pub enum CallAction {
        /// `Accept`.
        Accept = "Accept",
        /// `Reject`.
        Reject = "Reject",
        /// `NotAnswer`.
        NotAnswer = "NotAnswer",
        /// `Hangup` (also written `HangUp`).
        Hangup = "Hangup",
        /// `HangUp`.
        HangUp = "HangUp",
        /// `Join`.
        Join = "Join",
        /// `Offline`.
        Offline = "Offline",
        /// `Invite`.
        Invite = "Invite",
        /// `Cancel_Invite`.
        CancelInvite = "Cancel_Invite",
    }
}

chat_struct! {
    /// A member whose state changed (`ChangedUserList[]`).
    pub struct CallMemberChange {
        /// `User_Account`.
        "User_Account" => user_account: AccountId,
        /// `ActionType`.
        "ActionType" => action_type: CallAction,
    }
}

chat_struct! {
    /// A finished call (`CallRecord`).
    pub struct CallRecord {
        /// `CallId`.
        "CallId" => call_id: String,
        /// `Caller_Account`.
        "Caller_Account" => caller_account: AccountId,
        /// `MediaType`: `Audio` or `Video`.
        "MediaType" => media_type: String,
        /// `CallType`: `SingleCall` or `MultiCall`.
        "CallType" => call_type: String,
        /// `StartTime`: Unix seconds.
        #[serde(with = "flexible_u64")]
        "StartTime" => start_time: u64,
        /// `EndTime`: Unix seconds.
        #[serde(with = "flexible_u64")]
        "EndTime" => end_time: u64,
        /// `AcceptTime`: Unix seconds, 0 if never accepted.
        #[serde(with = "flexible_u64")]
        "AcceptTime" => accept_time: u64,
        /// `CallResult`: text in the example (`NotAnswer`), an integer in the table.
        "CallResult" => call_result: TextOrNumber,
        /// `CalleeList_Account`.
        "CalleeList_Account" => callee_list_account: Vec<AccountId>,
        /// `RoomId`.
        "RoomId" => room_id: String,
        /// `RoomIdType`: 1 numeric, 2 string.
        #[serde(with = "flexible_u64")]
        "RoomIdType" => room_id_type: u64,
    }
}

chat_event! {
    /// `Call.CallbackAfterStartCall`: a call started.
    pub struct CallAfterStartCall {
        /// `CallInfo`.
        "CallInfo" => call_info: CallInfo,
        /// `UserList`.
        "UserList" => user_list: Vec<CallUser>,
    }
}

chat_event! {
    /// `Call.CallbackAfterEndCall`: a call ended.
    pub struct CallAfterEndCall {
        /// `CallRecord`.
        "CallRecord" => call_record: CallRecord,
    }
}

chat_event! {
    /// `Call.CallbackAfterMemberChanged`: members of a call changed state.
    pub struct CallAfterMemberChanged {
        /// `CallId`.
        "CallId" => call_id: String,
        /// `UserList`: everyone in the call.
        "UserList" => user_list: Vec<CallUser>,
        /// `ChangedUserList`: those who changed.
        "ChangedUserList" => changed_user_list: Vec<CallMemberChange>,
    }
}

chat_event! {
    /// `Desk.SessionEventNotify`: a customer-service session event. Its URL may carry a
    /// `RequestID` to tell retries apart.
    pub struct DeskSessionEventNotify {
        /// `SessionId`.
        "SessionId" => session_id: String,
        /// `Event`: such as `ChatBot.UserSendMsg`.
        "Event" => event: String,
        /// `ChannelType`: such as `SDK`.
        "ChannelType" => channel_type: String,
        /// `ClientUserId`.
        "ClientUserId" => client_user_id: String,
        /// `CustomerServiceId`.
        "CustomerServiceId" => customer_service_id: String,
        /// `AgentId`.
        "AgentId" => agent_id: String,
        /// `MsgKey`.
        "MsgKey" => msg_key: String,
        /// `MsgBody`.
        "MsgBody" => msg_body: Vec<MsgElement>,
        /// `CloudCustomData`.
        "CloudCustomData" => cloud_custom_data: String,
        /// `IsContactUser`.
        #[serde(with = "flexible_bool")]
        "IsContactUser" => is_contact_user: bool,
        /// `SatisfactionSelected`.
        #[serde(with = "flexible_u64")]
        "SatisfactionSelected" => satisfaction_selected: u64,
        /// `ForwardFromAgentId`.
        "ForwardFromAgentId" => forward_from_agent_id: String,
    }
}
