//! Free-form JSON inside an event, kept exactly as the sender wrote it.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A JSON value that belongs to the sender (message content, an event's free-form
/// payload), kept as the exact text received: integers beyond 64 bits, number spellings
/// (`1.0`, `1e3`) and key order come back out unchanged.
///
/// Read it with [`RawJson::parse`] into the type you expect, or take the text.
///
/// ```
/// use tencent_live_webhook::RawJson;
///
/// let raw = RawJson::from_string(r#"{"Data":123456789012345678901234567890}"#.into())?;
/// assert_eq!(raw.get(), r#"{"Data":123456789012345678901234567890}"#);
/// assert_eq!(serde_json::to_string(&raw)?, raw.get());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Checks that `json` is one JSON value and keeps it as it is.
    pub fn from_string(json: String) -> Result<RawJson, serde_json::Error> {
        RawValue::from_string(json).map(RawJson)
    }

    /// The JSON text, exactly as received.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Reads the value as `T`.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }
}

impl PartialEq for RawJson {
    /// Equal when the texts are equal: the sender's exact bytes are what is kept.
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for RawJson {}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawJson").field(&self.get()).finish()
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl From<Box<RawValue>> for RawJson {
    fn from(raw: Box<RawValue>) -> RawJson {
        RawJson(raw)
    }
}

impl From<RawJson> for Box<RawValue> {
    fn from(raw: RawJson) -> Box<RawValue> {
        raw.0
    }
}
