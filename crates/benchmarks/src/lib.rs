//! The operations compared by `cargo xtask bench`, on the same inputs: the crate's own, what
//! a user writes without it, and the cost floor. Each is a plain function that does one
//! call, so the instruction-count driver (`src/bin/ops.rs`) and the criterion benches
//! (`benches/side_by_side.rs`) measure exactly the same code.

pub mod floor;
pub mod hand;
pub mod inputs;
pub mod ours;

use std::hint::black_box;

/// One operation: its name and one call of it.
pub struct Op {
    /// `group/variant`, for example `verify/ours`.
    pub name: &'static str,
    /// Runs the operation once on its input.
    pub run: fn(),
}

macro_rules! op {
    ($name:literal, $body:expr) => {
        Op {
            name: $name,
            run: || {
                black_box($body);
            },
        }
    };
}

/// Every operation, grouped: in each group `ours` is compared with the others.
pub fn all() -> Vec<Op> {
    vec![
        op!(
            "request path/ours",
            ours::request_path(black_box(inputs::query()), inputs::create_room())
        ),
        op!("verify/ours", ours::verify(black_box(inputs::query()))),
        op!(
            "verify/hand-written",
            hand::verify(black_box(inputs::query()))
        ),
        op!("verify/floor", floor::verify(black_box(inputs::query()))),
        op!(
            "decode CreateRoom/ours",
            ours::decode(inputs::create_room())
        ),
        op!(
            "decode CreateRoom/Value",
            hand::value(black_box(inputs::create_room()))
        ),
        op!(
            "decode CreateRoom/own struct",
            hand::create_room(black_box(inputs::create_room()))
        ),
        op!(
            "decode CreateRoom/floor",
            floor::validate(black_box(inputs::create_room()))
        ),
        op!("decode BeforeSendGift/ours", ours::decode(inputs::gift())),
        op!(
            "decode BeforeSendGift/Value",
            hand::value(black_box(inputs::gift()))
        ),
        op!(
            "decode BeforeSendGift/own struct",
            hand::gift(black_box(inputs::gift()))
        ),
        op!(
            "decode BeforeSendGift/floor",
            floor::validate(black_box(inputs::gift()))
        ),
        op!(
            "decode DestroyRoom/ours",
            ours::decode(inputs::destroy_room())
        ),
        op!(
            "decode DestroyRoom/Value",
            hand::value(black_box(inputs::destroy_room()))
        ),
        op!(
            "decode DestroyRoom/own struct",
            hand::destroy_room(black_box(inputs::destroy_room()))
        ),
        op!(
            "decode DestroyRoom/floor",
            floor::validate(black_box(inputs::destroy_room()))
        ),
        op!("decode BeforeSendMsg/ours", ours::decode(inputs::message())),
        op!(
            "decode BeforeSendMsg/Value",
            hand::value(black_box(inputs::message()))
        ),
        op!(
            "decode BeforeSendMsg/own struct",
            hand::message(black_box(inputs::message()))
        ),
        op!(
            "decode BeforeSendMsg/floor",
            floor::validate(black_box(inputs::message()))
        ),
    ]
}

/// The operation called `name`.
pub fn find(name: &str) -> Option<Op> {
    all().into_iter().find(|op| op.name == name)
}
