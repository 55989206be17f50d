//! Request counters per method and route, so tests and benchmarks can count the calls a
//! client made (`GET /__emulator/counters`, [`crate::Emulator::counters`]).

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

/// The route of requests that matched no route (unknown paths).
pub const UNMATCHED: &str = "<unmatched>";

/// Counts per (method, route template).
#[derive(Debug, Default)]
pub(crate) struct Counters {
    counts: Mutex<BTreeMap<(String, String), u64>>,
}

impl Counters {
    /// Counts one request.
    pub(crate) fn record(&self, method: &str, route: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        // Look up before allocating: after warm-up every route is already there.
        match counts
            .iter_mut()
            .find(|((m, r), _)| m == method && r == route)
        {
            Some((_, count)) => *count += 1,
            None => {
                counts.insert((method.to_owned(), route.to_owned()), 1);
            }
        }
    }

    /// A copy of the counts.
    pub(crate) fn snapshot(&self) -> RequestCounts {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        RequestCounts {
            counts: counts
                .iter()
                .map(|((method, route), count)| RequestCount {
                    method: method.clone(),
                    route: route.clone(),
                    count: *count,
                })
                .collect(),
        }
    }

    /// Sets every count back to zero.
    pub(crate) fn reset(&self) {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// A snapshot of the request counters.
///
/// Routes are the emulator's route templates, e.g. `/v1/environments/{env_id}/populations`
/// (see `GET /__emulator/counters` for the names in use), or [`UNMATCHED`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestCounts {
    /// One entry per (method, route) seen, sorted.
    pub counts: Vec<RequestCount>,
}

/// The number of requests of one method on one route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestCount {
    /// The HTTP method, e.g. `GET`.
    pub method: String,
    /// The route template.
    pub route: String,
    /// How many requests.
    pub count: u64,
}

impl RequestCounts {
    /// The count of `method` on `route` (0 if none).
    pub fn get(&self, method: &str, route: &str) -> u64 {
        self.counts
            .iter()
            .find(|c| c.method.eq_ignore_ascii_case(method) && c.route == route)
            .map_or(0, |c| c.count)
    }

    /// All requests counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|c| c.count).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_method_and_route_and_resets() {
        let counters = Counters::default();
        counters.record("GET", "/v1/environments");
        counters.record("GET", "/v1/environments");
        counters.record("POST", "/v1/environments");
        let snapshot = counters.snapshot();
        assert_eq!(snapshot.get("get", "/v1/environments"), 2);
        assert_eq!(snapshot.get("POST", "/v1/environments"), 1);
        assert_eq!(snapshot.get("DELETE", "/v1/environments"), 0);
        assert_eq!(snapshot.total(), 3);
        counters.reset();
        assert_eq!(counters.snapshot().total(), 0);
    }
}
