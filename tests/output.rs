//! `pingform output`: values from state, plain, raw and JSON; sensitive ones hidden from the listing.

mod common;

use common::{example, pingform, run};

#[test]
fn outputs_after_apply() {
    let dir = example("quickstart");
    let path = dir.path();
    let before = run(pingform(path).arg("output"));
    assert_eq!(before.code, 0, "{before}");
    assert!(before.stdout.contains("not known until"), "{before}");

    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(applied.stdout.contains("Outputs:"), "{applied}");

    let state = std::fs::read_to_string(path.join("pingform.tfstate")).unwrap();
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    let id = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "staff")
        .and_then(|r| r["attributes"]["id"].as_str())
        .unwrap()
        .to_string();

    let raw = run(pingform(path).args(["output", "--raw", "staff_population_id"]));
    assert_eq!(raw.stdout.trim(), id, "{raw}");
    let json = run(pingform(path).args(["output", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(doc["staff_population_id"]["value"], id.as_str());
    assert_eq!(doc["staff_population_id"]["sensitive"], false);
    let missing = run(pingform(path).args(["output", "nope"]));
    assert_eq!(missing.code, 1, "{missing}");
}

#[test]
fn sensitive_outputs_only_with_json_or_raw() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"token\" {\n  default   = \"s3cr3t-token\"\n  sensitive = true\n}\n\
         output \"token\" {\n  value     = var.token\n  sensitive = true\n}\n",
    )
    .unwrap();
    let listed = run(pingform(dir.path()).arg("output"));
    assert!(listed.stdout.contains("token = <sensitive>"), "{listed}");
    assert!(!listed.stdout.contains("s3cr3t"), "{listed}");
    let raw = run(pingform(dir.path()).args(["output", "--raw", "token"]));
    assert_eq!(raw.stdout.trim(), "s3cr3t-token", "{raw}");
}
