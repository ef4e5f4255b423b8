//! The one writer of standard output. Request handlers hand it whole lines through a
//! bounded queue and wait (asynchronously, never blocking a thread) until their line is
//! written, so a webhook is acknowledged only once its line is out, and a reader that
//! stalls costs 503s, not a frozen server.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
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

/// Hands lines to a thread that writes them, in order, whole, through a bounded queue.
pub(crate) struct LineWriter {
    queue: SyncSender<Entry>,
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
    pub(crate) fn spawn(
        out: impl Write + Send + 'static,
        capacity: usize,
        deadline: Duration,
    ) -> io::Result<(LineWriter, Flush)> {
        let (queue, entries) = mpsc::sync_channel::<Entry>(capacity);
        let (done_sender, done) = mpsc::sync_channel(1);
        let broken = Arc::new(AtomicBool::new(false));
        let writer_broken = Arc::clone(&broken);
        thread::Builder::new()
            .name("stdout-writer".into())
            .spawn(move || {
                write_lines(out, &entries, &writer_broken);
                let _ = done_sender.send(());
            })?;
        let writer = LineWriter {
            queue,
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
        let state = Arc::new(AtomicU8::new(PENDING));
        let (written, outcome) = oneshot::channel();
        let entry = Entry {
            line,
            state: Arc::clone(&state),
            written,
        };
        match self.queue.try_send(entry) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(self.lagging()),
            Err(TrySendError::Disconnected(_)) => return Err(Refused::Closed),
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
                    // Never to be written: the sender may safely retry.
                    return Err(self.lagging());
                }
                // The writer has it: it is being written. Wait once more; if it is still
                // not out, the reader is stuck mid-write and the line may yet appear, so a
                // retry could print it twice (handlers are idempotent).
                match tokio::time::timeout(self.deadline, &mut outcome).await {
                    Ok(written) => written,
                    Err(_elapsed) => return Err(self.lagging()),
                }
            }
        };
        match written {
            Ok(true) => {
                if self.stalled.swap(false, Ordering::Relaxed) {
                    tracing::warn!("standard output is being read again");
                }
                Ok(())
            }
            Ok(false) | Err(_) => Err(Refused::Closed),
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
fn write_lines(mut out: impl Write, entries: &Receiver<Entry>, broken: &AtomicBool) {
    let mut batch = String::new();
    let mut senders = Vec::new();
    while let Ok(first) = entries.recv() {
        batch.clear();
        senders.clear();
        for entry in std::iter::once(first).chain(entries.try_iter()) {
            let claimed = entry
                .state
                .compare_exchange(PENDING, CLAIMED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok();
            if claimed {
                batch.push_str(&entry.line);
                senders.push(entry.written);
            }
        }
        if batch.is_empty() {
            continue;
        }
        let result = out.write_all(batch.as_bytes()).and_then(|()| out.flush());
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
        let _ = entry.written.send(false);
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
    use std::sync::Mutex;

    /// An output that holds every write until released, then keeps what it got.
    #[derive(Clone)]
    struct Gate {
        open: Arc<(Mutex<bool>, std::sync::Condvar)>,
        got: Arc<Mutex<Vec<u8>>>,
    }

    impl Gate {
        fn new() -> Gate {
            Gate {
                open: Arc::new((Mutex::new(false), std::sync::Condvar::new())),
                got: Arc::default(),
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
            let mut open = self.open.0.lock().unwrap();
            while !*open {
                open = self.open.1.wait(open).unwrap();
            }
            self.got.lock().unwrap().extend_from_slice(bytes);
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
            LineWriter::spawn(gate.clone(), 4, Duration::from_millis(100)).unwrap();
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
        let (writer, flush) = LineWriter::spawn(gate.clone(), 2, Duration::from_secs(30)).unwrap();
        let results = block_on(async {
            let writes: Vec<_> = (0..10).map(|n| writer.write(format!("w{n}"))).collect();
            let writes = futures_util::future::join_all(writes);
            let release = async {
                tokio::time::sleep(Duration::from_millis(300)).await;
                gate.release();
            };
            tokio::join!(writes, release).0
        });
        drop(writer);
        assert!(flush.wait(Duration::from_secs(10)));
        // The writer holds at most one batch (what was queued when it woke: at most three),
        // the queue two more: at least five are refused.
        let refused = results
            .iter()
            .filter(|r| **r == Err(Refused::Lagging))
            .count();
        assert!(refused >= 5, "{results:?}");
        let written: String = results
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
        let (writer, flush) = LineWriter::spawn(gate.clone(), 64, Duration::from_secs(10)).unwrap();
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
        let (writer, _flush) = LineWriter::spawn(Broken, 4, Duration::from_secs(10)).unwrap();
        block_on(async {
            assert_eq!(writer.write("first".into()).await, Err(Refused::Closed));
            assert_eq!(writer.write("later".into()).await, Err(Refused::Closed));
        });
    }

    #[test]
    fn flush_gives_up_at_its_deadline_when_the_reader_never_reads() {
        let gate = Gate::new();
        let (writer, flush) =
            LineWriter::spawn(gate.clone(), 4, Duration::from_millis(10)).unwrap();
        let _ = block_on(writer.write("held".into()));
        drop(writer);
        assert!(!flush.wait(Duration::from_millis(50)));
        gate.release();
    }
}
