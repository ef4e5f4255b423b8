//! The shared half of the adapters: configuration, the body loop, probes, the log line.

use std::io::Write;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::stream;
use std::time::Duration;
use tencent_live_webhook_adapter::tencent_live_webhook::{
    Command, Rejection, Sign, Token, Verifier, VerifyError, signed_query,
};

use tencent_live_webhook_adapter::{Framing, Intercepted, WebhookConfig};

const APP: u64 = 1_400_000_000;
const NOW: u64 = 1_700_000_000;
const SECRET: &str = "adapter-secret";

fn config() -> WebhookConfig {
    WebhookConfig::new(Verifier::new().app(APP, [Token::new(SECRET).unwrap()]))
        .body_limit(64)
        .clock(|| NOW)
}

fn chunks(parts: &[&'static [u8]]) -> impl futures_util::Stream<Item = Result<Bytes, Rejection>> {
    stream::iter(
        parts
            .iter()
            .map(|part| Ok(Bytes::from_static(part)))
            .collect::<Vec<_>>(),
    )
}

/// Everything logged while `run` runs, as text.
fn logged(run: impl FnOnce()) -> String {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    tracing::subscriber::with_default(subscriber, run);
    String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap()
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(future)
}

#[test]
fn a_webhook_comes_through_in_chunks_with_its_exact_body() {
    let query = signed_query(
        APP,
        &Command::AfterDestroyRoom,
        &Token::new(SECRET).unwrap(),
        NOW,
    );
    let incoming = config().start(&query, Framing::default()).unwrap();
    let (webhook, body) =
        block_on(config().receive_body(incoming, chunks(&[b"{ \"Room", b"Id\" :\"r1\"}\r\n"])))
            .unwrap();
    assert_eq!(webhook.event().unwrap().room_id(), Some("r1"));
    assert_eq!(body, b"{ \"RoomId\" :\"r1\"}\r\n");
}

#[test]
fn body_errors_and_overflows_are_refusals() {
    let query = signed_query(
        APP,
        &Command::AfterDestroyRoom,
        &Token::new(SECRET).unwrap(),
        NOW,
    );
    let broken = stream::iter(vec![
        Ok(Bytes::from_static(b"{")),
        Err(Rejection::BodyOverServerLimit),
    ]);
    let result = block_on(
        config().receive_body(config().start(&query, Framing::default()).unwrap(), broken),
    );
    let refused = result.unwrap_err();
    assert_eq!(
        refused,
        Intercepted::Refused(Rejection::BodyOverServerLimit)
    );
    assert_eq!(refused.status(), 413);
    let big: &'static [u8] = &[b' '; 40];
    let result = block_on(config().receive_body(
        config().start(&query, Framing::default()).unwrap(),
        chunks(&[big, big]),
    ));
    assert_eq!(
        result.unwrap_err(),
        Intercepted::Refused(Rejection::BodyTooLarge { limit: 64 })
    );
}

#[test]
fn every_interception_has_its_status_and_json() {
    let probe_query = format!(
        "Sign={}&RequestTime={NOW}",
        Sign::compute(&Token::new(SECRET).unwrap(), NOW)
    );
    let incoming = config()
        .start(&probe_query, Framing::new(Some(b"0"), false))
        .unwrap();
    let probe = block_on(config().receive_body(incoming, chunks(&[]))).unwrap_err();
    assert!(matches!(probe, Intercepted::Probe(_)));
    let cases = [
        (
            probe,
            200,
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#,
        ),
        (
            Intercepted::Refused(VerifyError::SignMismatch.into()),
            401,
            r#"{"ActionStatus":"FAIL","ErrorCode":401,"ErrorInfo":"Sign does not match"}"#,
        ),
        (
            Intercepted::NotConfigured,
            500,
            r#"{"ActionStatus":"FAIL","ErrorCode":500,"ErrorInfo":"webhook receiver is not configured"}"#,
        ),
    ];
    for (intercepted, status, body) in cases {
        assert_eq!(
            (intercepted.status(), intercepted.body().as_str()),
            (status, body)
        );
    }
    assert_eq!(probe.rejection(), None);
}

#[test]
fn a_refusal_is_one_line_with_status_reason_and_command_and_no_secret() {
    let token = Token::new(SECRET).unwrap();
    let query = signed_query(APP, &Command::AfterCreateRoom, &token, NOW - 5);
    let forged = query.replace(
        &format!("RequestTime={}", NOW - 5),
        &format!("RequestTime={NOW}"),
    );
    let log = logged(|| {
        assert!(config().start(&forged, Framing::default()).is_err());
    });
    assert_eq!(log.lines().count(), 1, "{log}");
    for wanted in [
        "WARN",
        "status=401",
        "Sign does not match",
        "Live.CallbackAfterCreateRoom",
    ] {
        assert!(log.contains(wanted), "{wanted} missing: {log}");
    }
    let sent_sign = &query[query.find("Sign=").unwrap() + 5..][..64];
    for secret in [
        SECRET,
        sent_sign,
        &Sign::compute(&token, NOW).to_string(),
        "SdkAppid=",
    ] {
        assert!(!log.contains(secret), "{secret} logged: {log}");
    }
}

#[test]
fn a_probe_is_logged_at_info() {
    let probe_query = format!(
        "Sign={}&RequestTime={NOW}",
        Sign::compute(&Token::new(SECRET).unwrap(), NOW)
    );
    let log = logged(|| {
        let incoming = config().start(&probe_query, Framing::default()).unwrap();
        assert!(block_on(config().receive_body(incoming, chunks(&[b"{}"]))).is_err());
    });
    assert!(
        log.contains("INFO")
            && log.contains("connectivity probe")
            && log.contains("sdk_app_id=1400000000"),
        "{log}"
    );
}

#[test]
fn config_debug_shows_no_token() {
    let text = format!("{:?}", config());
    assert!(!text.contains(SECRET), "{text}");
    assert!(text.contains("WebhookConfig"));
}

fn signed() -> String {
    signed_query(
        APP,
        &Command::AfterDestroyRoom,
        &Token::new(SECRET).unwrap(),
        NOW,
    )
}

#[test]
fn content_length_with_transfer_encoding_is_refused_before_verification() {
    let refused = config()
        .start(&signed(), Framing::new(Some(b"5"), true))
        .unwrap_err();
    assert_eq!(refused, Intercepted::Refused(Rejection::AmbiguousFraming));
    assert_eq!(refused.status(), 400);
    assert!(refused.closes_connection());
    // Either alone is fine.
    assert!(config().start(&signed(), Framing::new(None, true)).is_ok());
    assert!(
        config()
            .start(&signed(), Framing::new(Some(b"5"), false))
            .is_ok()
    );
    // Even a forged request is refused for its framing first: nothing is verified.
    let forged = config()
        .start("SdkAppid=1", Framing::new(Some(b"5"), true))
        .unwrap_err();
    assert_eq!(forged, Intercepted::Refused(Rejection::AmbiguousFraming));
}

#[test]
fn a_body_that_does_not_arrive_in_time_is_refused_with_408() {
    let config = config().body_timeout(Duration::from_millis(50));
    let incoming = config.start(&signed(), Framing::default()).unwrap();
    // One byte, then nothing: the sender stalls.
    let stalled = futures_util::StreamExt::chain(
        stream::iter(vec![Ok::<_, Rejection>(Bytes::from_static(b"{"))]),
        stream::pending(),
    );
    let refused = block_on(config.receive_body(incoming, stalled)).unwrap_err();
    assert_eq!(refused, Intercepted::Refused(Rejection::BodyTimeout));
    assert_eq!(refused.status(), 408);
    assert!(refused.closes_connection());
    assert_eq!(config.timeout(), Duration::from_millis(50));
}

#[test]
fn only_refusals_that_leave_the_body_unread_close_the_connection() {
    assert!(!Intercepted::Refused(VerifyError::SignMismatch.into()).closes_connection());
    assert!(!Intercepted::NotConfigured.closes_connection());
    assert!(Intercepted::Refused(Rejection::BodyTooLarge { limit: 1 }).closes_connection());
}

#[test]
fn refusal_lines_are_rate_limited_with_a_summary() {
    let config = config().refusal_log_limit(3);
    let forged = signed().replace("Sign=", "Sign=0");
    let log = logged(|| {
        for _ in 0..50 {
            assert!(config.start(&forged, Framing::default()).is_err());
        }
    });
    let refusals = log.matches("refused Tencent Live webhook").count();
    // 50 refusals within one second: three lines, unless the second turned meanwhile,
    // then the summary of what was left out and at most three more.
    assert!((3..=6).contains(&refusals), "{log}");
    let lines = log.lines().count();
    assert!(lines <= 7, "{log}");
}

#[test]
fn the_refusal_observer_sees_every_refusal_past_the_log_budget_with_its_command() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&seen);
    let config = config().refusal_log_limit(1).on_refusal(move |request| {
        into.lock().unwrap().push((
            request.rejection.status(),
            request.family,
            request.command.map(|command| command.as_str().to_owned()),
        ));
    });
    let forged = signed().replace("Sign=", "Sign=0");
    for _ in 0..5 {
        assert!(config.start(&forged, Framing::default()).is_err());
    }
    // A body too large for the limit, after a good start.
    let incoming = config.start(&signed(), Framing::default()).unwrap();
    let large: &'static [u8] = &[b' '; 100];
    assert!(block_on(config.receive_body(incoming, chunks(&[large]))).is_err());
    // Accepted requests and probes are no refusals.
    let incoming = config.start(&signed(), Framing::default()).unwrap();
    assert!(block_on(config.receive_body(incoming, chunks(&[b"{}"]))).is_ok());
    let seen = seen.lock().unwrap().clone();
    let destroy = Some("Live.CallbackAfterDestroyRoom".to_owned());
    let family = tencent_live_webhook_adapter::tencent_live_webhook::Family::Live;
    let mut expected = vec![(401, family, destroy.clone()); 5];
    expected.push((413, family, destroy));
    assert_eq!(seen, expected);
    assert!(format!("{config:?}").contains("on_refusal: true"));
}
