//! Tests for variable resolution: precedence, types, nullable, validation, sensitivity.

use std::collections::BTreeMap;

use super::*;
use crate::config::load_dir;
use crate::diagnostics::tests::render_all;

const CONFIG: &str = r#"
variable "name" {
  type = string
}
variable "count" {
  type    = number
  default = 1
}
variable "tags" {
  type    = map(string)
  default = {}
}
variable "user" {
  type = object({ name = string, admin = optional(bool, false) })
  default = { name = "ann" }
}
variable "secret" {
  default   = "s3cret"
  sensitive = true
}
variable "region" {
  type     = string
  default  = "EU"
  nullable = false
  validation {
    condition     = contains(["EU", "NA"], var.region)
    error_message = "The region must be EU or NA, not ${var.region}."
  }
}
"#;

fn setup(files: &[(&str, &str)]) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("main.tf"), CONFIG).expect("write");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let config = load_dir(dir.path()).expect("valid configuration");
    (dir, config)
}

fn resolved(files: &[(&str, &str)], sources: Sources) -> Result<BTreeMap<String, Value>, String> {
    let (dir, mut config) = setup(files);
    let report = |d: &Diagnostics, c: &Config| {
        render_all(d, &c.sources).replace(&dir.path().display().to_string(), "DIR")
    };
    let given = collect(&mut config, &sources).map_err(|d| report(&d, &config))?;
    resolve(&config, &given).map_err(|d| report(&d, &config))
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn later_sources_win_in_terraforms_order() {
    let files = [
        ("terraform.tfvars", "name = \"from-tfvars\"\ncount = 2\n"),
        (
            "terraform.tfvars.json",
            r#"{"count": 3, "tags": {"a": "json"}}"#,
        ),
        ("b.auto.tfvars", "count = 5\n"),
        (
            "a.auto.tfvars",
            "count = 4\nuser = { name = \"bob\", admin = true }\n",
        ),
    ];
    let sources = Sources {
        env: env(&[("TF_VAR_name", "tf-env"), ("PINGFORM_VAR_count", "9")]),
        var_files: Vec::new(),
        vars: vec!["tags={ b = 1 }".into()],
    };
    let v = resolved(&files, sources).expect("resolves");
    assert_eq!(v["name"], Value::from("from-tfvars"));
    assert_eq!(v["count"], Value::Number(5.0));
    assert_eq!(v["tags"].to_string(), "{b = \"1\"}");
    assert_eq!(v["user"].to_string(), "{admin = true, name = \"bob\"}");
    assert!(v["secret"].is_sensitive());
}

#[test]
fn environment_and_flags_are_text_for_strings_and_hcl_otherwise() {
    let sources = Sources {
        env: env(&[("PINGFORM_VAR_name", "[not a list]")]),
        var_files: Vec::new(),
        vars: vec!["user={ name = \"cy\" }".into(), "count=7".into()],
    };
    let v = resolved(&[], sources).expect("resolves");
    assert_eq!(v["name"], Value::from("[not a list]"));
    assert_eq!(v["count"], Value::Number(7.0));
    assert_eq!(v["user"].to_string(), "{admin = false, name = \"cy\"}");
}

#[test]
fn var_files_come_after_automatic_files() {
    let (dir, mut config) = setup(&[
        ("terraform.tfvars", "name = \"auto\"\n"),
        ("prod.tfvars", "name = \"prod\"\n"),
    ]);
    let sources = Sources {
        var_files: vec![dir.path().join("prod.tfvars")],
        ..Sources::default()
    };
    let given = collect(&mut config, &sources).expect("collects");
    let v = resolve(&config, &given).expect("resolves");
    assert_eq!(v["name"], Value::from("prod"));
}

#[test]
fn type_nullable_and_validation_errors_are_all_reported() {
    let files = [(
        "terraform.tfvars",
        "name = \"n\"\ncount = \"many\"\nregion = \"APAC\"\nuser = { admin = true }\n",
    )];
    let report = resolved(&files, Sources::default()).expect_err("invalid");
    insta::assert_snapshot!(report);
}

#[test]
fn files_in_values_are_read_relative_to_the_configuration() {
    let files = [
        ("name.txt", "from-file"),
        ("terraform.tfvars", "name = file(\"name.txt\")\n"),
    ];
    let v = resolved(&files, Sources::default()).expect("resolves");
    assert_eq!(v["name"], Value::from("from-file"));
}

#[test]
fn null_is_refused_for_non_nullable_variables_only() {
    let files = [(
        "terraform.tfvars",
        "name = \"n\"\nregion = null\ncount = null\n",
    )];
    let err = resolved(&files, Sources::default()).expect_err("region is not nullable");
    assert!(err.contains("Required variable not set"), "{err}");
    assert!(err.contains("var.region"), "{err}");
    assert!(!err.contains("var.count"), "{err}");
}

#[test]
fn missing_required_variables_are_listed_and_reported() {
    let (_dir, config) = setup(&[]);
    let given = BTreeMap::new();
    let names: Vec<&str> = missing(&config, &given)
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(names, ["name"]);
    let err = resolved(&[], Sources::default()).expect_err("missing");
    assert!(
        err.contains("No value for required variable `name`"),
        "{err}"
    );
}

#[test]
fn undeclared_values_warn_from_files_and_fail_from_flags() {
    let (_dir, mut config) = setup(&[("terraform.tfvars", "name = \"n\"\nnope = 1\n")]);
    collect(&mut config, &Sources::default()).expect("warning only");
    assert_eq!(config.warnings.warnings().count(), 1);
    let sources = Sources {
        vars: vec!["nope=1".into()],
        ..Sources::default()
    };
    let err = resolved(&[], sources).expect_err("undeclared");
    assert!(
        err.contains("Value for undeclared variable `nope`"),
        "{err}"
    );
}
