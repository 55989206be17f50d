//! Provider settings as a user gives them: `PINGONE_API_ACCESS_TOKEN` instead of a
//! worker's credentials (and the exact conflict message when both are given, a clear
//! message when the token is refused), and `global_options` force-deleting population
//! users with its "Data protection notice" in the plan.

mod common;

use common::{Served, pingform, run, serve};

const POPULATION: &str = r#"variable "environment_id" { type = string }

resource "pingone_population" "temps" {
  environment_id = var.environment_id
  name           = "Temps"
}
"#;

/// An access token for the served emulator's admin worker.
fn access_token(served: &Served) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let c = &served.credentials;
        let reply: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/{}/as/token", c.auth_url, c.environment_id))
            .basic_auth(&c.client_id, Some(&c.client_secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .expect("token request")
            .json()
            .await
            .expect("token JSON");
        reply["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    })
}

/// `pingform <args>` in `dir` against `served` with only a token and the API URL.
fn with_token(dir: &std::path::Path, served: &Served, token: &str, args: &[&str]) -> common::Run {
    let env_id = served.credentials.environment_id.clone();
    run(pingform(dir)
        .args(args)
        .args(["--var", &format!("environment_id={env_id}")])
        .env("PINGONE_API_ACCESS_TOKEN", token)
        .env("PINGONE_API_URL", &served.credentials.api_url))
}

#[test]
fn an_access_token_manages_objects_without_client_credentials() {
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("emulator.json"));
    let token = access_token(&served);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), POPULATION).unwrap();

    let apply = with_token(dir.path(), &served, &token, &["apply", "--auto-approve"]);
    assert_eq!(apply.code, 0, "{apply}");
    assert!(!apply.stdout.contains(&token) && !apply.stderr.contains(&token));
    let plan = with_token(
        dir.path(),
        &served,
        &token,
        &["plan", "--detailed-exitcode"],
    );
    assert_eq!(plan.code, 0, "{plan}");

    let refused = with_token(
        dir.path(),
        &served,
        "not-a-valid-token",
        &["destroy", "--auto-approve"],
    );
    assert_eq!(refused.code, 1, "{refused}");
    assert!(
        refused
            .stderr
            .contains("PingOne refused the api_access_token (PINGONE_API_ACCESS_TOKEN)"),
        "{refused}"
    );
    assert!(
        refused.stderr.contains("invalid or has expired"),
        "{refused}"
    );

    let destroy = with_token(dir.path(), &served, &token, &["destroy", "--auto-approve"]);
    assert_eq!(destroy.code, 0, "{destroy}");
}

#[test]
fn an_access_token_with_client_credentials_is_refused_with_the_providers_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), POPULATION).unwrap();
    let plan = run(pingform(dir.path())
        .args([
            "plan",
            "--var",
            "environment_id=a2b4c6d8-0000-4000-8000-00000000e001",
        ])
        .env("PINGONE_API_ACCESS_TOKEN", "some-token-value")
        .env("PINGONE_CLIENT_ID", "11111111-2222-4333-8444-555555555555")
        .env("PINGONE_REGION_CODE", "EU"));
    assert_eq!(plan.code, 1, "{plan}");
    assert!(
        plan.stderr.contains(
            "API access token cannot be set with client ID, client secret or environment ID"
        ),
        "{plan}"
    );
    assert!(!plan.stderr.contains("some-token-value"), "{plan}");
}

#[test]
fn force_deleting_population_users_shows_the_data_protection_notice() {
    let dir = tempfile::tempdir().unwrap();
    let config = r#"provider "pingone" {
  global_options = {
    population = {
      contains_users_force_delete = true
    }
  }
}

resource "pingone_population" "temps" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Temps"
}
"#;
    std::fs::write(dir.path().join("main.tf"), config).unwrap();
    let apply = run(pingform(dir.path()).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    let plan = run(pingform(dir.path()).args(["plan", "--emulator", "--destroy", "--markdown"]));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(
        plan.stdout
            .contains("Data protection notice: deletes every user in population"),
        "{plan}"
    );
}
