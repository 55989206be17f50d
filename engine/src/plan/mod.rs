//! Planning: refresh the prior state, then compare it with the configuration,
//! giving one action per resource. The plan is data; `render` draws it and
//! `apply` carries it out.

pub mod conditions;
pub(crate) mod data;
pub mod deposed;
pub mod diff;
pub mod drift;
pub mod expand;
pub mod file;
pub mod import;
pub mod outputs;
mod planner;
mod provider_change;
pub mod refresh;
pub mod relocate;
pub mod risk;
pub mod sealed;
pub mod secret_leaves;
pub mod select;
pub mod triggers;
pub mod unmanaged;

use std::collections::{BTreeMap, BTreeSet};

pub use planner::{PlanError, PlanMode, PlanRequest, plan};
pub use provider_change::configuration_of;

use crate::{ResourceAddress, Value};

/// What will happen to one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Nothing: the live object matches the configuration.
    NoOp,
    /// Create a new object.
    Create,
    /// Change the object in place.
    Update,
    /// Delete the object, then create a new one (an attribute that cannot be
    /// updated in place changed).
    Replace,
    /// Create the new object, then delete the old one: a replacement with
    /// `lifecycle { create_before_destroy = true }`.
    CreateThenDelete,
    /// Delete the object.
    Delete,
    /// Read a data source during apply (its arguments are known only then).
    Read,
}

impl Action {
    /// The symbol plans draw beside the resource: `+`, `~`, `-/+`, `+/-`, `-`.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::NoOp => " ",
            Action::Create => "+",
            Action::Update => "~",
            Action::Replace => "-/+",
            Action::CreateThenDelete => "+/-",
            Action::Delete => "-",
            Action::Read => "<=",
        }
    }

    /// Whether the object is replaced (in either order).
    pub fn replaces(self) -> bool {
        matches!(self, Action::Replace | Action::CreateThenDelete)
    }

    /// Whether an existing object is deleted: a delete or either kind of replacement.
    pub fn deletes(self) -> bool {
        self == Action::Delete || self.replaces()
    }
}

/// The planned change to one resource.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceChange {
    /// The resource.
    pub address: ResourceAddress,
    /// What will happen.
    pub action: Action,
    /// Its attributes now (after refresh), if it exists.
    pub before: Option<Value>,
    /// Its attributes after apply, with unknowns, unless it will be deleted.
    pub after: Option<Value>,
    /// The changed attributes that force the replacement.
    pub replace_paths: Vec<String>,
    /// Attributes whose values are masked in output.
    pub sensitive: BTreeSet<String>,
    /// Why a delete is planned, when not obvious ("not in configuration").
    pub reason: Option<String>,
    /// The import ID, when the object is being imported (by an `import` block).
    pub importing: Option<String>,
    /// For the delete of a deposed object (the old object of a
    /// `create_before_destroy` replacement left by an earlier run), its deposed key.
    pub deposed: Option<String>,
}

impl ResourceChange {
    /// The address, followed by `(deposed object KEY)` for a deposed object.
    pub fn label(&self) -> String {
        match &self.deposed {
            Some(key) => format!("{} (deposed object {key})", self.address),
            None => self.address.to_string(),
        }
    }
}

/// Everything a run will do, and the state it was planned against.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The prior state, refreshed from the live objects.
    pub prior: state::State,
    /// Whether refreshing changed the prior state (objects changed or vanished).
    pub refresh_changed_state: bool,
    /// One entry per resource in configuration or state, in walk order.
    pub changes: Vec<ResourceChange>,
    /// Objects changed or deleted outside pingform since the last apply (see `drift`).
    pub drift: Vec<ResourceChange>,
    /// Whether this plan destroys everything.
    pub mode: PlanMode,
    /// The data source instances read while planning, by address (never stored
    /// in state; apply and outputs use them).
    pub data: BTreeMap<ResourceAddress, Value>,
    /// What `moved` and `removed` blocks changed in state.
    pub relocations: relocate::Relocations,
}

/// How many resources a plan adds, changes and destroys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Creates, and the create half of replaces.
    pub add: usize,
    /// In-place updates.
    pub change: usize,
    /// Deletes, and the delete half of replaces.
    pub destroy: usize,
    /// Objects imported (by `import` blocks).
    pub import: usize,
}

impl Plan {
    /// A normal plan of `changes` against an empty state, with no drift, data
    /// or relocations (what renderers need of a plan built by hand).
    pub fn of_changes(changes: Vec<ResourceChange>) -> Plan {
        Plan {
            prior: state::State::new(),
            refresh_changed_state: false,
            changes,
            drift: Vec::new(),
            mode: PlanMode::Normal,
            data: BTreeMap::new(),
            relocations: Default::default(),
        }
    }

    /// True when applying would change anything. A refresh-only plan changes
    /// state alone, so it "has changes" when anything drifted.
    pub fn has_changes(&self) -> bool {
        match self.mode {
            PlanMode::RefreshOnly => !self.drift.is_empty(),
            _ if !self.relocations.is_empty() => true,
            _ => self
                .changes
                .iter()
                .any(|c| c.importing.is_some() || !matches!(c.action, Action::NoOp | Action::Read)),
        }
    }

    /// The summary counts.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for change in &self.changes {
            if change.importing.is_some() {
                counts.import += 1;
            }
            match change.action {
                Action::NoOp | Action::Read => {}
                Action::Create => counts.add += 1,
                Action::Update => counts.change += 1,
                Action::Replace | Action::CreateThenDelete => {
                    counts.add += 1;
                    counts.destroy += 1;
                }
                Action::Delete => counts.destroy += 1,
            }
        }
        counts
    }
}
