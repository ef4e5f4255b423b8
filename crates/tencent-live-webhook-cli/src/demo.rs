//! `live-webhook demo`: a receiver and a sender in one process, every sample end to end.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use tencent_live_webhook::{
    Command, Event, MsgElement, Payload, Receiver, Reply, Token, Verifier, signed_query,
};

use crate::client::{Sender, signed_url};
use crate::unix_now;
use tencent_live_webhook::samples::{ALL as SAMPLES, CHAT, chat_word};
use tencent_live_webhook_gateway::output::summary;
use tencent_live_webhook_gateway::{Framework, Limits, Server, Shutdown, Sink};

const DEMO_APP: u64 = 1_400_000_000;
const WAIT: Duration = Duration::from_secs(10);

/// A throwaway token: 32 hex digits from the standard library's per-process random keys.
fn random_token() -> String {
    let state = RandomState::new();
    format!("{:016x}{:016x}", state.hash_one(1u8), state.hash_one(2u8))
}

pub(crate) fn run(framework: Framework) -> ExitCode {
    let started = Instant::now();
    let token_text = random_token();
    let Ok(token) = Token::new(&token_text) else {
        return ExitCode::FAILURE;
    };
    let (webhooks, received) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel::<SocketAddr>();
    let (stop, stop_rx) = tokio::sync::oneshot::channel();
    let server = Server {
        receiver: Receiver::new(Verifier::new().app(DEMO_APP, [token.clone()])),
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        framework,
        path: Some("/live".into()),
        sink: Sink::Channel(webhooks),
        limits: Limits::default(),
        trusted_proxies: Vec::new(),
        allow_from: None,
        trtc: None,
    };
    let serving = thread::spawn(move || {
        tencent_live_webhook_gateway::run(
            server,
            move |listening: tencent_live_webhook_gateway::Listening| {
                let _ = ready_tx.send(listening.webhooks);
            },
            Shutdown::Channel(stop_rx),
        )
    });
    let Ok(address) = ready_rx.recv_timeout(WAIT) else {
        eprintln!("demo: the receiver did not start");
        return ExitCode::FAILURE;
    };
    println!(
        "receiver ({framework:?}) listening on http://{address}/live, app {DEMO_APP}, random token"
    );
    let url = format!("http://{address}/live");
    let client = match Sender::new(None) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("demo: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut accepted = 0usize;
    let every = SAMPLES
        .iter()
        .map(|(word, body)| (*word, *body))
        .chain(CHAT.iter().map(|(name, body)| (chat_word(name), *body)));
    let mut total = 0usize;
    for (word, body) in every {
        total += 1;
        let Ok(command) = word.parse::<Command>() else {
            continue;
        };
        let target = signed_url(&url, DEMO_APP, command, &token, unix_now());
        let answer = match client.post(&target, body.to_vec()) {
            Ok(answer) => answer,
            Err(error) => {
                println!("FAIL {word:<56} request failed: {error}");
                continue;
            }
        };
        let decoded = if answer.is_ok() {
            received.recv_timeout(WAIT).ok()
        } else {
            None
        };
        match decoded.as_ref().map(tencent_live_webhook::Webhook::payload) {
            Some(Payload::Event(event)) if event.command().is_known() => {
                accepted += 1;
                println!("ok   {word:<56} {}", summary(event));
            }
            Some(Payload::Misfit(misfit)) => {
                println!("FAIL {word:<56} did not fit: {}", misfit.error());
            }
            _ => println!("FAIL {word:<56} HTTP {} {}", answer.status, answer.body),
        }
    }
    let moderated = moderation(&token);

    // A forged request (wrong token) must be refused.
    let forger = Token::new("not-the-token").unwrap_or_else(|_| token.clone());
    let forged_url = signed_url(
        &url,
        DEMO_APP,
        Command::AfterCreateRoom,
        &forger,
        unix_now(),
    );
    let body =
        tencent_live_webhook::samples::body_for(Command::AfterCreateRoom).unwrap_or_default();
    let forged = client.post(&forged_url, body.to_vec());
    let forged_refused = matches!(&forged, Ok(answer) if answer.status == 401);
    match &forged {
        Ok(answer) => println!(
            "{} forged request answered HTTP {} {}",
            if forged_refused { "ok  " } else { "FAIL" },
            answer.status,
            answer.body
        ),
        Err(error) => println!("FAIL forged request failed: {error}"),
    }

    let _ = stop.send(());
    let stopped = matches!(serving.join(), Ok(Ok(())));
    println!(
        "{accepted}/{total} webhooks accepted and decoded; messages moderated {}; forged request {}; {:.2} s",
        if moderated { "as meant" } else { "WRONGLY" },
        if forged_refused {
            "refused"
        } else {
            "NOT refused"
        },
        started.elapsed().as_secs_f64()
    );
    if accepted == total && moderated && forged_refused && stopped {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// What an app decides for a one-to-one message: no links (a code the sender sees), a
/// rude word masked, anything else delivered.
fn moderate(event: &Event) -> Reply {
    let Event::C2cBeforeSendMsg(message) = event else {
        return event.allowing_reply();
    };
    let text: String = message
        .msg_body
        .iter()
        .flatten()
        .filter_map(MsgElement::as_text)
        .collect();
    if text.contains("http") {
        Reply::reject_with(Command::C2cBeforeSendMsg, 120_001, "links are not allowed")
            .unwrap_or_else(|_| Reply::reject())
    } else if text.contains("darn") {
        let masked = text.replace("darn", "****");
        Reply::deliver_rewritten(Some(vec![MsgElement::text(masked)]), None)
    } else {
        Reply::allow()
    }
}

/// Chat messages verified, decoded and moderated by the core, as an app's handler would:
/// whether each got the decision meant for it.
fn moderation(token: &Token) -> bool {
    let verifier = Verifier::new().app(DEMO_APP, [token.clone()]);
    let mut all_right = true;
    for (text, meant) in [
        ("see you at 8", "allowed"),
        (
            "buy now at http://spam.example",
            "rejected with code 120001",
        ),
        ("darn it", "message replaced (MsgBody)"),
    ] {
        let body = format!(
            r#"{{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"ann","To_Account":"bob","MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":{text:?}}}}}]}}"#
        );
        let now = unix_now();
        let query = signed_query(DEMO_APP, &Command::C2cBeforeSendMsg, token, now);
        let decided = verifier
            .verify(&query, now)
            .ok()
            .and_then(|verified| verified.decode(body.as_bytes()).ok())
            .and_then(|webhook| webhook.event().map(moderate));
        let words = decided.as_ref().and_then(|reply| {
            tencent_live_webhook_gateway::decision::decision(
                Command::C2cBeforeSendMsg,
                200,
                &reply.to_json(),
            )
        });
        let right = words
            .as_deref()
            .is_some_and(|words| words.starts_with(meant));
        all_right &= right;
        println!(
            "{} {:<56} {text:?}: {}",
            if right { "ok  " } else { "FAIL" },
            "moderated C2C.CallbackBeforeSendMsg",
            words.as_deref().unwrap_or("no decision")
        );
    }
    all_right
}
