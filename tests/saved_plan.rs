//! `plan --out FILE`, `show FILE` and `apply FILE`: a reviewed plan is applied
//! exactly, and refused when the state or a live object moved underneath it.

mod common;

use common::{example, pingform, run, serve};

fn edit(dir: &std::path::Path, from: &str, to: &str) {
    let path = dir.join("main.tf");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from));
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn a_saved_plan_is_shown_and_applied_exactly() {
    let dir = example("quickstart");
    let path = dir.path();
    assert_eq!(
        run(pingform(path).args(["apply", "--emulator", "--auto-approve"])).code,
        0
    );
    edit(path, "Everyone who works in", "All the people in");
    let planned = run(pingform(path).args(["plan", "--emulator", "--out", "reviewed.plan"]));
    assert_eq!(planned.code, 0, "{planned}");
    assert!(
        planned.stdout.contains("pingform apply reviewed.plan"),
        "{planned}"
    );

    let shown = run(pingform(path).args(["show", "reviewed.plan"]));
    assert_eq!(shown.code, 0, "{shown}");
    assert!(shown.stdout.contains("~ description"), "{shown}");
    let json = run(pingform(path).args(["show", "reviewed.plan", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(doc["resource_changes"][1]["change"]["actions"][0], "update");

    // Editing the files after planning does not change what the saved plan applies.
    edit(path, "All the people in", "Something else entirely in");
    let applied = run(pingform(path).args(["apply", "--emulator", "reviewed.plan"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        applied.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{applied}"
    );
    edit(path, "Something else entirely in", "All the people in");
    let after = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(
        after.code, 0,
        "the reviewed change is what was applied: {after}"
    );
}

#[test]
fn a_stale_plan_is_refused() {
    let dir = example("quickstart");
    let path = dir.path();
    assert_eq!(
        run(pingform(path).args(["plan", "--emulator", "--out", "first.plan"])).code,
        0
    );
    assert_eq!(
        run(pingform(path).args(["apply", "--emulator", "--auto-approve"])).code,
        0
    );
    let refused = run(pingform(path).args(["apply", "--emulator", "first.plan"]));
    assert_eq!(refused.code, 1, "{refused}");
    assert!(refused.stderr.contains("stale"), "{refused}");
}

#[test]
fn a_plan_whose_object_changed_live_is_refused_naming_it() {
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
    edit(path, "Everyone who works in", "All the people in");
    assert_eq!(with_env(&["plan", "--out", "reviewed.plan"]).code, 0);

    // Someone edits the population in the console between review and apply.
    let env = &served.credentials.environment_id;
    let list = served.get(&format!("/environments/{env}/populations"));
    let staff = list["_embedded"]["populations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Engineering staff")
        .unwrap()
        .clone();
    let id = staff["id"].as_str().unwrap();
    served.request(
        reqwest::Method::PUT,
        &format!("/environments/{env}/populations/{id}"),
        Some(serde_json::json!({"name": "Engineering staff", "description": "changed by hand"})),
    );

    let refused = with_env(&["apply", "reviewed.plan"]);
    assert_eq!(refused.code, 1, "{refused}");
    assert!(
        refused.stderr.contains("`pingone_population.staff`"),
        "{refused}"
    );
    assert!(refused.stderr.contains("changed by hand"), "{refused}");
    let live = served.get(&format!("/environments/{env}/populations/{id}"));
    assert_eq!(
        live["description"], "changed by hand",
        "nothing was applied"
    );
}

#[test]
fn markdown_and_json_plans() {
    let dir = example("quickstart");
    let path = dir.path();
    let md = run(pingform(path).args(["plan", "--emulator", "--markdown"]));
    assert_eq!(md.code, 0, "{md}");
    assert!(md.stdout.starts_with("## pingform plan"), "{md}");
    assert!(md.stdout.contains("2 to add"), "{md}");
    let json = run(pingform(path).args(["plan", "--emulator", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON plan");
    assert_eq!(doc["format_version"], "1.2");
    assert_eq!(doc["resource_changes"].as_array().unwrap().len(), 2);
}
