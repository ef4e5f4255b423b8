//! TRTC's own room, media and recording callbacks, signed over the body.
//!
//! A `TUILiveKit` room is a TRTC room, and TRTC can call the app's server on its own
//! channel: a user entered or left, an anchor started publishing audio, a recording file
//! is ready. These callbacks are configured in the TRTC console, one URL per event group
//! and one key per app, and are signed differently from the Live webhooks:
//!
//! | | Live webhook | TRTC callback |
//! |---|---|---|
//! | Signature | `Sign` in the query: `hex(sha256(Token + RequestTime))` | `Sign` header: `base64(HMAC-SHA256(key, body))` |
//! | Covers | the token and the time, not the body | every byte of the body, no time |
//! | Freshness | `RequestTime` within 60 s | `CallbackTs` in the body (window here: 5 min) |
//! | Answer | `{"ActionStatus":"OK",...}` | HTTP 200, `{"code":0}` |
//!
//! Since the body is signed as received (Tencent pretty-prints it with tabs and
//! newlines), it is verified before it is parsed, and never re-serialized to check it.
//!
//! ```
//! use tencent_live_webhook::trtc::{Event, Key, RoomEventKind, RoomId, Role, Verifier};
//!
//! let key = Key::new("123654")?;
//! let verifier = Verifier::new().app(1_400_000_000, [key.clone()]);
//! let body = b"{\n\t\"EventGroupId\":\t1,\n\t\"EventType\":\t103,\n\t\"CallbackTs\":\t1700000000000,\n\t\"EventInfo\":\t{\n\t\t\"RoomId\":\t8489,\n\t\t\"UserId\":\t\"anchor\",\n\t\t\"Role\":\t20\n\t}\n}";
//! let sign = key.sign(body);
//!
//! let callback = verifier
//!     .verify(Some(b"1400000000"), Some(sign.as_bytes()), body, 1_700_000_002_000)?
//!     .decode()?;
//! match callback.event() {
//!     Some(Event::Room(room)) if room.kind == RoomEventKind::Entered => {
//!         assert_eq!(room.info.room_id, Some(RoomId::Number(8489)));
//!         assert_eq!(room.info.role, Some(Role::Anchor));
//!     }
//!     other => panic!("unexpected {other:?}"),
//! }
//! assert_eq!(tencent_live_webhook::trtc::ACK, r#"{"code":0}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod decode;
mod event;
mod key;
mod receiver;
mod values;
mod verify;

pub use decode::{Callback, DecodeError, Misfit, Payload};
pub use event::{
    AiEvent, AiEventKind, AiInfo, Event, FileList, MediaEvent, MediaEventKind, RecordedFile,
    RecordingEvent, RecordingEventKind, RecordingInfo, RecordingPayload, RelayEvent, RelayInfo,
    RelayPayload, RoomEvent, RoomEventKind, StreamIngestEvent, StreamIngestEventKind,
    StreamIngestInfo, UnknownEvent, UserEventInfo, VodFile, WebRecordingEvent,
    WebRecordingEventKind, WebRecordingInfo, WebRecordingPayload, event_label,
};
pub use key::{Key, KeyError, MAX_KEY_LEN, SIGN_LEN};
pub use receiver::{Incoming, Receiver};
pub use values::{
    EnterReason, ExitReason, MediaId, RecorderLeaveCode, RelayStatus, Role, RoomId, TerminalType,
    TrackType, UserType,
};
pub use verify::{DEFAULT_MAX_AGE_MS, Headers, Verified, Verifier, VerifyError};

/// The body of the answer Tencent expects, with HTTP 200.
pub const ACK: &str = r#"{"code":0}"#;
