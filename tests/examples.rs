//! Every example, run as its README says, against the emulator.

mod common;

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use common::{example, pingform, run, serve};

#[test]
fn every_example_applies_and_then_has_no_changes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("main.tf").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let dir = example(&name);
        let path = dir.path();
        let validated = run(pingform(path).arg("validate"));
        assert_eq!(validated.code, 0, "{name}: {validated}");
        let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
        assert_eq!(applied.code, 0, "{name}: {applied}");
        let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
        assert_eq!(plan.code, 0, "{name}: {plan}");
        let destroyed = run(pingform(path).args(["destroy", "--emulator", "--auto-approve"]));
        assert_eq!(destroyed.code, 0, "{name}: {destroyed}");
    }
}

#[test]
fn test_environment_gives_a_suite_its_ids_and_a_secret_that_is_never_stored() {
    let dir = example("test-environment");
    let path = dir.path();
    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        applied
            .stdout
            .contains("worker_client_secret = <sensitive>"),
        "{applied}"
    );
    let output = run(pingform(path).args(["output", "--emulator", "--json"]));
    assert_eq!(output.code, 0, "{output}");
    let doc: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    let secret = doc["worker_client_secret"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(secret.len() >= 64, "{doc}");
    for id in ["environment_id", "worker_client_id", "web_client_id"] {
        assert_eq!(
            doc[id]["value"].as_str().map(str::len),
            Some(36),
            "{id}: {doc}"
        );
    }
    let state = std::fs::read_to_string(path.join("pingform.tfstate")).unwrap();
    assert!(
        !state.contains(&secret),
        "the client secret never reaches state"
    );
    assert!(
        !state.contains("Correct-Horse-Battery-9"),
        "nor the password"
    );
    let environment = doc["environment_id"]["value"].as_str().unwrap();
    let shown = run(pingform(path).args(["state", "show", "pingone_environment.suite"]));
    assert!(
        shown.stdout.contains(environment) && shown.stdout.contains("SANDBOX"),
        "{shown}"
    );
}

#[test]
fn drift_nightly_script_exits_2_with_a_json_report() {
    let dir = example("drift-nightly");
    let path = dir.path();
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let mut apply = pingform(path);
    apply.args(["apply", "--auto-approve"]).envs(served.env());
    assert_eq!(run(&mut apply).code, 0);
    let script = |served: &common::Served| {
        let binary = Command::cargo_bin("pingform")
            .unwrap()
            .get_program()
            .to_owned();
        let mut cmd = Command::new("bash");
        cmd.arg(path.join("drift-check.sh"))
            .env("PINGFORM", binary)
            .envs(served.env());
        run(&mut cmd)
    };
    let clean = script(&served);
    assert_eq!(clean.code, 0, "{clean}");

    let env = &served.credentials.environment_id;
    let list = served.get(&format!("/environments/{env}/populations"));
    let sales = list["_embedded"]["populations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Sales")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    served.request(
        reqwest::Method::PUT,
        &format!("/environments/{env}/populations/{sales}"),
        Some(serde_json::json!({"name": "Sales", "description": "renamed by hand"})),
    );
    let drifted = script(&served);
    assert_eq!(drifted.code, 2, "{drifted}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.join("drift.json")).unwrap()).unwrap();
    assert_eq!(
        report["resource_drift"][0]["address"],
        "pingone_population.sales"
    );
}

#[test]
fn pull_request_flow_comments_then_applies_the_reviewed_plan() {
    let dir = example("pull-request");
    let path = dir.path();
    let comment =
        run(pingform(path).args(["plan", "--emulator", "--out", "reviewed.plan", "--markdown"]));
    assert_eq!(comment.code, 0, "{comment}");
    assert!(comment.stdout.contains("**Plan:** 1 to add"), "{comment}");
    let applied = run(pingform(path).args(["apply", "--emulator", "reviewed.plan"]));
    assert_eq!(applied.code, 0, "{applied}");
    let again = run(pingform(path).args(["apply", "--emulator", "reviewed.plan"]));
    assert_eq!(again.code, 1, "a plan is applied once: {again}");
    assert!(again.stderr.contains("stale"), "{again}");
}
