//! The configuration calls as whole requests, signed with a UserSig, and their answers read
//! into typed results (feature `rest`). Sending them is the caller's: any HTTP client will do.

use alloc::string::String;
use core::fmt::{self, Write};

use alloc::vec::Vec;

use crate::config_api::{
    ApiErrorCode, ApiResponse, CallbackConfig, CallbackTokenConfig, Empty, Endpoint, IpListKind,
    SetCallbackToken,
};
use crate::live::reply::ActionStatus;
use crate::live::sender::push_encoded;
use crate::usersig::{SecretKey, UserSig};

/// Where Tencent's REST API answers. Any other host works through [`Admin::base_url`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// Mainland China: `console.tim.qq.com`.
    China,
    /// Singapore: `adminapisgp.im.qcloud.com`.
    Singapore,
    /// Silicon Valley: `adminapiusa.im.qcloud.com`.
    Usa,
    /// Jakarta: `adminapiidn.im.qcloud.com`.
    Jakarta,
    /// Seoul: `adminapikr.im.qcloud.com`.
    Seoul,
    /// Frankfurt: `adminapiger.im.qcloud.com`.
    Frankfurt,
    /// Mumbai: `adminapiind.im.qcloud.com`.
    Mumbai,
}

impl Region {
    /// The host name.
    pub fn host(self) -> &'static str {
        match self {
            Region::China => "console.tim.qq.com",
            Region::Singapore => "adminapisgp.im.qcloud.com",
            Region::Usa => "adminapiusa.im.qcloud.com",
            Region::Jakarta => "adminapiidn.im.qcloud.com",
            Region::Seoul => "adminapikr.im.qcloud.com",
            Region::Frankfurt => "adminapiger.im.qcloud.com",
            Region::Mumbai => "adminapiind.im.qcloud.com",
        }
    }
}

/// One configuration call with its body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Call {
    /// Create the webhook configuration (only one per app).
    SetCallback(CallbackConfig),
    /// Read it.
    GetCallback,
    /// Replace it.
    UpdateCallback(CallbackConfig),
    /// Delete it.
    DeleteCallback,
    /// Create or change the signing token.
    SetCallbackToken(SetCallbackToken),
    /// Read the signing token.
    GetCallbackToken,
    /// Delete the signing token.
    DeleteCallbackToken,
    /// The addresses Tencent's callbacks come from, for an allow-list.
    GetIpList(IpListKind),
}

impl Call {
    /// The endpoint it calls.
    pub fn endpoint(&self) -> Endpoint {
        match self {
            Call::SetCallback(_) => Endpoint::SetCallback,
            Call::GetCallback => Endpoint::GetCallback,
            Call::UpdateCallback(_) => Endpoint::UpdateCallback,
            Call::DeleteCallback => Endpoint::DeleteCallback,
            Call::SetCallbackToken(_) => Endpoint::SetCallbackToken,
            Call::GetCallbackToken => Endpoint::GetCallbackToken,
            Call::DeleteCallbackToken => Endpoint::DeleteCallbackToken,
            Call::GetIpList(_) => Endpoint::GetIpList,
        }
    }

    /// The JSON body (`{}` when there is nothing to send: the API refuses an empty body).
    pub fn body(&self) -> String {
        let json = match self {
            Call::SetCallback(config) | Call::UpdateCallback(config) => {
                serde_json::to_string(config)
            }
            Call::SetCallbackToken(token) => serde_json::to_string(token),
            Call::GetCallback
            | Call::DeleteCallback
            | Call::GetCallbackToken
            | Call::DeleteCallbackToken
            | Call::GetIpList(_) => serde_json::to_string(&Empty {}),
        };
        json.unwrap_or_else(|_| unreachable!("strings, booleans and lists always serialize"))
    }

    /// Reads the answer to this call: what it returned, or why it failed.
    pub fn parse_answer(&self, body: &[u8]) -> Result<Answered, CallError> {
        fn read<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<ApiResponse<T>, CallError> {
            let answer: ApiResponse<T> =
                serde_json::from_slice(body).map_err(|_| CallError::NotAnAnswer)?;
            if answer.error_code.is_ok() && answer.action_status == ActionStatus::Ok {
                Ok(answer)
            } else {
                Err(CallError::Refused {
                    code: answer.error_code,
                    info: answer.error_info,
                    request_id: answer.request_id,
                })
            }
        }
        match self {
            Call::GetCallback => read::<CallbackConfig>(body)?
                .response
                .map(Answered::Callback)
                .ok_or(CallError::NotAnAnswer),
            Call::GetCallbackToken => read::<CallbackTokenConfig>(body)?
                .response
                .map(Answered::Token)
                .ok_or(CallError::NotAnAnswer),
            Call::GetIpList(_) => {
                #[derive(serde::Deserialize)]
                struct Listed {
                    #[serde(rename = "IPList")]
                    ip_list: Vec<String>,
                }
                read::<serde::de::IgnoredAny>(body)?;
                serde_json::from_slice::<Listed>(body)
                    .map(|listed| Answered::IpList(listed.ip_list))
                    .map_err(|_| CallError::NotAnAnswer)
            }
            _ => read::<serde::de::IgnoredAny>(body).map(|_| Answered::Done),
        }
    }
}

/// What a successful call returned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answered {
    /// The call was done; it returns nothing.
    Done,
    /// The webhook configuration ([`Call::GetCallback`]).
    Callback(CallbackConfig),
    /// The token configuration ([`Call::GetCallbackToken`]).
    Token(CallbackTokenConfig),
    /// Addresses and CIDR networks ([`Call::GetIpList`]), as Tencent wrote them.
    IpList(Vec<String>),
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallError {
    /// Tencent refused it.
    Refused {
        /// `ErrorCode`.
        code: ApiErrorCode,
        /// `ErrorInfo`.
        info: String,
        /// `RequestId`: quote it when asking Tencent for help.
        request_id: String,
    },
    /// The answer is not the API's JSON envelope (or a get call's answer lacks `Response`).
    NotAnAnswer,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Refused {
                code,
                info,
                request_id,
            } => {
                write!(f, "error {}", code.0)?;
                if let Some(meaning) = code.meaning() {
                    write!(f, ": {meaning}")?;
                }
                if !info.is_empty() {
                    write!(f, " ({info:?})")?;
                }
                if !request_id.is_empty() {
                    write!(f, ", request id {request_id}")?;
                }
                Ok(())
            }
            CallError::NotAnAnswer => f.write_str("the answer is not the REST API's JSON"),
        }
    }
}

impl core::error::Error for CallError {}

/// A request ready to send: POST `url` with `body` as `application/json`.
///
/// The URL holds the UserSig, a credential: `Debug` shows it redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// Always `POST`.
    pub method: &'static str,
    /// The full URL with the common parameters.
    pub url: String,
    /// The JSON body.
    pub body: String,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match self.url.split_once("&usersig=") {
            Some((before, after)) => {
                let rest = after.split_once('&').map_or("", |(_, rest)| rest);
                alloc::format!("{before}&usersig=<redacted>&{rest}")
            }
            None => self.url.clone(),
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &url)
            .field("body", &self.body)
            .finish()
    }
}

/// An app administrator who signs configuration calls.
///
/// It makes a UserSig when first needed and reuses it until a tenth of its validity (at
/// least a minute) is left, so a long-running program signs rarely.
///
/// ```
/// use tencent_live_webhook::config_api::{Admin, Call, Region};
/// use tencent_live_webhook::usersig::SecretKey;
///
/// let key = SecretKey::new("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e")?;
/// let mut admin = Admin::new(1_400_000_000, "administrator", key).region(Region::Singapore);
/// let request = admin.request(&Call::GetCallback, 1_700_000_000, 42);
/// assert!(request.url.starts_with(
///     "https://adminapisgp.im.qcloud.com/v4/live_config/get_callback?sdkappid=1400000000&identifier=administrator&usersig="
/// ));
/// assert!(request.url.ends_with("&random=42&contenttype=json"));
/// assert_eq!(request.body, "{}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Admin {
    sdk_app_id: u64,
    identifier: String,
    key: SecretKey,
    base_url: String,
    validity_secs: u64,
    current: Option<(UserSig, u64)>,
}

/// How long a UserSig made by [`Admin`] is valid: one day.
pub const DEFAULT_USERSIG_VALIDITY_SECS: u64 = 86_400;

impl Admin {
    /// The administrator `identifier` of app `sdk_app_id`, signing with the app's `key`,
    /// calling the mainland China host.
    pub fn new(sdk_app_id: u64, identifier: impl Into<String>, key: SecretKey) -> Admin {
        Admin {
            sdk_app_id,
            identifier: identifier.into(),
            key,
            base_url: alloc::format!("https://{}", Region::China.host()),
            validity_secs: DEFAULT_USERSIG_VALIDITY_SECS,
            current: None,
        }
    }

    /// Calls the host of `region`.
    #[must_use]
    pub fn region(self, region: Region) -> Admin {
        self.base_url(alloc::format!("https://{}", region.host()))
    }

    /// Calls another base URL (`https://host[:port][/prefix]`): a private endpoint or a
    /// test server.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Admin {
        let mut url = url.into();
        while url.ends_with('/') {
            url.pop();
        }
        self.base_url = url;
        self
    }

    /// How long each UserSig it makes is valid (at least a minute).
    #[must_use]
    pub fn usersig_validity_secs(mut self, secs: u64) -> Admin {
        self.validity_secs = secs.max(60);
        self.current = None;
        self
    }

    /// A UserSig valid at `now`: the last one while enough of it is left, else a new one.
    pub fn usersig(&mut self, now: u64) -> &UserSig {
        let fresh = matches!(&self.current, Some((_, renew_at)) if now < *renew_at);
        if !fresh {
            let sig = UserSig::generate(
                self.sdk_app_id,
                &self.key,
                &self.identifier,
                self.validity_secs,
                now,
            );
            let margin = (self.validity_secs / 10).max(60);
            let renew_at = now.saturating_add(self.validity_secs.saturating_sub(margin));
            self.current = Some((sig, renew_at));
        }
        match &self.current {
            Some((sig, _)) => sig,
            None => unreachable!("set above"),
        }
    }

    /// The whole request for `call` at `now`, with `random` (any `u32`; pick it at random)
    /// as the `random` parameter.
    pub fn request(&mut self, call: &Call, now: u64, random: u32) -> Request {
        let base_url = self.base_url.clone();
        let identifier = self.identifier.clone();
        let sdk_app_id = self.sdk_app_id;
        let usersig = self.usersig(now).as_str();
        let mut url = String::with_capacity(base_url.len() + usersig.len() + 128);
        let _ = write!(
            url,
            "{base_url}/{}?sdkappid={sdk_app_id}&identifier=",
            call.endpoint().path()
        );
        push_encoded(&mut url, &identifier);
        let _ = write!(url, "&usersig={usersig}&random={random}&contenttype=json");
        if let Call::GetIpList(kind) = call {
            let _ = write!(url, "&nettype={}", kind.nettype());
        }
        Request {
            method: "POST",
            url,
            body: call.body(),
        }
    }
}
