//! Deposed objects in a plan: each old object of a `create_before_destroy`
//! replacement that an earlier run left in state (it died, or the delete
//! failed) is planned as a delete of its own, `- ADDR (deposed object KEY)`,
//! so it is never forgotten.

use super::diff::sensitive_attributes;
use super::{Action, ResourceChange};
use crate::providers::Providers;
use crate::{ResourceAddress, Value};

/// Why a deposed object is deleted (plans show "because ADDR is REASON").
pub const REASON: &str =
    "the old object of a create_before_destroy replacement that did not finish";

/// A delete for every deposed object in `prior`.
pub fn plan_deposed(prior: &state::State, providers: &Providers) -> Vec<ResourceChange> {
    prior
        .deposed
        .iter()
        .map(|d| ResourceChange {
            address: ResourceAddress::of_state(&d.resource),
            action: Action::Delete,
            before: Some(Value::from_json(&d.resource.attributes)),
            after: None,
            replace_paths: Vec::new(),
            sensitive: providers
                .resource_schema(&d.resource.type_name)
                .map(sensitive_attributes)
                .unwrap_or_default(),
            reason: Some(REASON.to_string()),
            importing: None,
            deposed: Some(d.key.clone()),
        })
        .collect()
}
