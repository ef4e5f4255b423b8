//! Login state, profiles and the relationship chain (`State.*`, `Profile.*`, `Sns.*`).

use alloc::string::String;
use alloc::vec::Vec;

use super::super::values::{AccountId, flexible_u64};
use super::{TextOrNumber, chat_event, chat_struct};
use crate::live::platform::Platform;

/// A profile item's `Value`: text, or an unsigned integer, depending on its tag.
pub type ProfileValue = TextOrNumber;

chat_struct! {
    /// `Info` of a state change.
    pub struct StateInfo {
        /// `Action`: `Login`, `Logout` or `Disconnect`.
        "Action" => action: String,
        /// `To_Account`: the user whose state changed.
        "To_Account" => to_account: AccountId,
        /// `Reason`: `Register`, `Unregister`, `LinkClose` or `TimeOut`.
        "Reason" => reason: String,
    }
}

chat_struct! {
    /// A device a login pushed out (`KickedDevice[]`).
    pub struct KickedDevice {
        /// `Platform`: `iOS`, `Android`, `Web`, `Windows`, `iPad`, `Mac`, `Linux`, ... as
        /// sent ([`KickedDevice::platform`] reads it).
        "Platform" => platform_name: String,
    }
}

impl KickedDevice {
    /// The platform, read as `OptPlatform` is (any case; `macOS` is [`Platform::Mac`]).
    pub fn platform(&self) -> Option<Platform> {
        self.platform_name.as_deref().and_then(Platform::parse)
    }
}

chat_event! {
    /// `State.StateChange`: a user logged in, logged out or was disconnected.
    pub struct StateChange {
        /// `Info`: what happened to whom.
        "Info" => info: StateInfo,
        /// `KickedDevice`: devices a login with `Reason` `Register` pushed out.
        "KickedDevice" => kicked_device: Vec<KickedDevice>,
    }
}

chat_struct! {
    /// One changed profile field (`ProfileItem[]`).
    pub struct ProfileItem {
        /// `Tag`: the field, such as `Tag_Profile_IM_Nick`.
        "Tag" => tag: String,
        /// `Value`: text or a number, by tag.
        "Value" => value: ProfileValue,
    }
}

chat_event! {
    /// `Profile.CallbackPortraitSet`: a user's profile fields were updated.
    pub struct ProfilePortraitSet {
        /// `Operator_Account`: who made the change.
        "Operator_Account" => operator_account: AccountId,
        /// `From_Account`: whose profile changed.
        "From_Account" => from_account: AccountId,
        /// `ProfileItem`: the fields updated.
        "ProfileItem" => profile_item: Vec<ProfileItem>,
    }
}

chat_struct! {
    /// One target of a friend request (`FriendItem[]`).
    pub struct FriendItem {
        /// `To_Account`: the user to add.
        "To_Account" => to_account: AccountId,
        /// `Remark`: the remark the requester sets.
        "Remark" => remark: String,
        /// `GroupName`: the friend list it goes in.
        "GroupName" => group_name: String,
        /// `AddSource`: such as `AddSource_Type_Android`.
        "AddSource" => add_source: String,
        /// `AddWording`: the request's text.
        "AddWording" => add_wording: String,
    }
}

chat_event! {
    /// `Sns.CallbackPrevFriendAdd`: a user is about to add friends; the reply decides per
    /// target ([`Reply::friend_results`](crate::Reply::friend_results)).
    pub struct SnsPrevFriendAdd {
        /// `Requester_Account`: who sent the request.
        "Requester_Account" => requester_account: AccountId,
        /// `From_Account`: who adds friends.
        "From_Account" => from_account: AccountId,
        /// `FriendItem`: one item per target.
        "FriendItem" => friend_item: Vec<FriendItem>,
        /// `AddType`: `Add_Type_Single` or `Add_Type_Both`.
        "AddType" => add_type: String,
        /// `ForceAddFlags`: 1 when an admin forces the add.
        #[serde(with = "flexible_u64")]
        "ForceAddFlags" => force_add_flags: u64,
    }
}

chat_struct! {
    /// One answered request (`ResponseFriendItem[]`).
    pub struct ResponseFriendItem {
        /// `To_Account`: the requester being answered.
        "To_Account" => to_account: AccountId,
        /// `Remark`.
        "Remark" => remark: String,
        /// `TagName`: the friend list (`GroupName` in the request's callback).
        "TagName" => tag_name: String,
        /// `ResponseAction`: `Response_Action_AgreeAndAdd`, `Response_Action_Agree` or
        /// `Response_Action_Reject`.
        "ResponseAction" => response_action: String,
    }
}

chat_event! {
    /// `Sns.CallbackPrevFriendResponse`: a user is about to answer friend requests; the
    /// reply decides per requester.
    pub struct SnsPrevFriendResponse {
        /// `Requester_Account`: who sent the requests.
        "Requester_Account" => requester_account: AccountId,
        /// `From_Account`: the user answering.
        "From_Account" => from_account: AccountId,
        /// `ResponseFriendItem`: the answers.
        "ResponseFriendItem" => response_friend_item: Vec<ResponseFriendItem>,
    }
}

chat_struct! {
    /// A pair of users (`PairList[]`).
    pub struct FriendPair {
        /// `From_Account`.
        "From_Account" => from_account: AccountId,
        /// `To_Account`.
        "To_Account" => to_account: AccountId,
        /// `Initiator_Account`: who started it (friend adds only).
        "Initiator_Account" => initiator_account: AccountId,
    }
}

chat_event! {
    /// `Sns.CallbackFriendAdd`: friendships were made.
    pub struct SnsFriendAdd {
        /// `PairList`: `From_Account` added `To_Account`.
        "PairList" => pair_list: Vec<FriendPair>,
        /// `ClientCmd`: `friend_add`/`FriendAdd` or `friend_response`/`FriendResponse`.
        "ClientCmd" => client_cmd: String,
        /// `Admin_Account`: the admin when the backend did it, else empty.
        "Admin_Account" => admin_account: AccountId,
        /// `ForceFlag`: 1 when an admin forced it.
        #[serde(with = "flexible_u64")]
        "ForceFlag" => force_flag: u64,
    }
}

chat_event! {
    /// `Sns.CallbackFriendDelete`: friendships were ended.
    pub struct SnsFriendDelete {
        /// `PairList`: `To_Account` left `From_Account`'s friends.
        "PairList" => pair_list: Vec<FriendPair>,
    }
}

chat_event! {
    /// `Sns.CallbackBlackListAdd`: users were blocked.
    pub struct SnsBlackListAdd {
        /// `PairList`: `From_Account` blocked `To_Account`.
        "PairList" => pair_list: Vec<FriendPair>,
    }
}

chat_event! {
    /// `Sns.CallbackBlackListDelete`: users were unblocked.
    pub struct SnsBlackListDelete {
        /// `PairList`: `From_Account` unblocked `To_Account`.
        "PairList" => pair_list: Vec<FriendPair>,
    }
}
