//! Nightly drift detection: changes made by hand are reported apart from the
//! plan, `--refresh-only --detailed-exitcode` exits 2 on drift, and
//! `apply --refresh-only` accepts the drift into state.

mod common;

use common::{example, pingform, run, serve};

#[test]
fn hand_edits_and_deletes_are_reported_as_drift() {
    let dir = example("quickstart");
    let path = dir.path();
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let with_env = |args: &[&str]| {
        let mut cmd = pingform(path);
        cmd.args(args).envs(served.env());
        run(&mut cmd)
    };
    assert_eq!(with_env(&["apply", "--auto-approve"]).code, 0);
    let clean = with_env(&["plan", "--refresh-only", "--detailed-exitcode"]);
    assert_eq!(clean.code, 0, "{clean}");

    let env = &served.credentials.environment_id;
    let list = served.get(&format!("/environments/{env}/populations"));
    let id_of = |name: &str| {
        list["_embedded"]["populations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["id"].as_str())
            .unwrap()
            .to_string()
    };
    let staff = id_of("Engineering staff");
    let contractors = id_of("Engineering contractors");
    served.request(
        reqwest::Method::PUT,
        &format!("/environments/{env}/populations/{staff}"),
        Some(serde_json::json!({"name": "Engineering staff", "description": "edited by hand"})),
    );
    served.request(
        reqwest::Method::DELETE,
        &format!("/environments/{env}/populations/{contractors}"),
        None,
    );

    let nightly = with_env(&["plan", "--refresh-only", "--detailed-exitcode"]);
    assert_eq!(nightly.code, 2, "{nightly}");
    assert!(
        nightly
            .stdout
            .contains("pingone_population.staff has changed"),
        "{nightly}"
    );
    assert!(nightly.stdout.contains("\"edited by hand\""), "{nightly}");
    assert!(
        nightly
            .stdout
            .contains("pingone_population.contractors has been deleted"),
        "{nightly}"
    );

    let json = with_env(&["plan", "--refresh-only", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(doc["resource_drift"].as_array().unwrap().len(), 2, "{json}");

    // A normal plan shows the drift apart, then the actions that undo it.
    let plan = with_env(&["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "{plan}");
    let drift_at = plan.stdout.find("has changed").unwrap();
    let actions_at = plan
        .stdout
        .find("will perform the following actions")
        .unwrap();
    assert!(drift_at < actions_at, "{plan}");
    assert!(
        plan.stdout
            .contains("Plan: 1 to add, 1 to change, 0 to destroy."),
        "{plan}"
    );

    // Accepting the drift records it; nothing is changed in the tenant.
    let accepted = with_env(&["apply", "--refresh-only", "--auto-approve"]);
    assert_eq!(accepted.code, 0, "{accepted}");
    let again = with_env(&["plan", "--refresh-only", "--detailed-exitcode"]);
    assert_eq!(again.code, 0, "{again}");
    let live = served.get(&format!("/environments/{env}/populations/{staff}"));
    assert_eq!(live["description"], "edited by hand");
}

#[test]
fn objects_created_by_hand_are_reported_as_unmanaged() {
    let dir = example("quickstart");
    let path = dir.path();
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let with_env = |args: &[&str]| {
        let mut cmd = pingform(path);
        cmd.args(args).envs(served.env());
        run(&mut cmd)
    };
    assert_eq!(with_env(&["apply", "--auto-approve"]).code, 0);
    let env = &served.credentials.environment_id;
    served.request(
        reqwest::Method::POST,
        &format!("/environments/{env}/populations"),
        Some(serde_json::json!({"name": "Made by hand"})),
    );

    let report = with_env(&[
        "plan",
        "--refresh-only",
        "--report-unmanaged",
        "--detailed-exitcode",
    ]);
    assert_eq!(report.code, 2, "{report}");
    assert!(
        report
            .stdout
            .contains("pingone_population \"Made by hand\""),
        "{report}"
    );
    assert!(
        !report.stdout.contains("\"Engineering staff\" (id"),
        "managed ones are not listed: {report}"
    );

    let json = with_env(&["plan", "--refresh-only", "--report-unmanaged", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let labels: Vec<&str> = doc["pingform_unmanaged"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["label"].as_str())
        .collect();
    assert!(labels.contains(&"Made by hand"), "{labels:?}");
}
