//! A cap on open connections that makes room for a newcomer by shedding a connection that
//! is only waiting (it has not sent a complete request head), instead of leaving the
//! newcomer in the listen backlog behind clients that send nothing.
//!
//! Connections that never sent a request go first, oldest first; then idle keep-alive
//! ones, longest idle first. A connection with a request in flight is never shed: when
//! every connection is busy, a newcomer waits for one to end.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

/// Called once for each connection shed, for a metric.
pub type OnShed = Arc<dyn Fn() + Send + Sync>;

/// The order in which waiting connections are shed: tier (0: never sent a request, 1: idle
/// after an answer), then arrival.
type Place = (u8, u64);

/// The open connections of one listener and the cap on them.
pub struct Slots {
    capacity: usize,
    state: Mutex<State>,
    freed: Notify,
    on_shed: Option<OnShed>,
}

#[derive(Default)]
struct State {
    /// Connections counted against the capacity (shed ones no longer are).
    open: usize,
    /// The next place in line.
    next: u64,
    /// Connections without a request in flight, in shedding order.
    waiting: BTreeMap<Place, Arc<Signal>>,
}

/// How a connection learns that it was shed.
#[derive(Default)]
struct Signal {
    shed: AtomicBool,
    notify: Notify,
}

/// One open connection's slot; dropping it frees the slot.
pub struct Connection {
    slots: Arc<Slots>,
    signal: Arc<Signal>,
    /// Where it waits in line while it has no request in flight; guarded by the slots'
    /// lock.
    place: Mutex<Option<Place>>,
    /// Requests in flight (one at a time in HTTP/1.1); guarded by the slots' lock.
    in_flight: AtomicU64,
}

impl std::fmt::Debug for Slots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slots")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("shed", &self.signal.shed.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The state stays consistent at every unlock: a panic elsewhere does not spoil it.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Slots {
    /// At most `capacity` connections open at once (at least one).
    pub fn new(capacity: usize, on_shed: Option<OnShed>) -> Arc<Slots> {
        Arc::new(Slots {
            capacity: capacity.max(1),
            state: Mutex::new(State::default()),
            freed: Notify::new(),
            on_shed,
        })
    }

    /// Whether a connection may be taken now: below the cap, or one to shed for it.
    pub fn has_room(&self) -> bool {
        let state = lock(&self.state);
        state.open < self.capacity || !state.waiting.is_empty()
    }

    /// Waits until [`Slots::has_room`].
    pub async fn room(&self) {
        loop {
            let freed = self.freed.notified();
            let mut freed = std::pin::pin!(freed);
            freed.as_mut().enable();
            if self.has_room() {
                return;
            }
            freed.await;
        }
    }

    /// Counts a connection just accepted; at the cap, sheds the connection first in line
    /// for it. (Without one to shed, the connection is counted over the cap: callers wait
    /// for [`Slots::room`] first.)
    pub fn open(self: &Arc<Self>) -> Connection {
        let signal = Arc::new(Signal::default());
        let mut state = lock(&self.state);
        let mut shed = false;
        if state.open >= self.capacity
            && let Some((_, victim)) = state.waiting.pop_first()
        {
            victim.shed.store(true, Ordering::Release);
            victim.notify.notify_one();
            state.open -= 1;
            shed = true;
        }
        state.open += 1;
        let place = (0, state.next);
        state.next += 1;
        state.waiting.insert(place, Arc::clone(&signal));
        drop(state);
        if shed && let Some(on_shed) = &self.on_shed {
            on_shed();
        }
        Connection {
            slots: Arc::clone(self),
            signal,
            place: Mutex::new(Some(place)),
            in_flight: AtomicU64::new(0),
        }
    }
}

impl Connection {
    /// Completes once the connection was shed: close it.
    pub async fn shed(&self) {
        // `notify_one` keeps its wake-up for a later wait, so none is lost.
        while !self.signal.shed.load(Ordering::Acquire) {
            self.signal.notify.notified().await;
        }
    }

    /// A request head arrived: the connection is out of line until [`Connection::end`]
    /// (when its answer is ready). See [`Connection::busy`] for a guard that ends it.
    pub fn begin(&self) {
        let mut state = lock(&self.slots.state);
        if let Some(place) = lock(&self.place).take() {
            state.waiting.remove(&place);
        }
        let now = self.in_flight.load(Ordering::Relaxed).saturating_add(1);
        self.in_flight.store(now, Ordering::Relaxed);
    }

    /// [`Connection::begin`], ended when the guard is dropped.
    pub fn busy(self: &Arc<Self>) -> Busy {
        self.begin();
        Busy(Arc::clone(self))
    }

    /// A request's answer is ready: with none left in flight, the connection waits in
    /// line again, behind every one that never sent a request.
    pub fn end(&self) {
        let mut state = lock(&self.slots.state);
        // Changed only under the slots' lock: a load and a store do not race. An end
        // without a begin changes nothing.
        let Some(left) = self.in_flight.load(Ordering::Relaxed).checked_sub(1) else {
            return;
        };
        self.in_flight.store(left, Ordering::Relaxed);
        if left == 0 && !self.signal.shed.load(Ordering::Acquire) {
            let place = (1, state.next);
            state.next += 1;
            state.waiting.insert(place, Arc::clone(&self.signal));
            *lock(&self.place) = Some(place);
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let mut state = lock(&self.slots.state);
        if let Some(place) = lock(&self.place).take() {
            state.waiting.remove(&place);
        }
        if !self.signal.shed.load(Ordering::Acquire) {
            state.open -= 1;
        }
        drop(state);
        self.slots.freed.notify_waiters();
    }
}

/// A request in flight on a [`Connection`]; see [`Connection::busy`].
#[derive(Debug)]
pub struct Busy(Arc<Connection>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    fn counted() -> (OnShed, Arc<AtomicUsize>) {
        let count = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&count);
        (
            Arc::new(move || {
                counter.fetch_add(1, Ordering::Relaxed);
            }),
            count,
        )
    }

    async fn is_shed(connection: &Connection) -> bool {
        tokio::time::timeout(Duration::from_millis(50), connection.shed())
            .await
            .is_ok()
    }

    #[tokio::test]
    async fn at_the_cap_the_oldest_waiting_connection_makes_room() {
        let (on_shed, shed) = counted();
        let slots = Slots::new(3, Some(on_shed));
        let first = Arc::new(slots.open());
        let second = Arc::new(slots.open());
        let third = Arc::new(slots.open());
        // The first sends a head: it is no longer in line.
        let busy = first.busy();
        assert!(slots.has_room(), "two connections only wait");
        let fourth = slots.open();
        assert!(!is_shed(&first).await, "busy connections are never shed");
        assert!(is_shed(&second).await, "the oldest waiting one goes");
        assert!(!is_shed(&third).await);
        let fifth = slots.open();
        assert!(is_shed(&third).await);
        assert_eq!(shed.load(Ordering::Relaxed), 2);
        // first busy, fourth and fifth waiting: after its answer, first waits behind them
        // only as an idle keep-alive connection, after those that never sent anything.
        drop(busy);
        let sixth = Arc::new(slots.open());
        let _sixth_busy = sixth.busy();
        assert!(is_shed(&fourth).await);
        assert!(!is_shed(&first).await);
        let seventh = Arc::new(slots.open());
        let _seventh_busy = seventh.busy();
        assert!(is_shed(&fifth).await);
        assert!(!is_shed(&first).await);
        let _eighth = slots.open();
        assert!(
            is_shed(&first).await,
            "with none that never sent a request, the idle keep-alive one"
        );
        assert_eq!(shed.load(Ordering::Relaxed), 5);
    }

    #[tokio::test]
    async fn when_every_connection_is_busy_a_newcomer_waits_for_one_to_end() {
        let slots = Slots::new(2, None);
        let one = Arc::new(slots.open());
        let two = Arc::new(slots.open());
        let _busy_one = one.busy();
        let busy_two = two.busy();
        assert!(!slots.has_room());
        let waiting = {
            let slots = Arc::clone(&slots);
            tokio::spawn(async move { slots.room().await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished());
        drop(busy_two);
        drop(two);
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("a slot was freed")
            .unwrap();
        assert!(slots.has_room());
    }

    #[tokio::test]
    async fn a_shed_connection_no_longer_counts_and_frees_nothing_twice() {
        let slots = Slots::new(1, None);
        let old = slots.open();
        let new = slots.open();
        assert!(is_shed(&old).await);
        drop(old);
        // Only `new` counts: the cap is reached, and it waits, so it can be shed.
        assert!(slots.has_room());
        let newer = slots.open();
        assert!(is_shed(&new).await);
        drop(new);
        drop(newer);
        let state = lock(&slots.state);
        assert_eq!(state.open, 0);
        assert!(state.waiting.is_empty());
    }
}
