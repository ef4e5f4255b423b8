//! A request the receiver answered itself, and how it is answered.

use std::fmt;

use tencent_live_webhook::{Probe, Rejection, Reply};

/// A request the receiver answered itself, without calling the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Intercepted {
    /// Not a genuine, well-formed webhook: answered with the core's status and JSON.
    Refused(Rejection),
    /// Tencent's connectivity probe: answered with the ack.
    Probe(Probe),
    /// The application registered no [`WebhookConfig`](crate::WebhookConfig) (possible only where a framework
    /// cannot check that at compile time, as with actix-web's `app_data`): 500.
    NotConfigured,
}

impl Intercepted {
    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            Intercepted::Refused(rejection) => rejection.status(),
            Intercepted::Probe(_) => 200,
            Intercepted::NotConfigured => 500,
        }
    }

    /// The protocol's JSON reply to answer with.
    pub fn reply(&self) -> Reply {
        match self {
            Intercepted::Refused(rejection) => rejection.reply(),
            Intercepted::Probe(probe) => probe.reply(),
            Intercepted::NotConfigured => Reply::failure(500, self.to_string()),
        }
    }

    /// [`Intercepted::reply`] as JSON text, the body to send.
    pub fn body(&self) -> String {
        self.reply().to_json()
    }

    /// Whether the connection should be closed after answering: the body was left
    /// unread or its end is uncertain (too slow, too large, ambiguous framing), so the
    /// next bytes on the connection cannot be trusted to start a new request.
    pub fn closes_connection(&self) -> bool {
        matches!(
            self,
            Intercepted::Refused(
                Rejection::BodyTimeout
                    | Rejection::BodyTooLarge { .. }
                    | Rejection::BodyOverServerLimit
                    | Rejection::AmbiguousFraming
                    | Rejection::BodyUnreadable
            )
        )
    }

    /// The refusal, if this is one.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            Intercepted::Refused(rejection) => Some(rejection),
            _ => None,
        }
    }
}

impl fmt::Display for Intercepted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Intercepted::Refused(rejection) => fmt::Display::fmt(rejection, f),
            Intercepted::Probe(_) => f.write_str("connectivity probe"),
            Intercepted::NotConfigured => f.write_str("webhook receiver is not configured"),
        }
    }
}

impl std::error::Error for Intercepted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Intercepted::Refused(rejection) => Some(rejection),
            _ => None,
        }
    }
}

/// The `Content-Type` of every answer.
pub const JSON: &str = "application/json";
