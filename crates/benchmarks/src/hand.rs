//! What a user writes without the crate: the query split by hand, `format!`, SHA-256, hex
//! and `==`; bodies read into `serde_json::Value` or into their own structs.
//!
//! The structs declare the fields a receiver would use, with the types the documentation
//! gives. (`Owner_Account` arrives as a bare integer in the `DestroyRoom` sample: a user's
//! `String` would fail there, so this struct, like the crate, takes any JSON value.)

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::inputs::{APP, NOW, TOKEN};

/// [`verify_at`] the benchmarks' fixed time.
pub fn verify(query: &str) -> bool {
    verify_at(query, NOW)
}

/// Splits on `&` and `=`, recomputes the `Sign` as hex text and compares the strings.
pub fn verify_at(query: &str, now: u64) -> bool {
    let (mut app, mut sign, mut time) = (None, None, None);
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "SdkAppid" => app = Some(value),
            "Sign" => sign = Some(value),
            "RequestTime" => time = Some(value),
            _ => {}
        }
    }
    let (Some(app), Some(sign), Some(time)) = (app, sign, time) else {
        return false;
    };
    if app.parse::<u64>() != Ok(APP) {
        return false;
    }
    match time.parse::<u64>() {
        Ok(seconds) if seconds.abs_diff(now) <= 60 => {}
        _ => return false,
    }
    let expected = hex::encode(Sha256::digest(format!("{TOKEN}{time}")));
    expected == sign
}

/// The whole body as a `serde_json::Value`.
pub fn value(body: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(body).ok()
}

/// `CreateRoom`, declared as a user would.
#[derive(Deserialize)]
#[allow(dead_code)] // read by the deserializer; a benchmark looks at nothing else
pub struct CreateRoom {
    #[serde(rename = "CallbackCommand")]
    command: String,
    #[serde(rename = "Operator_Account")]
    operator: Option<String>,
    #[serde(rename = "RoomInfo")]
    room: RoomInfo,
}

/// `RoomInfo`, declared as a user would.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct RoomInfo {
    #[serde(rename = "RoomId")]
    room_id: Option<String>,
    #[serde(rename = "RoomName")]
    room_name: Option<String>,
    #[serde(rename = "RoomType")]
    room_type: Option<String>,
    #[serde(rename = "Owner_Account")]
    owner: Option<serde_json::Value>,
    #[serde(rename = "MaxMemberCount")]
    max_member_count: Option<u64>,
    #[serde(rename = "IsMessageDisabled")]
    is_message_disabled: Option<bool>,
    #[serde(rename = "CustomInfo")]
    custom_info: Option<String>,
    #[serde(rename = "IsSeatEnabled")]
    is_seat_enabled: Option<bool>,
    #[serde(rename = "TakeSeatMode")]
    take_seat_mode: Option<String>,
    #[serde(rename = "MaxSeatCount")]
    max_seat_count: Option<u64>,
    #[serde(rename = "CreateTime")]
    create_time: Option<u64>,
    #[serde(rename = "IsPublicVisible")]
    is_public_visible: Option<bool>,
    #[serde(rename = "CoverURL")]
    cover_url: Option<String>,
    #[serde(rename = "Category")]
    category: Option<Vec<u64>>,
}

/// The body into the struct above.
pub fn create_room(body: &[u8]) -> Option<CreateRoom> {
    serde_json::from_slice(body).ok()
}

/// `Gift`, declared as a user would.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Gift {
    #[serde(rename = "CallbackCommand")]
    command: String,
    #[serde(rename = "Operator_Account")]
    operator: Option<String>,
    #[serde(rename = "RoomId")]
    room_id: String,
    #[serde(rename = "GiftWater")]
    water: GiftWater,
}

/// `GiftWater`, declared as a user would.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct GiftWater {
    #[serde(rename = "From_Account")]
    from: Option<String>,
    #[serde(rename = "To_Account")]
    to: Option<Vec<String>>,
    #[serde(rename = "Time")]
    time: Option<u64>,
    #[serde(rename = "GiftId")]
    gift_id: String,
    #[serde(rename = "Count")]
    count: Option<u64>,
    #[serde(rename = "Coins")]
    coins: Option<u64>,
}

/// The body into the struct above.
pub fn gift(body: &[u8]) -> Option<Gift> {
    serde_json::from_slice(body).ok()
}

/// `DestroyRoom`, declared as a user would.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct DestroyRoom {
    #[serde(rename = "CallbackCommand")]
    command: String,
    #[serde(rename = "Operator_Account")]
    operator: Option<String>,
    #[serde(rename = "RoomId")]
    room_id: String,
    #[serde(rename = "EventType")]
    event_type: Option<String>,
    #[serde(rename = "EventTime")]
    event_time: Option<u64>,
    #[serde(rename = "RoomInfo")]
    room: Option<RoomInfo>,
    #[serde(rename = "Statistic")]
    statistic: Option<Statistic>,
}

/// `Statistic`, declared as a user would.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Statistic {
    #[serde(rename = "TotalViewers")]
    viewers: Option<u64>,
    #[serde(rename = "TotalGiftsSent")]
    gifts: Option<u64>,
    #[serde(rename = "TotalGiftCoins")]
    coins: Option<u64>,
    #[serde(rename = "TotalUniqueGiftSenders")]
    senders: Option<u64>,
    #[serde(rename = "TotalLikesReceived")]
    likes: Option<u64>,
}

/// The body into the struct above.
pub fn destroy_room(body: &[u8]) -> Option<DestroyRoom> {
    serde_json::from_slice(body).ok()
}

/// `Message`, declared as a user would.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Message {
    #[serde(rename = "CallbackCommand")]
    command: String,
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "Type")]
    room_type: Option<String>,
    #[serde(rename = "From_Account")]
    from: Option<String>,
    #[serde(rename = "Operator_Account")]
    operator: Option<String>,
    #[serde(rename = "Random")]
    random: Option<u64>,
    #[serde(rename = "MsgId")]
    msg_id: Option<String>,
    #[serde(rename = "MsgBody")]
    body: Vec<MsgElement>,
    #[serde(rename = "CloudCustomData")]
    cloud_custom_data: Option<String>,
    #[serde(rename = "EventTime")]
    event_time: Option<String>,
}

/// `MsgElement`, declared as a user would.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct MsgElement {
    #[serde(rename = "MsgType")]
    msg_type: String,
    #[serde(rename = "MsgContent")]
    content: serde_json::Value,
}

/// The body into the struct above.
pub fn message(body: &[u8]) -> Option<Message> {
    serde_json::from_slice(body).ok()
}
