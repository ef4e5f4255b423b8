//! The gift "before" callback.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::values::{AccountId, BodyCommand, flexible_u64};

/// `Live.CallbackBeforeSendGift`: a user is about to send a gift.
///
/// Blocking: answer with [`Reply::allow_gift`](crate::Reply::allow_gift) or a rejection
/// within two seconds, or the gift is blocked (unless the
/// `Live.CallbackBeforeCallBackNotBlock` switch is on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeSendGift {
    /// `CallbackCommand` as the body states it: read in the same pass as the event, checked
    /// against the URL by decoding, never serialized twice.
    #[serde(rename = "CallbackCommand", default, skip_serializing)]
    pub(crate) body_command: BodyCommand,
    /// `Operator_Account`: the acting user.
    #[serde(rename = "Operator_Account", skip_serializing_if = "Option::is_none")]
    pub operator_account: Option<AccountId>,
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `GiftWater`: the gift being sent.
    #[serde(rename = "GiftWater")]
    pub gift_water: GiftWater,
    /// `EventTime`: not in the documented sample; kept if it appears.
    #[serde(
        rename = "EventTime",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

/// The gift in [`BeforeSendGift`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GiftWater {
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account", skip_serializing_if = "Option::is_none")]
    pub from_account: Option<AccountId>,
    /// `To_Account`: the recipients.
    #[serde(rename = "To_Account", default)]
    pub to_account: Vec<AccountId>,
    /// `Time`: Unix seconds, judging by the sample.
    #[serde(
        rename = "Time",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub time: Option<u64>,
    /// `GiftId`.
    #[serde(rename = "GiftId")]
    pub gift_id: String,
    /// `Count`: how many.
    #[serde(
        rename = "Count",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<u64>,
    /// `Coins`: the value (per gift, according to one copy of the docs).
    #[serde(
        rename = "Coins",
        default,
        with = "flexible_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub coins: Option<u64>,
}
