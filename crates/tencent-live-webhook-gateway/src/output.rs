//! What the CLI prints about a webhook: one JSON line, a line for people, or a one-line
//! summary; and the line `serve --record` keeps.

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use tencent_live_webhook::{ActionStatus, Event, MsgElement, Payload, Webhook};

use crate::answer::Answer;
use crate::app::protocol_reply;
use crate::forward::Forwarded;
pub use crate::line::Kept;
use crate::line::{Body, Line, human, paint};

/// How `serve` prints each webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON document per line.
    Json,
    /// A line for people: time, command, what happened, the answer.
    Human,
}

/// The webhook as one JSON line (without the newline):
/// `{"command","sdkappid","event"}`, `{"command","sdkappid","error","raw"}` for a body that
/// did not fit, or `{"command","sdkappid","raw"}` for a command with no typed event; with
/// `"received_at_ms"` after `"sdkappid"` when it was received (Unix milliseconds), then
/// `"request_id"` when the URL carried a `RequestID`, and `"forward"`
/// when the webhook was forwarded: `{"status","ms"}` or `{"error"}`, and `"spool"` last
/// when it was stored (`"publish"` when it was published): `{"id","duplicate"}`.
pub fn json_line(
    webhook: &Webhook,
    received_at_ms: Option<u64>,
    forwarded: Option<&Forwarded>,
    kept: Option<Kept<'_>>,
) -> String {
    let meta = webhook.meta();
    let head = Line {
        command: Some(&meta.command_word),
        received_at_ms,
        request_id: meta.request_id.as_deref(),
        ..Line::head(meta.sdk_app_id)
    };
    head.finish(Body::from(webhook.payload()), forwarded, kept)
}

/// The webhook for people: local time, command, what happened, and the answer sent (with
/// the app's status and time when it was forwarded, or the spool's or the broker's verdict
/// when it was kept). Coloured when `color`.
pub fn human_line(
    webhook: &Webhook,
    answer: &Answer,
    forwarded: Option<&Forwarded>,
    kept: Option<Kept<'_>>,
    color: bool,
) -> String {
    let paint = |style: Style, text: &str| paint(color, style, text);
    let what = match webhook.payload() {
        Payload::Event(Event::Unknown(_)) => "(no typed event for this command)".to_owned(),
        Payload::Event(event) => summary(event),
        Payload::Misfit(misfit) => format!("body does not fit its type: {}", misfit.error()),
    };
    let verdict = match protocol_reply(answer.body.as_bytes()) {
        Some(reply) if answer.status == 200 && reply.action_status == ActionStatus::Ok => {
            if reply.error_code == 0 {
                paint(AnsiColor::Green.on_default(), "OK")
            } else {
                paint(
                    AnsiColor::Yellow.on_default(),
                    &format!("OK, ErrorCode {}", reply.error_code),
                )
            }
        }
        Some(reply) => paint(
            AnsiColor::Red.on_default(),
            &format!("FAIL, ErrorCode {}", reply.error_code),
        ),
        None => paint(AnsiColor::Red.on_default(), "not the protocol's JSON"),
    };
    let decided = crate::decision::decision(webhook.command(), answer.status, &answer.body)
        .map(|words| format!(" decision: {words}"))
        .unwrap_or_default();
    human(
        &webhook.meta().command_word,
        &what,
        answer.status,
        &format!("{verdict}{decided}"),
        forwarded,
        kept,
        color,
    )
}

/// The line `serve --record` appends: when it arrived (Unix milliseconds), the query
/// string and the body, both exactly as received, and how forwarding went when it was
/// forwarded (`"forward"`, as in the stdout line). `None` if the body is not UTF-8 (a
/// verified body always is: it was parsed as JSON).
pub fn record_line(
    received_at_ms: u64,
    query: &str,
    body: &[u8],
    forwarded: Option<&Forwarded>,
) -> Option<String> {
    #[derive(Serialize)]
    struct Record<'a> {
        received_at_ms: u64,
        query: &'a str,
        body: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        forward: Option<&'a Forwarded>,
    }
    let body = std::str::from_utf8(body).ok()?;
    serde_json::to_string(&Record {
        received_at_ms,
        query,
        body,
        forward: forwarded,
    })
    .ok()
}

/// A short human description of an event.
pub fn summary(event: &Event) -> String {
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
        Event::BeforeSendMsg(e) => message(
            &e.group_id,
            e.from_account.as_deref(),
            "about to say",
            &e.msg_body,
        ),
        Event::AfterSendMsg(e) => {
            message(&e.group_id, e.from_account.as_deref(), "said", &e.msg_body)
        }
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
        Event::C2cBeforeSendMsg(e) => direct(
            e.from_account.as_deref(),
            e.to_account.as_deref(),
            "about to say",
            e.msg_body.as_deref(),
        ),
        Event::C2cAfterSendMsg(e) => direct(
            e.from_account.as_deref(),
            e.to_account.as_deref(),
            "said",
            e.msg_body.as_deref(),
        ),
        Event::OfficialAccountBeforeSendMsg(e) => message(
            e.official_account.as_deref().unwrap_or("-"),
            None,
            "about to broadcast",
            e.msg_body.as_deref().unwrap_or_default(),
        ),
        Event::Unknown(_) => format!("{} (no typed event)", event.command()),
        // Other Chat events: what happened, and to which group or account.
        _ => {
            let what = event.command().description().unwrap_or("(no typed event)");
            match event.room_id() {
                Some(room) => format!("{room}: {what}"),
                None => what.to_owned(),
            }
        }
    }
}

/// A one-to-one message, in words: `A -> B: about to say "text"`.
fn direct(from: Option<&str>, to: Option<&str>, verb: &str, body: Option<&[MsgElement]>) -> String {
    let text = body
        .unwrap_or_default()
        .iter()
        .find_map(MsgElement::as_text)
        .unwrap_or_default();
    format!(
        "{} -> {}: {verb} {text:?}",
        from.unwrap_or("-"),
        to.unwrap_or("-")
    )
}

/// A message in a room, in words: `room R: U said "text"`.
fn message(room: &str, from: Option<&str>, verb: &str, body: &[MsgElement]) -> String {
    let text = body
        .iter()
        .find_map(MsgElement::as_text)
        .unwrap_or_default();
    format!("room {room}: {} {verb} {text:?}", from.unwrap_or("-"))
}
