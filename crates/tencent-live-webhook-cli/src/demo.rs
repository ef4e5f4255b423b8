//! `live-webhook demo`: a receiver and a sender in one process, every sample end to end.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use tencent_live_webhook::{Command, Payload, Receiver, Token, Verifier};

use crate::client::{Sender, signed_url};
use crate::unix_now;
use tencent_live_webhook::samples::ALL as SAMPLES;
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
    for (word, body) in SAMPLES {
        let Ok(command) = word.parse::<Command>() else {
            continue;
        };
        let target = signed_url(&url, DEMO_APP, command, &token, unix_now());
        let answer = match client.post(&target, body.to_vec()) {
            Ok(answer) => answer,
            Err(error) => {
                println!("FAIL {word:<46} request failed: {error}");
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
                println!("ok   {word:<46} {}", summary(event));
            }
            Some(Payload::Misfit(misfit)) => {
                println!("FAIL {word:<46} did not fit: {}", misfit.error());
            }
            _ => println!("FAIL {word:<46} HTTP {} {}", answer.status, answer.body),
        }
    }

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
    let total = SAMPLES.len();
    println!(
        "{accepted}/{total} webhooks accepted and decoded; forged request {}; {:.2} s",
        if forged_refused {
            "refused"
        } else {
            "NOT refused"
        },
        started.elapsed().as_secs_f64()
    );
    if accepted == total && forged_refused && stopped {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
