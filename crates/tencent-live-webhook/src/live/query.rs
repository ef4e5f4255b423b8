//! Parsing the query string Tencent appends to the webhook URL.

use core::fmt;

use crate::inline::InlineStr;
use crate::live::command::{Command, MAX_COMMAND_LEN};
use crate::live::platform::Platform;
use crate::live::signature::Sign;
use crate::percent::{PercentError, decode};

/// The URL parameters of a webhook request, parsed but not yet verified.
///
/// Keys are matched without regard to case (`SdkAppid` and `SdkAppId` both occur) and
/// `WebhookCommand` is accepted as another name for `CallbackCommand`. The undocumented
/// `RequestID` (also spelled `RequestId`) that real requests carry is kept. Other unknown
/// keys are ignored. Parsing never allocates.
///
/// ```
/// use tencent_live_webhook::{Command, Platform, WebhookQuery};
///
/// let query = WebhookQuery::parse(
///     "SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterCreateRoom\
///      &contenttype=json&ClientIP=10.0.0.1&OptPlatform=Android\
///      &Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112",
/// )?;
/// assert_eq!(query.sdk_app_id(), Some(1_400_000_000));
/// assert_eq!(query.command(), Some(Command::AfterCreateRoom));
/// assert_eq!(query.platform(), Some(Platform::Android));
/// assert_eq!(query.request_time(), Some(1_669_872_112));
/// # Ok::<(), tencent_live_webhook::QueryError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookQuery {
    sdk_app_id: Option<u64>,
    command: Option<(Command, InlineStr<MAX_COMMAND_LEN>)>,
    content_type: Option<InlineStr<SHORT_VALUE_LEN>>,
    client_ip: Option<InlineStr<CLIENT_IP_LEN>>,
    platform: Option<Platform>,
    sign: Option<SignParam>,
    request_time: Option<RequestTime>,
    request_id: Option<InlineStr<MAX_REQUEST_ID_LEN>>,
}

/// The bytes the query scan stops at: `&`, `=`, `%` and `+`.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'&' as usize] = true;
    table[b'=' as usize] = true;
    table[b'%' as usize] = true;
    table[b'+' as usize] = true;
    table
};

/// The position of the first `&`, `=`, `%` or `+` in `bytes`, eight bytes at a time.
fn next_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Marks the bytes of `word` equal to `byte` with their high bit. Bytes above a match
    // may be marked falsely, never bytes below it: the lowest mark is always right.
    let equal = |word: u64, byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let marks = equal(word, b'&') | equal(word, b'=') | equal(word, b'%') | equal(word, b'+');
        if marks != 0 {
            // Little-endian: the lowest mark is the first such byte.
            return Some(offset + (marks.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&byte| SPECIAL[usize::from(byte)])
        .map(|at| offset + at)
}

const SHORT_VALUE_LEN: usize = 32;
/// An IPv6 address with a zone id fits comfortably.
const CLIENT_IP_LEN: usize = 64;
/// `u64::MAX` has 20 decimal digits.
const MAX_TIME_DIGITS: usize = 20;
/// The longest `RequestID` kept. Seen values are UUIDs (36 bytes); the format is not
/// documented, so there is room to spare.
pub const MAX_REQUEST_ID_LEN: usize = 128;
/// Room for the longest value any parameter keeps (`RequestID`) and one more, so an
/// over-long value reaches its parameter's own length check.
const VALUE_BUF_LEN: usize = MAX_REQUEST_ID_LEN + 1;
/// Keys longer than this are not ours and are skipped without decoding.
const MAX_KEY_LEN: usize = 32;

/// The `Sign` parameter: either 32 decoded bytes or a value that cannot be a signature.
///
/// A malformed `Sign` is a signature failure (401), not a malformed query, so it is
/// kept and reported by verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignParam {
    Valid(Sign),
    Malformed,
}

/// `RequestTime`: the seconds and the digits exactly as sent, which are what was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RequestTime {
    pub(crate) seconds: u64,
    pub(crate) digits: InlineStr<MAX_TIME_DIGITS>,
}

impl WebhookQuery {
    /// Parses a raw query string (with or without a leading `?`).
    pub fn parse(raw: &str) -> Result<WebhookQuery, QueryError> {
        let raw = raw.strip_prefix('?').unwrap_or(raw);
        let mut query = WebhookQuery {
            sdk_app_id: None,
            command: None,
            content_type: None,
            client_ip: None,
            platform: None,
            sign: None,
            request_time: None,
            request_id: None,
        };
        // One pass over the bytes: each pair's bounds, its first `=`, and whether key or
        // value holds a `%` or `+` (only those are decoded; the rest are used in place).
        let bytes = raw.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let mut end = start;
            let mut equals = None;
            let mut key_escaped = false;
            let mut value_escaped = false;
            loop {
                let rest = bytes.get(end..).unwrap_or_default();
                let Some(offset) = next_special(rest) else {
                    end = bytes.len();
                    break;
                };
                end += offset;
                match (bytes.get(end), equals) {
                    (Some(b'&') | None, _) => break,
                    (Some(b'='), None) => equals = Some(end),
                    (Some(b'%' | b'+'), None) => key_escaped = true,
                    (Some(b'%' | b'+'), Some(_)) => value_escaped = true,
                    _ => {} // a second `=`: part of the value
                }
                end += 1;
            }
            // `&` and `=` are ASCII: these are character boundaries.
            let (raw_key, raw_value) = match equals {
                Some(at) => (
                    raw.get(start..at).unwrap_or_default(),
                    raw.get(at + 1..end).unwrap_or_default(),
                ),
                None => (raw.get(start..end).unwrap_or_default(), ""),
            };
            start = end + 1;
            if let Some(param) = Param::from_raw_key(raw_key, key_escaped) {
                query.set(param, raw_value, value_escaped)?;
            }
        }
        Ok(query)
    }

    fn set(&mut self, param: Param, raw_value: &str, escaped: bool) -> Result<(), QueryError> {
        let error = |kind| QueryError { param, kind };
        let mut buf = [0; VALUE_BUF_LEN];
        let value = match decode(raw_value, escaped, &mut buf) {
            Ok(value) => value,
            // An over-long Sign is still a (bad) signature, reported by verification.
            Err(PercentError::TooLong) if param == Param::Sign => "",
            Err(PercentError::TooLong) => return Err(error(QueryErrorKind::TooLong)),
            Err(PercentError::BadEncoding) => return Err(error(QueryErrorKind::BadEncoding)),
        };
        match param {
            Param::SdkAppId => {
                let id = parse_decimal(value).ok_or(error(QueryErrorKind::NotANumber))?;
                put_once(&mut self.sdk_app_id, id, param)
            }
            Param::Command => {
                let command: Command = value
                    .parse()
                    .map_err(|_| error(QueryErrorKind::InvalidValue))?;
                let word = InlineStr::new(value).ok_or(error(QueryErrorKind::TooLong))?;
                match self.command {
                    // `CallbackCommand` and `WebhookCommand` may both be present if they agree.
                    Some((_, seen)) if seen == word => Ok(()),
                    Some(_) => Err(error(QueryErrorKind::Repeated)),
                    None => {
                        self.command = Some((command, word));
                        Ok(())
                    }
                }
            }
            Param::ContentType => {
                let text = InlineStr::new(value).ok_or(error(QueryErrorKind::TooLong))?;
                put_once(&mut self.content_type, text, param)
            }
            Param::ClientIp => {
                let text = printable(value).map_err(error)?;
                put_once(&mut self.client_ip, text, param)
            }
            Param::RequestId => {
                let text = printable(value).map_err(error)?;
                put_once(&mut self.request_id, text, param)
            }
            Param::OptPlatform => {
                let platform = Platform::parse(value).ok_or(error(QueryErrorKind::InvalidValue))?;
                put_once(&mut self.platform, platform, param)
            }
            Param::Sign => put_once(&mut self.sign, SignParam::from_hex(value), param),
            Param::RequestTime => {
                let seconds = parse_decimal(value).ok_or(error(QueryErrorKind::NotANumber))?;
                let digits = InlineStr::new(value).ok_or(error(QueryErrorKind::NotANumber))?;
                put_once(
                    &mut self.request_time,
                    RequestTime { seconds, digits },
                    param,
                )
            }
        }
    }

    /// `SdkAppid`: the application the request claims to come from.
    pub fn sdk_app_id(&self) -> Option<u64> {
        self.sdk_app_id
    }

    /// `CallbackCommand` (or `WebhookCommand`), parsed; aliases map to their canonical command.
    pub fn command(&self) -> Option<Command> {
        self.command.map(|(command, _)| command)
    }

    /// The command word exactly as received, before alias mapping.
    pub fn command_word(&self) -> Option<&str> {
        self.command.as_ref().map(|(_, word)| word.as_str())
    }

    /// `contenttype`, as received (usually `json`).
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_ref().map(InlineStr::as_str)
    }

    /// `ClientIP`, as received (not checked to be an address).
    pub fn client_ip(&self) -> Option<&str> {
        self.client_ip.as_ref().map(InlineStr::as_str)
    }

    /// `OptPlatform`.
    pub fn platform(&self) -> Option<Platform> {
        self.platform
    }

    /// `RequestTime`, Unix seconds.
    pub fn request_time(&self) -> Option<u64> {
        self.request_time.map(|time| time.seconds)
    }

    /// `RequestID` (or `RequestId`), as received: an undocumented parameter real requests
    /// carry, which may serve as a delivery id. At most [`MAX_REQUEST_ID_LEN`] bytes.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_ref().map(InlineStr::as_str)
    }

    /// Whether a `Sign` parameter is present (well-formed or not).
    pub fn has_sign(&self) -> bool {
        self.sign.is_some()
    }

    pub(crate) fn sign_param(&self) -> Option<SignParam> {
        self.sign
    }

    pub(crate) fn request_time_param(&self) -> Option<RequestTime> {
        self.request_time
    }
}

impl SignParam {
    fn from_hex(value: &str) -> SignParam {
        // Accepts upper- and lower-case hex digits.
        Sign::from_hex(value.as_bytes()).map_or(SignParam::Malformed, SignParam::Valid)
    }
}

/// Text without control characters (which could forge log lines), kept inline.
fn printable<const N: usize>(value: &str) -> Result<InlineStr<N>, QueryErrorKind> {
    if value.chars().any(char::is_control) {
        return Err(QueryErrorKind::InvalidValue);
    }
    InlineStr::new(value).ok_or(QueryErrorKind::TooLong)
}

fn put_once<T>(slot: &mut Option<T>, value: T, param: Param) -> Result<(), QueryError> {
    if slot.is_some() {
        return Err(QueryError {
            param,
            kind: QueryErrorKind::Repeated,
        });
    }
    *slot = Some(value);
    Ok(())
}

/// Plain decimal digits into a `u64`: no sign, no spaces, no overflow.
pub(crate) fn parse_decimal(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.len() > MAX_TIME_DIGITS {
        return None;
    }
    digits.bytes().try_fold(0u64, |total, byte| {
        let digit = byte.is_ascii_digit().then(|| u64::from(byte - b'0'))?;
        total.checked_mul(10)?.checked_add(digit)
    })
}

/// A URL parameter this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Param {
    /// `SdkAppid`.
    SdkAppId,
    /// `CallbackCommand` or `WebhookCommand`.
    Command,
    /// `contenttype`.
    ContentType,
    /// `ClientIP`.
    ClientIp,
    /// `OptPlatform`.
    OptPlatform,
    /// `Sign`.
    Sign,
    /// `RequestTime`.
    RequestTime,
    /// `RequestID` (also spelled `RequestId`): undocumented, seen in real requests.
    RequestId,
}

impl Param {
    /// The parameter a key names as it appears in the query (`escaped`: it holds a `%` or
    /// `+`); `None` for a key that is not ours or cannot be decoded, whatever it says.
    pub(crate) fn from_raw_key(raw_key: &str, escaped: bool) -> Option<Param> {
        let mut buf = [0; MAX_KEY_LEN];
        Param::from_key(decode(raw_key, escaped, &mut buf).ok()?)
    }

    fn from_key(key: &str) -> Option<Param> {
        // The length picks the candidates; then one case-insensitive comparison each.
        let candidates: &[(&str, Param)] = match key.len() {
            4 => &[("Sign", Param::Sign)],
            8 => &[("SdkAppid", Param::SdkAppId), ("ClientIP", Param::ClientIp)],
            9 => &[("RequestID", Param::RequestId)],
            11 => &[
                ("RequestTime", Param::RequestTime),
                ("contenttype", Param::ContentType),
                ("OptPlatform", Param::OptPlatform),
            ],
            14 => &[("WebhookCommand", Param::Command)],
            15 => &[("CallbackCommand", Param::Command)],
            _ => &[],
        };
        // Tencent spells keys as documented: an exact match first, which is cheaper.
        candidates
            .iter()
            .find(|(name, _)| *name == key)
            .or_else(|| {
                candidates
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(key))
            })
            .map(|(_, param)| *param)
    }

    /// The parameter's name as Tencent's samples spell it.
    pub fn name(self) -> &'static str {
        match self {
            Param::SdkAppId => "SdkAppid",
            Param::Command => "CallbackCommand",
            Param::ContentType => "contenttype",
            Param::ClientIp => "ClientIP",
            Param::OptPlatform => "OptPlatform",
            Param::Sign => "Sign",
            Param::RequestTime => "RequestTime",
            Param::RequestId => "RequestID",
        }
    }
}

/// A query string that cannot be a webhook's: answered with HTTP 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryError {
    param: Param,
    kind: QueryErrorKind,
}

/// What is wrong with a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryErrorKind {
    /// A `%` escape is broken or the decoded bytes are not UTF-8.
    BadEncoding,
    /// The parameter occurs twice (or `CallbackCommand` and `WebhookCommand` disagree).
    Repeated,
    /// Not plain decimal digits that fit in 64 bits.
    NotANumber,
    /// Longer than any real value.
    TooLong,
    /// Not a value the parameter can take (an empty command word, a control character).
    InvalidValue,
}

impl QueryError {
    /// The parameter at fault.
    pub fn param(&self) -> Param {
        self.param
    }

    /// What is wrong with it.
    pub fn kind(&self) -> QueryErrorKind {
        self.kind
    }

    /// The HTTP status for this error: always 400.
    pub fn status(&self) -> u16 {
        400
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problem = match self.kind {
            QueryErrorKind::BadEncoding => "has a broken percent-encoding",
            QueryErrorKind::Repeated => "is repeated",
            QueryErrorKind::NotANumber => "is not a decimal number that fits in 64 bits",
            QueryErrorKind::TooLong => "is too long",
            QueryErrorKind::InvalidValue => "has an invalid value",
        };
        write!(f, "malformed query: {} {problem}", self.param.name())
    }
}

impl core::error::Error for QueryError {}

/// The query with the value of every `Sign` replaced by `***`, for showing a stored
/// request: a `Sign` proves the request for as long as its time window lasts.
///
/// Keys are read as verification reads them (decoded, without case), so a key written
/// `%53ign` or `SIGN`, which verification takes as the signature, is masked too. The rest
/// is kept byte for byte.
///
/// ```
/// use tencent_live_webhook::mask_sign;
///
/// assert_eq!(
///     mask_sign("SdkAppid=1&%53ign=abc&RequestTime=5"),
///     "SdkAppid=1&%53ign=***&RequestTime=5",
/// );
/// ```
#[cfg(feature = "alloc")]
pub fn mask_sign(raw: &str) -> alloc::string::String {
    let mut masked = alloc::string::String::with_capacity(raw.len());
    for (at, pair) in raw.split('&').enumerate() {
        if at > 0 {
            masked.push('&');
        }
        let key = pair.split_once('=').map_or(pair, |(key, _)| key);
        let escaped = key.contains(['%', '+']);
        if Param::from_raw_key(key.strip_prefix('?').unwrap_or(key), escaped) == Some(Param::Sign) {
            masked.push_str(key);
            masked.push_str("=***");
        } else {
            masked.push_str(pair);
        }
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_scan_finds_the_first_special_byte_anywhere() {
        for length in 0..40 {
            for at in 0..length {
                for special in [b'&', b'=', b'%', b'+'] {
                    let mut bytes = vec![b'a'; length];
                    bytes[at] = special;
                    // A second one later must not be reported instead.
                    if at + 1 < length {
                        bytes[length - 1] = b'&';
                    }
                    assert_eq!(next_special(&bytes), Some(at), "{length} {at} {special}");
                }
            }
            // Bytes one off from the special ones, and high bytes, are not special.
            let plain: Vec<u8> = (0..length)
                .map(|n| [b'$', b'\'', 0xff, b'<', b'>', b','][n % 6])
                .collect();
            assert_eq!(next_special(&plain), None, "{length}");
        }
    }

    fn kind_of(raw: &str) -> (Param, QueryErrorKind) {
        let error = WebhookQuery::parse(raw).unwrap_err();
        (error.param(), error.kind())
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn every_key_verification_takes_as_the_sign_is_masked() {
        for (raw, shown) in [
            (
                "SdkAppid=1&Sign=abcdef&RequestTime=5",
                "SdkAppid=1&Sign=***&RequestTime=5",
            ),
            ("%53ign=abc&%73IGN=d", "%53ign=***&%73IGN=***"),
            ("sign=a&SIGN=b", "sign=***&SIGN=***"),
            ("?Sign=a", "?Sign=***"),
            ("Sign", "Sign=***"),
            // Not the signature for verification either: kept as written.
            (
                "Signs=a&Si%67n=b%20c&Si%67=d&Sig%6=x&UserSig=y",
                "Signs=a&Si%67n=***&Si%67=d&Sig%6=x&UserSig=y",
            ),
            ("", ""),
        ] {
            assert_eq!(mask_sign(raw), shown, "{raw}");
            let verified_sign = WebhookQuery::parse(raw).map(|query| query.has_sign());
            if verified_sign == Ok(true) {
                assert!(shown.contains("=***"), "{raw}");
            }
        }
    }

    #[test]
    fn keys_match_without_case_and_webhook_command_is_accepted() {
        let query = WebhookQuery::parse("?SDKAPPID=7&webhookcommand=Live.CallbackAfterChangeOwner")
            .unwrap();
        assert_eq!(query.sdk_app_id(), Some(7));
        assert_eq!(query.command(), Some(Command::AfterChangeOwner));
    }

    #[test]
    fn values_are_percent_decoded_and_unknown_keys_ignored() {
        let query = WebhookQuery::parse(
            "Callback%43ommand=Live%2ECallbackMemberStateChanged&ClientIP=%3A%3A1&x=%zz&flag",
        )
        .unwrap();
        assert_eq!(query.command(), Some(Command::AfterMemberStateChanged));
        assert_eq!(
            query.command_word(),
            Some("Live.CallbackMemberStateChanged")
        );
        assert_eq!(query.client_ip(), Some("::1"));
    }

    #[test]
    fn both_command_keys_must_agree() {
        let same = "CallbackCommand=Live.CallbackAfterEndBattle&WebhookCommand=Live.CallbackAfterEndBattle";
        assert!(WebhookQuery::parse(same).is_ok());
        let differ = "CallbackCommand=Live.CallbackAfterEndBattle&WebhookCommand=Live.CallbackAfterStartBattle";
        assert_eq!(kind_of(differ), (Param::Command, QueryErrorKind::Repeated));
    }

    #[test]
    fn repeated_security_parameters_are_malformed() {
        assert_eq!(
            kind_of("Sign=a&sign=b"),
            (Param::Sign, QueryErrorKind::Repeated)
        );
        assert_eq!(
            kind_of("RequestTime=1&RequestTime=1"),
            (Param::RequestTime, QueryErrorKind::Repeated)
        );
        assert_eq!(
            kind_of("SdkAppid=1&SdkAppId=2"),
            (Param::SdkAppId, QueryErrorKind::Repeated)
        );
    }

    #[test]
    fn numbers_must_be_plain_digits_without_overflow() {
        for bad in [
            "",
            "-1",
            "+1",
            "1e3",
            " 1",
            "0x10",
            "18446744073709551616",
            "123456789012345678901234567890",
        ] {
            let raw = format!("RequestTime={bad}");
            assert_eq!(
                kind_of(&raw),
                (Param::RequestTime, QueryErrorKind::NotANumber),
                "{bad:?}"
            );
        }
        let max = WebhookQuery::parse("RequestTime=18446744073709551615").unwrap();
        assert_eq!(max.request_time(), Some(u64::MAX));
        assert_eq!(
            kind_of("SdkAppid=abc"),
            (Param::SdkAppId, QueryErrorKind::NotANumber)
        );
    }

    #[test]
    fn malformed_sign_is_kept_for_verification() {
        for bad in [
            "abc",
            "zz".repeat(32).as_str(),
            "0".repeat(65).as_str(),
            "0".repeat(500).as_str(),
        ] {
            let query = WebhookQuery::parse(&format!("Sign={bad}")).unwrap();
            assert_eq!(query.sign_param(), Some(SignParam::Malformed), "{bad}");
        }
    }

    #[test]
    fn broken_and_oversized_values_are_refused() {
        assert_eq!(
            kind_of("ClientIP=%4"),
            (Param::ClientIp, QueryErrorKind::BadEncoding)
        );
        let long_ip = format!("ClientIP={}", "1".repeat(CLIENT_IP_LEN + 1));
        assert_eq!(
            kind_of(&long_ip),
            (Param::ClientIp, QueryErrorKind::TooLong)
        );
        assert_eq!(
            kind_of("CallbackCommand="),
            (Param::Command, QueryErrorKind::InvalidValue)
        );
        assert_eq!(
            kind_of("OptPlatform=%0A"),
            (Param::OptPlatform, QueryErrorKind::InvalidValue)
        );
    }

    #[test]
    fn long_or_undecodable_keys_are_not_ours() {
        let long_key = format!("{}=1&SdkAppid=5", "SdkAppid".repeat(5));
        assert_eq!(
            WebhookQuery::parse(&long_key).unwrap().sdk_app_id(),
            Some(5)
        );
        assert_eq!(
            WebhookQuery::parse("Sdk%zzAppid=1").unwrap().sdk_app_id(),
            None
        );
        assert_eq!(
            kind_of("CallbackCommand=Live.Callback%0AForged"),
            (Param::Command, QueryErrorKind::InvalidValue)
        );
        assert_eq!(
            kind_of("ClientIP=1.2.3.4%0D%0A"),
            (Param::ClientIp, QueryErrorKind::InvalidValue)
        );
    }

    #[test]
    fn request_id_is_kept_in_either_spelling() {
        let id = "c637d5f9-2b8e-4c1a-9f3e-0d6b5a4c3e21";
        for key in ["RequestID", "RequestId", "requestid"] {
            let query = WebhookQuery::parse(&format!("SdkAppid=1&{key}={id}")).unwrap();
            assert_eq!(query.request_id(), Some(id), "{key}");
        }
        assert_eq!(
            WebhookQuery::parse("SdkAppid=1").unwrap().request_id(),
            None
        );
        let longest = "r".repeat(MAX_REQUEST_ID_LEN);
        let query = WebhookQuery::parse(&format!("RequestID={longest}")).unwrap();
        assert_eq!(query.request_id(), Some(longest.as_str()));
    }

    #[test]
    fn request_id_that_cannot_be_an_id_is_refused() {
        assert_eq!(
            kind_of("RequestID=a&RequestId=b"),
            (Param::RequestId, QueryErrorKind::Repeated)
        );
        let too_long = format!("RequestID={}", "r".repeat(MAX_REQUEST_ID_LEN + 1));
        assert_eq!(
            kind_of(&too_long),
            (Param::RequestId, QueryErrorKind::TooLong)
        );
        assert_eq!(
            kind_of("RequestID=abc%0A%7B%22forged%22%3A1%7D"),
            (Param::RequestId, QueryErrorKind::InvalidValue)
        );
        assert_eq!(
            kind_of("RequestID=%E0%A4"),
            (Param::RequestId, QueryErrorKind::BadEncoding)
        );
    }

    #[test]
    fn error_messages_name_the_parameter() {
        let error = WebhookQuery::parse("RequestTime=soon").unwrap_err();
        assert_eq!(
            error.to_string(),
            "malformed query: RequestTime is not a decimal number that fits in 64 bits"
        );
        assert_eq!(error.status(), 400);
    }
}
