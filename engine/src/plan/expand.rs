//! `count` and `for_each`: which instances a resource block has, and the value
//! the block has for those that refer to it (a list of instances for `count`,
//! a map by key for `for_each`).
//!
//! The keys must be known when planning, as in Terraform: a `count` or
//! `for_each` that depends on a value known only after apply is an error that
//! says how to get out of it.

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use crate::address::InstanceKey;
use crate::config::{Repetition, ResourceBlock};
use crate::diagnostics::{Diagnostic, Span};
use crate::eval::{Repeat, Scope, Value, evaluate};

/// One instance of a block: its key (none for a block without repetition) and
/// what `count.index` or `each.*` are in it.
pub type Instance = (Option<InstanceKey>, Option<Repeat>);

/// The instances `block` declares, evaluated in `scope`.
pub fn instances(block: &ResourceBlock, scope: &Scope<'_>) -> Result<Vec<Instance>, Diagnostic> {
    let Some(repetition) = &block.repetition else {
        return Ok(vec![(None, None)]);
    };
    let attr = repetition.attr();
    let value = evaluate(&attr.expr, scope)?;
    let span = attr.expr.span();
    match repetition {
        Repetition::Count(_) => count(value, span),
        Repetition::ForEach(_) => for_each(value, span),
    }
}

/// The value other expressions see for `block`, given each instance's value.
pub fn aggregate(block: &ResourceBlock, instances: Vec<(Option<InstanceKey>, Value)>) -> Value {
    match &block.repetition {
        None => instances
            .into_iter()
            .next()
            .map_or(Value::Unknown, |(_, v)| v),
        Some(Repetition::Count(_)) => Value::List(instances.into_iter().map(|(_, v)| v).collect()),
        Some(Repetition::ForEach(_)) => Value::Object(
            instances
                .into_iter()
                .filter_map(|(key, v)| match key {
                    Some(InstanceKey::Str(k)) => Some((k, v)),
                    _ => None,
                })
                .collect(),
        ),
    }
}

/// The value of `block` as recorded in `state` (instances not there are
/// unknown), each object passed through `read`.
pub fn stored(block: &ResourceBlock, state: &state::State, read: impl Fn(Value) -> Value) -> Value {
    let a = &block.address;
    let instances = state
        .instances(&a.type_name, &a.name)
        .map(|r| (r.index_key.clone(), read(Value::from_json(&r.attributes))));
    gather(block, instances)
}

/// The value of the data source `block` from the instances read so far.
pub fn read_so_far(block: &ResourceBlock, data: &BTreeMap<crate::ResourceAddress, Value>) -> Value {
    let instances = data
        .range(block.address.clone()..)
        .take_while(|(address, _)| block.address.contains(address))
        .map(|(address, value)| (address.key.clone(), value.clone()));
    gather(block, instances)
}

/// The block's value from the instances that exist: a list for `count` (a
/// missing index unknown), a map for `for_each`, the object itself otherwise.
pub(crate) fn gather(
    block: &ResourceBlock,
    instances: impl Iterator<Item = (Option<InstanceKey>, Value)>,
) -> Value {
    match &block.repetition {
        None => instances
            .filter(|(key, _)| key.is_none())
            .map(|(_, v)| v)
            .next()
            .unwrap_or(Value::Unknown),
        Some(Repetition::Count(_)) => {
            let mut items = Vec::new();
            for (key, value) in instances {
                if let Some(InstanceKey::Int(i)) = key
                    && let Ok(i) = usize::try_from(i)
                {
                    items.resize(items.len().max(i + 1), Value::Unknown);
                    items[i] = value;
                }
            }
            Value::List(items)
        }
        Some(Repetition::ForEach(_)) => aggregate(block, instances.collect()),
    }
}

/// The `each.value` of `key` in a `for_each` value, evaluated again (at apply
/// time values that were unknown when planning are known).
pub fn each_value(
    block: &ResourceBlock,
    key: &str,
    scope: &Scope<'_>,
) -> Result<Repeat, Diagnostic> {
    let instances = instances(block, scope)?;
    let found = instances.into_iter().find_map(|(k, repeat)| match k {
        Some(InstanceKey::Str(k)) if k == key => repeat,
        _ => None,
    });
    found.ok_or_else(|| {
        Diagnostic::error("Instance key no longer in `for_each`").with_detail(format!(
            "`{}` was planned with the key \"{key}\", which its `for_each` no longer has.",
            block.address
        ))
    })
}

fn count(value: Value, span: Span) -> Result<Vec<Instance>, Diagnostic> {
    let invalid = |detail: String| {
        Diagnostic::error("Invalid count argument")
            .with_span(span.clone(), "not a valid count")
            .with_detail(detail)
    };
    if value.contains_sensitive() {
        return Err(invalid(
            "A sensitive value cannot be used as `count`: the number of instances would reveal it."
                .into(),
        )
        .with_help("wrap the value in `nonsensitive(...)` if it is safe to reveal"));
    }
    let n = match value {
        Value::Number(n) => n,
        Value::Unknown => return Err(not_known_yet("count", span)),
        Value::Null => return Err(invalid("`count` must be a whole number, not null.".into())),
        other => {
            return Err(invalid(format!(
                "`count` must be a whole number, not a {}.",
                other.type_name()
            )));
        }
    };
    if n.fract() != 0.0 || n < 0.0 || !n.is_finite() {
        return Err(invalid(format!(
            "`count` must be a whole number of zero or more; this is {n}."
        )));
    }
    Ok((0..n as i64)
        .map(|i| (Some(InstanceKey::Int(i)), Some(Repeat::Count(i))))
        .collect())
}

fn for_each(value: Value, span: Span) -> Result<Vec<Instance>, Diagnostic> {
    let invalid = |detail: String| {
        Diagnostic::error("Invalid for_each argument")
            .with_span(span.clone(), "not a map or set of strings")
            .with_detail(detail)
    };
    if value.is_sensitive() {
        return Err(invalid(
            "A sensitive value cannot be used as `for_each`: the instance keys would reveal it."
                .into(),
        )
        .with_help("use `nonsensitive(...)` on the keys if they are safe to reveal"));
    }
    let entries: Vec<(String, Value)> = match value {
        Value::Object(map) => map.into_iter().collect(),
        Value::List(items) => set_entries(items, &invalid, &span)?,
        Value::Unknown => return Err(not_known_yet("for_each", span)),
        other => {
            return Err(invalid(format!(
                "`for_each` must be a map or a set of strings, not a {}.",
                other.type_name()
            )));
        }
    };
    Ok(entries
        .into_iter()
        .map(|(key, value)| {
            let repeat = Repeat::Each {
                key: key.clone(),
                value,
            };
            (Some(InstanceKey::Str(key)), Some(repeat))
        })
        .collect())
}

/// The elements of a set of strings, each its own key and value.
fn set_entries(
    items: Vec<Value>,
    invalid: &dyn Fn(String) -> Diagnostic,
    span: &Span,
) -> Result<Vec<(String, Value)>, Diagnostic> {
    let mut entries = BTreeMap::new();
    for item in items {
        match item {
            Value::String(s) => {
                if entries
                    .insert(s.clone(), Value::String(s.clone()))
                    .is_some()
                {
                    return Err(invalid(format!(
                        "The list has \"{s}\" more than once; `for_each` keys must be unique."
                    ))
                    .with_help("wrap the list in `toset(...)`"));
                }
            }
            Value::Unknown => return Err(not_known_yet("for_each", span.clone())),
            Value::Sensitive(_) => {
                return Err(invalid(
                    "A set element is sensitive; the instance keys would reveal it.".into(),
                ));
            }
            other => {
                return Err(invalid(format!(
                    "`for_each` on a set needs strings; an element is a {}.",
                    other.type_name()
                )));
            }
        }
    }
    Ok(entries.into_iter().collect())
}

/// Keys that depend on values known only after apply.
fn not_known_yet(argument: &str, span: Span) -> Diagnostic {
    Diagnostic::error(format!("Invalid {argument} argument"))
        .with_span(span, "known only after apply")
        .with_detail(format!(
            "The `{argument}` value depends on resource attributes that cannot be determined \
             until apply, so pingform cannot tell how many instances there will be."
        ))
        .with_help(format!(
            "apply the resources the `{argument}` value depends on first with `--target`, or \
             build the `{argument}` value from variables and other known values"
        ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;

    fn block_with(argument: &str) -> ResourceBlock {
        let text = format!("resource \"t_x\" \"a\" {{\n  {argument}\n}}\n");
        let config = load_str("main.tf", &text).unwrap();
        config.resources[0].clone()
    }

    fn expand(argument: &str) -> Result<Vec<Instance>, Diagnostic> {
        let variables = BTreeMap::new();
        let resources = BTreeMap::new();
        instances(&block_with(argument), &Scope::new(&variables, &resources))
    }

    fn keys(instances: &[Instance]) -> Vec<String> {
        instances
            .iter()
            .map(|(k, _)| k.as_ref().map_or("-".into(), ToString::to_string))
            .collect()
    }

    #[test]
    fn count_gives_indexes() {
        let found = expand("count = 3").unwrap();
        assert_eq!(keys(&found), ["[0]", "[1]", "[2]"]);
        assert_eq!(found[2].1, Some(Repeat::Count(2)));
        assert!(expand("count = 0").unwrap().is_empty());
    }

    #[test]
    fn for_each_gives_keys_and_values() {
        let found = expand(r#"for_each = { b = 2, a = 1 }"#).unwrap();
        assert_eq!(keys(&found), [r#"["a"]"#, r#"["b"]"#]);
        let found = expand(r#"for_each = toset(["x", "y", "x"])"#).unwrap();
        assert_eq!(keys(&found), [r#"["x"]"#, r#"["y"]"#]);
        let Some(Repeat::Each { value, .. }) = &found[0].1 else {
            panic!("{found:?}")
        };
        assert_eq!(value, &Value::String("x".into()));
    }

    #[test]
    fn bad_repetition_values_are_errors_that_say_why() {
        for (argument, says) in [
            ("count = -1", "zero or more"),
            ("count = 1.5", "whole number"),
            ("count = \"x\"", "not a string"),
            ("count = null", "not null"),
            ("count = sensitive(2)", "sensitive"),
            ("for_each = 3", "map or a set"),
            (r#"for_each = ["a", "a"]"#, "more than once"),
            ("for_each = [1]", "needs strings"),
            ("for_each = sensitive({ a = 1 })", "sensitive"),
        ] {
            let error = expand(argument).unwrap_err();
            let text = format!(
                "{} {}",
                error.summary,
                error.detail.clone().unwrap_or_default()
            );
            assert!(text.contains(says), "{argument}: {text}");
        }
    }

    #[test]
    fn aggregate_is_a_list_for_count_and_a_map_for_for_each() {
        let counted = block_with("count = 2");
        let values = vec![
            (Some(InstanceKey::Int(0)), Value::Number(0.0)),
            (Some(InstanceKey::Int(1)), Value::Number(1.0)),
        ];
        assert_eq!(
            aggregate(&counted, values),
            Value::List(vec![Value::Number(0.0), Value::Number(1.0)])
        );
        let keyed = block_with("for_each = {}");
        let values = vec![(Some(InstanceKey::Str("k".into())), Value::Bool(true))];
        assert_eq!(aggregate(&keyed, values).get("k"), Some(&Value::Bool(true)));
    }
}
