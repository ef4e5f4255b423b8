//! What a receiver's answer to a blocking callback decides, in words.

use tencent_live_webhook::{ActionStatus, Command};

/// An answer, borrowed.
struct Answer<'a> {
    status: u16,
    body: &'a str,
}

use crate::app::protocol_reply;

/// The decision an answer (HTTP `status` and `body`) makes for a webhook of `command`, in
/// words (`allowed`, `rejected`, `message replaced (MsgBody)`, ...); `None` when `command`
/// does not block (its answer decides nothing).
///
/// ```
/// use tencent_live_webhook_gateway::decision::decision;
/// use tencent_live_webhook_gateway::tencent_live_webhook::{Command, Reply};
///
/// let rejected = Reply::reject_gift().to_json();
/// assert_eq!(decision(Command::BeforeSendGift, 200, &rejected).as_deref(), Some("rejected"));
/// assert_eq!(decision(Command::AfterDestroyRoom, 200, &rejected), None);
/// ```
pub fn decision(command: Command, status: u16, body: &str) -> Option<String> {
    let answer = Answer { status, body };
    if !command.is_blocking() {
        return None;
    }
    if answer.status != 200 {
        return Some(format!(
            "none: HTTP {} (Tencent counts it as failed)",
            answer.status
        ));
    }
    let Some(reply) = protocol_reply(answer.body.as_bytes()) else {
        return Some("none: the answer is not the protocol's JSON".into());
    };
    if reply.action_status == ActionStatus::Fail {
        return Some(format!(
            "none: ActionStatus FAIL, ErrorCode {}",
            reply.error_code
        ));
    }
    let info = reply
        .error_info
        .as_ref()
        .filter(|info| !info.is_empty())
        .map(|info| format!(" ({info:?})"))
        .unwrap_or_default();
    let message = command.is_send_message();
    if reply.error_code == 0
        && let Some(partly) = partly_refused(&reply)
    {
        return Some(partly);
    }
    Some(match reply.error_code {
        0 if message && (reply.msg_body.is_some() || reply.cloud_custom_data.is_some()) => {
            let parts: Vec<&str> = [
                reply.msg_body.map(|_| "MsgBody"),
                reply.cloud_custom_data.map(|_| "CloudCustomData"),
            ]
            .into_iter()
            .flatten()
            .collect();
            format!("message replaced ({})", parts.join(" and "))
        }
        0 if reply.rsp_data.is_some() => "answered (RspData)".into(),
        0 => "allowed".into(),
        1 => format!("rejected{info}"),
        2 if message => "dropped silently (the sender believes it was sent)".into(),
        code => format!("rejected with code {code}{info}"),
    })
}

/// A decision that lets some targets through and refuses others: friend answers per
/// target, refused invitees or subscribers.
fn partly_refused(reply: &crate::app::ProtocolReply) -> Option<String> {
    if let Some(items) = &reply.result_item {
        let refused = items.iter().filter(|item| item.result_code != 0).count();
        return Some(match refused {
            0 => "allowed".into(),
            refused if refused == items.len() => "rejected".into(),
            refused => format!("{refused} of {} refused", items.len()),
        });
    }
    let refused = reply
        .refused_members
        .as_ref()
        .or(reply.refused_subscribers.as_ref())?;
    Some(if refused.is_empty() {
        "allowed".into()
    } else {
        format!("allowed except {}", refused.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tencent_live_webhook::{FriendResult, MsgElement, Reply};

    fn words(command: Command, status: u16, body: &str) -> Option<String> {
        decision(command, status, body)
    }

    #[test]
    fn gift_and_message_replies_read_as_decisions() {
        let gift = Command::BeforeSendGift;
        let message = Command::BeforeSendMsg;
        let read = |command, reply: Reply| words(command, 200, &reply.to_json()).unwrap();
        assert_eq!(read(gift, Reply::allow_gift()), "allowed");
        assert_eq!(read(gift, Reply::reject_gift()), "rejected");
        assert_eq!(
            read(
                gift,
                Reply::reject_gift_with(102_150, "balance too low").unwrap()
            ),
            "rejected with code 102150 (\"balance too low\")"
        );
        assert_eq!(read(message, Reply::deliver_message()), "allowed");
        assert_eq!(read(message, Reply::reject_message()), "rejected");
        assert!(read(message, Reply::drop_message()).starts_with("dropped silently"));
        assert_eq!(
            read(
                message,
                Reply::deliver_rewritten(Some(vec![MsgElement::text("***")]), None)
            ),
            "message replaced (MsgBody)"
        );
        assert_eq!(
            read(message, Reply::deliver_rewritten(None, Some("x".into()))),
            "message replaced (CloudCustomData)"
        );
    }

    #[test]
    fn chat_replies_read_as_decisions() {
        let read = |command, reply: Reply| words(command, 200, &reply.to_json()).unwrap();
        assert_eq!(read(Command::C2cBeforeSendMsg, Reply::reject()), "rejected");
        assert!(
            read(
                Command::C2cBeforeSendMsg,
                Reply::drop_silently(Command::C2cBeforeSendMsg).unwrap()
            )
            .starts_with("dropped silently")
        );
        assert_eq!(
            read(
                Command::OfficialAccountBeforeSendMsg,
                Reply::deliver_rewritten(Some(vec![MsgElement::text("x")]), None)
            ),
            "message replaced (MsgBody)"
        );
        assert_eq!(
            read(
                Command::GroupBeforeInviteJoinGroup,
                Reply::invite_except(vec!["a".into(), "b".into()])
            ),
            "allowed except 2"
        );
        assert_eq!(
            read(
                Command::SnsPrevFriendAdd,
                Reply::friend_results(vec![
                    FriendResult::allow("a"),
                    FriendResult::refuse("b", 38_001, "no").unwrap()
                ])
            ),
            "1 of 2 refused"
        );
        assert_eq!(
            read(Command::ChatbotOnC2cSignalMessage, Reply::chatbot("{}")),
            "answered (RspData)"
        );
        // A group decision's 2 is no silent drop: only messages have that.
        assert_eq!(
            words(
                Command::GroupBeforeCreateGroup,
                200,
                r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#
            )
            .unwrap(),
            "rejected with code 2"
        );
    }

    #[test]
    fn failures_decide_nothing_and_notifications_have_no_decision() {
        let gift = Command::BeforeSendGift;
        assert_eq!(
            words(Command::AfterCreateRoom, 200, &Reply::ack().to_json()),
            None
        );
        assert!(words(gift, 502, "").unwrap().starts_with("none: HTTP 502"));
        assert!(
            words(gift, 200, "<html>")
                .unwrap()
                .starts_with("none: the answer")
        );
        let failed = Reply::failure(4001, "bad").to_json();
        assert!(
            words(gift, 200, &failed)
                .unwrap()
                .starts_with("none: ActionStatus FAIL")
        );
    }
}
