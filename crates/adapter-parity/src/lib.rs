//! Tests only: `tests/parity.rs` runs every case through the actix-web, warp and axum
//! adapters and asserts the same status, content type and body; `tests/examples.rs` checks
//! that each adapter's README shows its example program exactly.
