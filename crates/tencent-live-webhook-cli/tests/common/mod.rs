//! What the tests of the real binary share: running it, a running `serve`, temp files.
#![allow(dead_code)] // each test file uses its own part

pub(crate) mod app;
pub(crate) mod rest;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

pub(crate) const APP: &str = "1400000000";
pub(crate) const TOKEN: &str = "cli-test-token";
pub(crate) const WAIT: Duration = Duration::from_secs(20);

/// A query for `command` signed with the test app and token at `time`.
pub(crate) fn signed(command: &tencent_live_webhook::Command, time: u64) -> String {
    tencent_live_webhook::signed_query(
        APP.parse().unwrap(),
        command,
        &tencent_live_webhook::Token::new(TOKEN).unwrap(),
        time,
    )
}

/// The binary, without the variables it reads credentials from (the tests set them
/// where they mean to).
pub(crate) fn live_webhook() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_live-webhook"));
    command
        .env_remove("LIVE_WEBHOOK_TOKEN")
        .env_remove("LIVE_WEBHOOK_SDKAPPID");
    command
}

pub(crate) fn run(args: &[&str]) -> Output {
    live_webhook()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A file in the temp directory, removed on drop.
pub(crate) struct TempFile(pub(crate) PathBuf);

impl TempFile {
    pub(crate) fn new(name: &str, contents: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!("live-webhook-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    pub(crate) fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A fresh directory in the temp directory, named after the test, removed on drop; it
/// reads as its path.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "live-webhook-{}-{name}-{}",
            std::process::id(),
            now()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub(crate) fn path(&self) -> &std::path::Path {
        &self.0
    }

    /// The path of `name` inside.
    pub(crate) fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// A spool's path inside, as text for a command line.
    pub(crate) fn spool(&self) -> String {
        self.file("spool.db").to_str().unwrap().to_owned()
    }
}

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;

    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `live-webhook serve`, with its output lines collected.
pub(crate) struct Serving {
    pub(crate) child: Child,
    pub(crate) url: String,
    pub(crate) stdout: Receiver<String>,
    pub(crate) stderr: Receiver<String>,
    /// What it wrote on stderr before its ready line (warnings about its options).
    pub(crate) early: Vec<String>,
}

pub(crate) fn lines(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

impl Serving {
    pub(crate) fn start(extra: &[&str]) -> Serving {
        let mut command = live_webhook();
        command
            .args(["serve", "--sdkappid", APP, "--listen", "127.0.0.1:0"])
            .args(extra);
        Serving::spawn(command)
    }

    /// Runs `command` (a `serve` with all its arguments) and waits for its ready line.
    pub(crate) fn spawn(mut command: Command) -> Serving {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        // Warnings about the options come before the ready line.
        let mut early = Vec::new();
        let address = loop {
            let line = stderr
                .recv_timeout(WAIT)
                .unwrap_or_else(|_| panic!("serve is not ready: {early:?}"));
            if let Some(address) = line.strip_prefix("listening on http://") {
                break address.to_owned();
            }
            assert!(
                line.contains(" WARN ") || line.starts_with("warning: "),
                "serve printed {line:?} before its ready line"
            );
            early.push(line);
        };
        Serving {
            child,
            url: format!("http://{address}"),
            stdout,
            stderr,
            early,
        }
    }

    pub(crate) fn next_line(&self) -> Value {
        let line = self.stdout.recv_timeout(WAIT).expect("no line on stdout");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }

    /// Waits (at most [`WAIT`]) for a line on stderr that holds `text`; the lines read on
    /// the way are added to `seen`.
    pub(crate) fn stderr_line(&self, text: &str, seen: &mut Vec<String>) -> String {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let line = self
                .stderr
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no line with {text:?} in {seen:#?}"));
            seen.push(line.clone());
            if line.contains(text) {
                return line;
            }
        }
    }

    pub(crate) fn no_more_stdout(&self) {
        assert_eq!(
            self.stdout.recv_timeout(Duration::from_millis(300)).ok(),
            None
        );
    }

    /// Sends SIGTERM and returns the exit status.
    pub(crate) fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            thread::sleep(Duration::from_millis(50));
        }
        panic!("serve did not stop on SIGTERM");
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `verify` with the test app and token, and `extra`.
pub(crate) fn verify(extra: &[&str]) -> Output {
    let mut args = vec!["verify", "--sdkappid", APP, "--token", TOKEN];
    args.extend_from_slice(extra);
    run(&args)
}

pub(crate) fn send(url: &str, extra: &[&str]) -> Output {
    let mut args = vec!["send", "--url", url, "--sdkappid", APP, "--token", TOKEN];
    args.extend_from_slice(extra);
    run(&args)
}

pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// A free loopback address (bound and released: `serve` binds it next).
pub(crate) fn free_address() -> String {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string()
}

/// The console page's CSRF token (its `<meta name="csrf">`).
pub(crate) fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no CSRF token in the page: {page}"))
        .to_owned()
}
