//! Output changes: each `output` block's value before the plan (evaluated against the
//! refreshed prior state) and after it (against the planned values, unknowns and all),
//! for the plan's "Changes to Outputs" and the JSON plan's `output_changes`.

use std::collections::BTreeMap;

use super::diff::mark_attributes;
use super::{Action, Plan, PlanMode};
use crate::config::{Config, ResourceBlock};
use crate::diagnostics::Diagnostics;
use crate::eval::{Phase, Scope, evaluate};
use crate::outputs::resource_values;
use crate::providers::Providers;
use crate::{InstanceKey, ResourceAddress, Value};

/// The planned change of one output value.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputChange {
    /// The output's name.
    pub name: String,
    /// `Create`, `Update`, `Delete` or `NoOp`.
    pub action: Action,
    /// The value now; `None` when the output has no value yet.
    pub before: Option<Value>,
    /// The value after apply (may hold unknowns); `None` when it will have none.
    pub after: Option<Value>,
    /// Whether the value is hidden (`sensitive = true`, or it holds sensitive values).
    pub sensitive: bool,
}

/// The change of every output of `config` that `plan` makes, in file order.
///
/// An output that cannot be evaluated before the plan (it refers to an object not yet
/// created) has no `before`; one that cannot be evaluated after it is an error, as it
/// would be at apply.
pub fn changes(
    config: &Config,
    variables: &BTreeMap<String, Value>,
    plan: &Plan,
    providers: &Providers,
) -> Result<Vec<OutputChange>, Diagnostics> {
    // Gathering every resource's values costs as much as planning them: skip it when
    // nothing would read them.
    if config.outputs.is_empty() {
        return Ok(Vec::new());
    }
    let prior = resource_values(config, &plan.prior, &plan.data, providers);
    let (planned, outside) = planned_values(config, prior.clone(), plan);
    let mut found = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for output in &config.outputs {
        let before = evaluate(&output.value, &scope(config, variables, &prior))
            .ok()
            .filter(Value::is_wholly_known);
        let after = match plan.mode {
            PlanMode::Destroy => Ok(Value::Null),
            _ => evaluate(&output.value, &scope(config, variables, &planned)),
        };
        let after = match after {
            Ok(v) => v,
            // An output of objects left out of the plan (--target, --exclude) keeps its value.
            Err(_) if evaluate(&output.value, &scope(config, variables, &outside)).is_ok() => {
                before.clone().unwrap_or(Value::Null)
            }
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        found.push(change(&output.name, output.sensitive, before, after));
    }
    if diagnostics.is_empty() {
        Ok(found)
    } else {
        Err(diagnostics)
    }
}

/// The values references see once `plan` is applied (see [`planned_values`]), for
/// `check` blocks.
pub fn planned_resources(
    config: &Config,
    plan: &Plan,
    providers: &Providers,
) -> BTreeMap<ResourceAddress, Value> {
    let prior = resource_values(config, &plan.prior, &plan.data, providers);
    planned_values(config, prior, plan).0
}

/// Resource values as they will be after apply: the planned `after` of every instance
/// (with its sensitive attributes marked), gathered per resource block as references see
/// them (a list for `count`, an object for `for_each`); the prior values elsewhere, and
/// null for objects that neither exist nor are planned (left out by --target or
/// --exclude). Also the same values with those objects unknown instead, to tell an
/// output that only depends on them from a broken one.
fn planned_values(
    config: &Config,
    prior: BTreeMap<ResourceAddress, Value>,
    plan: &Plan,
) -> (
    BTreeMap<ResourceAddress, Value>,
    BTreeMap<ResourceAddress, Value>,
) {
    if plan.mode == PlanMode::RefreshOnly {
        return (prior.clone(), prior);
    }
    let mut outside = prior;
    // The planned instances per resource in each module instance (what
    // `TYPE.NAME` means there), gathered in one pass over the changes.
    type Instances<'p> = Vec<(Option<&'p InstanceKey>, Value)>;
    let mut by_resource: BTreeMap<ResourceAddress, Instances<'_>> = BTreeMap::new();
    for c in &plan.changes {
        let after = c.after.clone().unwrap_or(Value::Null);
        by_resource
            .entry(c.address.without_key())
            .or_default()
            .push((c.address.key.as_ref(), mark_attributes(after, &c.sensitive)));
    }
    let blocks: BTreeMap<ResourceAddress, &ResourceBlock> = config
        .all_resources()
        .into_iter()
        .map(|b| (b.address.clone(), b))
        .collect();
    for (address, instances) in by_resource {
        if let Some(block) = blocks.get(&address.block()) {
            outside.insert(address, gathered(block, instances));
        }
    }
    let planned = outside
        .iter()
        .map(|(address, value)| {
            let value = match value {
                Value::Unknown => Value::Null,
                other => other.clone(),
            };
            (address.clone(), value)
        })
        .collect();
    (planned, outside)
}

/// One block's planned instances as a reference to the block sees them; instances to be
/// deleted (null) are left out.
fn gathered(block: &ResourceBlock, instances: Vec<(Option<&InstanceKey>, Value)>) -> Value {
    let kept = instances
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(key, value)| (key.cloned(), value));
    super::expand::gather(block, kept)
}

/// Where outputs are evaluated at plan time (`timestamp()` is unknown).
fn scope<'a>(
    config: &'a Config,
    variables: &'a BTreeMap<String, Value>,
    resources: &'a BTreeMap<ResourceAddress, Value>,
) -> Scope<'a> {
    Scope::new(variables, resources)
        .with_config(config)
        .with_phase(Phase::Plan)
}

fn change(
    name: &str,
    declared_sensitive: bool,
    before: Option<Value>,
    after: Value,
) -> OutputChange {
    let (before, marked_before) = match before {
        Some(v) => {
            let (v, marked) = v.unmark_deep();
            (Some(v).filter(|v| !v.is_null()), marked)
        }
        None => (None, false),
    };
    let (after, marked_after) = after.unmark_deep();
    let after = Some(after).filter(|v| !v.is_null());
    let action = match (&before, &after) {
        (None, None) => Action::NoOp,
        (None, Some(_)) => Action::Create,
        (Some(_), None) => Action::Delete,
        (Some(a), Some(b)) if a == b && b.is_wholly_known() => Action::NoOp,
        (Some(_), Some(_)) => Action::Update,
    };
    OutputChange {
        name: name.to_string(),
        action,
        before,
        after,
        sensitive: declared_sensitive || marked_before || marked_after,
    }
}

#[cfg(test)]
mod tests;
