//! Follow events.

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::values::{AccountId, BodyCommand, flexible_u64};

/// One followed user in [`AfterFollowAdd`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FollowTarget {
    /// `To_Account`.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
}

/// `Follow.CallbackAfterFollowAdd`: a user followed other users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterFollowAdd {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `From_Account`: who followed.
    #[serde(rename = "From_Account")]
    pub from_account: AccountId,
    /// `FollowList`: the users now followed (objects, unlike the unfollow event).
    #[serde(rename = "FollowList", default)]
    pub follow_list: Vec<FollowTarget>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// `Follow.CallbackAfterFollowDelete`: a user unfollowed other users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterFollowDelete {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `From_Account`: who unfollowed.
    #[serde(rename = "From_Account")]
    pub from_account: AccountId,
    /// `To_Account`: the users no longer followed (plain ids).
    #[serde(rename = "To_Account", default)]
    pub to_account: Vec<AccountId>,
    /// `EventTime`: Unix milliseconds.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}
