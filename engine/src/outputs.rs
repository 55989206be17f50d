//! Output values: `output` blocks evaluated after apply, against the applied resources.
//!
//! An output whose value holds a sensitive value must itself say `sensitive = true`, as in
//! Terraform, so a secret is never printed by accident.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::{Phase, Scope, evaluate};
use crate::plan::diff::{mark_attributes, sensitive_attributes};
use crate::plan::expand::{read_so_far, stored};
use crate::providers::Providers;
use crate::{ResourceAddress, Value};

/// One evaluated output.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputValue {
    /// The output's name.
    pub name: String,
    /// Its value (marks removed; see `sensitive`).
    pub value: Value,
    /// Whether to hide the value when showing it.
    pub sensitive: bool,
    /// The `description`, if any.
    pub description: Option<String>,
}

/// The values of the configuration's resources as recorded in `state`, with the schema's
/// sensitive attributes marked (resources not in state are unknown), and of its data
/// sources as read (`data`, from a plan or an apply).
pub fn resource_values(
    config: &Config,
    state: &state::State,
    data: &BTreeMap<ResourceAddress, Value>,
    providers: &Providers,
) -> BTreeMap<ResourceAddress, Value> {
    config
        .all_resources()
        .into_iter()
        .flat_map(|r| {
            if r.address.is_data() {
                return read_so_far(r, data);
            }
            let schema = providers.resource_schema(&r.address.type_name);
            stored(r, state, |value| match schema {
                Some(schema) => mark_attributes(value, &sensitive_attributes(schema)),
                None => value,
            })
        })
        .collect()
}

/// Evaluates every `output` block, in file order, collecting every error.
pub fn evaluate_outputs(
    config: &Config,
    variables: &BTreeMap<String, Value>,
    resources: &BTreeMap<ResourceAddress, Value>,
) -> Result<Vec<OutputValue>, Diagnostics> {
    let scope = Scope::new(variables, resources)
        .with_config(config)
        .with_phase(Phase::Apply);
    let mut values = Vec::new();
    let mut diags = Diagnostics::new();
    for output in &config.outputs {
        let value = match evaluate(&output.value, &scope) {
            Ok(v) => v,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let (value, marked) = value.unmark_deep();
        if marked && !output.sensitive {
            diags.push(
                Diagnostic::error("Output refers to sensitive values")
                    .with_span(output.value.span(), "holds a sensitive value")
                    .with_detail(format!(
                        "The value of output `{}` holds values marked sensitive, so it would be \
                         shown in clear.",
                        output.name
                    ))
                    .with_help("add `sensitive = true` to the output, or use `nonsensitive()` if it is safe to show"),
            );
            continue;
        }
        values.push(OutputValue {
            name: output.name.clone(),
            value,
            sensitive: output.sensitive,
            description: output.description.clone(),
        });
    }
    if diags.is_empty() {
        Ok(values)
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;
    use crate::diagnostics::tests::render_all;

    fn outputs(text: &str) -> Result<Vec<OutputValue>, String> {
        let config = load_str("main.tf", text).map_err(|e| e.to_string())?;
        let variables = BTreeMap::from([
            ("env".to_string(), Value::from("dev")),
            ("pw".to_string(), Value::sensitive("hunter2".into())),
        ]);
        let resources = BTreeMap::from([(
            ResourceAddress::new("pingone_population", "p"),
            Value::Object(BTreeMap::from([("id".to_string(), Value::from("pop-1"))])),
        )]);
        evaluate_outputs(&config, &variables, &resources)
            .map_err(|d| render_all(&d, &config.sources))
    }

    #[test]
    fn evaluates_outputs_with_locals_and_resources() {
        let got = outputs(
            r#"
locals {
  prefix = "${var.env}-"
  name   = "${local.prefix}${pingone_population.p.id}"
}
output "name" {
  value       = local.name
  description = "the name"
}
output "secret" {
  value     = var.pw
  sensitive = true
}
"#,
        )
        .expect("outputs evaluate");
        assert_eq!(got[0].value, Value::from("dev-pop-1"));
        assert_eq!(got[0].description.as_deref(), Some("the name"));
        assert!(!got[0].sensitive);
        assert_eq!(got[1].value, Value::from("hunter2"));
        assert!(got[1].sensitive);
    }

    #[test]
    fn sensitive_value_in_a_plain_output_is_an_error() {
        let report =
            outputs("output \"leak\" {\n  value = \"pw: ${var.pw}\"\n}\n").expect_err("error");
        insta::assert_snapshot!(report);
    }

    #[test]
    fn locals_used_many_times_are_evaluated_once() {
        // Each local doubles the one before: evaluating naively would take 2^40 steps.
        let mut text = String::from("locals {\n  l0 = 1\n");
        for i in 1..=40 {
            text.push_str(&format!("  l{i} = local.l{0} + local.l{0}\n", i - 1));
        }
        text.push_str("}\noutput \"o\" {\n  value = local.l40\n}\n");
        let got = outputs(&text).expect("outputs evaluate");
        assert_eq!(got[0].value, Value::Number(2f64.powi(40)));
    }

    #[test]
    fn local_cycles_are_errors() {
        let report = outputs(
            "locals {\n  a = local.b\n  b = local.a\n}\noutput \"x\" {\n  value = local.a\n}\n",
        )
        .expect_err("cycle");
        assert!(report.contains("Cycle in local values"), "{report}");
        assert!(report.contains("local.a -> local.b -> local.a"), "{report}");
    }
}
