//! Tests for check-scoped data sources at load and validate: where they may be read,
//! unique names, and no repetition.

use crate::config::test_schema::schemas;
use crate::config::test_support::{load, load_failure, spanned};
use crate::config::validate;
use crate::diagnostics::tests::render_all;

const CHECK: &str = r#"check "roles" {
  data "pingone_role" "admin" {
    name = "Environment Admin"
  }
  assert {
    condition     = data.pingone_role.admin.id != ""
    error_message = "no ${data.pingone_role.admin.name}"
  }
}
"#;

/// (summary, spanned text) of each validate error for `text`, and the rendering.
fn check(text: &str) -> (Vec<(String, String)>, String) {
    let config = load(text);
    let diags = validate(&config, &schemas());
    (
        spanned(diags.errors(), text),
        render_all(&diags, &config.sources),
    )
}

#[test]
fn the_check_reads_its_own_data_source_and_it_is_not_a_resource() {
    let config = load(CHECK);
    assert!(config.resources.is_empty());
    assert_eq!(
        config.checks[0].data[0].address.to_string(),
        "data.pingone_role.admin"
    );
    let (found, report) = check(CHECK);
    assert!(found.is_empty(), "{report}");
}

#[test]
fn reading_it_outside_the_check_is_an_error_naming_the_check() {
    let text = format!(
        "{CHECK}resource \"pingone_group\" \"g\" {{\n  environment_id = \"e\"\n  name = data.pingone_role.admin.name\n}}\n"
    );
    let (found, report) = check(&text);
    assert_eq!(
        found,
        [(
            "Reference to a check-scoped data source".to_string(),
            "data.pingone_role.admin".to_string()
        )]
    );
    assert!(
        report.contains("`check \"roles\"` at main.tf:2:3"),
        "{report}"
    );
    insta::assert_snapshot!(report);
}

#[test]
fn scoped_names_are_unique_and_typos_inside_are_reported() {
    let text = format!(
        "{CHECK}data \"pingone_role\" \"admin\" {{\n  name = \"x\"\n}}\ncheck \"more\" {{\n  data \"pingone_role\" \"admin\" {{\n    nam = \"y\"\n  }}\n  assert {{\n    condition = true\n    error_message = \"\"\n  }}\n}}\n"
    );
    let (found, report) = check(&text);
    let summaries: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "Duplicate data source declaration",
            "Unsupported argument",
            "Missing required argument",
            "Duplicate data source declaration",
        ],
        "{report}"
    );
}

#[test]
fn a_scoped_data_source_cannot_repeat() {
    let text = CHECK.replace(
        "name = \"Environment Admin\"",
        "count = 2\n    name = \"x\"",
    );
    let (diagnostics, sources) = load_failure(&text);
    let report = render_all(&diagnostics, &sources);
    assert!(
        report.contains("Invalid meta-argument in a check-scoped data source"),
        "{report}"
    );
    assert!(report.contains("main.tf:3:5"), "{report}");
}
