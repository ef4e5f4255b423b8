//! Exercises the core's no-allocation API from a `#![no_std]` library.
#![no_std]

use tencent_live_webhook::{Auth, Command, Token, WebhookQuery, verify_query};

/// Verifies a query for one app; returns 0 when it passes.
#[unsafe(no_mangle)]
pub extern "C" fn tlw_check(query: *const u8, len: usize, now: u64) -> i32 {
    // Avoid dereferencing the pointer: this library exists to be linked, not called.
    let _ = (query, len);
    let Ok(token) = Token::new("xxxxyyyy") else {
        return 1;
    };
    let tokens = [token];
    let Ok(parsed) = WebhookQuery::parse(
        "SdkAppid=1&CallbackCommand=Live.CallbackAfterCreateRoom\
         &Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112",
    ) else {
        return 2;
    };
    match verify_query(&parsed, 1, Auth::Tokens(&tokens), now, 60) {
        Ok(verified) if verified.command() == Some(Command::AfterCreateRoom) => 0,
        _ => 3,
    }
}

#[cfg(feature = "alloc")]
mod with_alloc {
    extern crate alloc;

    use core::alloc::{GlobalAlloc, Layout};

    /// Never hands out memory: the check only needs the program to link.
    struct NoMemory;

    // SAFETY: returning null is always a valid answer for `alloc` (allocation failure).
    unsafe impl GlobalAlloc for NoMemory {
        unsafe fn alloc(&self, _: Layout) -> *mut u8 {
            core::ptr::null_mut()
        }
        unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
    }

    #[global_allocator]
    static ALLOCATOR: NoMemory = NoMemory;

    /// Decodes an event, pulling the alloc-only API into the link.
    #[unsafe(no_mangle)]
    pub extern "C" fn tlw_check_alloc() -> usize {
        let reply = tencent_live_webhook::Reply::ack();
        reply.to_json().len()
    }

    /// Signs a REST call, pulling UserSig (HMAC, zlib, base64) into the link.
    #[cfg(feature = "rest")]
    #[unsafe(no_mangle)]
    pub extern "C" fn tlw_check_rest() -> usize {
        use tencent_live_webhook::config_api::{Admin, Call};
        use tencent_live_webhook::usersig::SecretKey;
        let Ok(key) = SecretKey::new("key") else {
            return 0;
        };
        Admin::new(1, "administrator", key)
            .request(&Call::GetCallback, 1, 1)
            .url
            .len()
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
