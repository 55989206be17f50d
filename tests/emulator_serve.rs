//! `pingform emulator serve` as a user starts it: flags, printed environment, data file.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

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

/// `pingform emulator serve` with `args` (and a credentials file in `dir`); the child and its
/// credentials once written, or the finished run when it refused to start.
fn serve_with(dir: &std::path::Path, args: &[&str]) -> Result<(Child, serde_json::Value), Output> {
    let creds = dir.join("creds.json");
    // A file left by an earlier start would pass for this one's.
    let _ = std::fs::remove_file(&creds);
    let mut child = Command::cargo_bin("pingform")
        .unwrap()
        .args(["emulator", "serve", "--port", "0", "--credentials-out"])
        .arg(&creds)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(text) = std::fs::read_to_string(&creds)
            && let Ok(credentials) = serde_json::from_str(&text)
        {
            return Ok((child, credentials));
        }
        if child.try_wait().unwrap().is_some() {
            return Err(child.wait_with_output().unwrap());
        }
        assert!(
            Instant::now() < deadline,
            "the emulator neither started nor failed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn latency_spike_flags_set_the_faults_and_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, credentials) = serve_with(
        dir.path(),
        &["--latency-spike-rate", "0.02", "--latency-spike-ms", "500"],
    )
    .expect("the emulator starts");
    let url = format!(
        "{}/__emulator/faults",
        credentials["api_url"].as_str().unwrap()
    );
    let faults: serde_json::Value = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async { reqwest::get(&url).await.unwrap().json().await.unwrap() });
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(faults["latencySpikeRate"], 0.02, "{faults}");
    assert_eq!(faults["latencySpikeMs"], 500, "{faults}");

    for (args, expected) in [
        (&["--latency-spike-rate", "0.1"][..], "--latency-spike-ms"),
        (
            &["--latency-spike-rate", "1.5", "--latency-spike-ms", "10"][..],
            "latencySpikeRate must be between 0 and 1",
        ),
    ] {
        let refused = serve_with(dir.path(), args).expect_err("refused");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success(), "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn the_help_documents_latency_spikes() {
    let help = Command::cargo_bin("pingform")
        .unwrap()
        .args(["emulator", "serve", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("--latency-spike-rate <RATE>"), "{text}");
    assert!(text.contains("--latency-spike-ms <MS>"), "{text}");
}
