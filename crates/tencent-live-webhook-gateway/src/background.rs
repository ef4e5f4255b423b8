//! The gateway's background work, on a thread and runtime of its own so that it runs the
//! same under every framework: the admin listener and the spool's delivery worker.

use std::io;
use std::net::TcpListener;
use std::sync::Arc;
use std::thread::JoinHandle;

use tencent_live_webhook_spool::Spool;
use tokio::sync::watch;

use crate::admin::Admin;
use crate::outbox::SpoolTarget;

/// The background thread, until [`finish`](Background::finish).
pub(crate) struct Background {
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Background {
    /// Starts what is asked for (nothing at all when neither is), on `runtime` when one is
    /// given (the broker's, whose connection the worker then publishes through without
    /// crossing threads).
    pub(crate) fn start(
        admin: Option<(TcpListener, Admin)>,
        worker: Option<(Spool, SpoolTarget)>,
        runtime: Option<tokio::runtime::Runtime>,
    ) -> io::Result<Background> {
        let (stop, stopped) = watch::channel(false);
        if admin.is_none() && worker.is_none() {
            return Ok(Background { stop, thread: None });
        }
        if let Some((listener, _)) = &admin {
            listener.set_nonblocking(true)?;
        }
        let runtime = match runtime {
            Some(runtime) => runtime,
            None => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("gateway-background")
                .enable_all()
                .build()?,
        };
        let thread = std::thread::Builder::new()
            .name("gateway-background".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let admin = admin.map(|(listener, admin)| {
                        let stopped = stopped.clone();
                        tokio::spawn(async move {
                            match tokio::net::TcpListener::from_std(listener) {
                                Ok(listener) => {
                                    crate::admin::serve(listener, Arc::new(admin), until(stopped))
                                        .await;
                                }
                                Err(error) => {
                                    tracing::error!(%error, "cannot serve the admin listener");
                                }
                            }
                        })
                    });
                    let worker = worker.map(|(spool, destination)| {
                        let stopped = stopped.clone();
                        tokio::spawn(async move {
                            spool.deliver(destination, until(stopped)).await;
                        })
                    });
                    for task in [admin, worker].into_iter().flatten() {
                        let _ = task.await;
                    }
                });
            })?;
        Ok(Background {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the background work and waits for it (deliveries under way get their
    /// delivery timeout to finish).
    pub(crate) fn finish(mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Completes once `stop` says so (or its sender is gone).
async fn until(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}
