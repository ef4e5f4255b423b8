//! Chat (IM) callbacks: every documented example decodes into its typed event without a
//! misfit and serializes back with the keys it came with; the gotchas of the Chat pages
//! (numbers as strings, names that differ between pages, batched and command-less bodies,
//! unknown words) each hold.

use serde_json::Value;
use tencent_live_webhook::samples::{CHAT, chat_word};
use tencent_live_webhook::*;

const APP: u64 = 1_400_000_000;
const NOW: u64 = 1_700_000_000;

fn decode(word: &str, body: &[u8]) -> Webhook {
    let token = Token::new("chat-token").unwrap();
    let command: Command = word.parse().unwrap();
    let query = QueryBuilder::new(APP, command)
        .client_ip("10.0.0.1")
        .platform(Platform::Ios)
        .signed(&token, NOW);
    Verifier::new()
        .app(APP, [token])
        .verify(&query, NOW)
        .unwrap_or_else(|error| panic!("{word}: {error}"))
        .decode(body)
        .unwrap_or_else(|error| panic!("{word}: {error}"))
}

fn event(word: &str, body: &[u8]) -> Event {
    match decode(word, body).into_parts().1 {
        Payload::Event(event) => event,
        Payload::Misfit(misfit) => panic!("{word}: did not fit: {}", misfit.error()),
    }
}

/// Every key of `original` is in `written` at the same place (recursively).
fn assert_keys_kept(original: &Value, written: &Value, path: &str, name: &str) {
    match (original, written) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let inner = b
                    .get(key)
                    .unwrap_or_else(|| panic!("{name}: {path}.{key} lost"));
                assert_keys_kept(value, inner, &format!("{path}.{key}"), name);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{name}: {path} length");
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                assert_keys_kept(x, y, &format!("{path}[{index}]"), name);
            }
        }
        (Value::String(a), Value::Number(b)) => {
            // A number written as a string comes back as the number.
            assert_eq!(a, &b.to_string(), "{name}: {path}");
        }
        (a, b) => assert_eq!(a, b, "{name}: {path}"),
    }
}

/// The bodies of the five words without a documented example, built from their pages'
/// field tables.
const BUILT: &[(&str, &str)] = &[
    (
        "State.StateChange",
        r#"{"CallbackCommand":"State.StateChange","EventTime":1670574414123,"Info":{"Action":"Login","To_Account":"marketing","Reason":"Register"},"KickedDevice":[{"Platform":"Windows"},{"Platform":"macOS"}]}"#,
    ),
    (
        "Sns.CallbackPrevFriendResponse",
        r#"{"CallbackCommand":"Sns.CallbackPrevFriendResponse","Requester_Account":"id","From_Account":"id","ResponseFriendItem":[{"To_Account":"id1","Remark":"r","TagName":"group1","ResponseAction":"Response_Action_AgreeAndAdd"}],"EventTime":1631777344870}"#,
    ),
    (
        "C2C.CallbackAfterSendMsg",
        r#"{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"jared","To_Account":"Jonh","MsgSeq":48374,"MsgRandom":2837546,"MsgTime":1557481126,"MsgKey":"48374_2837546_1557481126","OnlineOnlyFlag":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red packet"}}],"CloudCustomData":"d","SendMsgResult":20001,"ErrorInfo":"dirty word","UnreadMsgNum":-1}"#,
    ),
    (
        "Group.CallbackBeforeInviteJoinGroup",
        r#"{"CallbackCommand":"Group.CallbackBeforeInviteJoinGroup","GroupId":"@TGS#2J4SZEAEL","Type":"Public","Operator_Account":"leckie","DestinationMembers":[{"Member_Account":"jared"},{"Member_Account":"tommy"}],"EventTime":"1670574414123"}"#,
    ),
    (
        "Group.CallbackAfterMemberExit",
        r#"{"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"@TGS#2J4SZEAEL","Type":"Public","ExitType":"Kicked","Operator_Account":"leckie","ExitMemberList":[{"Member_Account":"jared"}],"EventTime":"1670574414123"}"#,
    ),
];

fn every_body() -> impl Iterator<Item = (&'static str, &'static str, &'static [u8])> {
    CHAT.iter()
        .map(|(name, body)| (*name, chat_word(name), *body))
        .chain(
            BUILT
                .iter()
                .map(|(word, body)| (*word, *word, body.as_bytes())),
        )
}

#[test]
fn every_chat_word_has_a_typed_event_and_a_body_here() {
    let words: Vec<&str> = every_body().map(|(_, word, _)| word).collect();
    let chat_words: Vec<Command> = Command::KNOWN
        .into_iter()
        .filter(|command| {
            !command.as_str().starts_with("Live.") && !command.as_str().starts_with("Mic.")
        })
        .collect();
    // The 61 words of Chat's pages with the Call and Desk words, four of which Live rooms
    // send too (the group message and follow words).
    assert_eq!(chat_words.len(), 61, "{chat_words:?}");
    for command in chat_words {
        assert!(words.contains(&command.as_str()), "no body for {command}");
    }
}

#[test]
fn every_example_decodes_into_its_typed_event_and_writes_back_what_it_read() {
    for (name, word, body) in every_body() {
        let webhook = decode(word, body);
        let first = event(word, body);
        assert!(!matches!(first, Event::Unknown(_)), "{name}: unknown");
        assert_eq!(first.command().as_str(), word, "{name}");
        assert_eq!(webhook.meta().platform, Some(Platform::Ios));
        let written = serde_json::to_vec(&first).unwrap();
        let original: Value = serde_json::from_slice(body).unwrap();
        let rewritten: Value = serde_json::from_slice(&written).unwrap();
        assert_keys_kept(&original, &rewritten, "", name);
        assert_eq!(
            event(word, &written),
            first,
            "{name}: changed in a round trip"
        );
    }
}

#[test]
fn event_times_are_read_from_numbers_and_strings_and_groups_order_deliveries() {
    for (name, word, body) in every_body() {
        let event = event(word, body);
        let original: Value = serde_json::from_slice(body).unwrap();
        let stated = original.get("EventTime").map(|time| match time {
            Value::String(text) => text.parse::<u64>().unwrap(),
            other => other.as_u64().unwrap(),
        });
        assert_eq!(event.event_time(), stated, "{name}");
        let group = original
            .get("GroupId")
            .or_else(|| original.get("Official_Account"))
            .and_then(Value::as_str);
        if word.starts_with("Group.")
            || word.starts_with("OfficialAccount.")
            || word == "Bot.OnGroupMessage"
        {
            assert_eq!(event.room_id(), group, "{name}");
        }
    }
}

#[test]
fn documented_names_that_differ_between_pages_are_all_read() {
    let by = |name: &str| {
        let (_, body) = CHAT.iter().find(|(n, _)| *n == name).unwrap();
        event(chat_word(name), body)
    };
    // Member_Account (international) and Modified_Account (mainland).
    for name in [
        "Group.CallbackAfterMemberFieldChanged",
        "Group.CallbackAfterMemberFieldChanged-2",
    ] {
        let Event::GroupAfterMemberFieldChanged(changed) = by(name) else {
            panic!()
        };
        assert_eq!(changed.changed_account().unwrap(), "123456", "{name}");
    }
    // GroupID in push reports; ErrCode, not ErrorCode.
    let Event::PushOfflinePush(push) = by("Push.OfflinePush") else {
        panic!()
    };
    let events = push.events.unwrap();
    assert_eq!(events[1].group_id.as_deref(), Some("@TGS#12DEVUDHQ"));
    assert_eq!(events[0].push_platform, Some(PushPlatform::Apns));
    assert_eq!(events[0].err_code, Some(0));
    // Lower-case keys of group attributes.
    let Event::GroupAfterGroupAttrChanged(attrs) = by("Group.CallbackAfterGroupAttrChanged") else {
        panic!()
    };
    assert_eq!(attrs.group_attr.unwrap()[0].key.as_deref(), Some("key1"));
    // `TopicIdList` is a list although a table says string.
    let Event::GroupAfterTopicDestroyed(topics) = by("Group.CallbackAfterTopicDestroyed") else {
        panic!()
    };
    assert_eq!(topics.topic_id_list.unwrap().len(), 2);
    // `CallResult` as text; the table's `MediaType` for the example's `CallMediaType`.
    let Event::CallAfterEndCall(call) = by("Call.CallbackAfterEndCall") else {
        panic!()
    };
    assert_eq!(
        call.call_record.unwrap().call_result,
        Some(TextOrNumber::Text("NotAnswer".into()))
    );
    let start = br#"{"CallbackCommand":"Call.CallbackAfterStartCall","CallInfo":{"CallId":"c","MediaType":"Video"}}"#;
    let Event::CallAfterStartCall(call) = event("Call.CallbackAfterStartCall", start) else {
        panic!()
    };
    assert_eq!(
        call.call_info.unwrap().call_media_type.as_deref(),
        Some("Video")
    );
    // Request fields named like the reply's are the request's.
    let Event::GroupSendMsgException(failed) = by("Group.CallbackSendMsgException") else {
        panic!()
    };
    assert_eq!(failed.error_code, Some(10023));
    // An unread count of -1 when delivery failed.
    let (_, body) = BUILT
        .iter()
        .find(|(w, _)| *w == "C2C.CallbackAfterSendMsg")
        .unwrap();
    let Event::C2cAfterSendMsg(sent) = event("C2C.CallbackAfterSendMsg", body.as_bytes()) else {
        panic!()
    };
    assert_eq!(sent.unread_msg_num, Some(-1));
    // A kicked device's platform is read like OptPlatform.
    let (_, body) = BUILT
        .iter()
        .find(|(w, _)| *w == "State.StateChange")
        .unwrap();
    let Event::StateChange(state) = event("State.StateChange", body.as_bytes()) else {
        panic!()
    };
    let devices = state.kicked_device.unwrap();
    assert_eq!(devices[1].platform(), Some(Platform::Mac));
    assert_eq!(devices[1].platform_name.as_deref(), Some("macOS"));
}

#[test]
fn bodies_without_a_command_are_named_by_the_url() {
    // The moderation result has no CallbackCommand, and its app id is a number.
    let (_, body) = CHAT
        .iter()
        .find(|(n, _)| *n == "ContentCallback.ResultNotify")
        .unwrap();
    let Event::ContentCallbackResultNotify(result) = event("ContentCallback.ResultNotify", body)
    else {
        panic!()
    };
    assert_eq!(result.sdk_app_id, Some(1_400_187_352));
    assert_eq!(result.ctxcb_result, Some(1));
    // Push reports: a batch, the command only inside each event.
    let (_, body) = CHAT
        .iter()
        .find(|(n, _)| *n == "Push.AllMemberPush")
        .unwrap();
    let Event::PushAllMemberPush(push) = event("Push.AllMemberPush", body) else {
        panic!()
    };
    let events = push.events.clone().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0].event_time,
        Some(1_557_481_128),
        "seconds, as sent"
    );
    assert_eq!(Event::PushAllMemberPush(push).event_time(), None);
}

#[test]
fn numbers_are_read_from_strings_and_too_large_ones_are_misfits() {
    let body = br#"{"CallbackCommand":"Group.CallbackOnDailyGroupQuotaAlarm","QuotaUsed":"7321","Quota":10000,"EventTime":"1670574414123"}"#;
    let Event::GroupOnDailyGroupQuotaAlarm(alarm) =
        event("Group.CallbackOnDailyGroupQuotaAlarm", body)
    else {
        panic!()
    };
    assert_eq!((alarm.quota_used, alarm.quota), (Some(7321), Some(10_000)));
    let huge = br#"{"CallbackCommand":"Group.CallbackOnDailyGroupQuotaAlarm","QuotaUsed":"99999999999999999999999"}"#;
    let webhook = decode("Group.CallbackOnDailyGroupQuotaAlarm", huge);
    let Payload::Misfit(misfit) = webhook.payload() else {
        panic!("{:?}", webhook.payload())
    };
    assert_eq!(misfit.error().path(), "QuotaUsed");
}

#[test]
fn an_unknown_word_is_kept_raw_and_is_no_decision() {
    let body = br#"{"CallbackCommand":"Group.CallbackAfterSomethingNew","X":[1,2]}"#;
    let Event::Unknown(unknown) = event("Group.CallbackAfterSomethingNew", body) else {
        panic!()
    };
    assert_eq!(unknown.body().get().as_bytes(), body);
    assert!(!unknown.command().is_blocking());
}

#[test]
fn message_elements_are_typed_and_unknown_ones_kept() {
    let body = r#"[
        {"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}},
        {"MsgType":"TIMLocationElem","MsgContent":{"Desc":"here","Latitude":29.340656774469956,"Longitude":113.1}},
        {"MsgType":"TIMImageElem","MsgContent":{"UUID":"u","ImageFormat":1,"ImageInfoArray":[{"Type":1,"Size":10,"Width":2,"Height":3,"URL":"https://x/y"}]}},
        {"MsgType":"TIMSoundElem","MsgContent":{"UUID":"s","Size":"12","Second":3}},
        {"MsgType":"TIMFileElem","MsgContent":{"UUID":"f","FileSize":9,"fileName":"a.txt"}},
        {"MsgType":"TIMVideoFileElem","MsgContent":{"VideoUUID":"v","VideoSecond":0}},
        {"MsgType":"TIMCustomElem","MsgContent":{"Data":"d","Desc":"x"}},
        {"MsgType":"TIMFaceElem","MsgContent":{"Index":1,"Data":"smile"}},
        {"MsgType":"TIMRelayElem","MsgContent":{"Title":"t","MsgNum":1,"MsgList":[{"From_Account":"a","MsgSeq":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"inner"}}]}]}},
        {"MsgType":"TIMGroupTipElem","MsgContent":{"Anything":[1]}}
    ]"#;
    let elements: Vec<MsgElement> = serde_json::from_str(body).unwrap();
    let contents: Vec<MsgContent> = elements.iter().map(|e| e.content().unwrap()).collect();
    assert!(matches!(&contents[0], MsgContent::Text(t) if t.text.as_deref() == Some("hi")));
    assert!(
        matches!(&contents[1], MsgContent::Location(l) if l.latitude == Some(29.340_656_774_469_956))
    );
    let MsgContent::Image(image) = &contents[2] else {
        panic!()
    };
    assert_eq!(
        image.image_info_array.as_ref().unwrap()[0].url.as_deref(),
        Some("https://x/y")
    );
    assert!(matches!(&contents[3], MsgContent::Sound(s) if s.size == Some(12)));
    assert!(matches!(&contents[4], MsgContent::File(f) if f.file_name.as_deref() == Some("a.txt")));
    assert!(matches!(&contents[5], MsgContent::Video(v) if v.video_second == Some(0)));
    assert!(matches!(&contents[6], MsgContent::Custom(c) if c.data.as_deref() == Some("d")));
    assert!(matches!(&contents[7], MsgContent::Face(f) if f.index == Some(1)));
    let MsgContent::Relay(relay) = &contents[8] else {
        panic!()
    };
    let inner = &relay.msg_list.as_ref().unwrap()[0]
        .msg_body
        .as_ref()
        .unwrap()[0];
    assert_eq!(inner.as_text().as_deref(), Some("inner"));
    let MsgContent::Unknown(raw) = &contents[9] else {
        panic!()
    };
    assert_eq!(raw.get(), r#"{"Anything":[1]}"#);
    // An element whose content is not its type's shape is an error, not a guess.
    let wrong: MsgElement =
        serde_json::from_str(r#"{"MsgType":"TIMFaceElem","MsgContent":{"Index":"x"}}"#).unwrap();
    assert!(wrong.content().is_err());
}

#[test]
fn the_chat_pages_sign_vector_holds() {
    // The overview's vector; its older copy prints the token as `xxxyyy`, which does not
    // give this Sign.
    let sign = Sign::compute(&Token::new("xxxxyyyy").unwrap(), 1_669_872_112);
    assert_eq!(
        sign.to_string(),
        "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
    );
    let wrong = Sign::compute(&Token::new("xxxyyy").unwrap(), 1_669_872_112);
    assert_ne!(wrong, sign);
}

/// A Chat query as the pages write it, with `name` for the app id parameter, `platform`
/// for `OptPlatform` (left out when `None`) and no `ClientIP`.
fn chat_query(name: &str, platform: Option<&str>, extra: &str) -> String {
    let token = Token::new("chat-token").unwrap();
    let sign = Sign::compute(&token, NOW);
    let platform = platform.map_or(String::new(), |p| format!("&OptPlatform={p}"));
    format!(
        "{name}={APP}&CallbackCommand=C2C.CallbackAfterMsgReport&contenttype=json{platform}{extra}&Sign={sign}&RequestTime={NOW}"
    )
}

#[test]
fn the_query_is_read_as_every_chat_page_writes_it() {
    let verifier = Verifier::new().app(APP, [Token::new("chat-token").unwrap()]);
    let body = br#"{"CallbackCommand":"C2C.CallbackAfterMsgReport","Report_Account":144115216631667826,"Peer_Account":"b"}"#;
    for (name, platform, expected) in [
        ("SdkAppid", Some("IOS"), Some(Platform::Ios)),
        ("SdkAppId", Some("iOS"), Some(Platform::Ios)),
        ("SDKAppID", Some("macOS"), Some(Platform::Mac)),
        ("sdkappid", Some("Mac"), Some(Platform::Mac)),
        ("SdkAppid", None, None),
    ] {
        let query = chat_query(name, platform, "");
        let webhook = verifier
            .verify(&query, NOW)
            .unwrap_or_else(|error| panic!("{name}: {error}"))
            .decode(body)
            .unwrap();
        assert_eq!(webhook.meta().platform, expected, "{name}");
        assert_eq!(webhook.meta().client_ip, None);
        // An account id sent as a bare number above 2^53 is kept exactly.
        let Some(Event::C2cAfterMsgReport(report)) = webhook.event() else {
            panic!()
        };
        assert_eq!(
            report.report_account.as_ref().unwrap(),
            "144115216631667826"
        );
    }
    // Desk's RequestID (to tell retries apart) reaches the metadata; `contenttype` is
    // not relied on.
    let query = chat_query("SdkAppid", None, "&contenttype=xml&RequestID=req-7").replacen(
        "&contenttype=json",
        "",
        1,
    );
    let webhook = verifier.verify(&query, NOW).unwrap().decode(body).unwrap();
    assert_eq!(webhook.meta().request_id.as_deref(), Some("req-7"));
}

#[test]
fn values_the_tables_and_examples_type_differently_are_kept_as_sent() {
    let body = br#"{"CallbackCommand":"Profile.CallbackPortraitSet","From_Account":"id1","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"nick"},{"Tag":"Tag_Profile_IM_Level","Value":7}]}"#;
    let Event::ProfilePortraitSet(profile) = event("Profile.CallbackPortraitSet", body) else {
        panic!()
    };
    let items = profile.profile_item.unwrap();
    assert_eq!(items[0].value, Some(TextOrNumber::Text("nick".into())));
    assert_eq!(items[1].value, Some(TextOrNumber::Number(7)));
    // An @all mention names nobody.
    let (_, body) = CHAT
        .iter()
        .find(|(n, _)| *n == "Group.CallbackAfterSendMsg-2")
        .unwrap();
    let Event::AfterSendMsg(sent) = event("Group.CallbackAfterSendMsg", body) else {
        panic!()
    };
    let mentions = sent.group_at_info.unwrap();
    assert_eq!(mentions[0].group_at_all_flag, Some(1));
    assert_eq!(mentions[0].group_at_account, None);
    assert_eq!(mentions[1].group_at_account.as_ref().unwrap(), "brennan");
    // A group type nobody documented is kept.
    let body =
        br#"{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":"g","Type":"Stage"}"#;
    assert!(matches!(
        event("Group.CallbackAfterGroupFull", body),
        Event::GroupAfterGroupFull(_)
    ));
    let body =
        br#"{"CallbackCommand":"Group.CallbackAfterGroupDestroyed","GroupId":"g","Type":"Stage"}"#;
    let Event::GroupAfterGroupDestroyed(destroyed) =
        event("Group.CallbackAfterGroupDestroyed", body)
    else {
        panic!()
    };
    assert_eq!(destroyed.group_type, Some(GroupType::Other("Stage".into())));
}

#[test]
fn every_blocking_chat_callback_has_replies_that_allow_and_refuse_it() {
    for (name, word, body) in every_body() {
        let event = event(word, body);
        let Some(refusal) = event.refusing_reply() else {
            assert!(!event.command().is_blocking(), "{name}");
            continue;
        };
        let allowing = event.allowing_reply();
        assert_eq!(allowing.error_code(), 0, "{name}");
        match event.command() {
            Command::SnsPrevFriendAdd | Command::SnsPrevFriendResponse => {
                // One answer per target, each refusing with a friend code.
                let items = refusal.result_items().unwrap();
                assert!(!items.is_empty(), "{name}");
                assert!(items.iter().all(|item| item.result_code() == 38_000));
                assert!(
                    allowing
                        .result_items()
                        .unwrap()
                        .iter()
                        .all(|item| item.result_code() == 0)
                );
                assert_eq!(refusal.error_code(), 0, "{name}: refused per target");
            }
            Command::ChatbotOnC2cSignalMessage => {
                assert_eq!(allowing.rsp_data(), Some(""));
                assert_eq!(refusal.error_code(), 1);
            }
            _ => assert_eq!(refusal.error_code(), 1, "{name}"),
        }
    }
}
