//! Tests for `validate`: each check, with the span it reports.

use super::*;
use crate::config::load_str;
use crate::config::test_schema::schemas;
use crate::diagnostics::tests::render_all;

/// Validates `text` as `main.tf`; returns (summary, spanned text) pairs and the rendering.
fn check(text: &str) -> (Vec<(String, String)>, String) {
    let config = load_str("main.tf", text).unwrap_or_else(|e| panic!("load failed: {e:?}"));
    let diags = validate(&config, &schemas());
    let pairs = diags
        .iter()
        .map(|d| {
            let spanned = d
                .span
                .as_ref()
                .map_or(String::new(), |s| text[s.range.clone()].to_string());
            (d.summary.clone(), spanned)
        })
        .collect();
    (pairs, render_all(&diags, &config.sources))
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

const VALID: &str = r#"
variable "env_id" {
  description = "The environment"
}

provider "pingone" {
  region = "EU"
}

resource "pingone_population" "staff" {
  environment_id = var.env_id
  name           = "Staff"
}

resource "pingone_group" "admins" {
  environment_id = pingone_population.staff.environment_id
  name           = "${pingone_population.staff.name} admins"
  depends_on     = [pingone_population.staff]
}
"#;

#[test]
fn a_valid_configuration_has_no_diagnostics() {
    let (found, _) = check(VALID);
    assert_eq!(found, pairs(&[]));
}

#[test]
fn unknown_and_missing_attributes() {
    let text = r#"resource "pingone_population" "staff" {
  environment_id = "e"
  nmae           = "Staff"
  id             = "x"
  whatever       = 1
}
"#;
    let (found, report) = check(text);
    assert_eq!(
        found,
        pairs(&[
            ("Unsupported argument", "nmae"),
            ("Value for unconfigurable attribute", "id"),
            ("Unsupported argument", "whatever"),
            (
                "Missing required argument",
                r#"resource "pingone_population" "staff""#
            ),
        ])
    );
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_resource_types() {
    let text = r#"resource "pingone_populaton" "a" {}
resource "aws_instance" "b" {}
"#;
    let (found, report) = check(text);
    assert_eq!(
        found,
        pairs(&[
            ("Unknown resource type", "pingone_populaton"),
            ("Unknown resource type", "aws_instance"),
        ])
    );
    assert!(
        report.contains("did you mean `pingone_population`?"),
        "{report}"
    );
    insta::assert_snapshot!(report);
}

#[test]
fn undeclared_references() {
    let text = r#"variable "env_id" {}

resource "pingone_group" "g" {
  environment_id = var.env_idd
  name           = "${pingone_population.missing.name}-${pingone_group.g.id}"
  depends_on     = [pingone_group.other]
}

resource "pingone_population" "p" {
  environment_id = var.env_id
  name           = uper(pingone_group.g.nmae)
  description    = local.text
}
"#;
    let (found, report) = check(text);
    assert_eq!(
        found,
        pairs(&[
            ("Reference to undeclared input variable", "var.env_idd"),
            (
                "Reference to undeclared resource",
                "pingone_population.missing"
            ),
            ("Self-referential block", "pingone_group.g"),
            ("Reference to undeclared resource", "pingone_group.other"),
            ("Call to unknown function", "uper"),
            ("Unsupported attribute", ".nmae"),
            ("Reference to undeclared local value", "local.text"),
        ])
    );
    insta::assert_snapshot!(report);
}

#[test]
fn duplicate_declarations() {
    let text = r#"variable "a" {}
variable "a" {}
provider "pingone" {}
provider "pingone" {}
resource "pingone_group" "g" {
  environment_id = "e"
  name           = "n"
}
resource "pingone_group" "g" {
  environment_id = "e"
  name           = "n"
}
"#;
    let (found, report) = check(text);
    assert_eq!(
        found,
        pairs(&[
            ("Duplicate variable declaration", r#"variable "a""#),
            ("Duplicate provider configuration", r#"provider "pingone""#),
            (
                "Duplicate resource declaration",
                r#"resource "pingone_group" "g""#
            ),
        ])
    );
    assert!(
        report.contains("already declared at main.tf:1:1"),
        "{report}"
    );
}

#[test]
fn provider_blocks() {
    let text = r#"provider "pingone" {
  regoin = "EU"
}
provider "pingon" {}
"#;
    let (found, report) = check(text);
    assert_eq!(
        found,
        pairs(&[
            ("Unsupported argument", "regoin"),
            ("Unknown provider", r#"provider "pingon""#),
        ])
    );
    assert!(report.contains("did you mean `region`?"), "{report}");
    assert!(report.contains("did you mean `pingone`?"), "{report}");
}

#[test]
fn variable_defaults_are_constants() {
    let text = r#"variable "a" { default = "x" }
variable "b" { default = "${var.a}-${upper("y")}" }
"#;
    let (found, _) = check(text);
    assert_eq!(found, pairs(&[("Variables not allowed", "var.a")]));
}

#[test]
fn variable_declarations_locals_and_outputs() {
    let text = r#"
variable "size" {
  type    = numbr
}
variable "count" {
  type    = number
  default = "many"
}
variable "region" {
  default = "APAC"
  validation {
    condition     = contains(["EU", "NA"], var.region)
    error_message = "The region must be EU or NA."
  }
}
variable "other" {
  default = 1
  validation {
    condition     = var.size > 1
    error_message = "x"
  }
}
locals {
  a = local.b
  b = "${local.a}-x"
  c = local.nope
}
output "o" {
  value      = local.c
  depends_on = [pingone_group.missing]
}
output "o" {
  value = 1
}
"#;
    let (found, report) = check(text);
    assert_eq!(
        found,
        pairs(&[
            ("Invalid type specification", "numbr"),
            ("Invalid value for input variable", "\"many\""),
            ("Invalid reference in variable validation", "var.size"),
            ("Reference to undeclared local value", "local.nope"),
            ("Cycle in local values", "local.a"),
            ("Reference to undeclared resource", "pingone_group.missing"),
            ("Duplicate output declaration", "output \"o\""),
        ])
    );
    insta::assert_snapshot!(report);
}

#[test]
fn count_and_each_are_checked_against_the_block_that_uses_them() {
    let text = r#"
resource "pingone_population" "many" {
  count          = 2
  environment_id = "e"
  name           = "p${count.index}${each.key}"
}
resource "pingone_population" "keyed" {
  for_each       = toset(["a", count.index])
  environment_id = pingone_population.many.environment_id
  name           = "${each.value}${count.index}${each.name}"
}
resource "pingone_group" "single" {
  environment_id = pingone_population.many[0].environment_id
  name           = "${pingone_population.keyed["a"].name}${count.index}"
}
resource "pingone_group" "both" {
  count          = 1
  for_each       = {}
  environment_id = "e"
  name           = "g"
}
"#;
    let config = load_str("main.tf", text);
    let error = config.unwrap_err();
    assert!(
        format!("{error:?}").contains("Invalid combination of `count` and `for_each`"),
        "{error:?}"
    );
    let (found, report) = check(&text.replace("  for_each       = {}\n", ""));
    assert_eq!(
        found,
        pairs(&[
            ("Reference to `each` in a non-repeated context", "each.key"),
            (
                "Missing resource instance key",
                "pingone_population.many.environment_id"
            ),
            (
                "Reference to `count` in a non-repeated context",
                "count.index"
            ),
            ("Invalid `each` attribute", "each.name"),
            // The `for_each` argument itself, checked after the block's arguments.
            (
                "Reference to `count` in a non-repeated context",
                "count.index"
            ),
            (
                "Reference to `count` in a non-repeated context",
                "count.index"
            ),
        ])
    );
    insta::assert_snapshot!(report);
}
