//! Official accounts, also called official channels (`OfficialAccount.*`).

use alloc::string::String;
use alloc::vec::Vec;

use super::super::message::MsgElement;
use super::super::values::{AccountId, flexible_u64};
use super::{chat_event, chat_struct};

chat_struct! {
    /// A subscriber (`SubscribeAccountList[]`).
    pub struct Subscriber {
        /// `Subscriber_Account`.
        "Subscriber_Account" => subscriber_account: AccountId,
    }
}

chat_struct! {
    /// A recalled broadcast (`WithdrawMsgList[]`).
    pub struct WithdrawnMsg {
        /// `MsgKey`.
        "MsgKey" => msg_key: String,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackBeforeCreateOfficialAccount`: an official account is about
    /// to be created; the reply decides (codes 120001–130000 pass through).
    pub struct OfficialAccountBeforeCreateOfficialAccount {
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `Owner_Account`.
        "Owner_Account" => owner_account: AccountId,
        /// `Name`.
        "Name" => name: String,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackAfterCreateOfficialAccount`: an official account was
    /// created.
    pub struct OfficialAccountAfterCreateOfficialAccount [room = official_account] {
        /// `Official_Account`.
        "Official_Account" => official_account: String,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `Owner_Account`.
        "Owner_Account" => owner_account: AccountId,
        /// `Name`.
        "Name" => name: String,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`: its profile changed.
    pub struct OfficialAccountAfterOfficialAccountInfoChanged [room = official_account] {
        /// `Official_Account`.
        "Official_Account" => official_account: String,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `Introduction`.
        "Introduction" => introduction: String,
        /// `Name`.
        "Name" => name: String,
        /// `FaceUrl`.
        "FaceUrl" => face_url: String,
        /// `Organization`.
        "Organization" => organization: String,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackAfterOfficialAccountDestroyed`: it was destroyed.
    pub struct OfficialAccountAfterOfficialAccountDestroyed [room = official_account] {
        /// `Official_Account`.
        "Official_Account" => official_account: String,
        /// `Owner_Account`.
        "Owner_Account" => owner_account: AccountId,
        /// `Name`.
        "Name" => name: String,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackBeforeAddSubscriber`: users are about to subscribe; the
    /// reply decides, and may refuse some of them
    /// ([`Reply::subscribe_except`](crate::Reply::subscribe_except)).
    pub struct OfficialAccountBeforeAddSubscriber [room = official_account] {
        /// `Official_Account`.
        "Official_Account" => official_account: String,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `SubscribeAccountList`.
        "SubscribeAccountList" => subscribe_account_list: Vec<Subscriber>,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackAfterAddSubscriber`: users subscribed.
    pub struct OfficialAccountAfterAddSubscriber [room = official_account] {
        /// `Official_Account`.
        "Official_Account" => official_account: String,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `SubscribeAccountList`.
        "SubscribeAccountList" => subscribe_account_list: Vec<Subscriber>,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackAfterOfficialAccountFull`: the subscriber limit was reached.
    pub struct OfficialAccountAfterOfficialAccountFull [room = official_account] {
        /// `Official_Account`.
        "Official_Account" => official_account: String,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackAfterDeleteSubscriber`: users unsubscribed or were removed.
    pub struct OfficialAccountAfterDeleteSubscriber [room = official_account] {
        /// `Official_Account`.
        "Official_Account" => official_account: String,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `SubscribeAccountList`.
        "SubscribeAccountList" => subscribe_account_list: Vec<Subscriber>,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackBeforeSendMsg`: a broadcast is about to be sent; the reply
    /// decides (codes 120001–130000 pass through; the body may be replaced).
    pub struct OfficialAccountBeforeSendMsg [room = official_account] {
        /// `Official_Account`.
        "Official_Account" => official_account: String,
        /// `OnlineOnlyFlag`.
        #[serde(with = "flexible_u64")]
        "OnlineOnlyFlag" => online_only_flag: u64,
        /// `MsgBody`.
        "MsgBody" => msg_body: Vec<MsgElement>,
        /// `CloudCustomData`.
        "CloudCustomData" => cloud_custom_data: String,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackAfterSendMsg`: a broadcast was delivered.
    pub struct OfficialAccountAfterSendMsg [room = official_account] {
        /// `Official_Account`.
        "Official_Account" => official_account: String,
        /// `MsgKey`.
        "MsgKey" => msg_key: String,
        /// `MsgTime`: Unix seconds.
        #[serde(with = "flexible_u64")]
        "MsgTime" => msg_time: u64,
        /// `OnlineOnlyFlag`.
        #[serde(with = "flexible_u64")]
        "OnlineOnlyFlag" => online_only_flag: u64,
        /// `MsgBody`.
        "MsgBody" => msg_body: Vec<MsgElement>,
        /// `CloudCustomData`.
        "CloudCustomData" => cloud_custom_data: String,
    }
}

chat_event! {
    /// `OfficialAccount.CallbackAfterMsgWithDraw`: broadcasts were recalled.
    pub struct OfficialAccountAfterMsgWithDraw [room = official_account] {
        /// `Official_Account`.
        "Official_Account" => official_account: String,
        /// `WithdrawMsgList`.
        "WithdrawMsgList" => withdraw_msg_list: Vec<WithdrawnMsg>,
    }
}
