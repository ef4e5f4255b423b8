//! The callback tokens and TRTC keys, from flags, environment variables or a file, so
//! that a secret need not appear on a command line (where `ps` shows it).
// Doc comments of the option fields are `--help` text, where backticks would show.
#![allow(clippy::doc_markdown)]

use std::path::{Path, PathBuf};

use tencent_live_webhook::Token;

use crate::Secret;

/// The variable that holds the TRTC callback keys, comma-separated.
pub const TRTC_KEY_VARIABLE: &str = "LIVE_WEBHOOK_TRTC_KEY";

/// The TRTC key flag shared by `serve`, `send` and `verify`.
#[derive(Debug, Clone, clap::Args)]
pub struct TrtcKeyArgs {
    /// A TRTC callback key (the TRTC console's: up to 32 letters and digits); repeat for
    /// several (rotation). Prefer --trtc-key-file or LIVE_WEBHOOK_TRTC_KEY
    /// (comma-separated): a command line is visible to every user in `ps`
    #[arg(long = "trtc-key", value_name = "KEY")]
    keys: Vec<Secret>,
    /// A file of TRTC callback keys, one per line; blank lines and lines starting with `#`
    /// are skipped
    #[arg(
        long = "trtc-key-file",
        value_name = "PATH",
        env = "LIVE_WEBHOOK_TRTC_KEY_FILE"
    )]
    key_file: Option<PathBuf>,
}

impl TrtcKeyArgs {
    /// The keys: from `--trtc-key`, or, when none is given, from [`TRTC_KEY_VARIABLE`].
    /// Empty when there are none anywhere.
    pub fn resolve(&self) -> Result<Vec<tencent_live_webhook::trtc::Key>, String> {
        // The error names where a key came from and what is wrong, never the key.
        let key = |text: &str, from: &str| {
            tencent_live_webhook::trtc::Key::new(text).map_err(|error| format!("{from}: {error}"))
        };
        let mut keys = Vec::new();
        for text in &self.keys {
            keys.push(key(text.expose(), "--trtc-key")?);
        }
        if let Some(path) = &self.key_file {
            let lines = crate::secret::secret_lines(path, "TRTC key")
                .map_err(|error| format!("--trtc-key-file: {error}"))?;
            for (index, line) in lines.iter().enumerate() {
                keys.push(key(line, &format!("{} key {}", path.display(), index + 1))?);
            }
        }
        if self.keys.is_empty() && self.key_file.is_none() {
            let variable = std::env::var(TRTC_KEY_VARIABLE).unwrap_or_default();
            for text in variable.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                keys.push(key(text, TRTC_KEY_VARIABLE)?);
            }
        }
        Ok(keys)
    }
}

/// The variable that holds the callback tokens, comma-separated.
pub const TOKEN_VARIABLE: &str = "LIVE_WEBHOOK_TOKEN";

/// The token flags shared by `verify`, `serve` and `send`.
#[derive(Debug, Clone, clap::Args)]
pub struct TokenArgs {
    /// A callback token; repeat for several (rotation). Prefer LIVE_WEBHOOK_TOKEN
    /// (comma-separated) or --token-file: a command line is visible to every user in `ps`
    #[arg(long = "token", value_name = "TOKEN")]
    tokens: Vec<Secret>,
    /// A file of callback tokens, one per line; blank lines and lines starting with `#`
    /// are skipped
    #[arg(long, value_name = "PATH", env = "LIVE_WEBHOOK_TOKEN_FILE")]
    token_file: Option<PathBuf>,
}

impl TokenArgs {
    /// Whether any token was given on the command line (flag or file).
    pub fn given(&self) -> bool {
        !self.tokens.is_empty() || self.token_file.is_some()
    }

    /// The tokens: from `--token` and `--token-file` together, or, when neither is given,
    /// from [`TOKEN_VARIABLE`]. Empty when there are none anywhere.
    pub fn resolve(&self) -> Result<Vec<Token>, String> {
        self.resolve_with(std::env::var(TOKEN_VARIABLE).ok().as_deref())
    }

    fn resolve_with(&self, variable: Option<&str>) -> Result<Vec<Token>, String> {
        let mut tokens = Vec::new();
        for text in &self.tokens {
            tokens.push(token(text.expose()).map_err(|error| format!("--token: {error}"))?);
        }
        if let Some(path) = &self.token_file {
            tokens.extend(read_token_file(path)?);
        }
        if !self.given()
            && let Some(variable) = variable
        {
            for text in variable.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                tokens.push(token(text).map_err(|error| format!("{TOKEN_VARIABLE}: {error}"))?);
            }
        }
        Ok(tokens)
    }

    /// Whether [`TOKEN_VARIABLE`] holds any token.
    pub fn variable_is_set() -> bool {
        std::env::var(TOKEN_VARIABLE).is_ok_and(|value| !value.trim().is_empty())
    }
}

fn token(text: &str) -> Result<Token, String> {
    Token::new(text).map_err(|error| error.to_string())
}

fn read_token_file(path: &Path) -> Result<Vec<Token>, String> {
    let lines = crate::secret::secret_lines(path, "token")?;
    let mut tokens = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        // Which token, never the token: it is a secret.
        let token = token(line)
            .map_err(|error| format!("{} token {}: {error}", path.display(), index + 1))?;
        tokens.push(token);
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Args {
        #[command(flatten)]
        tokens: TokenArgs,
    }

    fn parse(args: &[&str]) -> TokenArgs {
        let mut all = vec!["x"];
        all.extend_from_slice(args);
        Args::parse_from(all).tokens
    }

    fn signs(tokens: &[Token]) -> Vec<String> {
        tokens
            .iter()
            .map(|token| tencent_live_webhook::Sign::compute(token, 1).to_string())
            .collect()
    }

    fn signs_of(texts: &[&str]) -> Vec<String> {
        let tokens: Vec<Token> = texts.iter().map(|t| Token::new(t).unwrap()).collect();
        signs(&tokens)
    }

    #[test]
    fn the_variable_is_split_on_commas_and_used_only_without_flags() {
        let none = parse(&[]);
        assert_eq!(
            signs(&none.resolve_with(Some(" new , old,")).unwrap()),
            signs_of(&["new", "old"])
        );
        assert!(none.resolve_with(None).unwrap().is_empty());
        let flag = parse(&["--token", "a,b"]);
        // A flag's value is one token, commas and all; the variable is not read.
        assert_eq!(
            signs(&flag.resolve_with(Some("other")).unwrap()),
            signs_of(&["a,b"])
        );
    }

    #[test]
    fn the_file_skips_comments_and_blank_lines_and_never_shows_a_token() {
        let path = std::env::temp_dir().join(format!("tokens-{}", std::process::id()));
        std::fs::write(&path, "# rotation\n\n  first  \nsecond\n").unwrap();
        let args = parse(&["--token-file", path.to_str().unwrap(), "--token", "third"]);
        assert_eq!(
            signs(&args.resolve_with(Some("ignored")).unwrap()),
            signs_of(&["third", "first", "second"])
        );
        let long = "x".repeat(200);
        std::fs::write(&path, format!("ok\n{long}\n")).unwrap();
        let error = parse(&["--token-file", path.to_str().unwrap()])
            .resolve_with(None)
            .unwrap_err();
        assert!(error.contains("token 2"), "{error}");
        assert!(!error.contains(&long));
        std::fs::write(&path, "# nothing\n").unwrap();
        let error = parse(&["--token-file", path.to_str().unwrap()])
            .resolve_with(None)
            .unwrap_err();
        assert!(error.ends_with("holds no token"), "{error}");
        std::fs::remove_file(&path).unwrap();
        let error = parse(&["--token-file", path.to_str().unwrap()])
            .resolve_with(None)
            .unwrap_err();
        assert!(error.starts_with("cannot read"), "{error}");
    }

    #[test]
    fn a_bad_variable_names_itself() {
        let long = "y".repeat(200);
        let error = parse(&[]).resolve_with(Some(&long)).unwrap_err();
        assert!(error.starts_with(TOKEN_VARIABLE), "{error}");
        assert!(!error.contains(&long));
    }
}
