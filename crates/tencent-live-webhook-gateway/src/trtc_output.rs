//! What `serve` prints about a TRTC callback: one JSON line, or a line for people.

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use tencent_live_webhook::RawJson;
use tencent_live_webhook::trtc::{Callback, Event, Payload};

use crate::answer::Answer;
use crate::forward::Forwarded;
use crate::output::{Kept, Stored, forward_words, line_time, paint};

#[derive(Serialize)]
struct Line<'a> {
    kind: &'static str,
    sdkappid: u64,
    received_at_ms: u64,
    group: i64,
    #[serde(rename = "type")]
    event_type: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback_ms: Option<u64>,
    event_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a Event>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// Written compact, whatever whitespace the body had: one callback, one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<RawJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    forward: Option<&'a Forwarded>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spool: Option<Stored<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publish: Option<Stored<'a>>,
}

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
    let (spool, publish) = Kept::members(kept);
    let mut line = Line {
        kind: "trtc",
        sdkappid: callback.sdk_app_id(),
        received_at_ms,
        group: callback.group(),
        event_type: callback.event_type(),
        callback_ms: callback.callback_ms(),
        event_id: callback.event_id(),
        event: None,
        error: None,
        raw: None,
        forward: forwarded,
        spool,
        publish,
    };
    match callback.payload() {
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

/// The callback for people: local time, `TRTC group/type`, what happened, the answer.
pub fn trtc_human_line(
    callback: &Callback,
    answer: &Answer,
    forwarded: Option<&Forwarded>,
    kept: Option<Kept<'_>>,
    color: bool,
) -> String {
    let paint = |style: Style, text: &str| paint(color, style, text);
    let what = match callback.payload() {
        Payload::Event(event) => summary(event),
        Payload::Misfit(misfit) => format!("body does not fit its type: {}", misfit.error()),
    };
    let verdict = if answer.status == 200 {
        paint(AnsiColor::Green.on_default(), "OK")
    } else {
        paint(AnsiColor::Red.on_default(), "FAIL")
    };
    format!(
        "{}  {}  {what}  -> {} {verdict}{}{}",
        line_time(),
        paint(
            Style::new().bold(),
            &format!("TRTC {}/{}", callback.group(), callback.event_type())
        ),
        answer.status,
        forward_words(forwarded, color),
        Kept::words(kept),
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
