//! The sample request body of every documented command (feature `samples`), for tests,
//! demos and tools. Each is the sample from Tencent's documentation page for the command,
//! with only the JSON syntax repaired where the page's sample did not parse; and the body
//! of every documented TRTC callback ([`TRTC`]).

use crate::live::command::Command;

macro_rules! samples {
    ($($word:literal),* $(,)?) => {
        /// `(command word, body)` for every command that has a request body, in
        /// documentation order.
        pub const ALL: &[(&str, &[u8])] = &[
            $( ($word, include_bytes!(concat!("../testdata/samples/", $word, ".json"))), )*
        ];
    };
}

samples!(
    "Live.CallbackAfterCreateRoom",
    "Live.CallbackAfterDestroyRoom",
    "Live.CallbackAfterUpdateRoomInfo",
    "Live.CallbackAfterSetMetadata",
    "Live.CallbackAfterDelMetadata",
    "Live.CallbackAfterCreateRoomReachingThreshold",
    "Live.CallbackAfterMemberStateChanged",
    "Live.CallbackAfterChangeOwner",
    "Live.CallbackAfterModifyAdmin",
    "Mic.CallbackAfterSeatInfoChanged",
    "Live.CallbackAfterCreateBattle",
    "Live.CallbackAfterStartBattle",
    "Live.CallbackAfterEndBattle",
    "Live.CallbackBeforeSendGift",
    "Group.CallbackBeforeSendMsg",
    "Group.CallbackAfterSendMsg",
    "Follow.CallbackAfterFollowAdd",
    "Follow.CallbackAfterFollowDelete",
    "Live.CallbackAfterCloudRecordingChanged",
);

macro_rules! chat_samples {
    ($($name:literal),* $(,)?) => {
        /// `(name, body)` for every documented example of a Chat (IM) callback, and of the
        /// Call and Desk callbacks in the same envelope: the name is the command word, with
        /// `-2` or `-3` for a further example of the same word. Only JSON syntax was
        /// repaired (comments, missing commas), values are the pages'.
        pub const CHAT: &[(&str, &[u8])] = &[
            $( ($name, include_bytes!(concat!("../testdata/samples-chat/", $name, ".json"))), )*
        ];
    };
}

chat_samples!(
    "Alert.RequestOverLimit",
    "Bot.OnC2CMessage",
    "Bot.OnGroupMessage",
    "C2C.CallbackAfterC2CMsgExtension",
    "C2C.CallbackAfterC2CMsgExtension-2",
    "C2C.CallbackAfterC2CMsgExtension-3",
    "C2C.CallbackAfterMsgReport",
    "C2C.CallbackAfterMsgWithDraw",
    "C2C.CallbackBeforeSendMsg",
    "Call.CallbackAfterEndCall",
    "Call.CallbackAfterMemberChanged",
    "Call.CallbackAfterStartCall",
    "Chatbot.OnC2CSignalMessage",
    "ContentCallback.ResultNotify",
    "Desk.SessionEventNotify",
    "Follow.CallbackAfterFollowAdd",
    "Follow.CallbackAfterFollowDelete",
    "Group.CallbackAfterChangeGroupOwner",
    "Group.CallbackAfterCreateGroup",
    "Group.CallbackAfterCreateTopic",
    "Group.CallbackAfterGroupAttrChanged",
    "Group.CallbackAfterGroupDestroyed",
    "Group.CallbackAfterGroupFull",
    "Group.CallbackAfterGroupInfoChanged",
    "Group.CallbackAfterGroupMsgExtension",
    "Group.CallbackAfterGroupMsgExtension-2",
    "Group.CallbackAfterGroupMsgExtension-3",
    "Group.CallbackAfterMemberFieldChanged",
    "Group.CallbackAfterMemberFieldChanged-2",
    "Group.CallbackAfterNewMemberJoin",
    "Group.CallbackAfterNewMemberJoin-2",
    "Group.CallbackAfterReadReceipt",
    "Group.CallbackAfterRecallMsg",
    "Group.CallbackAfterSendMsg",
    "Group.CallbackAfterSendMsg-2",
    "Group.CallbackAfterTopicDestroyed",
    "Group.CallbackAfterTopicInfoChanged",
    "Group.CallbackBeforeApplyJoinGroup",
    "Group.CallbackBeforeCreateGroup",
    "Group.CallbackBeforeCreateTopic",
    "Group.CallbackBeforeSendMsg",
    "Group.CallbackOnDailyGroupQuotaAlarm",
    "Group.CallbackOnMemberStateChange",
    "Group.CallbackOnMemberStateChange-2",
    "Group.CallbackSendMsgException",
    "OfficialAccount.CallbackAfterAddSubscriber",
    "OfficialAccount.CallbackAfterCreateOfficialAccount",
    "OfficialAccount.CallbackAfterDeleteSubscriber",
    "OfficialAccount.CallbackAfterMsgWithDraw",
    "OfficialAccount.CallbackAfterOfficialAccountDestroyed",
    "OfficialAccount.CallbackAfterOfficialAccountFull",
    "OfficialAccount.CallbackAfterOfficialAccountInfoChanged",
    "OfficialAccount.CallbackAfterSendMsg",
    "OfficialAccount.CallbackBeforeAddSubscriber",
    "OfficialAccount.CallbackBeforeCreateOfficialAccount",
    "OfficialAccount.CallbackBeforeSendMsg",
    "Profile.CallbackPortraitSet",
    "Push.AllMemberPush",
    "Push.OfflinePush",
    "Sns.CallbackBlackListAdd",
    "Sns.CallbackBlackListDelete",
    "Sns.CallbackFriendAdd",
    "Sns.CallbackFriendDelete",
    "Sns.CallbackPrevFriendAdd",
);

/// The command word of a Chat sample's name (`Group.CallbackAfterSendMsg-2` is an example
/// of `Group.CallbackAfterSendMsg`).
pub fn chat_word(name: &str) -> &str {
    match name.rsplit_once('-') {
        Some((word, suffix)) if suffix.bytes().all(|byte| byte.is_ascii_digit()) => word,
        _ => name,
    }
}

/// The sample body for `command` (an alias finds its canonical command's sample).
///
/// ```
/// use tencent_live_webhook::{Command, samples};
///
/// let body = samples::body_for(Command::BeforeSendGift).unwrap();
/// assert!(body.starts_with(b"{"));
/// assert!(samples::body_for(Command::BeforeCallBackNotBlock).is_none());
/// ```
///
/// A Live word's sample comes first; a Chat word has the first of its Chat examples.
pub fn body_for(command: Command) -> Option<&'static [u8]> {
    ALL.iter()
        .find(|(word, _)| word.parse().ok() == Some(command))
        .or_else(|| {
            CHAT.iter()
                .find(|(name, _)| chat_word(name).parse().ok() == Some(command))
        })
        .map(|(_, body)| *body)
}

macro_rules! trtc_samples {
    ($($name:literal),* $(,)?) => {
        /// `(name, body)` for every TRTC callback with a documented example: the name is
        /// `group-type`, with a suffix for a second example of the same event. Each body
        /// is laid out as Tencent sends them (one member per line, tabs, no final newline),
        /// except `7-701-signature-note`, quoted compact by Tencent's page.
        pub const TRTC: &[(&str, &[u8])] = &[
            $( ($name, include_bytes!(concat!("../testdata/trtc/", $name, ".json"))), )*
        ];
    };
}

trtc_samples!(
    "1-101",
    "1-101-php-go-sample",
    "1-102",
    "1-103",
    "1-103-signature-note",
    "1-104",
    "1-105",
    "2-201",
    "2-202",
    "2-203",
    "2-204",
    "2-204-signature-vector",
    "2-205",
    "2-206",
    "3-301",
    "3-302",
    "3-303",
    "3-304",
    "3-305",
    "3-306",
    "3-307",
    "3-308",
    "3-309",
    "3-310",
    "3-311",
    "3-311-failure",
    "3-312",
    "4-401",
    "7-701",
    "7-701-signature-note",
    "8-801",
    "8-802",
    "8-803",
    "8-804",
    "9-901",
    "9-902",
    "9-903",
    "9-904",
    "9-905",
    "9-906",
    "9-908",
    "9-909",
    "14-1401",
);
