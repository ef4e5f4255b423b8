//! Every documented sample body decodes to its exact event, and serializes back.

use serde_json::Value;
use tencent_live_webhook::*;

use tencent_live_webhook::samples::ALL as SAMPLES;

const APP: u64 = 1_400_000_000;
const NOW: u64 = 1_700_000_000;

fn decode(command: &str, body: &[u8]) -> Webhook {
    let token = Token::new("sample-token").unwrap();
    let command: Command = command.parse().unwrap();
    let query = QueryBuilder::new(APP, command)
        .client_ip("127.0.0.1")
        .platform(Platform::RestApi)
        .signed(&token, NOW);
    let verifier = Verifier::new().app(APP, [token]);
    verifier
        .verify(&query, NOW)
        .unwrap_or_else(|e| panic!("{command}: {e}"))
        .decode(body)
        .unwrap_or_else(|e| panic!("{command}: {e}"))
}

fn event(command: &str, body: &[u8]) -> Event {
    match decode(command, body).into_parts().1 {
        Payload::Event(event) => event,
        Payload::Misfit(misfit) => panic!("{command}: did not fit: {}", misfit.error()),
    }
}

#[test]
fn every_documented_command_has_a_sample() {
    // The five Chat words without a documented example are built in `tests/chat.rs`.
    let built = [
        Command::StateChange,
        Command::SnsPrevFriendResponse,
        Command::C2cAfterSendMsg,
        Command::GroupBeforeInviteJoinGroup,
        Command::GroupAfterMemberExit,
    ];
    for command in Command::KNOWN.iter().filter(|c| !c.is_switch()) {
        if built.contains(command) {
            assert!(samples::body_for(*command).is_none(), "{command}");
            continue;
        }
        let body = samples::body_for(*command).unwrap_or_else(|| panic!("no sample for {command}"));
        assert!(body.trim_ascii_start().starts_with(b"{"), "{command}");
    }
}

#[test]
fn every_sample_decodes_to_its_own_typed_variant() {
    for (name, body) in SAMPLES {
        let webhook = decode(name, body);
        let event = webhook
            .event()
            .unwrap_or_else(|| panic!("{name}: misfit {:?}", webhook.payload()));
        assert!(
            !matches!(event, Event::Unknown(_)),
            "{name}: decoded as unknown"
        );
        assert_eq!(event.command().as_str(), *name, "{name}");
        assert_eq!(webhook.meta().sdk_app_id, APP);
        assert_eq!(webhook.meta().client_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(webhook.meta().platform, Some(Platform::RestApi));
        assert_eq!(webhook.meta().matched_token, Some(0));
    }
}

/// Keys of `original`, recursively, must all appear in `written` at the same place.
fn assert_keys_kept(original: &Value, written: &Value, path: &str, file: &str) {
    match (original, written) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let inner = b
                    .get(key)
                    .unwrap_or_else(|| panic!("{file}: {path}.{key} lost"));
                assert_keys_kept(value, inner, &format!("{path}.{key}"), file);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{file}: {path} length");
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                assert_keys_kept(x, y, &format!("{path}[{index}]"), file);
            }
        }
        _ => {}
    }
}

#[test]
fn every_sample_serializes_back_with_the_protocol_names() {
    for (name, body) in SAMPLES {
        let first = event(name, body);
        let written = serde_json::to_vec(&first).unwrap();
        let original: Value = serde_json::from_slice(body).unwrap();
        assert_keys_kept(
            &original,
            &serde_json::from_slice(&written).unwrap(),
            "",
            name,
        );
        assert_eq!(
            event(name, &written),
            first,
            "{name}: changed in a round trip"
        );
    }
}

#[test]
fn chosen_fields_hold_the_sample_values() {
    let by_name = |wanted: &str| {
        let (name, body) = SAMPLES.iter().find(|(name, _)| *name == wanted).unwrap();
        event(name, body)
    };
    let Event::AfterCreateRoom(room) = by_name("Live.CallbackAfterCreateRoom") else {
        panic!()
    };
    assert_eq!(
        room.room_info.take_seat_mode,
        Some(TakeSeatMode::ApplyToTake)
    );
    assert_eq!(room.room_info.category.as_deref(), Some(&[1, 2][..]));
    assert_eq!(room.event_time, None);

    let Event::AfterDestroyRoom(destroy) = by_name("Live.CallbackAfterDestroyRoom") else {
        panic!()
    };
    let owner = destroy
        .room_info
        .as_ref()
        .unwrap()
        .owner_account
        .as_ref()
        .unwrap();
    assert_eq!(owner, "144115216631667826");
    assert_eq!(destroy.event_type, Some(DestroyType::DestroyByUser));
    assert_eq!(destroy.statistic.unwrap().total_likes_received, Some(0));

    let Event::AfterSeatInfoChanged(seats) = by_name("Mic.CallbackAfterSeatInfoChanged") else {
        panic!()
    };
    assert_eq!(
        seats.seat_list[0].member_account.as_ref().unwrap(),
        "144115233775727695"
    );

    let Event::AfterEndBattle(end) = by_name("Live.CallbackAfterEndBattle") else {
        panic!()
    };
    assert_eq!(end.op_type, Some(BattleEndReason::TimeUp));
    assert_eq!(
        end.to_room_list[0].owner_account.as_ref().unwrap(),
        "144115245442327522"
    );

    let Event::BeforeSendMsg(message) = by_name("Group.CallbackBeforeSendMsg") else {
        panic!()
    };
    assert_eq!(message.event_time, Some(1_670_574_414_123));
    assert_eq!(message.msg_body[0].as_text().as_deref(), Some("red packet"));

    let Event::BeforeSendGift(gift) = by_name("Live.CallbackBeforeSendGift") else {
        panic!()
    };
    assert_eq!(
        (gift.gift_water.gift_id.as_str(), gift.gift_water.coins),
        ("gift1", Some(1000))
    );

    let Event::AfterModifyAdmin(admin) = by_name("Live.CallbackAfterModifyAdmin") else {
        panic!()
    };
    assert_eq!(admin.op_type, Some(AdminOperation::Add));

    let Event::AfterMemberStateChanged(members) = by_name("Live.CallbackAfterMemberStateChanged")
    else {
        panic!()
    };
    assert_eq!(members.event_cause, Some(MemberEventCause::Enter));
    assert_eq!(members.member_list.len(), 2);

    let Event::AfterCloudRecordingChanged(rec) = by_name("Live.CallbackAfterCloudRecordingChanged")
    else {
        panic!()
    };
    assert_eq!(rec.event_type, RecordingEventType::UploadFinished);
    assert_eq!(
        rec.event_group_id,
        Some(RecordingEventGroup::CloudRecording)
    );

    let Event::AfterFollowDelete(unfollow) = by_name("Follow.CallbackAfterFollowDelete") else {
        panic!()
    };
    assert_eq!(unfollow.to_account, ["UserID_002", "UserID_003"]);
}
