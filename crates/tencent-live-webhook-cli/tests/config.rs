//! `live-webhook config` and `usersig` end to end, over HTTPS against a fake of the
//! REST API that verifies every UserSig with the app's key.

use std::process::Output;

use serde_json::Value;
use tencent_live_webhook::Command;
use tencent_live_webhook::usersig::{SecretKey, UserSig};

mod common;

use common::rest::FakeApi;
use common::*;

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

/// `live-webhook config --base-url BASE [--cacert CA] ARGS`, with `key` (if any) in
/// `LIVE_WEBHOOK_SECRET_KEY`.
fn config_call(base_url: &str, ca: Option<&TempFile>, key: Option<&str>, args: &[&str]) -> Output {
    let mut command = live_webhook();
    command.args(["config", "--base-url", base_url]);
    if let Some(ca) = ca {
        command.args(["--cacert", ca.path()]);
    }
    command.args(args).stdin(std::process::Stdio::null());
    if let Some(key) = key {
        command.env("LIVE_WEBHOOK_SECRET_KEY", key);
    }
    command.output().unwrap()
}

/// A `config` call against `api` for the test app, trusting its CA, with the right key.
fn config(api: &FakeApi, ca: &TempFile, args: &[&str]) -> Output {
    config_call(
        &api.base_url,
        Some(ca),
        Some(KEY),
        &[&["--sdkappid", APP], args].concat(),
    )
}

fn start() -> (FakeApi, TempFile) {
    let api = FakeApi::start(APP.parse().unwrap(), KEY);
    let ca = TempFile::new(
        &format!("rest-ca-{}.pem", api.base_url.rsplit(':').next().unwrap()),
        api.authority.as_bytes(),
    );
    (api, ca)
}

fn json_line(output: &Output) -> Value {
    let out = text(&output.stdout);
    assert_eq!(out.lines().count(), 1, "{out}");
    serde_json::from_str(&out).unwrap()
}

/// No output of any run shows the secret key.
fn no_secret(output: &Output) {
    for stream in [&output.stdout, &output.stderr] {
        assert!(!text(stream).contains(KEY), "{}", text(stream));
    }
}

#[test]
fn register_from_zero_to_a_receiving_serve_in_three_commands() {
    let (api, ca) = start();
    let generated = config(&api, &ca, &["token", "set", "--generate"]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    no_secret(&generated);
    let line = json_line(&generated);
    let token = line["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(api.token(), Some((token.clone(), true)));
    // Another generated token is another token.
    let again = json_line(&config(&api, &ca, &["token", "set", "--generate"]));
    assert_ne!(again["token"], token.as_str());
    let token = again["token"].as_str().unwrap().to_owned();

    let serving = Serving::start(&["--token", &token]);
    let set = config(
        &api,
        &ca,
        &[
            "set",
            "--url",
            &format!("{}/live", serving.url),
            "--commands",
            "all",
        ],
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    let configured = api.callback().unwrap();
    let list: Vec<&str> = configured["CallbackCommandList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|word| word.as_str().unwrap())
        .collect();
    let wanted: Vec<&str> = Command::KNOWN
        .iter()
        .filter(|c| !c.is_switch())
        .map(|c| c.known_word().unwrap())
        .collect();
    assert_eq!(list, wanted);

    // Tencent would now send, signed with the token: serve accepts it.
    let url = configured["Url"].as_str().unwrap();
    let mut send = live_webhook();
    send.args([
        "send",
        "--url",
        url,
        "--sdkappid",
        APP,
        "--command",
        "CreateRoom",
    ])
    .env("LIVE_WEBHOOK_TOKEN", &token);
    assert!(send.output().unwrap().status.success());
    assert_eq!(
        serving.next_line()["command"],
        "Live.CallbackAfterCreateRoom"
    );
    api.assert_no_problems();
}

#[test]
fn configuration_calls_behave_as_documented() {
    let (api, ca) = start();
    // Nothing configured yet.
    for (args, code, hint) in [
        (
            &["get"][..],
            "100301",
            "config set --url URL --commands all",
        ),
        (
            &["update", "--url", "https://a.example/x"],
            "100301",
            "config set",
        ),
        (&["token", "get"], "100302", "config token set --generate"),
    ] {
        let output = config(&api, &ca, args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let error = text(&output.stderr);
        assert_eq!(error.lines().count(), 1, "{error}");
        assert!(
            error.contains(&format!("error {code}: ")) && error.contains(hint),
            "{error}"
        );
        no_secret(&output);
    }

    let set = config(
        &api,
        &ca,
        &[
            "set",
            "--url",
            "https://a.example/hook",
            "--commands",
            "BeforeSendGift, live.callbackaftercreateroom,SendGift",
        ],
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    assert_eq!(
        api.callback().unwrap()["CallbackCommandList"],
        serde_json::json!([
            "Live.CallbackBeforeSendGift",
            "Live.CallbackAfterCreateRoom"
        ])
    );
    let again = config(
        &api,
        &ca,
        &["set", "--url", "https://b.example/", "--commands", "all"],
    );
    assert_eq!(again.status.code(), Some(1));
    let error = text(&again.stderr);
    assert!(
        error.contains("error 100300: a webhook configuration already exists")
            && error.contains("config update"),
        "{error}"
    );

    // Update changes only what is given.
    let update = config(&api, &ca, &["update", "--commands", "AfterEndBattle"]);
    assert!(update.status.success(), "{}", text(&update.stderr));
    let configured = api.callback().unwrap();
    assert_eq!(configured["Url"], "https://a.example/hook");
    assert_eq!(
        configured["CallbackCommandList"],
        serde_json::json!(["Live.CallbackAfterEndBattle"])
    );
    let update = config(&api, &ca, &["update", "--url", "https://c.example/new"]);
    assert!(update.status.success());
    assert_eq!(
        api.callback().unwrap()["CallbackCommandList"],
        serde_json::json!(["Live.CallbackAfterEndBattle"])
    );
    let got = json_line(&config(&api, &ca, &["get"]));
    assert_eq!(got["callback"]["Url"], "https://c.example/new");
    let human = text(&config(&api, &ca, &["get", "--format", "human"]).stdout);
    assert_eq!(
        human,
        "url: https://c.example/new\ncommands:\n  Live.CallbackAfterEndBattle\n"
    );

    // Tokens: a given one, switched off, read back, deleted.
    let set = config(
        &api,
        &ca,
        &["token", "set", "--token", "given-token", "--disable"],
    );
    assert!(set.status.success());
    assert!(!text(&set.stdout).contains("given-token"));
    assert_eq!(api.token(), Some(("given-token".to_owned(), false)));
    let got = json_line(&config(&api, &ca, &["token", "get"]));
    assert_eq!(
        (got["token"].as_str(), got["enabled"].as_bool()),
        (Some("given-token"), Some(false))
    );
    assert!(config(&api, &ca, &["token", "delete"]).status.success());
    assert_eq!(api.token(), None);
    assert!(config(&api, &ca, &["delete"]).status.success());
    assert_eq!(config(&api, &ca, &["get"]).status.code(), Some(1));

    // Refused before anything is sent.
    let before = api.requests();
    for args in [
        &["set", "--url", "a.example", "--commands", "all"][..],
        &["set", "--url", "https://a.example", "--commands", "gfit"],
        &["set", "--url", "https://a.example", "--commands", " , "],
        &["token", "set", "--token", &"t".repeat(129)],
        &["token", "set"],
        &["update"],
    ] {
        assert_eq!(config(&api, &ca, args).status.code(), Some(2), "{args:?}");
    }
    assert_eq!(api.requests(), before);
    api.assert_no_problems();
}

#[test]
fn every_documented_error_code_is_explained_in_one_line() {
    let (api, ca) = start();
    for (code, words) in [
        (100_001, "internal error"),
        (100_002, "invalid parameter"),
        (100_007, "paid plan"),
        (100_300, "already exists"),
        (100_301, "no webhook configuration"),
        (100_302, "no token configuration"),
        (70_001, "expired"),
        (70_003, "could not be read"),
        (70_009, "does not verify"),
        (70_013, "another account"),
        (70_014, "another app"),
        (70_020, "no app has this sdkappid"),
    ] {
        api.answer_next_with(code);
        let output = config(&api, &ca, &["token", "get"]);
        assert_eq!(output.status.code(), Some(1), "{code}");
        let error = text(&output.stderr);
        assert_eq!(error.lines().count(), 1, "{error}");
        assert!(
            error.starts_with(&format!("error: error {code}: ")),
            "{error}"
        );
        assert!(error.contains(words), "{code}: {error}");
        let line = json_line(&output);
        assert_eq!(line["error_code"], code);
        assert_eq!(line["ok"], false);
    }
    api.assert_no_problems();
}

#[test]
fn real_signature_failures_and_transport_failures() {
    let (api, ca) = start();
    // A wrong key: the fake's own UserSig check refuses it.
    let output = config_call(
        &api.base_url,
        Some(&ca),
        Some("not-the-key"),
        &["get", "--sdkappid", APP],
    );
    let error = text(&output.stderr);
    assert!(error.contains("error 70009"), "{error}");
    assert!(!error.contains("not-the-key"));
    // Another app.
    let output = config_call(
        &api.base_url,
        Some(&ca),
        Some(KEY),
        &["get", "--sdkappid", "1400000001"],
    );
    let error = text(&output.stderr);
    assert!(error.contains("error 70020"), "{error}");
    // The key from a file, with its newline.
    let file = TempFile::new("secret-key", format!("{KEY}\n").as_bytes());
    api.answer_next_with(0);
    let output = config_call(
        &api.base_url,
        Some(&ca),
        None,
        &[
            "token",
            "get",
            "--sdkappid",
            APP,
            "--secret-key-file",
            file.path(),
        ],
    );
    // Answered 0 but without the Response a get needs: not an answer.
    assert_eq!(output.status.code(), Some(1));
    let error = text(&output.stderr);
    assert!(error.contains("not the REST API's JSON"), "{error}");

    // Without the test CA the certificate is not trusted; http is refused outright.
    let output = config_call(&api.base_url, None, Some(KEY), &["get", "--sdkappid", APP]);
    assert_eq!(output.status.code(), Some(1));
    let error = text(&output.stderr);
    assert!(
        error.contains("certificate") || error.contains("Unknown"),
        "{error}"
    );
    assert!(!error.contains("usersig="), "{error}");
    let http = api.base_url.replace("https://", "http://");
    let output = config_call(&http, None, Some(KEY), &["get", "--sdkappid", APP]);
    assert_eq!(output.status.code(), Some(2));
    // No key anywhere.
    let output = run(&[
        "config",
        "get",
        "--sdkappid",
        APP,
        "--base-url",
        &api.base_url,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("LIVE_WEBHOOK_SECRET_KEY"));
    api.assert_no_problems();
}

#[test]
fn usersig_prints_one_that_verifies_with_the_key() {
    let output = live_webhook()
        .args([
            "usersig",
            "--sdkappid",
            APP,
            "--identifier",
            "admin2",
            "--expire",
            "600",
        ])
        .env("LIVE_WEBHOOK_SECRET_KEY", KEY)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let sig = UserSig::from_text(text(&output.stdout).trim());
    let claims = sig
        .verify(
            &SecretKey::new(KEY).unwrap(),
            APP.parse().unwrap(),
            "admin2",
            now(),
        )
        .unwrap();
    assert_eq!(claims.expire(), 600);
    assert!(claims.time().abs_diff(now()) < 60);
    assert_eq!(run(&["usersig", "--sdkappid", APP]).status.code(), Some(2));
}

#[test]
fn ip_list_feeds_serve_allow_from() {
    let (api, ca) = start();
    // Human output: one entry a line, a file `serve --allow-from` reads as it is.
    let inside = config(
        &api,
        &ca,
        &["--format", "human", "ip-list", "--server", "inside-china"],
    );
    assert!(inside.status.success(), "{}", text(&inside.stderr));
    assert_eq!(text(&inside.stdout), "203.0.113.0/24\n198.51.100.7\n");
    no_secret(&inside);
    let outside = json_line(&config(&api, &ca, &["--format", "json", "ip-list"]));
    assert_eq!(outside["ip_list"], serde_json::json!(["192.0.2.0/25"]));
    api.answer_next_with(70_001);
    let expired = config(&api, &ca, &["--format", "human", "ip-list"]);
    assert_eq!(expired.status.code(), Some(1));
    assert!(
        text(&expired.stderr).contains("70001"),
        "{}",
        text(&expired.stderr)
    );
    api.assert_no_problems();

    // The list as serve's allow-list: a client outside it is refused.
    let list = TempFile::new("ip-list.txt", &inside.stdout);
    let serving = Serving::start(&["--token", TOKEN, "--allow-from", list.path()]);
    let refused = agent()
        .post(format!(
            "{}/live?{}",
            serving.url,
            signed(&tencent_live_webhook::Command::AfterDestroyRoom, now())
        ))
        .send("{}")
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    serving.no_more_stdout();
}
