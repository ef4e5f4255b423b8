//! Checking that a webhook request comes from the app's own Tencent account.

use core::fmt;

use subtle::ConditionallySelectable;

use crate::live::command::Command;
use crate::live::platform::Platform;
#[cfg(feature = "alloc")]
use crate::live::probe::Received;
use crate::live::query::{QueryError, SignParam, WebhookQuery};
use crate::live::signature::{Sign, Token};
#[cfg(feature = "alloc")]
use crate::live::webhook::{DecodeError, Webhook};

/// The default allowed difference between `RequestTime` and the receiver's clock, in seconds.
pub const DEFAULT_MAX_SKEW_SECS: u64 = 60;

/// How one app's requests are authenticated.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'t> {
    /// Requests must carry a `Sign` made with one of these tokens (several during a rotation).
    Tokens(&'t [Token]),
    /// The app has not enabled the callback token: requests carry no signature and anyone
    /// who knows the URL can forge them. Only the `SdkAppid` is checked.
    InsecureNoToken,
}

/// Verifies a parsed query for one app, without allocating.
///
/// Checks, in order: `SdkAppid` is `sdk_app_id`; then, unless `auth` is
/// [`Auth::InsecureNoToken`], that `Sign` and `RequestTime` are present, that
/// `RequestTime` is within `max_skew_secs` of `now` (Unix seconds, either way), and that
/// `Sign` matches one of the tokens, compared in constant time.
///
/// A request with no `SdkAppid` at all but with a `Sign` (Tencent's console sends such a
/// connectivity check when the callback URL is saved) is this app's if the `Sign` matches
/// one of its tokens; [`VerifiedQuery::app_inferred`] then says so.
///
/// Serving several apps? Use [`Verifier`] (feature `alloc`), or look the app up by
/// [`WebhookQuery::sdk_app_id`] and call this.
///
#[cfg_attr(feature = "alloc", doc = "[`Verifier`]: crate::Verifier")]
#[cfg_attr(
    not(feature = "alloc"),
    doc = "[`Verifier`]: https://docs.rs/tencent-live-webhook/latest/tencent_live_webhook/struct.Verifier.html"
)]
///
/// ```
/// use tencent_live_webhook::{verify_query, Auth, Token, WebhookQuery};
///
/// let tokens = [Token::new("xxxxyyyy")?];
/// let query = WebhookQuery::parse(
///     "SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterCreateRoom\
///      &Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112",
/// )?;
/// let verified = verify_query(&query, 1_400_000_000, Auth::Tokens(&tokens), 1_669_872_150, 60)?;
/// assert_eq!(verified.matched_token(), Some(0));
///
/// let late = verify_query(&query, 1_400_000_000, Auth::Tokens(&tokens), 1_669_872_200, 60);
/// assert!(late.is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_query(
    query: &WebhookQuery,
    sdk_app_id: u64,
    auth: Auth<'_>,
    now: u64,
    max_skew_secs: u64,
) -> Result<VerifiedQuery, VerifyError> {
    let app_inferred = match (query.sdk_app_id(), auth) {
        (Some(received), _) if received != sdk_app_id => {
            return Err(VerifyError::UnknownApp {
                sdk_app_id: received,
            });
        }
        (Some(_), _) => false,
        // Without a Sign nothing says whose request this is.
        (None, Auth::InsecureNoToken) => return Err(VerifyError::MissingSdkAppId),
        (None, Auth::Tokens(_)) if !query.has_sign() => return Err(VerifyError::MissingSdkAppId),
        (None, Auth::Tokens(_)) => true,
    };
    let verified = |matched_token| VerifiedQuery {
        query: *query,
        sdk_app_id,
        matched_token,
        app_inferred,
    };
    let tokens = match auth {
        Auth::InsecureNoToken => return Ok(verified(None)),
        Auth::Tokens(tokens) => tokens,
    };
    let sign = match query.sign_param() {
        None => return Err(VerifyError::MissingSign),
        Some(SignParam::Malformed) => return Err(VerifyError::MalformedSign),
        Some(SignParam::Valid(sign)) => sign,
    };
    let time = query
        .request_time_param()
        .ok_or(VerifyError::MissingRequestTime)?;
    // `abs_diff` cannot overflow, whatever the wire says.
    let skew = now.abs_diff(time.seconds);
    if skew > max_skew_secs {
        return Err(if time.seconds < now {
            VerifyError::Expired { skew_secs: skew }
        } else {
            VerifyError::FromTheFuture { skew_secs: skew }
        });
    }
    match matching_token(tokens, &sign, time.digits.as_str()) {
        Some(index) => Ok(verified(Some(index))),
        None => Err(VerifyError::SignMismatch),
    }
}

/// Index of the token whose signature equals `received`. Every token is tried, and each
/// comparison is constant-time, so the timing does not say how close a guess was.
fn matching_token(tokens: &[Token], received: &Sign, digits: &str) -> Option<usize> {
    let mut found = subtle::Choice::from(0);
    let mut index = 0u64;
    for (position, token) in (0u64..).zip(tokens) {
        let expected = Sign::compute_for_digits(token, digits);
        let equal = expected.ct_eq(received);
        index = u64::conditional_select(&index, &position, equal & !found);
        found |= equal;
    }
    bool::from(found)
        .then(|| usize::try_from(index).ok())
        .flatten()
}

/// A query that passed verification: the only way to get at a webhook's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedQuery {
    query: WebhookQuery,
    sdk_app_id: u64,
    matched_token: Option<usize>,
    app_inferred: bool,
}

impl VerifiedQuery {
    /// A query taken as verified because a receiver already verified it (signature, time
    /// and app) before keeping it: only for [`TrustedEnvelope`](crate::TrustedEnvelope).
    #[cfg(feature = "alloc")]
    pub(crate) fn trusted(query: &WebhookQuery, sdk_app_id: u64) -> VerifiedQuery {
        VerifiedQuery {
            query: *query,
            sdk_app_id,
            matched_token: None,
            app_inferred: false,
        }
    }

    /// The verified app.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// Which of the app's tokens signed the request (its position in the list);
    /// `None` for an app verified without a token.
    pub fn matched_token(&self) -> Option<usize> {
        self.matched_token
    }

    /// Whether the request named no `SdkAppid` and the app was known by its `Sign` alone
    /// (as in the connectivity check Tencent's console sends).
    pub fn app_inferred(&self) -> bool {
        self.app_inferred
    }

    /// `RequestID` (or `RequestId`), as received: undocumented, may serve as a delivery id.
    pub fn request_id(&self) -> Option<&str> {
        self.query.request_id()
    }

    /// The command named in the URL, if any.
    pub fn command(&self) -> Option<Command> {
        self.query.command()
    }

    /// `ClientIP`, as received.
    pub fn client_ip(&self) -> Option<&str> {
        self.query.client_ip()
    }

    /// `OptPlatform`.
    pub fn platform(&self) -> Option<Platform> {
        self.query.platform()
    }

    /// `RequestTime`, Unix seconds (absent for an app without a token).
    pub fn request_time(&self) -> Option<u64> {
        self.query.request_time()
    }

    /// All parameters as parsed.
    pub fn query(&self) -> &WebhookQuery {
        &self.query
    }
}

/// Why a request was refused before its body was read.
///
/// Holds no secret: neither the token nor the expected signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The query string is malformed (400).
    Query(QueryError),
    /// No `SdkAppid` parameter, and no `Sign` that tells the app (403).
    MissingSdkAppId,
    /// No `SdkAppid` parameter, and the `Sign` matches the tokens of more than one app, so
    /// whose request it is cannot be told (403).
    AmbiguousApp,
    /// `SdkAppid` names an app this receiver does not serve (403).
    UnknownApp {
        /// The app id received.
        sdk_app_id: u64,
    },
    /// No `Sign` parameter although the app uses a token (401).
    MissingSign,
    /// `Sign` is not 64 hex digits (401).
    MalformedSign,
    /// No `RequestTime` parameter although the app uses a token (401).
    MissingRequestTime,
    /// `RequestTime` is further in the past than allowed (401).
    Expired {
        /// How many seconds off the receiver's clock.
        skew_secs: u64,
    },
    /// `RequestTime` is further in the future than allowed (401).
    FromTheFuture {
        /// How many seconds off the receiver's clock.
        skew_secs: u64,
    },
    /// `Sign` does not match any token (401).
    SignMismatch,
}

impl VerifyError {
    /// The HTTP status a receiver answers with: 400 malformed query, 403 wrong or missing
    /// app, 401 signature or time.
    pub fn status(&self) -> u16 {
        match self {
            VerifyError::Query(error) => error.status(),
            VerifyError::MissingSdkAppId
            | VerifyError::AmbiguousApp
            | VerifyError::UnknownApp { .. } => 403,
            VerifyError::MissingSign
            | VerifyError::MalformedSign
            | VerifyError::MissingRequestTime
            | VerifyError::Expired { .. }
            | VerifyError::FromTheFuture { .. }
            | VerifyError::SignMismatch => 401,
        }
    }
}

impl From<QueryError> for VerifyError {
    fn from(error: QueryError) -> Self {
        VerifyError::Query(error)
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Query(error) => fmt::Display::fmt(error, f),
            VerifyError::MissingSdkAppId => f.write_str("missing SdkAppid"),
            VerifyError::AmbiguousApp => {
                f.write_str("missing SdkAppid, and Sign matches more than one app")
            }
            VerifyError::UnknownApp { sdk_app_id } => write!(f, "unknown SdkAppid {sdk_app_id}"),
            VerifyError::MissingSign => f.write_str("missing Sign"),
            VerifyError::MalformedSign => f.write_str("Sign is not 64 hex digits"),
            VerifyError::MissingRequestTime => f.write_str("missing RequestTime"),
            VerifyError::Expired { skew_secs } => {
                write!(f, "RequestTime is {skew_secs} s in the past")
            }
            VerifyError::FromTheFuture { skew_secs } => {
                write!(f, "RequestTime is {skew_secs} s in the future")
            }
            VerifyError::SignMismatch => f.write_str("Sign does not match"),
        }
    }
}

impl core::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            VerifyError::Query(error) => Some(error),
            _ => None,
        }
    }
}

/// Reading the body of a verified request.
#[cfg(feature = "alloc")]
impl VerifiedQuery {
    /// Decodes the body of this verified request.
    ///
    /// A body that fits its command's type gives [`Payload::Event`](crate::Payload::Event); an unknown command
    /// gives [`Event::Unknown`](crate::Event::Unknown) with the raw body; a known command whose body does not fit
    /// gives [`Payload::Misfit`](crate::Payload::Misfit), with the field path and the raw body. Only bodies that
    /// cannot be a webhook at all are errors, and so is a body nested deeper than
    /// [`MAX_BODY_DEPTH`](crate::MAX_BODY_DEPTH) levels, which other JSON readers could not read back.
    pub fn decode(&self, body: &[u8]) -> Result<Webhook, DecodeError> {
        crate::live::webhook::decode_body(&self.query, self.sdk_app_id, self.matched_token, body)
    }

    /// Like [`VerifiedQuery::decode`], but a request that names no command and whose body
    /// is empty or `{}` is recognised as Tencent's connectivity check instead of being
    /// refused for naming no command.
    ///
    /// ```
    /// use tencent_live_webhook::{Received, Token, Verifier};
    ///
    /// let token = Token::new("console-token")?;
    /// let verifier = Verifier::new().app(1_400_000_000, [token.clone()]);
    /// // Signed, but with neither SdkAppid nor a command: the Sign tells the app.
    /// let sign = tencent_live_webhook::Sign::compute(&token, 1_700_000_000);
    /// let query = format!("Sign={sign}&RequestTime=1700000000");
    /// let verified = verifier.verify(&query, 1_700_000_005)?;
    /// match verified.receive(b"{}")? {
    ///     Received::Probe(probe) => assert_eq!(probe.sdk_app_id(), 1_400_000_000),
    ///     Received::Webhook(_) => unreachable!("no command, no event"),
    /// }
    /// assert!(verified.receive(br#"{"RoomId":"r1"}"#).is_err()); // no command: 400
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn receive(&self, body: &[u8]) -> Result<Received, DecodeError> {
        crate::live::probe::receive_body(&self.query, self.sdk_app_id, self.matched_token, body)
    }
}
