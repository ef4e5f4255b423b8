//! Sizes on the command line: a number with a unit (`256KiB`, `1MiB`, `2GiB`, `10MB`), or a
//! bare number of bytes.

/// A size in bytes: a bare number, or a number with `B`, `KB`/`MB`/`GB`/`TB` (powers of
/// 1000) or `KiB`/`MiB`/`GiB`/`TiB` (powers of 1024), without regard to case, a space
/// allowed before the unit. Refused when it does not fit in 64 bits.
///
/// ```
/// use tencent_live_webhook_gateway::size::bytes;
///
/// assert_eq!(bytes("1MiB"), Ok(1_048_576));
/// assert_eq!(bytes("2 GiB"), Ok(2_147_483_648));
/// assert_eq!(bytes("10MB"), Ok(10_000_000));
/// assert_eq!(bytes("262144"), Ok(262_144));
/// assert!(bytes("1.5MiB").is_err());
/// ```
pub fn bytes(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let digits = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits);
    let explain = || {
        format!(
            "{text:?} is not a size: write a number of bytes, or one with a unit (256KiB, 1MiB, 2GiB, 10MB)"
        )
    };
    if number.is_empty() {
        return Err(explain());
    }
    let multiplier: u64 = match unit.trim_start().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => return Err(explain()),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|number| number.checked_mul(multiplier))
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// [`bytes()`] as a `usize`.
pub fn bytes_usize(text: &str) -> Result<usize, String> {
    usize::try_from(bytes(text)?).map_err(|_| format!("{text:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_units_and_bare_numbers_are_bytes() {
        for (text, expected) in [
            ("0", 0),
            ("1", 1),
            ("1B", 1),
            ("1kb", 1_000),
            ("1KiB", 1_024),
            ("256KiB", 262_144),
            ("1MiB", 1_048_576),
            ("1 mib", 1_048_576),
            (" 3GB ", 3_000_000_000),
            ("1TiB", 1_099_511_627_776),
            ("18446744073709551615", u64::MAX),
        ] {
            assert_eq!(bytes(text), Ok(expected), "{text}");
        }
        for bad in ["", "MiB", "1.5MiB", "-1", "1 MiBs", "1K", "1e6", "0x10"] {
            assert!(bytes(bad).unwrap_err().contains("not a size"), "{bad}");
        }
        for large in ["18446744073709551616", "16777216TiB"] {
            assert!(bytes(large).unwrap_err().contains("too large"), "{large}");
        }
    }
}
