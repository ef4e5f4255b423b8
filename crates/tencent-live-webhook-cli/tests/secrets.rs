//! Secrets stay secret through the real binary: no password of a URL in any error, every
//! secret can come from a file (so none sits in the process's arguments or environment,
//! which other local users can read in /proc), and the files work.

mod common;

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;

use common::{APP, Serving, TOKEN, agent, live_webhook, run, send, text};

const PASSWORD: &str = "s3cretpw";
const ADMIN_TOKEN: &str = "admin-token-from-a-file-0123";
const TRTC_KEY: &str = "trtcKeyFromAFile0123456789abcdef";

/// A file holding `contents`, readable by its owner only, removed on drop.
fn private_file(name: &str, contents: &str) -> common::TempFile {
    let file = common::TempFile::new(name, contents.as_bytes());
    std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    file
}

#[test]
fn no_password_of_a_url_shows_in_any_error() {
    let with_password = |url: &str| url.replace("USERINFO", &format!("app:{PASSWORD}"));
    let serve_cases = [
        vec!["--forward-to", "htp://USERINFO@127.0.0.1:1/hook"],
        vec!["--forward-to", "127.0.0.1:1"],
        vec!["--forward-to", "ftp://USERINFO@127.0.0.1:1/hook"],
        vec![
            "--trtc-key",
            "abc",
            "--trtc-forward-to",
            "htp//USERINFO@127.0.0.1:1/",
        ],
        vec!["--publish", "redis://USERINFO@127.0.0.1:1/0"],
        vec!["--publish", "nats://USERINFO@127.0.0.1:1"],
        vec!["--publish", "amqp://USERINFO@127.0.0.1:1"],
    ];
    for case in serve_cases {
        let mut args = vec!["serve", "--sdkappid", APP, "--token", TOKEN];
        args.extend(["--listen", "127.0.0.1:0", "--publish-timeout", "1s"]);
        let case: Vec<String> = case.iter().map(|arg| with_password(arg)).collect();
        args.extend(case.iter().map(String::as_str));
        let output = run(&args);
        assert!(!output.status.success(), "{case:?}");
        let stderr = text(&output.stderr);
        assert!(!stderr.is_empty(), "{case:?}: an error is printed");
        assert!(!stderr.contains(PASSWORD), "{case:?}: {stderr}");
    }
    // `send` to an app that is not there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sent = send(
        &format!("http://app:{PASSWORD}@127.0.0.1:{port}/hook"),
        &["--command", "AfterDestroyRoom"],
    );
    assert!(!sent.status.success());
    let stderr = text(&sent.stderr);
    assert!(stderr.contains("***@127.0.0.1"), "{stderr}");
    assert!(!stderr.contains(PASSWORD), "{stderr}");
}

#[test]
fn every_secret_can_come_from_a_file_and_then_sits_in_no_argument_or_variable() {
    let tokens = private_file("secrets-tokens", &format!("# callback token\n{TOKEN}\n"));
    let keys = private_file("secrets-trtc-keys", &format!("{TRTC_KEY}\n"));
    let admin_token = private_file("secrets-admin-token", &format!("{ADMIN_TOKEN}\n"));
    let admin_port = TcpListener::bind("0.0.0.0:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = live_webhook();
    command
        .env_remove("LIVE_WEBHOOK_ADMIN_TOKEN")
        .env_remove("LIVE_WEBHOOK_TRTC_KEY")
        .env("LIVE_WEBHOOK_TOKEN_FILE", tokens.path())
        .env("LIVE_WEBHOOK_ADMIN_TOKEN_FILE", admin_token.path())
        .args(["serve", "--sdkappid", APP, "--listen", "127.0.0.1:0"])
        .args(["--format", "json", "--trtc-key-file", keys.path()])
        .args(["--admin-listen", &format!("0.0.0.0:{admin_port}")]);
    let serving = Serving::spawn(command);
    // Nothing secret in what other users may read of the process.
    let pid = serving.child.id();
    for part in ["cmdline", "environ"] {
        let seen = std::fs::read(format!("/proc/{pid}/{part}")).unwrap();
        let seen = String::from_utf8_lossy(&seen);
        for secret in [TOKEN, TRTC_KEY, ADMIN_TOKEN] {
            assert!(!seen.contains(secret), "{part} holds a secret");
        }
    }
    // The callback token from the file verifies Live webhooks.
    let sent = send(&serving.url, &["--command", "AfterDestroyRoom"]);
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    assert_eq!(
        serving.next_line()["command"],
        "Live.CallbackAfterDestroyRoom"
    );
    // The TRTC key from the file verifies TRTC callbacks.
    let trtc = run(&[
        "send",
        "--trtc",
        "--url",
        &format!("{}/trtc", serving.url),
        "--sdkappid",
        APP,
        "--trtc-key",
        TRTC_KEY,
        "--command",
        "1-103",
    ]);
    assert!(trtc.status.success(), "{}", text(&trtc.stderr));
    assert_eq!(text(&trtc.stdout), "HTTP 200\n{\"code\":0}\n");
    // The admin token from the file opens the console; nothing else does.
    let admin = format!("http://127.0.0.1:{admin_port}");
    let agent = agent();
    let opened = agent
        .get(format!("{admin}/api/summary"))
        .header("Authorization", format!("Bearer {ADMIN_TOKEN}"))
        .call()
        .unwrap();
    assert_eq!(opened.status(), 200);
    let refused = agent.get(format!("{admin}/api/summary")).call().unwrap();
    assert_eq!(refused.status(), 401);
}

#[test]
fn a_secret_file_that_is_missing_empty_doubled_or_wrong_is_refused_without_its_contents() {
    let empty = private_file("secrets-empty", "# nothing yet\n\n");
    let short = private_file("secrets-short", "short-secret\n");
    let base = ["serve", "--sdkappid", APP, "--token", TOKEN];
    for (extra, expected) in [
        (vec!["--trtc-key-file", "/nonexistent/keys"], "cannot read"),
        (vec!["--trtc-key-file", empty.path()], "holds no TRTC key"),
        (
            vec![
                "--admin-listen",
                "127.0.0.1:0",
                "--admin-token-file",
                empty.path(),
            ],
            "holds no admin token",
        ),
        (
            vec![
                "--admin-listen",
                "127.0.0.1:0",
                "--admin-token-file",
                short.path(),
            ],
            "at least 16 characters",
        ),
        (
            vec![
                "--admin-listen",
                "127.0.0.1:0",
                "--admin-token",
                ADMIN_TOKEN,
                "--admin-token-file",
                short.path(),
            ],
            "given twice",
        ),
    ] {
        let mut args = base.to_vec();
        args.extend(extra.iter().copied());
        let output = live_webhook()
            .env_remove("LIVE_WEBHOOK_ADMIN_TOKEN")
            .env_remove("LIVE_WEBHOOK_TRTC_KEY")
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(expected), "{extra:?}: {stderr}");
        assert!(!stderr.contains("short-secret"), "{stderr}");
    }
    // A secret file others may read draws a warning.
    let open = common::TempFile::new("secrets-open", format!("{TOKEN}\n").as_bytes());
    std::fs::set_permissions(open.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let warned = live_webhook()
        .args(["serve", "--sdkappid", APP, "--token-file", open.path()])
        .args(["--listen", "127.0.0.1:0", "--forward-to", "nope"])
        .output()
        .unwrap();
    assert!(
        text(&warned.stderr).contains("other users may read it"),
        "{}",
        text(&warned.stderr)
    );
}
