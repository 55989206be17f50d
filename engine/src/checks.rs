//! Evaluating `check` blocks: each failed assertion is a warning naming the
//! check, with its `error_message`; an assertion whose values are not known
//! yet (before apply) is left for the run that knows them.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::{Phase, Scope, evaluate};
use crate::{ResourceAddress, Value};

/// Warnings for the assertions of the checks of `config` and of every module
/// instance it calls that fail with these values.
pub fn check(
    config: &Config,
    variables: &BTreeMap<String, Value>,
    resources: &BTreeMap<ResourceAddress, Value>,
) -> Diagnostics {
    let base = Scope::new(variables, resources)
        .with_config(config)
        .with_phase(Phase::Apply);
    let mut warnings = Diagnostics::new();
    check_module(config, &config.module_path, &base, &mut warnings);
    warnings
}

/// The checks of the module `here` (a path without keys), once per instance.
fn check_module(
    root: &Config,
    here: &[crate::address::ModuleStep],
    base: &Scope<'_>,
    warnings: &mut Diagnostics,
) {
    let Some(config) = root.module_config(here) else {
        return;
    };
    // Instances known only after apply (an unknown count or for_each) wait for that run.
    if !config.checks.is_empty()
        && let Ok(instances) = crate::eval::module_instances(root, here, base)
    {
        for instance in &instances {
            let scope = base.in_module(root, instance);
            check_asserts(config, &scope, &instance_label(instance), warnings);
        }
    }
    for call in &config.modules {
        let mut path = here.to_vec();
        path.push(crate::address::ModuleStep {
            name: call.name.clone(),
            index_key: None,
        });
        check_module(root, &path, base, warnings);
    }
}

/// ` in module.a["x"]`, or nothing for the root module.
fn instance_label(module: &[crate::address::ModuleStep]) -> String {
    if module.is_empty() {
        return String::new();
    }
    let path: Vec<String> = module.iter().map(ToString::to_string).collect();
    format!(" in {}", path.join("."))
}

/// Warnings for the failed assertions of one module instance's checks.
fn check_asserts(config: &Config, scope: &Scope<'_>, at: &str, warnings: &mut Diagnostics) {
    let scope = *scope;
    for check in &config.checks {
        for assert in &check.asserts {
            let failed = |detail: String| {
                Diagnostic::warning(format!(
                    "Check block assertion failed: `{}`{at}",
                    check.name
                ))
                .with_span(assert.condition.span(), "this condition")
                .with_detail(detail)
            };
            match evaluate(&assert.condition, &scope).map(Value::unmark_deep) {
                Ok((Value::Bool(true), _)) | Ok((Value::Unknown, _)) => {}
                Ok((Value::Bool(false), _)) => {
                    let message = match evaluate(&assert.error_message, &scope) {
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
    }
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
