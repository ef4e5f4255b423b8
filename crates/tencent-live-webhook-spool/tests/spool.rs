//! The spool on a real SQLite file: durability, deduplication, group commit, delivery
//! order, retries, dead entries, limits.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencent_live_webhook::{Command, Token, Verifier, Webhook, signed_query};
use tencent_live_webhook_spool::*;

const APP: u64 = 1_400_000_000;
const NOW_S: u64 = 1_700_000_000;

/// A verified webhook of `command` with `body`, and its query.
fn webhook(command: Command, body: &str) -> (Webhook, String) {
    let token = Token::new("spool-test").unwrap();
    let query = signed_query(APP, &command, &token, NOW_S);
    let webhook = Verifier::new()
        .app(APP, [token])
        .verify(&query, NOW_S)
        .unwrap()
        .decode(body.as_bytes())
        .unwrap();
    (webhook, query)
}

/// A room-destroyed webhook for `room`, made unique by `n`.
fn destroyed(room: &str, n: u32) -> (Webhook, String, String) {
    let body = format!(
        r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"{room}","EventTime":{n}}}"#
    );
    let (webhook, query) = webhook(Command::AfterDestroyRoom, &body);
    (webhook, query, body)
}

/// The notification of a verified webhook, received at `at_ms`.
fn live(webhook: Webhook, query: &str, body: &[u8], at_ms: u64) -> Notification {
    Notification::live(webhook, query.to_owned(), body.to_vec(), at_ms).unwrap()
}

fn fast() -> SpoolConfig {
    SpoolConfig::default()
        .poll_interval(Duration::from_millis(10))
        .retry_schedule("20ms,20ms".parse().unwrap())
        .delivery_timeout(Duration::from_secs(5))
}

async fn append(spool: &Spool, room: &str, n: u32, at_ms: u64) -> Appended {
    let (webhook, query, body) = destroyed(room, n);
    spool
        .append(&live(webhook, &query, body.as_bytes(), at_ms))
        .await
        .unwrap()
}

/// Waits (at most 20 s) until `done` says so.
async fn until(mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..2000 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("not reached within 20 s");
}

/// Runs the worker with `destination` until the returned sender is dropped.
fn worker<D: Destination>(
    spool: &Spool,
    destination: D,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let spool = spool.clone();
    let running = tokio::spawn(async move {
        spool
            .deliver(destination, async {
                let _ = stopped.await;
            })
            .await;
    });
    (stop, running)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_webhook_is_stored_once_within_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::open(
        dir.path().join("s.db"),
        fast().dedup_window(Duration::from_secs(600)),
    )
    .unwrap();
    let first = append(&spool, "r1", 1, 1_000_000).await;
    let again = append(&spool, "r1", 1, 1_000_000 + 599_000).await;
    assert!(!first.duplicate);
    assert!(again.duplicate);
    assert_eq!(first.id, again.id);
    // Past the window, it is a new webhook.
    let later = append(&spool, "r1", 1, 1_000_000 + 601_000).await;
    assert!(!later.duplicate);
    let other = append(&spool, "r1", 2, 1_000_000).await;
    assert!(!other.duplicate);
    assert_ne!(other.id, first.id);
    let stats = spool.stats().await.unwrap();
    assert_eq!(stats.pending, 3);
    let counters = spool.counters();
    assert_eq!((counters.stored, counters.duplicates), (3, 1));
}

/// A spool whose clock reads `now_ms`.
fn at(now_ms: u64) -> SpoolConfig {
    fast()
        .dedup_window(Duration::from_secs(600))
        .clock(Arc::new(move || now_ms))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let now = 1_000_000_000;
    {
        let spool = Spool::open(&path, at(now)).unwrap();
        assert!(!append(&spool, "r1", 1, now - 700_000).await.duplicate);
        assert!(!append(&spool, "r1", 2, now - 100_000).await.duplicate);
    }
    let spool = Spool::open(&path, at(now)).unwrap();
    // Received within the window before the restart: a duplicate.
    assert!(append(&spool, "r1", 2, now).await.duplicate);
    // Received before the window: stored again.
    assert!(!append(&spool, "r1", 1, now).await.duplicate);
    assert_eq!(spool.stats().await.unwrap().pending, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_another_connection_appended_is_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let now = 1_000_000_000;
    let first = Spool::open(&path, at(now)).unwrap();
    let second = Spool::open(&path, at(now)).unwrap();
    // The second opened before the first appended: it learns of it at its next write.
    assert!(!append(&first, "r1", 1, now).await.duplicate);
    assert!(append(&second, "r1", 1, now + 1).await.duplicate);
    assert!(!append(&second, "r1", 2, now + 1).await.duplicate);
    assert!(append(&first, "r1", 2, now + 2).await.duplicate);
    assert_eq!(second.stats().await.unwrap().pending, 2);
    assert_eq!(second.counters().pending, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_webhook_appended_at_once_many_times_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::open(dir.path().join("s.db"), fast()).unwrap();
    let appends = (0..50).map(|_| {
        let spool = spool.clone();
        async move { append(&spool, "r", 7, 1).await }
    });
    let results = futures_join_all(appends).await;
    assert_eq!(
        results
            .iter()
            .filter(|appended| !appended.duplicate)
            .count(),
        1
    );
    assert_eq!(spool.counters().stored, 1);
    assert_eq!(spool.stats().await.unwrap().pending, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_older_than_the_window_is_still_found_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let now = 1_000_000_000;
    let old = append(
        &Spool::open(&path, at(now)).unwrap(),
        "r1",
        1,
        now - 3_600_000,
    )
    .await
    .id;
    let spool = Spool::open(&path, at(now)).unwrap();
    for n in 2..20 {
        append(&spool, "r1", n, now).await;
    }
    let shown = spool.show(&old).await.unwrap();
    assert_eq!(shown.summary.id, old);
    assert_eq!(event_time(&shown.body), 1);
    spool.retry(std::slice::from_ref(&old)).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appends_that_arrive_together_share_one_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let spool = Spool::open(&path, fast()).unwrap();
    // Another connection holds the write lock while the appends arrive (as a busy disk
    // would), so that they are all waiting when the spool's thread gets its turn.
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        holder.execute_batch("COMMIT").unwrap();
    });
    let appends = (0..400).map(|n| {
        let spool = spool.clone();
        async move { append(&spool, "r", n, 1).await }
    });
    let results = futures_join_all(appends).await;
    release.join().unwrap();
    assert!(results.iter().all(|appended| !appended.duplicate));
    let counters = spool.counters();
    assert_eq!(counters.stored, 400);
    assert_eq!(counters.pending, 400);
    // The first append's transaction waited for the lock; the others share the next.
    assert!(
        counters.syncs <= 3,
        "{} syncs for 400 appends",
        counters.syncs
    );
}

/// Polls every future in one task, so that all are under way at once.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for future in futures {
        set.push(Box::pin(future));
    }
    let mut outputs: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|context| {
        let mut pending = false;
        for (future, output) in set.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(context) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_survive_a_restart_and_are_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut ids = Vec::new();
    {
        let spool = Spool::open(&path, fast()).unwrap();
        for n in 0..5 {
            ids.push(append(&spool, &format!("room{n}"), n, 10).await.id);
        }
    }
    let spool = Spool::open(&path, fast()).unwrap();
    assert_eq!(spool.stats().await.unwrap().pending, 5);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let (stop, running) = worker(&spool, move |attempt: Attempt| {
        let log = Arc::clone(&log);
        async move {
            let webhook = attempt.envelope.decode().unwrap();
            assert!(
                webhook
                    .event()
                    .unwrap()
                    .room_id()
                    .unwrap()
                    .starts_with("room")
            );
            log.lock().unwrap().push(attempt.envelope.id().to_owned());
            Outcome::Delivered { status: Some(200) }
        }
    });
    until(async || spool.stats().await.unwrap().delivered == 5).await;
    drop(stop);
    running.await.unwrap();
    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    ids.sort();
    assert_eq!(seen, ids);
    let shown = spool.show(&ids[0]).await.unwrap();
    assert_eq!(shown.summary.state, EntryState::Delivered);
    assert_eq!(shown.history.len(), 1);
    assert!(shown.history[0].delivered);
    assert_eq!(shown.history[0].status, Some(200));
    assert!(shown.body.contains("\"room"));
}

/// Every attempt's event time, in the order the destination saw them, and which of them
/// delivered; the destination fails (or panics on) `bad` the first time it sees it.
type Seen = Arc<Mutex<Vec<(u64, bool)>>>;

fn failing_once(bad: u64, panic: bool) -> (Seen, impl Destination) {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let tripped = Arc::new(AtomicU32::new(0));
    let destination = move |attempt: Attempt| {
        let log = Arc::clone(&log);
        let tripped = Arc::clone(&tripped);
        async move {
            let time = event_time(attempt.envelope.body());
            let fails = time == bad && tripped.fetch_add(1, Ordering::SeqCst) == 0;
            log.lock().unwrap().push((time, !fails));
            if fails {
                assert!(!panic, "a bug in the destination");
                return Outcome::failed("app restarting");
            }
            Outcome::Delivered { status: None }
        }
    };
    (seen, destination)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_handed_over_in_a_run_stops_at_a_failure_and_keeps_its_order() {
    for panic in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::open(dir.path().join("s.db"), fast().concurrency(1)).unwrap();
        for n in 0..60 {
            append(&spool, "A", n, 100 + u64::from(n)).await;
        }
        let (seen, destination) = failing_once(37, panic);
        let (stop, running) = worker(&spool, destination);
        until(async || spool.stats().await.unwrap().delivered == 60).await;
        drop(stop);
        running.await.unwrap();
        let seen = seen.lock().unwrap().clone();
        // Each delivered once, in order; 37 failed once, and nothing after it was tried
        // before it was delivered.
        let delivered: Vec<u64> = seen.iter().filter(|(_, ok)| *ok).map(|(n, _)| *n).collect();
        assert_eq!(delivered, (0..60).collect::<Vec<_>>(), "panic: {panic}");
        assert_eq!(seen.len(), 61, "panic: {panic}");
        let failed = seen.iter().position(|attempt| !attempt.1).unwrap();
        assert_eq!(seen[failed].0, 37);
        assert_eq!(seen[failed + 1].0, 37);
        let stats = spool.stats().await.unwrap();
        assert_eq!((stats.pending, stats.dead), (0, 0));
        let thirty_seven = spool
            .list(Some(EntryState::Delivered), 100)
            .await
            .unwrap()
            .into_iter()
            .find(|entry| entry.attempts == 2)
            .expect("one entry took two attempts");
        let history = spool.show(&thirty_seven.id).await.unwrap().history;
        let expected = if panic {
            "the destination panicked"
        } else {
            "app restarting"
        };
        assert_eq!(history[0].error.as_deref(), Some(expected));
        assert!(history[1].delivered);
        let counters = spool.counters();
        assert_eq!((counters.delivered, counters.failed), (60, 1));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_room_is_delivered_in_order_even_when_its_first_attempt_fails() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::open(dir.path().join("s.db"), fast().concurrency(8)).unwrap();
    // Room A: three webhooks; room B: one; then a webhook with no room.
    for n in 0..3 {
        append(&spool, "A", n, 100 + u64::from(n)).await;
    }
    append(&spool, "B", 10, 200).await;
    let (threshold, query) = webhook(
        Command::AfterCreateRoomReachingThreshold,
        r#"{"CallbackCommand":"Live.CallbackAfterCreateRoomReachingThreshold","CurRoomCount":9,"MaxRoomCount":10}"#,
    );
    spool
        .append(&live(threshold, &query, threshold_body().as_bytes(), 300))
        .await
        .unwrap();
    let order = Arc::new(Mutex::new(Vec::new()));
    let failed_once = Arc::new(AtomicU32::new(0));
    let log = Arc::clone(&order);
    let failures = Arc::clone(&failed_once);
    let (stop, running) = worker(&spool, move |attempt: Attempt| {
        let log = Arc::clone(&log);
        let failures = Arc::clone(&failures);
        async move {
            let webhook = attempt.envelope.decode().unwrap();
            let event = webhook.event().unwrap();
            let label = match event.room_id() {
                Some(room) => format!("{room}{}", event_time(attempt.envelope.body())),
                None => "none".to_owned(),
            };
            if label == "A0" && failures.fetch_add(1, Ordering::SeqCst) == 0 {
                return Outcome::failed("app restarting");
            }
            log.lock().unwrap().push(label);
            Outcome::Delivered { status: None }
        }
    });
    until(async || spool.stats().await.unwrap().delivered == 5).await;
    drop(stop);
    running.await.unwrap();
    let order = order.lock().unwrap().clone();
    let position = |label: &str| order.iter().position(|seen| seen == label).unwrap();
    assert!(position("A0") < position("A1"), "{order:?}");
    assert!(position("A1") < position("A2"), "{order:?}");
    // B and the room-less webhook did not wait for room A's retry.
    assert!(position("B10") < position("A0"), "{order:?}");
    assert!(position("none") < position("A0"), "{order:?}");
    let a0 = spool.list(Some(EntryState::Delivered), 10).await.unwrap();
    let first = a0
        .iter()
        .find(|entry| entry.room.as_deref() == Some("A") && entry.attempts == 2)
        .expect("A0 took two attempts");
    assert_eq!(first.last_error, None);
    let shown = spool.show(&first.id).await.unwrap();
    assert_eq!(shown.history.len(), 2);
    assert_eq!(shown.history[0].error.as_deref(), Some("app restarting"));
    assert!(!shown.history[0].delivered);
}

fn threshold_body() -> String {
    r#"{"CallbackCommand":"Live.CallbackAfterCreateRoomReachingThreshold","CurRoomCount":9,"MaxRoomCount":10}"#.to_owned()
}

fn event_time(body: &str) -> u64 {
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    value["EventTime"].as_u64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_dies_after_the_schedule_and_comes_back_on_retry() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::open(dir.path().join("s.db"), fast()).unwrap();
    let id = append(&spool, "r", 1, 5).await.id;
    let app_up = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let up = Arc::clone(&app_up);
    let (stop, running) = worker(&spool, move |_attempt: Attempt| {
        let up = up.load(Ordering::SeqCst);
        async move {
            if up {
                Outcome::Delivered { status: Some(200) }
            } else {
                Outcome::Failed {
                    status: Some(502),
                    error: "the app answered HTTP 502".into(),
                }
            }
        }
    });
    until(async || spool.stats().await.unwrap().dead == 1).await;
    let dead = spool.show(&id).await.unwrap();
    // The first attempt and one per delay of "20ms,20ms".
    assert_eq!(dead.summary.attempts, 3);
    assert_eq!(dead.summary.last_status, Some(502));
    assert_eq!(dead.summary.next_attempt_at_ms, None);
    assert_eq!(spool.counters().dead, 1);
    // The worker counts a death once its record is committed, which `stats` may read first.
    until(async || spool.counters().died == 1).await;
    app_up.store(true, Ordering::SeqCst);
    assert_eq!(spool.retry_dead().await.unwrap(), 1);
    until(async || spool.stats().await.unwrap().delivered == 1).await;
    let delivered = spool.show(&id).await.unwrap();
    assert_eq!(delivered.summary.attempts, 4);
    assert_eq!(delivered.history.len(), 4);
    assert!(delivered.history[3].delivered);
    assert_eq!(spool.purge(Purge::Dead, None).await.unwrap(), 0);
    assert_eq!(
        spool
            .purge(Purge::Delivered, Some(Duration::from_secs(3600)))
            .await
            .unwrap(),
        0
    );
    assert_eq!(spool.purge(Purge::Delivered, None).await.unwrap(), 1);
    assert!(matches!(
        spool.show(&id).await,
        Err(SpoolError::NotFound(_))
    ));
    drop(stop);
    running.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_of_an_unknown_id_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::open(dir.path().join("s.db"), fast()).unwrap();
    let id = append(&spool, "r", 1, 5).await.id;
    let error = spool
        .retry(&[id.clone(), "f00d".to_owned()])
        .await
        .unwrap_err();
    assert_eq!(error, SpoolError::NotFound("f00d".into()));
    assert_eq!(error.to_string(), "no entry with id f00d");
    spool.retry(&[id]).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_or_panicking_destination_is_a_failed_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let config = fast()
        .retry_schedule(RetrySchedule::new([]))
        .delivery_timeout(Duration::from_millis(50));
    let spool = Spool::open(dir.path().join("s.db"), config).unwrap();
    let slow = append(&spool, "slow", 1, 5).await.id;
    let panicking = append(&spool, "panics", 2, 5).await.id;
    let (stop, running) = worker(&spool, move |attempt: Attempt| async move {
        assert!(
            !attempt.envelope.body().contains("panics"),
            "a bug in the destination"
        );
        tokio::time::sleep(Duration::from_secs(30)).await;
        Outcome::Delivered { status: None }
    });
    until(async || spool.stats().await.unwrap().dead == 2).await;
    drop(stop);
    running.await.unwrap();
    let slow = spool.show(&slow).await.unwrap().summary;
    assert_eq!(slow.last_error.as_deref(), Some("no answer within 50ms"));
    let panicking = spool.show(&panicking).await.unwrap().summary;
    assert_eq!(
        panicking.last_error.as_deref(),
        Some("the destination panicked")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appends_are_refused_past_max_pending() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::open(dir.path().join("s.db"), fast().max_pending(3)).unwrap();
    for n in 0..3 {
        append(&spool, "r", n, 5).await;
    }
    let (webhook, query, body) = destroyed("r", 99);
    let refused = spool
        .append(&live(webhook, &query, body.as_bytes(), 5))
        .await
        .unwrap_err();
    assert_eq!(refused, AppendError::Full { max_pending: 3 });
    assert_eq!(refused.status(), 503);
    // A duplicate of something stored is still recognised.
    assert!(append(&spool, "r", 0, 6).await.duplicate);
    assert_eq!(spool.stats().await.unwrap().pending, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spool_that_cannot_grow_refuses_and_says_it_is_not_writable() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::open(dir.path().join("s.db"), fast().max_bytes(64 * 1024)).unwrap();
    assert!(spool.counters().writable);
    let padding = "x".repeat(3000);
    let mut refused = None;
    for n in 0..200 {
        let body = format!(
            r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r","Pad":"{padding}{n}"}}"#
        );
        let (webhook, query) = webhook(Command::AfterDestroyRoom, &body);
        if let Err(error) = spool
            .append(&live(webhook, &query, body.as_bytes(), 5))
            .await
        {
            refused = Some(error);
            break;
        }
    }
    let refused = refused.expect("a 64 KiB spool fills up");
    assert!(
        matches!(&refused, AppendError::Unwritable(reason) if reason.contains("disk full")),
        "{refused}"
    );
    assert!(!spool.counters().writable);
    // What was stored before is still there and readable.
    assert!(spool.stats().await.unwrap().pending > 0);
}

#[tokio::test]
async fn a_file_that_is_not_a_spool_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    std::fs::write(&path, b"this is not a database, just some text long enough").unwrap();
    let error = Spool::open(&path, SpoolConfig::default()).unwrap_err();
    assert!(
        error.to_string().starts_with("cannot open the spool: "),
        "{error}"
    );
    let missing = Spool::open(dir.path().join("no/such/dir/s.db"), SpoolConfig::default());
    assert!(missing.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_outage_the_first_probe_that_delivers_makes_everything_due_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // Retries an hour apart: without probing, the backlog would wait for them.
    let spool = Spool::open(
        dir.path().join("s.db"),
        SpoolConfig::default()
            .poll_interval(Duration::from_millis(10))
            .retry_schedule("1h,1h,1h".parse().unwrap())
            .probe_interval(Duration::from_millis(100))
            .delivery_timeout(Duration::from_secs(5)),
    )
    .unwrap();
    let up = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let attempts = Arc::new(AtomicU32::new(0));
    let (stop, running) = {
        let up = Arc::clone(&up);
        let attempts = Arc::clone(&attempts);
        worker(&spool, move |_: Attempt| {
            let up = up.load(Ordering::SeqCst);
            attempts.fetch_add(1, Ordering::SeqCst);
            async move {
                if up {
                    Outcome::Delivered { status: Some(200) }
                } else {
                    Outcome::Failed {
                        status: Some(503),
                        error: "the app answered HTTP 503".into(),
                    }
                }
            }
        })
    };
    // Five rooms, two webhooks each: every first attempt fails, the next is an hour away.
    let mut ids = Vec::new();
    for n in 0..10 {
        ids.push(append(&spool, &format!("room{}", n % 5), n, 10).await.id);
    }
    // Each room's first entry fails once; its next attempt is an hour away.
    let heads = |spool: &Spool| {
        let spool = spool.clone();
        async move {
            let pending = spool.list(Some(EntryState::Pending), 20).await.unwrap();
            pending
                .into_iter()
                .filter(|entry| entry.attempts >= 1)
                .map(|entry| (entry.id, entry.next_attempt_at_ms))
                .collect::<std::collections::BTreeMap<_, _>>()
        }
    };
    until(async || heads(&spool).await.len() == 5).await;
    let scheduled = heads(&spool).await;
    // The destination is probed meanwhile: each failed probe is in an entry's history,
    // and changes no entry's schedule.
    let failed_before = spool.counters().failed;
    until(async || spool.counters().failed >= failed_before + 3).await;
    assert_eq!(heads(&spool).await, scheduled);
    let probed: usize = {
        let mut probed = 0;
        for id in scheduled.keys() {
            probed += spool
                .show(id)
                .await
                .unwrap()
                .history
                .len()
                .saturating_sub(1);
        }
        probed
    };
    assert!(probed >= 3, "the probes are in the history: {probed}");
    // Back: everything is delivered within moments, not hours, room by room in order.
    up.store(true, Ordering::SeqCst);
    until(async || spool.stats().await.unwrap().delivered == 10).await;
    assert_eq!(spool.stats().await.unwrap().pending, 0);
    assert_eq!(spool.stats().await.unwrap().dead, 0);
    drop(stop);
    running.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_pending_and_all_make_entries_due_now() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::open(
        dir.path().join("s.db"),
        SpoolConfig::default()
            .poll_interval(Duration::from_millis(10))
            .retry_schedule("1h".parse().unwrap())
            .probe_interval(Duration::from_secs(3600))
            .delivery_timeout(Duration::from_secs(5)),
    )
    .unwrap();
    let failing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let (stop, running) = {
        let failing = Arc::clone(&failing);
        worker(&spool, move |_: Attempt| {
            let failing = failing.load(Ordering::SeqCst);
            async move {
                if failing {
                    Outcome::failed("down")
                } else {
                    Outcome::Delivered { status: None }
                }
            }
        })
    };
    for n in 0..4 {
        append(&spool, &format!("r{n}"), n, 10).await;
    }
    // Each fails once (pending, an hour away), then once more: dead. (Waits are on the
    // entries, not on the failure counter, which probes add to.)
    let failed_once = async |spool: &Spool, wanted: usize| {
        until(async || {
            let pending = spool.list(Some(EntryState::Pending), 10).await.unwrap();
            pending.iter().filter(|entry| entry.attempts == 1).count() == wanted
        })
        .await;
    };
    failed_once(&spool, 4).await;
    assert_eq!(spool.retry_pending().await.unwrap(), 4);
    until(async || spool.stats().await.unwrap().dead == 4).await;
    assert_eq!(spool.retry_pending().await.unwrap(), 0, "nothing pending");
    append(&spool, "late", 99, 10).await;
    failed_once(&spool, 1).await;
    // Four dead and one pending an hour away: all of them due now, and delivered.
    failing.store(false, Ordering::SeqCst);
    assert_eq!(spool.retry_all().await.unwrap(), 5);
    until(async || spool.stats().await.unwrap().delivered == 5).await;
    drop(stop);
    running.await.unwrap();
}
