//! The configuration REST API bodies, against the documented examples.

use tencent_live_webhook::config_api::*;
use tencent_live_webhook::{ActionStatus, Command};

#[test]
fn set_callback_body_matches_the_documented_example() {
    let request = CallbackConfig {
        url: "http://www.example.com/callback".into(),
        callback_command_list: vec![
            Command::AfterCreateRoom,
            Command::AfterDestroyRoom,
            Command::AfterMemberStateChanged,
        ],
    };
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"Url":"http://www.example.com/callback","CallbackCommandList":["Live.CallbackAfterCreateRoom","Live.CallbackAfterDestroyRoom","Live.CallbackAfterMemberStateChanged"]}"#
    );
}

#[test]
fn get_callback_answer_decodes_with_unknown_commands_kept() {
    let answer: ApiResponse<CallbackConfig> = serde_json::from_str(
        r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"Id-70e3","Response":{"Url":"https://a.example/cb","CallbackCommandList":["Live.CallbackBeforeCallBackNotBlock","Live.CallbackAfterFuture"]}}"#,
    )
    .unwrap();
    assert!(answer.error_code.is_ok());
    assert_eq!(answer.action_status, ActionStatus::Ok);
    assert_eq!(answer.request_id, "Id-70e3");
    let config = answer.response.unwrap();
    assert_eq!(
        config.callback_command_list[0],
        Command::BeforeCallBackNotBlock
    );
    assert_eq!(
        config.callback_command_list[1].as_str(),
        "Live.CallbackAfterFuture"
    );
}

#[test]
fn documented_error_codes_are_named() {
    for (code, named) in [
        (100_001, ApiErrorCode::INTERNAL),
        (100_002, ApiErrorCode::INVALID_PARAMETER),
        (100_300, ApiErrorCode::CALLBACK_EXISTS),
        (100_301, ApiErrorCode::NO_CALLBACK),
        (100_302, ApiErrorCode::NO_TOKEN),
    ] {
        let body = format!(
            r#"{{"ActionStatus":"FAIL","ErrorInfo":"x","ErrorCode":{code},"RequestId":"r"}}"#
        );
        let answer: ApiResponse<Empty> = serde_json::from_str(&body).unwrap();
        assert_eq!(answer.error_code, named);
        assert!(!answer.error_code.is_ok());
        assert_eq!(answer.response, None);
    }
}

#[test]
fn token_bodies_send_only_what_changes_and_never_debug_the_token() {
    let first = SetCallbackToken {
        token: Some("s3cr3t".into()),
        is_token_enable: Some(true),
    };
    assert_eq!(
        serde_json::to_string(&first).unwrap(),
        r#"{"Token":"s3cr3t","IsTokenEnable":true}"#
    );
    let disable = SetCallbackToken {
        is_token_enable: Some(false),
        ..SetCallbackToken::default()
    };
    assert_eq!(
        serde_json::to_string(&disable).unwrap(),
        r#"{"IsTokenEnable":false}"#
    );
    assert!(!format!("{first:?}").contains("s3cr3t"));

    let answer: ApiResponse<CallbackTokenConfig> = serde_json::from_str(
        r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"r","Response":{"Token":"s3cr3t","IsTokenEnable":true}}"#,
    )
    .unwrap();
    assert!(!format!("{answer:?}").contains("s3cr3t"));
    assert_eq!(answer.response.unwrap().token, "s3cr3t");
}

#[test]
fn every_webhook_endpoint_lives_under_live_config() {
    let endpoints = [
        Endpoint::SetCallback,
        Endpoint::GetCallback,
        Endpoint::UpdateCallback,
        Endpoint::DeleteCallback,
        Endpoint::SetCallbackToken,
        Endpoint::GetCallbackToken,
        Endpoint::DeleteCallbackToken,
    ];
    for endpoint in endpoints {
        assert!(
            endpoint.path().starts_with("v4/live_config/"),
            "{endpoint:?}"
        );
    }
    assert_eq!(serde_json::to_string(&Empty::default()).unwrap(), "{}");
}

mod calls {
    use tencent_live_webhook::Command;
    use tencent_live_webhook::config_api::*;
    use tencent_live_webhook::usersig::{SecretKey, UserSig};

    const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    const APP: u64 = 1_400_000_000;
    const NOW: u64 = 1_700_000_000;

    fn admin() -> Admin {
        Admin::new(APP, "administrator", SecretKey::new(KEY).unwrap())
    }

    fn config() -> CallbackConfig {
        CallbackConfig {
            url: "https://example.com/live".into(),
            callback_command_list: vec![Command::AfterCreateRoom],
        }
    }

    /// The query parameters of a request URL.
    fn params(url: &str) -> Vec<(String, String)> {
        url.split_once('?')
            .unwrap()
            .1
            .split('&')
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap();
                (key.to_owned(), value.to_owned())
            })
            .collect()
    }

    #[test]
    fn every_call_has_its_path_body_and_common_parameters() {
        let token = SetCallbackToken {
            token: Some("t0k".into()),
            is_token_enable: Some(true),
        };
        let cases = [
            (
                Call::SetCallback(config()),
                "set_callback",
                r#"{"Url":"https://example.com/live","CallbackCommandList":["Live.CallbackAfterCreateRoom"]}"#,
            ),
            (Call::GetCallback, "get_callback", "{}"),
            (
                Call::UpdateCallback(config()),
                "update_callback",
                r#"{"Url":"https://example.com/live","CallbackCommandList":["Live.CallbackAfterCreateRoom"]}"#,
            ),
            (Call::DeleteCallback, "delete_callback", "{}"),
            (
                Call::SetCallbackToken(token),
                "set_callback_token",
                r#"{"Token":"t0k","IsTokenEnable":true}"#,
            ),
            (Call::GetCallbackToken, "get_callback_token", "{}"),
            (Call::DeleteCallbackToken, "delete_callback_token", "{}"),
        ];
        let mut admin = admin().base_url("https://127.0.0.1:8443/prefix/");
        for (call, path, body) in cases {
            let request = admin.request(&call, NOW, 4_294_967_295);
            assert_eq!(request.method, "POST");
            assert!(
                request.url.starts_with(&format!(
                    "https://127.0.0.1:8443/prefix/v4/live_config/{path}?"
                )),
                "{}",
                request.url
            );
            assert_eq!(request.body, body, "{path}");
            let params = params(&request.url);
            let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(
                names,
                ["sdkappid", "identifier", "usersig", "random", "contenttype"]
            );
            assert_eq!(params[0].1, "1400000000");
            assert_eq!(params[1].1, "administrator");
            assert_eq!(params[3].1, "4294967295");
            assert_eq!(params[4].1, "json");
            let usersig = UserSig::from_text(params[2].1.clone());
            let key = SecretKey::new(KEY).unwrap();
            assert!(usersig.verify(&key, APP, "administrator", NOW).is_ok());
        }
    }

    #[test]
    fn the_ip_list_call_names_its_nettype_and_reads_ip_list() {
        let mut admin = admin().base_url("https://127.0.0.1:8443");
        for (kind, nettype) in [
            (IpListKind::WebhooksInsideChina, "5"),
            (IpListKind::WebhooksOutsideChina, "6"),
        ] {
            let call = Call::GetIpList(kind);
            let request = admin.request(&call, NOW, 7);
            assert!(
                request
                    .url
                    .starts_with("https://127.0.0.1:8443/v4/ConfigSvc/GetIPList?"),
                "{}",
                request.url
            );
            assert_eq!(request.body, "{}");
            let params = params(&request.url);
            let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(
                names,
                [
                    "sdkappid",
                    "identifier",
                    "usersig",
                    "random",
                    "contenttype",
                    "nettype"
                ]
            );
            assert_eq!(params[5].1, nettype);
            // The documented answer: the list at the top level.
            let answer =
                br#"{"ActionStatus":"OK","ErrorCode":0,"IPList":["127.0.0.2","183.192.202.0/25"]}"#;
            assert_eq!(
                call.parse_answer(answer).unwrap(),
                Answered::IpList(vec!["127.0.0.2".into(), "183.192.202.0/25".into()])
            );
            let refused = br#"{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"expired"}"#;
            assert!(matches!(
                call.parse_answer(refused),
                Err(CallError::Refused { .. })
            ));
            assert_eq!(
                call.parse_answer(br#"{"ActionStatus":"OK","ErrorCode":0}"#),
                Err(CallError::NotAnAnswer)
            );
        }
    }

    #[test]
    fn regions_pick_their_host_and_identifiers_are_escaped() {
        let key = SecretKey::new(KEY).unwrap();
        for (region, host) in [
            (Region::China, "console.tim.qq.com"),
            (Region::Singapore, "adminapisgp.im.qcloud.com"),
            (Region::Usa, "adminapiusa.im.qcloud.com"),
            (Region::Jakarta, "adminapiidn.im.qcloud.com"),
        ] {
            let mut admin = Admin::new(APP, "ad min&x", key.clone()).region(region);
            let url = admin.request(&Call::GetCallback, NOW, 1).url;
            assert!(url.starts_with(&format!("https://{host}/v4/")), "{url}");
            assert!(url.contains("&identifier=ad%20min%26x&"), "{url}");
        }
    }

    #[test]
    fn a_usersig_is_reused_until_a_tenth_of_it_is_left() {
        let mut admin = admin().usersig_validity_secs(1000);
        let first = admin.usersig(NOW).clone();
        assert_eq!(admin.usersig(NOW + 899).clone(), first);
        let renewed = admin.usersig(NOW + 900).clone();
        assert_ne!(renewed, first);
        let claims = renewed.decode().unwrap();
        assert_eq!((claims.time(), claims.expire()), (NOW + 900, 1000));
    }

    #[test]
    fn requests_show_no_usersig_in_debug() {
        let mut admin = admin();
        let request = admin.request(&Call::GetCallback, NOW, 7);
        let usersig = params(&request.url)[2].1.clone();
        for shown in [format!("{request:?}"), format!("{admin:?}")] {
            assert!(!shown.contains(&usersig), "{shown}");
            assert!(!shown.contains(KEY), "{shown}");
        }
        assert!(format!("{request:?}").contains("usersig=<redacted>&random=7"));
    }

    #[test]
    fn answers_read_into_results_and_every_documented_error_is_named() {
        let ok = br#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"Id-1"}"#;
        assert_eq!(Call::DeleteCallback.parse_answer(ok), Ok(Answered::Done));
        let got = br#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"Id-2","Response":{"Url":"https://example.com/live","CallbackCommandList":["Live.CallbackAfterCreateRoom"]}}"#;
        assert_eq!(
            Call::GetCallback.parse_answer(got),
            Ok(Answered::Callback(config()))
        );
        let token = br#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"Id-3","Response":{"Token":"abc","IsTokenEnable":false}}"#;
        let Ok(Answered::Token(token)) = Call::GetCallbackToken.parse_answer(token) else {
            panic!("no token");
        };
        assert_eq!(
            (token.token.as_str(), token.is_token_enable),
            ("abc", false)
        );
        // A get answer without its Response, and things that are no answer at all.
        assert_eq!(
            Call::GetCallback.parse_answer(ok),
            Err(CallError::NotAnAnswer)
        );
        for bad in [&b""[..], b"<html>", b"{}", br#"{"ActionStatus":"OK"}"#] {
            assert_eq!(
                Call::GetCallback.parse_answer(bad),
                Err(CallError::NotAnAnswer)
            );
        }
        for code in [
            100_001, 100_002, 100_007, 100_300, 100_301, 100_302, 70_001, 70_003, 70_009, 70_013,
            70_014, 70_020,
        ] {
            let body = format!(
                r#"{{"ActionStatus":"FAIL","ErrorInfo":"why","ErrorCode":{code},"RequestId":"Id-9"}}"#
            );
            let error = Call::GetCallback.parse_answer(body.as_bytes()).unwrap_err();
            assert!(ApiErrorCode(code).meaning().is_some(), "{code}");
            let text = error.to_string();
            assert!(text.starts_with(&format!("error {code}: ")), "{text}");
            assert!(text.ends_with("(\"why\"), request id Id-9"), "{text}");
        }
        // OK with a non-zero code is still a refusal.
        let odd = br#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":5}"#;
        assert!(matches!(
            Call::DeleteCallback.parse_answer(odd),
            Err(CallError::Refused {
                code: ApiErrorCode(5),
                ..
            })
        ));
    }
}
