//! The documented sample body of every command, built into the binary.

macro_rules! samples {
    ($($name:literal),* $(,)?) => {
        /// `(command word, body)` for every command that has a request body.
        pub(crate) const SAMPLES: &[(&str, &[u8])] = &[
            $( ($name, include_bytes!(concat!("../../tencent-live-webhook/testdata/samples/", $name, ".json"))), )*
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

/// The sample body for `command` (aliases included).
pub(crate) fn sample_for(command: tencent_live_webhook::Command) -> Option<&'static [u8]> {
    SAMPLES
        .iter()
        .find(|(word, _)| word.parse().ok() == Some(command))
        .map(|(_, body)| *body)
}
