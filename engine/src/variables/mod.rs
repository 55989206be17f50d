//! Input variables: where their values come from (`sources`), their type constraints
//! (`types`), and resolving every declared variable to a value, checked against its type,
//! `nullable` and `validation` rules.
//!
//! Precedence follows Terraform (later wins): the `default`, then environment variables,
//! `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars(.json)`, `--var-file`,
//! `--var`. Values of variables declared `sensitive` are marked sensitive.

// `Diagnostic` is over clippy's size limit for error variants; as in `eval`, errors are the
// cold path and boxing would only add noise.
#![allow(clippy::result_large_err)]

mod sources;
pub mod types;

use std::collections::BTreeMap;
use std::path::Path;

pub use sources::{Given, Sources, collect};
pub use types::Type;

use crate::Value;
use crate::config::{Config, VariableBlock};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::eval::{Scope, evaluate};

/// Resolves every declared variable from the given values and the defaults.
pub fn resolve(
    config: &Config,
    given: &BTreeMap<String, Given>,
) -> Result<BTreeMap<String, Value>, Diagnostics> {
    let mut values = BTreeMap::new();
    let mut diagnostics = Diagnostics::default();
    for variable in &config.variables {
        match resolve_one(variable, given.get(&variable.name), &config.dir) {
            Ok(v) => {
                values.insert(variable.name.clone(), v.mark_if(variable.sensitive));
            }
            Err(d) => diagnostics.extend(d),
        }
    }
    if diagnostics.is_empty() {
        Ok(values)
    } else {
        Err(diagnostics)
    }
}

/// The names of required variables (no default) that `given` does not set, for prompting.
pub fn missing<'a>(config: &'a Config, given: &BTreeMap<String, Given>) -> Vec<&'a VariableBlock> {
    config
        .variables
        .iter()
        .filter(|v| v.default.is_none() && !given.contains_key(&v.name))
        .collect()
}

/// What `validate` can check in a declaration alone: the type expression, and the
/// default against the type and `nullable`. The `validation` rules are checked against the
/// value actually used, when planning: a default that breaks them may always be overridden.
pub(crate) fn check_declaration(variable: &VariableBlock, base: &Path) -> Diagnostics {
    let result = match (&variable.type_expr, &variable.default) {
        (_, Some(_)) => typed_value(variable, None, base).map(|_| ()),
        (Some(expr), None) => types::parse(expr).map(|_| ()).map_err(Diagnostics::from),
        (None, None) => Ok(()),
    };
    result.err().unwrap_or_default()
}

/// The value of a child module's variable: the argument the module call gives
/// (already evaluated in the caller, with the span to blame), else the default;
/// converted to the variable's type and checked against `nullable` and its
/// `validation` rules. Sensitive arguments stay sensitive.
pub(crate) fn module_input(
    variable: &VariableBlock,
    given: Option<(Value, Span)>,
    base: &Path,
) -> Result<Value, Diagnostics> {
    let ty = match &variable.type_expr {
        Some(expr) => Some(types::parse(expr)?),
        None => None,
    };
    let (raw, span) = match given {
        Some(given) => given,
        None => raw_value(variable, None, ty.as_ref(), base)?,
    };
    let value = match &ty {
        Some(ty) => types::convert(raw, ty).map_err(|e| {
            Diagnostic::error("Invalid value for module argument")
                .with_span(span.clone(), format!("not a valid {ty}"))
                .with_detail(format!(
                    "The given value is not suitable for the module's `var.{}`, which is of \
                     type {ty}: {e}.",
                    variable.name
                ))
        })?,
        None => raw,
    };
    if value.is_null() && !variable.nullable {
        return Err(Diagnostic::error("Invalid value for module argument")
            .with_span(span, "null is not allowed")
            .with_detail(format!(
                "The module's `var.{}` is declared `nullable = false`, so it must not be null.",
                variable.name
            ))
            .into());
    }
    check_rules(variable, &value)?;
    Ok(value.mark_if(variable.sensitive))
}

fn resolve_one(
    variable: &VariableBlock,
    given: Option<&Given>,
    base: &Path,
) -> Result<Value, Diagnostics> {
    let value = typed_value(variable, given, base)?;
    check_rules(variable, &value)?;
    Ok(value)
}

/// The value converted to the variable's type, and checked against `nullable`.
fn typed_value(
    variable: &VariableBlock,
    given: Option<&Given>,
    base: &Path,
) -> Result<Value, Diagnostics> {
    let ty = match &variable.type_expr {
        Some(expr) => Some(types::parse(expr)?),
        None => None,
    };
    let (raw, span) = raw_value(variable, given, ty.as_ref(), base)?;
    let value = match &ty {
        Some(ty) => types::convert(raw, ty).map_err(|e| {
            Diagnostic::error("Invalid value for input variable")
                .with_span(span.clone(), format!("not a valid {ty}"))
                .with_detail(format!(
                    "The given value is not suitable for `var.{}`, which is of type {ty}: {e}.",
                    variable.name
                ))
        })?,
        None => raw,
    };
    if value.is_null() && !variable.nullable {
        return Err(Diagnostic::error("Required variable not set")
            .with_span(span, "null is not allowed")
            .with_detail(format!(
                "Unsuitable value for `var.{}`: the variable is declared `nullable = false`, so \
                 it must not be null.",
                variable.name
            ))
            .into());
    }
    Ok(value)
}

/// The value before type conversion, and the span to blame for it.
fn raw_value(
    variable: &VariableBlock,
    given: Option<&Given>,
    ty: Option<&Type>,
    base: &Path,
) -> Result<(Value, Span), Diagnostic> {
    let no_vars = BTreeMap::new();
    let no_resources = BTreeMap::new();
    let mut scope = Scope::new(&no_vars, &no_resources);
    // `file()` in a default or a `.tfvars` value reads relative to the configuration.
    scope.base_dir = Some(base);
    match (given, &variable.default) {
        (Some(given), _) => given.value(&scope, ty, &variable.span),
        (None, Some(default)) => Ok((evaluate(default, &scope)?, default.span())),
        (None, None) => Err(Diagnostic::error(format!(
            "No value for required variable `{}`",
            variable.name
        ))
        .with_span(variable.span.clone(), "declared here without a default")
        .with_help(format!(
            "set it with `--var {0}=VALUE` or the environment variable `PINGFORM_VAR_{0}` (or `TF_VAR_{0}`)",
            variable.name
        ))),
    }
}

/// Evaluates the variable's `validation` rules against its value.
fn check_rules(variable: &VariableBlock, value: &Value) -> Result<(), Diagnostics> {
    let variables = BTreeMap::from([(variable.name.clone(), value.clone())]);
    let no_resources = BTreeMap::new();
    let scope = Scope::new(&variables, &no_resources);
    let mut diags = Diagnostics::new();
    for rule in &variable.validations {
        let ok = match evaluate(&rule.condition, &scope).map(|v| v.unmark_deep().0) {
            Ok(Value::Bool(ok)) => ok,
            // Decided at apply, when the value is known.
            Ok(Value::Unknown) => true,
            Ok(other) => {
                diags.push(
                    Diagnostic::error("Invalid validation condition")
                        .with_span(rule.condition.span(), "not a bool")
                        .with_detail(format!(
                            "The condition must be true or false, not {}.",
                            other.type_name()
                        )),
                );
                continue;
            }
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if !ok {
            let message = match evaluate(&rule.error_message, &scope) {
                Ok(v) => v.as_str().map_or_else(|| v.to_string(), str::to_string),
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            diags.push(
                Diagnostic::error("Invalid value for variable")
                    .with_span(rule.condition.span(), "this condition is false")
                    .with_detail(message)
                    .with_help(format!(
                        "this was checked by the validation rule of `var.{}`",
                        variable.name
                    )),
            );
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

#[cfg(test)]
mod tests;
