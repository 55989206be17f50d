//! Data sources end to end: a configuration that looks up a role, an environment and a
//! population by name and reads an application's secret converges (`apply`, then a
//! plan with nothing to do), `pingform output --json` reads the secret live, and the
//! state holds neither the secret nor any data source. A managed
//! `pingone_application_secret` is kept only as a fingerprint, which changes when it rotates.

mod common;

use common::{pingform, run};

const CONFIG: &str = r#"data "pingone_environment" "admin" {
  name = "Administrators"
}

data "pingone_role" "identity_data_admin" {
  name = "Identity Data Admin"
}

data "pingone_population" "default" {
  environment_id = data.pingone_environment.admin.id
  name           = "Default"
}

resource "pingone_application" "worker" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "data-sources-worker"
  oidc_options = {
    type                       = "WORKER"
    grant_types                = ["CLIENT_CREDENTIALS"]
    token_endpoint_auth_method = "CLIENT_SECRET_BASIC"
  }
}

resource "pingone_application_role_assignment" "worker_identity_data_admin" {
  environment_id       = pingone_application.worker.environment_id
  application_id       = pingone_application.worker.id
  role_id              = data.pingone_role.identity_data_admin.id
  scope_environment_id = data.pingone_environment.admin.id
}

resource "pingone_user" "ada" {
  environment_id = data.pingone_environment.admin.id
  population_id  = data.pingone_population.default.id
  username       = "ada"
  email          = "ada@example.com"
}

data "pingone_application_secret" "worker" {
  environment_id = pingone_application.worker.environment_id
  application_id = pingone_application.worker.id
}

output "worker_secret" {
  value     = data.pingone_application_secret.worker.secret
  sensitive = true
}

output "admin_environment_id" {
  value = data.pingone_environment.admin.id
}
"#;

const ADMIN_ENVIRONMENT: &str = "a2b4c6d8-0000-4000-8000-00000000e001";

#[test]
fn data_sources_converge_and_are_never_stored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path();
    std::fs::write(path.join("main.tf"), CONFIG).expect("write main.tf");

    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        applied.stdout.contains("worker_secret = <sensitive>"),
        "{applied}"
    );

    let again = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(again.code, 0, "nothing left to do: {again}");

    let output = run(pingform(path).args(["output", "--emulator", "--json"]));
    assert_eq!(output.code, 0, "{output}");
    let doc: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON");
    assert_eq!(doc["admin_environment_id"]["value"], ADMIN_ENVIRONMENT);
    assert_eq!(doc["worker_secret"]["sensitive"], true);
    let secret = doc["worker_secret"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("no secret in {doc}"))
        .to_string();
    assert!(secret.len() >= 64, "a PingOne-sized secret: {secret:?}");
    assert!(!applied.stdout.contains(&secret), "{applied}");

    let text = std::fs::read_to_string(path.join("pingform.tfstate")).expect("state");
    assert!(!text.contains(&secret), "no secret in state");
    let state: serde_json::Value = serde_json::from_str(&text).expect("state JSON");
    let resources = state["resources"].as_array().cloned().unwrap_or_default();
    let mut types: Vec<&str> = resources
        .iter()
        .filter_map(|r| r["type"].as_str())
        .collect();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "pingone_application",
            "pingone_application_role_assignment",
            "pingone_user"
        ],
        "no data source in state"
    );
    let attributes = |type_name: &str| {
        resources
            .iter()
            .find(|r| r["type"] == type_name)
            .map(|r| r["attributes"].clone())
            .unwrap_or_default()
    };
    // The grant and the user got what the data sources found by name.
    let grant = attributes("pingone_application_role_assignment");
    assert_eq!(grant["scope_environment_id"], ADMIN_ENVIRONMENT, "{grant}");
    assert!(
        grant["role_id"].as_str().is_some_and(|r| r.len() == 36),
        "{grant}"
    );
    let user = attributes("pingone_user");
    assert!(
        user["population_id"]
            .as_str()
            .is_some_and(|p| p.len() == 36),
        "{user}"
    );
}

const MANAGED_SECRET: &str = r#"resource "pingone_application" "worker" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "rotated-worker"
  oidc_options = {
    type                       = "WORKER"
    grant_types                = ["CLIENT_CREDENTIALS"]
    token_endpoint_auth_method = "CLIENT_SECRET_BASIC"
  }
}

resource "pingone_application_secret" "worker" {
  environment_id            = pingone_application.worker.environment_id
  application_id            = pingone_application.worker.id
  regenerate_trigger_values = { rotation = "ROTATION" }
}

data "pingone_application_secret" "worker" {
  environment_id = pingone_application_secret.worker.environment_id
  application_id = pingone_application_secret.worker.application_id
}

output "worker_secret" {
  value     = data.pingone_application_secret.worker.secret
  sensitive = true
}
"#;

/// The live secret, as `pingform output --json` reads it.
fn live_secret(path: &std::path::Path) -> String {
    let output = run(pingform(path).args(["output", "--emulator", "--json"]));
    assert_eq!(output.code, 0, "{output}");
    let doc: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON");
    doc["worker_secret"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("no secret in {doc}"))
        .to_string()
}

/// The fingerprint state keeps for the managed secret.
fn stored_fingerprint(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path.join("pingform.tfstate")).expect("state");
    let state: serde_json::Value = serde_json::from_str(&text).expect("state JSON");
    let resources = state["resources"].as_array().cloned().unwrap_or_default();
    let secret = resources
        .iter()
        .find(|r| r["type"] == "pingone_application_secret")
        .map(|r| r["attributes"]["secret"].clone());
    secret.unwrap_or_else(|| panic!("no managed secret in {state}"))
}

#[test]
fn a_managed_client_secret_is_stored_only_as_a_fingerprint_and_rotates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path();
    let write = |rotation: &str| {
        let config = MANAGED_SECRET.replace("ROTATION", rotation);
        std::fs::write(path.join("main.tf"), config).expect("write main.tf");
    };
    write("1");
    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    let first = live_secret(path);
    let text = std::fs::read_to_string(path.join("pingform.tfstate")).expect("state");
    assert!(!text.contains(&first), "the secret is not in state");
    let fingerprint = stored_fingerprint(path);
    assert!(
        fingerprint.get("$pingform_sealed_sha256").is_some(),
        "{fingerprint}"
    );
    let again = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(again.code, 0, "an unchanged secret is no change: {again}");

    write("2");
    let rotated = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(rotated.code, 0, "{rotated}");
    let second = live_secret(path);
    assert_ne!(second, first, "rotated");
    let text = std::fs::read_to_string(path.join("pingform.tfstate")).expect("state");
    assert!(
        !text.contains(&second),
        "the new secret is not in state either"
    );
    assert_ne!(stored_fingerprint(path), fingerprint);
}

#[test]
fn referring_to_a_managed_secret_says_how_to_read_it_live() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path();
    let config = MANAGED_SECRET.replace("ROTATION", "1")
        + "\noutput \"direct\" {\n  value     = pingone_application_secret.worker.secret\n  sensitive = true\n}\n";
    std::fs::write(path.join("main.tf"), config).expect("write main.tf");
    let out = run(pingform(path).args(["validate"]));
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("Secret not available"), "{out}");
    assert!(out.stderr.contains("main.tf:28:"), "{out}");
    assert!(
        out.stderr
            .contains("data.pingone_application_secret.NAME.secret"),
        "{out}"
    );
}
