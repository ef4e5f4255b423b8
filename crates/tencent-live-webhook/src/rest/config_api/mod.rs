//! Request and response bodies of the webhook configuration REST API (`v4/live_config/`).
//!
//! These are the bodies. With the `rest` feature, [`Admin`] also builds each whole request
//! (host, `sdkappid`, admin `identifier`, `usersig`, `random`) and [`Call::parse_answer`]
//! reads the answer; sending it stays the caller's, so this crate stays free of I/O.
//!
//! ```
//! use tencent_live_webhook::config_api::{ApiResponse, CallbackConfig, Endpoint};
//! use tencent_live_webhook::Command;
//!
//! let request = CallbackConfig {
//!     url: "https://example.com/live".into(),
//!     callback_command_list: vec![Command::AfterCreateRoom, Command::BeforeSendGift],
//! };
//! assert_eq!(Endpoint::SetCallback.path(), "v4/live_config/set_callback");
//! assert_eq!(
//!     serde_json::to_string(&request)?,
//!     r#"{"Url":"https://example.com/live","CallbackCommandList":["Live.CallbackAfterCreateRoom","Live.CallbackBeforeSendGift"]}"#
//! );
//!
//! let answer: ApiResponse<CallbackConfig> = serde_json::from_str(
//!     r#"{"ActionStatus":"FAIL","ErrorInfo":"no config","ErrorCode":100301,"RequestId":"Id-1"}"#,
//! )?;
//! assert_eq!(answer.error_code, tencent_live_webhook::config_api::ApiErrorCode::NO_CALLBACK);
//! # Ok::<(), serde_json::Error>(())
//! ```
// The two names exist with the `rest` feature only: without it, the links go to docs.rs.
#![doc = ""]
#![cfg_attr(feature = "rest", doc = "[`Admin`]: Admin")]
#![cfg_attr(feature = "rest", doc = "[`Call::parse_answer`]: Call::parse_answer")]
#![cfg_attr(
    not(feature = "rest"),
    doc = "[`Admin`]: https://docs.rs/tencent-live-webhook/latest/tencent_live_webhook/config_api/struct.Admin.html"
)]
#![cfg_attr(
    not(feature = "rest"),
    doc = "[`Call::parse_answer`]: https://docs.rs/tencent-live-webhook/latest/tencent_live_webhook/config_api/enum.Call.html#method.parse_answer"
)]

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Serialize};

use crate::live::command::Command;
use crate::live::reply::ActionStatus;

/// The signed calls (UserSig in the URL) and their answers.
#[cfg(feature = "rest")]
mod call;

#[cfg(feature = "rest")]
pub use call::{Admin, Answered, Call, CallError, DEFAULT_USERSIG_VALIDITY_SECS, Region, Request};

/// One configuration call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// Create the webhook configuration: body [`CallbackConfig`].
    SetCallback,
    /// Read it: body [`Empty`], answer [`CallbackConfig`].
    GetCallback,
    /// Replace it: body [`CallbackConfig`].
    UpdateCallback,
    /// Delete it: body [`Empty`].
    DeleteCallback,
    /// Create or change the signing token: body [`SetCallbackToken`].
    SetCallbackToken,
    /// Read the signing token: body [`Empty`], answer [`CallbackTokenConfig`].
    GetCallbackToken,
    /// Delete the signing token: body [`Empty`].
    DeleteCallbackToken,
    /// The addresses Tencent's callbacks come from (Chat's `ConfigSvc`): body [`Empty`],
    /// the kind of list in the URL's `nettype`, answer `IPList`.
    GetIpList,
}

impl Endpoint {
    /// The path after the domain.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::SetCallback => "v4/live_config/set_callback",
            Endpoint::GetCallback => "v4/live_config/get_callback",
            Endpoint::UpdateCallback => "v4/live_config/update_callback",
            Endpoint::DeleteCallback => "v4/live_config/delete_callback",
            Endpoint::SetCallbackToken => "v4/live_config/set_callback_token",
            Endpoint::GetCallbackToken => "v4/live_config/get_callback_token",
            Endpoint::DeleteCallbackToken => "v4/live_config/delete_callback_token",
            Endpoint::GetIpList => "v4/ConfigSvc/GetIPList",
        }
    }
}

/// Which addresses `Call::GetIpList` (feature `rest`) asks for: its `nettype`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IpListKind {
    /// Where callbacks to a server inside China (Hong Kong included) come from: 5.
    WebhooksInsideChina,
    /// Where callbacks to a server outside China come from: 6.
    WebhooksOutsideChina,
}

impl IpListKind {
    /// The `nettype` value.
    pub fn nettype(self) -> u8 {
        match self {
            IpListKind::WebhooksInsideChina => 5,
            IpListKind::WebhooksOutsideChina => 6,
        }
    }
}

/// The empty request body `{}` of the get and delete calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Empty {}

/// The webhook URL and the commands sent to it: the body of set and update, and the
/// answer of get. Update replaces the whole configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackConfig {
    /// `Url`: must start with `http://` or `https://` (HTTPS strongly advised).
    #[serde(rename = "Url")]
    pub url: String,
    /// `CallbackCommandList`: the commands to enable.
    #[serde(rename = "CallbackCommandList")]
    pub callback_command_list: Vec<Command>,
}

/// The body of `set_callback_token`: both fields the first time, afterwards only the ones
/// to change.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SetCallbackToken {
    /// `Token`: 1 to 128 characters.
    #[serde(rename = "Token", skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// `IsTokenEnable`: whether webhooks are signed.
    #[serde(rename = "IsTokenEnable", skip_serializing_if = "Option::is_none")]
    pub is_token_enable: Option<bool>,
}

/// The answer of `get_callback_token`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackTokenConfig {
    /// `Token`.
    #[serde(rename = "Token")]
    pub token: String,
    /// `IsTokenEnable`.
    #[serde(rename = "IsTokenEnable")]
    pub is_token_enable: bool,
}

impl fmt::Debug for SetCallbackToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetCallbackToken")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("is_token_enable", &self.is_token_enable)
            .finish()
    }
}

impl fmt::Debug for CallbackTokenConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackTokenConfig")
            .field("token", &"<redacted>")
            .field("is_token_enable", &self.is_token_enable)
            .finish()
    }
}

/// The envelope of every configuration answer; `T` is the `Response` object of the two
/// get calls ([`Empty`] for the others).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiResponse<T> {
    /// `ActionStatus`.
    #[serde(rename = "ActionStatus")]
    pub action_status: ActionStatus,
    /// `ErrorCode`: 0 on success.
    #[serde(rename = "ErrorCode")]
    pub error_code: ApiErrorCode,
    /// `ErrorInfo`.
    #[serde(rename = "ErrorInfo", default)]
    pub error_info: String,
    /// `RequestId`: quote it when asking Tencent for help.
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
    /// `Response`: present in the answers of the get calls.
    #[serde(rename = "Response", skip_serializing_if = "Option::is_none")]
    pub response: Option<T>,
}

/// An `ErrorCode` of the configuration API; the documented ones are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ApiErrorCode(pub i64);

impl ApiErrorCode {
    /// 0: success.
    pub const OK: ApiErrorCode = ApiErrorCode(0);
    /// 100001: internal error; retry.
    pub const INTERNAL: ApiErrorCode = ApiErrorCode(100_001);
    /// 100002: invalid parameter; `ErrorInfo` says which.
    pub const INVALID_PARAMETER: ApiErrorCode = ApiErrorCode(100_002);
    /// 100300: a configuration already exists; update it instead.
    pub const CALLBACK_EXISTS: ApiErrorCode = ApiErrorCode(100_300);
    /// 100301: no configuration exists; create one first.
    pub const NO_CALLBACK: ApiErrorCode = ApiErrorCode(100_301);
    /// 100302: no token configuration exists; set one first.
    pub const NO_TOKEN: ApiErrorCode = ApiErrorCode(100_302);
    /// 100007: the app's paid plan does not include this.
    pub const PLAN_NOT_SATISFIED: ApiErrorCode = ApiErrorCode(100_007);
    /// 70001: the UserSig expired.
    pub const USERSIG_EXPIRED: ApiErrorCode = ApiErrorCode(70_001);
    /// 70003: the UserSig could not be read.
    pub const USERSIG_MALFORMED: ApiErrorCode = ApiErrorCode(70_003);
    /// 70009: the UserSig does not verify (signed with another key).
    pub const USERSIG_INVALID: ApiErrorCode = ApiErrorCode(70_009);
    /// 70013: the UserSig is for another account than `identifier`.
    pub const USERSIG_IDENTIFIER_MISMATCH: ApiErrorCode = ApiErrorCode(70_013);
    /// 70014: the UserSig is for another app than `sdkappid`.
    pub const USERSIG_APP_MISMATCH: ApiErrorCode = ApiErrorCode(70_014);
    /// 70020: no app has this `sdkappid`.
    pub const APP_NOT_FOUND: ApiErrorCode = ApiErrorCode(70_020);

    /// Whether this code means success.
    pub fn is_ok(self) -> bool {
        self == ApiErrorCode::OK
    }

    /// What a documented code means and what to do, in a few lowercase words.
    ///
    /// ```
    /// use tencent_live_webhook::config_api::ApiErrorCode;
    ///
    /// assert_eq!(
    ///     ApiErrorCode::CALLBACK_EXISTS.meaning(),
    ///     Some("a webhook configuration already exists; update it instead")
    /// );
    /// assert_eq!(ApiErrorCode(12345).meaning(), None);
    /// ```
    pub fn meaning(self) -> Option<&'static str> {
        Some(match self {
            ApiErrorCode::OK => "success",
            ApiErrorCode::INTERNAL => "internal error at Tencent; try again",
            ApiErrorCode::INVALID_PARAMETER => "invalid parameter; the error info says which",
            ApiErrorCode::PLAN_NOT_SATISFIED => "the app's paid plan does not include this",
            ApiErrorCode::CALLBACK_EXISTS => {
                "a webhook configuration already exists; update it instead"
            }
            ApiErrorCode::NO_CALLBACK => "no webhook configuration exists; set one first",
            ApiErrorCode::NO_TOKEN => "no token configuration exists; set one first",
            ApiErrorCode::USERSIG_EXPIRED => "the UserSig expired; make a new one",
            ApiErrorCode::USERSIG_MALFORMED => "the UserSig could not be read",
            ApiErrorCode::USERSIG_INVALID => {
                "the UserSig does not verify; check the secret key and the app"
            }
            ApiErrorCode::USERSIG_IDENTIFIER_MISMATCH => {
                "the UserSig was made for another account than the identifier"
            }
            ApiErrorCode::USERSIG_APP_MISMATCH => {
                "the UserSig was made for another app than the sdkappid"
            }
            ApiErrorCode::APP_NOT_FOUND => "no app has this sdkappid (or it is in another region)",
            _ => return None,
        })
    }
}
