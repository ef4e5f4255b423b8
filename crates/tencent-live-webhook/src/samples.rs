//! The sample request body of every documented command (feature `samples`), for tests,
//! demos and tools. Each is the sample from Tencent's documentation page for the command,
//! with only the JSON syntax repaired where the page's sample did not parse.

use crate::command::Command;

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

/// The sample body for `command` (an alias finds its canonical command's sample).
///
/// ```
/// use tencent_live_webhook::{Command, samples};
///
/// let body = samples::body_for(Command::BeforeSendGift).unwrap();
/// assert!(body.starts_with(b"{"));
/// assert!(samples::body_for(Command::BeforeCallBackNotBlock).is_none());
/// ```
pub fn body_for(command: Command) -> Option<&'static [u8]> {
    ALL.iter()
        .find(|(word, _)| word.parse().ok() == Some(command))
        .map(|(_, body)| *body)
}
