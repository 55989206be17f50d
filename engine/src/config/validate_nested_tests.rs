//! Tests for checking nested attribute values: each problem with the span it reports
//! (snapshotted), literal values only at validate, evaluated values at plan.

use std::collections::BTreeMap;

use super::*;
use crate::ResourceAddress;
use crate::config::test_schema::schemas;
use crate::config::test_support::{load, pairs, spanned};
use crate::diagnostics::tests::render_all;
use crate::eval::{Scope, evaluate_body};

/// Validates `text`; returns the errors' (summary, spanned text) and the rendering.
fn check(text: &str) -> (Vec<(String, String)>, String) {
    let config = load(text);
    let diags = crate::config::validate(&config, &schemas());
    (
        spanned(diags.errors(), text),
        render_all(&diags, &config.sources),
    )
}

fn application(options: &str) -> String {
    format!(
        "resource \"pingone_application\" \"app\" {{\n  environment_id = \"e\"\n  name           = \"app\"\n{options}}}\n"
    )
}

#[test]
fn a_valid_nested_object_passes_with_terraform_conversions() {
    let text = application(
        r#"  enabled = "true"
  oidc_options = {
    type                       = "WORKER"
    grant_types                = ["CLIENT_CREDENTIALS"]
    token_endpoint_auth_method = "CLIENT_SECRET_BASIC"
    par_timeout                = "60"
    cors_settings = {
      behavior = "ALLOW_NO_ORIGINS"
    }
  }
  icon = {
    id   = "4a3b1c2d-0e9f-4a8b-9c7d-6e5f4a3b2c1d"
    href = "https://icons/x.png"
  }
"#,
    );
    let (found, report) = check(&text);
    assert!(found.is_empty(), "{report}");
}

#[test]
fn nested_typos_types_enums_uuids_and_missing_attributes_each_have_their_span() {
    let text = application(
        r#"  oidc_options = {
    type                       = "WORKR"
    grant_type                 = ["CLIENT_CREDENTIALS"]
    token_endpoint_auth_method = ["CLIENT_SECRET_BASIC"]
    par_timeout                = "soon"
    cors_settings = {
      origins = ["https://a"]
    }
  }
  icon = {
    id   = "not-a-uuid"
    href = "https://icons/x.png"
  }
"#,
    );
    let (found, report) = check(&text);
    assert_eq!(
        found,
        pairs(&[
            ("Invalid attribute value", "\"WORKR\""),
            ("Unsupported attribute", "grant_type"),
            (
                "Incorrect attribute value type",
                "[\"CLIENT_SECRET_BASIC\"]"
            ),
            ("Incorrect attribute value type", "\"soon\""),
            (
                "Missing required attribute",
                "{\n      origins = [\"https://a\"]\n    }"
            ),
            (
                "Missing required attribute",
                &text[text.find("{\n    type").unwrap_or(0)..text.find("\n  icon").unwrap_or(0)]
            ),
            ("Invalid attribute value", "\"not-a-uuid\""),
        ])
    );
    assert!(report.contains("did you mean `grant_types`?"), "{report}");
    assert!(report.contains("did you mean `WORKER`?"), "{report}");
    assert!(report.contains("`grant_types` is not set"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn lists_of_objects_and_service_blocks_are_checked_element_by_element() {
    let text = r#"resource "pingone_environment" "e" {
  name = "e"
  services = [
    { type = "SSO" },
    { type = "MFA", bookmarks = [{ name = "docs", ulr = "https://d" }] },
    { console_url = "https://c", deployment = { id = "x" } },
  ]
}
resource "pingone_environment" "v0" {
  name = "v0"
  service {
    type = "Mfa"
  }
  dynamic "service" {
    for_each = ["a"]
    content {
      type = service.value
      bookmark {
        name = "docs"
      }
    }
  }
}
"#;
    let (found, report) = check(text);
    assert_eq!(
        found,
        pairs(&[
            ("Unsupported attribute", "ulr"),
            (
                "Missing required attribute",
                "{ name = \"docs\", ulr = \"https://d\" }"
            ),
            ("Value for unconfigurable attribute", "deployment"),
            (
                "Missing required attribute",
                "{ console_url = \"https://c\", deployment = { id = \"x\" } }"
            ),
            ("Invalid attribute value", "\"Mfa\""),
            ("Missing required attribute", "bookmark"),
        ])
    );
    assert!(
        report.contains("`services[1].bookmarks[0]` has no attribute named `ulr`"),
        "{report}"
    );
    assert!(report.contains("did you mean `url`?"), "{report}");
    assert!(report.contains("did you mean `MFA`?"), "{report}");
}

#[test]
fn values_that_need_variables_are_left_to_plan_which_checks_them() {
    let text = application(
        r#"  oidc_options = {
    type        = var.kind
    grant_types = var.grants
  }
"#,
    )
    .replace(
        "resource",
        "variable \"kind\" {\n  default = \"WORKER\"\n}\nvariable \"grants\" {\n  default = [\"CLIENT_CREDENTIALS\"]\n}\nresource",
    );
    let (found, _) = check(&text);
    assert_eq!(
        found,
        pairs(&[(
            "Missing required attribute",
            "{\n    type        = var.kind\n    grant_types = var.grants\n  }"
        )])
    );

    let config = load(&text);
    let variables = BTreeMap::from([
        ("kind".to_string(), Value::from("WORKR")),
        ("grants".to_string(), Value::Unknown),
    ]);
    let resources = BTreeMap::<ResourceAddress, Value>::new();
    let scope = Scope::new(&variables, &resources).with_config(&config);
    let block = &config.resources[0];
    let value = evaluate_body(&block.body, &scope).expect("evaluates");
    let schema = &schemas()["pingone"].resources["pingone_application"];
    let diags = check_values(&block.body, schema, &value);
    let rendered = render_all(&diags, &config.sources);
    let summaries: Vec<&str> = diags.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(
        summaries,
        ["Invalid attribute value", "Missing required attribute"],
        "{rendered}"
    );
    assert!(
        rendered.contains("`oidc_options.type` must be one of"),
        "{rendered}"
    );
    assert!(
        rendered.contains("main.tf:10:3"),
        "at the attribute: {rendered}"
    );
}
