//! Drift: what changed outside pingform since the last apply, found by
//! comparing the stored state with the refreshed one. Shown apart from the
//! changes, so a reviewer can tell "someone edited this by hand" from "the
//! configuration asks for this".

use super::diff::sensitive_attributes;
use super::refresh::Drifted;
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
    drifted: &[Drifted],
    providers: &Providers,
) -> Vec<ResourceChange> {
    drifted
        .iter()
        .map(|d| {
            let old = &stored.resources[d.stored];
            let now = d.now.map(|i| &refreshed.resources[i]);
            let (action, reason) = match now {
                Some(_) => (Action::Update, CHANGED),
                None => (Action::Delete, DELETED),
            };
            ResourceChange {
                importing: None,
                deposed: None,
                address: ResourceAddress::of_state(old),
                action,
                before: Some(Value::from_json(&old.attributes)),
                after: now.map(|r| Value::from_json(&r.attributes)),
                replace_paths: Vec::new(),
                sensitive: providers
                    .resource_schema(&old.type_name)
                    .map(sensitive_attributes)
                    .unwrap_or_default(),
                reason: Some(reason.to_string()),
            }
        })
        .collect()
}
