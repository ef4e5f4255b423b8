//! The receiving sequence: query first, then a size-limited body.

use tencent_live_webhook::*;

const APP: u64 = 9;
const NOW: u64 = 1_700_000_000;

fn receiver(limit: usize) -> (Receiver, String) {
    let token = Token::new("t").unwrap();
    let query = signed_query(APP, &Command::AfterDelMetadata, &token, NOW);
    (
        Receiver::new(Verifier::new().app(APP, [token])).body_limit(limit),
        query,
    )
}

#[test]
fn default_limit_is_256_kib() {
    assert_eq!(Receiver::new(Verifier::new()).limit(), 262_144);
}

#[test]
fn a_forged_query_is_refused_before_any_body() {
    let (receiver, query) = receiver(100);
    let forged = query.replace("SdkAppid=9", "SdkAppid=10");
    assert_eq!(
        receiver.start(&forged, None, NOW).unwrap_err().status(),
        403
    );
}

#[test]
fn declared_length_is_checked_up_front() {
    let (receiver, query) = receiver(100);
    assert!(receiver.start(&query, Some(b"100"), NOW).is_ok());
    assert!(receiver.start(&query, Some(b" 0 "), NOW).is_ok());
    assert_eq!(
        receiver.start(&query, Some(b"101"), NOW).unwrap_err(),
        Rejection::BodyTooLarge { limit: 100 }
    );
    assert_eq!(
        receiver
            .start(&query, Some(b"99999999999999999999999"), NOW)
            .unwrap_err(),
        Rejection::BadContentLength
    );
    for bad in [&b"-1"[..], b"", b"1e3", b"\xff", b"0x10"] {
        let error = receiver.start(&query, Some(bad), NOW).unwrap_err();
        assert_eq!(
            (error, error.status()),
            (Rejection::BadContentLength, 400),
            "{bad:?}"
        );
    }
}

#[test]
fn transport_refusals_have_their_own_status_and_words() {
    for (rejection, status, words) in [
        (
            Rejection::AmbiguousFraming,
            400,
            "request has both Content-Length and Transfer-Encoding",
        ),
        (Rejection::BodyTimeout, 408, "body did not arrive in time"),
        (
            Rejection::SourceNotAllowed,
            403,
            "requests from this address are not accepted",
        ),
        (
            Rejection::BodyOverServerLimit,
            413,
            "body is larger than the server accepts",
        ),
        (Rejection::BodyUnreadable, 400, "body could not be read"),
    ] {
        assert_eq!(rejection.status(), status, "{rejection:?}");
        assert_eq!(rejection.to_string(), words);
        assert_eq!(
            rejection.reply().to_json(),
            format!(r#"{{"ActionStatus":"FAIL","ErrorCode":{status},"ErrorInfo":"{words}"}}"#)
        );
    }
}

#[test]
fn chunks_past_the_limit_are_refused_whatever_was_declared() {
    let (receiver, query) = receiver(10);
    let mut incoming = receiver.start(&query, None, NOW).unwrap();
    incoming.push(b"0123456789").unwrap();
    assert_eq!(
        incoming.push(b"x"),
        Err(Rejection::BodyTooLarge { limit: 10 })
    );
    assert_eq!(Rejection::BodyTooLarge { limit: 10 }.status(), 413);
}

#[test]
fn collected_chunks_decode_as_one_body() {
    let (receiver, query) = receiver(1024);
    let mut incoming = receiver.start(&query, Some(b"42"), NOW).unwrap();
    assert_eq!(incoming.verified().sdk_app_id(), APP);
    for chunk in [&br#"{"RoomId":"r","#[..], br#""Keys":["a","b"]}"#] {
        incoming.push(chunk).unwrap();
    }
    let Received::Webhook(webhook) = incoming.finish().unwrap() else {
        panic!("a webhook with a command is not a probe")
    };
    let Some(Event::AfterDelMetadata(event)) = webhook.event() else {
        panic!()
    };
    assert_eq!(event.keys, ["a", "b"]);
    let mut empty = receiver.start(&query, None, NOW).unwrap();
    empty.push(b"").unwrap();
    assert_eq!(empty.finish().unwrap_err().status(), 400);
}
