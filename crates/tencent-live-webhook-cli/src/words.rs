//! Command words as people type them: `Live.CallbackBeforeSendGift`, `BeforeSendGift`,
//! `beforesendgift`; `C2CBeforeSendMsg` where the short form alone is another family's.

use std::fmt::Write;

use tencent_live_webhook::Command;

/// The part of a word people say: `BeforeSendGift` for `Live.CallbackBeforeSendGift`.
pub(crate) fn short_form(word: &str) -> &str {
    let name = word.rsplit_once('.').map_or(word, |(_, name)| name);
    name.strip_prefix("Callback").unwrap_or(name)
}

/// The family of a word: `C2C` for `C2C.CallbackBeforeSendMsg`.
fn family(word: &str) -> &str {
    word.split_once('.').map_or("", |(family, _)| family)
}

/// Every spelling a documented command answers to, with the command: canonical words,
/// documented aliases, and their short forms (a short form two families share belongs
/// to the first documented, the Live one: the others say their family,
/// `C2CBeforeSendMsg`).
fn spellings() -> impl Iterator<Item = (String, Command)> {
    let canonical = Command::KNOWN.into_iter().filter_map(|command| {
        let word = command.known_word()?;
        Some((word, command))
    });
    canonical
        .chain(Command::ALIASES)
        .flat_map(|(word, command)| {
            let short = short_form(word);
            [
                (word.to_owned(), command),
                (short.to_owned(), command),
                (format!("{}{short}", family(word)), command),
            ]
        })
}

/// The documented command `word` names, in any of its spellings, ignoring case; or,
/// when only one command has that event, its name without the When (`SendGift`).
pub(crate) fn known(word: &str) -> Option<Command> {
    if let Some((_, command)) =
        spellings().find(|(spelling, _)| spelling.eq_ignore_ascii_case(word))
    {
        return Some(command);
    }
    let mut same_event = Command::KNOWN.into_iter().filter(|command| {
        command
            .known_word()
            .is_some_and(|known| event_name(short_form(known)).eq_ignore_ascii_case(word))
    });
    match (same_event.next(), same_event.next()) {
        (Some(command), None) => Some(command),
        _ => None,
    }
}

/// A short form without its When: `SendGift` for `BeforeSendGift`.
fn event_name(short: &str) -> &str {
    ["After", "Before"]
        .iter()
        .find_map(|when| short.strip_prefix(when))
        .unwrap_or(short)
}

/// The documented command `word` names, or an error with the closest words and where to
/// find them all.
pub(crate) fn documented(word: &str) -> Result<Command, String> {
    known(word).ok_or_else(|| {
        let mut message = format!("{word:?} is not a documented command word");
        let near = closest(word);
        if !near.is_empty() {
            let _ = write!(message, "; did you mean {}?", near.join(" or "));
        }
        message.push_str(" (`live-webhook samples` lists them all)");
        message
    })
}

/// `word` as a command: a documented one in any spelling, or else a full word this tool
/// does not know (`Prefix.CallbackName`), kept as given for testing what is not
/// documented yet. A word that is neither is an error.
pub(crate) fn any(word: &str) -> Result<Command, String> {
    if let Some(command) = known(word) {
        return Ok(command);
    }
    if looks_like_a_full_word(word) {
        return word.parse().map_err(|error| format!("{word:?}: {error}"));
    }
    documented(word)
}

/// `Prefix.CallbackName`, the shape of most documented words, or `Family.Name` in a
/// family whose words have no `Callback` (`Push.OfflinePush`, `Bot.OnC2CMessage`).
fn looks_like_a_full_word(word: &str) -> bool {
    word.split_once('.').is_some_and(|(prefix, name)| {
        let callback = name.len() > "Callback".len() && name.starts_with("Callback");
        let documented_family = Command::KNOWN.iter().any(|command| {
            command
                .as_str()
                .split_once('.')
                .is_some_and(|(known, rest)| known == prefix && !rest.starts_with("Callback"))
        });
        !prefix.is_empty()
            && !name.is_empty()
            && (callback || documented_family)
            && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
    })
}

/// Up to three canonical words closest to `word`, closest first.
pub(crate) fn closest(word: &str) -> Vec<&'static str> {
    let typed = short_form(word).to_ascii_lowercase();
    let mut scored: Vec<(f64, &'static str)> = Command::KNOWN
        .into_iter()
        .filter_map(|command| {
            let canonical = command.known_word()?;
            let short = short_form(canonical).to_ascii_lowercase();
            // People also leave out the When: `EndBatle` for `AfterEndBattle`.
            let event = event_name(short_form(canonical)).to_ascii_lowercase();
            let mut score =
                strsim::jaro_winkler(&typed, &short).max(strsim::jaro_winkler(&typed, &event));
            // A typed fragment of the name (`gift`, `battle`) is as good as a near miss.
            if typed.len() >= 3 && short.contains(&typed) {
                score = score.max(0.9);
            }
            Some((score, canonical))
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, word)| word).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_finds_its_command() {
        for command in Command::KNOWN {
            let word = command.as_str();
            let qualified = format!("{}{}", family(word), short_form(word));
            for typed in [
                word.to_owned(),
                word.to_ascii_lowercase(),
                word.to_ascii_uppercase(),
                qualified.clone(),
                qualified.to_ascii_lowercase(),
            ] {
                assert_eq!(known(&typed), Some(command), "{typed}");
            }
            // The short form alone, unless an earlier family has it.
            let short = short_form(word);
            let first = Command::KNOWN
                .into_iter()
                .find(|other| short_form(other.as_str()) == short);
            assert_eq!(known(short), first, "{short}");
        }
        assert_eq!(known("BeforeSendMsg"), Some(Command::BeforeSendMsg));
        assert_eq!(known("c2cbeforesendmsg"), Some(Command::C2cBeforeSendMsg));
        assert_eq!(known("OfflinePush"), Some(Command::PushOfflinePush));
        assert_eq!(
            known("MemberStateChanged"),
            Some(Command::AfterMemberStateChanged)
        );
        assert_eq!(known("SendGift"), Some(Command::BeforeSendGift));
        assert_eq!(known("createroom"), Some(Command::AfterCreateRoom));
        // Two commands share the event: the When must be said.
        assert_eq!(known("SendMsg"), None);
        assert_eq!(
            known("follow.callbackaftercloudrecordingchanged"),
            Some(Command::AfterCloudRecordingChanged)
        );
    }

    #[test]
    fn near_misses_get_suggestions_and_strangers_none() {
        assert_eq!(closest("BeforeSendGfit")[0], "Live.CallbackBeforeSendGift");
        assert!(closest("gift").contains(&"Live.CallbackBeforeSendGift"));
        assert_eq!(closest("AfterCreatRoom")[0], "Live.CallbackAfterCreateRoom");
        assert_eq!(closest("EndBatle")[0], "Live.CallbackAfterEndBattle");
        assert!(closest("zzzzqqqq").is_empty());
        let message = documented("BeforeSendGfit").unwrap_err();
        assert!(
            message.contains("did you mean Live.CallbackBeforeSendGift"),
            "{message}"
        );
        assert!(message.contains("live-webhook samples"), "{message}");
    }

    #[test]
    fn undocumented_full_words_are_kept_and_other_words_refused() {
        let new = any("Live.CallbackAfterSomethingNew").unwrap();
        assert!(!new.is_known());
        let pushed = any("Push.SomethingNew").unwrap();
        assert_eq!(pushed.as_str(), "Push.SomethingNew");
        assert_eq!(new.as_str(), "Live.CallbackAfterSomethingNew");
        assert_eq!(any("beforesendgift").unwrap(), Command::BeforeSendGift);
        for bad in [
            "SendGift2",
            "Live.Gift",
            "Live.Callback",
            ".CallbackX",
            "Live.Callback X",
            "Nope.Thing",
        ] {
            assert!(any(bad).is_err(), "{bad}");
        }
    }
}
