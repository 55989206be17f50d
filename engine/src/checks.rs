//! Evaluating `check` blocks: each failed assertion is a warning naming the
//! check, with its `error_message`; an assertion whose values are not known
//! yet (before apply) is left for the run that knows them.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::{Phase, Scope, evaluate};
use crate::{ResourceAddress, Value};

/// Warnings for the assertions of `config`'s checks that fail with these values.
pub fn check(
    config: &Config,
    variables: &BTreeMap<String, Value>,
    resources: &BTreeMap<ResourceAddress, Value>,
) -> Diagnostics {
    let scope = Scope::new(variables, resources)
        .with_config(config)
        .with_phase(Phase::Apply);
    let mut warnings = Diagnostics::new();
    for check in &config.checks {
        for assert in &check.asserts {
            let failed = |detail: String| {
                Diagnostic::warning(format!("Check block assertion failed: `{}`", check.name))
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
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;

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
