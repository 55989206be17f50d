//! `lifecycle { replace_triggered_by }`: whether a change planned for a
//! referenced resource replaces this instance.
//!
//! References are dependencies in the graph, so what they name is planned
//! first. A reference to a resource or an instance fires when any instance it
//! names is planned to be created, updated or replaced; a reference to an
//! attribute fires when that attribute's planned value differs from its value
//! now (a value known only after apply counts as a change). An index in the
//! reference is evaluated in the instance's scope, so `each.key` and
//! `count.index` pick the matching instance.

// Errors are the cold path and callers take them by value (see `eval`).
#![allow(clippy::result_large_err)]

use hcl_edit::expr::{Expression, TraversalOperator};

use super::{Action, ResourceChange};
use crate::config::{Expr, ResourceBlock, Trigger};
use crate::diagnostics::Diagnostic;
use crate::eval::{Scope, Value, evaluate};
use crate::{InstanceKey, ResourceAddress};

const PREFIX: &str = "replaced because ";
const SUFFIX: &str = " changed";

/// The reason a plan gives for a replacement that `reference` triggered.
pub fn reason(reference: &str) -> String {
    format!("{PREFIX}{reference}{SUFFIX}")
}

/// Whether `reason` is one that [`reason`] made.
pub fn is_reason(reason: &str) -> bool {
    reason.starts_with(PREFIX) && reason.ends_with(SUFFIX)
}

/// The first of `block`'s triggers that fires, as the reference it resolved to
/// (such as `pingone_user.staff["ann"].name`).
pub fn fired(
    block: &ResourceBlock,
    scope: &Scope<'_>,
    planned: &[ResourceChange],
) -> Result<Option<String>, Diagnostic> {
    for trigger in &block.lifecycle.replace_triggered_by {
        let target = Target::resolve(trigger, scope)?;
        let mut selected = planned.iter().filter(|c| target.selects(c));
        if selected.any(|c| target.changed(c)) {
            return Ok(Some(target.to_string()));
        }
    }
    Ok(None)
}

/// What one trigger names, once its index is evaluated.
struct Target {
    resource: ResourceAddress,
    /// The instance, when the reference names one.
    key: Option<InstanceKey>,
    /// The attribute path after the resource or instance, if any.
    path: Vec<String>,
}

impl Target {
    fn resolve(trigger: &Trigger, scope: &Scope<'_>) -> Result<Self, Diagnostic> {
        let mut target = Target {
            // In a module, the resource of the same module instance.
            resource: trigger.resource.clone().in_module(scope.module),
            key: None,
            path: Vec::new(),
        };
        let Expression::Traversal(traversal) = &trigger.expr.expr else {
            return Ok(target);
        };
        // The first operator is the resource name.
        for (i, op) in traversal.operators.iter().enumerate().skip(1) {
            match op.value() {
                TraversalOperator::GetAttr(name) => target.path.push(name.to_string()),
                TraversalOperator::LegacyIndex(n) if i == 1 => {
                    target.key = Some(InstanceKey::Int(*n.value() as i64));
                }
                TraversalOperator::Index(index) if i == 1 => {
                    let index = Expr::new(index.clone(), trigger.expr.file);
                    target.key = Some(instance_key(&index, scope)?);
                }
                TraversalOperator::LegacyIndex(n) => target.path.push(n.value().to_string()),
                TraversalOperator::Index(index) => {
                    let index = Expr::new(index.clone(), trigger.expr.file);
                    match evaluate(&index, scope)?.unmark_deep().0 {
                        Value::String(s) => target.path.push(s),
                        other => target.path.push(other.to_string()),
                    }
                }
                // The loader refuses splats.
                _ => {}
            }
        }
        Ok(target)
    }

    /// Whether `change` is of an instance this target names.
    fn selects(&self, change: &ResourceChange) -> bool {
        change.deposed.is_none()
            && change.address.without_key() == self.resource
            && (self.key.is_none() || change.address.key == self.key)
    }

    fn changed(&self, change: &ResourceChange) -> bool {
        if self.path.is_empty() {
            return matches!(
                change.action,
                Action::Create | Action::Update | Action::Replace | Action::CreateThenDelete
            );
        }
        let at = |side: &Option<Value>| {
            let value = side
                .as_ref()
                .and_then(|v| self.path.iter().try_fold(v, |v, name| v.get(name)));
            value.cloned().unwrap_or(Value::Null).unmark_deep().0
        };
        let after = at(&change.after);
        !after.is_wholly_known() || at(&change.before) != after
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.resource.instance(self.key.clone()))?;
        self.path.iter().try_for_each(|name| write!(f, ".{name}"))
    }
}

/// `[0]` or `["name"]` of a trigger, from its evaluated index.
fn instance_key(index: &Expr, scope: &Scope<'_>) -> Result<InstanceKey, Diagnostic> {
    match evaluate(index, scope)?.unmark_deep().0 {
        Value::Number(n) if n.fract() == 0.0 => Ok(InstanceKey::Int(n as i64)),
        Value::String(s) => Ok(InstanceKey::Str(s)),
        other => Err(Diagnostic::error("Invalid `replace_triggered_by` index")
            .with_span(index.span(), "not an instance key")
            .with_detail(format!(
                "An instance key is a whole number (`count`) or a string (`for_each`), not {}.",
                match other {
                    Value::Unknown => "a value known only after apply".to_string(),
                    other => format!("a {}", other.type_name()),
                }
            ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_recognised_and_targets_name_the_instance_and_attribute() {
        let text = reason("pingone_group.x");
        assert_eq!(text, "replaced because pingone_group.x changed");
        assert!(is_reason(&text));
        assert!(!is_reason("replacement requested with --replace"));
        let target = Target {
            resource: ResourceAddress::new("pingone_user", "z"),
            key: Some(InstanceKey::Str("ann".into())),
            path: vec!["name".into()],
        };
        assert_eq!(target.to_string(), r#"pingone_user.z["ann"].name"#);
    }

    #[test]
    fn an_attribute_known_only_after_apply_counts_as_changed() {
        let target = Target {
            resource: ResourceAddress::new("t_x", "a"),
            key: None,
            path: vec!["name".into()],
        };
        let object = |name: Value| {
            Some(Value::Object(
                [("name".to_string(), name)].into_iter().collect(),
            ))
        };
        let change = |before, after| ResourceChange {
            address: ResourceAddress::new("t_x", "a"),
            action: Action::Update,
            before,
            after,
            replace_paths: Vec::new(),
            sensitive: Default::default(),
            reason: None,
            importing: None,
            deposed: None,
        };
        let same = change(object("n".into()), object("n".into()));
        assert!(target.selects(&same) && !target.changed(&same));
        assert!(target.changed(&change(object("n".into()), object(Value::Unknown))));
        assert!(
            target.changed(&change(None, object("n".into()))),
            "a create changes it"
        );
        let other = ResourceChange {
            address: ResourceAddress::new("t_x", "b"),
            ..same
        };
        assert!(!target.selects(&other));
    }
}
