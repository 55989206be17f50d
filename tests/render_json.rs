//! The JSON plan end to end: Terraform's top-level keys, `output_changes` worked out from
//! the configuration's outputs before and after the plan, the same from `show --json` of
//! a saved plan, and no sensitive value anywhere.

mod common;

use common::{example, pingform, run};
use serde_json::Value as Json;

/// The quickstart with a sensitive variable, an output of a planned name, and a
/// sensitive output.
fn quickstart() -> tempfile::TempDir {
    let dir = example("quickstart");
    let main_tf = dir.path().join("main.tf");
    let mut text = std::fs::read_to_string(&main_tf).expect("read");
    text.push_str(
        r#"
variable "api_token" {
  type      = string
  sensitive = true
  default   = "t0ken-never-shown"
}

output "staff_name" {
  value = pingone_population.staff.name
}

output "token" {
  value     = var.api_token
  sensitive = true
}
"#,
    );
    std::fs::write(&main_tf, text).expect("write");
    dir
}

fn plan_json(dir: &std::path::Path, extra: &[&str]) -> (Json, String) {
    let plan = run(pingform(dir)
        .args(["plan", "--emulator", "--json"])
        .args(extra));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(!plan.stdout.contains("t0ken-never-shown"), "{plan}");
    let doc = serde_json::from_str(&plan.stdout).expect("the plan is JSON");
    (doc, plan.stdout)
}

#[test]
fn plan_json_has_terraforms_shape_and_output_changes() {
    let dir = quickstart();
    let path = dir.path();
    let saved = path.join("first.plan");
    let (doc, _) = plan_json(path, &["--out", saved.to_str().expect("utf-8 path")]);
    for key in [
        "format_version",
        "terraform_version",
        "variables",
        "planned_values",
        "resource_drift",
        "resource_changes",
        "output_changes",
        "prior_state",
        "configuration",
        "timestamp",
    ] {
        assert!(doc.get(key).is_some(), "`{key}` missing: {doc:#}");
    }
    assert_eq!(doc["variables"]["team"]["value"], "Engineering");
    assert_eq!(doc["variables"]["api_token"]["value"], Json::Null);
    let outputs = &doc["output_changes"];
    assert_eq!(outputs["staff_population_id"]["actions"][0], "create");
    assert_eq!(outputs["staff_population_id"]["after_unknown"], true);
    assert_eq!(outputs["staff_name"]["after"], "Engineering staff");
    assert_eq!(outputs["token"]["after"], Json::Null);
    assert_eq!(outputs["token"]["after_sensitive"], true);
    let planned = &doc["planned_values"]["root_module"]["resources"];
    assert_eq!(planned.as_array().map(Vec::len), Some(2), "{doc:#}");
    assert!(
        planned[0]["values"].get("id").is_none(),
        "unknown values are left out of planned_values: {doc:#}"
    );

    let shown = run(pingform(path).args(["show", "--json"]).arg(&saved));
    assert_eq!(shown.code, 0, "{shown}");
    assert!(!shown.stdout.contains("t0ken-never-shown"), "{shown}");
    let shown: Json = serde_json::from_str(&shown.stdout).expect("show prints JSON");
    assert_eq!(shown["resource_changes"], doc["resource_changes"]);
    assert_eq!(
        shown["output_changes"]["staff_name"]["actions"][0],
        "create"
    );

    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    let (doc, _) = plan_json(path, &["--var", "team=Ops"]);
    let staff_name = &doc["output_changes"]["staff_name"];
    assert_eq!(staff_name["actions"][0], "update", "{doc:#}");
    assert_eq!(staff_name["before"], "Engineering staff");
    assert_eq!(staff_name["after"], "Ops staff");
    assert_eq!(doc["output_changes"]["token"]["actions"][0], "no-op");
    let prior = &doc["prior_state"]["values"]["root_module"]["resources"];
    assert_eq!(prior.as_array().map(Vec::len), Some(2), "{doc:#}");

    let text = run(pingform(path).args(["plan", "--emulator", "--var", "team=Ops"]));
    assert!(text.stdout.contains("Changes to Outputs:"), "{text}");
    assert!(
        text.stdout
            .contains("~ staff_name = \"Engineering staff\" -> \"Ops staff\""),
        "{text}"
    );
    assert!(
        !text.stdout.contains("token"),
        "unchanged outputs are not listed: {text}"
    );
}
