//! The app's SecretKey, from a flag, a file or an environment variable, so that it need
//! not appear on a command line (where `ps` shows it). The callback tokens and TRTC keys
//! are the gateway's ([`tencent_live_webhook_gateway::credentials`]).

use std::path::PathBuf;

pub(crate) use tencent_live_webhook_gateway::credentials::{
    TOKEN_VARIABLE, TRTC_KEY_VARIABLE, TokenArgs, TrtcKeyArgs,
};

/// The variable that holds the app's SecretKey.
pub(crate) const SECRET_KEY_VARIABLE: &str = "LIVE_WEBHOOK_SECRET_KEY";

/// The SecretKey flags of `config` and `usersig`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct SecretKeyArgs {
    /// The app's SecretKey (console). Prefer LIVE_WEBHOOK_SECRET_KEY or --secret-key-file:
    /// a command line is visible to every user in `ps`
    #[arg(long, value_name = "KEY", global = true)]
    secret_key: Option<String>,
    /// A file holding the SecretKey (surrounding whitespace ignored)
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "secret_key",
        global = true
    )]
    secret_key_file: Option<PathBuf>,
}

impl SecretKeyArgs {
    /// The key: from `--secret-key`, `--secret-key-file`, or else [`SECRET_KEY_VARIABLE`].
    pub(crate) fn resolve(&self) -> Result<tencent_live_webhook::usersig::SecretKey, String> {
        use tencent_live_webhook::usersig::SecretKey;
        let (text, source) = if let Some(key) = &self.secret_key {
            (key.clone(), "--secret-key".to_owned())
        } else if let Some(path) = &self.secret_key_file {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            (text.trim().to_owned(), path.display().to_string())
        } else if let Ok(key) = std::env::var(SECRET_KEY_VARIABLE) {
            (key.trim().to_owned(), SECRET_KEY_VARIABLE.to_owned())
        } else {
            return Err(format!(
                "no secret key: give --secret-key-file or --secret-key, or set {SECRET_KEY_VARIABLE}"
            ));
        };
        SecretKey::new(text).map_err(|error| format!("{source}: {error}"))
    }
}
