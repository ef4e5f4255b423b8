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
    pub const KNOWN: [Command; 20] = [
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
            Command::Unknown(_) => return None,
        })
    }

    /// Whether Tencent waits for the reply and lets it decide (gift and message "before" callbacks).
    ///
    /// These must be answered quickly: Tencent gives up after about two seconds.
    pub fn is_blocking(&self) -> bool {
        matches!(self, Command::BeforeSendGift | Command::BeforeSendMsg)
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
    fn only_gift_and_message_callbacks_block() {
        let blocking = Command::KNOWN.iter().filter(|c| c.is_blocking()).count();
        assert_eq!(blocking, 2);
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
