//! A `live-webhook serve` process: started, watched line by line, stopped.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub(crate) const APP: u64 = 1_400_000_000;
/// Never printed by a correct server: checked in every answer and log line.
pub(crate) const TOKEN: &str = "reliability-suite-token-4c1d";

/// Lines a stream has produced so far, and a way to wait for more.
#[derive(Clone, Default)]
pub(crate) struct Lines(Arc<(Mutex<Vec<String>>, Condvar)>);

impl Lines {
    fn collect(stream: impl Read + Send + 'static) -> Lines {
        let lines = Lines::default();
        let writer = lines.clone();
        thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut line = Vec::new();
            // Bytes, not text: a line must be checked even if it is not UTF-8.
            while matches!(reader.read_until(b'\n', &mut line), Ok(n) if n > 0) {
                let text = String::from_utf8_lossy(&line).into_owned();
                let (store, changed) = &*writer.0;
                store
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(text);
                changed.notify_all();
                line.clear();
            }
        });
        lines
    }

    pub(crate) fn snapshot(&self) -> Vec<String> {
        self.0
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn len(&self) -> usize {
        self.0
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Waits until a line for which `found` holds exists; returns its index.
    pub(crate) fn wait_for(
        &self,
        timeout: Duration,
        found: impl Fn(&str) -> bool,
    ) -> Option<usize> {
        let deadline = Instant::now() + timeout;
        let (store, changed) = &*self.0;
        let mut lines = store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        loop {
            if let Some(index) = lines.iter().position(|line| found(line)) {
                return Some(index);
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            lines = changed
                .wait_timeout(lines, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }
}

pub(crate) struct Server {
    child: Child,
    pub(crate) address: String,
    pub(crate) stdout: Lines,
    pub(crate) stderr: Lines,
}

impl Server {
    /// Starts `binary serve` on a free loopback port with `extra` arguments.
    pub(crate) fn start(binary: &str, framework: &str, extra: &[&str]) -> Result<Server, String> {
        let mut child = Command::new(binary)
            .args(["serve", "--sdkappid", &APP.to_string(), "--token", TOKEN])
            .args(["--listen", "127.0.0.1:0", "--framework", framework])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot start {binary}: {error}"))?;
        let stdout = Lines::collect(child.stdout.take().ok_or("no stdout")?);
        let stderr = Lines::collect(child.stderr.take().ok_or("no stderr")?);
        let Some(index) = stderr.wait_for(Duration::from_secs(20), |line| {
            line.starts_with("listening on")
        }) else {
            let _ = child.kill();
            return Err(format!(
                "{framework}: no ready line: {:?}",
                stderr.snapshot()
            ));
        };
        let address = stderr.snapshot()[index]
            .trim()
            .trim_start_matches("listening on http://")
            .to_owned();
        Ok(Server {
            child,
            address,
            stdout,
            stderr,
        })
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory, kB.
    pub(crate) fn rss_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Sends SIGTERM.
    pub(crate) fn terminate(&self) -> bool {
        Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .is_ok_and(|status| status.success())
    }

    /// Waits for the process to exit, for at most `timeout`.
    pub(crate) fn wait(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
