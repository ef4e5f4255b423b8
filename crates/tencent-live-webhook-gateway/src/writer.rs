//! The one writer of standard output. Request handlers hand it whole lines through a
//! bounded queue and wait (asynchronously, never blocking a thread) until their line is
//! written, so a webhook is acknowledged only once its line is out, and a reader that
//! stalls costs 503s, not a frozen server.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

/// Why a line was not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The queue is full, or the line was not written in time: the reader is slower than
    /// the webhooks arrive, or has stopped. The line will not be written.
    Lagging,
    /// The output is gone (the reader exited, or a write failed).
    Closed,
}

/// A line's progress: the writer claims it, or its sender gives up on it first.
const PENDING: u8 = 0;
const CLAIMED: u8 = 1;
const ABANDONED: u8 = 2;

struct Entry {
    line: String,
    state: Arc<AtomicU8>,
    written: oneshot::Sender<bool>,
}

/// Says whether the output can take a line of up to [`DIRECT_MAX`] bytes right now
/// without blocking (for standard output: `poll`).
pub(crate) type ReadyCheck = Box<dyn Fn() -> bool + Send + Sync>;

/// The longest line written from the request's own thread: the size a pipe with any room
/// left takes whole without blocking (`PIPE_BUF`).
const DIRECT_MAX: usize = 4096;

/// The output, shared by the writer thread and (when it can take a line at once) the
/// request handlers.
struct Output {
    out: Mutex<Box<dyn Write + Send>>,
    /// Lines queued and not yet written or skipped: while there are any, a handler does not
    /// write itself, so lines keep their order.
    pending: AtomicUsize,
    ready: Option<ReadyCheck>,
}

/// Writes whole lines, in order. A line goes straight out from the request's thread when
/// the output can take it at once; otherwise a thread writes it, through a bounded queue.
pub(crate) struct LineWriter {
    queue: SyncSender<Entry>,
    output: Arc<Output>,
    broken: Arc<AtomicBool>,
    stalled: AtomicBool,
    deadline: Duration,
}

/// Waits for the writer thread at shutdown.
pub(crate) struct Flush {
    done: Receiver<()>,
}

impl LineWriter {
    /// A writer to `out` holding at most `capacity` lines not yet written; a line not
    /// written within `deadline` is given up.
    ///
    /// With `ready`, a short line is written from the caller's thread when nothing is
    /// queued and `ready` says the output can take it without blocking.
    pub(crate) fn spawn(
        out: impl Write + Send + 'static,
        ready: Option<ReadyCheck>,
        capacity: usize,
        deadline: Duration,
    ) -> io::Result<(LineWriter, Flush)> {
        let (queue, entries) = mpsc::sync_channel::<Entry>(capacity);
        let (done_sender, done) = mpsc::sync_channel(1);
        let broken = Arc::new(AtomicBool::new(false));
        let writer_broken = Arc::clone(&broken);
        let output = Arc::new(Output {
            out: Mutex::new(Box::new(out)),
            pending: AtomicUsize::new(0),
            ready,
        });
        let writer_output = Arc::clone(&output);
        thread::Builder::new()
            .name("stdout-writer".into())
            .spawn(move || {
                write_lines(&writer_output, &entries, &writer_broken);
                let _ = done_sender.send(());
            })?;
        let writer = LineWriter {
            queue,
            output,
            broken,
            stalled: AtomicBool::new(false),
            deadline,
        };
        Ok((writer, Flush { done }))
    }

    /// Writes one line (a newline is added); returns once it is written.
    pub(crate) async fn write(&self, mut line: String) -> Result<(), Refused> {
        if self.broken.load(Ordering::Acquire) {
            return Err(Refused::Closed);
        }
        line.push('\n');
        if let Some(written) = self.write_now(&line) {
            return written;
        }
        let state = Arc::new(AtomicU8::new(PENDING));
        let (written, outcome) = oneshot::channel();
        let entry = Entry {
            line,
            state: Arc::clone(&state),
            written,
        };
        self.output.pending.fetch_add(1, Ordering::AcqRel);
        match self.queue.try_send(entry) {
            Ok(()) => {}
            Err(error) => {
                self.output.pending.fetch_sub(1, Ordering::AcqRel);
                return Err(match error {
                    TrySendError::Full(_) => self.lagging(),
                    TrySendError::Disconnected(_) => Refused::Closed,
                });
            }
        }
        let mut outcome = outcome;
        let first = tokio::time::timeout(self.deadline, &mut outcome).await;
        let written = match first {
            Ok(written) => written,
            Err(_elapsed) => {
                let abandoned = state
                    .compare_exchange(PENDING, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok();
                if abandoned {
                    // Never to be written: the sender may safely send it again.
                    return Err(self.lagging());
                }
                // The writer has it: it is being written. Wait once more; if it is still
                // not out, the reader is stuck mid-write and the line may yet appear, so
                // sending again could print it twice (handlers are idempotent).
                match tokio::time::timeout(self.deadline, &mut outcome).await {
                    Ok(written) => written,
                    Err(_elapsed) => return Err(self.lagging()),
                }
            }
        };
        match written {
            Ok(true) => {
                self.recovered();
                Ok(())
            }
            Ok(false) | Err(_) => Err(Refused::Closed),
        }
    }

    /// Queues one line (a newline is added) without waiting for it: for output that is
    /// not what a webhook's answer waits for. A line that does not fit the queue is
    /// dropped (`Lagging`).
    pub(crate) fn offer(&self, mut line: String) -> Result<(), Refused> {
        if self.broken.load(Ordering::Acquire) {
            return Err(Refused::Closed);
        }
        line.push('\n');
        if let Some(written) = self.write_now(&line) {
            return written;
        }
        // Nobody waits for the outcome: the writer's message goes nowhere.
        let (written, _outcome) = oneshot::channel();
        let entry = Entry {
            line,
            state: Arc::new(AtomicU8::new(PENDING)),
            written,
        };
        self.output.pending.fetch_add(1, Ordering::AcqRel);
        match self.queue.try_send(entry) {
            Ok(()) => Ok(()),
            Err(error) => {
                self.output.pending.fetch_sub(1, Ordering::AcqRel);
                Err(match error {
                    TrySendError::Full(_) => self.lagging(),
                    TrySendError::Disconnected(_) => Refused::Closed,
                })
            }
        }
    }

    /// Writes `line` from this thread if that cannot block: nothing queued before it, the
    /// output free and ready, the line short. `None` when the queue must take it.
    fn write_now(&self, line: &str) -> Option<Result<(), Refused>> {
        let ready = self.output.ready.as_ref()?;
        if line.len() > DIRECT_MAX || self.output.pending.load(Ordering::Acquire) != 0 {
            return None;
        }
        let mut out = self.output.out.try_lock().ok()?;
        if self.output.pending.load(Ordering::Acquire) != 0 || !ready() {
            return None;
        }
        let result = out.write_all(line.as_bytes()).and_then(|()| out.flush());
        drop(out);
        Some(match result {
            Ok(()) => {
                self.recovered();
                Ok(())
            }
            Err(error) => {
                self.broken.store(true, Ordering::Release);
                tracing::error!(%error, "standard output failed: webhooks are refused from now on");
                Err(Refused::Closed)
            }
        })
    }

    fn recovered(&self) {
        if self.stalled.swap(false, Ordering::Relaxed) {
            tracing::warn!("standard output is being read again");
        }
    }

    fn lagging(&self) -> Refused {
        // One line when the reader stalls, not one per webhook.
        if !self.stalled.swap(true, Ordering::Relaxed) {
            tracing::warn!("standard output is not being read: answering webhooks 503 until it is");
        }
        Refused::Lagging
    }
}

/// The writer thread: takes every line queued meanwhile, writes them in one go, then tells
/// each sender; lines given up before they were taken are skipped.
fn write_lines(output: &Output, entries: &Receiver<Entry>, broken: &AtomicBool) {
    let mut batch = String::new();
    let mut senders = Vec::new();
    while let Ok(first) = entries.recv() {
        batch.clear();
        senders.clear();
        let mut taken = 0;
        for entry in std::iter::once(first).chain(entries.try_iter()) {
            taken += 1;
            let claimed = entry
                .state
                .compare_exchange(PENDING, CLAIMED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok();
            if claimed {
                batch.push_str(&entry.line);
                senders.push(entry.written);
            }
        }
        let result = if batch.is_empty() {
            Ok(())
        } else {
            let mut out = output.out.lock().unwrap_or_else(PoisonError::into_inner);
            out.write_all(batch.as_bytes()).and_then(|()| out.flush())
        };
        // Only now may a handler write past these lines.
        output.pending.fetch_sub(taken, Ordering::AcqRel);
        let ok = result.is_ok();
        for sender in senders.drain(..) {
            let _ = sender.send(ok);
        }
        if let Err(error) = result {
            broken.store(true, Ordering::Release);
            tracing::error!(%error, "standard output failed: webhooks are refused from now on");
            break;
        }
    }
    // Whatever is still queued will never be written: tell its senders at once.
    while let Ok(entry) = entries.try_recv() {
        output.pending.fetch_sub(1, Ordering::AcqRel);
        let _ = entry.written.send(false);
    }
}

/// Whether standard output can take a line of up to [`DIRECT_MAX`] bytes without blocking:
/// `poll` with no wait. `None` (never write directly) on a terminal, whose output can be
/// held (Ctrl-S) with room left, and where `poll` is not available.
pub(crate) fn stdout_ready_check() -> Option<ReadyCheck> {
    #[cfg(unix)]
    {
        use std::io::IsTerminal;
        if io::stdout().is_terminal() {
            return None;
        }
        Some(Box::new(|| {
            use rustix::event::{PollFd, PollFlags, Timespec, poll};
            let stdout = io::stdout();
            let mut fds = [PollFd::new(&stdout, PollFlags::OUT)];
            let now = Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            matches!(poll(&mut fds, Some(&now)), Ok(1)) && fds[0].revents().contains(PollFlags::OUT)
        }))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

impl Flush {
    /// Waits until every queued line is written (the writer must have been dropped), for
    /// at most `deadline`. Returns whether all were written.
    pub(crate) fn wait(self, deadline: Duration) -> bool {
        let until = Instant::now() + deadline;
        match self
            .done
            .recv_timeout(until.saturating_duration_since(Instant::now()))
        {
            Ok(()) | Err(RecvTimeoutError::Disconnected) => true,
            Err(RecvTimeoutError::Timeout) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output that holds every write until released, then keeps what it got.
    #[derive(Clone)]
    struct Gate {
        open: Arc<(Mutex<bool>, std::sync::Condvar)>,
        got: Arc<Mutex<Vec<u8>>>,
        /// The name of the thread that made each write.
        by: Arc<Mutex<Vec<String>>>,
        /// Set once a write has started (and is perhaps held).
        entered: Arc<AtomicBool>,
    }

    impl Gate {
        fn new() -> Gate {
            Gate {
                open: Arc::new((Mutex::new(false), std::sync::Condvar::new())),
                got: Arc::default(),
                by: Arc::default(),
                entered: Arc::default(),
            }
        }
        fn release(&self) {
            *self.open.0.lock().unwrap() = true;
            self.open.1.notify_all();
        }
        fn text(&self) -> String {
            String::from_utf8(self.got.lock().unwrap().clone()).unwrap()
        }
    }

    impl Write for Gate {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.entered.store(true, Ordering::SeqCst);
            let mut open = self.open.0.lock().unwrap();
            while !*open {
                open = self.open.1.wait(open).unwrap();
            }
            self.got.lock().unwrap().extend_from_slice(bytes);
            self.by
                .lock()
                .unwrap()
                .push(thread::current().name().unwrap_or("").to_owned());
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn a_line_given_up_before_the_writer_took_it_is_never_written() {
        let gate = Gate::new();
        let (writer, flush) =
            LineWriter::spawn(gate.clone(), None, 4, Duration::from_millis(100)).unwrap();
        block_on(async {
            // The writer takes this one and blocks on the stalled reader: it may still
            // come out, so it is answered as lagging after waiting twice.
            assert_eq!(writer.write("taken".into()).await, Err(Refused::Lagging));
            // This one waits in the queue behind it and is given up: never written.
            assert_eq!(writer.write("given up".into()).await, Err(Refused::Lagging));
        });
        gate.release();
        block_on(async {
            assert_eq!(writer.write("after".into()).await, Ok(()));
        });
        drop(writer);
        assert!(flush.wait(Duration::from_secs(10)));
        assert_eq!(gate.text(), "taken\nafter\n");
    }

    #[test]
    fn a_full_queue_refuses_at_once_and_what_it_took_is_written_once() {
        let gate = Gate::new();
        let (writer, flush) =
            LineWriter::spawn(gate.clone(), None, 2, Duration::from_secs(30)).unwrap();
        let results = block_on(async {
            let first = writer.write("w0".into());
            let rest = async {
                // Once the writer is held at the gate with the first line, the queue takes
                // two more and refuses the other seven at once.
                while !gate.entered.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                let writes: Vec<_> = (1..10).map(|n| writer.write(format!("w{n}"))).collect();
                let release = async {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    gate.release();
                };
                tokio::join!(futures_util::future::join_all(writes), release).0
            };
            let (first, mut rest) = tokio::join!(first, rest);
            rest.insert(0, first);
            rest
        });
        drop(writer);
        assert!(flush.wait(Duration::from_secs(10)));
        let refused = results
            .iter()
            .filter(|r| **r == Err(Refused::Lagging))
            .count();
        assert_eq!(refused, 7, "{results:?}");
        let written = results
            .iter()
            .enumerate()
            .filter(|(_, result)| result.is_ok())
            .map(|(n, _)| format!("w{n}\n"))
            .collect::<Vec<_>>()
            .concat();
        assert_eq!(gate.text(), written);
    }

    #[test]
    fn lines_come_out_whole_and_in_order() {
        let gate = Gate::new();
        gate.release();
        let (writer, flush) =
            LineWriter::spawn(gate.clone(), None, 64, Duration::from_secs(10)).unwrap();
        block_on(async {
            let writes: Vec<_> = (0..50).map(|n| writer.write(format!("line {n}"))).collect();
            for result in futures_util::future::join_all(writes).await {
                assert_eq!(result, Ok(()));
            }
        });
        drop(writer);
        assert!(flush.wait(Duration::from_secs(10)));
        let wanted = (0..50)
            .map(|n| format!("line {n}\n"))
            .collect::<Vec<_>>()
            .concat();
        assert_eq!(gate.text(), wanted);
    }

    #[test]
    fn a_short_line_goes_straight_out_when_the_output_is_ready_and_nothing_waits() {
        let gate = Gate::new();
        gate.release();
        let ready = Arc::new(AtomicBool::new(true));
        let check = Arc::clone(&ready);
        let (writer, flush) = LineWriter::spawn(
            gate.clone(),
            Some(Box::new(move || check.load(Ordering::SeqCst))),
            8,
            Duration::from_secs(10),
        )
        .unwrap();
        let here = thread::current().name().unwrap_or("").to_owned();
        block_on(async {
            writer.write("direct".into()).await.unwrap();
            writer.write("x".repeat(DIRECT_MAX)).await.unwrap(); // with its newline, too long
            ready.store(false, Ordering::SeqCst);
            writer.write("not ready".into()).await.unwrap();
        });
        drop(writer);
        assert!(flush.wait(Duration::from_secs(10)));
        let by = gate.by.lock().unwrap().clone();
        assert_eq!(by, [here.as_str(), "stdout-writer", "stdout-writer"]);
    }

    #[test]
    fn a_line_does_not_pass_one_still_queued() {
        let gate = Gate::new();
        let ready = Arc::new(AtomicBool::new(false));
        let check = Arc::clone(&ready);
        let (writer, flush) = LineWriter::spawn(
            gate.clone(),
            Some(Box::new(move || check.load(Ordering::SeqCst))),
            8,
            Duration::from_secs(30),
        )
        .unwrap();
        block_on(async {
            let first = writer.write("first".into());
            let second = async {
                // The first is queued and held at the gate; now the output says ready.
                tokio::time::sleep(Duration::from_millis(100)).await;
                ready.store(true, Ordering::SeqCst);
                let second = writer.write("second".into());
                let release = async {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    gate.release();
                };
                tokio::join!(second, release).0
            };
            let (first, second) = tokio::join!(first, second);
            assert_eq!((first, second), (Ok(()), Ok(())));
        });
        drop(writer);
        assert!(flush.wait(Duration::from_secs(10)));
        assert_eq!(gate.text(), "first\nsecond\n");
    }

    #[test]
    fn a_failed_output_refuses_every_later_line() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::BrokenPipe))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let (writer, _flush) = LineWriter::spawn(Broken, None, 4, Duration::from_secs(10)).unwrap();
        block_on(async {
            assert_eq!(writer.write("first".into()).await, Err(Refused::Closed));
            assert_eq!(writer.write("later".into()).await, Err(Refused::Closed));
        });
    }

    #[test]
    fn flush_gives_up_at_its_deadline_when_the_reader_never_reads() {
        let gate = Gate::new();
        let (writer, flush) =
            LineWriter::spawn(gate.clone(), None, 4, Duration::from_millis(10)).unwrap();
        let _ = block_on(writer.write("held".into()));
        drop(writer);
        assert!(!flush.wait(Duration::from_millis(50)));
        gate.release();
    }
}
