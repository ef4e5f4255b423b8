//! The webhook command words (`CallbackCommand`).

use core::fmt;
use core::str::FromStr;

use crate::inline::InlineStr;

/// Declares every documented command once: its variant, its canonical word and what it
/// reports. The enum, [`Command::KNOWN`], [`Command::known_word`], [`Command::description`]
/// and parsing all come from this one table.
macro_rules! commands {
    (
        $(#[$enum_meta:meta])*
        pub enum Command {
            $( $(#[$meta:meta])* $variant:ident = $word:literal, $description:literal; )*
        }
    ) => {
        $(#[$enum_meta])*
        pub enum Command {
            $(
                #[doc = concat!("`", $word, "`: ", $description, ".")]
                $(#[$meta])*
                $variant,
            )*
            /// A command word this crate does not know, kept as received.
            Unknown(UnknownCommand),
        }

        impl Command {
            /// Every documented command, canonical spelling, in documentation order.
            pub const KNOWN: [Command; [$($word),*].len()] = [$(Command::$variant),*];

            /// The canonical word of a documented command, which lives as long as the
            /// program; `None` for [`Command::Unknown`].
            ///
            /// ```
            /// use tencent_live_webhook::Command;
            ///
            /// let word: &'static str = Command::BeforeSendGift.known_word().unwrap();
            /// assert_eq!(word, "Live.CallbackBeforeSendGift");
            /// ```
            pub fn known_word(&self) -> Option<&'static str> {
                match self {
                    $( Command::$variant => Some($word), )*
                    Command::Unknown(_) => None,
                }
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
                match self {
                    $( Command::$variant => Some($description), )*
                    Command::Unknown(_) => None,
                }
            }

            /// The documented command spelled exactly `word` (canonical words only).
            fn canonical(word: &str) -> Option<Command> {
                match word {
                    $( $word => Some(Command::$variant), )*
                    _ => None,
                }
            }
        }
    };
}

/// Longest command word kept for an unknown command, in bytes.
///
/// Every documented word is under 50 bytes; a longer one is refused rather than cut.
pub const MAX_COMMAND_LEN: usize = 64;

commands! {
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
        AfterCreateRoom = "Live.CallbackAfterCreateRoom", "a room was created";
        AfterDestroyRoom = "Live.CallbackAfterDestroyRoom", "a room was dissolved";
        AfterUpdateRoomInfo = "Live.CallbackAfterUpdateRoomInfo", "room information changed";
        AfterSetMetadata = "Live.CallbackAfterSetMetadata", "room metadata keys were set";
        AfterDelMetadata = "Live.CallbackAfterDelMetadata", "room metadata keys were deleted";
        AfterCreateRoomReachingThreshold = "Live.CallbackAfterCreateRoomReachingThreshold", "room creation reached the quota alert level";
        /// Also spelled `Live.CallbackMemberStateChanged`.
        AfterMemberStateChanged = "Live.CallbackAfterMemberStateChanged", "members went online or offline";
        AfterChangeOwner = "Live.CallbackAfterChangeOwner", "room ownership moved";
        AfterModifyAdmin = "Live.CallbackAfterModifyAdmin", "room administrators were added or removed";
        AfterSeatInfoChanged = "Mic.CallbackAfterSeatInfoChanged", "the seat list changed";
        AfterCreateBattle = "Live.CallbackAfterCreateBattle", "a battle (PK) was created";
        AfterStartBattle = "Live.CallbackAfterStartBattle", "a battle started";
        AfterEndBattle = "Live.CallbackAfterEndBattle", "a battle ended";
        BeforeSendGift = "Live.CallbackBeforeSendGift", "a gift is about to be sent; the reply decides";
        /// Not an event but a configuration switch: never sent with a body.
        BeforeCallBackNotBlock = "Live.CallbackBeforeCallBackNotBlock", "a switch: gifts go through when the gift callback fails or is late";
        BeforeSendMsg = "Group.CallbackBeforeSendMsg", "a room message is about to be delivered; the reply decides";
        AfterSendMsg = "Group.CallbackAfterSendMsg", "a room message was delivered";
        AfterFollowAdd = "Follow.CallbackAfterFollowAdd", "a user followed other users";
        AfterFollowDelete = "Follow.CallbackAfterFollowDelete", "a user unfollowed other users";
        /// Also spelled `Follow.CallbackAfterCloudRecordingChanged`.
        AfterCloudRecordingChanged = "Live.CallbackAfterCloudRecordingChanged", "cloud recording status changed";
        StateChange = "State.StateChange", "a user logged in, logged out or was disconnected";
        ProfilePortraitSet = "Profile.CallbackPortraitSet", "a user's profile fields were updated";
        SnsPrevFriendAdd = "Sns.CallbackPrevFriendAdd", "a user is about to add friends; the reply decides per target";
        SnsPrevFriendResponse = "Sns.CallbackPrevFriendResponse", "a user is about to answer friend requests; the reply decides per requester";
        SnsFriendAdd = "Sns.CallbackFriendAdd", "friendships were made";
        SnsFriendDelete = "Sns.CallbackFriendDelete", "friendships were ended";
        SnsBlackListAdd = "Sns.CallbackBlackListAdd", "users were blocked";
        SnsBlackListDelete = "Sns.CallbackBlackListDelete", "users were unblocked";
        C2cBeforeSendMsg = "C2C.CallbackBeforeSendMsg", "a one-to-one message is about to be delivered; the reply decides";
        C2cAfterSendMsg = "C2C.CallbackAfterSendMsg", "a one-to-one message was delivered or failed";
        C2cAfterMsgReport = "C2C.CallbackAfterMsgReport", "a one-to-one conversation was marked read";
        C2cAfterMsgWithDraw = "C2C.CallbackAfterMsgWithDraw", "a one-to-one message was recalled";
        C2cAfterC2cMsgExtension = "C2C.CallbackAfterC2CMsgExtension", "a one-to-one message's extension keys changed";
        GroupBeforeCreateGroup = "Group.CallbackBeforeCreateGroup", "a group is about to be created; the reply decides";
        GroupAfterCreateGroup = "Group.CallbackAfterCreateGroup", "a group was created";
        GroupBeforeApplyJoinGroup = "Group.CallbackBeforeApplyJoinGroup", "a user asks to join a group; the reply decides";
        GroupBeforeInviteJoinGroup = "Group.CallbackBeforeInviteJoinGroup", "users are about to be invited to a group; the reply decides";
        GroupAfterNewMemberJoin = "Group.CallbackAfterNewMemberJoin", "members joined a group";
        GroupAfterMemberExit = "Group.CallbackAfterMemberExit", "members quit or were removed from a group";
        GroupAfterGroupFull = "Group.CallbackAfterGroupFull", "a group reached its member limit";
        GroupAfterGroupDestroyed = "Group.CallbackAfterGroupDestroyed", "a group was disbanded";
        GroupAfterGroupInfoChanged = "Group.CallbackAfterGroupInfoChanged", "a group's name, introduction, notice or face changed";
        GroupOnMemberStateChange = "Group.CallbackOnMemberStateChange", "audio-video group members went online or offline";
        GroupSendMsgException = "Group.CallbackSendMsgException", "a group message could not be delivered";
        GroupBeforeCreateTopic = "Group.CallbackBeforeCreateTopic", "a community topic is about to be created; the reply decides";
        GroupAfterCreateTopic = "Group.CallbackAfterCreateTopic", "a community topic was created";
        GroupAfterTopicDestroyed = "Group.CallbackAfterTopicDestroyed", "community topics were deleted";
        GroupAfterTopicInfoChanged = "Group.CallbackAfterTopicInfoChanged", "a community topic's profile changed";
        GroupAfterRecallMsg = "Group.CallbackAfterRecallMsg", "group messages were recalled";
        GroupAfterMemberFieldChanged = "Group.CallbackAfterMemberFieldChanged", "a group member's role or name card changed";
        GroupAfterGroupAttrChanged = "Group.CallbackAfterGroupAttrChanged", "a group's custom attributes changed";
        GroupAfterReadReceipt = "Group.CallbackAfterReadReceipt", "group messages were read";
        GroupAfterChangeGroupOwner = "Group.CallbackAfterChangeGroupOwner", "a group has a new owner";
        GroupOnDailyGroupQuotaAlarm = "Group.CallbackOnDailyGroupQuotaAlarm", "the day's group creations passed 70 % of the limit";
        GroupAfterGroupMsgExtension = "Group.CallbackAfterGroupMsgExtension", "a group message's extension keys changed";
        OfficialAccountBeforeCreateOfficialAccount = "OfficialAccount.CallbackBeforeCreateOfficialAccount", "an official account is about to be created; the reply decides";
        OfficialAccountAfterCreateOfficialAccount = "OfficialAccount.CallbackAfterCreateOfficialAccount", "an official account was created";
        OfficialAccountAfterOfficialAccountInfoChanged = "OfficialAccount.CallbackAfterOfficialAccountInfoChanged", "an official account's profile changed";
        OfficialAccountAfterOfficialAccountDestroyed = "OfficialAccount.CallbackAfterOfficialAccountDestroyed", "an official account was destroyed";
        OfficialAccountBeforeAddSubscriber = "OfficialAccount.CallbackBeforeAddSubscriber", "users are about to subscribe to an official account; the reply decides";
        OfficialAccountAfterAddSubscriber = "OfficialAccount.CallbackAfterAddSubscriber", "users subscribed to an official account";
        OfficialAccountAfterOfficialAccountFull = "OfficialAccount.CallbackAfterOfficialAccountFull", "an official account reached its subscriber limit";
        OfficialAccountAfterDeleteSubscriber = "OfficialAccount.CallbackAfterDeleteSubscriber", "users left an official account";
        OfficialAccountBeforeSendMsg = "OfficialAccount.CallbackBeforeSendMsg", "an official account broadcast is about to be sent; the reply decides";
        OfficialAccountAfterSendMsg = "OfficialAccount.CallbackAfterSendMsg", "an official account broadcast was delivered";
        OfficialAccountAfterMsgWithDraw = "OfficialAccount.CallbackAfterMsgWithDraw", "official account broadcasts were recalled";
        BotOnC2cMessage = "Bot.OnC2CMessage", "a one-to-one message reached a chatbot";
        BotOnGroupMessage = "Bot.OnGroupMessage", "a chatbot was mentioned in a group";
        ChatbotOnC2cSignalMessage = "Chatbot.OnC2CSignalMessage", "a pass-through message reached the AI chatbot; the reply answers it";
        AlertRequestOverLimit = "Alert.RequestOverLimit", "a REST API passed 80 % of its rate limit";
        ContentCallbackResultNotify = "ContentCallback.ResultNotify", "a content-moderation result";
        PushOfflinePush = "Push.OfflinePush", "push reports for messages";
        PushAllMemberPush = "Push.AllMemberPush", "push reports for push tasks";
        CallAfterStartCall = "Call.CallbackAfterStartCall", "a call started";
        CallAfterEndCall = "Call.CallbackAfterEndCall", "a call ended";
        CallAfterMemberChanged = "Call.CallbackAfterMemberChanged", "members of a call changed state";
        DeskSessionEventNotify = "Desk.SessionEventNotify", "a customer-service session event";
    }
}

impl Command {
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
        if let Some(command) = Command::canonical(word) {
            return Ok(command);
        }
        if let Some((_, command)) = Command::ALIASES.iter().find(|(alias, _)| *alias == word) {
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
