//! What `serve` counts, in the Prometheus text format (through `prometheus-client`).

use std::sync::atomic::Ordering;
use std::time::Duration;

use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tencent_live_webhook::Command;
use tencent_live_webhook_spool::Spool;

/// One label, its name and value known at compile time or a number: no allocation when
/// a counter is found or counted.
type Label<V> = [(&'static str, V); 1];

/// The gateway's counters. Cheap to update from any thread.
pub struct Metrics {
    registry: Registry,
    received: Family<Label<&'static str>, Counter>,
    refused: Family<Label<u16>, Counter>,
    duplicates: Counter,
    dropped_lines: Counter,
    duration: Histogram,
    spool_pending: Gauge,
    spool_dead: Gauge,
    deliveries: Family<Label<&'static str>, Counter>,
    published: Family<Label<&'static str>, Counter>,
    spool_syncs: Counter,
    connections_shed: Family<Label<&'static str>, Counter>,
    failed_logins: Counter,
    spool: Option<Spool>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// The gateway's metrics; with a spool, its gauges and delivery counters too.
    pub fn new(spool: Option<Spool>) -> Metrics {
        let mut registry = Registry::with_prefix("live_webhook");
        let received = Family::<Label<&'static str>, Counter>::default();
        registry.register(
            "received",
            "Verified webhooks, by command word (words not documented are counted as other; TRTC callbacks as trtc)",
            received.clone(),
        );
        let refused = Family::<Label<u16>, Counter>::default();
        registry.register(
            "refused",
            "Requests refused, by HTTP status (including those the HTTP parser refused)",
            refused.clone(),
        );
        let duplicates = Counter::default();
        registry.register(
            "duplicates",
            "Webhooks already in the spool within the dedup window: answered, not stored again",
            duplicates.clone(),
        );
        let dropped_lines = Counter::default();
        registry.register(
            "output_dropped_lines",
            "Standard output lines dropped because the reader lagged (webhooks kept in the spool)",
            dropped_lines.clone(),
        );
        let duration = Histogram::new(exponential_buckets(0.000_25, 2.0, 16));
        registry.register(
            "request_duration_seconds",
            "Time from a webhook request's head to its answer",
            duration.clone(),
        );
        let spool_pending = Gauge::default();
        let spool_dead = Gauge::default();
        let deliveries = Family::<Label<&'static str>, Counter>::default();
        let spool_syncs = Counter::default();
        let published = Family::<Label<&'static str>, Counter>::default();
        registry.register(
            "published",
            "Webhooks published to the broker by the request that brought them (without a spool), by result (ok, duplicate or failed)",
            published.clone(),
        );
        let connections_shed = Family::<Label<&'static str>, Counter>::default();
        registry.register(
            "connections_shed",
            "Connections closed before they sent a request head, to make room for new ones at the connection cap, by listener (webhook or admin)",
            connections_shed.clone(),
        );
        let failed_logins = Counter::default();
        registry.register(
            "console_failed_logins",
            "Requests to the console or its API with a wrong or missing admin token",
            failed_logins.clone(),
        );
        if spool.is_some() {
            registry.register(
                "spool_pending",
                "Webhooks waiting for delivery",
                spool_pending.clone(),
            );
            registry.register(
                "spool_dead",
                "Webhooks whose every attempt failed",
                spool_dead.clone(),
            );
            registry.register(
                "deliveries",
                "Delivery attempts, by result (delivered or failed)",
                deliveries.clone(),
            );
            registry.register(
                "spool_syncs",
                "Spool transactions synced to disk (appends that arrive together share one)",
                spool_syncs.clone(),
            );
        }
        Metrics {
            registry,
            received,
            refused,
            duplicates,
            dropped_lines,
            duration,
            spool_pending,
            spool_dead,
            deliveries,
            published,
            spool_syncs,
            connections_shed,
            failed_logins,
            spool,
        }
    }

    /// A verified webhook of `command`.
    pub fn received(&self, command: Command) {
        let word = command.known_word().unwrap_or("other");
        self.received.get_or_create(&[("command", word)]).inc();
    }

    /// A verified TRTC callback, counted under the command label `trtc`.
    pub fn received_trtc(&self) {
        self.received.get_or_create(&[("command", "trtc")]).inc();
    }

    /// A webhook published by its request: `ok`, `duplicate` or `failed`.
    pub fn published(&self, result: &'static str) {
        self.published.get_or_create(&[("result", result)]).inc();
    }

    /// A refused request, by the status it was answered.
    pub fn refused(&self, status: u16) {
        self.refused.get_or_create(&[("status", status)]).inc();
    }

    /// A connection of `listener` (`webhook` or `admin`) shed at the connection cap.
    pub fn shed(&self, listener: &'static str) {
        self.connections_shed
            .get_or_create(&[("listener", listener)])
            .inc();
    }

    /// A console request with a wrong or missing admin token.
    pub fn failed_login(&self) {
        self.failed_logins.inc();
    }

    /// A webhook that was already in the spool.
    pub fn duplicate(&self) {
        self.duplicates.inc();
    }

    /// A standard output line dropped.
    pub fn dropped_line(&self) {
        self.dropped_lines.inc();
    }

    /// How long a webhook request took to answer.
    pub fn observe(&self, took: Duration) {
        self.duration.observe(took.as_secs_f64());
    }

    /// The metrics as Prometheus text (format 0.0.4).
    pub fn render(&self) -> String {
        if let Some(spool) = &self.spool {
            let counters = spool.counters();
            self.spool_pending
                .set(i64::try_from(counters.pending).unwrap_or(i64::MAX));
            self.spool_dead
                .set(i64::try_from(counters.dead).unwrap_or(i64::MAX));
            // The spool counts; these mirror its totals, which only grow.
            self.deliveries
                .get_or_create(&[("result", "delivered")])
                .inner()
                .store(counters.delivered, Ordering::Relaxed);
            self.deliveries
                .get_or_create(&[("result", "failed")])
                .inner()
                .store(counters.failed, Ordering::Relaxed);
            self.spool_syncs
                .inner()
                .store(counters.syncs, Ordering::Relaxed);
        }
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_text::encode(&mut text, &self.registry);
        text
    }
}
