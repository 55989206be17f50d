//! When to retry a request and how long to wait first.
//!
//! Mirrors PingOne's SDKs: transient statuses (408, 429, 500, 502, 503, 504) and the
//! `UNEXPECTED_ERROR` code are retried with jittered exponential back-off; a
//! `Retry-After` header, in seconds or as an HTTP date, is honoured up to a cap.

use std::time::{Duration, SystemTime};

/// How many times to try a request and how long to wait between tries.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, including the first; 1 disables retries.
    pub max_attempts: u32,
    /// The back-off before the first retry; it doubles for each further retry.
    pub base_delay: Duration,
    /// The longest back-off between two attempts.
    pub max_delay: Duration,
    /// The longest wait a `Retry-After` header can impose.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Six attempts, 250 ms doubling to at most 30 s; `Retry-After` capped at 30 s.
    fn default() -> Self {
        Self {
            max_attempts: 6,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before retry number `retry` (0 for the first retry): the server's
    /// `Retry-After` when it gave one (capped), else the jittered back-off.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(wait) => wait.min(self.max_retry_after),
            None => self.backoff(retry),
        }
    }

    /// Exponential back-off with "equal jitter": between half and all of
    /// `base * 2^retry` (capped), so that parallel clients spread out without any of
    /// them retrying immediately.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(30));
        let full = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = full / 2;
        let jitter_ms = fastrand::u64(0..=half.as_millis().min(u128::from(u64::MAX)) as u64);
        half + Duration::from_millis(jitter_ms)
    }
}

/// True for the HTTP statuses PingOne documents as transient.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// True for PingOne error codes that mean "try again".
pub fn is_retryable_code(code: &str) -> bool {
    code == "UNEXPECTED_ERROR"
}

/// Parses a `Retry-After` value: whole seconds, or an HTTP date relative to `now`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    // A date in the past means "now".
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_the_documented_statuses_only() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 409, 415, 501] {
            assert!(!is_retryable_status(s), "{s}");
        }
        assert!(is_retryable_code("UNEXPECTED_ERROR"));
        assert!(!is_retryable_code("INVALID_DATA"));
    }

    #[test]
    fn backoff_doubles_within_jitter_and_caps() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let d0 = p.backoff(0);
            assert!(d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100));
            let d2 = p.backoff(2);
            assert!(d2 >= Duration::from_millis(200) && d2 <= Duration::from_millis(400));
            let big = p.backoff(40);
            assert!(big >= Duration::from_millis(500) && big <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(3600))),
            Duration::from_secs(30)
        );
    }

    #[test]
    fn parses_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        // 2015-10-21T07:28:10Z is 10 s after `now`.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
