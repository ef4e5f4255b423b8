//! The states a row of the console's list can be in, and the filter that picks them: the
//! spool's (`pending`, `delivered`, `dead`) for what it keeps, the console's own for what
//! it remembers (`answered`, `failed`, `duplicate`, `refused`).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use tencent_live_webhook_spool::EntryState;

use crate::outputs::Went;

/// What became of a request the console remembers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum WindowState {
    /// Answered 200, kept nowhere the console lists otherwise (the app's answer, a
    /// published or printed webhook).
    Answered,
    /// Answered with anything but 200: the sender counts it as failed.
    Failed,
    /// Answered 200 because the spool or the broker has it already.
    Duplicate,
    /// Refused before it was a webhook: forged, stale, malformed, or not one at all.
    Refused,
    /// In the spool, which lists it with its delivery state.
    Spooled,
}

impl WindowState {
    /// The state of a webhook answered `status` after going where `went` says.
    pub(crate) fn of(status: u16, went: Went) -> WindowState {
        match went {
            _ if status != 200 => WindowState::Failed,
            Went::Spool { duplicate: false } => WindowState::Spooled,
            Went::Spool { duplicate: true } | Went::Broker { duplicate: true } => {
                WindowState::Duplicate
            }
            _ => WindowState::Answered,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            WindowState::Answered => "answered",
            WindowState::Failed => "failed",
            WindowState::Duplicate => "duplicate",
            WindowState::Refused => "refused",
            WindowState::Spooled => "spooled",
        }
    }
}

/// Which rows a listing wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filter {
    /// Every row: the spool's entries and what the console remembers besides.
    All,
    /// The spool's entries in this state.
    Spool(EntryState),
    /// The remembered rows in this state.
    Window(WindowState),
}

impl Filter {
    /// The states a listing offers, in the order the page shows them.
    pub(crate) fn offered(spool: bool) -> &'static [&'static str] {
        if spool {
            &[
                "pending",
                "delivered",
                "dead",
                "answered",
                "failed",
                "duplicate",
                "refused",
            ]
        } else {
            &["answered", "failed", "duplicate", "refused"]
        }
    }

    /// The filter `text` names (`""` and `all` for every row), with or without a spool.
    pub(crate) fn parse(text: Option<&str>, spool: bool) -> Result<Filter, UnknownState> {
        let Some(text) = text.filter(|text| !text.is_empty() && *text != "all") else {
            return Ok(Filter::All);
        };
        let window = [
            WindowState::Answered,
            WindowState::Failed,
            WindowState::Duplicate,
            WindowState::Refused,
        ]
        .into_iter()
        .find(|state| state.as_str() == text);
        match (window, spool) {
            (Some(state), _) => Ok(Filter::Window(state)),
            (None, true) => EntryState::from_str(text)
                .map(Filter::Spool)
                .map_err(|_| UnknownState::new(text, spool)),
            (None, false) => Err(UnknownState::new(text, spool)),
        }
    }
}

/// A state no listing has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownState {
    given: String,
    spool: bool,
}

impl UnknownState {
    fn new(given: &str, spool: bool) -> UnknownState {
        UnknownState {
            given: given.chars().take(32).collect(),
            spool,
        }
    }
}

impl fmt::Display for UnknownState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown state {:?}: one of all, {}",
            self.given,
            Filter::offered(self.spool).join(", ")
        )
    }
}

/// The number a remembered row was seen as, from the console's address for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen(pub(crate) u64);

impl FromStr for Seen {
    type Err = std::num::ParseIntError;

    fn from_str(text: &str) -> Result<Seen, Self::Err> {
        text.parse().map(Seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_state_follows_its_answer_and_where_it_went() {
        for (status, went, state) in [
            (200, Went::Spool { duplicate: false }, WindowState::Spooled),
            (200, Went::Spool { duplicate: true }, WindowState::Duplicate),
            (
                200,
                Went::Broker { duplicate: true },
                WindowState::Duplicate,
            ),
            (
                200,
                Went::Broker { duplicate: false },
                WindowState::Answered,
            ),
            (200, Went::App { answered: true }, WindowState::Answered),
            (200, Went::App { answered: false }, WindowState::Answered),
            (502, Went::App { answered: false }, WindowState::Failed),
            (503, Went::Nowhere, WindowState::Failed),
            (200, Went::Output, WindowState::Answered),
        ] {
            assert_eq!(WindowState::of(status, went), state, "{status} {went:?}");
        }
    }

    #[test]
    fn filters_name_the_states_of_their_listing() {
        assert_eq!(Filter::parse(None, true), Ok(Filter::All));
        assert_eq!(Filter::parse(Some(""), false), Ok(Filter::All));
        assert_eq!(Filter::parse(Some("all"), true), Ok(Filter::All));
        assert_eq!(
            Filter::parse(Some("dead"), true),
            Ok(Filter::Spool(EntryState::Dead))
        );
        assert_eq!(
            Filter::parse(Some("refused"), false),
            Ok(Filter::Window(WindowState::Refused))
        );
        // Without a spool there is nothing pending; "spooled" rows are the spool's own.
        for (text, spool) in [("dead", false), ("spooled", true), ("x", true)] {
            let refused = Filter::parse(Some(text), spool).unwrap_err().to_string();
            assert!(refused.starts_with("unknown state"), "{refused}");
        }
        let long = "<".repeat(1000);
        let refused = Filter::parse(Some(&long), true).unwrap_err().to_string();
        assert!(refused.len() < 200, "{refused}");
        assert!(refused.ends_with("duplicate, refused"), "{refused}");
    }
}
