//! An answer to send back to the sender of a webhook.

use tencent_live_webhook::{ActionStatus, Reply};

/// An answer to send: HTTP status and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: String,
}

impl Answer {
    /// A reply made here: the ack (200), or a failure whose code is its HTTP status.
    pub fn reply(reply: &Reply) -> Answer {
        let status = if reply.action_status() == ActionStatus::Ok {
            200
        } else {
            u16::try_from(reply.error_code()).unwrap_or(500)
        };
        Answer {
            status,
            body: reply.to_json(),
        }
    }

    /// A failure with this HTTP status (also its `ErrorCode`) and text.
    pub fn failure(status: u16, info: &str) -> Answer {
        Answer::reply(&Reply::failure(u32::from(status), info))
    }
}
