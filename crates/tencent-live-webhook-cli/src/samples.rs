//! `live-webhook samples [WORD]`: the documented commands, and each one's sample body.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use tencent_live_webhook::{Command, RawJson};

use crate::{usage_error, words};

/// What kind of webhook a command is, in one word.
fn kind(command: Command) -> &'static str {
    if command.is_switch() {
        "switch"
    } else if command.is_blocking() {
        "blocking"
    } else {
        "notification"
    }
}

/// Prints every documented command: word, kind, what it reports.
pub(crate) fn list() -> ExitCode {
    let mut out = String::new();
    for command in Command::KNOWN {
        let word = command.known_word().unwrap_or_default();
        let description = command.description().unwrap_or_default();
        let kind = kind(command);
        let _ = writeln!(out, "{word:<56} {kind:<12}  {description}");
    }
    if std::io::stdout().is_terminal() {
        out.push_str(
            "\nblocking: Tencent waits for the answer, which decides; switch: a setting, no body.\n\
             A command may be given in short form (BeforeSendGift), in any case; a Chat word\n\
             whose short form is another's says its family (C2CBeforeSendMsg).\n\
             `live-webhook samples WORD` prints its sample body.\n",
        );
    }
    print(out.as_bytes())
}

/// How `samples WORD` lays out the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Layout {
    /// Indented, one member per line.
    Pretty,
    /// One line.
    Compact,
}

/// Prints the sample body of the command `word` names: laid out as asked, else pretty on
/// a terminal and compact otherwise.
pub(crate) fn show(word: &str, layout: Option<Layout>) -> ExitCode {
    let command = match words::documented(word) {
        Ok(command) => command,
        Err(message) => return usage_error(&message),
    };
    let Some(body) = tencent_live_webhook::samples::body_for(command) else {
        return usage_error(&if command.is_switch() {
            format!("{command} is a configuration switch, not an event: it has no body")
        } else {
            format!(
                "{command} has no documented example body: its page lists only its fields \
                 (give a body of your own with `send --body FILE`)"
            )
        });
    };
    let Some(raw) = std::str::from_utf8(body)
        .ok()
        .and_then(|text| RawJson::from_string(text.to_owned()).ok())
    else {
        eprintln!("error: the built-in sample for {command} is not JSON");
        return ExitCode::FAILURE;
    };
    let layout = layout.unwrap_or(if std::io::stdout().is_terminal() {
        Layout::Pretty
    } else {
        Layout::Compact
    });
    let mut text = match layout {
        Layout::Pretty => raw.pretty(),
        Layout::Compact => raw.compact().into_owned(),
    };
    text.push('\n');
    print(text.as_bytes())
}

pub(crate) fn print(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is the reader's choice, not an error worth a line.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write to standard output: {error}");
            ExitCode::FAILURE
        }
    }
}
