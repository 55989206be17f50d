//! Apply: carry out a plan in dependency order (deletes in reverse), persisting
//! state after every object operation, and reporting each step to an observer.
//! A failure skips what depends on it; everything else still runs. The old
//! objects of `create_before_destroy` replacements are deleted last (see
//! `deposed`).
//!
//! Each operation is persisted as one [`state::Operation`] through
//! [`state::Backend::record`] (a journal line for the local backend), so its
//! cost does not grow with the state; the whole state is stored once at the
//! end. Before each create the intent is recorded with the planned natural
//! key, so that a run killed between "the provider created it" and "state
//! recorded it" is repaired by `recover` on the next run.
//!
//! Provider calls run in parallel (up to `parallelism`), each as soon as what
//! it depends on is done; state is only touched by the one task that
//! coordinates them, so persistence needs no locking.

mod deposed;
mod observer;
mod run;
mod walk;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

pub use observer::{ApplyObserver, Outcome};

use crate::config::Config;
use crate::graph::Graph;
use crate::plan::{Action, Plan};
use crate::providers::Providers;
use crate::{ResourceAddress, Value};

/// Everything applying needs.
pub struct ApplyRequest<'a> {
    /// The plan to carry out.
    pub plan: &'a Plan,
    /// The configuration it was made from (re-evaluated now that values are known).
    pub config: &'a Config,
    /// The configuration's graph.
    pub graph: &'a Graph,
    /// Resolved input variables.
    pub variables: &'a BTreeMap<String, Value>,
    /// Configured providers.
    pub providers: &'a Providers,
    /// Where state is persisted after every operation.
    pub backend: &'a dyn state::Backend,
    /// Told of each operation as it starts and ends.
    pub observer: &'a dyn ApplyObserver,
    /// At most this many operations at once (at least 1).
    pub parallelism: usize,
    /// When set, no new operation starts; those under way finish and are recorded.
    pub interrupt: Option<&'a AtomicBool>,
}

/// What an apply did, resource by resource.
#[derive(Debug)]
pub struct ApplyReport {
    /// Each operation attempted or skipped, in the order it happened.
    pub outcomes: Vec<(ResourceAddress, Action, Outcome)>,
    /// The state as last persisted.
    pub state: state::State,
    /// Time spent persisting state (to see what share of an apply it takes).
    pub persisting: std::time::Duration,
    /// The data source instances read (for outputs; never stored).
    pub data: BTreeMap<ResourceAddress, Value>,
}

impl ApplyReport {
    /// True when every planned operation succeeded.
    pub fn succeeded(&self) -> bool {
        self.outcomes
            .iter()
            .all(|(_, _, o)| matches!(o, Outcome::Succeeded { .. }))
    }
}

/// A failure that stops the apply at once: state could not be saved.
#[derive(Debug, thiserror::Error)]
#[error("could not persist state after {after}; the objects it changed may not be recorded")]
pub struct ApplyError {
    /// The operation whose result could not be recorded.
    pub after: String,
    /// The backend's failure.
    #[source]
    pub source: state::Error,
}

/// Carries out `request.plan`.
pub async fn apply(request: ApplyRequest<'_>) -> Result<ApplyReport, ApplyError> {
    let mut run = run::Run::new(&request);
    if request.plan.refresh_changed_state {
        run.state.serial += 1;
        run.store("refresh")?;
    }
    run.record_known_intents()?;
    run.walk(run::Phase::Delete).await?;
    run.walk(run::Phase::Converge).await?;
    run.walk(run::Phase::Deposed).await?;
    run.forget_unattempted_intents();
    // Compaction: one snapshot with every operation, so the next load reads no journal.
    run.store("the apply")?;
    Ok(ApplyReport {
        outcomes: run.outcomes,
        state: run.state,
        persisting: run.persisting,
        data: run.data,
    })
}

#[cfg(test)]
mod tests;
