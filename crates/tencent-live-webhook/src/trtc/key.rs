//! The TRTC callback key and the signature it makes: `base64(HMAC-SHA256(key, body))`.

use alloc::string::String;
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};
use zeroize::Zeroize;

/// Longest key the TRTC console accepts: 32 letters and digits.
pub const MAX_KEY_LEN: usize = 32;

/// Length of a `Sign` header: 32 bytes in padded base64.
pub const SIGN_LEN: usize = 44;

/// The callback key set in the TRTC console (1 to 32 ASCII letters and digits).
///
/// Its `Debug` output never shows the value, it has no `Display`, and its memory is wiped
/// when dropped.
///
/// ```
/// use tencent_live_webhook::trtc::{Key, KeyError};
///
/// let key = Key::new("123654")?;
/// assert_eq!(format!("{key:?}"), "Key(<redacted>)");
/// assert_eq!(Key::new("a".repeat(33)).unwrap_err(), KeyError::TooLong { len: 33 });
/// # Ok::<(), KeyError>(())
/// ```
#[derive(Clone)]
pub struct Key {
    len: u8,
    bytes: [u8; MAX_KEY_LEN],
}

impl Key {
    /// Wraps a key; refuses an empty one, one longer than [`MAX_KEY_LEN`], and any
    /// character other than an ASCII letter or digit (the console allows no other).
    pub fn new(key: impl AsRef<[u8]>) -> Result<Key, KeyError> {
        let key = key.as_ref();
        if key.is_empty() {
            return Err(KeyError::Empty);
        }
        if key.len() > MAX_KEY_LEN {
            return Err(KeyError::TooLong { len: key.len() });
        }
        if let Some(position) = key.iter().position(|byte| !byte.is_ascii_alphanumeric()) {
            return Err(KeyError::NotAlphanumeric { position });
        }
        let mut bytes = [0; MAX_KEY_LEN];
        bytes
            .iter_mut()
            .zip(key)
            .for_each(|(slot, byte)| *slot = *byte);
        let len = u8::try_from(key.len()).map_err(|_| KeyError::TooLong { len: key.len() })?;
        Ok(Key { len, bytes })
    }

    fn secret(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// The `Sign` header Tencent sends for `body` under this key: 44 characters of
    /// standard, padded base64, over the body's exact bytes.
    ///
    /// ```
    /// use tencent_live_webhook::trtc::Key;
    ///
    /// // The example of Tencent's signature page.
    /// let body = b"{\n\t\"EventGroupId\":\t2,\n\t\"EventType\":\t204,\n\t\"CallbackTs\":\t1664209748188,\n\t\"EventInfo\":\t{\n\t\t\"RoomId\":\t8489,\n\t\t\"EventTs\":\t1664209748,\n\t\t\"EventMsTs\":\t1664209748180,\n\t\t\"UserId\":\t\"user_85034614\",\n\t\t\"Reason\":\t0\n\t}\n}";
    /// assert_eq!(Key::new("123654")?.sign(body), "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=");
    /// # Ok::<(), tencent_live_webhook::trtc::KeyError>(())
    /// ```
    pub fn sign(&self, body: &[u8]) -> String {
        STANDARD.encode(self.mac(body))
    }

    /// The 32 bytes of the HMAC over `body`.
    pub(crate) fn mac(&self, body: &[u8]) -> [u8; 32] {
        // HMAC takes a key of any length.
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.secret())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of every length"));
        mac.update(body);
        mac.finalize().into_bytes().into()
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

/// Why a TRTC key was refused. Never shows the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The key is empty.
    Empty,
    /// The key is longer than [`MAX_KEY_LEN`] characters.
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The key has a character that is not an ASCII letter or digit.
    NotAlphanumeric {
        /// Where, counted in bytes from 0.
        position: usize,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => f.write_str("TRTC key is empty"),
            KeyError::TooLong { len } => write!(
                f,
                "TRTC key has {len} characters, more than the {MAX_KEY_LEN} the console allows"
            ),
            KeyError::NotAlphanumeric { position } => write!(
                f,
                "TRTC key has a character other than a letter or digit at position {position}"
            ),
        }
    }
}

impl core::error::Error for KeyError {}

/// A `Sign` header decoded to its 32 bytes, or `None` when it is not exactly
/// [`SIGN_LEN`] characters of canonical, padded base64.
pub(crate) fn decode_sign(sign: &[u8]) -> Option<[u8; 32]> {
    if sign.len() != SIGN_LEN {
        return None;
    }
    // The engine's estimate for 44 characters is 33 bytes; it refuses non-canonical
    // trailing bits, so one Sign has one spelling.
    let mut decoded = [0; 33];
    match STANDARD.decode_slice(sign, &mut decoded) {
        Ok(32) => {
            let mut bytes = [0; 32];
            bytes.copy_from_slice(decoded.get(..32)?);
            Some(bytes)
        }
        _ => None,
    }
}
