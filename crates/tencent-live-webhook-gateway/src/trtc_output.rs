//! What `serve` prints about a TRTC callback: one JSON line, or a line for people.

use anstyle::AnsiColor;
use tencent_live_webhook::trtc::{Callback, Event, Payload};

use crate::answer::Answer;
use crate::forward::Forwarded;
use crate::line::{Body, Kept, Line, human, paint};

/// The callback as one JSON line (without the newline): `{"kind":"trtc","sdkappid",
/// "received_at_ms","group","type","callback_ms","event_id","event"}`, the event in the
/// body's shape (`EventGroupId`, `EventType`, `EventInfo`); `"raw"` instead for a group or
/// type with no typed event, `"error"` and `"raw"` for a body that did not fit its type;
/// then `"forward"` and `"spool"` (or `"publish"`) as for Live webhooks.
pub fn trtc_json_line(
    callback: &Callback,
    received_at_ms: u64,
    forwarded: Option<&Forwarded>,
    kept: Option<Kept<'_>>,
) -> String {
    let head = Line {
        kind: Some("trtc"),
        received_at_ms: Some(received_at_ms),
        group: Some(callback.group()),
        event_type: Some(callback.event_type()),
        callback_ms: callback.callback_ms(),
        event_id: Some(callback.event_id()),
        ..Line::head(callback.sdk_app_id())
    };
    head.finish(Body::from(callback.payload()), forwarded, kept)
}

/// The callback for people: local time, `TRTC group/type`, what happened, the answer.
pub fn trtc_human_line(
    callback: &Callback,
    answer: &Answer,
    forwarded: Option<&Forwarded>,
    kept: Option<Kept<'_>>,
    color: bool,
) -> String {
    let what = match callback.payload() {
        Payload::Event(event) => summary(event),
        Payload::Misfit(misfit) => format!("body does not fit its type: {}", misfit.error()),
    };
    let (style, verdict) = if answer.status == 200 {
        (AnsiColor::Green, "OK")
    } else {
        (AnsiColor::Red, "FAIL")
    };
    let verdict = paint(color, style.on_default(), verdict);
    let title = format!("TRTC {}/{}", callback.group(), callback.event_type());
    human(
        &title,
        &what,
        answer.status,
        &verdict,
        forwarded,
        kept,
        color,
    )
}

/// A short human description of a TRTC event.
fn summary(event: &Event) -> String {
    let room = event
        .room_id()
        .map_or_else(|| "-".to_owned(), ToString::to_string);
    let user = |user: Option<&String>| user.map_or("-", String::as_str).to_owned();
    match event {
        Event::Room(e) => format!(
            "room {room}: {:?} {}",
            e.kind,
            user(e.info.user_id.as_ref())
        ),
        Event::Media(e) => format!(
            "room {room}: {} {:?}",
            user(e.info.user_id.as_ref()),
            e.kind
        ),
        Event::Recording(e) => format!(
            "room {room}: recording {:?} (task {})",
            e.kind,
            user(e.info.task_id.as_ref())
        ),
        Event::Relay(e) => format!(
            "room {room}: relay to CDN, status {}",
            e.info
                .payload
                .as_ref()
                .and_then(|payload| payload.status)
                .map_or_else(|| "-".to_owned(), |status| status.code().to_string())
        ),
        Event::StreamIngest(e) => format!(
            "input stream {:?} (task {})",
            e.kind,
            user(e.info.task_id.as_ref())
        ),
        Event::WebRecording(e) => format!(
            "web-page recording {:?} (task {})",
            e.kind,
            user(e.info.task_id.as_ref())
        ),
        Event::Ai(e) => format!("room {room}: AI {:?}", e.kind),
        _ => "(no typed event for this group or type)".to_owned(),
    }
}
