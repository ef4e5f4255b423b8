//! The cost floor: the least work that gives the same answer.

use serde::de::IgnoredAny;
use sha2::{Digest, Sha256};

use crate::inputs::{APP, NOW, TOKEN};

/// Finds the three parameters, hashes the token and the time once, decodes the hex `Sign`
/// and compares the 32 bytes.
pub fn verify(query: &str) -> bool {
    let (mut app, mut sign, mut time) = (None, None, None);
    for pair in query.as_bytes().split(|&byte| byte == b'&') {
        if let Some(value) = pair.strip_prefix(b"SdkAppid=") {
            app = Some(value);
        } else if let Some(value) = pair.strip_prefix(b"Sign=") {
            sign = Some(value);
        } else if let Some(value) = pair.strip_prefix(b"RequestTime=") {
            time = Some(value);
        }
    }
    let (Some(app), Some(sign), Some(time)) = (app, sign, time) else {
        return false;
    };
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u64, |n, &d| {
            d.is_ascii_digit()
                .then(|| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))?
        })
    };
    if number(app) != Some(APP) || number(time).is_none_or(|t| t.abs_diff(NOW) > 60) {
        return false;
    }
    let mut received = [0u8; 32];
    if hex::decode_to_slice(sign, &mut received).is_err() {
        return false;
    }
    let expected = Sha256::new()
        .chain_update(TOKEN.as_bytes())
        .chain_update(time)
        .finalize();
    expected.as_slice() == received
}

/// One validating pass over the body, building nothing.
pub fn validate(body: &[u8]) -> bool {
    serde_json::from_slice::<IgnoredAny>(body).is_ok()
}
