//! `moved` and `removed` blocks, applied to the prior state before refreshing:
//! a moved object keeps its live identity under its new address (no delete
//! and create), and a removed one with `destroy = false` leaves state while
//! staying in the service.

use std::borrow::Cow;

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
pub fn relocate<'s>(
    prior: &'s state::State,
    config: &Config,
) -> (Cow<'s, state::State>, Relocations) {
    let mut done = Relocations::default();
    // Most configurations move nothing: no copy of a large state then.
    if config.moved.is_empty() && config.removed.iter().all(|r| r.destroy) {
        return (Cow::Borrowed(prior), done);
    }
    let mut state = prior.clone();
    for moved in &config.moved {
        let (from, to) = (&moved.from.0, &moved.to.0);
        for found in from.instances_in(&state) {
            let target = destination(from, to, &found);
            if target.in_state(&state).is_none() && move_instance(&mut state, &found, &target) {
                done.moved.push((found, target));
            }
        }
        if from.key.is_none() && to.key.is_none() {
            rename_dependencies(&mut state, from, to);
        }
    }
    for removed in config.removed.iter().filter(|r| !r.destroy) {
        for found in removed.from.0.instances_in(&state) {
            state.remove(
                &found.module,
                &found.type_name,
                &found.name,
                found.key.as_ref(),
            );
            done.forgotten.push(found);
        }
    }
    (Cow::Owned(state), done)
}

/// Where moving `from` to `to` puts the instance `found`: a block moved to a
/// block keeps each instance's key; otherwise `to` itself.
pub fn destination(
    from: &ResourceAddress,
    to: &ResourceAddress,
    found: &ResourceAddress,
) -> ResourceAddress {
    if from.key.is_none() && to.key.is_none() {
        to.instance(found.key.clone())
    } else {
        to.clone()
    }
}

/// Records the object at `found` at `target` instead; false when there is none.
pub fn move_instance(
    state: &mut state::State,
    found: &ResourceAddress,
    target: &ResourceAddress,
) -> bool {
    let Some(mut resource) = found.in_state(state).cloned() else {
        return false;
    };
    state.remove(
        &found.module,
        &found.type_name,
        &found.name,
        found.key.as_ref(),
    );
    resource.module = target.module.clone();
    resource.name = target.name.clone();
    resource.index_key = target.key.clone();
    state.upsert(resource);
    true
}

/// Dependencies recorded on `from` now point at `to`.
pub fn rename_dependencies(state: &mut state::State, from: &ResourceAddress, to: &ResourceAddress) {
    let (old, new) = (from.to_string(), to.to_string());
    for resource in &mut state.resources {
        for dep in &mut resource.dependencies {
            if *dep == old {
                dep.clone_from(&new);
            }
        }
    }
}
