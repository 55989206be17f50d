//! `count.index`, `each.key` and `each.value`: what one instance of a repeated
//! resource knows about itself. The validator and the evaluator share
//! [`check`], so both report a misused `count` or `each` with the same words.

use crate::diagnostics::{Diagnostic, Span};
use crate::eval::value::Value;

/// The instance being evaluated, in a resource with `count` or `for_each`.
#[derive(Clone, Debug, PartialEq)]
pub enum Repeat {
    /// `count.index`.
    Count(i64),
    /// `each.key` and `each.value`.
    Each {
        /// The map key, or the set element.
        key: String,
        /// The map value, or (for a set) the element again.
        value: Value,
    },
}

/// Which repetition a block has, as far as `count.*` and `each.*` care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepeatKind {
    /// `count = N`.
    Count,
    /// `for_each = ...`.
    ForEach,
}

impl Repeat {
    /// The kind of repetition this instance comes from.
    pub fn kind(&self) -> RepeatKind {
        match self {
            Repeat::Count(_) => RepeatKind::Count,
            Repeat::Each { .. } => RepeatKind::ForEach,
        }
    }

    /// The value of `root.attr` (`count.index`, `each.key`, `each.value`); the
    /// reference must have passed [`check`].
    pub(crate) fn get(&self, attr: &str) -> Value {
        match (self, attr) {
            (Repeat::Count(index), _) => Value::Number(*index as f64),
            (Repeat::Each { key, .. }, "key") => Value::String(key.clone()),
            (Repeat::Each { value, .. }, _) => value.clone(),
        }
    }
}

/// Whether `root.attr` may be used where the block repeats by `available`
/// (`None`: not repeated, or in the `count`/`for_each` argument itself).
pub(crate) fn check(
    root: &str,
    attr: &str,
    span: Span,
    available: Option<RepeatKind>,
) -> Result<(), Diagnostic> {
    let (wanted, attributes, argument) = match root {
        "count" => (RepeatKind::Count, &["index"][..], "count"),
        _ => (RepeatKind::ForEach, &["key", "value"][..], "for_each"),
    };
    if available != Some(wanted) {
        return Err(
            Diagnostic::error(format!("Reference to `{root}` in a non-repeated context"))
                .with_span(span, format!("`{root}` is not available here"))
                .with_detail(format!(
                    "The `{root}` object can only be used in the arguments of a resource that sets \
                 `{argument}` (and not in the `{argument}` argument itself)."
                ))
                .with_help(format!(
                    "add `{argument} = ...` to the resource, or remove this reference"
                )),
        );
    }
    if !attributes.contains(&attr) {
        let list = attributes
            .iter()
            .map(|a| format!("`{root}.{a}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        return Err(Diagnostic::error(format!("Invalid `{root}` attribute"))
            .with_span(span, "no such attribute")
            .with_detail(format!("The `{root}` object has only {list}.")));
    }
    Ok(())
}
