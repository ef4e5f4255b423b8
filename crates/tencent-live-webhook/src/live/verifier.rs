//! A verifier for one or more apps, each with its own tokens.
#![cfg(feature = "alloc")]

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::apps::Apps;
use crate::live::query::WebhookQuery;
use crate::live::signature::Token;
use crate::live::verify::{Auth, DEFAULT_MAX_SKEW_SECS, VerifiedQuery, VerifyError, verify_query};

/// Verifies webhook queries for the apps it knows.
///
/// Each app has its own tokens; give two during a rotation and
/// [`VerifiedQuery::matched_token`] says which one signed. The clock is not read here:
/// pass `now` (Unix seconds) to [`Verifier::verify`].
///
/// ```
/// use tencent_live_webhook::{Token, Verifier, signed_query, Command};
///
/// let verifier = Verifier::new()
///     .app(1_400_000_001, [Token::new("old-token")?, Token::new("new-token")?])
///     .max_skew_secs(30);
///
/// let query = signed_query(1_400_000_001, &Command::AfterCreateRoom, &Token::new("new-token")?, 1_700_000_000);
/// let verified = verifier.verify(&query, 1_700_000_010)?;
/// assert_eq!(verified.matched_token(), Some(1));
/// assert!(verifier.verify(&query, 1_700_000_031).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    apps: Apps<Credentials>,
    max_skew_secs: u64,
}

/// How one app's requests are signed.
#[derive(Debug, Clone)]
struct Credentials {
    tokens: Vec<Token>,
    insecure_no_token: bool,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier::new()
    }
}

impl Verifier {
    /// A verifier that knows no app yet and allows [`DEFAULT_MAX_SKEW_SECS`] of clock skew.
    pub fn new() -> Verifier {
        Verifier {
            apps: Apps::default(),
            max_skew_secs: DEFAULT_MAX_SKEW_SECS,
        }
    }

    /// Serves `sdk_app_id`, whose requests must be signed with one of `tokens`.
    /// Replaces any earlier setting for the same app. With no token, nothing is accepted.
    #[must_use]
    pub fn app(self, sdk_app_id: u64, tokens: impl IntoIterator<Item = Token>) -> Verifier {
        self.with_app(
            sdk_app_id,
            Credentials {
                tokens: tokens.into_iter().collect(),
                insecure_no_token: false,
            },
        )
    }

    /// Serves `sdk_app_id` without checking signatures, for an app that has not enabled
    /// the callback token. Anyone who knows the URL can then forge its webhooks; only the
    /// `SdkAppid` is checked.
    #[must_use]
    pub fn insecure_app_without_token(self, sdk_app_id: u64) -> Verifier {
        self.with_app(
            sdk_app_id,
            Credentials {
                tokens: Vec::new(),
                insecure_no_token: true,
            },
        )
    }

    /// Sets the largest allowed difference between `RequestTime` and `now`, either way.
    #[must_use]
    pub fn max_skew_secs(mut self, secs: u64) -> Verifier {
        self.max_skew_secs = secs;
        self
    }

    fn with_app(mut self, sdk_app_id: u64, credentials: Credentials) -> Verifier {
        self.apps.set(sdk_app_id, credentials);
        self
    }

    /// The apps served.
    pub fn sdk_app_ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.apps.ids()
    }

    /// Parses and verifies a raw query string at time `now` (Unix seconds).
    pub fn verify(&self, raw_query: &str, now: u64) -> Result<VerifiedQuery, VerifyError> {
        self.verify_parsed(&WebhookQuery::parse(raw_query)?, now)
    }

    /// Verifies an already parsed query at time `now` (Unix seconds).
    pub fn verify_parsed(
        &self,
        query: &WebhookQuery,
        now: u64,
    ) -> Result<VerifiedQuery, VerifyError> {
        let Some(received) = query.sdk_app_id() else {
            return self.verify_by_sign(query, now);
        };
        let app = self.apps.get(received).ok_or(VerifyError::UnknownApp {
            sdk_app_id: received,
        })?;
        let auth = if app.insecure_no_token {
            Auth::InsecureNoToken
        } else {
            Auth::Tokens(&app.tokens)
        };
        verify_query(query, received, auth, now, self.max_skew_secs)
    }

    /// A request that names no app, as the connectivity check of Tencent's console may:
    /// it is the app whose tokens its `Sign` matches, if exactly one app's do.
    /// What to do about a refusal of `raw_query`: a sentence for a log line or an error
    /// message, naming no token. For a `Sign` that matches nothing, which of the app's
    /// tokens were tried (by position); for a time out of the window, the window and the
    /// clock; for an unknown app, the apps configured.
    ///
    /// ```
    /// use tencent_live_webhook::{Token, Verifier, VerifyError};
    ///
    /// let verifier = Verifier::new().app(7, [Token::new("a")?, Token::new("b")?]);
    /// let hint = verifier.hint("SdkAppid=7", &VerifyError::SignMismatch).unwrap();
    /// assert!(hint.contains("tokens 1 and 2"));
    /// let hint = verifier.hint("SdkAppid=8", &VerifyError::UnknownApp { sdk_app_id: 8 }).unwrap();
    /// assert!(hint.contains("configured: 7"));
    /// # Ok::<(), tencent_live_webhook::TokenError>(())
    /// ```
    pub fn hint(&self, raw_query: &str, error: &VerifyError) -> Option<String> {
        match error {
            VerifyError::SignMismatch => {
                let named = WebhookQuery::parse(raw_query)
                    .ok()
                    .and_then(|query| query.sdk_app_id());
                let tried = match named.and_then(|id| self.apps.get(id)) {
                    Some(app) => match app.tokens.len() {
                        1 => String::from("the app's token (1 of 1) was tried"),
                        count => format!("the app's tokens 1{} were tried", positions(count)),
                    },
                    None => String::from("every configured app's tokens were tried"),
                };
                Some(format!(
                    "{tried} and none made this Sign: check the callback token in Tencent's \
                     console (Chat's Group.* and Follow.* callbacks may be signed with the Chat \
                     console's token)"
                ))
            }
            VerifyError::Expired { .. } | VerifyError::FromTheFuture { .. } => Some(format!(
                "requests are accepted within {} s of this machine's clock: check that the \
                 clock is right (NTP), or widen the allowed skew with --max-skew \
                 (Verifier::max_skew_secs)",
                self.max_skew_secs
            )),
            VerifyError::UnknownApp { .. } | VerifyError::AmbiguousApp => {
                let ids: Vec<String> = self.apps.ids().map(|id| format!("{id}")).collect();
                Some(format!("apps configured: {}", ids.join(", ")))
            }
            VerifyError::MissingSign | VerifyError::MissingRequestTime => Some(String::from(
                "the app is configured with a token, but the request is not signed: enable the \
                 callback token in Tencent's console, or configure the app without one",
            )),
            _ => None,
        }
    }

    fn verify_by_sign(&self, query: &WebhookQuery, now: u64) -> Result<VerifiedQuery, VerifyError> {
        let signed_apps = self.apps.iter().filter(|(_, app)| !app.insecure_no_token);
        let mut tried = false;
        let mut found = None;
        for (sdk_app_id, app) in signed_apps {
            tried = true;
            let auth = Auth::Tokens(&app.tokens);
            match verify_query(query, sdk_app_id, auth, now, self.max_skew_secs) {
                Ok(_) if found.is_some() => return Err(VerifyError::AmbiguousApp),
                Ok(verified) => found = Some(verified),
                Err(VerifyError::SignMismatch) => {}
                // No Sign, a malformed one, a time off the clock: the same for every app.
                Err(error) => return Err(error),
            }
        }
        match found {
            Some(verified) => Ok(verified),
            None if tried => Err(VerifyError::SignMismatch),
            None => Err(VerifyError::MissingSdkAppId),
        }
    }
}

/// " and 2", ", 2 and 3", ...: the positions after the first of `count` tokens.
fn positions(count: usize) -> String {
    use core::fmt::Write;
    let mut text = String::new();
    for position in 2..=count {
        let separator = if position == count { " and " } else { ", " };
        // Writing into a String cannot fail.
        let _ = write!(text, "{separator}{position}");
    }
    text
}
