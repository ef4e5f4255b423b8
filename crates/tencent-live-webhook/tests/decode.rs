//! Bodies that do not fit: refused when they cannot be a webhook, delivered otherwise.

use tencent_live_webhook::*;

const APP: u64 = 1_400_000_000;

fn verified(command: Option<&str>) -> VerifiedQuery {
    let query = match command {
        Some(command) => format!("SdkAppid={APP}&CallbackCommand={command}"),
        None => format!("SdkAppid={APP}"),
    };
    Verifier::new()
        .insecure_app_without_token(APP)
        .verify(&query, 0)
        .unwrap()
}

fn decode(command: Option<&str>, body: &str) -> Result<Webhook, DecodeError> {
    verified(command).decode(body.as_bytes())
}

const GIFT: &str = "Live.CallbackBeforeSendGift";

#[test]
fn bodies_that_are_not_json_objects_are_refused() {
    for (body, wanted) in [
        ("", DecodeError::NotJson { line: 1, column: 0 }),
        ("not json", DecodeError::NotJson { line: 1, column: 2 }),
        ("{\"a\":", DecodeError::NotJson { line: 1, column: 5 }),
        ("{} {}", DecodeError::NotJson { line: 1, column: 4 }),
        ("[1, 2]", DecodeError::NotAnObject),
        ("\"text\"", DecodeError::NotAnObject),
        ("  42 ", DecodeError::NotAnObject),
        ("null", DecodeError::NotAnObject),
    ] {
        let error = decode(Some(GIFT), body).unwrap_err();
        assert_eq!(error, wanted, "{body:?}");
        assert_eq!(error.status(), 400);
    }
}

#[test]
fn command_must_be_somewhere_and_agree() {
    assert_eq!(decode(None, "{}").unwrap_err(), DecodeError::NoCommand);
    let mismatch = decode(
        Some(GIFT),
        r#"{"CallbackCommand":"Live.CallbackAfterCreateRoom"}"#,
    )
    .unwrap_err();
    assert_eq!(
        mismatch,
        DecodeError::CommandMismatch {
            query: Command::BeforeSendGift,
            body: Command::AfterCreateRoom
        }
    );
    assert_eq!(
        mismatch.to_string(),
        "command mismatch: URL says Live.CallbackBeforeSendGift, body says Live.CallbackAfterCreateRoom"
    );
    for bad in [r#"{"CallbackCommand":7}"#, r#"{"CallbackCommand":""}"#] {
        assert_eq!(
            decode(Some(GIFT), bad).unwrap_err(),
            DecodeError::InvalidBodyCommand,
            "{bad}"
        );
    }
}

#[test]
fn command_from_the_body_alone_is_enough() {
    let body = r#"{"CallbackCommand":"Live.CallbackAfterChangeOwner","RoomId":"r"}"#;
    let webhook = decode(None, body).unwrap();
    assert_eq!(webhook.command(), Command::AfterChangeOwner);
    assert_eq!(webhook.meta().command_word, "Live.CallbackAfterChangeOwner");
}

#[test]
fn an_alias_in_the_url_matches_the_canonical_word_in_the_body() {
    let body = r#"{"CallbackCommand":"Live.CallbackAfterMemberStateChanged","RoomId":"r"}"#;
    let webhook = decode(Some("Live.CallbackMemberStateChanged"), body).unwrap();
    assert!(matches!(
        webhook.event(),
        Some(Event::AfterMemberStateChanged(_))
    ));
    assert_eq!(
        webhook.meta().command_word,
        "Live.CallbackMemberStateChanged"
    );
    let recording = r#"{"EventType":305}"#;
    let webhook = decode(Some("Follow.CallbackAfterCloudRecordingChanged"), recording).unwrap();
    assert!(matches!(
        webhook.event(),
        Some(Event::AfterCloudRecordingChanged(_))
    ));
}

#[test]
fn a_misfit_body_is_delivered_with_its_field_path_and_raw_body() {
    let body = r#"{"RoomId":"r","GiftWater":{"GiftId":"g","Count":"many"}}"#;
    let webhook = decode(Some(GIFT), body).unwrap();
    let Payload::Misfit(misfit) = webhook.payload() else {
        panic!("{webhook:?}")
    };
    assert_eq!(misfit.command(), Command::BeforeSendGift);
    assert_eq!(misfit.error().path(), "GiftWater.Count");
    assert!(
        misfit
            .error()
            .to_string()
            .starts_with("field GiftWater.Count: invalid type: string")
    );
    assert_eq!(misfit.body().get(), body);

    let seats = r#"{"RoomId":"r","SeatList":[{"Index":1},{"Index":-1}]}"#;
    let webhook = decode(Some("Mic.CallbackAfterSeatInfoChanged"), seats).unwrap();
    let Payload::Misfit(misfit) = webhook.payload() else {
        panic!()
    };
    assert_eq!(misfit.error().path(), "SeatList[1].Index");

    let missing = decode(Some(GIFT), r#"{"GiftWater":{"GiftId":"g"}}"#).unwrap();
    let Payload::Misfit(misfit) = missing.payload() else {
        panic!()
    };
    assert!(
        misfit.error().message().contains("RoomId"),
        "{}",
        misfit.error()
    );
}

#[test]
fn unknown_commands_keep_their_raw_body() {
    let body = r#"{"CallbackCommand":"Live.CallbackAfterSomethingNew","Big":123456789012345678901234567890}"#;
    let webhook = decode(Some("Live.CallbackAfterSomethingNew"), body).unwrap();
    let Some(Event::Unknown(unknown)) = webhook.event() else {
        panic!()
    };
    assert_eq!(unknown.command().as_str(), "Live.CallbackAfterSomethingNew");
    assert_eq!(unknown.body().get(), body);
    assert_eq!(
        serde_json::to_string(webhook.event().unwrap()).unwrap(),
        body
    );
}

#[test]
fn the_switch_word_has_no_typed_body_and_arrives_raw() {
    let webhook = decode(Some("Live.CallbackBeforeCallBackNotBlock"), "{}").unwrap();
    assert!(
        matches!(webhook.event(), Some(Event::Unknown(u)) if u.command() == Command::BeforeCallBackNotBlock)
    );
}

#[test]
fn event_time_is_found_as_number_string_or_inside_room_info() {
    let cases = [
        (
            r#"{"RoomInfo":{},"EventTime":1703589922780}"#,
            Some(1_703_589_922_780),
        ),
        (
            r#"{"RoomInfo":{},"EventTime":"1703589922780"}"#,
            Some(1_703_589_922_780),
        ),
        (
            r#"{"RoomInfo":{"EventTime":1703589922780}}"#,
            Some(1_703_589_922_780),
        ),
        (r#"{"RoomInfo":{}}"#, None),
    ];
    for (body, wanted) in cases {
        let webhook = decode(Some("Live.CallbackAfterCreateRoom"), body).unwrap();
        assert_eq!(webhook.event().unwrap().event_time(), wanted, "{body}");
    }
    for bad in [r#""17x""#, "-1", "1.5", r#""99999999999999999999999""#] {
        let body = format!(r#"{{"RoomInfo":{{}},"EventTime":{bad}}}"#);
        let webhook = decode(Some("Live.CallbackAfterCreateRoom"), &body).unwrap();
        let Payload::Misfit(misfit) = webhook.payload() else {
            panic!("{bad} accepted")
        };
        assert_eq!(misfit.error().path(), "EventTime", "{bad}");
    }
}

#[test]
fn unknown_fields_and_enum_values_are_tolerated() {
    let body = r#"{"RoomId":"r","EventType":"Suspended","EventCause":"Banned","NewField":{"x":1},"MemberList":[{"Member_Account":7,"Extra":true}]}"#;
    let webhook = decode(Some("Live.CallbackAfterMemberStateChanged"), body).unwrap();
    let Some(Event::AfterMemberStateChanged(event)) = webhook.event() else {
        panic!()
    };
    assert_eq!(
        event.event_type,
        Some(MemberEventType::Other("Suspended".into()))
    );
    assert_eq!(
        event.event_cause,
        Some(MemberEventCause::Other("Banned".into()))
    );
    assert_eq!(event.member_list[0].member_account, "7");
}

#[test]
fn account_ids_above_u64_are_a_misfit_not_a_rounded_number() {
    let body = r#"{"RoomId":"r","CurrentOwner_Account":184467440737095516160}"#;
    let webhook = decode(Some("Live.CallbackAfterChangeOwner"), body).unwrap();
    let Payload::Misfit(misfit) = webhook.payload() else {
        panic!()
    };
    assert_eq!(misfit.error().path(), "CurrentOwner_Account");
    assert_eq!(misfit.body().get(), body);
}

#[test]
fn rejections_map_every_stage_to_one_status() {
    let cases: [(Rejection, u16); 5] = [
        (DecodeError::NotAnObject.into(), 400),
        (VerifyError::SignMismatch.into(), 401),
        (VerifyError::UnknownApp { sdk_app_id: 1 }.into(), 403),
        (Rejection::BodyTooLarge { limit: 10 }, 413),
        (Rejection::BodyUnreadable, 400),
    ];
    for (rejection, status) in cases {
        assert_eq!(rejection.status(), status, "{rejection}");
        let reply = rejection.reply();
        assert_eq!(reply.action_status(), ActionStatus::Fail);
        assert_eq!(reply.error_code(), u32::from(status));
        assert_eq!(reply.error_info(), rejection.to_string());
    }
}

#[test]
fn trailing_text_after_a_complete_event_is_not_json() {
    let owner = "Live.CallbackAfterChangeOwner";
    for body in [r#"{"RoomId":"r"} x"#, r#"{"RoomId":"r"}{}"#] {
        let error = decode(Some(owner), body).unwrap_err();
        assert!(
            matches!(error, DecodeError::NotJson { .. }),
            "{body}: {error:?}"
        );
    }
    assert!(decode(Some(owner), "{\"RoomId\":\"r\"}\n  ").is_ok());
}

#[test]
fn stating_the_command_in_the_body_does_not_change_the_event() {
    let owner = "Live.CallbackAfterChangeOwner";
    let with = decode(
        Some(owner),
        r#"{"CallbackCommand":"Live.CallbackAfterChangeOwner","RoomId":"r"}"#,
    )
    .unwrap();
    let without = decode(Some(owner), r#"{"RoomId":"r"}"#).unwrap();
    assert_eq!(with.event(), without.event());
    let written = serde_json::to_string(with.event().unwrap()).unwrap();
    assert_eq!(written.matches("CallbackCommand").count(), 1, "{written}");
}

fn nested(depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn nesting_deeper_than_the_limit_is_refused_for_every_kind_of_command() {
    let unknown = "Live.CallbackSomethingNew";
    for command in [Some(GIFT), Some(unknown), None] {
        let stated = command.unwrap_or(unknown);
        // The object itself is one level: `MAX_BODY_DEPTH - 1` more fit, one more does not.
        let fits = format!(
            r#"{{"CallbackCommand":"{stated}","Extra":{}}}"#,
            nested(MAX_BODY_DEPTH - 1, "1")
        );
        let deep = format!(
            r#"{{"CallbackCommand":"{stated}","Extra":{}}}"#,
            nested(MAX_BODY_DEPTH, "1")
        );
        assert!(decode(command, &fits).is_ok(), "{command:?}");
        let error = decode(command, &deep).unwrap_err();
        assert_eq!(error, DecodeError::TooDeep { limit: 128 }, "{command:?}");
        assert_eq!(error.status(), 400);
        assert_eq!(error.to_string(), "body is nested deeper than 128 levels");
        let hostile = format!(
            r#"{{"CallbackCommand":"{stated}","X":{}}}"#,
            nested(100_000, "")
        );
        assert_eq!(
            decode(command, &hostile).unwrap_err(),
            DecodeError::TooDeep { limit: 128 }
        );
    }
}

#[test]
fn brackets_inside_strings_are_not_nesting() {
    let text = format!("{}\\\"{}", "[{".repeat(300), "]}".repeat(10));
    let body = format!(r#"{{"CallbackCommand":"Live.CallbackSomethingNew","Text":"{text}"}}"#);
    let webhook = decode(None, &body).unwrap();
    let Some(Event::Unknown(unknown)) = webhook.event() else {
        panic!("not unknown: {webhook:?}");
    };
    assert_eq!(unknown.body().get(), body);
}

#[test]
fn message_content_is_kept_exactly_as_the_sender_wrote_it() {
    let content =
        r#"{"Data":123456789012345678901234567890,"Desc":1.50,"Ext":1e3,"Sound":-0,"Z":1,"A":2}"#;
    let payload = r#"{"Big":-98765432109876543210987654321,"F":0.1000}"#;
    let msg = format!(
        r#"{{"GroupId":"g1","MsgBody":[{{"MsgType":"TIMCustomElem","MsgContent":{content}}}]}}"#
    );
    let webhook = decode(Some("Group.CallbackBeforeSendMsg"), &msg).unwrap();
    let Some(Event::BeforeSendMsg(event)) = webhook.event() else {
        panic!("not a message: {webhook:?}");
    };
    assert_eq!(event.msg_body[0].msg_content.get(), content);
    let written = serde_json::to_string(&event.msg_body[0]).unwrap();
    assert!(written.contains(content), "{written}");
    assert_eq!(event.msg_body[0].as_text(), None);

    let recording =
        format!(r#"{{"EventGroupId":3,"EventType":305,"EventInfo":{{"Payload":{payload}}}}}"#);
    let webhook = decode(Some("Live.CallbackAfterCloudRecordingChanged"), &recording).unwrap();
    let Some(Event::AfterCloudRecordingChanged(event)) = webhook.event() else {
        panic!("not a recording event: {webhook:?}");
    };
    assert_eq!(
        event
            .event_info
            .as_ref()
            .and_then(|info| info.payload.as_ref())
            .map(RawJson::get),
        Some(payload),
        "{event:?}"
    );
}

#[test]
fn text_of_a_text_element_is_read_from_its_raw_content() {
    let element: MsgElement =
        serde_json::from_str(r#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"a\"b\u00e9"}}"#)
            .unwrap();
    assert_eq!(element.as_text().as_deref(), Some("a\"bé"));
    let built = MsgElement::text("a\"b\n");
    assert_eq!(built.msg_content.get(), r#"{"Text":"a\"b\n"}"#);
    assert_eq!(built.as_text().as_deref(), Some("a\"b\n"));
}

#[test]
fn numbers_and_booleans_written_as_strings_decode_into_their_fields() {
    let body = r#"{"RoomInfo":{"RoomId":"r","MaxMemberCount":"300","IsMessageDisabled":"false",
        "IsSeatEnabled":"true","MaxSeatCount":16,"CreateTime":"1703589922"}}"#;
    let webhook = decode(Some("Live.CallbackAfterCreateRoom"), body).unwrap();
    let Some(Event::AfterCreateRoom(room)) = webhook.event() else {
        panic!("{webhook:?}")
    };
    let info = &room.room_info;
    assert_eq!(info.max_member_count, Some(300));
    assert_eq!(info.is_message_disabled, Some(false));
    assert_eq!(info.is_seat_enabled, Some(true));
    assert_eq!(info.max_seat_count, Some(16));
    // Written back as the protocol's own types.
    let written = serde_json::to_string(room).unwrap();
    assert!(written.contains(r#""MaxMemberCount":300"#), "{written}");
    assert!(
        written.contains(r#""IsMessageDisabled":false"#),
        "{written}"
    );

    let gift = r#"{"RoomId":"r","GiftWater":{"GiftId":"g","Count":"2","Coins":"1000"}}"#;
    let webhook = decode(Some(GIFT), gift).unwrap();
    let Some(Event::BeforeSendGift(gift)) = webhook.event() else {
        panic!("{webhook:?}")
    };
    assert_eq!(
        (gift.gift_water.count, gift.gift_water.coins),
        (Some(2), Some(1000))
    );
}

#[test]
fn strings_that_are_not_numbers_or_booleans_still_do_not_fit() {
    for (field, value) in [
        ("MaxMemberCount", r#""three hundred""#),
        ("MaxMemberCount", r#""-1""#),
        ("MaxMemberCount", r#""99999999999999999999""#),
        ("MaxMemberCount", r#""""#),
        ("IsMessageDisabled", r#""yes""#),
        ("IsMessageDisabled", r#""False""#),
        ("IsMessageDisabled", "1"),
    ] {
        let body = format!(r#"{{"RoomInfo":{{"RoomId":"r","{field}":{value}}}}}"#);
        let webhook = decode(Some("Live.CallbackAfterCreateRoom"), &body).unwrap();
        let Payload::Misfit(misfit) = webhook.payload() else {
            panic!("{body}: {webhook:?}")
        };
        assert_eq!(misfit.error().path(), format!("RoomInfo.{field}"), "{body}");
    }
}
