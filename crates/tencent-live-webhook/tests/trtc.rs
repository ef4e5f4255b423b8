//! TRTC callbacks: signature vectors from files, every documented body, and the traps.

use tencent_live_webhook::Rejection;
use tencent_live_webhook::samples;
use tencent_live_webhook::trtc::{
    Callback, DecodeError, EnterReason, Event, ExitReason, FileList, Key, KeyError, MediaEventKind,
    Payload, Receiver, RecorderLeaveCode, RecordingEventKind, RelayStatus, Role, RoomEventKind,
    RoomId, TerminalType, UserType, Verifier, VerifyError,
};

const APP: u64 = 1_400_000_000;

const BASE64_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A case of header checks: `SdkAppId`, `Sign`, the refusal.
type HeaderCase<'a> = (Option<&'a [u8]>, Option<&'a [u8]>, VerifyError);

const VECTOR_FILES: &[(&str, &str)] = &[
    (
        "trtc-sign/tencent-docs.txt",
        include_str!("../testdata/trtc-sign/tencent-docs.txt"),
    ),
    (
        "trtc-sign/python-hmac.txt",
        include_str!("../testdata/trtc-sign/python-hmac.txt"),
    ),
];

/// The body files the vectors name: the samples, plus the copy with literal `\n`.
fn body_file(name: &str) -> &'static [u8] {
    if name == "2-204-literal-backslash-n.txt" {
        return include_bytes!("../testdata/trtc/2-204-literal-backslash-n.txt");
    }
    let stem = name.strip_suffix(".json").expect("a .json body file");
    samples::TRTC
        .iter()
        .find(|(sample, _)| *sample == stem)
        .map_or_else(|| panic!("no sample {name}"), |(_, body)| *body)
}

fn vectors() -> Vec<(String, &'static str, &'static [u8], &'static str)> {
    let mut all = Vec::new();
    for (file, text) in VECTOR_FILES {
        for (number, line) in text.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            let [key, body, sign] = line.split(' ').collect::<Vec<_>>()[..] else {
                panic!("{file}:{}: expected `key body_file sign`", number + 1);
            };
            all.push((format!("{file}:{}", number + 1), key, body_file(body), sign));
        }
    }
    all
}

#[test]
fn every_vector_signs_and_verifies_and_nothing_else_does() {
    let vectors = vectors();
    assert!(vectors.len() > 150, "{}", vectors.len());
    for (at, key, body, sign) in &vectors {
        let key = Key::new(key).unwrap();
        assert_eq!(key.sign(body), *sign, "{at}");
        let verifier = Verifier::new()
            .app(APP, [key.clone()])
            .without_replay_window();
        let verified = verifier
            .verify(Some(b"1400000000"), Some(sign.as_bytes()), body, 0)
            .unwrap_or_else(|error| panic!("{at}: {error}"));
        assert_eq!((verified.sdk_app_id(), verified.body()), (APP, *body));
        // Any other body fails, and so does any other key.
        let mut changed = body.to_vec();
        changed.push(b' ');
        assert_eq!(
            verifier
                .verify(None, Some(sign.as_bytes()), &changed, 0)
                .unwrap_err(),
            VerifyError::SignMismatch,
            "{at}"
        );
        let other = Verifier::new()
            .app(APP, [Key::new("other").unwrap()])
            .without_replay_window();
        assert_eq!(
            other
                .verify(None, Some(sign.as_bytes()), body, 0)
                .unwrap_err(),
            VerifyError::SignMismatch
        );
    }
}

#[test]
fn the_documented_sign_does_not_hold_for_a_copy_with_literal_backslash_n() {
    let documented = "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=";
    let verifier = Verifier::new()
        .app(APP, [Key::new("123654").unwrap()])
        .without_replay_window();
    let genuine = body_file("2-204-signature-vector.json");
    assert!(
        verifier
            .verify(None, Some(documented.as_bytes()), genuine, 0)
            .is_ok()
    );
    let literal = body_file("2-204-literal-backslash-n.txt");
    assert!(!literal.contains(&b'\n') && literal.windows(2).any(|pair| pair == b"\\n"));
    assert_eq!(
        verifier
            .verify(None, Some(documented.as_bytes()), literal, 0)
            .unwrap_err(),
        VerifyError::SignMismatch
    );
}

#[test]
fn a_re_serialized_body_is_refused() {
    let verifier = Verifier::new()
        .app(APP, [Key::new("123654").unwrap()])
        .without_replay_window();
    let genuine = body_file("2-204-signature-vector.json");
    let sign = "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=";
    let value: serde_json::Value = serde_json::from_slice(genuine).unwrap();
    for rewritten in [
        serde_json::to_vec(&value).unwrap(),
        serde_json::to_vec_pretty(&value).unwrap(),
    ] {
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&rewritten).unwrap(),
            value
        );
        assert_eq!(
            verifier
                .verify(None, Some(sign.as_bytes()), &rewritten, 0)
                .unwrap_err(),
            VerifyError::SignMismatch
        );
    }
}

#[test]
fn keys_are_checked_at_configuration() {
    assert!(Key::new("a".repeat(32)).is_ok());
    assert_eq!(
        Key::new("a".repeat(33)).unwrap_err(),
        KeyError::TooLong { len: 33 }
    );
    assert_eq!(Key::new("").unwrap_err(), KeyError::Empty);
    assert_eq!(
        Key::new("abc-def").unwrap_err(),
        KeyError::NotAlphanumeric { position: 3 }
    );
    assert_eq!(
        Key::new("ключ").unwrap_err(),
        KeyError::NotAlphanumeric { position: 0 }
    );
    let shown = format!(
        "{:?} {}",
        Key::new("Secret123").unwrap(),
        KeyError::TooLong { len: 40 }
    );
    assert!(!shown.contains("Secret123"), "{shown}");
}

#[test]
fn headers_are_checked_before_the_body() {
    let verifier = Verifier::new().app(APP, [Key::new("k").unwrap()]);
    let sign = Key::new("k").unwrap().sign(b"{}");
    let cases: [HeaderCase<'_>; 6] = [
        (Some(b"1400000000"), None, VerifyError::MissingSign),
        (Some(b"1400000000"), Some(b""), VerifyError::MalformedSign),
        (
            Some(b"1400000000"),
            Some(&sign.as_bytes()[..43]),
            VerifyError::MalformedSign,
        ),
        // 44 characters, but not base64.
        (
            Some(b"1400000000"),
            Some(b"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!="),
            VerifyError::MalformedSign,
        ),
        (
            Some(b"14x"),
            Some(sign.as_bytes()),
            VerifyError::MalformedSdkAppId,
        ),
        (
            Some(b"1400000001"),
            Some(sign.as_bytes()),
            VerifyError::UnknownApp {
                sdk_app_id: 1_400_000_001,
            },
        ),
    ];
    for (app, sign, expected) in cases {
        assert_eq!(verifier.check_headers(app, sign).unwrap_err(), expected);
    }
    assert_eq!(VerifyError::MissingSign.status(), 401);
    assert_eq!(VerifyError::UnknownApp { sdk_app_id: 1 }.status(), 403);
    assert_eq!(VerifyError::MalformedSdkAppId.status(), 400);
    // Non-canonical base64 (the last character's unused bits set) is refused too.
    let mut odd = sign.clone().into_bytes();
    let value = BASE64_ALPHABET.iter().position(|c| *c == odd[42]).unwrap();
    assert_eq!(
        value & 3,
        0,
        "a canonical Sign leaves the last two bits clear"
    );
    odd[42] = BASE64_ALPHABET[value | 1];
    assert!(verifier.check_headers(None, Some(sign.as_bytes())).is_ok());
    assert_eq!(
        verifier.check_headers(None, Some(&odd)).unwrap_err(),
        VerifyError::MalformedSign
    );
}

#[test]
fn several_apps_and_a_key_rotation() {
    let (old, new, other) = (
        Key::new("old1").unwrap(),
        Key::new("new2").unwrap(),
        Key::new("other3").unwrap(),
    );
    let verifier = Verifier::new()
        .app(APP, [old.clone(), new.clone()])
        .app(7, [other.clone()])
        .without_replay_window();
    let body = br#"{"EventGroupId":1,"EventType":101,"EventInfo":{"RoomId":1}}"#;
    let by_new = verifier
        .verify(
            Some(b"1400000000"),
            Some(new.sign(body).as_bytes()),
            body,
            0,
        )
        .unwrap();
    assert_eq!((by_new.sdk_app_id(), by_new.matched_key()), (APP, 1));
    // Without SdkAppId, every app's keys are tried.
    let by_other = verifier
        .verify(None, Some(other.sign(body).as_bytes()), body, 0)
        .unwrap();
    assert_eq!(by_other.sdk_app_id(), 7);
    // With it, only that app's.
    assert_eq!(
        verifier
            .verify(
                Some(b"1400000000"),
                Some(other.sign(body).as_bytes()),
                body,
                0
            )
            .unwrap_err(),
        VerifyError::SignMismatch
    );
}

#[test]
fn the_replay_window_is_on_by_default_and_counts_milliseconds() {
    let key = Key::new("k").unwrap();
    let verifier = Verifier::new().app(APP, [key.clone()]);
    let body = br#"{"EventGroupId":1,"EventType":101,"CallbackTs":1700000000000,"EventInfo":{}}"#;
    let sign = key.sign(body);
    let at = |now| verifier.verify(None, Some(sign.as_bytes()), body, now);
    assert!(at(1_700_000_000_000 + 300_000).is_ok());
    assert!(at(1_700_000_000_000 - 300_000).is_ok());
    let stale = at(1_700_000_000_000 + 300_001).unwrap_err();
    assert_eq!(stale.status(), 401);
    assert_eq!(
        stale.to_string(),
        "CallbackTs is 300001 ms behind this server's clock (window 300000 ms)"
    );
    assert!(at(1_700_000_000_000 - 300_001).is_err());
    // A narrower window, and the group 7 spelling of the field.
    let narrow = Verifier::new().app(APP, [key.clone()]).max_age_ms(1000);
    let ingest = br#"{"EventGroupId":7,"EventType":701,"CallbackMsTs":"5000","EventInfo":{}}"#;
    let sign = key.sign(ingest);
    assert!(
        narrow
            .verify(None, Some(sign.as_bytes()), ingest, 6000)
            .is_ok()
    );
    assert!(
        narrow
            .verify(None, Some(sign.as_bytes()), ingest, 6001)
            .is_err()
    );
    // An array is not an object with a send time, whatever it holds.
    let array = b"[1700000000000]";
    let sign = key.sign(array);
    assert_eq!(
        verifier
            .verify(None, Some(sign.as_bytes()), array, 1_700_000_000_000)
            .unwrap_err(),
        VerifyError::NoCallbackTime
    );
    // No send time at all: refused while the window is on.
    let timeless = br#"{"EventGroupId":1,"EventType":101,"EventInfo":{}}"#;
    let sign = key.sign(timeless);
    assert_eq!(
        verifier
            .verify(None, Some(sign.as_bytes()), timeless, 0)
            .unwrap_err(),
        VerifyError::NoCallbackTime
    );
}

fn decode(body: &[u8]) -> Callback {
    let key = Key::new("k").unwrap();
    Verifier::new()
        .app(APP, [key.clone()])
        .without_replay_window()
        .verify(None, Some(key.sign(body).as_bytes()), body, 0)
        .unwrap()
        .decode()
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(body)))
}

fn sample(name: &str) -> Callback {
    decode(body_file(&format!("{name}.json")))
}

/// Which typed variant each documented body decodes to.
fn variant(event: &Event) -> &'static str {
    match event {
        Event::Room(_) => "room",
        Event::Media(_) => "media",
        Event::Recording(_) => "recording",
        Event::Relay(_) => "relay",
        Event::StreamIngest(_) => "ingest",
        Event::WebRecording(_) => "web-recording",
        Event::Ai(_) => "ai",
        Event::Unknown(_) => "unknown",
        _ => "new variant",
    }
}

#[test]
fn every_documented_body_decodes_to_its_typed_event() {
    assert_eq!(samples::TRTC.len(), 43);
    for (name, body) in samples::TRTC {
        let callback = decode(body);
        let group: i64 = name.split('-').next().unwrap().parse().unwrap();
        let event_type: i64 = name.split('-').nth(1).unwrap().parse().unwrap();
        assert_eq!(
            (callback.group(), callback.event_type()),
            (group, event_type),
            "{name}"
        );
        let Payload::Event(event) = callback.payload() else {
            panic!("{name}: {:?}", callback.payload());
        };
        let expected = match group {
            1 => "room",
            2 => "media",
            3 => "recording",
            4 => "relay",
            7 => "ingest",
            8 => "web-recording",
            9 => "ai",
            _ => "unknown",
        };
        assert_eq!(variant(event), expected, "{name}");
        assert_eq!(
            (event.group(), event.event_type()),
            (group, event_type),
            "{name}"
        );
        assert!(callback.callback_ms().is_some(), "{name}");
        // Serialized, the event reads back to the same event.
        let text = serde_json::to_vec(event).unwrap();
        assert_eq!(decode(&text).event(), Some(event), "{name}");
    }
}

#[test]
fn room_and_media_fields_and_codes() {
    let enter = sample("1-103");
    let Some(Event::Room(room)) = enter.event() else {
        panic!()
    };
    assert_eq!(room.kind, RoomEventKind::Entered);
    assert_eq!(room.info.room_id, Some(RoomId::Number(12345)));
    assert_eq!(room.info.user_id.as_deref(), Some("test"));
    assert_eq!(room.info.role, Some(Role::Audience));
    assert_eq!(room.info.terminal_type, Some(TerminalType::Android));
    assert_eq!(room.info.user_type, Some(UserType::NativeSdk));
    assert_eq!(room.enter_reason(), Some(EnterReason::Normal));
    assert_eq!(room.exit_reason(), None);
    assert_eq!(enter.event().unwrap().event_ms(), Some(1_687_770_731_831));

    let exit = sample("1-104");
    let Some(Event::Room(room)) = exit.event() else {
        panic!()
    };
    assert_eq!(room.kind, RoomEventKind::Exited);
    assert!(room.exit_reason().is_some());

    // A string room id stays a string: a different room from the number.
    let dismissed = sample("1-102");
    assert_eq!(
        dismissed.event().unwrap().room_id(),
        Some(&RoomId::Text("12345".into()))
    );

    let audio = sample("2-204");
    let Some(Event::Media(media)) = audio.event() else {
        panic!()
    };
    assert_eq!(media.kind, MediaEventKind::AudioStopped);
    assert_eq!(media.info.reason, Some(0));

    // Unknown codes are kept.
    let odd = decode(br#"{"EventGroupId":1,"EventType":103,"EventInfo":{"RoomId":"r","Role":22,"TerminalType":7,"UserType":9,"Reason":6}}"#);
    let Some(Event::Room(room)) = odd.event() else {
        panic!()
    };
    assert_eq!(room.info.role, Some(Role::Other(22)));
    assert_eq!(room.info.terminal_type, Some(TerminalType::Other(7)));
    assert_eq!(room.info.user_type, Some(UserType::Other(9)));
    assert_eq!(room.enter_reason(), Some(EnterReason::Other(6)));
    assert_eq!(ExitReason::from(5), ExitReason::ProcessKilled);
}

#[test]
fn recording_relay_and_task_events() {
    // EventTs as a string of digits.
    let started = sample("3-301");
    let Some(Event::Recording(recording)) = started.event() else {
        panic!()
    };
    assert_eq!(recording.kind, RecordingEventKind::RecorderStarted);
    assert_eq!(recording.info.event_ts, Some(1_622_186_275));
    assert_eq!(recording.info.payload.as_ref().unwrap().status, Some(0));

    let stopped = sample("3-302");
    let Some(Event::Recording(recording)) = stopped.event() else {
        panic!()
    };
    assert!(matches!(
        recording.info.payload.as_ref().unwrap().leave_code,
        Some(RecorderLeaveCode::StoppedByApi | RecorderLeaveCode::Other(_))
    ));

    let file_info = sample("3-304");
    let Some(Event::Recording(recording)) = file_info.event() else {
        panic!()
    };
    assert!(matches!(
        recording.info.payload.as_ref().unwrap().file_list,
        Some(FileList::One(_))
    ));

    let mp4 = sample("3-310");
    let Some(Event::Recording(recording)) = mp4.event() else {
        panic!()
    };
    let payload = recording.info.payload.as_ref().unwrap();
    assert_eq!(
        payload.file_list,
        Some(FileList::Many(vec!["xxxx1.mp4".into(), "xxxx2.mp4".into()]))
    );
    assert_eq!(payload.file_message.as_ref().unwrap().len(), 2);

    let vod = sample("3-311");
    let Some(Event::Recording(recording)) = vod.event() else {
        panic!()
    };
    let file = recording
        .info
        .payload
        .as_ref()
        .unwrap()
        .tencent_vod
        .as_ref()
        .unwrap();
    assert_eq!(file.start_time_stamp, Some(1_622_186_279_153));

    // The example's `EventTsMs` spelling.
    let relay = sample("4-401");
    let Some(Event::Relay(relay)) = relay.event() else {
        panic!()
    };
    assert_eq!(relay.info.event_ms_ts, Some(1_622_186_275_913));
    assert_eq!(
        relay.info.payload.as_ref().unwrap().status,
        Some(RelayStatus::Running)
    );

    let ingest = sample("7-701");
    assert_eq!(ingest.callback_ms(), Some(1_701_937_900_012));
    assert_eq!(ingest.event().unwrap().event_ms(), Some(1_701_937_900_013));

    let ready = sample("9-909");
    let Some(Event::Ai(ai)) = ready.event() else {
        panic!()
    };
    assert_eq!(
        ai.info.payload.as_ref().unwrap().get(),
        "{\n\t\t\t\"Status\":\t\"session_ready\"\n\t\t}"
    );
}

#[test]
fn unknown_groups_and_types_are_kept_raw() {
    for body in [
        &br#"{"EventGroupId":14,"EventType":1401,"EventInfo":{"x":1}}"#[..],
        br#"{"EventGroupId":1,"EventType":199,"EventInfo":{"x":1}}"#,
        br#"{"EventGroupId":"5","EventType":"501","Extra":[1,2]}"#,
    ] {
        let callback = decode(body);
        let Some(Event::Unknown(unknown)) = callback.event() else {
            panic!("{:?}", callback.event())
        };
        assert_eq!(unknown.body().get().as_bytes(), body);
        assert_eq!(serde_json::to_vec(callback.event().unwrap()).unwrap(), body);
    }
}

#[test]
fn a_misfit_body_is_delivered_with_its_path() {
    let body = br#"{"EventGroupId":1,"EventType":103,"CallbackTs":1,"EventInfo":{"RoomId":"r","Role":"anchor"}}"#;
    let callback = decode(body);
    let Payload::Misfit(misfit) = callback.payload() else {
        panic!("{:?}", callback.payload())
    };
    assert_eq!(misfit.error().path(), "EventInfo.Role");
    assert_eq!(misfit.body().get().as_bytes(), body);
    assert_eq!(callback.callback_ms(), Some(1));
    // Without EventInfo at all: the path says so.
    let bare = decode(br#"{"EventGroupId":2,"EventType":201}"#);
    let Payload::Misfit(misfit) = bare.payload() else {
        panic!()
    };
    assert_eq!(misfit.error().path(), ".");
}

#[test]
fn bodies_that_cannot_be_callbacks_are_errors() {
    let key = Key::new("k").unwrap();
    let verifier = Verifier::new()
        .app(APP, [key.clone()])
        .without_replay_window();
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
    let cases: [(&[u8], DecodeError); 6] = [
        (b"not json", DecodeError::NotJson { line: 1, column: 2 }),
        (b"[1]", DecodeError::NotAnObject),
        (br#"{"EventType":101}"#, DecodeError::InvalidHead),
        (
            br#"{"EventGroupId":1.5,"EventType":101}"#,
            DecodeError::InvalidHead,
        ),
        (
            br#"{"EventGroupId":1,"EventType":101,"EventInfo":{}} x"#,
            DecodeError::NotJson {
                line: 1,
                column: 51,
            },
        ),
        (deep.as_bytes(), DecodeError::TooDeep { limit: 128 }),
    ];
    for (body, expected) in cases {
        let error = verifier
            .verify(None, Some(key.sign(body).as_bytes()), body, 0)
            .unwrap()
            .decode()
            .unwrap_err();
        assert_eq!(error, expected, "{}", String::from_utf8_lossy(body));
        assert_eq!(Rejection::from(error).status(), 400);
    }
}

#[test]
fn the_event_id_ignores_the_send_time_and_the_layout() {
    let first = decode(body_file("2-204-signature-vector.json"));
    let retried = decode(
        br#"{"EventGroupId":2,"EventType":204,"CallbackTs":1664209759999,"EventInfo":{"RoomId":8489,"EventTs":1664209748,"EventMsTs":1664209748180,"UserId":"user_85034614","Reason":0}}"#,
    );
    assert_eq!(first.event_id(), retried.event_id());
    assert_eq!(first.event_id().len(), 64);
    let other_user = decode(
        br#"{"EventGroupId":2,"EventType":204,"CallbackTs":1664209748188,"EventInfo":{"RoomId":8489,"EventTs":1664209748,"EventMsTs":1664209748180,"UserId":"user_2","Reason":0}}"#,
    );
    assert_ne!(first.event_id(), other_user.event_id());
}

#[test]
fn the_receiver_limits_the_body_and_verifies_at_the_end() {
    let key = Key::new("k").unwrap();
    let receiver = Receiver::new(Verifier::new().app(APP, [key.clone()])).body_limit(64);
    let sign = key.sign(b"{}");
    assert_eq!(
        receiver
            .start(None, Some(sign.as_bytes()), Some(b"65"))
            .unwrap_err(),
        Rejection::BodyTooLarge { limit: 64 }
    );
    assert_eq!(
        receiver
            .start(None, Some(sign.as_bytes()), Some(b"x"))
            .unwrap_err(),
        Rejection::BadContentLength
    );
    let mut incoming = receiver.start(None, Some(sign.as_bytes()), None).unwrap();
    assert!(incoming.push(&[b' '; 60]).is_ok());
    assert_eq!(
        incoming.push(&[b' '; 5]).unwrap_err(),
        Rejection::BodyTooLarge { limit: 64 }
    );
    let mut forged = receiver.start(None, Some(sign.as_bytes()), None).unwrap();
    forged.push(b"{\"EventGroupId\":1}").unwrap();
    let refused = receiver.finish(forged, 0).unwrap_err();
    assert_eq!(refused, Rejection::TrtcVerify(VerifyError::SignMismatch));
    assert_eq!(refused.status(), 401);
}
