//! `pingform validate --json` in Terraform's shape.

mod common;

use common::{example, pingform, run};

#[test]
fn valid_configuration() {
    let dir = example("quickstart");
    let out = run(pingform(dir.path()).args(["validate", "--json"]));
    assert_eq!(out.code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!({
            "format_version": "1.0",
            "valid": true,
            "error_count": 0,
            "warning_count": 0,
            "diagnostics": []
        })
    );
}

#[test]
fn every_error_with_its_range() {
    let dir = example("quickstart");
    let main_tf = dir.path().join("main.tf");
    let text = std::fs::read_to_string(&main_tf).expect("read");
    let broken = text
        .replace("name           = \"${var.team} staff\"", "nmae = \"x\"")
        .replace("lower(var.team)", "lowr(var.team)");
    std::fs::write(&main_tf, broken).expect("write");
    let out = run(pingform(dir.path()).args(["validate", "--json"]));
    assert_eq!(out.code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(json["valid"], false);
    assert_eq!(json["error_count"], 3, "{json:#}");
    let summaries: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["summary"].as_str())
        .collect();
    assert!(summaries.contains(&"Unsupported argument"), "{summaries:?}");
    assert!(
        summaries.contains(&"Call to unknown function"),
        "{summaries:?}"
    );
    let unsupported = &json["diagnostics"][0];
    assert_eq!(unsupported["severity"], "error");
    // As with Terraform's -chdir, files are named relative to the directory worked in.
    let filename = unsupported["range"]["filename"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(filename, "main.tf");
    assert_eq!(unsupported["range"]["start"]["line"], 23, "{unsupported:#}");
    assert_eq!(unsupported["range"]["start"]["column"], 3);
    assert_eq!(unsupported["range"]["end"]["column"], 7);
}
