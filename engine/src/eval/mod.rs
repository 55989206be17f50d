//! Values and the expression evaluator.
//!
//! [`evaluate`] turns a configuration [`Expr`](crate::config::Expr) into a [`Value`] in a
//! [`Scope`] of variable and resource values; [`references`] lists what an expression
//! refers to without evaluating it (for the dependency graph). Unknown values ("known
//! after apply") propagate through every operation. Every error is a
//! [`Diagnostic`](crate::diagnostics::Diagnostic) spanning the exact sub-expression at fault.

// `Diagnostic` is about 136 bytes, over clippy's limit for error variants. Errors are the
// cold path here and the public API returns them by value, so boxing would only add noise.
#![allow(clippy::result_large_err)]

pub mod value;

mod blocks;
mod convert;
mod expr;
pub(crate) mod functions;
pub mod instances;
pub(crate) mod messages;
mod modules;
mod operators;
pub(crate) mod references;
pub mod repeat;
mod template;
mod traversal;

#[cfg(test)]
mod sensitive_tests;
#[cfg(test)]
pub(crate) mod tests;

pub use expr::{Phase, Scope, evaluate, evaluate_body};
pub use modules::module_instances;
pub use references::{Reference, references, references_bound};
pub use repeat::{Repeat, RepeatKind};
pub use value::Value;

/// A list of values as a set: duplicates removed, ordered as Terraform orders sets.
pub fn normalize_set(values: Vec<Value>) -> Vec<Value> {
    functions::normalize_set(values)
}
