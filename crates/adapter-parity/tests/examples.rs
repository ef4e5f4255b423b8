//! Each adapter's README shows its `examples/receiver.rs` exactly (less the file's own
//! `//!` header), so the two cannot drift apart.

const ADAPTERS: [(&str, &str, &str); 3] = [
    (
        "tencent-live-webhook-actix",
        include_str!("../../tencent-live-webhook-actix/README.md"),
        include_str!("../../tencent-live-webhook-actix/examples/receiver.rs"),
    ),
    (
        "tencent-live-webhook-warp",
        include_str!("../../tencent-live-webhook-warp/README.md"),
        include_str!("../../tencent-live-webhook-warp/examples/receiver.rs"),
    ),
    (
        "tencent-live-webhook-axum",
        include_str!("../../tencent-live-webhook-axum/README.md"),
        include_str!("../../tencent-live-webhook-axum/examples/receiver.rs"),
    ),
];

/// The example without its leading `//!` lines.
fn program(example: &str) -> String {
    example
        .lines()
        .skip_while(|line| line.starts_with("//!"))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// The README's `rust,no_run` block.
fn readme_code(readme: &str) -> Option<String> {
    let start = readme.find("```rust,no_run\n")? + "```rust,no_run\n".len();
    let length = readme[start..].find("\n```")?;
    Some(readme[start..start + length].trim().to_owned())
}

#[test]
fn every_readme_shows_its_example_program() {
    for (name, readme, example) in ADAPTERS {
        let code = readme_code(readme).unwrap_or_else(|| panic!("{name}: README has no example"));
        assert_eq!(
            code,
            program(example),
            "{name}: README and examples/receiver.rs differ"
        );
    }
}

#[test]
fn every_example_serves_live_only_and_logs() {
    for (name, _, example) in ADAPTERS {
        assert!(
            example.contains("tracing_subscriber::fmt()"),
            "{name}: no subscriber"
        );
        assert!(
            example.contains("\"/live\"")
                || example.contains("path(\"live\")\n        .and(warp::path::end())"),
            "{name}: route"
        );
        for word in ["WebhookConfig", "Webhook", "WebhookReply"] {
            assert!(example.contains(word), "{name}: {word}");
        }
    }
}
