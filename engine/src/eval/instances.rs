//! `count` and `for_each`: which instances a repeated block (a resource or a
//! module call) has, and what `count.index` or `each.*` are in each.
//!
//! The keys must be known when planning, as in Terraform: a `count` or
//! `for_each` that depends on a value known only after apply is an error that
//! says how to get out of it.

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use crate::address::InstanceKey;
use crate::config::Repetition;
use crate::diagnostics::{Diagnostic, Span};
use crate::eval::{Repeat, Scope, Value, evaluate};

/// One instance of a block: its key (none for a block without repetition) and
/// what `count.index` or `each.*` are in it.
pub type Instance = (Option<InstanceKey>, Option<Repeat>);

/// The value other expressions see for a block with `repetition`, given each
/// instance's value: the object, a list for `count`, a map for `for_each`.
pub fn aggregate(
    repetition: Option<&Repetition>,
    instances: Vec<(Option<InstanceKey>, Value)>,
) -> Value {
    match repetition {
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

/// The block's value from the instances that exist: a list for `count` (a
/// missing index unknown), a map for `for_each`, the object itself otherwise.
pub fn gather(
    repetition: Option<&Repetition>,
    instances: impl Iterator<Item = (Option<InstanceKey>, Value)>,
) -> Value {
    match repetition {
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
        Some(Repetition::ForEach(_)) => aggregate(repetition, instances.collect()),
    }
}

/// What `count.index` or `each.*` are in the instance `key` of a block with
/// `repetition` (named `what` in errors); `for_each` is evaluated again, as at
/// apply time values unknown when planning are known.
pub fn repeat_of(
    repetition: Option<&Repetition>,
    key: Option<&InstanceKey>,
    scope: &Scope<'_>,
    what: &dyn std::fmt::Display,
) -> Result<Option<Repeat>, Diagnostic> {
    Ok(match key {
        None => None,
        Some(InstanceKey::Int(i)) => Some(Repeat::Count(*i)),
        Some(InstanceKey::Str(key)) => Some(each_value(repetition, key, scope, what)?),
    })
}

/// The `each.value` of `key` in the `for_each` value of a block named `what`.
pub fn each_value(
    repetition: Option<&Repetition>,
    key: &str,
    scope: &Scope<'_>,
    what: &dyn std::fmt::Display,
) -> Result<Repeat, Diagnostic> {
    let found = of(repetition, scope)?
        .into_iter()
        .find_map(|(k, repeat)| match k {
            Some(InstanceKey::Str(k)) if k == key => repeat,
            _ => None,
        });
    found.ok_or_else(|| {
        Diagnostic::error("Instance key no longer in `for_each`").with_detail(format!(
            "`{what}` was planned with the key \"{key}\", which its `for_each` no longer has."
        ))
    })
}

/// The instances a block with `repetition` has, evaluated in `scope`.
pub fn of(repetition: Option<&Repetition>, scope: &Scope<'_>) -> Result<Vec<Instance>, Diagnostic> {
    let Some(repetition) = repetition else {
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
