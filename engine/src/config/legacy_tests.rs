//! Tests of the v0 syntax checks: each construct's diagnostic (snapshotted), the
//! suggested rewrites loading cleanly, and accepted settings read in their v1 form.

use crate::config::{Config, ConfigError, load_str};
use crate::diagnostics::tests::render_all;

/// Every diagnostic of loading `text`, rendered; and the configuration if it loaded.
fn load(text: &str) -> (String, Option<Config>) {
    let (report, config, _) = load_with_helps(text);
    (report, config)
}

fn load_with_helps(text: &str) -> (String, Option<Config>, String) {
    let (diagnostics, sources, config) = match load_str("main.tf", text) {
        Ok(config) => (
            config.warnings.clone(),
            config.sources.clone(),
            Some(config),
        ),
        Err(ConfigError::Invalid {
            sources,
            diagnostics,
        }) => (diagnostics, sources, None),
        Err(other) => panic!("{other}"),
    };
    let helps: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d.help.as_deref())
        .collect();
    (render_all(&diagnostics, &sources), config, helps.join("\n"))
}

/// The suggested rewrite: the text between "write `" and the next "`" in the help of
/// loading `text`.
fn rewrite(text: &str) -> String {
    let (_, _, help) = load_with_helps(text);
    let start = help.find("write `").map(|i| i + 7);
    let start = start.unwrap_or_else(|| panic!("no rewrite in {help}"));
    let len = help[start..].find('`').unwrap_or(0);
    help[start..start + len].to_string()
}

const SERVICES: &str = r#"resource "pingone_environment" "dev" {
  name       = "dev"
  license_id = var.license_id
  service {
    type = "SSO"
  }
  service {
    type        = "MFA"
    console_url = "https://console.example.com"
    bookmark {
      name = "Docs"
      url  = "https://docs.example.com"
    }
  }
}
"#;

#[test]
fn service_blocks_are_read_as_services_with_a_warning_showing_the_rewrite() {
    let (report, config) = load(SERVICES);
    let config = config.unwrap_or_else(|| panic!("v0 services are accepted: {report}"));
    let kinds: Vec<(&str, &str)> = config.resources[0]
        .body
        .blocks
        .iter()
        .map(|b| (b.kind.as_str(), b.attribute.as_str()))
        .collect();
    assert_eq!(kinds, [("service", "services"), ("service", "services")]);
    assert_eq!(
        rewrite(SERVICES),
        "services = [{ type = \"SSO\" }, { type = \"MFA\", console_url = \
         \"https://console.example.com\", bookmarks = [{ name = \"Docs\", url = \
         \"https://docs.example.com\" }] }]"
    );
    assert_eq!(report.matches("⚠ ").count(), 1, "reported once: {report}");
    insta::assert_snapshot!(report);
}

#[test]
fn the_suggested_rewrite_loads() {
    for v0 in [SERVICES, DYNAMIC_SERVICE, OIDC_BLOCK] {
        let fixed = format!(
            "resource \"pingone_environment\" \"x\" {{\n  {}\n}}\n",
            rewrite(v0)
        );
        let (report, config) = load(&fixed);
        assert!(config.is_some(), "{fixed}\n{report}");
    }
}

const DYNAMIC_SERVICE: &str = r#"resource "pingone_environment" "dev" {
  name = "dev"
  dynamic "service" {
    for_each = var.services
    content {
      type = service.value
    }
  }
}
"#;

#[test]
fn dynamic_service_blocks_are_accepted_and_the_rewrite_is_a_for_expression() {
    let (report, config) = load(DYNAMIC_SERVICE);
    assert!(config.is_some(), "{report}");
    assert_eq!(
        rewrite(DYNAMIC_SERVICE),
        "services = [for key, service in var.services : { type = service }]"
    );
}

#[test]
fn static_and_dynamic_service_blocks_are_concatenated() {
    let text = r#"resource "pingone_environment" "dev" {
  name = "dev"
  service {}
  dynamic "service" {
    for_each = var.more
    iterator = s
    content {
      type = s.value
    }
  }
}
"#;
    let (report, config) = load(text);
    assert!(config.is_some(), "{report}");
    assert_eq!(
        rewrite(text),
        "services = concat([{}], [for key, s in var.more : { type = s }])"
    );
}

const OIDC_BLOCK: &str = r#"resource "pingone_application" "worker" {
  environment_id = var.environment_id
  name           = "worker"
  oidc_options {
    type                       = "WORKER"
    grant_types                = ["CLIENT_CREDENTIALS"]
    token_endpoint_auth_method = "CLIENT_SECRET_BASIC"
    cors_settings {
      behavior = "ALLOW_NO_ORIGINS"
    }
  }
}
"#;

#[test]
fn oidc_options_block_is_rejected_with_the_attribute_rewrite() {
    let (report, config) = load(OIDC_BLOCK);
    assert!(config.is_none());
    assert_eq!(
        rewrite(OIDC_BLOCK),
        "oidc_options = { type = \"WORKER\", grant_types = [\"CLIENT_CREDENTIALS\"], \
         token_endpoint_auth_method = \"CLIENT_SECRET_BASIC\", cors_settings = { behavior = \
         \"ALLOW_NO_ORIGINS\" } }"
    );
    assert_eq!(report.matches("× ").count(), 1, "reported once: {report}");
    insta::assert_snapshot!(report);
}

#[test]
fn data_filter_blocks_are_rejected_with_the_data_filters_rewrite() {
    let text = r#"data "pingone_users" "admins" {
  environment_id = var.environment_id
  data_filter {
    name   = "memberOfGroups.id"
    values = [var.admin_group_id]
  }
}
"#;
    let (report, _) = load(text);
    assert!(
        report.contains("`data_filter` blocks are v0 provider syntax"),
        "{report}"
    );
    assert_eq!(
        rewrite(text),
        "data_filters = [{ name = \"memberOfGroups.id\", values = [var.admin_group_id] }]"
    );
}

#[test]
fn role_assignment_user_is_rejected_with_the_new_name() {
    let text = r#"resource "pingone_role_assignment_user" "admin" {
  environment_id       = var.environment_id
  user_id              = var.user_id
  role_id              = var.role_id
  scope_environment_id = var.environment_id
}
"#;
    let (report, config) = load(text);
    assert!(config.is_none());
    assert!(report.contains("main.tf:1:10"), "{report}");
    assert!(
        report.contains(
            "pingone_role_assignment_user.admin` to `pingone_user_role_assignment.admin`"
        ),
        "{report}"
    );
    insta::assert_snapshot!(report);
}

#[test]
fn v0_region_is_read_as_region_code_with_a_warning() {
    let text = "provider \"pingone\" {\n  region    = \"NorthAmerica\"\n  client_id = \"x\"\n}\n";
    let (report, config) = load(text);
    let config = config.unwrap_or_else(|| panic!("{report}"));
    let body = &config.providers[0].body.attributes;
    assert!(!body.contains_key("region"));
    let code = body.get("region_code").map(|a| a.expr.expr.to_string());
    assert_eq!(code.as_deref(), Some("\"NA\""));
    assert!(report.contains("write `region_code = \"NA\"`"), "{report}");
    assert!(report.contains("main.tf:2:3"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn v0_region_beside_region_code_is_an_error() {
    let text = "provider \"pingone\" {\n  region      = \"Europe\"\n  region_code = \"EU\"\n}\n";
    let (report, config) = load(text);
    assert!(config.is_none());
    assert!(report.contains("remove `region`"), "{report}");
}

#[test]
fn other_region_values_are_left_to_the_schema_check() {
    let text = "provider \"pingone\" {\n  region = var.region\n}\n";
    let (report, config) = load(text);
    assert!(config.is_some());
    assert_eq!(report, "");
}

#[test]
fn force_delete_production_type_is_ignored_with_a_warning() {
    let text = "provider \"pingone\" {\n  force_delete_production_type = false\n}\n";
    let (report, config) = load(text);
    let config = config.unwrap_or_else(|| panic!("{report}"));
    assert!(config.providers[0].body.attributes.is_empty());
    assert!(report.contains("Removed provider setting"), "{report}");
    assert!(report.contains("main.tf:2:3"), "{report}");
}

#[test]
fn v1_syntax_has_no_legacy_diagnostics() {
    let text = r#"provider "pingone" {
  region_code = "EU"
}

resource "pingone_environment" "dev" {
  name     = "dev"
  services = [{ type = "SSO" }]
}

resource "pingone_application" "worker" {
  oidc_options = { type = "WORKER" }
}
"#;
    let (report, config) = load(text);
    assert!(config.is_some(), "{report}");
    assert_eq!(report, "");
}
