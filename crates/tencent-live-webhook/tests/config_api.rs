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
fn every_endpoint_lives_under_live_config() {
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
