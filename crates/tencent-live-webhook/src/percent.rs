//! Percent-decoding of query keys and values into a caller's buffer.

/// Why a query component could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PercentError {
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8.
    BadEncoding,
    /// The decoded text does not fit the buffer.
    TooLong,
}

/// `raw` decoded: itself when it holds no `%` and no `+` (nothing to copy, and a `&str`
/// is UTF-8 already), else decoded into `buf`. The length limit is `buf`'s either way.
pub(crate) fn decode<'a>(
    raw: &'a str,
    escaped: bool,
    buf: &'a mut [u8],
) -> Result<&'a str, PercentError> {
    if escaped {
        decode_into(raw, buf)
    } else if raw.len() > buf.len() {
        Err(PercentError::TooLong)
    } else {
        Ok(raw)
    }
}

/// Decodes `raw` (`%XX` escapes, `+` as space) into `buf` and returns the text.
pub(crate) fn decode_into<'b>(raw: &str, buf: &'b mut [u8]) -> Result<&'b str, PercentError> {
    let mut input = raw.bytes();
    let mut len = 0usize;
    while let Some(byte) = input.next() {
        let decoded = match byte {
            b'%' => {
                let high = input.next().and_then(hex_value);
                let low = input.next().and_then(hex_value);
                match (high, low) {
                    (Some(high), Some(low)) => (high << 4) | low,
                    _ => return Err(PercentError::BadEncoding),
                }
            }
            b'+' => b' ',
            other => other,
        };
        *buf.get_mut(len).ok_or(PercentError::TooLong)? = decoded;
        len = len.checked_add(1).ok_or(PercentError::TooLong)?;
    }
    let filled = buf.get(..len).ok_or(PercentError::TooLong)?;
    core::str::from_utf8(filled).map_err(|_| PercentError::BadEncoding)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_plus() {
        let mut buf = [0; 32];
        assert_eq!(
            decode_into("Live%2ECallback+x", &mut buf),
            Ok("Live.Callback x")
        );
    }

    #[test]
    fn refuses_truncated_and_non_hex_escapes() {
        let mut buf = [0; 32];
        for raw in ["%", "%4", "%zz", "a%g1"] {
            assert_eq!(
                decode_into(raw, &mut buf),
                Err(PercentError::BadEncoding),
                "{raw}"
            );
        }
    }

    #[test]
    fn text_without_escapes_is_taken_as_it_is_under_the_same_limit() {
        let mut buf = [0; 4];
        assert_eq!(decode("abcd", false, &mut buf), Ok("abcd"));
        assert_eq!(decode("abcde", false, &mut buf), Err(PercentError::TooLong));
        assert_eq!(decode("a%41", true, &mut buf), Ok("aA"));
    }

    #[test]
    fn refuses_invalid_utf8_and_overflow() {
        let mut buf = [0; 4];
        assert_eq!(decode_into("%ff", &mut buf), Err(PercentError::BadEncoding));
        assert_eq!(decode_into("abcde", &mut buf), Err(PercentError::TooLong));
        assert_eq!(decode_into("abcd", &mut buf), Ok("abcd"));
    }
}
