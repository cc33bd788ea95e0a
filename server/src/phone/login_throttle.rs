//! Back-off for sign-in (`POST /v1/login`, `POST /v1/console/login`): after
//! `max_failures` wrong passwords for one username (or `max_address_failures`
//! from one client address) with no pause of `window` between them, further
//! attempts are refused for `lockout`, doubled for each further failure up
//! to `max_lockout`; a success clears the username's count. Attempts still
//! being checked count too, so a burst sent at once gets no more guesses than
//! the same requests one after another.
//!
//! Kept in memory in this server process; [`Clock`] can be set in tests.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many failures lock, and for how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failures for one username before it is locked.
    pub max_failures: u32,
    /// Failures from one client address before it is locked (an office
    /// shares one address, so this is higher).
    pub max_address_failures: u32,
    /// Failures further apart than this start counting again.
    pub window: Duration,
    /// The first lock; each further failure doubles it.
    pub lockout: Duration,
    pub max_lockout: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            max_failures: 5,
            max_address_failures: 20,
            window: Duration::from_secs(15 * 60),
            lockout: Duration::from_secs(60),
            max_lockout: Duration::from_secs(60 * 60),
        }
    }
}

/// Time since some fixed start.
pub trait Clock: Send + Sync {
    fn now(&self) -> Duration;
}

/// The process's monotonic clock.
pub struct SystemClock(Instant);

impl SystemClock {
    pub fn new() -> Self {
        SystemClock(Instant::now())
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
}

/// A clock that moves only when told to, for tests.
#[derive(Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(by.as_millis() as u64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        Duration::from_millis(self.0.load(Ordering::SeqCst))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    User(String),
    Address(IpAddr),
}

#[derive(Debug, Default)]
struct Entry {
    failures: u32,
    /// The last failure, or the end of the lock it caused.
    last: Duration,
    locked_until: Duration,
    /// Attempts being checked now.
    pending: u32,
}

impl Entry {
    /// Nothing failed for a whole window after the last failure or lock.
    fn expired(&self, now: Duration, window: Duration) -> bool {
        now > self.last + window && now >= self.locked_until
    }
}

/// Above this many entries, stale ones are dropped.
const PRUNE_ABOVE: usize = 10_000;

pub struct LoginThrottle {
    limits: LoginLimits,
    clock: Arc<dyn Clock>,
    entries: Mutex<HashMap<Key, Entry>>,
}

/// Why an attempt is not even checked: how long until the next may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked {
    pub retry_after: Duration,
}

impl Locked {
    /// Whole seconds for `Retry-After`, at least one.
    pub fn retry_after_secs(&self) -> u64 {
        self.retry_after.as_millis().div_ceil(1000).max(1) as u64
    }
}

impl LoginThrottle {
    pub fn new(limits: LoginLimits, clock: Arc<dyn Clock>) -> Self {
        LoginThrottle {
            limits,
            clock,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn max_for(&self, key: &Key) -> u32 {
        match key {
            Key::User(_) => self.limits.max_failures,
            Key::Address(_) => self.limits.max_address_failures,
        }
        .max(1)
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Entry>> {
        // A panic elsewhere while holding it leaves counts that are still usable.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An attempt for `username` from `address` (none when unknown), or how
    /// long until one may be made. Finish it with [`Attempt::failed`] or
    /// [`Attempt::succeeded`]; dropped unfinished it counts for nothing.
    pub fn begin(&self, username: &str, address: Option<IpAddr>) -> Result<Attempt<'_>, Locked> {
        let now = self.clock.now();
        let mut keys = vec![Key::User(username.trim().to_lowercase())];
        keys.extend(address.map(Key::Address));
        let mut entries = self.entries();
        if entries.len() > PRUNE_ABOVE {
            let window = self.limits.window;
            entries.retain(|_, e| e.pending > 0 || !e.expired(now, window));
        }
        let mut wait = Duration::ZERO;
        for key in &keys {
            let Some(e) = entries.get_mut(key) else {
                continue;
            };
            if e.expired(now, self.limits.window) {
                e.failures = 0;
            }
            if now < e.locked_until {
                wait = wait.max(e.locked_until - now);
            } else if e.pending > 0 && e.failures + e.pending >= self.max_for(key) {
                // The attempts still being checked would reach the limit
                // (past a lock, one attempt at a time).
                wait = wait.max(Duration::from_secs(1));
            }
        }
        if !wait.is_zero() {
            return Err(Locked { retry_after: wait });
        }
        for key in &keys {
            entries.entry(key.clone()).or_default().pending += 1;
        }
        Ok(Attempt {
            throttle: self,
            keys,
            finished: false,
        })
    }

    fn finish(&self, keys: &[Key], failed: bool) {
        let now = self.clock.now();
        let mut entries = self.entries();
        for key in keys {
            let Some(e) = entries.get_mut(key) else {
                continue;
            };
            e.pending = e.pending.saturating_sub(1);
            if failed {
                if e.expired(now, self.limits.window) {
                    e.failures = 0;
                }
                e.failures += 1;
                e.last = now;
                let max = self.max_for(key);
                if e.failures >= max {
                    let doublings = (e.failures - max).min(30);
                    let lock = self
                        .limits
                        .lockout
                        .saturating_mul(1 << doublings)
                        .min(self.limits.max_lockout);
                    e.locked_until = now + lock;
                    e.last = e.locked_until;
                }
            } else if matches!(key, Key::User(_)) {
                // The right password clears the username's count (not the address's).
                e.failures = 0;
                e.locked_until = Duration::ZERO;
            }
            if e.failures == 0 && e.pending == 0 && now >= e.locked_until {
                entries.remove(key);
            }
        }
    }
}

/// One sign-in attempt being checked.
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    keys: Vec<Key>,
    finished: bool,
}

impl Attempt<'_> {
    pub fn failed(mut self) {
        self.finished = true;
        self.throttle.finish(&self.keys, true);
    }

    pub fn succeeded(mut self) {
        self.finished = true;
        self.throttle.finish(&self.keys, false);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.finished {
            // Neither outcome (a database error): only no longer pending.
            let mut entries = self.throttle.entries();
            for key in &self.keys {
                if let Some(e) = entries.get_mut(key) {
                    e.pending = e.pending.saturating_sub(1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> (LoginThrottle, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::default());
        (
            LoginThrottle::new(LoginLimits::default(), clock.clone()),
            clock,
        )
    }

    fn fail(t: &LoginThrottle, user: &str, addr: Option<IpAddr>) {
        t.begin(user, addr).expect("not locked").failed();
    }

    const A: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)));

    #[test]
    fn five_failures_lock_the_username_and_each_further_one_doubles() {
        let (t, clock) = throttle();
        for _ in 0..5 {
            fail(&t, "tech", A);
        }
        let locked = t.begin("tech", None).err().expect("locked");
        assert_eq!(locked.retry_after_secs(), 60);
        // Case and spaces do not make another username.
        assert!(t.begin(" TECH", None).is_err());
        clock.advance(Duration::from_secs(61));
        fail(&t, "tech", None);
        assert_eq!(t.begin("tech", None).err().unwrap().retry_after_secs(), 120);
        clock.advance(Duration::from_secs(121));
        fail(&t, "tech", None);
        assert_eq!(t.begin("tech", None).err().unwrap().retry_after_secs(), 240);
    }

    #[test]
    fn the_lock_doubles_only_up_to_the_cap() {
        let (t, clock) = throttle();
        for _ in 0..5 {
            fail(&t, "tech", None);
        }
        for _ in 0..12 {
            // Each time just after the lock ends.
            let locked = t.begin("tech", None).err().expect("locked");
            clock.advance(locked.retry_after + Duration::from_secs(1));
            fail(&t, "tech", None);
        }
        assert_eq!(
            t.begin("tech", None).err().unwrap().retry_after_secs(),
            3600
        );
    }

    #[test]
    fn a_success_clears_the_username_but_not_the_address() {
        let (t, _) = throttle();
        for _ in 0..4 {
            fail(&t, "tech", A);
        }
        t.begin("tech", A).unwrap().succeeded();
        for _ in 0..4 {
            fail(&t, "tech", A);
        }
        assert!(t.begin("tech", A).is_ok(), "the count started again");
        // 8 failures from A so far (the success and the open attempt count none).
        for i in 0..12 {
            fail(&t, &format!("user{i}"), A);
        }
        assert!(
            t.begin("someone", A).is_err(),
            "20 failures from one address lock it"
        );
        assert!(t.begin("someone", None).is_ok());
    }

    #[test]
    fn failures_a_window_apart_start_counting_again() {
        let (t, clock) = throttle();
        for _ in 0..4 {
            fail(&t, "tech", None);
        }
        clock.advance(Duration::from_secs(15 * 60 + 1));
        for _ in 0..4 {
            fail(&t, "tech", None);
        }
        assert!(t.begin("tech", None).is_ok());
    }

    #[test]
    fn attempts_sent_at_once_get_no_more_guesses_than_in_turn() {
        let (t, _) = throttle();
        let open: Vec<_> = (0..5).map(|_| t.begin("tech", None).unwrap()).collect();
        assert!(
            t.begin("tech", None).is_err(),
            "a sixth while five are checked"
        );
        drop(open);
        assert!(
            t.begin("tech", None).is_ok(),
            "unfinished attempts count for nothing"
        );
    }
}
