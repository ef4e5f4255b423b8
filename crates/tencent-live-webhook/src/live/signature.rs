//! The webhook signature: `Sign = hex(sha256(Token ++ RequestTime))`.

use core::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::inline::InlineStr;

/// Length of a `Sign` value in hex digits.
pub const SIGN_HEX_LEN: usize = 64;

/// Longest token Tencent accepts, in bytes.
pub const MAX_TOKEN_LEN: usize = 128;

/// The secret token configured with `set_callback_token` (1 to 128 bytes).
///
/// Its `Debug` output never shows the value, it has no `Display`, and its memory is
/// wiped when dropped.
///
/// ```
/// use tencent_live_webhook::Token;
///
/// let token = Token::new("xxxxyyyy")?;
/// assert_eq!(format!("{token:?}"), "Token(<redacted>)");
/// # Ok::<(), tencent_live_webhook::TokenError>(())
/// ```
#[derive(Clone)]
pub struct Token {
    len: u8,
    bytes: [u8; MAX_TOKEN_LEN],
}

impl Token {
    /// Wraps a token; refuses an empty one or one longer than [`MAX_TOKEN_LEN`] bytes.
    pub fn new(token: impl AsRef<[u8]>) -> Result<Token, TokenError> {
        let token = token.as_ref();
        if token.is_empty() {
            return Err(TokenError::Empty);
        }
        let mut bytes = [0; MAX_TOKEN_LEN];
        let slot = bytes.get_mut(..token.len()).ok_or(TokenError::TooLong)?;
        slot.copy_from_slice(token);
        let len = u8::try_from(token.len()).map_err(|_| TokenError::TooLong)?;
        Ok(Token { len, bytes })
    }

    fn secret(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or_default()
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// The token is empty.
    Empty,
    /// The token is longer than [`MAX_TOKEN_LEN`] bytes.
    TooLong,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenError::Empty => "token is empty",
            TokenError::TooLong => "token is longer than 128 bytes",
        })
    }
}

impl core::error::Error for TokenError {}

/// A webhook signature: 32 bytes, shown as 64 lowercase hex digits.
///
/// Equality is checked in constant time.
///
/// ```
/// use tencent_live_webhook::{Sign, Token};
///
/// // The example from Tencent's documentation.
/// let sign = Sign::compute(&Token::new("xxxxyyyy")?, 1_669_872_112);
/// assert_eq!(
///     sign.to_string(),
///     "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
/// );
/// # Ok::<(), tencent_live_webhook::TokenError>(())
/// ```
#[derive(Clone, Copy, Eq)]
pub struct Sign([u8; 32]);

impl Sign {
    /// The signature Tencent sends for `token` at `request_time` (Unix seconds).
    pub fn compute(token: &Token, request_time: u64) -> Sign {
        Sign::compute_for_digits(token, decimal(request_time).as_str())
    }

    /// The signature over the `RequestTime` digits exactly as they appear in the URL.
    pub(crate) fn compute_for_digits(token: &Token, request_time_digits: &str) -> Sign {
        let mut hasher = Sha256::new();
        hasher.update(token.secret());
        hasher.update(request_time_digits.as_bytes());
        Sign(hasher.finalize().into())
    }

    #[cfg(test)]
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Sign {
        Sign(bytes)
    }

    /// The 32 signature bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Equality in constant time, a word at a time: the differences of the four 64-bit
    /// words are combined without a branch, and only the combination is tested.
    pub(crate) fn ct_eq(&self, other: &Sign) -> subtle::Choice {
        let word = |bytes: &[u8; 32], at: usize| {
            let mut word = [0; 8];
            word.copy_from_slice(bytes.get(at..at + 8).unwrap_or(&[0; 8]));
            u64::from_ne_bytes(word)
        };
        let difference = (0..4)
            .map(|n| word(&self.0, n * 8) ^ word(&other.0, n * 8))
            .fold(0, |all, part| all | part);
        difference.ct_eq(&0)
    }

    /// Reads 64 hex digits (either case); `None` for any other text.
    pub(crate) fn from_hex(digits: &[u8]) -> Option<Sign> {
        if digits.len() != SIGN_HEX_LEN {
            return None;
        }
        let mut bytes = [0; 32];
        // Every digit is looked up; invalid ones set a high bit in `invalid`, tested once.
        let mut invalid = 0;
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
            let (high, low) = match pair {
                [high, low] => (HEX[usize::from(*high)], HEX[usize::from(*low)]),
                _ => (INVALID, INVALID),
            };
            invalid |= high | low;
            *byte = (high << 4) | (low & 0x0f);
        }
        (invalid & INVALID == 0).then_some(Sign(bytes))
    }

    /// The 64 lowercase hex digits, without allocating.
    pub fn to_hex(&self) -> SignHex {
        let mut digits = [0; SIGN_HEX_LEN];
        // The buffer is exactly twice the input length, so encoding cannot fail.
        let _ = hex::encode_to_slice(self.0, &mut digits);
        SignHex(digits)
    }
}

impl PartialEq for Sign {
    fn eq(&self, other: &Sign) -> bool {
        self.ct_eq(other).into()
    }
}

/// Marks a byte that is not a hex digit in [`HEX`].
const INVALID: u8 = 0x80;

/// The value of each hex digit, [`INVALID`] for every other byte.
const HEX: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut value: u8 = 0;
    while value < 16 {
        let digit = b"0123456789abcdef"[value as usize];
        table[digit as usize] = value;
        table[digit.to_ascii_uppercase() as usize] = value;
        value += 1;
    }
    table
};

impl fmt::Display for Sign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_hex().as_str())
    }
}

impl fmt::Debug for Sign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sign({self})")
    }
}

/// A [`Sign`] as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SignHex([u8; SIGN_HEX_LEN]);

impl SignHex {
    /// The hex digits.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Debug for SignHex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// `value` in decimal, without allocating.
pub(crate) fn decimal(mut value: u64) -> InlineStr<20> {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start = start.saturating_sub(1);
        if let Some(slot) = digits.get_mut(start) {
            // `value % 10` is below 10, so the cast keeps it whole.
            #[allow(clippy::cast_possible_truncation)]
            let digit = (value % 10) as u8;
            *slot = b'0' + digit;
        }
        value /= 10;
        if value == 0 {
            break;
        }
    }
    let text = core::str::from_utf8(digits.get(start..).unwrap_or_default()).unwrap_or_default();
    InlineStr::new(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_signs_read_in_either_case_and_nothing_else() {
        let sign = Sign::compute(&Token::new("xxxxyyyy").unwrap(), 1_669_872_112);
        let lower = sign.to_hex();
        assert_eq!(Sign::from_hex(lower.as_str().as_bytes()), Some(sign));
        let upper = lower.as_str().to_ascii_uppercase();
        assert_eq!(Sign::from_hex(upper.as_bytes()), Some(sign));
        for bad in [
            "",
            "0",
            &"g".repeat(64),
            &format!("{}z", &lower.as_str()[..63]),
        ] {
            assert_eq!(Sign::from_hex(bad.as_bytes()), None, "{bad}");
        }
        let mut other = *sign.as_bytes();
        other[31] ^= 1;
        assert_ne!(sign, Sign::from_bytes(other));
        other[31] ^= 1;
        other[0] ^= 0x80;
        assert_ne!(sign, Sign::from_bytes(other));
    }

    #[test]
    fn decimal_renders_edges() {
        assert_eq!(decimal(0).as_str(), "0");
        assert_eq!(decimal(1_669_872_112).as_str(), "1669872112");
        assert_eq!(decimal(u64::MAX).as_str(), "18446744073709551615");
    }

    #[test]
    fn token_length_limits() {
        assert_eq!(Token::new("").unwrap_err(), TokenError::Empty);
        assert!(Token::new([b'a'; MAX_TOKEN_LEN]).is_ok());
        assert_eq!(
            Token::new([b'a'; MAX_TOKEN_LEN + 1]).unwrap_err(),
            TokenError::TooLong
        );
    }

    #[test]
    fn different_tokens_and_times_give_different_signs() {
        let a = Token::new("a").unwrap();
        let b = Token::new("b").unwrap();
        assert_ne!(Sign::compute(&a, 1), Sign::compute(&b, 1));
        assert_ne!(Sign::compute(&a, 1), Sign::compute(&a, 2));
        assert_eq!(Sign::compute(&a, 7), Sign::compute_for_digits(&a, "7"));
    }
}
