//! `live-webhook replay FILE --url URL`: send a `serve --record` file's webhooks again.

use std::fmt::Write;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::ExitCode;

use tencent_live_webhook::{Command, Token, WebhookQuery, resigned_query};

use crate::client::{Answer, Sender, with_query};
use crate::unix_now;
use tencent_live_webhook_gateway::decision::decision;

/// The longest record line read: a body at the largest `--limit` anyone sets, escaped.
const MAX_LINE: usize = 64 * 1024 * 1024;

/// One line of a record file.
#[derive(serde::Deserialize)]
struct Recorded {
    /// Absent from lines written before it was recorded.
    #[serde(default)]
    received_at_ms: Option<u64>,
    query: String,
    body: String,
    /// How forwarding went, when the webhook was forwarded.
    #[serde(default)]
    forward: Option<RecordedForward>,
}

#[derive(serde::Deserialize)]
struct RecordedForward {
    status: Option<u16>,
    error: Option<String>,
}

impl Recorded {
    /// Whether forwarding it failed: no answer, or not HTTP 200.
    fn forward_failed(&self) -> bool {
        self.forward
            .as_ref()
            .is_some_and(|forward| forward.error.is_some() || forward.status != Some(200))
    }
}

/// The start of `--since`: a Unix time in seconds (`1700000000`), an RFC 3339 time
/// (`2026-12-06T10:00:00Z`), or how long ago (`30m`, `2h`); Unix milliseconds.
pub(crate) fn parse_since(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        return text
            .parse::<u64>()
            .ok()
            .and_then(|secs| secs.checked_mul(1000))
            .ok_or_else(|| format!("{text:?} is too large"));
    }
    if let Ok(time) = text.parse::<jiff::Timestamp>() {
        return u64::try_from(time.as_millisecond())
            .map_err(|_| format!("{text:?} is before 1970"));
    }
    match humantime::parse_duration(text) {
        Ok(ago) => {
            let ago = u64::try_from(ago.as_millis()).unwrap_or(u64::MAX);
            Ok((unix_now().saturating_mul(1000)).saturating_sub(ago))
        }
        Err(_) => Err(format!(
            "{text:?}: give Unix seconds, an RFC 3339 time (2026-12-06T10:00:00Z) or how long \
             ago (30m, 2h)"
        )),
    }
}

/// How each recorded webhook is signed when sent again.
pub(crate) enum Signing {
    /// `Sign` and `RequestTime` afresh: with this token, at this time (default: now).
    Afresh { token: Token, time: Option<u64> },
    /// The query exactly as recorded.
    AsRecorded,
}

/// What to replay, and where.
pub(crate) struct Replay<'a> {
    pub(crate) file: &'a Path,
    pub(crate) url: &'a str,
    pub(crate) signing: Signing,
    pub(crate) only: Option<Command>,
    /// Only webhooks received at or after this time, Unix milliseconds.
    pub(crate) since: Option<u64>,
    /// Only webhooks whose forwarding failed.
    pub(crate) failed: bool,
    pub(crate) sender: Sender,
}

/// Tallies of one replay.
#[derive(Default)]
struct Tally {
    sent: usize,
    ok: usize,
    unreadable: usize,
}

pub(crate) fn run(replay: &Replay<'_>) -> ExitCode {
    let file = match File::open(replay.file) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", replay.file.display());
            return ExitCode::FAILURE;
        }
    };
    // Only what the file holds now: a `serve --record` appending to this very file (a
    // replay into the server that recorded it) must not feed the replay forever.
    let held = match file.metadata() {
        Ok(metadata) => metadata.len(),
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", replay.file.display());
            return ExitCode::FAILURE;
        }
    };
    let mut reader = BufReader::new(file.take(held));
    let mut tally = Tally::default();
    let mut line = Vec::new();
    for number in 1.. {
        line.clear();
        let limit = u64::try_from(MAX_LINE).unwrap_or(u64::MAX) + 1;
        match (&mut reader).take(limit).read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) if line.len() > MAX_LINE => {
                eprintln!(
                    "line {number}: longer than {} MiB; stopped here",
                    MAX_LINE >> 20
                );
                tally.unreadable += 1;
                break;
            }
            Ok(_) => {}
            Err(error) => {
                eprintln!("line {number}: cannot read: {error}; stopped here");
                tally.unreadable += 1;
                break;
            }
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let recorded: Recorded = match serde_json::from_slice(&line) {
            Ok(recorded) => recorded,
            Err(error) => {
                println!("{number} not a record line: {error}");
                tally.unreadable += 1;
                continue;
            }
        };
        let command = WebhookQuery::parse(&recorded.query)
            .ok()
            .and_then(|query| query.command());
        if replay.only.is_some() && command != replay.only {
            continue;
        }
        if replay
            .since
            .is_some_and(|since| recorded.received_at_ms.is_none_or(|at| at < since))
        {
            continue;
        }
        if replay.failed && !recorded.forward_failed() {
            continue;
        }
        tally.sent += 1;
        let word = command.as_ref().map_or("(no command)", Command::as_str);
        let query = match &replay.signing {
            Signing::Afresh { token, time } => {
                resigned_query(&recorded.query, token, time.unwrap_or_else(unix_now))
            }
            Signing::AsRecorded => recorded
                .query
                .strip_prefix('?')
                .unwrap_or(&recorded.query)
                .to_owned(),
        };
        let target = with_query(replay.url, &query);
        match replay.sender.post(&target, recorded.body.into_bytes()) {
            Ok(answer) => {
                if answer.is_ok() {
                    tally.ok += 1;
                }
                println!("{number} {word} {}", outcome(command, &answer));
            }
            Err(error) => println!("{number} {word} failed: {error}"),
        }
    }
    let failed = tally.sent - tally.ok;
    let mut summary = format!(
        "replayed {} webhook(s) from {}: {} answered HTTP 200 OK, {failed} did not",
        tally.sent,
        replay.file.display(),
        tally.ok
    );
    if tally.unreadable > 0 {
        let _ = write!(summary, "; {} line(s) unreadable", tally.unreadable);
    }
    eprintln!("{summary}");
    if tally.sent == 0 {
        eprintln!(
            "error: nothing replayed: {}",
            if replay.only.is_some() || replay.since.is_some() || replay.failed {
                "no webhook matches --command, --since or --failed"
            } else {
                "the file holds no webhook"
            }
        );
        return ExitCode::FAILURE;
    }
    if failed == 0 && tally.unreadable == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `HTTP 200 {"ActionStatus":"OK",...}`, and the decision for a blocking callback, on one
/// line whatever the answer's layout.
fn outcome(command: Option<Command>, answer: &Answer) -> String {
    let body = tencent_live_webhook::RawJson::from_string(answer.body.clone()).map_or_else(
        |_| format!("{:?}", answer.body),
        |raw| raw.compact().into_owned(),
    );
    let mut line = format!("HTTP {} {body}", answer.status);
    if let Some(words) = command.and_then(|command| decision(command, answer.status, &answer.body))
    {
        let _ = write!(line, " decision: {words}");
    }
    line
}
