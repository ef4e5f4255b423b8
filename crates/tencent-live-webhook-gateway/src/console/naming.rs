//! How the console names what it lists: a TRTC callback by what happened (`video start
//! (2/201)`) rather than its envelope's command word (`trtc:2:201`), and its room as
//! Tencent wrote it (`12345`) rather than the spool's order key (`trtc:n:12345`).

use tencent_live_webhook::TRTC_COMMAND_PREFIX;

/// What the console calls a notification of `command`.
pub(crate) fn name(command: &str) -> String {
    let Some((group, event_type)) = command
        .strip_prefix(TRTC_COMMAND_PREFIX)
        .and_then(|rest| rest.split_once(':'))
    else {
        return command.to_owned();
    };
    let numbers = (group.parse::<i64>(), event_type.parse::<i64>());
    match numbers {
        (Ok(group), Ok(event_type)) => {
            match tencent_live_webhook::trtc::event_label(group, event_type) {
                Some(label) => format!("{label} ({group}/{event_type})"),
                None => format!("TRTC event {group}/{event_type}"),
            }
        }
        _ => command.to_owned(),
    }
}

/// A room as Tencent wrote it, from the key the spool orders by.
pub(crate) fn room(key: &str) -> &str {
    key.strip_prefix("trtc:n:")
        .or_else(|| key.strip_prefix("trtc:s:"))
        .unwrap_or(key)
}

/// A row of the console's list (a spool entry or a remembered webhook, as JSON) with its
/// `name` added and its `room` as Tencent wrote it.
pub(crate) fn named(mut row: serde_json::Value) -> serde_json::Value {
    if let Some(fields) = row.as_object_mut() {
        let command = fields
            .get("command")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        let name = name(command);
        fields.insert("name".into(), name.into());
        if let Some(shown) = fields
            .get("room")
            .and_then(serde_json::Value::as_str)
            .map(|key| room(key).to_owned())
        {
            fields.insert("room".into(), shown.into());
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trtc_events_are_named_and_rooms_shown_as_sent() {
        for (command, shown) in [
            ("trtc:2:201", "video start (2/201)"),
            ("trtc:1:103", "user entered (1/103)"),
            ("trtc:4:401", "CDN relay status (4/401)"),
            ("trtc:2:299", "TRTC event 2/299"),
            ("trtc:x:1", "trtc:x:1"),
            (
                "Live.CallbackAfterCreateRoom",
                "Live.CallbackAfterCreateRoom",
            ),
            ("Group.CallbackBeforeSendMsg", "Group.CallbackBeforeSendMsg"),
        ] {
            assert_eq!(name(command), shown, "{command}");
        }
        assert_eq!(room("trtc:n:12345"), "12345");
        assert_eq!(room("trtc:s:abc"), "abc");
        assert_eq!(room("live-room-1"), "live-room-1");
        let row = named(serde_json::json!({"command": "trtc:2:201", "room": "trtc:n:12345"}));
        assert_eq!(row["name"], "video start (2/201)");
        assert_eq!(row["room"], "12345");
    }
}
