//! Walking JSON text byte by byte: which bytes are inside a string literal.
#![cfg(feature = "alloc")]

/// Follows string literals through JSON text, one byte at a time.
#[derive(Debug, Default)]
pub(crate) struct Strings {
    inside: bool,
    escaped: bool,
}

impl Strings {
    /// Whether `byte`, the next byte of the text, belongs to a string literal (its quotes
    /// included). Every byte of the text must be passed, in order.
    pub(crate) fn contains(&mut self, byte: u8) -> bool {
        if self.inside {
            if self.escaped {
                self.escaped = false;
            } else if byte == b'\\' {
                self.escaped = true;
            } else if byte == b'"' {
                self.inside = false;
            }
            true
        } else {
            self.inside = byte == b'"';
            self.inside
        }
    }

    /// Whether the bytes passed so far end inside a string literal.
    pub(crate) fn is_inside(&self) -> bool {
        self.inside
    }
}

/// Whether the text's first byte that is not white space opens an object: serde reads a
/// struct from an array too, and a webhook is only ever an object.
pub(crate) fn opens_object(text: &[u8]) -> bool {
    text.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_escapes_and_the_bytes_between_are_inside() {
        let text = br#"{"a\"b":"c\\"} x"#;
        let mut strings = Strings::default();
        let marks: alloc::string::String = text
            .iter()
            .map(|&byte| if strings.contains(byte) { 's' } else { '.' })
            .collect();
        assert_eq!(marks, ".ssssss.sssss...");
    }

    #[test]
    fn only_an_object_opens_a_webhook() {
        for (text, object) in [
            (&b"{}"[..], true),
            (b" \r\n\t{\"a\":1}", true),
            (b"[{}]", false),
            (b"\"{\"", false),
            (b"", false),
            (b"   ", false),
        ] {
            assert_eq!(
                opens_object(text),
                object,
                "{:?}",
                alloc::string::String::from_utf8_lossy(text)
            );
        }
    }
}
