//! `samples --trtc`, `send --trtc` and `verify --trtc`: TRTC's own callbacks, signed with
//! an HMAC of the body in a `Sign` header.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use tencent_live_webhook::trtc::{Key, Verifier};
use tencent_live_webhook_gateway::trtc_output;

use crate::input::read_body;
use crate::{client, usage_error};

/// What each event group is about.
fn group_name(group: &str) -> &'static str {
    match group {
        "1" => "room",
        "2" => "media",
        "3" => "cloud recording",
        "4" => "relay to CDN",
        "7" => "input online media stream",
        "8" => "web-page recording",
        "9" => "AI service",
        "14" => "AI transcription",
        _ => "other",
    }
}

/// Prints every documented TRTC body's name (`group-type`), its group and its size.
pub(crate) fn list() -> ExitCode {
    let mut out = String::new();
    for (name, body) in tencent_live_webhook::samples::TRTC {
        let group = name.split('-').next().unwrap_or_default();
        let _ = writeln!(
            out,
            "{name:<26} {:<28} {} bytes",
            group_name(group),
            body.len()
        );
    }
    if std::io::stdout().is_terminal() {
        out.push_str(
            "\nNames are GROUP-TYPE (1-103: a user entered a room). \
             `live-webhook samples --trtc NAME` prints a body as Tencent sends it.\n",
        );
    }
    crate::samples::print(out.as_bytes())
}

/// The documented body `name` names: `1-103`, or just the event type (`103`).
pub(crate) fn sample(name: &str) -> Result<&'static [u8], String> {
    let samples = tencent_live_webhook::samples::TRTC;
    samples
        .iter()
        .find(|(sample, _)| *sample == name)
        .or_else(|| {
            samples
                .iter()
                .find(|(sample, _)| sample.split('-').nth(1) == Some(name))
        })
        .map(|(_, body)| *body)
        .ok_or_else(|| {
            format!("no documented TRTC body {name:?}: `live-webhook samples --trtc` lists them")
        })
}

/// Prints a documented body exactly as Tencent sends it (tabs and newlines; a final
/// newline only on a terminal, so that piped bytes are the body's own).
pub(crate) fn show(name: &str) -> ExitCode {
    let body = match sample(name) {
        Ok(body) => body,
        Err(message) => return usage_error(&message),
    };
    let mut out = body.to_vec();
    if std::io::stdout().is_terminal() {
        out.push(b'\n');
    }
    crate::samples::print(&out)
}

/// What `send --trtc` sends.
pub(crate) struct Outgoing<'a> {
    pub(crate) url: &'a str,
    pub(crate) sdkappid: u64,
    pub(crate) key: &'a Key,
    /// A documented body's name, when no body file is given.
    pub(crate) sample: Option<&'a str>,
    pub(crate) body: Option<&'a Path>,
    /// Whether to keep the body's send time instead of setting it to now.
    pub(crate) keep_time: bool,
    pub(crate) now_ms: u64,
}

/// Signs a body the way TRTC does and POSTs it; prints the answer. Exit 0 on HTTP 200.
pub(crate) fn send(sender: &client::Sender, outgoing: &Outgoing<'_>) -> ExitCode {
    let body = match (outgoing.body, outgoing.sample) {
        (Some(path), _) => match read_body(path) {
            Ok(body) => body,
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", path.display());
                return ExitCode::FAILURE;
            }
        },
        (None, name) => match sample(name.unwrap_or("1-103")) {
            Ok(body) => body.to_vec(),
            Err(message) => return usage_error(&message),
        },
    };
    let body = if outgoing.keep_time {
        body
    } else {
        sent_at(&body, outgoing.now_ms)
    };
    let headers = [
        ("Sign", outgoing.key.sign(&body)),
        ("SdkAppId", outgoing.sdkappid.to_string()),
    ];
    match sender.post_with(outgoing.url, &headers, body) {
        Ok(answer) => {
            println!("HTTP {}\n{}", answer.status, answer.body);
            if answer.status == 200 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("error: request to {} failed: {error}", outgoing.url);
            ExitCode::FAILURE
        }
    }
}

/// `body` with the value of its send time (`CallbackTs`, or `CallbackMsTs`) replaced by
/// `now_ms`, every other byte kept (a receiver's replay window would refuse a documented
/// body as sent years ago). A body without either is sent as it is.
fn sent_at(body: &[u8], now_ms: u64) -> Vec<u8> {
    for field in [&b"\"CallbackTs\""[..], b"\"CallbackMsTs\""] {
        let Some(at) = body.windows(field.len()).position(|window| window == field) else {
            continue;
        };
        let after = at + field.len();
        // Past the colon and any whitespace, the digits (or a string of digits).
        let Some(start) = body[after..]
            .iter()
            .position(u8::is_ascii_digit)
            .map(|offset| after + offset)
        else {
            continue;
        };
        let between = &body[after..start];
        if !between
            .iter()
            .all(|byte| matches!(byte, b':' | b'"' | b' ' | b'\t' | b'\n' | b'\r'))
        {
            continue;
        }
        let end = body[start..]
            .iter()
            .position(|byte| !byte.is_ascii_digit())
            .map_or(body.len(), |offset| start + offset);
        let mut changed = body[..start].to_vec();
        changed.extend_from_slice(now_ms.to_string().as_bytes());
        changed.extend_from_slice(&body[end..]);
        return changed;
    }
    body.to_vec()
}

/// What `verify --trtc` checks.
pub(crate) struct Check<'a> {
    pub(crate) sdkappid: u64,
    pub(crate) keys: Vec<Key>,
    pub(crate) body: &'a Path,
    pub(crate) sign: &'a str,
    /// The replay window, milliseconds (`None`: not checked).
    pub(crate) max_age_ms: Option<u64>,
    pub(crate) now_ms: u64,
}

/// Checks a captured TRTC body and its `Sign`; prints the callback as the JSON line
/// `serve` would. Exit 0 when it verifies.
pub(crate) fn verify(check: Check<'_>) -> ExitCode {
    let body = match read_body(check.body) {
        Ok(body) => body,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", check.body.display());
            return ExitCode::FAILURE;
        }
    };
    let verifier = Verifier::new().app(check.sdkappid, check.keys);
    let verifier = match check.max_age_ms {
        Some(ms) => verifier.max_age_ms(ms),
        None => verifier.without_replay_window(),
    };
    let verified = verifier.verify(
        Some(check.sdkappid.to_string().as_bytes()),
        Some(check.sign.as_bytes()),
        &body,
        check.now_ms,
    );
    let verified = match verified {
        Ok(verified) => verified,
        Err(error) => {
            eprintln!("invalid: {error}");
            if error == tencent_live_webhook::trtc::VerifyError::SignMismatch {
                eprintln!(
                    "hint: the Sign covers the body's exact bytes; a body copied from a page, \
                     re-indented, or with \\n written as two characters signs differently"
                );
            }
            return ExitCode::FAILURE;
        }
    };
    match verified.decode() {
        Ok(callback) => {
            let line = trtc_output::trtc_json_line(&callback, check.now_ms, None, None);
            let _ = writeln!(std::io::stdout(), "{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("invalid: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_send_time_is_replaced_and_nothing_else() {
        let pretty = b"{\n\t\"EventGroupId\":\t1,\n\t\"CallbackTs\":\t1687770731932,\n\t\"EventInfo\":\t{}\n}";
        assert_eq!(
            sent_at(pretty, 5),
            b"{\n\t\"EventGroupId\":\t1,\n\t\"CallbackTs\":\t5,\n\t\"EventInfo\":\t{}\n}"
        );
        let ingest = br#"{"CallbackMsTs":"17","X":1}"#;
        assert_eq!(sent_at(ingest, 99), br#"{"CallbackMsTs":"99","X":1}"#);
        let none = br#"{"EventGroupId":1}"#;
        assert_eq!(sent_at(none, 1), none);
    }
}
