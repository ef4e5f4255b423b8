//! What the lines of both families share: the JSON line's fields and how its body and
//! outcome are written, and the line for people's painting, time and last words.

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use serde::ser::SerializeStruct;
use serde_json::value::RawValue;
use tencent_live_webhook::{RawJson, trtc};
use tencent_live_webhook_spool::Appended;

use crate::forward::Forwarded;

/// A JSON line: the head fields a family has (the others are left out), then the body and
/// what happened to it, always in this order.
pub(crate) struct Line<'a> {
    pub(crate) kind: Option<&'static str>,
    pub(crate) command: Option<&'a str>,
    pub(crate) sdkappid: u64,
    pub(crate) received_at_ms: Option<u64>,
    pub(crate) request_id: Option<&'a str>,
    pub(crate) group: Option<i64>,
    pub(crate) event_type: Option<i64>,
    pub(crate) callback_ms: Option<u64>,
    pub(crate) event_id: Option<&'a str>,
}

/// A line's body: the typed event, or the exact body where there is no type for it or it
/// did not fit (with what did not).
pub(crate) enum Body<'a, E> {
    Typed(&'a E),
    Untyped(&'a RawValue),
    Misfit(&'a dyn std::fmt::Display, &'a RawValue),
}

impl<'a> From<&'a tencent_live_webhook::Payload> for Body<'a, tencent_live_webhook::Event> {
    fn from(payload: &'a tencent_live_webhook::Payload) -> Self {
        use tencent_live_webhook::{Event, Payload};
        match payload {
            Payload::Event(Event::Unknown(unknown)) => Body::Untyped(unknown.body()),
            Payload::Event(event) => Body::Typed(event),
            Payload::Misfit(misfit) => Body::Misfit(misfit.error(), misfit.body()),
        }
    }
}

impl<'a> From<&'a trtc::Payload> for Body<'a, trtc::Event> {
    fn from(payload: &'a trtc::Payload) -> Self {
        match payload {
            trtc::Payload::Event(trtc::Event::Unknown(unknown)) => Body::Untyped(unknown.body()),
            trtc::Payload::Event(event) => Body::Typed(event),
            trtc::Payload::Misfit(misfit) => Body::Misfit(misfit.error(), misfit.body()),
        }
    }
}

// Borrowed parts only: copied whatever `E` is.
impl<E> Clone for Body<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for Body<'_, E> {}

impl<'a> Line<'a> {
    /// A head with the app alone.
    pub(crate) fn head(sdkappid: u64) -> Line<'a> {
        Line {
            kind: None,
            command: None,
            sdkappid,
            received_at_ms: None,
            request_id: None,
            group: None,
            event_type: None,
            callback_ms: None,
            event_id: None,
        }
    }

    /// The whole line (without the newline): the head, `"event"` (or `"error"` and
    /// `"raw"`, the body written compact: one notification, one line), then `"forward"`,
    /// and `"spool"` or `"publish"`.
    pub(crate) fn finish<E: Serialize>(
        self,
        body: Body<'_, E>,
        forwarded: Option<&Forwarded>,
        kept: Option<Kept<'_>>,
    ) -> String {
        let (event, error, raw) = match body {
            Body::Typed(event) => (Some(event), None, None),
            Body::Untyped(raw) => (None, None, Some(RawJson::from(raw.to_owned()))),
            Body::Misfit(error, raw) => (
                None,
                Some(error.to_string()),
                Some(RawJson::from(raw.to_owned())),
            ),
        };
        let (spool, publish) = Kept::members(kept);
        let whole = Whole {
            head: self,
            event,
            error,
            raw,
            forward: forwarded,
            spool,
            publish,
        };
        // Strings, numbers and already-valid JSON: serializing cannot fail.
        serde_json::to_string(&whole).unwrap_or_default()
    }
}

struct Whole<'a, E> {
    head: Line<'a>,
    event: Option<&'a E>,
    error: Option<String>,
    raw: Option<RawJson>,
    forward: Option<&'a Forwarded>,
    spool: Option<Stored<'a>>,
    publish: Option<Stored<'a>>,
}

impl<E: Serialize> Serialize for Whole<'_, E> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// Writes the field when it is there.
        fn field<T: Serialize, M: SerializeStruct>(
            line: &mut M,
            name: &'static str,
            value: Option<&T>,
        ) -> Result<(), M::Error> {
            match value {
                Some(value) => line.serialize_field(name, value),
                None => line.skip_field(name),
            }
        }
        let head = &self.head;
        let mut line = serializer.serialize_struct("Line", 16)?;
        field(&mut line, "kind", head.kind.as_ref())?;
        field(&mut line, "command", head.command.as_ref())?;
        line.serialize_field("sdkappid", &head.sdkappid)?;
        field(&mut line, "received_at_ms", head.received_at_ms.as_ref())?;
        field(&mut line, "request_id", head.request_id.as_ref())?;
        field(&mut line, "group", head.group.as_ref())?;
        field(&mut line, "type", head.event_type.as_ref())?;
        field(&mut line, "callback_ms", head.callback_ms.as_ref())?;
        field(&mut line, "event_id", head.event_id.as_ref())?;
        field(&mut line, "event", self.event)?;
        field(&mut line, "error", self.error.as_ref())?;
        field(&mut line, "raw", self.raw.as_ref())?;
        field(&mut line, "forward", self.forward)?;
        field(&mut line, "spool", self.spool.as_ref())?;
        field(&mut line, "publish", self.publish.as_ref())?;
        line.end()
    }
}

/// A line for people: local time, what it is (`title`, bold), what happened, then the
/// answer's status and `verdict`, how forwarding went and where it was kept.
pub(crate) fn human(
    title: &str,
    what: &str,
    status: u16,
    verdict: &str,
    forwarded: Option<&Forwarded>,
    kept: Option<Kept<'_>>,
    color: bool,
) -> String {
    format!(
        "{}  {}  {what}  -> {status} {verdict}{}{}",
        line_time(),
        paint(color, Style::new().bold(), title),
        forward_words(forwarded, color),
        Kept::words(kept),
    )
}

/// The `"spool"` or `"publish"` member of a line.
#[derive(Serialize)]
pub(crate) struct Stored<'a> {
    id: &'a str,
    duplicate: bool,
}

/// Where a notification was kept before it was answered.
#[derive(Debug, Clone, Copy)]
pub enum Kept<'a> {
    /// In the spool (`"spool"` in JSON lines).
    Spool(&'a Appended),
    /// In the broker (`"publish"`): the envelope's id, and whether it was there already.
    Broker {
        /// The envelope's id.
        id: &'a str,
        /// Already in the stream within the dedup window.
        duplicate: bool,
    },
}

impl<'a> Kept<'a> {
    /// The `"spool"` and `"publish"` members of a line.
    pub(crate) fn members(kept: Option<Kept<'a>>) -> (Option<Stored<'a>>, Option<Stored<'a>>) {
        match kept {
            None => (None, None),
            Some(Kept::Spool(appended)) => (
                Some(Stored {
                    id: &appended.id,
                    duplicate: appended.duplicate,
                }),
                None,
            ),
            Some(Kept::Broker { id, duplicate }) => (None, Some(Stored { id, duplicate })),
        }
    }

    /// The words a line for people ends with.
    pub(crate) fn words(kept: Option<Kept<'a>>) -> &'static str {
        match kept {
            None => "",
            Some(Kept::Spool(appended)) if appended.duplicate => {
                " (duplicate: already in the spool)"
            }
            Some(Kept::Spool(_)) => " (kept in the spool)",
            Some(Kept::Broker {
                duplicate: true, ..
            }) => " (duplicate: already published)",
            Some(Kept::Broker { .. }) => " (published)",
        }
    }
}

/// `text` in `style` when the line is coloured.
pub(crate) fn paint(color: bool, style: Style, text: &str) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

/// When a human line was written, local time to the second.
fn line_time() -> String {
    jiff::Zoned::now().strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// How forwarding went, as a human line ends: ` (app: HTTP 200 in 3 ms)`, or nothing.
fn forward_words(forwarded: Option<&Forwarded>, color: bool) -> String {
    match forwarded {
        None => String::new(),
        Some(Forwarded::Answered { status, ms, .. }) => {
            format!(" (app: HTTP {status} in {ms} ms)")
        }
        Some(Forwarded::Failed { error }) => format!(
            " ({})",
            paint(color, AnsiColor::Red.on_default(), &format!("app: {error}"))
        ),
    }
}
