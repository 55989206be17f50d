//! Rate limiting: a token bucket per PingOne license, shared by all its environments, as
//! PingOne limits per license (API.md §8.2). A refused request gets 429 `REQUEST_LIMITED` with
//! `Retry-After` (seconds) and `innerError.retryAfter` (when to retry).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The rate limit of every license.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimit {
    /// Whether requests are limited at all.
    pub enabled: bool,
    /// Sustained requests per second per license.
    pub requests_per_second: f64,
    /// Requests a license may send at once after being idle (the bucket's size).
    pub burst: u32,
}

impl RateLimit {
    /// PingOne's documented order of magnitude: about 100 directory operations per second
    /// per license (API.md §8.2; the exact figure is unconfirmed), with a burst of 200.
    pub const PINGONE: RateLimit = RateLimit {
        enabled: true,
        requests_per_second: 100.0,
        burst: 200,
    };

    /// No limit.
    pub const DISABLED: RateLimit = RateLimit {
        enabled: false,
        ..RateLimit::PINGONE
    };

    /// Checks the figures; the message names the first problem.
    pub fn validate(&self) -> Result<(), String> {
        if !self.enabled {
            return Ok(());
        }
        if !(self.requests_per_second.is_finite() && self.requests_per_second > 0.0) {
            return Err(format!(
                "requestsPerSecond must be positive, not {}",
                self.requests_per_second
            ));
        }
        if self.burst == 0 {
            return Err("burst must be at least 1".into());
        }
        Ok(())
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit::PINGONE
    }
}

/// The buckets of every license seen so far.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: RwLock<RateLimit>,
    /// `limit.enabled`, readable without the lock (every request asks).
    enabled: AtomicBool,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    refilled: Instant,
}

impl RateLimiter {
    /// A limiter applying `limit`.
    pub(crate) fn new(limit: RateLimit) -> Self {
        RateLimiter {
            enabled: AtomicBool::new(limit.enabled),
            limit: RwLock::new(limit),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The current limit.
    pub(crate) fn get(&self) -> RateLimit {
        *self.limit.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the limit; every bucket starts full again.
    pub(crate) fn set(&self, limit: RateLimit) {
        *self.limit.write().unwrap_or_else(PoisonError::into_inner) = limit;
        self.enabled.store(limit.enabled, Ordering::Relaxed);
        self.buckets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Whether requests are limited at all.
    pub(crate) fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// Takes one token from `license`'s bucket, or says how long until one is available.
    pub(crate) fn take(&self, license: &str) -> Result<(), Duration> {
        self.take_at(license, Instant::now())
    }

    fn take_at(&self, license: &str, now: Instant) -> Result<(), Duration> {
        let limit = self.get();
        if !limit.enabled {
            return Ok(());
        }
        let size = f64::from(limit.burst);
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if !buckets.contains_key(license) {
            let full = Bucket {
                tokens: size,
                refilled: now,
            };
            buckets.insert(license.to_owned(), full);
        }
        let Some(bucket) = buckets.get_mut(license) else {
            return Ok(()); // Unreachable: inserted just above.
        };
        let elapsed = now.saturating_duration_since(bucket.refilled).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * limit.requests_per_second).min(size);
        bucket.refilled = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let missing = 1.0 - bucket.tokens;
            Err(Duration::from_secs_f64(missing / limit.requests_per_second))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(requests_per_second: f64, burst: u32) -> RateLimiter {
        RateLimiter::new(RateLimit {
            enabled: true,
            requests_per_second,
            burst,
        })
    }

    #[test]
    fn a_burst_then_refusal_then_refill() {
        let limiter = limiter(10.0, 3);
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.take_at("l", start).is_ok());
        }
        let wait = limiter.take_at("l", start).expect_err("limited");
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_millis(100),
            "{wait:?}"
        );
        assert!(
            limiter
                .take_at("l", start + Duration::from_millis(100))
                .is_ok()
        );
        assert!(
            limiter
                .take_at("l", start + Duration::from_millis(100))
                .is_err()
        );
    }

    #[test]
    fn licenses_have_separate_buckets() {
        let limiter = limiter(1.0, 1);
        let now = Instant::now();
        assert!(limiter.take_at("a", now).is_ok());
        assert!(limiter.take_at("a", now).is_err());
        assert!(limiter.take_at("b", now).is_ok());
    }

    #[test]
    fn disabled_never_limits_and_set_refills() {
        let limiter = limiter(1.0, 1);
        let now = Instant::now();
        assert!(limiter.take_at("a", now).is_ok());
        limiter.set(RateLimit::DISABLED);
        for _ in 0..1000 {
            assert!(limiter.take_at("a", now).is_ok());
        }
        limiter.set(RateLimit::PINGONE);
        assert!(limiter.take_at("a", now).is_ok());
    }

    #[test]
    fn validation() {
        assert!(RateLimit::PINGONE.validate().is_ok());
        assert!(RateLimit::DISABLED.validate().is_ok());
        let zero = RateLimit {
            requests_per_second: 0.0,
            ..RateLimit::PINGONE
        };
        assert!(zero.validate().is_err());
        let empty = RateLimit {
            burst: 0,
            ..RateLimit::PINGONE
        };
        assert!(empty.validate().is_err());
    }
}
