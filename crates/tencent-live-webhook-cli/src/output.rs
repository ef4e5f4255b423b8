//! What the CLI prints about a webhook: one JSON line, or a one-line summary.

use serde::Serialize;
use tencent_live_webhook::{Event, MsgElement, Payload, RawJson, Webhook};

#[derive(Serialize)]
struct Line<'a> {
    command: &'a str,
    sdkappid: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a Event>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Written compact, whatever whitespace the body had: one webhook, one line.
    raw: Option<RawJson>,
}

/// The webhook as one JSON line (without the newline):
/// `{"command","sdkappid","event"}`, `{"command","sdkappid","error","raw"}` for a body that
/// did not fit, or `{"command","sdkappid","raw"}` for a command with no typed event; with
/// `"request_id"` after `"sdkappid"` when the URL carried a `RequestID`.
pub(crate) fn json_line(webhook: &Webhook) -> String {
    let meta = webhook.meta();
    let mut line = Line {
        command: &meta.command_word,
        sdkappid: meta.sdk_app_id,
        request_id: meta.request_id.as_deref(),
        event: None,
        error: None,
        raw: None,
    };
    match webhook.payload() {
        Payload::Event(Event::Unknown(unknown)) => {
            line.raw = Some(RawJson::from(unknown.body().to_owned()));
        }
        Payload::Event(event) => line.event = Some(event),
        Payload::Misfit(misfit) => {
            line.error = Some(misfit.error().to_string());
            line.raw = Some(RawJson::from(misfit.body().to_owned()));
        }
    }
    // Strings, numbers and already-valid JSON: serializing cannot fail.
    serde_json::to_string(&line).unwrap_or_default()
}

/// A short human description of an event.
pub(crate) fn summary(event: &Event) -> String {
    let or_dash = |value: Option<&str>| value.unwrap_or("-").to_owned();
    match event {
        Event::AfterCreateRoom(e) => format!(
            "room {} created by {}",
            or_dash(e.room_info.room_id.as_deref()),
            or_dash(e.operator_account.as_deref())
        ),
        Event::AfterDestroyRoom(e) => format!(
            "room {} destroyed ({})",
            e.room_id,
            e.event_type.as_ref().map_or("-", |t| t.as_str())
        ),
        Event::AfterUpdateRoomInfo(e) => format!(
            "room {} updated by {}",
            or_dash(e.room_info.room_id.as_deref()),
            or_dash(e.operator_account.as_deref())
        ),
        Event::AfterSetMetadata(e) => format!(
            "room {}: {} metadata key(s) set",
            e.room_id,
            e.metadata.len()
        ),
        Event::AfterDelMetadata(e) => {
            format!("room {}: keys {} deleted", e.room_id, e.keys.join(", "))
        }
        Event::AfterCreateRoomReachingThreshold(e) => format!(
            "room quota alert: {} of {} rooms",
            e.cur_room_count.map_or("-".into(), |n| n.to_string()),
            e.max_room_count.map_or("-".into(), |n| n.to_string())
        ),
        Event::AfterMemberStateChanged(e) => format!(
            "room {}: {} member(s) {} ({})",
            e.room_id,
            e.member_list.len(),
            e.event_type.as_ref().map_or("-", |t| t.as_str()),
            e.event_cause.as_ref().map_or("-", |c| c.as_str())
        ),
        Event::AfterChangeOwner(e) => format!(
            "room {}: owner {} -> {}",
            e.room_id,
            or_dash(e.original_owner_account.as_deref()),
            or_dash(e.current_owner_account.as_deref())
        ),
        Event::AfterModifyAdmin(e) => format!(
            "room {}: admin {} {}",
            e.room_id,
            e.op_type.as_ref().map_or("-", |op| op.as_str()),
            e.admin_account
                .iter()
                .map(tencent_live_webhook::AccountId::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Event::AfterSeatInfoChanged(e) => {
            format!("room {}: {} seat(s) listed", e.room_id, e.seat_list.len())
        }
        Event::AfterCreateBattle(e) => format!(
            "battle {} created from room {} against {}",
            e.battle_id,
            or_dash(e.from_room_id.as_deref()),
            e.to_room_id_list.join(", ")
        ),
        Event::AfterStartBattle(e) => format!(
            "battle {} started with {} opponent(s)",
            e.battle_id,
            e.to_room_list.len()
        ),
        Event::AfterEndBattle(e) => format!(
            "battle {} ended (reason {})",
            e.battle_id,
            e.op_type
                .map_or("-".into(), |reason| reason.code().to_string())
        ),
        Event::BeforeSendGift(e) => format!(
            "room {}: {} x gift {} worth {} coins from {}",
            e.room_id,
            e.gift_water.count.unwrap_or(0),
            e.gift_water.gift_id,
            e.gift_water.coins.unwrap_or(0),
            or_dash(e.gift_water.from_account.as_deref())
        ),
        Event::BeforeSendMsg(e) => format!(
            "room {}: {} about to say {:?}",
            e.group_id,
            or_dash(e.from_account.as_deref()),
            e.msg_body
                .iter()
                .find_map(MsgElement::as_text)
                .unwrap_or_default()
        ),
        Event::AfterSendMsg(e) => format!(
            "room {}: {} said {:?}",
            e.group_id,
            or_dash(e.from_account.as_deref()),
            e.msg_body
                .iter()
                .find_map(MsgElement::as_text)
                .unwrap_or_default()
        ),
        Event::AfterFollowAdd(e) => format!(
            "{} followed {} user(s)",
            e.from_account,
            e.follow_list.len()
        ),
        Event::AfterFollowDelete(e) => format!(
            "{} unfollowed {} user(s)",
            e.from_account,
            e.to_account.len()
        ),
        Event::AfterCloudRecordingChanged(e) => format!(
            "room {}: recording event {}",
            or_dash(event.room_id()),
            e.event_type.code()
        ),
        _ => format!("{} (no typed event)", event.command()),
    }
}
