//! A resource's `precondition` and `postcondition` blocks: a false condition
//! stops the plan (or fails the object at apply) with the block's
//! `error_message`; a condition not known yet is checked when it is.

// Errors are the cold path and callers take them by value (see `eval`).
#![allow(clippy::result_large_err)]

use crate::Value;
use crate::config::Validation;
use crate::diagnostics::Diagnostic;
use crate::eval::{Scope, evaluate};

/// Which conditions are checked, for the messages.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Before the change is planned.
    Pre,
    /// On the planned or applied object (`self`).
    Post,
}

/// The first failed condition of `conditions` in `scope`, as an error.
pub fn check(
    conditions: &[Validation],
    scope: &Scope<'_>,
    kind: Kind,
    address: &str,
) -> Result<(), Diagnostic> {
    let summary = match kind {
        Kind::Pre => format!("Resource precondition failed: `{address}`"),
        Kind::Post => format!("Resource postcondition failed: `{address}`"),
    };
    for condition in conditions {
        let failed = |detail: String| {
            Diagnostic::error(summary.clone())
                .with_span(condition.condition.span(), "this condition")
                .with_detail(detail)
        };
        match evaluate(&condition.condition, scope)?.unmark_deep().0 {
            Value::Bool(true) => {}
            Value::Bool(false) => {
                let message = match evaluate(&condition.error_message, scope) {
                    Ok(Value::String(message)) => message,
                    Ok(Value::Sensitive(_)) => "(the message is sensitive)".to_string(),
                    _ => "the condition is false".to_string(),
                };
                return Err(failed(message));
            }
            other if !other.is_wholly_known() => {}
            other => {
                return Err(failed(format!(
                    "The condition must be true or false, not a {}.",
                    other.type_name()
                )));
            }
        }
    }
    Ok(())
}
