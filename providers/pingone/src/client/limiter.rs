//! One token-bucket rate limiter shared by every request of a provider, so parallel
//! work never floods a license (PingOne limits per license; API.md §8.2).
//!
//! A request takes a token; tokens refill at `rate` per second up to a burst of one
//! second's worth. A request that finds the bucket empty reserves the next token (the
//! count goes negative) and sleeps until it is due, so waiters are served in order
//! without polling.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A token bucket.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    state: Mutex<Bucket>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    /// A limiter allowing `per_second` requests per second (at least one a minute).
    pub fn new(per_second: f64) -> Self {
        let rate = per_second.max(1.0 / 60.0);
        let burst = rate.max(1.0);
        Self {
            rate,
            burst,
            state: Mutex::new(Bucket {
                tokens: burst,
                last: Instant::now(),
            }),
        }
    }

    /// The configured rate.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// How long the caller must wait for its token, having reserved it.
    pub fn reserve(&self) -> Duration {
        let mut bucket = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.burst);
        bucket.last = now;
        bucket.tokens -= 1.0;
        if bucket.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-bucket.tokens / self.rate)
        }
    }

    /// Waits for a token.
    pub async fn acquire(&self) {
        let wait = self.reserve();
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_free_then_requests_are_spaced() {
        let l = RateLimiter::new(10.0);
        for _ in 0..10 {
            assert_eq!(l.reserve(), Duration::ZERO);
        }
        let next = l.reserve();
        assert!(
            next > Duration::from_millis(80) && next <= Duration::from_millis(100),
            "{next:?}"
        );
        let after = l.reserve();
        assert!(
            after > Duration::from_millis(180) && after <= Duration::from_millis(200),
            "{after:?}"
        );
    }

    #[tokio::test]
    async fn parallel_callers_share_the_rate() {
        let l = std::sync::Arc::new(RateLimiter::new(50.0));
        let start = Instant::now();
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let l = l.clone();
                tokio::spawn(async move { l.acquire().await })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        // 50 free, 50 more at 50/s: about one second.
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(900) && took < Duration::from_millis(1500),
            "{took:?}"
        );
    }
}
