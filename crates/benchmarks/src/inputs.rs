//! The inputs: a query as Tencent sends it, and documented sample bodies.

use std::sync::OnceLock;

use tencent_live_webhook::{Command, Platform, QueryBuilder, Token, samples};

/// The app.
pub const APP: u64 = 1_400_000_000;
/// The clock.
pub const NOW: u64 = 1_700_000_000;
/// The token.
pub const TOKEN: &str = "a-token-of-realistic-length-0123456789";

/// Every parameter Tencent documents, signed.
pub fn query() -> &'static str {
    static QUERY: OnceLock<String> = OnceLock::new();
    QUERY.get_or_init(|| {
        QueryBuilder::new(APP, Command::AfterCreateRoom)
            .client_ip("203.0.113.7")
            .platform(Platform::Android)
            .signed(&token(), NOW)
    })
}

/// The token, as the crate takes it.
pub fn token() -> Token {
    Token::new(TOKEN).unwrap_or_else(|_| unreachable!("a valid token"))
}

/// A documented sample body, as the core embeds it.
fn sample(command: Command) -> &'static [u8] {
    samples::body_for(command).unwrap_or_default()
}

/// The `Live.CallbackAfterCreateRoom` sample.
pub fn create_room() -> &'static [u8] {
    sample(Command::AfterCreateRoom)
}

/// The `Live.CallbackBeforeSendGift` sample.
pub fn gift() -> &'static [u8] {
    sample(Command::BeforeSendGift)
}

/// The `Live.CallbackAfterDestroyRoom` sample.
pub fn destroy_room() -> &'static [u8] {
    sample(Command::AfterDestroyRoom)
}

/// The `Group.CallbackBeforeSendMsg` sample.
pub fn message() -> &'static [u8] {
    sample(Command::BeforeSendMsg)
}
