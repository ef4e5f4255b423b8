//! Free-form JSON inside an event, kept exactly as the sender wrote it.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::json_text::Strings;

/// A JSON value that belongs to the sender (message content, an event's free-form
/// payload), kept as the exact text received: integers beyond 64 bits, number spellings
/// (`1.0`, `1e3`) and key order come back out unchanged.
///
/// Read it with [`RawJson::parse`] into the type you expect, or take the text. Serialized,
/// it is written compact: every string and number as received, the whitespace between
/// them left out, so that one webhook stays one line of JSON.
///
/// ```
/// use tencent_live_webhook::RawJson;
///
/// let raw = RawJson::from_string("{\r\n  \"Data\": 123456789012345678901234567890\r\n}".into())?;
/// assert_eq!(raw.get(), "{\r\n  \"Data\": 123456789012345678901234567890\r\n}");
/// assert_eq!(raw.compact(), r#"{"Data":123456789012345678901234567890}"#);
/// assert_eq!(serde_json::to_string(&raw)?, raw.compact());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct RawJson(Box<RawValue>);

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.compact() {
            Cow::Borrowed(_) => self.0.serialize(serializer),
            Cow::Owned(compact) => RawValue::from_string(compact)
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
        }
    }
}

impl RawJson {
    /// Checks that `json` is one JSON value and keeps it as it is.
    pub fn from_string(json: String) -> Result<RawJson, serde_json::Error> {
        RawValue::from_string(json).map(RawJson)
    }

    /// The JSON text, exactly as received.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The text without whitespace between tokens: strings (with their escapes) and
    /// numbers exactly as received. Borrowed when there was no such whitespace.
    pub fn compact(&self) -> Cow<'_, str> {
        compact(self.get())
    }

    /// The text laid out for people: one member or element per line, indented by two
    /// spaces, a space after each `:`; strings and numbers exactly as received.
    ///
    /// ```
    /// use tencent_live_webhook::RawJson;
    ///
    /// let raw = RawJson::from_string(r#"{"a":[1,1e400],"b":{},"c":"x, y"}"#.into())?;
    /// assert_eq!(raw.pretty(), "{\n  \"a\": [\n    1,\n    1e400\n  ],\n  \"b\": {},\n  \"c\": \"x, y\"\n}");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn pretty(&self) -> String {
        pretty(&self.compact())
    }

    /// Reads the value as `T`.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }
}

impl PartialEq for RawJson {
    /// Equal when the tokens are: the same strings and numbers, spelled the same, in the
    /// same order; whitespace between them does not count (`1.0` and `1` differ).
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get() || self.compact() == other.compact()
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

/// `json` (valid JSON text) without the whitespace between its tokens.
pub(crate) fn compact(json: &str) -> Cow<'_, str> {
    let mut strings = Strings::default();
    let mut out: Option<String> = None;
    // Bytes kept since the last whitespace dropped: copied as one slice.
    let mut kept_from = 0;
    for (at, &byte) in json.as_bytes().iter().enumerate() {
        let space = !strings.contains(byte) && matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
        if space {
            // Whitespace is ASCII: these are character boundaries.
            let out = out.get_or_insert_with(|| String::with_capacity(json.len()));
            out.push_str(json.get(kept_from..at).unwrap_or_default());
            kept_from = at + 1;
        }
    }
    match out {
        None => Cow::Borrowed(json),
        Some(mut out) => {
            out.push_str(json.get(kept_from..).unwrap_or_default());
            Cow::Owned(out)
        }
    }
}

/// `json` (compact, valid JSON text) laid out over lines, two spaces per level.
fn pretty(json: &str) -> String {
    fn new_line(out: &mut String, depth: usize) {
        out.push('\n');
        out.extend(core::iter::repeat_n("  ", depth));
    }
    let mut strings = Strings::default();
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let bytes = json.as_bytes();
    // Text is copied a character at a time only outside strings, where JSON is ASCII;
    // string literals are copied whole from their start.
    let mut string_from = None;
    for (at, &byte) in bytes.iter().enumerate() {
        if strings.contains(byte) {
            match string_from {
                None => string_from = Some(at),
                // The closing quote: a quote that ends the string's state.
                Some(from) if byte == b'"' && !strings.is_inside() => {
                    out.push_str(json.get(from..=at).unwrap_or_default());
                    string_from = None;
                }
                Some(_) => {}
            }
            continue;
        }
        match byte {
            b'{' | b'[' => {
                out.push(char::from(byte));
                // An empty object or array stays on its line.
                if matches!(bytes.get(at + 1), Some(b'}' | b']')) {
                    continue;
                }
                depth += 1;
                new_line(&mut out, depth);
            }
            b'}' | b']' => {
                if !matches!(bytes.get(at.wrapping_sub(1)), Some(b'{' | b'[')) {
                    depth = depth.saturating_sub(1);
                    new_line(&mut out, depth);
                }
                out.push(char::from(byte));
            }
            b',' => {
                out.push(',');
                new_line(&mut out, depth);
            }
            b':' => out.push_str(": "),
            _ => out.push(char::from(byte)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_goes_and_strings_and_numbers_stay() {
        for (text, wanted) in [
            ("{}", "{}"),
            (
                " {\"a\" : [1 , 2.50,\r\n\t-0e3 ] } ",
                "{\"a\":[1,2.50,-0e3]}",
            ),
            ("\"a b\\\" c\"", "\"a b\\\" c\""),
            (
                "{\"k\": \"é \\\\\", \"n\": 1}",
                "{\"k\":\"é \\\\\",\"n\":1}",
            ),
            ("[\"\\\"\", 1]", "[\"\\\"\",1]"),
        ] {
            assert_eq!(compact(text), wanted, "{text}");
        }
        assert!(matches!(compact("{\"a\":\"b c\"}"), Cow::Borrowed(_)));
    }

    #[test]
    fn pretty_lays_out_tokens_and_keeps_them() {
        for (text, wanted) in [
            ("{}", "{}"),
            ("[]", "[]"),
            ("1", "1"),
            ("{\"a\":[]}", "{\n  \"a\": []\n}"),
            (
                " {\"a\" : [1 , {\"b\":null}],\"c\":\"[x], {y}: \\\"z\\\"\"} ",
                "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": \"[x], {y}: \\\"z\\\"\"\n}",
            ),
            ("[\"é\",-1.50e3]", "[\n  \"é\",\n  -1.50e3\n]"),
        ] {
            let raw = RawJson::from_string(text.into()).unwrap();
            let pretty = raw.pretty();
            assert_eq!(pretty, wanted, "{text}");
            assert_eq!(compact(&pretty), compact(text), "{text}");
        }
    }
}
