//! Follow events.

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::values::{AccountId, flexible_u64};

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
