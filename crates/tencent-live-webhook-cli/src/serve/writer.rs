//! The one writer of standard output: request handlers hand it whole lines and never wait
//! for whoever reads the output.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::thread;
use std::time::{Duration, Instant};

/// Why a line was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The queue is full: the reader is slower than the webhooks arrive, or has stopped.
    Full,
    /// The output is gone (the reader exited, or a write failed).
    Closed,
}

/// Hands lines to a thread that writes them, in order, whole, through a bounded queue.
pub(crate) struct LineWriter {
    queue: SyncSender<String>,
    broken: Arc<AtomicBool>,
    stalled: AtomicBool,
}

/// Waits for the writer thread at shutdown.
pub(crate) struct Flush {
    done: Receiver<()>,
}

impl LineWriter {
    /// A writer to `out` holding at most `capacity` lines not yet written.
    pub(crate) fn spawn(
        mut out: impl Write + Send + 'static,
        capacity: usize,
    ) -> io::Result<(LineWriter, Flush)> {
        let (queue, lines) = mpsc::sync_channel::<String>(capacity);
        let (done_sender, done) = mpsc::sync_channel(1);
        let broken = Arc::new(AtomicBool::new(false));
        let writer_broken = Arc::clone(&broken);
        thread::Builder::new()
            .name("stdout-writer".into())
            .spawn(move || {
                let mut batch = String::new();
                while let Ok(line) = lines.recv() {
                    // Write what has queued up meanwhile in one go.
                    batch.clear();
                    batch.push_str(&line);
                    while let Ok(more) = lines.try_recv() {
                        batch.push_str(&more);
                    }
                    if let Err(error) = out.write_all(batch.as_bytes()).and_then(|()| out.flush())
                    {
                        writer_broken.store(true, Ordering::Release);
                        tracing::error!(%error, "standard output failed: webhooks are refused from now on");
                        break;
                    }
                }
                let _ = done_sender.send(());
            })?;
        let writer = LineWriter {
            queue,
            broken,
            stalled: AtomicBool::new(false),
        };
        Ok((writer, Flush { done }))
    }

    /// Queues one line (a newline is added) without waiting.
    pub(crate) fn try_write(&self, mut line: String) -> Result<(), Refused> {
        if self.broken.load(Ordering::Acquire) {
            return Err(Refused::Closed);
        }
        line.push('\n');
        match self.queue.try_send(line) {
            Ok(()) => {
                if self.stalled.swap(false, Ordering::Relaxed) {
                    tracing::warn!("standard output is being read again");
                }
                Ok(())
            }
            Err(TrySendError::Full(_)) => {
                // One line when the reader stalls, not one per webhook.
                if !self.stalled.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        "standard output is not being read: answering webhooks 503 until it is"
                    );
                }
                Err(Refused::Full)
            }
            Err(TrySendError::Disconnected(_)) => Err(Refused::Closed),
        }
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

    #[test]
    fn a_stalled_reader_fills_the_queue_and_nothing_taken_is_lost() {
        let gate = Gate::new();
        let (writer, flush) = LineWriter::spawn(gate.clone(), 4).unwrap();
        let mut taken = Vec::new();
        let mut refused = 0;
        for n in 0..20 {
            match writer.try_write(format!("line {n}")) {
                Ok(()) => taken.push(format!("line {n}\n")),
                Err(Refused::Full) => refused += 1,
                Err(Refused::Closed) => panic!("closed"),
            }
        }
        // The thread holds one line at the gate, the queue four more.
        assert!(refused >= 15, "{refused} refused");
        gate.release();
        drop(writer);
        assert!(flush.wait(Duration::from_secs(10)));
        assert_eq!(
            String::from_utf8(gate.got.lock().unwrap().clone()).unwrap(),
            taken.concat()
        );
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
        let (writer, _flush) = LineWriter::spawn(Broken, 4).unwrap();
        writer.try_write("first".into()).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while writer.try_write("later".into()) != Err(Refused::Closed) {
            assert!(Instant::now() < deadline, "still taking lines");
            thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn flush_gives_up_at_its_deadline_when_the_reader_never_reads() {
        let gate = Gate::new();
        let (writer, flush) = LineWriter::spawn(gate.clone(), 4).unwrap();
        writer.try_write("held".into()).unwrap();
        drop(writer);
        assert!(!flush.wait(Duration::from_millis(50)));
        gate.release();
    }
}
