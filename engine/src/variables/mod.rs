//! Input variable values: given values first, then the `default` in the block.

use std::collections::BTreeMap;

use crate::Value;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::{Scope, evaluate};

/// Resolves every declared variable. `given` holds values from the command
/// line and environment, as strings (as Terraform takes `-var` and `TF_VAR_`).
pub fn resolve(
    config: &Config,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, Value>, Diagnostics> {
    let empty_vars = BTreeMap::new();
    let empty_resources = BTreeMap::new();
    let scope = Scope::new(&empty_vars, &empty_resources);
    let mut values = BTreeMap::new();
    let mut diagnostics = Diagnostics::default();
    for variable in &config.variables {
        let value = match (given.get(&variable.name), &variable.default) {
            (Some(text), _) => Ok(Value::String(text.clone())),
            (None, Some(default)) => evaluate(default, &scope),
            (None, None) => Err(Diagnostic::error(format!(
                "No value for required variable `{}`",
                variable.name
            ))
            .with_span(variable.span.clone(), "declared here without a default")
            .with_help(format!(
                "set it with `--var {0}=VALUE` or the environment variable `PINGFORM_VAR_{0}` (or `TF_VAR_{0}`)",
                variable.name
            ))),
        };
        match value {
            Ok(v) => {
                values.insert(variable.name.clone(), v.mark_if(variable.sensitive));
            }
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.is_empty() {
        Ok(values)
    } else {
        Err(diagnostics)
    }
}
