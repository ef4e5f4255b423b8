//! `samples`, `send --set`, decisions, `replay`, https and completions, with the real
//! binary against a real `serve` on loopback, every framework.

use serde_json::Value;
use tencent_live_webhook::Command;

mod common;

use common::app::App;
use common::*;

const FRAMEWORKS: [&str; 3] = ["actix", "warp", "axum"];

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("{error}: {text}"))
}

fn sample(command: Command) -> Value {
    json(std::str::from_utf8(tencent_live_webhook::samples::body_for(command).unwrap()).unwrap())
}

/// The record file's lines, parsed.
fn records(file: &TempFile) -> Vec<Value> {
    std::fs::read_to_string(&file.0)
        .unwrap()
        .lines()
        .map(json)
        .collect()
}

/// The query without its `Sign` and `RequestTime`, in order.
fn unsigned_part(query: &str) -> Vec<&str> {
    query
        .split('&')
        .filter(|pair| !pair.starts_with("Sign=") && !pair.starts_with("RequestTime="))
        .collect()
}

#[test]
fn samples_lists_every_command_and_prints_each_body_in_any_spelling() {
    let output = run(&["samples"]);
    assert!(output.status.success());
    let listing = text(&output.stdout);
    assert_eq!(listing.lines().count(), Command::KNOWN.len(), "{listing}");
    for command in Command::KNOWN {
        let word = command.known_word().unwrap();
        let line = listing
            .lines()
            .find(|line| line.split_whitespace().next() == Some(word))
            .unwrap_or_else(|| panic!("{word} not listed"));
        let kind = if command.is_switch() {
            "switch"
        } else if command.is_blocking() {
            "blocking"
        } else {
            "notification"
        };
        assert_eq!(line.split_whitespace().nth(1), Some(kind), "{line}");
        assert!(line.ends_with(command.description().unwrap()), "{line}");
        if command.is_switch() {
            continue;
        }
        if tencent_live_webhook::samples::body_for(command).is_none() {
            // A Chat word whose page shows no example: said so, with what to do instead.
            let output = run(&["samples", word]);
            assert_eq!(output.status.code(), Some(2), "{word}");
            assert!(
                text(&output.stderr).contains("no documented example"),
                "{word}"
            );
            continue;
        }
        // The short form, with its family where another family has the same one
        // (`C2CBeforeSendMsg`).
        let (family, name) = word.split_once('.').unwrap();
        let name = name.strip_prefix("Callback").unwrap_or(name);
        let qualified = format!("{family}{name}");
        let short = if Command::KNOWN.iter().find(|other| {
            other.as_str().ends_with(&format!(".Callback{name}"))
                || other.as_str().ends_with(&format!(".{name}"))
        }) == Some(&command)
        {
            name.to_owned()
        } else {
            qualified.clone()
        };
        let short = short.as_str();
        for typed in [
            word,
            short,
            &short.to_ascii_lowercase(),
            &qualified.to_ascii_lowercase(),
            &word.to_ascii_uppercase(),
        ] {
            let output = run(&["samples", typed]);
            assert!(output.status.success(), "{typed}: {}", text(&output.stderr));
            // Not a terminal: one compact line, the same JSON as the sample.
            let body = text(&output.stdout);
            assert_eq!(body.lines().count(), 1, "{typed}");
            assert!(!body.contains(": "), "{typed}: {body}");
            assert_eq!(json(&body), sample(command), "{typed}");
        }
        let pretty = text(&run(&["samples", short, "--layout", "pretty"]).stdout);
        assert!(pretty.lines().count() > 2, "{pretty}");
        // Indented, one member per line (some Chat bodies have no CallbackCommand).
        assert!(pretty.contains("\n  \""), "{pretty}");
        assert_eq!(json(&pretty), sample(command));
    }
}

#[test]
fn unknown_words_get_suggestions_and_switches_have_no_sample() {
    for (typed, near) in [
        ("BeforeSendGfit", "Live.CallbackBeforeSendGift"),
        ("aftercreatroom", "Live.CallbackAfterCreateRoom"),
        ("battle", "Live.CallbackAfterStartBattle"),
    ] {
        let output = run(&["samples", typed]);
        assert_eq!(output.status.code(), Some(2), "{typed}");
        let error = text(&output.stderr);
        assert!(
            error.contains("did you mean") && error.contains(near),
            "{error}"
        );
        assert!(error.contains("live-webhook samples"), "{error}");
        assert!(output.stdout.is_empty());
    }
    let output = run(&["samples", "BeforeCallBackNotBlock"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no body"));
    let error = text(&run(&["samples", "zzzz"]).stderr);
    assert!(!error.contains("did you mean"), "{error}");
}

/// `send --command` takes every spelling; an unknown word sends nothing; `--set` edits
/// nested members and elements, creates missing objects, and refuses bad paths.
fn send_accepts_short_words_and_edits_bodies(framework: &str) {
    let record = TempFile::new(&format!("set-{framework}.jsonl"), b"");
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--framework",
        framework,
        "--record",
        record.path(),
    ]);
    for typed in [
        "BeforeSendGift",
        "beforesendgift",
        "Live.CallbackBeforeSendGift",
    ] {
        let output = send(&serving.url, &["--command", typed]);
        assert!(output.status.success(), "{typed}: {}", text(&output.stderr));
        let line = serving.next_line();
        assert_eq!(line["command"], "Live.CallbackBeforeSendGift", "{typed}");
    }
    let output = send(&serving.url, &["--command", "BeforeSendGfit"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("did you mean Live.CallbackBeforeSendGift"));
    serving.no_more_stdout();

    let output = send(
        &serving.url,
        &[
            "--command",
            "BeforeSendGift",
            "--set",
            "GiftWater.Coins=6000",
            "--set",
            "RoomId=r9",
            "--set",
            "GiftWater.To_Account[0]=u7",
            "--set",
            "Extra.Deep.Flag=true",
            "--set",
            "GiftWater.GiftId=\"6000\"",
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    serving.next_line();
    let mut wanted = sample(Command::BeforeSendGift);
    wanted["GiftWater"]["Coins"] = 6000.into();
    wanted["RoomId"] = "r9".into();
    wanted["GiftWater"]["To_Account"][0] = "u7".into();
    wanted["Extra"] = serde_json::json!({"Deep": {"Flag": true}});
    wanted["GiftWater"]["GiftId"] = "6000".into();
    let edited = records(&record).pop().unwrap();
    assert_eq!(json(edited["body"].as_str().unwrap()), wanted);

    // With a body of one's own: what is not set stays exactly as written.
    let body = TempFile::new(
        &format!("set-body-{framework}.json"),
        b"{\r\n  \"CallbackCommand\": \"Group.CallbackBeforeSendMsg\",\r\n  \"Big\": 123456789012345678901234567890,\r\n  \"MsgBody\": [{\"MsgType\": \"TIMTextElem\", \"MsgContent\": {\"Text\": \"hi\"}}]\r\n}",
    );
    let output = send(
        &serving.url,
        &[
            "--body",
            body.path(),
            "--set",
            "MsgBody[0].MsgContent.Text=bye",
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        serving.next_line()["command"],
        "Group.CallbackBeforeSendMsg"
    );
    assert_eq!(
        records(&record).pop().unwrap()["body"],
        r#"{"CallbackCommand":"Group.CallbackBeforeSendMsg","Big":123456789012345678901234567890,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"bye"}}]}"#
    );

    for (set, why) in [
        (
            "GiftWater.To_Account[5]=x",
            "GiftWater.To_Account has 1 element(s): [5] is out of range",
        ),
        (
            "RoomId.Inner=1",
            "RoomId is a string, so it has no member \"Inner\"",
        ),
        (
            "Nothing[0]=1",
            "Nothing does not exist, so it has no element [0]",
        ),
        ("GiftWater..Coins=1", "a member name is empty"),
        ("NoEquals", "expected PATH=VALUE"),
    ] {
        let output = send(&serving.url, &["--command", "BeforeSendGift", "--set", set]);
        assert_eq!(output.status.code(), Some(2), "{set}");
        let error = text(&output.stderr);
        assert!(error.contains(why), "{set}: {error}");
    }
    serving.no_more_stdout();
}

#[test]
fn send_edits_with_actix() {
    send_accepts_short_words_and_edits_bodies("actix");
}

#[test]
fn send_edits_with_warp() {
    send_accepts_short_words_and_edits_bodies("warp");
}

#[test]
fn send_edits_with_axum() {
    send_accepts_short_words_and_edits_bodies("axum");
}

/// The app behind `serve` decides; `send` says what it decided and exits accordingly.
#[test]
fn send_reports_decisions_in_words_and_asserts_error_codes() {
    let app = App::start();
    for framework in FRAMEWORKS {
        let serving = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            framework,
            "--forward-to",
            &format!("http://{}/hook", app.address),
        ]);
        let cases: [(&[&str], &str, i32); 8] = [
            (&["--command", "BeforeSendGift"], "decision: allowed", 0),
            (
                &[
                    "--command",
                    "BeforeSendGift",
                    "--set",
                    "GiftWater.GiftId=forbidden",
                ],
                "decision: rejected with code 102150 (\"gift refused\")",
                0,
            ),
            (
                &[
                    "--command",
                    "BeforeSendGift",
                    "--set",
                    "GiftWater.GiftId=refuse",
                ],
                "decision: rejected",
                0,
            ),
            (
                &[
                    "--command",
                    "BeforeSendMsg",
                    "--set",
                    "MsgBody[0].MsgContent.Text=rewrite me",
                ],
                "decision: message replaced (MsgBody)",
                0,
            ),
            (
                &[
                    "--command",
                    "BeforeSendGift",
                    "--set",
                    "GiftWater.GiftId=forbidden",
                    "--expect-error-code",
                    "102150",
                ],
                "decision: rejected with code 102150",
                0,
            ),
            (
                &[
                    "--command",
                    "BeforeSendGift",
                    "--set",
                    "GiftWater.GiftId=forbidden",
                    "--expect-error-code",
                    "0",
                ],
                "decision: rejected with code 102150",
                1,
            ),
            (
                &[
                    "--command",
                    "BeforeSendGift",
                    "--expect-error-code",
                    "102150",
                ],
                "decision: allowed",
                1,
            ),
            (
                &[
                    "--command",
                    "BeforeSendGift",
                    "--set",
                    "GiftWater.GiftId=teapot",
                ],
                "decision: none: HTTP 418",
                1,
            ),
        ];
        for (args, words, code) in cases {
            let output = send(&serving.url, args);
            let out = text(&output.stdout);
            assert!(out.contains(words), "{framework} {args:?}: {out}");
            assert_eq!(
                output.status.code(),
                Some(code),
                "{framework} {args:?}: {out}"
            );
            assert_eq!(
                out.lines().next().map(|l| l.starts_with("HTTP ")),
                Some(true)
            );
            if code == 1 && args.contains(&"--expect-error-code") {
                let error = text(&output.stderr);
                assert!(error.contains("expected ErrorCode"), "{error}");
            }
            app.next();
            serving.next_line();
        }
        // A notification has no decision line.
        let output = send(&serving.url, &["--command", "AfterCreateRoom"]);
        assert!(output.status.success());
        assert!(!text(&output.stdout).contains("decision"));
        app.next();
        serving.next_line();
    }
}

/// A recorded file replayed into another `serve` arrives byte for byte: the same bodies,
/// the same queries but for a fresh `Sign` and `RequestTime` (or those too, if kept).
#[test]
fn replay_sends_recorded_webhooks_again_byte_exact() {
    for (from, to) in [("actix", "warp"), ("warp", "axum"), ("axum", "actix")] {
        let first = TempFile::new(&format!("replay-first-{from}.jsonl"), b"");
        let source = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            from,
            "--record",
            first.path(),
        ]);
        let body = TempFile::new(
            &format!("replay-body-{from}.json"),
            b"{\r\n\t\"CallbackCommand\": \"Live.CallbackAfterCreateRoom\",\r\n\t\"Big\": 123456789012345678901234567890, \"Text\": \"\\u00e9 \\\"q\\\"\"\r\n}\r\n",
        );
        let url = format!("{}/live?tenant=a%20b", source.url);
        for args in [
            &["--body", body.path()][..],
            &["--command", "BeforeSendGift"],
            &["--command", "AfterDestroyRoom"],
            &[
                "--command",
                "BeforeSendMsg",
                "--set",
                "MsgBody[0].MsgContent.Text=é",
            ],
        ] {
            assert!(send(&url, args).status.success(), "{args:?}");
            source.next_line();
        }
        let recorded = records(&first);
        assert_eq!(recorded.len(), 4);

        // Signed afresh with another token, into a receiver that knows only that one.
        let second = TempFile::new(&format!("replay-second-{to}.jsonl"), b"");
        let target = Serving::start(&[
            "--token",
            "another-token",
            "--framework",
            to,
            "--record",
            second.path(),
        ]);
        let output = run(&[
            "replay",
            first.path(),
            "--url",
            &format!("{}/again", target.url),
            "--token",
            "another-token",
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let out = text(&output.stdout);
        assert_eq!(out.lines().count(), 4, "{out}");
        assert!(
            out.lines()
                .nth(1)
                .unwrap()
                .starts_with("2 Live.CallbackBeforeSendGift HTTP 200 ")
        );
        assert!(out.contains("decision: allowed"), "{out}");
        for _ in 0..4 {
            target.next_line();
        }
        let replayed = records(&second);
        assert_eq!(replayed.len(), 4);
        for (old, new) in recorded.iter().zip(&replayed) {
            assert_eq!(old["body"], new["body"], "{from} -> {to}");
            let (old_query, new_query) = (
                old["query"].as_str().unwrap(),
                new["query"].as_str().unwrap(),
            );
            assert_eq!(unsigned_part(old_query), unsigned_part(new_query));
            assert_ne!(old_query, new_query);
        }

        // Kept signatures: the queries are the recorded ones exactly.
        let third = TempFile::new(&format!("replay-third-{to}.jsonl"), b"");
        let keeper = Serving::start(&[
            "--token",
            TOKEN,
            "--framework",
            to,
            "--record",
            third.path(),
        ]);
        let output = run(&[
            "replay",
            first.path(),
            "--url",
            &keeper.url,
            "--keep-signature",
            "--command",
            "beforesendgift",
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(text(&output.stdout).lines().count(), 1);
        keeper.next_line();
        let kept = records(&third);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0]["query"], recorded[1]["query"]);
        assert_eq!(kept[0]["body"], recorded[1]["body"]);
    }
}

#[test]
fn replay_fails_on_refusals_bad_lines_and_empty_filters() {
    let serving = Serving::start(&["--token", TOKEN]);
    let query = signed(&Command::AfterCreateRoom, now());
    let good = serde_json::json!({"received_at_ms": 1, "query": query, "body": "{\"CallbackCommand\":\"Live.CallbackAfterCreateRoom\"}"});
    let file = TempFile::new(
        "replay-mixed.jsonl",
        format!("{good}\nnot json\n\n{good}\n").as_bytes(),
    );
    let output = run(&[
        "replay",
        file.path(),
        "--url",
        &serving.url,
        "--token",
        TOKEN,
    ]);
    assert_eq!(output.status.code(), Some(1));
    let out = text(&output.stdout);
    assert!(out.contains("2 not a record line"), "{out}");
    assert!(
        out.lines().filter(|l| l.contains("HTTP 200")).count() == 2,
        "{out}"
    );
    assert!(text(&output.stderr).contains("1 line(s) unreadable"));
    serving.next_line();
    serving.next_line();

    // The wrong token: refused, and the exit code says so.
    let file = TempFile::new("replay-good.jsonl", format!("{good}\n").as_bytes());
    let output = run(&[
        "replay",
        file.path(),
        "--url",
        &serving.url,
        "--token",
        "wrong-token",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stdout).contains("HTTP 401"),
        "{}",
        text(&output.stdout)
    );
    serving.no_more_stdout();

    // A filter nothing matches, and an unknown filter word.
    let replay = |filter: &str| {
        let args = [
            "replay",
            file.path(),
            "--url",
            &serving.url,
            "--token",
            TOKEN,
            "--command",
            filter,
        ];
        run(&args)
    };
    let output = replay("AfterEndBattle");
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("no webhook matches --command"));
    let output = replay("EndBatle");
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("did you mean Live.CallbackAfterEndBattle"));
    // No token and no --keep-signature: a usage error.
    let output = run(&["replay", file.path(), "--url", &serving.url]);
    assert_eq!(output.status.code(), Some(2));
    serving.no_more_stdout();
}

#[test]
fn replaying_into_the_server_that_records_the_file_sends_what_it_held() {
    let record = TempFile::new("replay-loop.jsonl", b"");
    let serving = Serving::start(&["--token", TOKEN, "--record", record.path()]);
    for command in ["CreateRoom", "DestroyRoom"] {
        assert!(send(&serving.url, &["--command", command]).status.success());
        serving.next_line();
    }
    let output = run(&[
        "replay",
        record.path(),
        "--url",
        &serving.url,
        "--token",
        TOKEN,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout).lines().count(), 2);
    serving.next_line();
    serving.next_line();
    serving.no_more_stdout();
    assert_eq!(records(&record).len(), 4);
}

#[test]
fn send_and_replay_reach_https_with_a_private_ca_and_refuse_without_it() {
    let (app, authority) = App::start_tls();
    let authority = TempFile::new("tools-ca.pem", authority.as_bytes());
    let url = format!("https://{}/hook", app.address);
    let output = send(
        &url,
        &["--command", "AfterCreateRoom", "--cacert", authority.path()],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).starts_with("HTTP 200\n"));
    let seen = app.next();
    assert!(
        seen.target.starts_with("/hook?SdkAppid="),
        "{}",
        seen.target
    );

    let output = send(&url, &["--command", "AfterCreateRoom"]);
    assert_eq!(output.status.code(), Some(1));
    let error = text(&output.stderr);
    assert!(
        error.contains("certificate") || error.contains("Unknown"),
        "{error}"
    );
    assert!(!error.contains("Sign="), "{error}");

    let line = serde_json::json!({"received_at_ms": 1, "query": seen.target.split_once('?').unwrap().1, "body": String::from_utf8(seen.body.clone()).unwrap()});
    let record = TempFile::new("tools-https.jsonl", format!("{line}\n").as_bytes());
    let replay = |extra: &[&str]| {
        let args = [
            &["replay", record.path(), "--url", &url, "--token", TOKEN][..],
            extra,
        ];
        run(&args.concat())
    };
    let output = replay(&["--cacert", authority.path()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(app.next().body, seen.body);
    let output = replay(&[]);
    assert_eq!(output.status.code(), Some(1));
    app.nothing_more();

    let missing = replay(&["--cacert", "/nonexistent/ca.pem"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("--cacert"));
}

#[test]
fn completions_for_every_shell_name_every_subcommand() {
    let subcommands = [
        "sign",
        "verify",
        "serve",
        "send",
        "samples",
        "replay",
        "config",
        "usersig",
        "spool",
        "completions",
        "demo",
    ];
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = run(&["completions", shell]);
        assert!(output.status.success(), "{shell}");
        let script = text(&output.stdout);
        assert!(script.len() > 500, "{shell}: {script}");
        for subcommand in subcommands {
            assert!(script.contains(subcommand), "{shell} lacks {subcommand}");
        }
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn record_lines_say_how_forwarding_went_and_replay_picks_failed_and_recent_ones() {
    let app = App::start();
    let record = TempFile::new("record-forward.jsonl", b"");
    let source = Serving::start(&[
        "--token",
        TOKEN,
        "--forward-to",
        &format!("http://{}/", app.address),
        "--record",
        record.path(),
    ]);
    // Two the app takes, one it answers 418 ("teapot"), all notifications.
    for (n, label) in ["fine-1", "teapot", "fine-2"].iter().enumerate() {
        let body = format!(
            r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"{label}","EventTime":{n}}}"#
        );
        let file = TempFile::new(&format!("record-forward-{n}.json"), body.as_bytes());
        run(&[
            "send",
            "--url",
            &source.url,
            "--sdkappid",
            APP,
            "--token",
            TOKEN,
            "--body",
            file.path(),
        ]);
        source.next_line();
        app.next();
    }
    let lines: Vec<Value> = std::fs::read_to_string(&record.0)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["forward"]["status"], 200);
    assert_eq!(lines[1]["forward"]["status"], 418);
    assert!(lines[1]["forward"]["ms"].is_u64());

    let target = TempFile::new("record-forward-target.jsonl", b"");
    let receiver = Serving::start(&["--token", TOKEN, "--record", target.path()]);
    let replay = |extra: &[&str]| {
        let mut args = vec![
            "replay",
            record.path(),
            "--url",
            &receiver.url,
            "--token",
            TOKEN,
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    // Only the failed one.
    let failed = replay(&["--failed"]);
    assert!(failed.status.success(), "{}", text(&failed.stderr));
    let line = receiver.next_line();
    assert_eq!(line["event"]["RoomId"], "teapot");
    receiver.no_more_stdout();
    // Since an hour ago: all three; since a time to come: none (exit 1).
    assert!(replay(&["--since", "1h"]).status.success());
    for _ in 0..3 {
        receiver.next_line();
    }
    let future = (now() + 3600).to_string();
    let none = replay(&["--since", &future]);
    assert_eq!(none.status.code(), Some(1));
    assert!(text(&none.stderr).contains("no webhook matches --command, --since or --failed"));
    let rfc3339 = replay(&["--since", "2000-01-01T00:00:00Z", "--failed"]);
    assert!(rfc3339.status.success());
    assert_eq!(receiver.next_line()["event"]["RoomId"], "teapot");
    let bad = replay(&["--since", "yesterday-ish"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("RFC 3339"));
}
