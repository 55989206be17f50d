//! Fault injection: added latency (fixed, jitter and rare spikes), error rates per status,
//! "commit the change, then drop the connection", and eventual-consistency windows. Off by default; set at start (flags of
//! `pingform emulator serve`), through the admin API (`/__emulator/faults`) or the library
//! ([`crate::Emulator::set_faults`]).
//!
//! Random draws come from one generator seeded with [`Faults::seed`], so a test that sends its
//! requests one after another sees the same faults on every run.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The faults to inject. The default injects none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Faults {
    /// Fixed latency added to every request, in milliseconds.
    pub latency_ms: u64,
    /// Up to this many milliseconds more, drawn uniformly per request.
    pub latency_jitter_ms: u64,
    /// Probability (0..=1) that a request also waits a latency spike of
    /// [`Faults::latency_spike_ms`], as a slow PingOne node or a congested link does now and
    /// then.
    pub latency_spike_rate: f64,
    /// The extra delay of a latency spike, in milliseconds (required when
    /// [`Faults::latency_spike_rate`] is above 0).
    pub latency_spike_ms: u64,
    /// Error statuses and the probability (0..=1) that a request gets each, instead of being
    /// handled. Supported: 429 (with `Retry-After`), 500, 502, 503 (with `Retry-After`), 504.
    pub error_rates: Vec<ErrorRate>,
    /// Probability that a successful change (POST, PUT, PATCH, DELETE) is committed and then
    /// the connection is dropped before the client gets the response.
    pub drop_after_commit_rate: f64,
    /// For this many milliseconds after its creation, calls under a new environment answer 403
    /// (and `GET /environments/{id}` 404), as PingOne does while it propagates (API.md §8.3).
    pub env_consistency_ms: u64,
    /// A role assignment created after this is set takes effect only this many milliseconds
    /// after its creation; until then permission checks ignore it, so its holder gets
    /// PingOne's 403 (API.md §5.4, §8.4).
    pub role_consistency_ms: u64,
    /// Seed of the random draws; `None` seeds from the clock.
    pub seed: Option<u64>,
}

/// One injected error status and its probability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRate {
    /// The HTTP status.
    pub status: u16,
    /// The probability, from 0 to 1.
    pub rate: f64,
}

/// The statuses [`Faults::error_rates`] may name.
pub const INJECTABLE_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

impl Faults {
    /// Parses `503=0.05,429=0.02` (the `--error-rate` flag) into error rates.
    pub fn parse_error_rates(text: &str) -> Result<Vec<ErrorRate>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                let (status, rate) = part
                    .split_once('=')
                    .ok_or_else(|| format!("`{part}` is not STATUS=RATE"))?;
                let status = status
                    .trim()
                    .parse()
                    .map_err(|_| format!("`{status}` is not an HTTP status"))?;
                let rate = rate
                    .trim()
                    .parse()
                    .map_err(|_| format!("`{rate}` is not a number"))?;
                Ok(ErrorRate { status, rate })
            })
            .collect()
    }

    /// Checks statuses and probabilities; the message names the first problem.
    pub fn validate(&self) -> Result<(), String> {
        let probability = |name: &str, rate: f64| {
            if (0.0..=1.0).contains(&rate) {
                Ok(())
            } else {
                Err(format!("{name} must be between 0 and 1, not {rate}"))
            }
        };
        for error in &self.error_rates {
            if !INJECTABLE_STATUSES.contains(&error.status) {
                return Err(format!(
                    "status {} cannot be injected (use one of {INJECTABLE_STATUSES:?})",
                    error.status
                ));
            }
            probability(&format!("the rate of {}", error.status), error.rate)?;
        }
        let total: f64 = self.error_rates.iter().map(|e| e.rate).sum();
        probability("the sum of the error rates", total)?;
        probability("dropAfterCommitRate", self.drop_after_commit_rate)?;
        probability("latencySpikeRate", self.latency_spike_rate)?;
        if self.latency_spike_rate > 0.0 && self.latency_spike_ms == 0 {
            return Err(format!(
                "latencySpikeRate is {} but latencySpikeMs is 0: give the delay of a spike \
                 in milliseconds, or set the rate to 0",
                self.latency_spike_rate
            ));
        }
        Ok(())
    }
}

/// The live fault settings and their random generator.
#[derive(Debug)]
pub(crate) struct FaultState {
    faults: RwLock<Faults>,
    rng: Mutex<fastrand::Rng>,
    /// When the settings were last set, in milliseconds since the epoch: a role-assignment
    /// window applies to assignments created from then on.
    set_at_ms: AtomicI64,
    /// What every request asks, readable without the lock: whether any per-request fault is
    /// on, and the two consistency windows in milliseconds.
    request_faults: AtomicBool,
    env_window_ms: AtomicU64,
    role_window_ms: AtomicU64,
}

impl FaultState {
    /// A state injecting `faults`.
    pub(crate) fn new(faults: Faults) -> Self {
        let state = FaultState {
            faults: RwLock::new(Faults::default()),
            rng: Mutex::new(fastrand::Rng::new()),
            set_at_ms: AtomicI64::new(0),
            request_faults: AtomicBool::new(false),
            env_window_ms: AtomicU64::new(0),
            role_window_ms: AtomicU64::new(0),
        };
        state.set(faults);
        state
    }

    /// The current settings.
    pub(crate) fn get(&self) -> Faults {
        self.faults
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the settings, reseeding the generator.
    pub(crate) fn set(&self, faults: Faults) {
        *self.rng.lock().unwrap_or_else(PoisonError::into_inner) = rng_for(&faults);
        let mut current = self.faults.write().unwrap_or_else(PoisonError::into_inner);
        let request_faults = faults.latency_ms > 0
            || faults.latency_jitter_ms > 0
            || faults.error_rates.iter().any(|e| e.rate > 0.0)
            || faults.drop_after_commit_rate > 0.0
            || faults.latency_spike_rate > 0.0;
        self.request_faults.store(request_faults, Ordering::SeqCst);
        self.env_window_ms
            .store(faults.env_consistency_ms, Ordering::SeqCst);
        self.role_window_ms
            .store(faults.role_consistency_ms, Ordering::SeqCst);
        self.set_at_ms
            .store(crate::model::now().timestamp_millis(), Ordering::SeqCst);
        *current = faults;
    }

    /// Whether any per-request fault is on (a fast path for the common case: none).
    pub(crate) fn any_request_fault(&self) -> bool {
        self.request_faults.load(Ordering::SeqCst)
    }

    /// Whether new environments are hidden for a while ([`Faults::env_consistency_ms`]).
    pub(crate) fn env_window_on(&self) -> bool {
        self.env_window_ms.load(Ordering::SeqCst) > 0
    }

    /// What to do to one request, drawn now.
    pub(crate) fn draw(&self) -> Decision {
        let faults = self.faults.read().unwrap_or_else(PoisonError::into_inner);
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        let jitter = match faults.latency_jitter_ms {
            0 => 0,
            max => rng.u64(0..=max),
        };
        // Drawn only when spikes are on, so turning them on is the only thing that changes
        // the sequence an existing seed draws.
        let spike = faults.latency_spike_rate > 0.0 && rng.f64() < faults.latency_spike_rate;
        let spike_ms = if spike { faults.latency_spike_ms } else { 0 };
        let latency = Duration::from_millis(
            faults
                .latency_ms
                .saturating_add(jitter)
                .saturating_add(spike_ms),
        );
        // One draw picks at most one error: the rates are slices of [0, 1).
        let roll = rng.f64();
        let mut edge = 0.0;
        let error = faults.error_rates.iter().find_map(|e| {
            edge += e.rate;
            (roll < edge).then_some(e.status)
        });
        let drop_after_commit = rng.f64() < faults.drop_after_commit_rate;
        Decision {
            latency,
            spike,
            error,
            drop_after_commit,
        }
    }

    /// Whether an environment created at `created_at` is visible yet (the hook for calls
    /// under an environment: until then answer 403, or 404 for `GET /environments/{id}`).
    pub(crate) fn environment_visible(&self, created_at: DateTime<Utc>) -> bool {
        elapsed_at_least(created_at, self.env_window_ms.load(Ordering::SeqCst))
    }

    /// The instant up to which role assignments have taken effect: those created later are
    /// inside the window ([`Faults::role_consistency_ms`]) and grant nothing yet. `None` when
    /// there is no window. Assignments created before the settings were set are never held
    /// back, so turning a window on does not take away roles already in use.
    pub(crate) fn roles_settled_until(&self) -> Option<DateTime<Utc>> {
        let window = self.role_window_ms.load(Ordering::SeqCst);
        if window == 0 {
            return None;
        }
        let set_at = self.set_at_ms.load(Ordering::SeqCst);
        let window = i64::try_from(window).unwrap_or(i64::MAX);
        let until = crate::model::latest()
            .timestamp_millis()
            .saturating_sub(window)
            .max(set_at);
        DateTime::from_timestamp_millis(until)
    }
}

/// The faults drawn for one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Decision {
    /// Wait this long before handling it (a spike included).
    pub(crate) latency: Duration,
    /// Whether the latency includes a spike ([`Faults::latency_spike_rate`]).
    pub(crate) spike: bool,
    /// Answer this error status instead of handling it.
    pub(crate) error: Option<u16>,
    /// If it is a successful change, drop the connection instead of answering.
    pub(crate) drop_after_commit: bool,
}

fn rng_for(faults: &Faults) -> fastrand::Rng {
    match faults.seed {
        Some(seed) => fastrand::Rng::with_seed(seed),
        None => fastrand::Rng::new(),
    }
}

fn elapsed_at_least(since: DateTime<Utc>, window_ms: u64) -> bool {
    if window_ms == 0 {
        return true;
    }
    let elapsed = crate::model::latest()
        .signed_duration_since(since)
        .num_milliseconds();
    u64::try_from(elapsed).is_ok_and(|ms| ms >= window_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_rates_parse_and_validate() {
        let rates = Faults::parse_error_rates("503=0.05, 429=0.02").expect("parse");
        assert_eq!(
            rates,
            vec![
                ErrorRate {
                    status: 503,
                    rate: 0.05
                },
                ErrorRate {
                    status: 429,
                    rate: 0.02
                }
            ]
        );
        assert!(Faults::parse_error_rates("503").is_err());
        assert!(Faults::parse_error_rates("abc=0.1").is_err());
        let bad = |error_rates| Faults {
            error_rates,
            ..Faults::default()
        };
        assert!(
            bad(vec![ErrorRate {
                status: 404,
                rate: 0.1
            }])
            .validate()
            .is_err()
        );
        assert!(
            bad(vec![ErrorRate {
                status: 503,
                rate: 1.5
            }])
            .validate()
            .is_err()
        );
        let too_many = vec![
            ErrorRate {
                status: 503,
                rate: 0.6,
            },
            ErrorRate {
                status: 500,
                rate: 0.6,
            },
        ];
        assert!(bad(too_many).validate().is_err());
        assert!(Faults::default().validate().is_ok());
    }

    #[test]
    fn the_same_seed_draws_the_same_faults() {
        let faults = Faults {
            latency_jitter_ms: 100,
            error_rates: vec![ErrorRate {
                status: 503,
                rate: 0.3,
            }],
            drop_after_commit_rate: 0.2,
            seed: Some(7),
            ..Faults::default()
        };
        let draws = |state: &FaultState| (0..50).map(|_| state.draw()).collect::<Vec<_>>();
        let first = draws(&FaultState::new(faults.clone()));
        assert_eq!(first, draws(&FaultState::new(faults)));
        assert!(first.iter().any(|d| d.error == Some(503)));
        assert!(first.iter().any(|d| d.error.is_none()));
    }

    #[test]
    fn certain_faults_always_happen_and_none_by_default() {
        let state = FaultState::new(Faults::default());
        assert!(!state.any_request_fault());
        let decision = state.draw();
        assert_eq!(
            (
                decision.latency,
                decision.spike,
                decision.error,
                decision.drop_after_commit
            ),
            (Duration::ZERO, false, None, false)
        );
        state.set(Faults {
            error_rates: vec![ErrorRate {
                status: 429,
                rate: 1.0,
            }],
            drop_after_commit_rate: 1.0,
            latency_ms: 5,
            ..Faults::default()
        });
        let decision = state.draw();
        assert_eq!(decision.error, Some(429));
        assert!(decision.drop_after_commit);
        assert_eq!(decision.latency, Duration::from_millis(5));
    }

    #[test]
    fn latency_spikes_are_drawn_at_their_rate_and_add_their_delay() {
        let faults = Faults {
            latency_ms: 3,
            latency_spike_rate: 0.2,
            latency_spike_ms: 500,
            seed: Some(11),
            ..Faults::default()
        };
        let state = FaultState::new(faults.clone());
        assert!(state.any_request_fault());
        let draws: Vec<Decision> = (0..1000).map(|_| state.draw()).collect();
        let spikes = draws.iter().filter(|d| d.spike).count();
        // 200 expected; the bounds are far enough out that no sane generator misses them.
        assert!((120..=280).contains(&spikes), "{spikes} spikes in 1000");
        for decision in &draws {
            let expected = if decision.spike { 503 } else { 3 };
            assert_eq!(decision.latency, Duration::from_millis(expected));
        }
        let again: Vec<Decision> = {
            let state = FaultState::new(faults);
            (0..1000).map(|_| state.draw()).collect()
        };
        assert_eq!(draws, again, "the same seed draws the same spikes");
    }

    #[test]
    fn spikes_off_leave_the_draws_as_they_were() {
        let base = Faults {
            error_rates: vec![ErrorRate {
                status: 503,
                rate: 0.3,
            }],
            seed: Some(3),
            ..Faults::default()
        };
        let certain = FaultState::new(Faults {
            latency_spike_rate: 1.0,
            latency_spike_ms: 20,
            ..base.clone()
        });
        assert!((0..20).all(|_| certain.draw().spike));
        // With the rate at 0 the draws are those of the generator without a spike roll: one
        // roll for the error, one for the drop, per request.
        let off = FaultState::new(Faults {
            latency_spike_ms: 20,
            ..base
        });
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..50 {
            let error = (rng.f64() < 0.3).then_some(503);
            let _drop_roll = rng.f64();
            let decision = off.draw();
            assert!(!decision.spike);
            assert_eq!(decision.error, error, "a zero spike rate consumes no draw");
        }
    }

    #[test]
    fn a_spike_rate_needs_a_delay_and_a_probability() {
        let spikes = |rate, ms| Faults {
            latency_spike_rate: rate,
            latency_spike_ms: ms,
            ..Faults::default()
        };
        let missing = spikes(0.1, 0).validate().expect_err("no delay");
        assert!(missing.contains("latencySpikeMs"), "{missing}");
        assert!(spikes(1.5, 100).validate().is_err());
        assert!(spikes(-0.1, 100).validate().is_err());
        assert!(spikes(0.02, 500).validate().is_ok());
        assert!(spikes(0.0, 0).validate().is_ok());
    }

    #[test]
    fn consistency_windows() {
        let state = FaultState::new(Faults::default());
        assert!(state.environment_visible(Utc::now()));
        assert_eq!(state.roles_settled_until(), None);
        let before = crate::model::now();
        state.set(Faults {
            env_consistency_ms: 60_000,
            role_consistency_ms: 60_000,
            ..Faults::default()
        });
        assert!(!state.environment_visible(Utc::now()));
        let settled = state.roles_settled_until().expect("a window");
        assert!(settled >= before, "older assignments stay in effect");
        let created = crate::model::now();
        assert!(created > settled, "newer ones are held back");
        let long_ago = Utc::now() - chrono::Duration::minutes(2);
        assert!(state.environment_visible(long_ago));
    }
}
