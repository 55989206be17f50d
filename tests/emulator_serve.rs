//! `pingform emulator serve` as a user starts it: flags, printed environment, data file.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

#[test]
fn print_env_gives_export_lines_that_match_the_credentials_file() {
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("creds.json");
    let mut child = Command::cargo_bin("pingform")
        .unwrap()
        .args([
            "emulator",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--print-env",
            "--data",
        ])
        .arg(dir.path().join("tenant.json"))
        .arg("--credentials-out")
        .arg(&creds)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .take_while(|l| l.starts_with("export "))
        .take(8)
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&creds).unwrap()).unwrap();
    let exported = |name: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("export {name}=")))
            .map(|v| v.trim_matches('\'').to_string())
    };
    for (var, key) in [
        ("PINGONE_CLIENT_ID", "client_id"),
        ("PINGONE_CLIENT_SECRET", "client_secret"),
        ("PINGONE_ENVIRONMENT_ID", "environment_id"),
        ("PINGONE_REGION_CODE", "region_code"),
        ("PINGONE_API_URL", "api_url"),
        ("PINGONE_AUTH_URL", "auth_url"),
    ] {
        assert_eq!(
            exported(var).as_deref(),
            file[key].as_str(),
            "{var} in {lines:?}"
        );
    }
    for key in ["organization_id", "license_id"] {
        assert!(file[key].as_str().is_some_and(|v| v.len() == 36), "{key}");
    }
    assert!(
        file["api_url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
}

#[test]
fn a_served_tenant_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("tenant.json");
    let first = common::serve(&data);
    let env = first.credentials.environment_id.clone();
    let secret = first.credentials.client_secret.clone();
    drop(first);
    let second = common::serve(&data);
    assert_eq!(second.credentials.environment_id, env);
    assert_eq!(second.credentials.client_secret, secret);
    let populations = second.get(&format!("/environments/{env}/populations"));
    assert!(populations["_embedded"]["populations"].is_array());
}
