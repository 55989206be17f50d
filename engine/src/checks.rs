//! Evaluating `check` blocks: each failed assertion is a warning naming the
//! check, with its `error_message`; an assertion whose values are not known
//! yet (before apply) is left for the run that knows them.
//!
//! A check's own data sources (`check "c" { data "T" "N" { ... } }`) are read first,
//! for its assertions alone: a failed read is a warning on the check (the assertions
//! then see the data source as not known, and wait), and the values are never stored.

use std::collections::BTreeMap;

use crate::address::ModuleStep;
use crate::config::{CheckBlock, Config, ResourceBlock};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::{Phase, Scope, evaluate, evaluate_body};
use crate::providers::Providers;
use crate::{ResourceAddress, Value};

/// Warnings for the assertions of the checks of `config` and of every module
/// instance it calls that fail with these values (checks' own data sources are
/// not read: they are not known).
pub fn check(
    config: &Config,
    variables: &BTreeMap<String, Value>,
    resources: &BTreeMap<ResourceAddress, Value>,
) -> Diagnostics {
    let base = after_apply(config, variables, resources);
    let mut warnings = Diagnostics::new();
    for (instance, module) in module_instances(config, &base) {
        let scope = base.in_module(config, &instance);
        for check in &module.checks {
            warnings.extend(assertions(check, &scope, &instance));
        }
    }
    warnings
}

/// The scope checks evaluate in: everything known that will be.
fn after_apply<'a>(
    config: &'a Config,
    variables: &'a BTreeMap<String, Value>,
    resources: &'a BTreeMap<ResourceAddress, Value>,
) -> Scope<'a> {
    Scope::new(variables, resources)
        .with_config(config)
        .with_phase(Phase::Apply)
}

/// Every instance of every module that has checks, with its configuration: the
/// root module first. A module whose instances are known only after apply (an
/// unknown `count` or `for_each`) is left for that run.
fn module_instances<'a>(root: &'a Config, base: &Scope<'_>) -> Vec<(Vec<ModuleStep>, &'a Config)> {
    let mut found = Vec::new();
    let mut pending: Vec<&Config> = vec![root];
    while let Some(module) = pending.pop() {
        pending.extend(module.modules.iter().map(|call| &call.config));
        if module.checks.is_empty() {
            continue;
        }
        let instances = crate::eval::module_instances(root, &module.module_path, base);
        found.extend(instances.into_iter().flatten().map(|i| (i, module)));
    }
    found
}

/// Reads each check's data sources, then checks its assertions, in every
/// module instance: every warning.
pub async fn run(
    config: &Config,
    providers: &Providers,
    variables: &BTreeMap<String, Value>,
    resources: &BTreeMap<ResourceAddress, Value>,
) -> Diagnostics {
    let base = after_apply(config, variables, resources);
    let mut warnings = Diagnostics::new();
    for (instance, module) in module_instances(config, &base) {
        let scope = base.in_module(config, &instance);
        for check in &module.checks {
            if check.data.is_empty() {
                warnings.extend(assertions(check, &scope, &instance));
                continue;
            }
            let mut seen = resources.clone();
            for data in &check.data {
                let scope = after_apply(config, variables, &seen).in_module(config, &instance);
                let value = match read_scoped(providers, data, &scope).await {
                    Ok(value) => value,
                    Err(failed) => {
                        warnings.push(failed_read(check, data, failed));
                        Value::Unknown
                    }
                };
                seen.insert(data.address.clone().in_module(&instance), value);
            }
            let scope = after_apply(config, variables, &seen).in_module(config, &instance);
            warnings.extend(assertions(check, &scope, &instance));
        }
    }
    warnings
}

/// Reads one check-scoped data source: unknown while an argument is.
async fn read_scoped(
    providers: &Providers,
    data: &ResourceBlock,
    scope: &Scope<'_>,
) -> Result<Value, String> {
    let config = evaluate_body(&data.body, scope).map_err(|errors| {
        errors
            .iter()
            .map(|e| e.summary.clone())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    if !config.is_wholly_known() {
        return Ok(Value::Unknown);
    }
    let value = crate::plan::data::read(providers, data, &data.address, config).await?;
    let sensitive = providers
        .block_schema(&data.address)
        .map(crate::plan::diff::sensitive_attributes)
        .unwrap_or_default();
    Ok(crate::plan::diff::mark_attributes(value, &sensitive))
}

fn failed_read(check: &CheckBlock, data: &ResourceBlock, message: String) -> Diagnostic {
    Diagnostic::warning(format!(
        "Check `{}`: failed to read `{}`",
        check.name, data.address
    ))
    .with_span(data.span.clone(), "this check-scoped data source")
    .with_detail(message)
    .with_help(
        "a check's data source failing is a warning, not an error: the run goes on, and \
         the check's assertions that read it wait for a run where it can be read",
    )
}

/// ` in module.a["x"]`, or nothing for the root module.
fn instance_label(module: &[ModuleStep]) -> String {
    if module.is_empty() {
        return String::new();
    }
    format!(" in {}", crate::address::module_path(module))
}

/// The warnings for one check's failed assertions in the module instance `instance`.
fn assertions(check: &CheckBlock, scope: &Scope<'_>, instance: &[ModuleStep]) -> Diagnostics {
    let mut warnings = Diagnostics::new();
    let at = instance_label(instance);
    for assert in &check.asserts {
        let failed = |detail: String| {
            Diagnostic::warning(format!(
                "Check block assertion failed: `{}`{at}",
                check.name
            ))
            .with_span(assert.condition.span(), "this condition")
            .with_detail(detail)
        };
        match evaluate(&assert.condition, scope).map(Value::unmark_deep) {
            Ok((Value::Bool(true), _)) | Ok((Value::Unknown, _)) => {}
            Ok((Value::Bool(false), _)) => {
                let message = match evaluate(&assert.error_message, scope) {
                    Ok(Value::String(message)) => message,
                    Ok(Value::Sensitive(_)) => "(the message is sensitive)".to_string(),
                    _ => "the condition is false".to_string(),
                };
                warnings.push(failed(message));
            }
            Ok((other, _)) if !other.is_wholly_known() => {}
            Ok((other, _)) => warnings.push(failed(format!(
                "The condition must be true or false, not a {}.",
                other.type_name()
            ))),
            Err(error) => warnings.push(failed(error.summary)),
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;

    #[test]
    fn checks_of_a_module_run_once_per_instance_with_its_arguments() {
        let dir = tempfile::tempdir().unwrap();
        let module = dir.path().join("m");
        std::fs::create_dir_all(&module).unwrap();
        std::fs::write(
            module.join("main.tf"),
            "variable \"n\" {}\ncheck \"positive\" {\n  assert {\n    condition     = var.n > 0\n    error_message = \"n is ${var.n}\"\n  }\n}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("main.tf"),
            "module \"m\" {\n  source   = \"./m\"\n  for_each = { a = 1, b = -2 }\n  n        = each.value\n}\n",
        )
        .unwrap();
        let config = crate::config::load_dir(dir.path()).unwrap();
        let warnings = check(&config, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings.0[0].summary,
            "Check block assertion failed: `positive` in module.m[\"b\"]"
        );
        assert_eq!(warnings.0[0].detail.as_deref(), Some("n is -2"));
    }

    #[test]
    fn failed_assertions_are_warnings_with_their_message_and_unknown_ones_wait() {
        let config = load_str(
            "main.tf",
            r#"variable "n" {
  default = 3
}
check "small" {
  assert {
    condition     = var.n < 2
    error_message = "n is ${var.n}, more than 1"
  }
  assert {
    condition     = var.n > 0
    error_message = "never shown"
  }
}
check "later" {
  assert {
    condition     = pingone_population.p.id != ""
    error_message = "no id"
  }
}
"#,
        )
        .unwrap();
        let variables = BTreeMap::from([("n".to_string(), Value::Number(3.0))]);
        let resources = BTreeMap::from([(
            ResourceAddress::new("pingone_population", "p"),
            Value::Unknown,
        )]);
        let warnings = check(&config, &variables, &resources);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings.0[0].summary,
            "Check block assertion failed: `small`"
        );
        assert_eq!(warnings.0[0].detail.as_deref(), Some("n is 3, more than 1"));
    }
}
