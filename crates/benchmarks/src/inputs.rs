//! The inputs: a query as Tencent sends it, and documented sample bodies.

use std::sync::OnceLock;

use tencent_live_webhook::{Command, Platform, QueryBuilder, Token};

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

/// The `Live.CallbackAfterCreateRoom` sample (the core's test data, which it embeds too).
pub fn create_room() -> &'static [u8] {
    CREATE_ROOM
}

// A `static`, not a constant: one address, by which `ours` finds its verified query.
static CREATE_ROOM: &[u8] =
    include_bytes!("../../tencent-live-webhook/testdata/samples/Live.CallbackAfterCreateRoom.json");

/// The `Live.CallbackBeforeSendGift` sample.
pub fn gift() -> &'static [u8] {
    GIFT
}

// A `static`, not a constant: one address, by which `ours` finds its verified query.
static GIFT: &[u8] =
    include_bytes!("../../tencent-live-webhook/testdata/samples/Live.CallbackBeforeSendGift.json");

/// The `Live.CallbackAfterDestroyRoom` sample.
pub fn destroy_room() -> &'static [u8] {
    DESTROY_ROOM
}

// A `static`, not a constant: one address, by which `ours` finds its verified query.
static DESTROY_ROOM: &[u8] = include_bytes!(
    "../../tencent-live-webhook/testdata/samples/Live.CallbackAfterDestroyRoom.json"
);

/// The `Group.CallbackBeforeSendMsg` sample.
pub fn message() -> &'static [u8] {
    MESSAGE
}

// A `static`, not a constant: one address, by which `ours` finds its verified query.
static MESSAGE: &[u8] =
    include_bytes!("../../tencent-live-webhook/testdata/samples/Group.CallbackBeforeSendMsg.json");
