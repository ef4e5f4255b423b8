//! The `OptPlatform` URL parameter: which client platform caused the event.

use core::fmt;

use crate::inline::InlineStr;

/// Longest platform name kept for a value this crate does not know, in bytes.
pub const MAX_PLATFORM_LEN: usize = 32;

/// The platform that caused an event (`OptPlatform`).
///
/// The documented spellings differ between pages (`iOS`, `iOs`, `IOS`; `Mac`, `macOS`),
/// so names are matched without regard to case and `macOS` means [`Platform::Mac`].
/// Any other value is kept in [`Platform::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// `RESTAPI`: a server-side REST call.
    RestApi,
    /// `Web`.
    Web,
    /// `Android`.
    Android,
    /// `iOS`.
    Ios,
    /// `Windows`.
    Windows,
    /// `Mac` (also sent as `macOS`).
    Mac,
    /// `iPad`.
    IPad,
    /// `Unknown`: the platform itself said it does not know.
    Unknown,
    /// A value this crate does not know, kept as received.
    Other(OtherPlatform),
}

const NAMES: &[(&str, Platform)] = &[
    ("RESTAPI", Platform::RestApi),
    ("Web", Platform::Web),
    ("Android", Platform::Android),
    ("iOS", Platform::Ios),
    ("Windows", Platform::Windows),
    ("Mac", Platform::Mac),
    ("iPad", Platform::IPad),
    ("Unknown", Platform::Unknown),
    ("macOS", Platform::Mac),
];

impl Platform {
    /// Parses a value; `None` when an unknown value is longer than [`MAX_PLATFORM_LEN`]
    /// or holds control characters.
    pub fn parse(value: &str) -> Option<Platform> {
        if let Some((_, platform)) = NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(value))
        {
            return Some(*platform);
        }
        if value.chars().any(char::is_control) {
            return None;
        }
        InlineStr::new(value).map(|text| Platform::Other(OtherPlatform(text)))
    }

    /// The documented name, or the value as received for [`Platform::Other`].
    pub fn as_str(&self) -> &str {
        if let Platform::Other(other) = self {
            return other.0.as_str();
        }
        NAMES
            .iter()
            .find(|(_, platform)| platform == self)
            .map_or("", |(name, _)| name)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Platform {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A platform name this crate does not know, kept as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OtherPlatform(InlineStr<MAX_PLATFORM_LEN>);

impl OtherPlatform {
    /// The value as received.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_spellings_map_to_one_variant() {
        for value in ["iOS", "iOs", "IOS"] {
            assert_eq!(Platform::parse(value), Some(Platform::Ios), "{value}");
        }
        assert_eq!(Platform::parse("macOS"), Some(Platform::Mac));
        assert_eq!(Platform::parse("RESTAPI"), Some(Platform::RestApi));
        assert_eq!(Platform::Ios.as_str(), "iOS");
    }

    #[test]
    fn other_values_are_kept() {
        let platform = Platform::parse("HarmonyOS").unwrap();
        assert!(matches!(platform, Platform::Other(_)));
        assert_eq!(platform.as_str(), "HarmonyOS");
        assert_eq!(Platform::parse(&"x".repeat(MAX_PLATFORM_LEN + 1)), None);
        assert_eq!(Platform::parse("a\u{7}"), None);
    }
}
