//! What `deploy/` ships works with the binary: the systemd unit passes `systemd-analyze
//! verify` pointed at the binary the tests built, and `serve` starts with the example
//! settings and environment.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Serving, TOKEN, TempDir, agent, live_webhook};

fn deploy(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn the_service_unit_verifies_against_the_real_binary() {
    let unit = deploy("live-webhook.service");
    // What the unit promises the operator.
    for line in [
        "DynamicUser=yes",
        "StateDirectory=live-webhook",
        "StateDirectoryMode=0700",
        "EnvironmentFile=/etc/live-webhook/environment",
        "Restart=on-failure",
        "KillSignal=SIGTERM",
        "UMask=0077",
    ] {
        assert!(unit.lines().any(|l| l == line), "{line} is missing");
    }
    let binary = env!("CARGO_BIN_EXE_live-webhook");
    let installed = unit.replace("/usr/local/bin/live-webhook", binary);
    assert_ne!(
        installed, unit,
        "the unit names /usr/local/bin/live-webhook"
    );
    let dir = TempDir::new("unit");
    let file = dir.path().join("live-webhook.service");
    std::fs::write(&file, &installed).unwrap();
    let verify = |file: &Path| {
        Command::new(test_servers::systemd_analyze())
            .arg("verify")
            .arg(file)
            .output()
            .unwrap()
    };
    let verified = verify(&file);
    assert!(
        verified.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );
    // The check has teeth: a binary that is not there is refused.
    std::fs::write(
        &file,
        unit.replace("/usr/local/bin/live-webhook", "/nonexistent/live-webhook"),
    )
    .unwrap();
    assert!(!verify(&file).status.success());
}

#[test]
fn serve_starts_with_the_example_settings_and_environment() {
    let dir = TempDir::new("settings");
    let settings = dir.path().join("serve.toml");
    std::fs::write(&settings, deploy("serve.toml")).unwrap();
    // The environment file's variables, as systemd would set them (a real token).
    let environment = deploy("environment.example");
    let mut command = live_webhook();
    for line in environment.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, _) = line.split_once('=').unwrap();
        assert!(name.starts_with("LIVE_WEBHOOK_"), "{name}");
        command.env(name, TOKEN);
    }
    command
        .env("LIVE_WEBHOOK_SPOOL", dir.path().join("spool.db"))
        .arg("serve")
        .arg("--config")
        .arg(&settings)
        // Free loopback ports instead of the example's.
        .args(["--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"]);
    let serving = Serving::spawn(command);
    let health = agent()
        .get(format!("{}/healthz", serving.url))
        .call()
        .unwrap();
    assert_eq!(health.status(), 200);
    assert!(
        dir.path().join("spool.db").is_file(),
        "the spool is where the unit says"
    );
}
