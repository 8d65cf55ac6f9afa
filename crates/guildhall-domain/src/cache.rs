//! A value recomputed at most once per period, for figures that are the same
//! for every viewer and may be a little stale (each app instance keeps its own).

use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) struct Cached<T> {
    ttl: Duration,
    slot: Mutex<Option<(Instant, T)>>,
}

impl<T: Clone> Cached<T> {
    pub(crate) fn new(ttl: Duration) -> Self {
        Cached {
            ttl,
            slot: Mutex::new(None),
        }
    }

    /// The cached value if fresh, else `None`.
    pub(crate) fn get(&self) -> Option<T> {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    /// Forgets the value (after a change this instance made).
    pub(crate) fn clear(&self) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    pub(crate) fn put(&self, value: T) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_then_stale() {
        let c = Cached::new(Duration::from_millis(30));
        assert_eq!(c.get(), None::<i32>);
        c.put(1);
        assert_eq!(c.get(), Some(1));
        c.clear();
        assert_eq!(c.get(), None);
        c.put(1);
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.get(), None);
    }
}
