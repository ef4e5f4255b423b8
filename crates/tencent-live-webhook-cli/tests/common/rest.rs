//! A fake of Tencent's `v4/live_config` REST API over TLS: it checks every common
//! parameter, verifies the UserSig with the app's key, and keeps the configuration in
//! memory, answering as the documentation says.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tencent_live_webhook::usersig::{SecretKey, UserSig, UserSigError};

use super::app::{Seen, serve_tls, tls_config};
use super::now;

#[derive(Default)]
struct State {
    callback: Option<Value>,
    token: Option<(String, bool)>,
    forced: Option<i64>,
    requests: usize,
    /// What a request got wrong that the real API would not have let pass.
    problems: Vec<String>,
}

pub(crate) struct FakeApi {
    pub(crate) base_url: String,
    /// The PEM of the CA that signed the fake's certificate.
    pub(crate) authority: String,
    state: Arc<Mutex<State>>,
}

impl FakeApi {
    pub(crate) fn start(app: u64, key: &str) -> FakeApi {
        let key = SecretKey::new(key).unwrap();
        let (config, authority) = tls_config();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("https://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        serve_tls(listener, config, move |request| {
            let mut state = shared.lock().unwrap();
            let (code, info, response) = answer(&mut state, app, &key, &request);
            state.requests += 1;
            let mut body = json!({
                "ActionStatus": if code == 0 { "OK" } else { "FAIL" },
                "ErrorInfo": info,
                "ErrorCode": code,
                "RequestId": format!("Id-{}", state.requests),
            });
            match response {
                // Chat's `ConfigSvc` answers at the top level, the live_config calls under
                // `Response`.
                Some(Value::Object(fields)) if request.target.starts_with("/v4/ConfigSvc/") => {
                    for (name, value) in fields {
                        body[name] = value;
                    }
                }
                Some(response) => body["Response"] = response,
                None => {}
            }
            ("200 OK".to_owned(), body.to_string())
        });
        FakeApi {
            base_url,
            authority,
            state,
        }
    }

    /// The next call is answered with `code`, once its parameters have been checked.
    pub(crate) fn answer_next_with(&self, code: i64) {
        self.state.lock().unwrap().forced = Some(code);
    }

    pub(crate) fn callback(&self) -> Option<Value> {
        self.state.lock().unwrap().callback.clone()
    }

    pub(crate) fn token(&self) -> Option<(String, bool)> {
        self.state.lock().unwrap().token.clone()
    }

    pub(crate) fn requests(&self) -> usize {
        self.state.lock().unwrap().requests
    }

    /// Panics if any request broke the API's rules.
    pub(crate) fn assert_no_problems(&self) {
        let problems = &self.state.lock().unwrap().problems;
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

type Answer = (i64, &'static str, Option<Value>);

/// A request the real API would refuse: noted, and answered 60002.
fn problem(state: &mut State, what: String) -> Answer {
    state.problems.push(what);
    (60_002, "bad request", None)
}

fn answer(state: &mut State, app: u64, key: &SecretKey, request: &Seen) -> Answer {
    if request.method != "POST" {
        return problem(state, format!("method {}", request.method));
    }
    if request.content_type != "application/json" {
        return problem(state, format!("content type {:?}", request.content_type));
    }
    let Some((path, query)) = request.target.split_once('?') else {
        return problem(state, format!("no query: {}", request.target));
    };
    let Some(call) = path
        .strip_prefix("/v4/live_config/")
        .or_else(|| (path == "/v4/ConfigSvc/GetIPList").then_some("GetIPList"))
    else {
        return problem(state, format!("path {path}"));
    };
    let params: Vec<(&str, &str)> = query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect();
    let names: Vec<&str> = params.iter().map(|(name, _)| *name).collect();
    let common = ["sdkappid", "identifier", "usersig", "random", "contenttype"];
    let expected: &[&str] = if call == "GetIPList" {
        &[
            "sdkappid",
            "identifier",
            "usersig",
            "random",
            "contenttype",
            "nettype",
        ]
    } else {
        &common
    };
    if names != expected {
        return problem(state, format!("parameters {names:?}"));
    }
    let value = |name: &str| params.iter().find(|(n, _)| *n == name).unwrap().1;
    if value("contenttype") != "json" || value("random").parse::<u32>().is_err() {
        return problem(state, format!("contenttype or random: {query}"));
    }
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return problem(
            state,
            format!("body {:?}", String::from_utf8_lossy(&request.body)),
        );
    };
    if value("sdkappid").parse() != Ok(app) {
        return (70_020, "sdkappid not found", None);
    }
    let usersig = UserSig::from_text(value("usersig"));
    match usersig.verify(key, app, value("identifier"), now()) {
        Ok(_) => {}
        Err(UserSigError::Expired { .. }) => return (70_001, "usersig expired", None),
        Err(UserSigError::WrongApp { .. }) => return (70_014, "sdkappid mismatch", None),
        Err(UserSigError::WrongIdentifier) => return (70_013, "identifier mismatch", None),
        Err(UserSigError::BadSignature) => return (70_009, "usersig verify failed", None),
        Err(_) => return (70_003, "usersig parse failed", None),
    }
    if let Some(code) = state.forced.take() {
        return (code, "as the test asked", None);
    }
    let empty = body == json!({});
    match call {
        "set_callback" | "update_callback" => {
            let valid = body["Url"].is_string() && body["CallbackCommandList"].is_array();
            if !valid || body.as_object().map(serde_json::Map::len) != Some(2) {
                return (100_002, "Url and CallbackCommandList are required", None);
            }
            match (call, state.callback.is_some()) {
                ("set_callback", true) => return (100_300, "config exists", None),
                ("update_callback", false) => return (100_301, "config not found", None),
                _ => {}
            }
            state.callback = Some(body);
            (0, "", None)
        }
        "get_callback" if empty => match &state.callback {
            Some(config) => (0, "", Some(config.clone())),
            None => (100_301, "config not found", None),
        },
        "delete_callback" if empty => {
            state.callback = None;
            (0, "", None)
        }
        "set_callback_token" => {
            let token = body["Token"].as_str().map(str::to_owned);
            let enabled = body["IsTokenEnable"].as_bool();
            if token
                .as_ref()
                .is_some_and(|t| t.is_empty() || t.len() > 128)
            {
                return (100_002, "Token must be 1 to 128 characters", None);
            }
            let (token, enabled) = match (&state.token, token, enabled) {
                (_, Some(token), Some(enabled)) => (token, enabled),
                (Some((old, _)), None, Some(enabled)) => (old.clone(), enabled),
                (Some((_, old)), Some(token), None) => (token, *old),
                _ => return (100_002, "Token and IsTokenEnable are required", None),
            };
            state.token = Some((token, enabled));
            (0, "", None)
        }
        "get_callback_token" if empty => match &state.token {
            Some((token, enabled)) => (
                0,
                "",
                Some(json!({"Token": token, "IsTokenEnable": enabled})),
            ),
            None => (100_302, "token config not found", None),
        },
        "delete_callback_token" if empty => {
            state.token = None;
            (0, "", None)
        }
        "GetIPList" if empty => match value("nettype") {
            "5" => (
                0,
                "",
                Some(json!({"IPList": ["203.0.113.0/24", "198.51.100.7"]})),
            ),
            "6" => (0, "", Some(json!({"IPList": ["192.0.2.0/25"]}))),
            other => problem(state, format!("nettype {other}")),
        },
        _ => problem(state, format!("call {call} with body {body}")),
    }
}
