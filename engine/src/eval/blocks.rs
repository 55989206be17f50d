//! Evaluating a body's nested blocks into the attributes they make.
//!
//! The blocks of one type make one attribute: a list of objects, in source order, for a
//! repeated block type (`service` → `services`), or the one object of a single block type
//! (`global_options`). A `dynamic` block contributes one object per element of its
//! `for_each`, evaluating its `content` with the iterator bound to `{ key, value }`, as
//! Terraform does; an unknown `for_each` makes the whole attribute unknown, and a
//! sensitive one is an error (how many blocks there are would reveal it).

use std::collections::BTreeMap;

use super::convert;
use super::expr::{Scope, evaluate_bound};
use crate::config::{BlockSource, Body, DynamicBlock, NestedBlock, Nesting};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::eval::value::Value;

/// Names bound around an expression: each `dynamic` iterator with its `{ key, value }`.
type Bindings = Vec<(String, Value)>;

/// Evaluates a body (attributes and nested blocks) into an object, adding every error
/// to `diags`.
pub(super) fn body_value(
    body: &Body,
    scope: &Scope,
    bound: &mut Bindings,
    diags: &mut Diagnostics,
) -> Value {
    let mut values = BTreeMap::new();
    for (name, attr) in &body.attributes {
        match evaluate_bound(&attr.expr, scope, bound) {
            Ok(v) => {
                values.insert(name.clone(), v);
            }
            Err(d) => diags.push(d),
        }
    }
    let mut attributes: Vec<&str> = Vec::new();
    for block in &body.blocks {
        if !attributes.contains(&block.attribute.as_str()) {
            attributes.push(&block.attribute);
        }
    }
    for attribute in attributes {
        let blocks: Vec<&NestedBlock> = body
            .blocks
            .iter()
            .filter(|b| b.attribute == attribute)
            .collect();
        if let Some(value) = blocks_value(&blocks, scope, bound, diags) {
            values.insert(attribute.to_string(), value);
        }
    }
    Value::Object(values)
}

/// The value the blocks of one type make (`None` after an error).
fn blocks_value(
    blocks: &[&NestedBlock],
    scope: &Scope,
    bound: &mut Bindings,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let errors = diags.len();
    let mut objects = Vec::new();
    let mut unknown = false;
    for block in blocks {
        match &block.source {
            BlockSource::Static(body) => {
                objects.push((body_value(body, scope, bound, diags), *block));
            }
            BlockSource::Dynamic(dynamic) => match expand(dynamic, scope, bound, diags) {
                Some(made) => objects.extend(made.into_iter().map(|o| (o, *block))),
                None => unknown = true,
            },
        }
    }
    if diags.len() > errors {
        return None;
    }
    if unknown {
        return Some(Value::Unknown);
    }
    match blocks.first().map(|b| b.nesting) {
        Some(Nesting::Single) => single(objects, diags),
        _ => Some(Value::List(objects.into_iter().map(|(o, _)| o).collect())),
    }
}

/// The object of a single block type: null when no block was made, an error for more
/// than one.
fn single(objects: Vec<(Value, &NestedBlock)>, diags: &mut Diagnostics) -> Option<Value> {
    let mut objects = objects.into_iter();
    let first = objects.next();
    if let Some((_, extra)) = objects.next() {
        diags.push(
            Diagnostic::error(format!("Too many `{}` blocks", extra.kind))
                .with_span(extra.span.clone(), "makes a second block")
                .with_detail(format!(
                    "At most one `{}` block is allowed, but the configuration makes more.",
                    extra.kind
                ))
                .with_help("make `for_each` hold at most one element"),
        );
        return None;
    }
    Some(first.map_or(Value::Null, |(object, _)| object))
}

/// The objects a `dynamic` block makes, one per element of `for_each`; `None` when the
/// collection is not known yet (after an error, an empty list).
fn expand(
    dynamic: &DynamicBlock,
    scope: &Scope,
    bound: &mut Bindings,
    diags: &mut Diagnostics,
) -> Option<Vec<Value>> {
    let span = dynamic.for_each.expr.span();
    let collection = match evaluate_bound(&dynamic.for_each.expr, scope, bound) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return Some(Vec::new());
        }
    };
    let pairs = match pairs(collection, span) {
        Ok(pairs) => pairs?,
        Err(d) => {
            diags.push(d);
            return Some(Vec::new());
        }
    };
    let mut made = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        let element = Value::Object(BTreeMap::from([
            ("key".to_string(), key),
            ("value".to_string(), value),
        ]));
        bound.push((dynamic.iterator.clone(), element));
        made.push(body_value(&dynamic.content, scope, bound, diags));
        bound.pop();
    }
    Some(made)
}

/// The (key, value) pairs of a `for_each` value: index and element of a list or set,
/// key and value of a map. `Ok(None)` when it is unknown.
#[allow(clippy::result_large_err)]
fn pairs(collection: Value, span: Span) -> Result<Option<Vec<(Value, Value)>>, Diagnostic> {
    let invalid = |label: String, detail: &str| {
        Diagnostic::error("Invalid dynamic for_each value")
            .with_span(span.clone(), label)
            .with_detail(detail.to_string())
    };
    match collection {
        Value::Unknown => Ok(None),
        Value::List(items) => Ok(Some(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect(),
        )),
        Value::Object(map) => Ok(Some(
            map.into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect(),
        )),
        Value::Sensitive(_) => Err(invalid(
            "sensitive value".to_string(),
            "The `for_each` of a `dynamic` block cannot be sensitive: the number of blocks \
             it makes would reveal it.",
        )
        .with_help(
            "if the collection is not secret, wrap it in `nonsensitive(...)`; otherwise set \
             the attribute directly",
        )),
        Value::Null => Err(invalid(
            "null".to_string(),
            "The `for_each` of a `dynamic` block cannot be null.",
        )
        .with_help("use an empty list (`[]`) to make no blocks")),
        other => Err(invalid(
            format!("{} cannot be iterated", convert::a_type(&other)),
            "The `for_each` of a `dynamic` block must be a list, a set or a map.",
        )),
    }
}

#[cfg(test)]
#[path = "blocks_tests.rs"]
mod tests;
