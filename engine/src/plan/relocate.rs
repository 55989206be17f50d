//! `moved` and `removed` blocks, applied to the prior state before refreshing:
//! a moved object keeps its live identity under its new address (no delete
//! and create), and a removed one with `destroy = false` leaves state while
//! staying in the service.

use crate::ResourceAddress;
use crate::config::Config;

/// What `moved` and `removed` blocks changed in the prior state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Relocations {
    /// Each moved instance: from, to.
    pub moved: Vec<(ResourceAddress, ResourceAddress)>,
    /// Instances no longer managed, left as they are in the service.
    pub forgotten: Vec<ResourceAddress>,
}

impl Relocations {
    /// True when nothing moved or was forgotten.
    pub fn is_empty(&self) -> bool {
        self.moved.is_empty() && self.forgotten.is_empty()
    }
}

/// `prior` with the configuration's moves and forgets applied, and what they did.
pub fn relocate(prior: &state::State, config: &Config) -> (state::State, Relocations) {
    let mut state = prior.clone();
    let mut done = Relocations::default();
    for moved in &config.moved {
        let (from, to) = (&moved.from.0, &moved.to.0);
        for found in matching(&state, from) {
            let target = if from.key.is_none() && to.key.is_none() {
                to.instance(found.key.clone())
            } else {
                to.clone()
            };
            if target.in_state(&state).is_some() {
                continue;
            }
            if let Some(mut resource) = found.in_state(&state).cloned() {
                state.remove(&found.type_name, &found.name, found.key.as_ref());
                resource.name = target.name.clone();
                resource.index_key = target.key.clone();
                state.upsert(resource);
                done.moved.push((found, target));
            }
        }
        if from.key.is_none() && to.key.is_none() {
            rename_dependencies(&mut state, from, to);
        }
    }
    for removed in config.removed.iter().filter(|r| !r.destroy) {
        for found in matching(&state, &removed.from.0) {
            state.remove(&found.type_name, &found.name, found.key.as_ref());
            done.forgotten.push(found);
        }
    }
    (state, done)
}

/// The instances in `state` that `address` names.
fn matching(state: &state::State, address: &ResourceAddress) -> Vec<ResourceAddress> {
    state
        .instances(&address.type_name, &address.name)
        .map(ResourceAddress::of_state)
        .filter(|found| address.contains(found))
        .collect()
}

/// Dependencies recorded on `from` now point at `to`.
fn rename_dependencies(state: &mut state::State, from: &ResourceAddress, to: &ResourceAddress) {
    let (old, new) = (from.to_string(), to.to_string());
    for resource in &mut state.resources {
        for dep in &mut resource.dependencies {
            if *dep == old {
                dep.clone_from(&new);
            }
        }
    }
}
