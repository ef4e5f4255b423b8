//! Groups and community topics (`Group.*`, except the two message words Live rooms share,
//! which are [`BeforeSendMsg`](crate::BeforeSendMsg) and [`AfterSendMsg`](crate::AfterSendMsg)).

use alloc::string::String;
use alloc::vec::Vec;

use super::super::message::MsgElement;
use super::super::values::{AccountId, flexible_i64, flexible_u64, open_string_enum};
use super::{chat_event, chat_struct};

open_string_enum! {
    /// A group's `Type`. The pages name both the current and the older spellings.
    pub enum GroupType {
        /// `Work` (formerly `Private`).
        Work = "Work",
        /// `Private`: the older name of `Work`.
        Private = "Private",
        /// `Public`.
        Public = "Public",
        /// `Meeting` (formerly `ChatRoom`).
        Meeting = "Meeting",
        /// `ChatRoom`: the older name of `Meeting`.
        ChatRoom = "ChatRoom",
        /// `AVChatRoom`: an audio-video group.
        AvChatRoom = "AVChatRoom",
        /// `BChatRoom`: an older broadcast group.
        BChatRoom = "BChatRoom",
        /// `Community`: a community, with topics.
        Community = "Community",
        /// `Live`: a `TUILiveKit` room.
        Live = "Live",
    }
}

chat_struct! {
    /// A member (`MemberList[]`, `NewMemberList[]`, `ExitMemberList[]`, ...).
    pub struct GroupMember {
        /// `Member_Account`.
        "Member_Account" => member_account: AccountId,
    }
}

chat_struct! {
    /// An app-defined field set at creation (`UserDefinedDataList[]`).
    pub struct UserDefinedData {
        /// `Key`.
        "Key" => key: String,
        /// `Value`.
        "Value" => value: String,
    }
}

chat_struct! {
    /// An @-mention of a group message (`GroupAtInfo[]`).
    pub struct GroupAt {
        /// `GroupAtAllFlag`: 1 for @all (then no account), 0 for one member.
        #[serde(with = "flexible_u64")]
        "GroupAtAllFlag" => group_at_all_flag: u64,
        /// `GroupAt_Account`: the member mentioned.
        "GroupAt_Account" => group_at_account: AccountId,
    }
}

chat_event! {
    /// `Group.CallbackBeforeCreateGroup`: a group is about to be created; the reply decides
    /// (codes 10100–10200 pass through).
    pub struct GroupBeforeCreateGroup {
        /// `Operator_Account`: who asked.
        "Operator_Account" => operator_account: AccountId,
        /// `Owner_Account`: the owner asked for.
        "Owner_Account" => owner_account: AccountId,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Name`.
        "Name" => name: String,
        /// `CreateGroupNum`: groups of this type the user already created.
        #[serde(with = "flexible_u64")]
        "CreateGroupNum" => create_group_num: u64,
        /// `MemberList`: the first members.
        "MemberList" => member_list: Vec<GroupMember>,
    }
}

chat_event! {
    /// `Group.CallbackAfterCreateGroup`: a group was created.
    pub struct GroupAfterCreateGroup [room = group_id] {
        /// `GroupId` (one table writes `groupID`).
        #[serde(alias = "groupID")]
        "GroupId" => group_id: String,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `Owner_Account`.
        "Owner_Account" => owner_account: AccountId,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Name`.
        "Name" => name: String,
        /// `MemberList`: the first members.
        "MemberList" => member_list: Vec<GroupMember>,
        /// `UserDefinedDataList`: app-defined fields set at creation.
        "UserDefinedDataList" => user_defined_data_list: Vec<UserDefinedData>,
    }
}

chat_event! {
    /// `Group.CallbackBeforeApplyJoinGroup`: a user asks to join; the reply decides.
    pub struct GroupBeforeApplyJoinGroup [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Requestor_Account` (spelled so here, `Requester` in friend callbacks).
        "Requestor_Account" => requestor_account: AccountId,
    }
}

chat_event! {
    /// `Group.CallbackBeforeInviteJoinGroup`: users are about to be invited or added; the
    /// reply decides, and may refuse some of them
    /// ([`Reply::invite_except`](crate::Reply::invite_except)).
    pub struct GroupBeforeInviteJoinGroup [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Operator_Account`: the inviter.
        "Operator_Account" => operator_account: AccountId,
        /// `DestinationMembers`: the invitees.
        "DestinationMembers" => destination_members: Vec<GroupMember>,
    }
}

chat_event! {
    /// `Group.CallbackAfterNewMemberJoin`: members joined.
    pub struct GroupAfterNewMemberJoin [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `JoinType`: `Apply` or `Invited`.
        "JoinType" => join_type: String,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `NewMemberList`.
        "NewMemberList" => new_member_list: Vec<GroupMember>,
    }
}

chat_event! {
    /// `Group.CallbackAfterMemberExit`: members quit or were removed.
    pub struct GroupAfterMemberExit [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `ExitType`: `Kicked` or `Quit`.
        "ExitType" => exit_type: String,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `ExitMemberList`.
        "ExitMemberList" => exit_member_list: Vec<GroupMember>,
    }
}

chat_event! {
    /// `Group.CallbackAfterGroupFull`: the group reached its member limit.
    pub struct GroupAfterGroupFull [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
    }
}

chat_event! {
    /// `Group.CallbackAfterGroupDestroyed`: the group was disbanded.
    pub struct GroupAfterGroupDestroyed [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Owner_Account`.
        "Owner_Account" => owner_account: AccountId,
        /// `Name` (in the example only).
        "Name" => name: String,
        /// `MemberList`: the members at the end (not for communities).
        "MemberList" => member_list: Vec<GroupMember>,
    }
}

chat_event! {
    /// `Group.CallbackAfterGroupInfoChanged`: the name, introduction, notice or face URL
    /// changed; only the changed ones are there.
    pub struct GroupAfterGroupInfoChanged [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `Name`.
        "Name" => name: String,
        /// `Introduction`.
        "Introduction" => introduction: String,
        /// `Notification`.
        "Notification" => notification: String,
        /// `FaceUrl`.
        "FaceUrl" => face_url: String,
    }
}

chat_event! {
    /// `Group.CallbackOnMemberStateChange`: audio-video group members went online or
    /// offline.
    pub struct GroupOnMemberStateChange [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `EventType`: `Online` or `Offline`.
        "EventType" => event_type: String,
        /// `EventCause`: `HeartbeatInterrupt`, `HeartbeatRecover`, `Join` or `Quit`.
        "EventCause" => event_cause: String,
        /// `MemberList`.
        "MemberList" => member_list: Vec<GroupMember>,
    }
}

chat_event! {
    /// `Group.CallbackSendMsgException`: a group message could not be delivered.
    pub struct GroupSendMsgException [room = group_id] {
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
        /// `OnlineOnlyFlag`.
        #[serde(with = "flexible_u64")]
        "OnlineOnlyFlag" => online_only_flag: u64,
        /// `MsgBody`.
        "MsgBody" => msg_body: Vec<MsgElement>,
        /// `CloudCustomData`.
        "CloudCustomData" => cloud_custom_data: String,
        /// `ErrorCode`: why it failed (a request field, not the reply's).
        #[serde(with = "flexible_i64")]
        "ErrorCode" => error_code: i64,
        /// `ErrorInfo`: why it failed, in words.
        "ErrorInfo" => error_info: String,
    }
}

chat_event! {
    /// `Group.CallbackBeforeCreateTopic`: a community topic is about to be created; the
    /// reply decides. The body names no group.
    pub struct GroupBeforeCreateTopic {
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `Type`: `Community`.
        "Type" => group_type: GroupType,
        /// `Name`: the topic's name.
        "Name" => name: String,
    }
}

chat_event! {
    /// `Group.CallbackAfterCreateTopic`: a topic was created.
    pub struct GroupAfterCreateTopic [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `TopicId`.
        "TopicId" => topic_id: String,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `Owner_Account`.
        "Owner_Account" => owner_account: AccountId,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Name`.
        "Name" => name: String,
        /// `UserDefinedDataList`.
        "UserDefinedDataList" => user_defined_data_list: Vec<UserDefinedData>,
    }
}

chat_event! {
    /// `Group.CallbackAfterTopicDestroyed`: topics were deleted.
    pub struct GroupAfterTopicDestroyed [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `TopicIdList`: the topics (a list, though a table says string).
        "TopicIdList" => topic_id_list: Vec<String>,
    }
}

chat_event! {
    /// `Group.CallbackAfterTopicInfoChanged`: a topic's profile changed (the body does not
    /// say which topic).
    pub struct GroupAfterTopicInfoChanged [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `Name`.
        "Name" => name: String,
        /// `Introduction`.
        "Introduction" => introduction: String,
        /// `Notification`.
        "Notification" => notification: String,
        /// `FaceUrl`.
        "FaceUrl" => face_url: String,
    }
}

chat_struct! {
    /// A recalled message (`MsgSeqList[]`).
    pub struct MsgSeqItem {
        /// `MsgSeq`.
        #[serde(with = "flexible_u64")]
        "MsgSeq" => msg_seq: u64,
    }
}

chat_event! {
    /// `Group.CallbackAfterRecallMsg`: group messages were recalled.
    pub struct GroupAfterRecallMsg [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `MsgSeqList`: the messages.
        "MsgSeqList" => msg_seq_list: Vec<MsgSeqItem>,
        /// `TopicId`: in topic-enabled communities.
        "TopicId" => topic_id: String,
    }
}

chat_event! {
    /// `Group.CallbackAfterMemberFieldChanged`: a member's role or name card changed. The
    /// member is `Member_Account` on international pages and `Modified_Account` on
    /// mainland ones: [`GroupAfterMemberFieldChanged::changed_account`] reads either.
    pub struct GroupAfterMemberFieldChanged [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `Member_Account`: the member changed (international pages).
        "Member_Account" => member_account: AccountId,
        /// `Modified_Account`: the member changed (mainland pages).
        "Modified_Account" => modified_account: AccountId,
        /// `Role`: `Admin` or `Member`.
        "Role" => role: String,
        /// `NameCard`.
        "NameCard" => name_card: String,
    }
}

impl GroupAfterMemberFieldChanged {
    /// The member changed, by whichever name the body gave it.
    pub fn changed_account(&self) -> Option<&AccountId> {
        self.member_account
            .as_ref()
            .or(self.modified_account.as_ref())
    }
}

chat_struct! {
    /// A group attribute (`GroupAttr[]`), with lower-case keys on the wire.
    pub struct GroupAttribute {
        /// `key`.
        "key" => key: String,
        /// `value`.
        "value" => value: String,
    }
}

chat_event! {
    /// `Group.CallbackAfterGroupAttrChanged`: custom group attributes changed.
    pub struct GroupAfterGroupAttrChanged [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `OptionType`: `set`, `modify`, `clear` or `delete`.
        "OptionType" => option_type: String,
        /// `GroupAttr`: the attributes.
        "GroupAttr" => group_attr: Vec<GroupAttribute>,
    }
}

chat_struct! {
    /// Read receipts of one message (`GroupMsgReceiptList[]`).
    pub struct ReadReceipt {
        /// `MsgSeq`.
        #[serde(with = "flexible_u64")]
        "MsgSeq" => msg_seq: u64,
        /// `ReadNum`.
        #[serde(with = "flexible_u64")]
        "ReadNum" => read_num: u64,
        /// `UnreadNum`.
        #[serde(with = "flexible_u64")]
        "UnreadNum" => unread_num: u64,
        /// `ReadReceiptMembers`: who read it.
        "ReadReceiptMembers" => read_receipt_members: Vec<GroupMember>,
    }
}

chat_event! {
    /// `Group.CallbackAfterReadReceipt`: group messages were read.
    pub struct GroupAfterReadReceipt [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `GroupMsgReceiptList`.
        "GroupMsgReceiptList" => group_msg_receipt_list: Vec<ReadReceipt>,
    }
}

chat_event! {
    /// `Group.CallbackAfterChangeGroupOwner`: the group has a new owner.
    pub struct GroupAfterChangeGroupOwner [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `Type`.
        "Type" => group_type: GroupType,
        /// `Operator_Account`.
        "Operator_Account" => operator_account: AccountId,
        /// `OldOwner_Account`.
        "OldOwner_Account" => old_owner_account: AccountId,
        /// `NewOwner_Account`.
        "NewOwner_Account" => new_owner_account: AccountId,
    }
}

chat_event! {
    /// `Group.CallbackOnDailyGroupQuotaAlarm`: the day's net group creations passed 70 %
    /// of the limit.
    pub struct GroupOnDailyGroupQuotaAlarm {
        /// `QuotaUsed`.
        #[serde(with = "flexible_u64")]
        "QuotaUsed" => quota_used: u64,
        /// `Quota`.
        #[serde(with = "flexible_u64")]
        "Quota" => quota: u64,
    }
}

chat_event! {
    /// `Group.CallbackAfterGroupMsgExtension`: a group message's extension keys changed.
    pub struct GroupAfterGroupMsgExtension [room = group_id] {
        /// `GroupId`.
        "GroupId" => group_id: String,
        /// `MsgSeq`: the message.
        #[serde(with = "flexible_u64")]
        "MsgSeq" => msg_seq: u64,
        /// `OperateType`: set, delete or clear.
        "OperateType" => operate_type: super::ExtensionOperation,
        /// `ExtensionList`: the keys changed (empty when cleared).
        "ExtensionList" => extension_list: Vec<super::MsgExtension>,
        /// `Seq`: the message's extension version.
        #[serde(with = "flexible_u64")]
        "Seq" => seq: u64,
    }
}
