//! Tests for loading blocks into the model.

use crate::config::{Config, ConfigError, load_str};
use crate::diagnostics::tests::render_all;

fn load(text: &str) -> Config {
    load_str("main.tf", text).unwrap_or_else(|e| match e {
        ConfigError::Invalid {
            sources,
            diagnostics,
        } => panic!("{}", render_all(&diagnostics, &sources)),
        other => panic!("{other}"),
    })
}

/// The (summary, spanned text) of each error, and the rendering.
fn errors(text: &str) -> (Vec<(String, String)>, String) {
    match load_str("main.tf", text) {
        Err(ConfigError::Invalid {
            sources,
            diagnostics,
        }) => {
            let pairs = diagnostics
                .iter()
                .map(|d| {
                    let spanned = d
                        .span
                        .as_ref()
                        .map_or(String::new(), |s| text[s.range.clone()].to_string());
                    (d.summary.clone(), spanned)
                })
                .collect();
            (pairs, render_all(&diagnostics, &sources))
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("expected errors"),
    }
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn resources_keep_attributes_in_order_and_depends_on_apart() {
    let text = r#"resource "pingone_group" "admins" {
  name           = "Admins"
  environment_id = var.env
  depends_on     = [pingone_population.staff, pingone_group.other]
}
"#;
    let config = load(text);
    let r = &config.resources[0];
    assert_eq!(r.address.to_string(), "pingone_group.admins");
    assert_eq!(
        &text[r.span.range.clone()],
        r#"resource "pingone_group" "admins""#
    );
    let names: Vec<_> = r.body.attributes.keys().map(String::as_str).collect();
    assert_eq!(names, ["name", "environment_id"]);
    let attr = &r.body.attributes["environment_id"];
    assert_eq!(&text[attr.name_span.range.clone()], "environment_id");
    assert_eq!(&text[attr.span.range.clone()], "environment_id = var.env");
    assert_eq!(&text[attr.expr.span().range], "var.env");
    let deps: Vec<_> = r
        .depends_on
        .iter()
        .map(|(a, s)| (a.to_string(), &text[s.range.clone()]))
        .collect();
    assert_eq!(
        deps,
        [
            (
                "pingone_population.staff".to_string(),
                "pingone_population.staff"
            ),
            ("pingone_group.other".to_string(), "pingone_group.other"),
        ]
    );
}

#[test]
fn variables_and_providers() {
    let text = r#"terraform {
  required_providers {
    pingone = { source = "pingidentity/pingone", version = "~> 1.0" }
  }
}

variable "env" {
  type        = string
  default     = "dev"
  description = <<-EOT
    Which environment
    EOT
  sensitive   = true
  nullable    = false
}

variable "bare" {}

provider "pingone" {
  region = "EU"
}
"#;
    let config = load(text);
    let env = config.variable("env").expect("env");
    assert_eq!(env.description.as_deref(), Some("Which environment\n"));
    assert!(env.sensitive);
    assert!(!env.nullable);
    assert!(env.type_expr.is_some());
    assert_eq!(
        env.default
            .as_ref()
            .map(|d| text[d.span().range].to_string())
            .as_deref(),
        Some("\"dev\"")
    );
    let bare = config.variable("bare").expect("bare");
    assert!(bare.default.is_none() && bare.nullable && !bare.sensitive);
    assert_eq!(&text[bare.span.range.clone()], r#"variable "bare""#);
    let provider = config.provider("pingone").expect("provider");
    assert!(provider.body.attributes.contains_key("region"));
}

#[test]
fn lifecycle_settings_are_read_and_later_ones_warned_about() {
    let config = load(
        "resource \"a_b\" \"c\" {\n  lifecycle {\n    prevent_destroy = true\n    ignore_changes = [description]\n    create_before_destroy = true\n  }\n}\n",
    );
    assert!(!config.warnings.has_errors());
    let rendered = render_all(&config.warnings, &config.sources);
    assert!(rendered.contains("main.tf:5:5"), "{rendered}");
    assert!(rendered.contains("create_before_destroy"), "{rendered}");
    let lifecycle = &config.resources[0].lifecycle;
    assert!(lifecycle.prevent_destroy.is_some());
    assert_eq!(lifecycle.ignore_changes[0].0, "description");
    assert!(config.resources[0].body.attributes.is_empty());
}

#[test]
fn unsupported_blocks_and_arguments() {
    let text = r#"locals "x" { a = 1 }
resouce "pingone_group" "g" {}
top = 1
output "x" { valeu = 1 }
resource "pingone_group" "g" {
  provider = "pingone.eu"
  password_policy {
    id = "x"
  }
  depends_on = [var.x, "s"]
}
resource "pingone_group" {}
variable "v" {
  defualt     = 1
  description = "${var.x}"
}
provider "pingone" {
  alias = "e u"
}
resource "pingone_group" "bad name" {}
"#;
    let (found, report) = errors(text);
    assert_eq!(
        found,
        pairs(&[
            ("Unexpected label", "\"x\""),
            ("Unsupported block type", "resouce"),
            ("Unsupported argument", "top"),
            ("Unsupported argument", "valeu"),
            ("Missing required argument", "output \"x\""),
            ("Invalid provider reference", "\"pingone.eu\""),
            ("Invalid `depends_on` reference", "var.x"),
            ("Invalid `depends_on` reference", "\"s\""),
            ("Unsupported block type", "password_policy"),
            (
                "Wrong number of labels for `resource` block",
                r#"resource "pingone_group""#
            ),
            ("Unsupported argument", "defualt"),
            ("Invalid value", "\"${var.x}\""),
            ("Invalid provider alias", "\"e u\""),
            ("Invalid name", "\"bad name\""),
        ])
    );
    insta::assert_snapshot!(report);
}

#[test]
fn the_backend_block_is_exposed_and_other_terraform_settings_ignored() {
    let config = load(
        r#"terraform {
  required_version = ">= 1.5"
  backend "pg" {
    conn_str    = "postgres://localhost/state"
    schema_name = "team_a"
  }
}
"#,
    );
    let backend = config.backend.expect("a backend");
    assert_eq!(backend.kind, "pg");
    let names: Vec<&str> = backend.body.attributes.keys().map(String::as_str).collect();
    assert_eq!(names, ["conn_str", "schema_name"]);
    assert!(load("terraform {}\n").backend.is_none());
}

#[test]
fn a_second_backend_is_an_error() {
    let (found, _) =
        errors("terraform {\n  backend \"pg\" {}\n}\nterraform {\n  backend \"local\" {}\n}\n");
    assert_eq!(
        found,
        pairs(&[("Duplicate backend configuration", "backend \"local\"")])
    );
}
