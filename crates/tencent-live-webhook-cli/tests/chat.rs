//! Chat (IM) callbacks through the real binary on actix-web, warp and axum: every
//! documented example printed as its typed event, an unknown word answered OK, a
//! one-to-one message's decisions passed back exactly as the app made them, and an app
//! that cannot answer left to Tencent's own policy within its two seconds.

mod common;

use std::time::{Duration, Instant};

use common::app::App;
use common::{Serving, TOKEN, TempDir, TempFile, agent, free_address, send, text};
use tencent_live_webhook::Command;
use tencent_live_webhook::samples::{CHAT, chat_word};

const FRAMEWORKS: [&str; 3] = ["actix", "warp", "axum"];

/// POSTs `body` to `url` signed for `word` (a documented word or not); status and body.
fn post(url: &str, word: &str, body: &[u8]) -> (u16, String) {
    let query = common::signed(&word.parse().unwrap(), common::now());
    let mut answer = agent().post(format!("{url}/?{query}")).send(body).unwrap();
    let status = answer.status().as_u16();
    (status, answer.body_mut().read_to_string().unwrap())
}

#[test]
fn every_chat_example_is_printed_as_its_typed_event_on_every_framework() {
    for framework in FRAMEWORKS {
        let serving = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            framework,
            "--format",
            "json",
        ]);
        for (name, body) in CHAT {
            let word = chat_word(name);
            let (status, answer) = post(&serving.url, word, body);
            assert_eq!(status, 200, "{framework} {name}: {answer}");
            assert!(
                answer.contains(r#""ErrorCode":0"#),
                "{framework} {name}: {answer}"
            );
            let line = serving.next_line();
            assert_eq!(line["command"], word, "{framework} {name}");
            let event = line["event"]
                .as_object()
                .unwrap_or_else(|| panic!("{framework} {name}: not a typed event: {line}"));
            // Written back with the body's own keys (the command word in front).
            let sent: serde_json::Value = serde_json::from_slice(body).unwrap();
            for key in sent.as_object().unwrap().keys() {
                assert!(event.contains_key(key), "{framework} {name}: {key} lost");
            }
        }
        // A word nobody documented yet: kept raw and answered OK, never FAIL.
        let (status, answer) = post(
            &serving.url,
            "Group.CallbackBeforeSomethingNew",
            br#"{"CallbackCommand":"Group.CallbackBeforeSomethingNew","GroupId":"g"}"#,
        );
        assert_eq!(status, 200, "{framework}");
        assert_eq!(
            answer,
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
        );
        let line = serving.next_line();
        assert_eq!(line["raw"]["GroupId"], "g", "{framework}: {line}");
    }
}

#[test]
fn a_one_to_one_message_gets_exactly_the_apps_decision_on_every_framework() {
    let app = App::start();
    let message = |text: &str| {
        format!(
            r#"{{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","To_Account":"b","MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"{text}"}}}}]}}"#
        )
    };
    for framework in FRAMEWORKS {
        let serving = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            framework,
            "--format",
            "json",
            "--forward-to",
            &format!("http://{}/im", app.address),
        ]);
        for (text, expected) in [
            (
                "hello",
                r#"{ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "" }"#,
            ),
            (
                "c2c-no-links link",
                r#"{"ActionStatus":"OK","ErrorCode":120001,"ErrorInfo":"no links"}"#,
            ),
            (
                "silence-me",
                r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#,
            ),
            (
                "rewrite me",
                r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"***"}}]}"#,
            ),
        ] {
            let (status, answer) = post(
                &serving.url,
                "C2C.CallbackBeforeSendMsg",
                message(text).as_bytes(),
            );
            assert_eq!(
                (status, answer.as_str()),
                (200, expected),
                "{framework} {text}"
            );
            // The app saw the exact body, with its query signed afresh for it.
            let seen = app.next();
            assert_eq!(seen.body, message(text).as_bytes(), "{framework}");
            assert!(
                seen.query()
                    .contains("CallbackCommand=C2C.CallbackBeforeSendMsg")
            );
            let line = serving.next_line();
            assert_eq!(line["command"], "C2C.CallbackBeforeSendMsg");
        }
    }
}

#[test]
fn human_output_says_what_a_chat_decision_was() {
    let app = App::start();
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--format",
        "human",
        "--forward-to",
        &format!("http://{}/im", app.address),
    ]);
    let body = r#"{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"ann","To_Account":"bob","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"silence-me"}}]}"#;
    let (status, _) = post(&serving.url, "C2C.CallbackBeforeSendMsg", body.as_bytes());
    assert_eq!(status, 200);
    let line = serving.stdout.recv_timeout(common::WAIT).unwrap();
    for wanted in [
        "C2C.CallbackBeforeSendMsg",
        "ann -> bob: about to say \"silence-me\"",
        "decision: dropped silently",
    ] {
        assert!(line.contains(wanted), "{wanted} missing: {line}");
    }
}

#[test]
fn with_the_app_down_a_chat_before_callback_is_left_to_tencent_within_two_seconds() {
    let closed = free_address();
    for framework in FRAMEWORKS {
        let serving = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            framework,
            "--format",
            "json",
            "--forward-to",
            &format!("http://{closed}/im"),
        ]);
        for word in [
            "Group.CallbackBeforeCreateGroup",
            "OfficialAccount.CallbackBeforeAddSubscriber",
            "Chatbot.OnC2CSignalMessage",
        ] {
            let body = tencent_live_webhook::samples::body_for(word.parse().unwrap()).unwrap();
            let started = Instant::now();
            let (status, answer) = post(&serving.url, word, body);
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{framework} {word}"
            );
            // A failure: Tencent's own policy lets a Chat action through.
            assert_eq!(status, 502, "{framework} {word}: {answer}");
            assert!(answer.contains(r#""ActionStatus":"FAIL""#), "{answer}");
            serving.next_line();
        }
        // A notification with a spool waits for no app.
        drop(serving);
    }
}

#[test]
fn samples_and_send_know_every_chat_word() {
    let listed = common::run(&["samples"]);
    let listed = text(&listed.stdout);
    for (name, _) in CHAT {
        assert!(listed.contains(chat_word(name)), "{name} not listed");
    }
    assert!(listed.contains("Chatbot.OnC2CSignalMessage"));
    let shown = common::run(&["samples", "c2cbeforesendmsg", "--layout", "compact"]);
    assert!(text(&shown.stdout).starts_with(r#"{"CallbackCommand":"C2C.CallbackBeforeSendMsg""#));
    // A word without a documented example says so, and how to send one anyway.
    let missing = common::run(&["samples", "StateChange"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("send --body"),
        "{}",
        text(&missing.stderr)
    );
    // `send` sends any Chat word, with an edit.
    let serving = Serving::start(&["--token", TOKEN, "--format", "json"]);
    let sent = send(
        &serving.url,
        &[
            "--command",
            "Push.OfflinePush",
            "--set",
            "Events[0].PushStage=3",
        ],
    );
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    let line = serving.next_line();
    assert_eq!(line["event"]["Events"][0]["PushStage"], 3, "{line}");
    let file = TempFile::new(
        "state-change.json",
        br#"{"CallbackCommand":"State.StateChange","Info":{"Action":"Logout","To_Account":"u","Reason":"Unregister"}}"#,
    );
    let sent = send(&serving.url, &["--body", file.path()]);
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    let line = serving.next_line();
    assert_eq!(line["event"]["Info"]["Action"], "Logout");
}

#[test]
fn with_a_spool_a_chat_before_callback_still_waits_for_the_app_and_after_callbacks_are_kept() {
    let app = App::start();
    let directory = TempDir::new("chat");
    let spool = directory.join("spool.db");
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--format",
        "json",
        "--spool",
        spool.to_str().unwrap(),
        "--forward-to",
        &format!("http://{}/im", app.address),
    ]);
    let refused = r#"{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","To_Account":"b","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"c2c-no-links"}}]}"#;
    let (status, answer) = post(
        &serving.url,
        "C2C.CallbackBeforeSendMsg",
        refused.as_bytes(),
    );
    assert_eq!(
        (status, answer.as_str()),
        (
            200,
            r#"{"ActionStatus":"OK","ErrorCode":120001,"ErrorInfo":"no links"}"#
        )
    );
    assert_eq!(app.next().body, refused.as_bytes());
    serving.next_line();
    // An after-callback is stored, answered, then delivered from the spool.
    let body = tencent_live_webhook::samples::body_for(Command::GroupAfterGroupDestroyed).unwrap();
    let (status, _) = post(&serving.url, "Group.CallbackAfterGroupDestroyed", body);
    assert_eq!(status, 200);
    let line = serving.next_line();
    assert!(line["spool"]["id"].is_string(), "{line}");
    let delivered = app.next();
    assert_eq!(delivered.body, body);
    assert!(
        delivered
            .query()
            .contains("CallbackCommand=Group.CallbackAfterGroupDestroyed")
    );
    drop(serving);
}
