//! `dynamic` blocks, nested type checks and check-scoped data sources through the
//! binary: a v0 environment whose `service` blocks (static and `dynamic`) create the
//! right services in the emulator, `validate --json` reporting a typo inside a nested
//! object with its range, and a check's failing data source warning without failing
//! the plan.

mod common;

use common::{pingform, run, state_json};

const V0_ENVIRONMENT: &str = r#"variable "more_services" {
  default = ["MFA", "Risk"]
}

data "pingone_environment" "admin" {
  name = "Administrators"
}

resource "pingone_environment" "suite" {
  name       = "dynamic services"
  license_id = data.pingone_environment.admin.license_id

  service {
    type = "SSO"
  }

  dynamic "service" {
    for_each = var.more_services
    iterator = product
    content {
      type        = product.value
      console_url = "https://console.example.com/${product.key}"
    }
  }
}
"#;

/// The service types and console URLs recorded for the environment, sorted by type.
fn services(state: &serde_json::Value) -> Vec<(String, Option<String>)> {
    let resource = state["resources"]
        .as_array()
        .and_then(|all| all.iter().find(|r| r["type"] == "pingone_environment"))
        .unwrap_or_else(|| panic!("no environment in state: {state}"));
    let mut found: Vec<(String, Option<String>)> = resource["attributes"]["services"]
        .as_array()
        .unwrap_or_else(|| panic!("no services: {resource}"))
        .iter()
        .map(|s| {
            (
                s["type"].as_str().unwrap_or_default().to_string(),
                s["console_url"].as_str().map(str::to_string),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn a_v0_environment_with_dynamic_service_blocks_creates_its_services() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path();
    std::fs::write(path.join("main.tf"), V0_ENVIRONMENT).expect("write");

    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    assert!(
        apply
            .stderr
            .contains("`service` blocks are v0 provider syntax"),
        "{apply}"
    );
    assert_eq!(
        services(&state_json(path)),
        [
            (
                "MFA".to_string(),
                Some("https://console.example.com/0".to_string())
            ),
            (
                "Risk".to_string(),
                Some("https://console.example.com/1".to_string())
            ),
            ("SSO".to_string(), None),
        ]
    );

    // The same services read back: nothing to change.
    let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "{plan}");

    // One service fewer through the dynamic block's collection.
    let fewer = V0_ENVIRONMENT.replace("[\"MFA\", \"Risk\"]", "[\"MFA\"]");
    std::fs::write(path.join("main.tf"), fewer).expect("write");
    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    let types: Vec<String> = services(&state_json(path))
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(types, ["MFA", "SSO"]);
}

#[test]
fn validate_json_reports_a_nested_typo_with_its_range() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path();
    let text = r#"resource "pingone_application" "worker" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "worker"
  oidc_options = {
    type                       = "WORKER"
    grant_type                 = ["CLIENT_CREDENTIALS"]
    token_endpoint_auth_method = "CLIENT_SECRET_BASIC"
  }
}
"#;
    std::fs::write(path.join("main.tf"), text).expect("write");
    let out = run(pingform(path).args(["validate", "--json"]));
    assert_eq!(out.code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(doc["valid"], false, "{doc}");
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    let typo = diagnostics
        .iter()
        .find(|d| d["summary"] == "Unsupported attribute")
        .unwrap_or_else(|| panic!("no typo reported: {doc}"));
    assert_eq!(typo["range"]["start"]["line"], 6, "{typo}");
    assert_eq!(typo["range"]["start"]["column"], 5, "{typo}");
    assert_eq!(typo["range"]["end"]["column"], 15, "{typo}");
    assert!(
        typo["detail"]
            .as_str()
            .is_some_and(|d| d.contains("did you mean `grant_types`?")),
        "{typo}"
    );
    let missing = diagnostics
        .iter()
        .find(|d| d["summary"] == "Missing required attribute")
        .unwrap_or_else(|| panic!("grant_types is required: {doc}"));
    assert_eq!(missing["range"]["start"]["line"], 4, "{missing}");
}

const CHECKED: &str = r#"resource "pingone_population" "staff" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Staff"
}

check "roles" {
  data "pingone_role" "auditor" {
    name = "ROLE_NAME"
  }

  assert {
    condition     = data.pingone_role.auditor.name == "Nobody"
    error_message = "the role is ${data.pingone_role.auditor.name}"
  }
}
"#;

#[test]
fn a_check_scoped_data_source_warns_without_failing_the_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path();

    // A role that does not exist: the read fails, as a warning on the check.
    std::fs::write(
        path.join("main.tf"),
        CHECKED.replace("ROLE_NAME", "No Such Role"),
    )
    .expect("write");
    let plan = run(pingform(path).args(["plan", "--emulator"]));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(
        plan.stderr
            .contains("Check `roles`: failed to read `data.pingone_role.auditor`"),
        "{plan}"
    );
    assert!(plan.stderr.contains("main.tf:7:3"), "{plan}");
    assert!(plan.stdout.contains("1 to add"), "{plan}");

    // A role that exists: the assertion reads it.
    std::fs::write(
        path.join("main.tf"),
        CHECKED.replace("ROLE_NAME", "Identity Data Admin"),
    )
    .expect("write");
    let plan = run(pingform(path).args(["plan", "--emulator"]));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(!plan.stderr.contains("failed to read"), "{plan}");
    assert!(
        plan.stderr.contains("the role is Identity Data Admin"),
        "{plan}"
    );
    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    let state = state_json(path).to_string();
    assert!(!state.contains("auditor"), "never stored: {state}");

    // Nothing outside the check may read it.
    let outside = format!(
        "{}\noutput \"role\" {{\n  value = data.pingone_role.auditor.id\n}}\n",
        CHECKED.replace("ROLE_NAME", "Identity Data Admin")
    );
    std::fs::write(path.join("main.tf"), outside).expect("write");
    let out = run(pingform(path).arg("validate"));
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("Reference to a check-scoped data source"),
        "{out}"
    );
    assert!(out.stderr.contains("main.tf:18:11"), "{out}");
}
