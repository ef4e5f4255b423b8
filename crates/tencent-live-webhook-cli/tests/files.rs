//! What `serve` and `live-webhook spool` leave on disk and which files they accept: the
//! spool (with its `-wal` and `-shm`) and the record file readable by their owner only
//! under a usual umask; a symbolic link or another program's SQLite database refused and
//! left byte for byte as it was; a start refused for its admin settings leaves no file.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::app::App;
use common::{APP, Serving, TOKEN, TempDir, live_webhook, run, send, text};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn the_spool_and_the_record_are_private_under_umask_022() {
    let dir = TempDir::new("modes");
    let spool = dir.file("spool.db");
    let record = dir.file("record.jsonl");
    let app = App::start_on(std::net::TcpListener::bind("127.0.0.1:0").unwrap(), |_| {
        (
            "200 OK".into(),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#.into(),
        )
    });
    // The usual umask would make new files 0644.
    let mut command = Command::new("sh");
    command
        .args(["-c", "umask 022; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_live-webhook"))
        .env_remove("LIVE_WEBHOOK_TOKEN")
        .args(["serve", "--sdkappid", APP, "--token", TOKEN])
        .args(["--listen", "127.0.0.1:0", "--format", "json"])
        .args(["--spool", path(&spool), "--record", path(&record)])
        .args(["--forward-to", &format!("http://{}/hook", app.address)]);
    let serving = Serving::spawn(command);
    let sent = send(&serving.url, &["--command", "AfterDestroyRoom"]);
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    serving.next_line();
    for file in [
        spool.clone(),
        dir.file("spool.db-wal"),
        dir.file("spool.db-shm"),
        record.clone(),
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    drop(serving);
    // A spool made readable by others (an older version, a copy) is made private again.
    std::fs::set_permissions(&spool, std::fs::Permissions::from_mode(0o644)).unwrap();
    let stats = run(&["spool", "--spool", path(&spool), "stats"]);
    assert!(stats.status.success(), "{}", text(&stats.stderr));
    assert_eq!(mode(&spool), 0o600);
}

#[test]
fn a_symbolic_link_or_another_programs_database_is_refused_and_left_unchanged() {
    let dir = TempDir::new("foreign");
    // Another program's SQLite database, marked with its own application id, and one
    // that is not marked but holds other tables.
    let marked = dir.file("app.db");
    let unmarked = dir.file("other.db");
    for (file, id) in [(&marked, 0x1234_5678), (&unmarked, 0)] {
        let db = rusqlite::Connection::open(file).unwrap();
        db.execute_batch(&format!(
            "PRAGMA application_id = {id}; CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('a');"
        ))
        .unwrap();
    }
    let link = dir.file("link.db");
    std::os::unix::fs::symlink(&marked, &link).unwrap();
    // A link to a real spool is refused too: it could be pointed anywhere later.
    let spool = dir.file("spool.db");
    drop(Serving::start(&[
        "--token",
        TOKEN,
        "--spool",
        path(&spool),
        "--forward-to",
        "http://127.0.0.1:9/hook",
    ]));
    let made = run(&["spool", "--spool", path(&spool), "stats"]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let spool_link = dir.file("spool-link.db");
    std::os::unix::fs::symlink(&spool, &spool_link).unwrap();

    let before = |file: &Path| std::fs::read(file).unwrap();
    let cases = [
        (&marked, "is not a spool"),
        (&unmarked, "is not a spool"),
        (&link, "symbolic link"),
        (&spool_link, "symbolic link"),
    ];
    for (file, why) in cases {
        let target = std::fs::canonicalize(file).unwrap();
        let bytes = before(&target);
        let stats = run(&["spool", "--spool", path(file), "stats"]);
        assert!(!stats.status.success(), "{}", file.display());
        let message = text(&stats.stderr);
        assert!(message.contains(why), "{}: {message}", file.display());
        let served = live_webhook()
            .args(["serve", "--sdkappid", APP, "--token", TOKEN])
            .args(["--listen", "127.0.0.1:0", "--spool", path(file)])
            .args(["--forward-to", "http://127.0.0.1:9/hook"])
            .output()
            .unwrap();
        assert!(!served.status.success(), "{}", file.display());
        assert!(
            text(&served.stderr).contains(why),
            "{}",
            text(&served.stderr)
        );
        assert_eq!(before(&target), bytes, "{} changed", file.display());
        assert!(!dir.file(&format!("{}-wal", file.display())).exists());
    }
}

#[test]
fn a_start_refused_for_its_admin_settings_leaves_no_spool_behind() {
    let dir = TempDir::new("refused");
    let spool = dir.file("spool.db");
    let refused = live_webhook()
        .env_remove("LIVE_WEBHOOK_ADMIN_TOKEN")
        .args(["serve", "--sdkappid", APP, "--token", TOKEN])
        .args(["--spool", path(&spool)])
        .args(["--forward-to", "http://127.0.0.1:9/hook"])
        .args(["--admin-listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("LIVE_WEBHOOK_ADMIN_TOKEN"));
    assert!(!spool.exists(), "a refused start created the spool");
    let bad_host = live_webhook()
        .args(["serve", "--sdkappid", APP, "--token", TOKEN])
        .args(["--spool", path(&spool)])
        .args(["--forward-to", "http://127.0.0.1:9/hook"])
        .args(["--admin-listen", "127.0.0.1:0", "--admin-host", "bad name"])
        .output()
        .unwrap();
    assert_eq!(
        bad_host.status.code(),
        Some(2),
        "{}",
        text(&bad_host.stderr)
    );
    assert!(!spool.exists());
}

#[test]
fn spool_options_go_before_or_after_the_action() {
    let dir = TempDir::new("order");
    let spool = dir.file("spool.db");
    drop(Serving::start(&[
        "--token",
        TOKEN,
        "--spool",
        path(&spool),
        "--forward-to",
        "http://127.0.0.1:9/hook",
    ]));
    let before = run(&[
        "spool",
        "--spool",
        path(&spool),
        "--format",
        "json",
        "stats",
    ]);
    let after = run(&[
        "spool",
        "stats",
        "--spool",
        path(&spool),
        "--format",
        "json",
        "--log-format",
        "json",
    ]);
    let mixed = run(&[
        "spool",
        "--format",
        "json",
        "stats",
        "--spool",
        path(&spool),
    ]);
    for output in [&before, &after, &mixed] {
        assert!(output.status.success(), "{}", text(&output.stderr));
        let stats: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(stats["pending"], 0, "{stats}");
    }
    let listed = run(&["spool", "list", "--state", "all", "--spool", path(&spool)]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let unnamed = live_webhook()
        .env_remove("LIVE_WEBHOOK_SPOOL")
        .args(["spool", "stats"])
        .output()
        .unwrap();
    assert_eq!(unnamed.status.code(), Some(2));
    assert!(text(&unnamed.stderr).contains("--spool PATH"));
}
