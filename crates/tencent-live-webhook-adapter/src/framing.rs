//! What a request's headers say before its body is read: how the body is framed, and a
//! TRTC callback's signature headers; the checks every request passes first, whichever
//! family it belongs to.

use std::net::IpAddr;

use tencent_live_webhook::Rejection;

use crate::{Source, WebhookConfig};

impl WebhookConfig {
    /// The client a request comes from (through trusted proxies), and whether it may go
    /// on: a client outside the allow-list, or a body framed two ways at once, is refused
    /// before anything else is looked at.
    pub(crate) fn admit(
        &self,
        framing: Framing<'_>,
        source: Source<'_>,
    ) -> (Option<IpAddr>, Result<(), Rejection>) {
        let client = self.sources.client(source);
        let admitted = if !self.sources.allows(client) {
            Err(Rejection::SourceNotAllowed)
        } else if framing.transfer_encoding && framing.content_length.is_some() {
            Err(Rejection::AmbiguousFraming)
        } else {
            Ok(())
        };
        (client, admitted)
    }
}

/// How a request says its body is framed: the raw `Content-Length` header value, if any,
/// and whether it has a `Transfer-Encoding` header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Framing<'a> {
    /// The raw `Content-Length` header value.
    pub content_length: Option<&'a [u8]>,
    /// Whether a `Transfer-Encoding` header is present.
    pub transfer_encoding: bool,
}

impl<'a> Framing<'a> {
    /// The framing of a request with these headers.
    pub fn new(content_length: Option<&'a [u8]>, transfer_encoding: bool) -> Framing<'a> {
        Framing {
            content_length,
            transfer_encoding,
        }
    }
}

/// The headers of a TRTC callback: raw values, `None` when absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TrtcHeaders<'a> {
    /// `Sign`.
    pub sign: Option<&'a [u8]>,
    /// `SdkAppId`.
    pub sdk_app_id: Option<&'a [u8]>,
}

impl<'a> TrtcHeaders<'a> {
    /// The headers of a request with these values.
    pub fn new(sign: Option<&'a [u8]>, sdk_app_id: Option<&'a [u8]>) -> TrtcHeaders<'a> {
        TrtcHeaders { sign, sdk_app_id }
    }
}
