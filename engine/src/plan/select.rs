//! Narrowing a plan: `--target` (with what the targets depend on), `--exclude`
//! (with what depends on the excluded), `--replace` and `--max-deletes`.

use std::collections::BTreeSet;

use super::{Action, ResourceChange};
use crate::ResourceAddress;
use crate::graph::Graph;

/// What the user asked to narrow or force.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Plan only these, and what they depend on. Empty: everything.
    pub targets: Vec<ResourceAddress>,
    /// Leave these out, and what depends on them.
    pub excludes: Vec<ResourceAddress>,
    /// Replace these even though nothing forces it.
    pub replace: Vec<ResourceAddress>,
    /// Refuse a plan that deletes (or replaces) more objects than this.
    pub max_deletes: Option<usize>,
}

impl Selection {
    /// True when nothing narrows the plan.
    pub fn is_everything(&self) -> bool {
        self.targets.is_empty() && self.excludes.is_empty()
    }
}

/// Why a selection cannot be honoured.
#[derive(Debug, thiserror::Error)]
pub enum SelectionError {
    /// An address names nothing in configuration or state.
    #[error("`{flag} {address}`: there is no such resource in the configuration or the state")]
    Unknown {
        /// The flag that named it.
        flag: &'static str,
        /// The address given.
        address: ResourceAddress,
    },
    /// The plan deletes more than `--max-deletes` allows.
    #[error(
        "the plan deletes {count} object(s), more than --max-deletes {max} allows: {}",
        .addresses.join(", ")
    )]
    TooManyDeletes {
        /// How many deletes (and replaces) the plan has.
        count: usize,
        /// The limit.
        max: usize,
        /// What would be deleted.
        addresses: Vec<String>,
    },
}

/// Checks that every address the selection names exists in `known` (block
/// addresses from the configuration, instance addresses from the state). A
/// block address names all its instances; an instance address of a configured
/// block is accepted before its instances are known.
pub fn check(
    selection: &Selection,
    known: &BTreeSet<ResourceAddress>,
) -> Result<(), SelectionError> {
    let named = [
        ("--target", &selection.targets),
        ("--exclude", &selection.excludes),
        ("--replace", &selection.replace),
    ];
    for (flag, addresses) in named {
        let names_something = |a: &ResourceAddress| {
            known.contains(a) || known.iter().any(|k| a.contains(k) || k.contains(a))
        };
        if let Some(address) = addresses.iter().find(|a| !names_something(a)) {
            return Err(SelectionError::Unknown {
                flag,
                address: address.clone(),
            });
        }
    }
    Ok(())
}

/// Drops the changes the selection leaves out.
pub fn narrow(
    changes: Vec<ResourceChange>,
    graph: &Graph,
    selection: &Selection,
) -> Vec<ResourceChange> {
    if selection.is_everything() {
        return changes;
    }
    let kept = if selection.targets.is_empty() {
        None
    } else {
        Some(closure(&selection.targets, |a| {
            same_module_instance(a, graph.dependencies(a))
        }))
    };
    let dropped = closure(&selection.excludes, |a| {
        same_module_instance(a, graph.dependents(a))
    });
    let within = |set: &BTreeSet<ResourceAddress>, address: &ResourceAddress| {
        set.contains(address)
            || set.contains(&address.block())
            || (address.in_child_module() && set.iter().any(|s| s.contains(address)))
    };
    // What a target depends on is kept so the target can be created or updated;
    // deleting an object is kept only when a target names it.
    let targeted = |c: &ResourceChange| match (&kept, c.action) {
        (None, _) => true,
        (Some(_), Action::Delete) => selection.targets.iter().any(|t| t.contains(&c.address)),
        (Some(kept), _) => within(kept, &c.address),
    };
    changes
        .into_iter()
        .filter(targeted)
        .filter(|c| !within(&dropped, &c.address))
        .collect()
}

/// Refuses a plan with more deletes than allowed.
pub fn check_deletes(
    changes: &[ResourceChange],
    selection: &Selection,
) -> Result<(), SelectionError> {
    let Some(max) = selection.max_deletes else {
        return Ok(());
    };
    let addresses: Vec<String> = changes
        .iter()
        .filter(|c| c.action.deletes())
        .map(ResourceChange::label)
        .collect();
    if addresses.len() > max {
        return Err(SelectionError::TooManyDeletes {
            count: addresses.len(),
            max,
            addresses,
        });
    }
    Ok(())
}

/// The graph's neighbours of `from` (block addresses), placed in the module
/// instance of `from` where their modules are the same: what a resource of
/// `module.team["eng"]` depends on inside the module is in `module.team["eng"]`,
/// not in every instance of it.
fn same_module_instance(
    from: &ResourceAddress,
    found: Vec<ResourceAddress>,
) -> Vec<ResourceAddress> {
    found.into_iter().map(|a| a.beside(from)).collect()
}

/// `start` and everything reachable from it through `next`.
fn closure(
    start: &[ResourceAddress],
    next: impl Fn(&ResourceAddress) -> Vec<ResourceAddress>,
) -> BTreeSet<ResourceAddress> {
    let mut seen: BTreeSet<ResourceAddress> = BTreeSet::new();
    let mut queue: Vec<ResourceAddress> = start.to_vec();
    while let Some(address) = queue.pop() {
        if seen.insert(address.clone()) {
            queue.extend(next(&address));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;

    fn a(name: &str) -> ResourceAddress {
        ResourceAddress::new("t_x", name)
    }

    fn change(name: &str, action: Action) -> ResourceChange {
        ResourceChange {
            deposed: None,
            importing: None,
            address: a(name),
            action,
            before: Some(Value::Null),
            after: None,
            replace_paths: vec![],
            sensitive: Default::default(),
            reason: None,
        }
    }

    /// base <- mid <- top; lone stands apart.
    fn graph() -> Graph {
        Graph::from_dependencies(&[
            (a("base"), vec![]),
            (a("mid"), vec![a("base")]),
            (a("top"), vec![a("mid")]),
            (a("lone"), vec![]),
        ])
    }

    fn names(changes: &[ResourceChange]) -> Vec<String> {
        changes.iter().map(|c| c.address.name.clone()).collect()
    }

    fn all() -> Vec<ResourceChange> {
        ["base", "lone", "mid", "top"]
            .iter()
            .map(|n| change(n, Action::Create))
            .collect()
    }

    #[test]
    fn a_target_brings_its_dependencies() {
        let selection = Selection {
            targets: vec![a("mid")],
            ..Selection::default()
        };
        assert_eq!(names(&narrow(all(), &graph(), &selection)), ["base", "mid"]);
    }

    #[test]
    fn an_exclude_takes_its_dependents() {
        let selection = Selection {
            excludes: vec![a("mid")],
            ..Selection::default()
        };
        assert_eq!(
            names(&narrow(all(), &graph(), &selection)),
            ["base", "lone"]
        );
    }

    #[test]
    fn max_deletes_counts_replaces() {
        let changes = vec![change("x", Action::Delete), change("y", Action::Replace)];
        let selection = Selection {
            max_deletes: Some(1),
            ..Selection::default()
        };
        let message = check_deletes(&changes, &selection).unwrap_err().to_string();
        assert!(message.contains("deletes 2 object(s)"), "{message}");
    }

    #[test]
    fn unknown_addresses_are_refused() {
        let selection = Selection {
            replace: vec![a("nope")],
            ..Selection::default()
        };
        let known = BTreeSet::from([a("base")]);
        assert!(
            check(&selection, &known)
                .unwrap_err()
                .to_string()
                .contains("--replace t_x.nope")
        );
    }
}
