//! Drift: what changed outside pingform since the last apply, found by
//! comparing the stored state with the refreshed one. Shown apart from the
//! changes, so a reviewer can tell "someone edited this by hand" from "the
//! configuration asks for this".

use std::collections::BTreeMap;

use super::diff::sensitive_attributes;
use super::{Action, ResourceChange};
use crate::providers::Providers;
use crate::{ResourceAddress, Value};

/// Why an object drifted, as `ResourceChange::reason` words it.
pub const CHANGED: &str = "changed outside pingform";
/// Why an object is gone, as `ResourceChange::reason` words it.
pub const DELETED: &str = "deleted outside pingform";

/// One entry per managed object that changed or vanished outside pingform:
/// `Update` with the stored and live attributes, or `Delete` when it is gone.
pub fn detect(
    stored: &state::State,
    refreshed: &state::State,
    providers: &Providers,
) -> Vec<ResourceChange> {
    let live: BTreeMap<ResourceAddress, &state::ResourceState> = refreshed
        .resources
        .iter()
        .map(|r| (ResourceAddress::of_state(r), r))
        .collect();
    stored
        .resources
        .iter()
        .filter_map(|old| {
            let address = ResourceAddress::of_state(old);
            let now = live.get(&address);
            if now.is_some_and(|now| now.attributes == old.attributes) {
                return None;
            }
            let (action, reason) = if now.is_some() {
                (Action::Update, CHANGED)
            } else {
                (Action::Delete, DELETED)
            };
            Some(ResourceChange {
                importing: None,
                address,
                action,
                before: Some(Value::from_json(&old.attributes)),
                after: now.map(|r| Value::from_json(&r.attributes)),
                replace_paths: Vec::new(),
                sensitive: providers
                    .resource_schema(&old.type_name)
                    .map(sensitive_attributes)
                    .unwrap_or_default(),
                reason: Some(reason.to_string()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(name: &str, description: &str) -> state::ResourceState {
        state::ResourceState {
            module: Vec::new(),
            type_name: "mem_thing".into(),
            name: name.into(),
            index_key: None,
            provider: "mem".into(),
            attributes: serde_json::json!({"id": name, "description": description}),
            dependencies: vec![],
        }
    }

    #[test]
    fn finds_changed_and_deleted_objects_only() {
        let mut stored = state::State::new();
        stored.resources = vec![
            resource("a", "same"),
            resource("b", "old"),
            resource("c", "gone"),
        ];
        let mut refreshed = stored.clone();
        refreshed.resources = vec![resource("a", "same"), resource("b", "new")];
        let drift = detect(&stored, &refreshed, &Providers::default());
        let found: Vec<(String, Action)> = drift
            .iter()
            .map(|d| (d.address.name.clone(), d.action))
            .collect();
        assert_eq!(
            found,
            [
                ("b".to_string(), Action::Update),
                ("c".to_string(), Action::Delete)
            ]
        );
        assert_eq!(drift[1].reason.as_deref(), Some(DELETED));
    }
}
