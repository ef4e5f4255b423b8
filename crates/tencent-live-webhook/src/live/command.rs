//! The webhook command words (`CallbackCommand`).

use core::fmt;
use core::str::FromStr;

use crate::inline::InlineStr;

/// Longest command word kept for an unknown command, in bytes.
///
/// Every documented word is under 50 bytes; a longer one is refused rather than cut.
pub const MAX_COMMAND_LEN: usize = 64;

/// A webhook command word, such as `Live.CallbackAfterCreateRoom`.
///
/// Every documented word has its own variant; a word this crate does not know
/// arrives as [`Command::Unknown`] with its text kept. Two documented spellings
/// are aliases of a canonical word and parse to its variant:
/// `Live.CallbackMemberStateChanged` (for [`Command::AfterMemberStateChanged`]) and
/// `Follow.CallbackAfterCloudRecordingChanged` (for [`Command::AfterCloudRecordingChanged`]).
///
/// The Chat (IM) words, and the Call and Desk words that share their envelope, are named
/// after their family and event, without `Callback`: `C2C.CallbackBeforeSendMsg` is
/// [`Command::C2cBeforeSendMsg`], `Sns.CallbackFriendAdd` is [`Command::SnsFriendAdd`].
/// The two message words Live rooms send are the Chat group's own, and keep their Live
/// names ([`Command::BeforeSendMsg`], [`Command::AfterSendMsg`]).
///
/// ```
/// use tencent_live_webhook::Command;
///
/// let command: Command = "Live.CallbackBeforeSendGift".parse()?;
/// assert_eq!(command, Command::BeforeSendGift);
/// assert!(command.is_blocking());
///
/// let alias: Command = "Live.CallbackMemberStateChanged".parse()?;
/// assert_eq!(alias.as_str(), "Live.CallbackAfterMemberStateChanged");
///
/// let new: Command = "Live.CallbackAfterSomethingNew".parse()?;
/// assert!(matches!(new, Command::Unknown(_)));
/// assert_eq!(new.to_string(), "Live.CallbackAfterSomethingNew");
/// # Ok::<(), tencent_live_webhook::ParseCommandError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Command {
    /// `Live.CallbackAfterCreateRoom`: a room was created.
    AfterCreateRoom,
    /// `Live.CallbackAfterDestroyRoom`: a room was dissolved.
    AfterDestroyRoom,
    /// `Live.CallbackAfterUpdateRoomInfo`: room information changed.
    AfterUpdateRoomInfo,
    /// `Live.CallbackAfterSetMetadata`: room metadata keys were set.
    AfterSetMetadata,
    /// `Live.CallbackAfterDelMetadata`: room metadata keys were deleted.
    AfterDelMetadata,
    /// `Live.CallbackAfterCreateRoomReachingThreshold`: room creation reached the quota alert level.
    AfterCreateRoomReachingThreshold,
    /// `Live.CallbackAfterMemberStateChanged` (alias `Live.CallbackMemberStateChanged`):
    /// members went online or offline.
    AfterMemberStateChanged,
    /// `Live.CallbackAfterChangeOwner`: room ownership moved.
    AfterChangeOwner,
    /// `Live.CallbackAfterModifyAdmin`: room administrators were added or removed.
    AfterModifyAdmin,
    /// `Mic.CallbackAfterSeatInfoChanged`: the seat list changed.
    AfterSeatInfoChanged,
    /// `Live.CallbackAfterCreateBattle`: a battle (PK) was created.
    AfterCreateBattle,
    /// `Live.CallbackAfterStartBattle`: a battle started.
    AfterStartBattle,
    /// `Live.CallbackAfterEndBattle`: a battle ended.
    AfterEndBattle,
    /// `Live.CallbackBeforeSendGift`: a gift is about to be sent; the reply decides.
    BeforeSendGift,
    /// `Live.CallbackBeforeCallBackNotBlock`: not an event but a configuration switch
    /// that lets gifts through when the gift callback fails or is late.
    BeforeCallBackNotBlock,
    /// `Group.CallbackBeforeSendMsg`: a room message is about to be delivered; the reply decides.
    BeforeSendMsg,
    /// `Group.CallbackAfterSendMsg`: a room message was delivered.
    AfterSendMsg,
    /// `Follow.CallbackAfterFollowAdd`: a user followed other users.
    AfterFollowAdd,
    /// `Follow.CallbackAfterFollowDelete`: a user unfollowed other users.
    AfterFollowDelete,
    /// `Live.CallbackAfterCloudRecordingChanged` (alias
    /// `Follow.CallbackAfterCloudRecordingChanged`): cloud recording status changed.
    AfterCloudRecordingChanged,
    /// `State.StateChange`: a user logged in, logged out or was disconnected.
    StateChange,
    /// `Profile.CallbackPortraitSet`: a user's profile fields were updated.
    ProfilePortraitSet,
    /// `Sns.CallbackPrevFriendAdd`: a user is about to add friends; the reply decides per target.
    SnsPrevFriendAdd,
    /// `Sns.CallbackPrevFriendResponse`: a user is about to answer friend requests; the reply decides per requester.
    SnsPrevFriendResponse,
    /// `Sns.CallbackFriendAdd`: friendships were made.
    SnsFriendAdd,
    /// `Sns.CallbackFriendDelete`: friendships were ended.
    SnsFriendDelete,
    /// `Sns.CallbackBlackListAdd`: users were blocked.
    SnsBlackListAdd,
    /// `Sns.CallbackBlackListDelete`: users were unblocked.
    SnsBlackListDelete,
    /// `C2C.CallbackBeforeSendMsg`: a one-to-one message is about to be delivered; the reply decides.
    C2cBeforeSendMsg,
    /// `C2C.CallbackAfterSendMsg`: a one-to-one message was delivered or failed.
    C2cAfterSendMsg,
    /// `C2C.CallbackAfterMsgReport`: a one-to-one conversation was marked read.
    C2cAfterMsgReport,
    /// `C2C.CallbackAfterMsgWithDraw`: a one-to-one message was recalled.
    C2cAfterMsgWithDraw,
    /// `C2C.CallbackAfterC2CMsgExtension`: a one-to-one message's extension keys changed.
    C2cAfterC2cMsgExtension,
    /// `Group.CallbackBeforeCreateGroup`: a group is about to be created; the reply decides.
    GroupBeforeCreateGroup,
    /// `Group.CallbackAfterCreateGroup`: a group was created.
    GroupAfterCreateGroup,
    /// `Group.CallbackBeforeApplyJoinGroup`: a user asks to join a group; the reply decides.
    GroupBeforeApplyJoinGroup,
    /// `Group.CallbackBeforeInviteJoinGroup`: users are about to be invited to a group; the reply decides.
    GroupBeforeInviteJoinGroup,
    /// `Group.CallbackAfterNewMemberJoin`: members joined a group.
    GroupAfterNewMemberJoin,
    /// `Group.CallbackAfterMemberExit`: members quit or were removed from a group.
    GroupAfterMemberExit,
    /// `Group.CallbackAfterGroupFull`: a group reached its member limit.
    GroupAfterGroupFull,
    /// `Group.CallbackAfterGroupDestroyed`: a group was disbanded.
    GroupAfterGroupDestroyed,
    /// `Group.CallbackAfterGroupInfoChanged`: a group's name, introduction, notice or face changed.
    GroupAfterGroupInfoChanged,
    /// `Group.CallbackOnMemberStateChange`: audio-video group members went online or offline.
    GroupOnMemberStateChange,
    /// `Group.CallbackSendMsgException`: a group message could not be delivered.
    GroupSendMsgException,
    /// `Group.CallbackBeforeCreateTopic`: a community topic is about to be created; the reply decides.
    GroupBeforeCreateTopic,
    /// `Group.CallbackAfterCreateTopic`: a community topic was created.
    GroupAfterCreateTopic,
    /// `Group.CallbackAfterTopicDestroyed`: community topics were deleted.
    GroupAfterTopicDestroyed,
    /// `Group.CallbackAfterTopicInfoChanged`: a community topic's profile changed.
    GroupAfterTopicInfoChanged,
    /// `Group.CallbackAfterRecallMsg`: group messages were recalled.
    GroupAfterRecallMsg,
    /// `Group.CallbackAfterMemberFieldChanged`: a group member's role or name card changed.
    GroupAfterMemberFieldChanged,
    /// `Group.CallbackAfterGroupAttrChanged`: a group's custom attributes changed.
    GroupAfterGroupAttrChanged,
    /// `Group.CallbackAfterReadReceipt`: group messages were read.
    GroupAfterReadReceipt,
    /// `Group.CallbackAfterChangeGroupOwner`: a group has a new owner.
    GroupAfterChangeGroupOwner,
    /// `Group.CallbackOnDailyGroupQuotaAlarm`: the day's group creations passed 70 % of the limit.
    GroupOnDailyGroupQuotaAlarm,
    /// `Group.CallbackAfterGroupMsgExtension`: a group message's extension keys changed.
    GroupAfterGroupMsgExtension,
    /// `OfficialAccount.CallbackBeforeCreateOfficialAccount`: an official account is about to be created; the reply decides.
    OfficialAccountBeforeCreateOfficialAccount,
    /// `OfficialAccount.CallbackAfterCreateOfficialAccount`: an official account was created.
    OfficialAccountAfterCreateOfficialAccount,
    /// `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`: an official account's profile changed.
    OfficialAccountAfterOfficialAccountInfoChanged,
    /// `OfficialAccount.CallbackAfterOfficialAccountDestroyed`: an official account was destroyed.
    OfficialAccountAfterOfficialAccountDestroyed,
    /// `OfficialAccount.CallbackBeforeAddSubscriber`: users are about to subscribe to an official account; the reply decides.
    OfficialAccountBeforeAddSubscriber,
    /// `OfficialAccount.CallbackAfterAddSubscriber`: users subscribed to an official account.
    OfficialAccountAfterAddSubscriber,
    /// `OfficialAccount.CallbackAfterOfficialAccountFull`: an official account reached its subscriber limit.
    OfficialAccountAfterOfficialAccountFull,
    /// `OfficialAccount.CallbackAfterDeleteSubscriber`: users left an official account.
    OfficialAccountAfterDeleteSubscriber,
    /// `OfficialAccount.CallbackBeforeSendMsg`: an official account broadcast is about to be sent; the reply decides.
    OfficialAccountBeforeSendMsg,
    /// `OfficialAccount.CallbackAfterSendMsg`: an official account broadcast was delivered.
    OfficialAccountAfterSendMsg,
    /// `OfficialAccount.CallbackAfterMsgWithDraw`: official account broadcasts were recalled.
    OfficialAccountAfterMsgWithDraw,
    /// `Bot.OnC2CMessage`: a one-to-one message reached a chatbot.
    BotOnC2cMessage,
    /// `Bot.OnGroupMessage`: a chatbot was mentioned in a group.
    BotOnGroupMessage,
    /// `Chatbot.OnC2CSignalMessage`: a pass-through message reached the AI chatbot; the reply answers it.
    ChatbotOnC2cSignalMessage,
    /// `Alert.RequestOverLimit`: a REST API passed 80 % of its rate limit.
    AlertRequestOverLimit,
    /// `ContentCallback.ResultNotify`: a content-moderation result.
    ContentCallbackResultNotify,
    /// `Push.OfflinePush`: push reports for messages.
    PushOfflinePush,
    /// `Push.AllMemberPush`: push reports for push tasks.
    PushAllMemberPush,
    /// `Call.CallbackAfterStartCall`: a call started.
    CallAfterStartCall,
    /// `Call.CallbackAfterEndCall`: a call ended.
    CallAfterEndCall,
    /// `Call.CallbackAfterMemberChanged`: members of a call changed state.
    CallAfterMemberChanged,
    /// `Desk.SessionEventNotify`: a customer-service session event.
    DeskSessionEventNotify,
    /// A command word this crate does not know, kept as received.
    Unknown(UnknownCommand),
}

/// Canonical words first; each variant's first entry is its canonical spelling.
const WORDS: &[(&str, Command)] = &[
    ("Live.CallbackAfterCreateRoom", Command::AfterCreateRoom),
    ("Live.CallbackAfterDestroyRoom", Command::AfterDestroyRoom),
    (
        "Live.CallbackAfterUpdateRoomInfo",
        Command::AfterUpdateRoomInfo,
    ),
    ("Live.CallbackAfterSetMetadata", Command::AfterSetMetadata),
    ("Live.CallbackAfterDelMetadata", Command::AfterDelMetadata),
    (
        "Live.CallbackAfterCreateRoomReachingThreshold",
        Command::AfterCreateRoomReachingThreshold,
    ),
    (
        "Live.CallbackAfterMemberStateChanged",
        Command::AfterMemberStateChanged,
    ),
    ("Live.CallbackAfterChangeOwner", Command::AfterChangeOwner),
    ("Live.CallbackAfterModifyAdmin", Command::AfterModifyAdmin),
    (
        "Mic.CallbackAfterSeatInfoChanged",
        Command::AfterSeatInfoChanged,
    ),
    ("Live.CallbackAfterCreateBattle", Command::AfterCreateBattle),
    ("Live.CallbackAfterStartBattle", Command::AfterStartBattle),
    ("Live.CallbackAfterEndBattle", Command::AfterEndBattle),
    ("Live.CallbackBeforeSendGift", Command::BeforeSendGift),
    (
        "Live.CallbackBeforeCallBackNotBlock",
        Command::BeforeCallBackNotBlock,
    ),
    ("Group.CallbackBeforeSendMsg", Command::BeforeSendMsg),
    ("Group.CallbackAfterSendMsg", Command::AfterSendMsg),
    ("Follow.CallbackAfterFollowAdd", Command::AfterFollowAdd),
    (
        "Follow.CallbackAfterFollowDelete",
        Command::AfterFollowDelete,
    ),
    (
        "Live.CallbackAfterCloudRecordingChanged",
        Command::AfterCloudRecordingChanged,
    ),
    // Chat (IM) words, and the Call and Desk words in the same envelope.
    ("State.StateChange", Command::StateChange),
    ("Profile.CallbackPortraitSet", Command::ProfilePortraitSet),
    ("Sns.CallbackPrevFriendAdd", Command::SnsPrevFriendAdd),
    (
        "Sns.CallbackPrevFriendResponse",
        Command::SnsPrevFriendResponse,
    ),
    ("Sns.CallbackFriendAdd", Command::SnsFriendAdd),
    ("Sns.CallbackFriendDelete", Command::SnsFriendDelete),
    ("Sns.CallbackBlackListAdd", Command::SnsBlackListAdd),
    ("Sns.CallbackBlackListDelete", Command::SnsBlackListDelete),
    ("C2C.CallbackBeforeSendMsg", Command::C2cBeforeSendMsg),
    ("C2C.CallbackAfterSendMsg", Command::C2cAfterSendMsg),
    ("C2C.CallbackAfterMsgReport", Command::C2cAfterMsgReport),
    ("C2C.CallbackAfterMsgWithDraw", Command::C2cAfterMsgWithDraw),
    (
        "C2C.CallbackAfterC2CMsgExtension",
        Command::C2cAfterC2cMsgExtension,
    ),
    (
        "Group.CallbackBeforeCreateGroup",
        Command::GroupBeforeCreateGroup,
    ),
    (
        "Group.CallbackAfterCreateGroup",
        Command::GroupAfterCreateGroup,
    ),
    (
        "Group.CallbackBeforeApplyJoinGroup",
        Command::GroupBeforeApplyJoinGroup,
    ),
    (
        "Group.CallbackBeforeInviteJoinGroup",
        Command::GroupBeforeInviteJoinGroup,
    ),
    (
        "Group.CallbackAfterNewMemberJoin",
        Command::GroupAfterNewMemberJoin,
    ),
    (
        "Group.CallbackAfterMemberExit",
        Command::GroupAfterMemberExit,
    ),
    ("Group.CallbackAfterGroupFull", Command::GroupAfterGroupFull),
    (
        "Group.CallbackAfterGroupDestroyed",
        Command::GroupAfterGroupDestroyed,
    ),
    (
        "Group.CallbackAfterGroupInfoChanged",
        Command::GroupAfterGroupInfoChanged,
    ),
    (
        "Group.CallbackOnMemberStateChange",
        Command::GroupOnMemberStateChange,
    ),
    (
        "Group.CallbackSendMsgException",
        Command::GroupSendMsgException,
    ),
    (
        "Group.CallbackBeforeCreateTopic",
        Command::GroupBeforeCreateTopic,
    ),
    (
        "Group.CallbackAfterCreateTopic",
        Command::GroupAfterCreateTopic,
    ),
    (
        "Group.CallbackAfterTopicDestroyed",
        Command::GroupAfterTopicDestroyed,
    ),
    (
        "Group.CallbackAfterTopicInfoChanged",
        Command::GroupAfterTopicInfoChanged,
    ),
    ("Group.CallbackAfterRecallMsg", Command::GroupAfterRecallMsg),
    (
        "Group.CallbackAfterMemberFieldChanged",
        Command::GroupAfterMemberFieldChanged,
    ),
    (
        "Group.CallbackAfterGroupAttrChanged",
        Command::GroupAfterGroupAttrChanged,
    ),
    (
        "Group.CallbackAfterReadReceipt",
        Command::GroupAfterReadReceipt,
    ),
    (
        "Group.CallbackAfterChangeGroupOwner",
        Command::GroupAfterChangeGroupOwner,
    ),
    (
        "Group.CallbackOnDailyGroupQuotaAlarm",
        Command::GroupOnDailyGroupQuotaAlarm,
    ),
    (
        "Group.CallbackAfterGroupMsgExtension",
        Command::GroupAfterGroupMsgExtension,
    ),
    (
        "OfficialAccount.CallbackBeforeCreateOfficialAccount",
        Command::OfficialAccountBeforeCreateOfficialAccount,
    ),
    (
        "OfficialAccount.CallbackAfterCreateOfficialAccount",
        Command::OfficialAccountAfterCreateOfficialAccount,
    ),
    (
        "OfficialAccount.CallbackAfterOfficialAccountInfoChanged",
        Command::OfficialAccountAfterOfficialAccountInfoChanged,
    ),
    (
        "OfficialAccount.CallbackAfterOfficialAccountDestroyed",
        Command::OfficialAccountAfterOfficialAccountDestroyed,
    ),
    (
        "OfficialAccount.CallbackBeforeAddSubscriber",
        Command::OfficialAccountBeforeAddSubscriber,
    ),
    (
        "OfficialAccount.CallbackAfterAddSubscriber",
        Command::OfficialAccountAfterAddSubscriber,
    ),
    (
        "OfficialAccount.CallbackAfterOfficialAccountFull",
        Command::OfficialAccountAfterOfficialAccountFull,
    ),
    (
        "OfficialAccount.CallbackAfterDeleteSubscriber",
        Command::OfficialAccountAfterDeleteSubscriber,
    ),
    (
        "OfficialAccount.CallbackBeforeSendMsg",
        Command::OfficialAccountBeforeSendMsg,
    ),
    (
        "OfficialAccount.CallbackAfterSendMsg",
        Command::OfficialAccountAfterSendMsg,
    ),
    (
        "OfficialAccount.CallbackAfterMsgWithDraw",
        Command::OfficialAccountAfterMsgWithDraw,
    ),
    ("Bot.OnC2CMessage", Command::BotOnC2cMessage),
    ("Bot.OnGroupMessage", Command::BotOnGroupMessage),
    (
        "Chatbot.OnC2CSignalMessage",
        Command::ChatbotOnC2cSignalMessage,
    ),
    ("Alert.RequestOverLimit", Command::AlertRequestOverLimit),
    (
        "ContentCallback.ResultNotify",
        Command::ContentCallbackResultNotify,
    ),
    ("Push.OfflinePush", Command::PushOfflinePush),
    ("Push.AllMemberPush", Command::PushAllMemberPush),
    ("Call.CallbackAfterStartCall", Command::CallAfterStartCall),
    ("Call.CallbackAfterEndCall", Command::CallAfterEndCall),
    (
        "Call.CallbackAfterMemberChanged",
        Command::CallAfterMemberChanged,
    ),
    ("Desk.SessionEventNotify", Command::DeskSessionEventNotify),
    // Documented alternative spellings.
    (
        "Live.CallbackMemberStateChanged",
        Command::AfterMemberStateChanged,
    ),
    (
        "Follow.CallbackAfterCloudRecordingChanged",
        Command::AfterCloudRecordingChanged,
    ),
];

impl Command {
    /// Every documented command, canonical spelling, in documentation order.
    pub const KNOWN: [Command; 77] = [
        Command::AfterCreateRoom,
        Command::AfterDestroyRoom,
        Command::AfterUpdateRoomInfo,
        Command::AfterSetMetadata,
        Command::AfterDelMetadata,
        Command::AfterCreateRoomReachingThreshold,
        Command::AfterMemberStateChanged,
        Command::AfterChangeOwner,
        Command::AfterModifyAdmin,
        Command::AfterSeatInfoChanged,
        Command::AfterCreateBattle,
        Command::AfterStartBattle,
        Command::AfterEndBattle,
        Command::BeforeSendGift,
        Command::BeforeCallBackNotBlock,
        Command::BeforeSendMsg,
        Command::AfterSendMsg,
        Command::AfterFollowAdd,
        Command::AfterFollowDelete,
        Command::AfterCloudRecordingChanged,
        Command::StateChange,
        Command::ProfilePortraitSet,
        Command::SnsPrevFriendAdd,
        Command::SnsPrevFriendResponse,
        Command::SnsFriendAdd,
        Command::SnsFriendDelete,
        Command::SnsBlackListAdd,
        Command::SnsBlackListDelete,
        Command::C2cBeforeSendMsg,
        Command::C2cAfterSendMsg,
        Command::C2cAfterMsgReport,
        Command::C2cAfterMsgWithDraw,
        Command::C2cAfterC2cMsgExtension,
        Command::GroupBeforeCreateGroup,
        Command::GroupAfterCreateGroup,
        Command::GroupBeforeApplyJoinGroup,
        Command::GroupBeforeInviteJoinGroup,
        Command::GroupAfterNewMemberJoin,
        Command::GroupAfterMemberExit,
        Command::GroupAfterGroupFull,
        Command::GroupAfterGroupDestroyed,
        Command::GroupAfterGroupInfoChanged,
        Command::GroupOnMemberStateChange,
        Command::GroupSendMsgException,
        Command::GroupBeforeCreateTopic,
        Command::GroupAfterCreateTopic,
        Command::GroupAfterTopicDestroyed,
        Command::GroupAfterTopicInfoChanged,
        Command::GroupAfterRecallMsg,
        Command::GroupAfterMemberFieldChanged,
        Command::GroupAfterGroupAttrChanged,
        Command::GroupAfterReadReceipt,
        Command::GroupAfterChangeGroupOwner,
        Command::GroupOnDailyGroupQuotaAlarm,
        Command::GroupAfterGroupMsgExtension,
        Command::OfficialAccountBeforeCreateOfficialAccount,
        Command::OfficialAccountAfterCreateOfficialAccount,
        Command::OfficialAccountAfterOfficialAccountInfoChanged,
        Command::OfficialAccountAfterOfficialAccountDestroyed,
        Command::OfficialAccountBeforeAddSubscriber,
        Command::OfficialAccountAfterAddSubscriber,
        Command::OfficialAccountAfterOfficialAccountFull,
        Command::OfficialAccountAfterDeleteSubscriber,
        Command::OfficialAccountBeforeSendMsg,
        Command::OfficialAccountAfterSendMsg,
        Command::OfficialAccountAfterMsgWithDraw,
        Command::BotOnC2cMessage,
        Command::BotOnGroupMessage,
        Command::ChatbotOnC2cSignalMessage,
        Command::AlertRequestOverLimit,
        Command::ContentCallbackResultNotify,
        Command::PushOfflinePush,
        Command::PushAllMemberPush,
        Command::CallAfterStartCall,
        Command::CallAfterEndCall,
        Command::CallAfterMemberChanged,
        Command::DeskSessionEventNotify,
    ];

    /// The documented alternative spellings and the command each one means.
    pub const ALIASES: [(&'static str, Command); 2] = [
        (
            "Live.CallbackMemberStateChanged",
            Command::AfterMemberStateChanged,
        ),
        (
            "Follow.CallbackAfterCloudRecordingChanged",
            Command::AfterCloudRecordingChanged,
        ),
    ];

    /// The canonical command word; for [`Command::Unknown`], the word as received.
    pub fn as_str(&self) -> &str {
        if let Command::Unknown(unknown) = self {
            return unknown.as_str();
        }
        self.known_word().unwrap_or_default()
    }

    /// The canonical word of a documented command, which lives as long as the program;
    /// `None` for [`Command::Unknown`].
    ///
    /// ```
    /// use tencent_live_webhook::Command;
    ///
    /// let word: &'static str = Command::BeforeSendGift.known_word().unwrap();
    /// assert_eq!(word, "Live.CallbackBeforeSendGift");
    /// ```
    pub fn known_word(&self) -> Option<&'static str> {
        WORDS
            .iter()
            .find(|(_, command)| command == self)
            .map(|(word, _)| *word)
    }

    /// What the command reports, in a few lowercase words; `None` for
    /// [`Command::Unknown`].
    ///
    /// ```
    /// use tencent_live_webhook::Command;
    ///
    /// assert_eq!(Command::AfterCreateRoom.description(), Some("a room was created"));
    /// ```
    pub fn description(&self) -> Option<&'static str> {
        Some(match self {
            Command::AfterCreateRoom => "a room was created",
            Command::AfterDestroyRoom => "a room was dissolved",
            Command::AfterUpdateRoomInfo => "room information changed",
            Command::AfterSetMetadata => "room metadata keys were set",
            Command::AfterDelMetadata => "room metadata keys were deleted",
            Command::AfterCreateRoomReachingThreshold => {
                "room creation reached the quota alert level"
            }
            Command::AfterMemberStateChanged => "members went online or offline",
            Command::AfterChangeOwner => "room ownership moved",
            Command::AfterModifyAdmin => "room administrators were added or removed",
            Command::AfterSeatInfoChanged => "the seat list changed",
            Command::AfterCreateBattle => "a battle (PK) was created",
            Command::AfterStartBattle => "a battle started",
            Command::AfterEndBattle => "a battle ended",
            Command::BeforeSendGift => "a gift is about to be sent; the reply decides",
            Command::BeforeCallBackNotBlock => {
                "a switch: gifts go through when the gift callback fails or is late"
            }
            Command::BeforeSendMsg => "a room message is about to be delivered; the reply decides",
            Command::AfterSendMsg => "a room message was delivered",
            Command::AfterFollowAdd => "a user followed other users",
            Command::AfterFollowDelete => "a user unfollowed other users",
            Command::AfterCloudRecordingChanged => "cloud recording status changed",
            Command::StateChange => "a user logged in, logged out or was disconnected",
            Command::ProfilePortraitSet => "a user's profile fields were updated",
            Command::SnsPrevFriendAdd => {
                "a user is about to add friends; the reply decides per target"
            }
            Command::SnsPrevFriendResponse => {
                "a user is about to answer friend requests; the reply decides per requester"
            }
            Command::SnsFriendAdd => "friendships were made",
            Command::SnsFriendDelete => "friendships were ended",
            Command::SnsBlackListAdd => "users were blocked",
            Command::SnsBlackListDelete => "users were unblocked",
            Command::C2cBeforeSendMsg => {
                "a one-to-one message is about to be delivered; the reply decides"
            }
            Command::C2cAfterSendMsg => "a one-to-one message was delivered or failed",
            Command::C2cAfterMsgReport => "a one-to-one conversation was marked read",
            Command::C2cAfterMsgWithDraw => "a one-to-one message was recalled",
            Command::C2cAfterC2cMsgExtension => "a one-to-one message's extension keys changed",
            Command::GroupBeforeCreateGroup => "a group is about to be created; the reply decides",
            Command::GroupAfterCreateGroup => "a group was created",
            Command::GroupBeforeApplyJoinGroup => "a user asks to join a group; the reply decides",
            Command::GroupBeforeInviteJoinGroup => {
                "users are about to be invited to a group; the reply decides"
            }
            Command::GroupAfterNewMemberJoin => "members joined a group",
            Command::GroupAfterMemberExit => "members quit or were removed from a group",
            Command::GroupAfterGroupFull => "a group reached its member limit",
            Command::GroupAfterGroupDestroyed => "a group was disbanded",
            Command::GroupAfterGroupInfoChanged => {
                "a group's name, introduction, notice or face changed"
            }
            Command::GroupOnMemberStateChange => "audio-video group members went online or offline",
            Command::GroupSendMsgException => "a group message could not be delivered",
            Command::GroupBeforeCreateTopic => {
                "a community topic is about to be created; the reply decides"
            }
            Command::GroupAfterCreateTopic => "a community topic was created",
            Command::GroupAfterTopicDestroyed => "community topics were deleted",
            Command::GroupAfterTopicInfoChanged => "a community topic's profile changed",
            Command::GroupAfterRecallMsg => "group messages were recalled",
            Command::GroupAfterMemberFieldChanged => "a group member's role or name card changed",
            Command::GroupAfterGroupAttrChanged => "a group's custom attributes changed",
            Command::GroupAfterReadReceipt => "group messages were read",
            Command::GroupAfterChangeGroupOwner => "a group has a new owner",
            Command::GroupOnDailyGroupQuotaAlarm => {
                "the day's group creations passed 70 % of the limit"
            }
            Command::GroupAfterGroupMsgExtension => "a group message's extension keys changed",
            Command::OfficialAccountBeforeCreateOfficialAccount => {
                "an official account is about to be created; the reply decides"
            }
            Command::OfficialAccountAfterCreateOfficialAccount => "an official account was created",
            Command::OfficialAccountAfterOfficialAccountInfoChanged => {
                "an official account's profile changed"
            }
            Command::OfficialAccountAfterOfficialAccountDestroyed => {
                "an official account was destroyed"
            }
            Command::OfficialAccountBeforeAddSubscriber => {
                "users are about to subscribe to an official account; the reply decides"
            }
            Command::OfficialAccountAfterAddSubscriber => "users subscribed to an official account",
            Command::OfficialAccountAfterOfficialAccountFull => {
                "an official account reached its subscriber limit"
            }
            Command::OfficialAccountAfterDeleteSubscriber => "users left an official account",
            Command::OfficialAccountBeforeSendMsg => {
                "an official account broadcast is about to be sent; the reply decides"
            }
            Command::OfficialAccountAfterSendMsg => "an official account broadcast was delivered",
            Command::OfficialAccountAfterMsgWithDraw => "official account broadcasts were recalled",
            Command::BotOnC2cMessage => "a one-to-one message reached a chatbot",
            Command::BotOnGroupMessage => "a chatbot was mentioned in a group",
            Command::ChatbotOnC2cSignalMessage => {
                "a pass-through message reached the AI chatbot; the reply answers it"
            }
            Command::AlertRequestOverLimit => "a REST API passed 80 % of its rate limit",
            Command::ContentCallbackResultNotify => "a content-moderation result",
            Command::PushOfflinePush => "push reports for messages",
            Command::PushAllMemberPush => "push reports for push tasks",
            Command::CallAfterStartCall => "a call started",
            Command::CallAfterEndCall => "a call ended",
            Command::CallAfterMemberChanged => "members of a call changed state",
            Command::DeskSessionEventNotify => "a customer-service session event",
            Command::Unknown(_) => return None,
        })
    }

    /// Whether Tencent waits for the reply and lets it decide: the gift, every Chat
    /// "before" callback (messages, groups, topics, friends, official accounts) and the
    /// chatbot's pass-through message.
    ///
    /// These must be answered quickly: Tencent gives up after two seconds.
    pub fn is_blocking(&self) -> bool {
        matches!(
            self,
            Command::BeforeSendGift
                | Command::BeforeSendMsg
                | Command::SnsPrevFriendAdd
                | Command::SnsPrevFriendResponse
                | Command::C2cBeforeSendMsg
                | Command::GroupBeforeCreateGroup
                | Command::GroupBeforeApplyJoinGroup
                | Command::GroupBeforeInviteJoinGroup
                | Command::GroupBeforeCreateTopic
                | Command::OfficialAccountBeforeCreateOfficialAccount
                | Command::OfficialAccountBeforeAddSubscriber
                | Command::OfficialAccountBeforeSendMsg
                | Command::ChatbotOnC2cSignalMessage
        )
    }

    /// The codes a refusal of this command may pass through to the client (what
    /// `Reply::reject_with` checks); `None` for a command that is
    /// not refused with a code (notifications, friend and chatbot callbacks).
    ///
    /// ```
    /// use tencent_live_webhook::Command;
    ///
    /// assert_eq!(Command::GroupBeforeCreateTopic.pass_through_codes(), Some(10_100..=10_200));
    /// assert_eq!(Command::OfficialAccountBeforeSendMsg.pass_through_codes(), Some(120_001..=130_000));
    /// assert_eq!(Command::SnsPrevFriendAdd.pass_through_codes(), None);
    /// ```
    pub fn pass_through_codes(&self) -> Option<core::ops::RangeInclusive<u32>> {
        match self {
            Command::BeforeSendGift => Some(102_100..=102_200),
            Command::BeforeSendMsg
            | Command::GroupBeforeCreateGroup
            | Command::GroupBeforeApplyJoinGroup
            | Command::GroupBeforeInviteJoinGroup
            | Command::GroupBeforeCreateTopic => Some(10_100..=10_200),
            Command::C2cBeforeSendMsg
            | Command::OfficialAccountBeforeSendMsg
            | Command::OfficialAccountBeforeCreateOfficialAccount
            | Command::OfficialAccountBeforeAddSubscriber => Some(120_001..=130_000),
            _ => None,
        }
    }

    /// Whether this is one of the three send-message callbacks (group, one-to-one,
    /// official account), whose reply may drop the message or replace its body.
    pub fn is_send_message(&self) -> bool {
        matches!(
            self,
            Command::BeforeSendMsg
                | Command::C2cBeforeSendMsg
                | Command::OfficialAccountBeforeSendMsg
        )
    }

    /// Whether this word is a configuration switch rather than an event with a body.
    pub fn is_switch(&self) -> bool {
        matches!(self, Command::BeforeCallBackNotBlock)
    }

    /// Whether this is a command this crate knows (not [`Command::Unknown`]).
    pub fn is_known(&self) -> bool {
        !matches!(self, Command::Unknown(_))
    }
}

impl FromStr for Command {
    type Err = ParseCommandError;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        if let Some((_, command)) = WORDS.iter().find(|(known, _)| *known == word) {
            return Ok(*command);
        }
        UnknownCommand::new(word).map(Command::Unknown)
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Command {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Command {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WordVisitor;
        impl serde::de::Visitor<'_> for WordVisitor {
            type Value = Command;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a command word")
            }
            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<Command, E> {
                word.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(WordVisitor)
    }
}

/// A command word this crate does not know, kept exactly as received.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnknownCommand(InlineStr<MAX_COMMAND_LEN>);

impl UnknownCommand {
    fn new(word: &str) -> Result<Self, ParseCommandError> {
        if word.is_empty() {
            return Err(ParseCommandError::Empty);
        }
        // Command words end up in logs: control characters would let a sender forge log lines.
        if word.chars().any(char::is_control) {
            return Err(ParseCommandError::ControlCharacter);
        }
        InlineStr::new(word)
            .map(Self)
            .ok_or(ParseCommandError::TooLong)
    }

    /// The word as received.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for UnknownCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Why a text is not a command word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseCommandError {
    /// The text is empty.
    Empty,
    /// The text is longer than [`MAX_COMMAND_LEN`] bytes.
    TooLong,
    /// The text contains a control character.
    ControlCharacter,
}

impl fmt::Display for ParseCommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParseCommandError::Empty => "command word is empty",
            ParseCommandError::TooLong => "command word is longer than 64 bytes",
            ParseCommandError::ControlCharacter => "command word contains a control character",
        })
    }
}

impl core::error::Error for ParseCommandError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_command_round_trips_through_its_word() {
        for command in Command::KNOWN {
            let word = command.as_str();
            assert!(!word.is_empty(), "{command:?} has no word");
            assert_eq!(word.parse::<Command>(), Ok(command), "{word}");
        }
    }

    #[test]
    fn aliases_parse_to_their_canonical_command() {
        for (alias, command) in Command::ALIASES {
            assert_eq!(alias.parse::<Command>(), Ok(command));
            assert_ne!(command.as_str(), alias);
        }
    }

    #[test]
    fn every_known_command_and_no_unknown_one_is_described() {
        for command in Command::KNOWN {
            let text = command.description().unwrap_or_default();
            assert!(!text.is_empty(), "{command:?}");
            assert!(text.starts_with(char::is_lowercase), "{command:?}");
        }
        let unknown: Command = "Room.CallbackAfterMemberEnter".parse().unwrap();
        assert_eq!(unknown.description(), None);
    }

    #[test]
    fn the_gift_and_every_chat_before_callback_block() {
        let blocking: Vec<&str> = Command::KNOWN
            .iter()
            .filter(|c| c.is_blocking())
            .map(Command::as_str)
            .collect();
        assert_eq!(blocking.len(), 13, "{blocking:?}");
        for word in &blocking {
            assert!(
                word.contains("Before")
                    || word.contains("Prev")
                    || *word == "Chatbot.OnC2CSignalMessage",
                "{word}"
            );
        }
        assert!(Command::BeforeSendGift.is_blocking());
        assert!(Command::BeforeSendMsg.is_blocking());
        assert!(!Command::BeforeCallBackNotBlock.is_blocking());
        assert!(Command::BeforeCallBackNotBlock.is_switch());
    }

    #[test]
    fn unknown_words_are_kept_and_bad_words_refused() {
        let command: Command = "Room.CallbackAfterMemberEnter".parse().unwrap();
        assert_eq!(command.as_str(), "Room.CallbackAfterMemberEnter");
        assert!(!command.is_known());
        // Matching is exact: a different case is another word.
        assert!(
            !"live.callbackaftercreateroom"
                .parse::<Command>()
                .unwrap()
                .is_known()
        );
        assert_eq!("".parse::<Command>(), Err(ParseCommandError::Empty));
        assert_eq!(
            "a\nb".parse::<Command>(),
            Err(ParseCommandError::ControlCharacter)
        );
        let long = "x".repeat(MAX_COMMAND_LEN + 1);
        assert_eq!(long.parse::<Command>(), Err(ParseCommandError::TooLong));
        let longest = "x".repeat(MAX_COMMAND_LEN);
        assert_eq!(longest.parse::<Command>().unwrap().as_str(), longest);
    }
}
