//! Any query string: parsing and verification return a result, never panic, and a refusal
//! always maps to one of the documented statuses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencent_live_webhook::{Token, Verifier};

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let verifier = Verifier::new()
        .app(1_400_000_000, [Token::new("fuzz-token").unwrap()])
        .insecure_app_without_token(7);
    match verifier.verify(query, 1_700_000_000) {
        Ok(verified) => {
            assert!(verified.sdk_app_id() == 1_400_000_000 || verified.sdk_app_id() == 7)
        }
        Err(error) => {
            assert!(matches!(error.status(), 400 | 401 | 403));
            let _ = error.to_string();
        }
    }
});
