//! Request and response counters, so tests and benchmarks can count the calls a client made
//! and what they were answered (`GET /__emulator/counters`, [`crate::Emulator::counters`]):
//! requests per method and route, responses per status, rate-limit refusals, and each kind of
//! injected fault. A drill that expects faults can check that they really fired.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

/// The route of requests that matched no route (unknown paths).
pub const UNMATCHED: &str = "<unmatched>";

/// The live counters of one emulator.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    tallies: Mutex<Tallies>,
}

/// Everything counted, behind one lock.
#[derive(Debug, Default)]
struct Tallies {
    /// Per (method, route template).
    routes: BTreeMap<(String, String), u64>,
    statuses: BTreeMap<u16, u64>,
    rate_limited: u64,
    faults: FaultCounts,
}

impl Counters {
    /// Counts one request.
    pub(crate) fn record(&self, method: &str, route: &str) {
        self.tally(|t| {
            // Look up before allocating: after warm-up every route is already there.
            match t
                .routes
                .iter_mut()
                .find(|((m, r), _)| m == method && r == route)
            {
                Some((_, count)) => *count += 1,
                None => {
                    t.routes.insert((method.to_owned(), route.to_owned()), 1);
                }
            }
        });
    }

    /// Counts one response sent with `status`.
    pub(crate) fn record_status(&self, status: u16) {
        self.tally(|t| *t.statuses.entry(status).or_default() += 1);
    }

    /// Counts one request refused by the rate limit.
    pub(crate) fn record_rate_limited(&self) {
        self.tally(|t| t.rate_limited += 1);
    }

    /// Counts one injected error answer.
    pub(crate) fn record_injected(&self, status: u16) {
        self.tally(|t| *t.faults.errors.entry(status).or_default() += 1);
    }

    /// Counts one change committed whose response was then dropped.
    pub(crate) fn record_dropped_after_commit(&self) {
        self.tally(|t| t.faults.dropped_after_commit += 1);
    }

    /// Counts one latency spike waited.
    pub(crate) fn record_latency_spike(&self) {
        self.tally(|t| t.faults.latency_spikes += 1);
    }

    fn tally(&self, count: impl FnOnce(&mut Tallies)) {
        count(&mut self.tallies.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// A copy of the counts.
    pub(crate) fn snapshot(&self) -> RequestCounts {
        let t = self.tallies.lock().unwrap_or_else(PoisonError::into_inner);
        RequestCounts {
            counts: t
                .routes
                .iter()
                .map(|((method, route), count)| RequestCount {
                    method: method.clone(),
                    route: route.clone(),
                    count: *count,
                })
                .collect(),
            statuses: t.statuses.clone(),
            rate_limited: t.rate_limited,
            faults: t.faults.clone(),
        }
    }

    /// Sets every count back to zero.
    pub(crate) fn reset(&self) {
        self.tally(|t| *t = Tallies::default());
    }
}

/// A snapshot of the counters. It reads back from the admin API's JSON (whose extra `total`
/// is ignored).
///
/// Routes are the emulator's route templates, e.g. `/v1/environments/{env_id}/populations`
/// (see `GET /__emulator/counters` for the names in use), or [`UNMATCHED`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestCounts {
    /// Requests, one entry per (method, route) seen, sorted.
    pub counts: Vec<RequestCount>,
    /// Responses sent, per HTTP status: handled requests, injected errors and rate-limit
    /// refusals alike. A response dropped after its change was committed was never sent: it
    /// is counted in [`FaultCounts::dropped_after_commit`] only.
    pub statuses: BTreeMap<u16, u64>,
    /// Requests the rate limit refused with 429 (also counted in `statuses`).
    pub rate_limited: u64,
    /// The faults injected.
    pub faults: FaultCounts,
}

/// How many faults of each kind were injected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FaultCounts {
    /// Error answers sent instead of handling the request, per status (also counted in
    /// [`RequestCounts::statuses`]).
    pub errors: BTreeMap<u16, u64>,
    /// Changes committed whose response was then dropped.
    pub dropped_after_commit: u64,
    /// Requests delayed by a latency spike.
    pub latency_spikes: u64,
}

/// The number of requests of one method on one route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

    /// Responses sent with `status` (0 if none).
    pub fn status(&self, status: u16) -> u64 {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    /// Responses sent with a status of class `class` (2 for 2xx, 4 for 4xx, ...).
    pub fn status_class(&self, class: u16) -> u64 {
        self.statuses
            .iter()
            .filter(|(status, _)| **status / 100 == class)
            .map(|(_, count)| count)
            .sum()
    }

    /// All responses sent (requests minus those whose response was dropped).
    pub fn responses(&self) -> u64 {
        self.statuses.values().sum()
    }
}

impl FaultCounts {
    /// Injected error answers with `status` (0 if none).
    pub fn error(&self, status: u16) -> u64 {
        self.errors.get(&status).copied().unwrap_or(0)
    }

    /// Every fault injected: errors, dropped responses and latency spikes.
    pub fn total(&self) -> u64 {
        self.errors.values().sum::<u64>() + self.dropped_after_commit + self.latency_spikes
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

    #[test]
    fn counts_statuses_refusals_and_faults_and_resets_them() {
        let counters = Counters::default();
        for status in [200, 201, 201, 204, 404, 429, 429, 503] {
            counters.record_status(status);
        }
        counters.record_rate_limited();
        counters.record_injected(429);
        counters.record_injected(503);
        counters.record_dropped_after_commit();
        counters.record_latency_spike();
        counters.record_latency_spike();
        let snapshot = counters.snapshot();
        assert_eq!(snapshot.status(201), 2);
        assert_eq!(snapshot.status(409), 0);
        assert_eq!(snapshot.status_class(2), 4);
        assert_eq!(snapshot.status_class(4), 3);
        assert_eq!(snapshot.status_class(5), 1);
        assert_eq!(snapshot.responses(), 8);
        assert_eq!(snapshot.rate_limited, 1);
        assert_eq!(
            (snapshot.faults.error(429), snapshot.faults.error(503)),
            (1, 1)
        );
        assert_eq!(snapshot.faults.error(500), 0);
        assert_eq!(snapshot.faults.dropped_after_commit, 1);
        assert_eq!(snapshot.faults.latency_spikes, 2);
        assert_eq!(snapshot.faults.total(), 5);
        counters.reset();
        assert_eq!(counters.snapshot(), RequestCounts::default());
    }

    #[test]
    fn the_snapshot_round_trips_json_with_camel_case_names_and_statuses_as_keys() {
        let counters = Counters::default();
        counters.record_status(201);
        counters.record_injected(503);
        counters.record_dropped_after_commit();
        let json = serde_json::to_value(counters.snapshot()).expect("json");
        assert_eq!(json["statuses"]["201"], 1);
        assert_eq!(json["rateLimited"], 0);
        assert_eq!(json["faults"]["errors"]["503"], 1);
        assert_eq!(json["faults"]["droppedAfterCommit"], 1);
        assert_eq!(json["faults"]["latencySpikes"], 0);
        let mut admin = json.clone();
        admin["total"] = serde_json::json!(0);
        let back: RequestCounts = serde_json::from_value(admin).expect("read back");
        assert_eq!(back, counters.snapshot());
    }
}
