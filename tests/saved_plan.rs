//! `plan --out FILE`, `show FILE` and `apply FILE`: a reviewed plan is applied
//! exactly, and refused when the state or a live object moved underneath it.

mod common;

use common::{example, pingform, run, serve, state_id};

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

/// A population named by a sensitive variable and a user with a write-only password,
/// plus an output that reads the secret name.
const SECRETS: &str = r#"variable "secret_name" {
  type      = string
  sensitive = true
}

variable "note" {
  type    = string
  default = "first"
}

variable "password" {
  type      = string
  sensitive = true
}

resource "pingone_population" "people" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = var.secret_name
  description    = var.note
}

resource "pingone_user" "ada" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  population_id  = pingone_population.people.id
  username       = "ada"
  email          = "ada@example.com"
  password = {
    initial_value = var.password
    force_change  = false
  }
}

output "people_name" {
  value     = pingone_population.people.name
  sensitive = true
}
"#;

/// The plan's text without the note `plan --out` adds after it.
fn without_saved_note(stdout: &str) -> &str {
    stdout
        .split("\nSaved the plan to ")
        .next()
        .unwrap_or(stdout)
}

/// A JSON plan without the time it was drawn.
fn timeless(json: &str) -> serde_json::Value {
    let mut doc: serde_json::Value = serde_json::from_str(json).expect("a JSON plan");
    doc["timestamp"] = serde_json::Value::Null;
    doc
}

/// Plans with `vars` (saved as `name`), then shows the file as text and JSON: `show`
/// prints exactly what `plan` printed. Returns the text plan and the JSON plan.
fn plan_and_show(dir: &std::path::Path, name: &str, vars: &[&str]) -> (String, serde_json::Value) {
    let with_vars = |args: &[&str]| {
        let mut cmd = pingform(dir);
        cmd.args(args);
        for var in vars {
            cmd.args(["--var", var]);
        }
        run(&mut cmd)
    };
    let planned = with_vars(&["plan", "--emulator", "--out", name]);
    assert_eq!(planned.code, 0, "{planned}");
    let shown = run(pingform(dir).args(["show", name]));
    assert_eq!(shown.code, 0, "{shown}");
    assert_eq!(
        shown.stdout,
        without_saved_note(&planned.stdout),
        "show {name}"
    );
    let json = with_vars(&["plan", "--emulator", "--json"]);
    assert_eq!(json.code, 0, "{json}");
    let shown_json = run(pingform(dir).args(["show", name, "--json"]));
    assert_eq!(shown_json.code, 0, "{shown_json}");
    let doc = timeless(&json.stdout);
    assert_eq!(timeless(&shown_json.stdout), doc, "show {name} --json");
    let file = std::fs::read_to_string(dir.join(name)).unwrap();
    for secret in ["Hidden-One", "Hidden-Two", "Pw-One-1", "Pw-Two-2"] {
        assert!(!file.contains(secret), "{secret} in {name}:\n{file}");
        assert!(!planned.stdout.contains(secret) && !json.stdout.contains(secret));
    }
    (planned.stdout, doc)
}

/// `sensitive_changed` of the change to `address` in a JSON plan.
fn sensitive_changed(doc: &serde_json::Value, address: &str) -> serde_json::Value {
    let changes = doc["resource_changes"]
        .as_array()
        .expect("resource_changes");
    let change = changes
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("{address} in {doc}"));
    change["change"]["sensitive_changed"].clone()
}

#[test]
fn a_saved_plan_shows_whether_each_secret_changed_as_the_plan_did() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), SECRETS).unwrap();
    let first = ["secret_name=Hidden-One", "password=Pw-One-1"];
    let mut apply = pingform(path);
    apply.args(["apply", "--emulator", "--auto-approve"]);
    for var in first {
        apply.args(["--var", var]);
    }
    assert_eq!(run(&mut apply).code, 0);

    let (text, doc) = plan_and_show(
        path,
        "rotated.plan",
        &["secret_name=Hidden-Two", "password=Pw-Two-2"],
    );
    assert!(
        text.contains("      ~ name = (sensitive value)\n"),
        "{text}"
    );
    assert!(
        text.contains("      ~ password = (sensitive value)\n"),
        "{text}"
    );
    assert!(
        text.contains("  ~ people_name = (sensitive value)\n"),
        "{text}"
    );
    let rotated = serde_json::json!({"name": true});
    assert_eq!(
        sensitive_changed(&doc, "pingone_population.people"),
        rotated
    );

    let (text, doc) = plan_and_show(
        path,
        "kept.plan",
        &["secret_name=Hidden-One", "password=Pw-One-1", "note=second"],
    );
    assert!(
        text.contains("~ description = \"first\" -> \"second\""),
        "{text}"
    );
    assert!(
        text.contains("        name        = (sensitive value)\n"),
        "an unchanged secret has no marker: {text}"
    );
    assert!(
        !text.contains("people_name"),
        "the output is unchanged: {text}"
    );
    assert!(!text.contains("pingone_user.ada"), "{text}");
    let kept = serde_json::json!({"name": false});
    assert_eq!(sensitive_changed(&doc, "pingone_population.people"), kept);
}

const TWO_POPULATIONS: &str = r#"variable "environment_id" {
  type = string
}

resource "pingone_population" "people" {
  environment_id = var.environment_id
  name           = "People"
}

resource "pingone_population" "other" {
  environment_id = var.environment_id
  name           = "Other"
}
"#;

#[test]
fn risks_are_in_the_text_and_json_plans_and_in_saved_plans() {
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), TWO_POPULATIONS).unwrap();
    let creating = run(&mut served.pingform(path, &["plan"]));
    assert_eq!(creating.code, 0, "{creating}");
    assert!(
        !creating.stdout.contains("Risks"),
        "nothing risky: {creating}"
    );
    let applied = run(&mut served.pingform(path, &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");

    // Someone adds a user to the population the configuration then drops.
    let env = served.credentials.environment_id.clone();
    let people = state_id(path, "pingone_population", "people");
    served.request(
        reqwest::Method::POST,
        &format!("/environments/{env}/users"),
        Some(serde_json::json!({
            "username": "ann",
            "email": "ann@example.com",
            "population": {"id": people}
        })),
    );
    let only_other = TWO_POPULATIONS.replace(
        "resource \"pingone_population\" \"people\" {\n  environment_id = var.environment_id\n  name           = \"People\"\n}\n",
        "",
    );
    assert_ne!(only_other, TWO_POPULATIONS);
    std::fs::write(path.join("main.tf"), only_other).unwrap();

    let planned = run(&mut served.pingform(path, &["plan", "--out", "reviewed.plan"]));
    assert_eq!(planned.code, 0, "{planned}");
    let text = without_saved_note(&planned.stdout);
    let expected = format!(
        "Plan: 0 to add, 0 to change, 1 to destroy.\n\n\
         Risks (2): review these before applying.\n  \
         ! pingone_population.people will be destroyed (not in configuration)\n  \
         ! pingone_population.people deletes population {people}, which holds 1 user(s): \
         PingOne refuses until they are moved or deleted\n"
    );
    assert!(text.ends_with(&expected), "{text}");

    let json = run(&mut served.pingform(path, &["plan", "--json"]));
    assert_eq!(json.code, 0, "{json}");
    let doc = timeless(&json.stdout);
    assert_eq!(doc["format_version"], "1.2", "still Terraform's shape");
    let people_change = doc["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "pingone_population.people")
        .expect("the population's change");
    assert_eq!(people_change["change"]["actions"][0], "delete");
    let risks = doc["risks"].as_array().expect("a risks array");
    assert_eq!(risks.len(), 2, "{doc}");
    assert_eq!(risks[0]["address"], "pingone_population.people");
    assert_eq!(
        risks[0]["message"],
        "will be destroyed (not in configuration)"
    );
    assert!(
        risks[1]["message"]
            .as_str()
            .unwrap()
            .contains("holds 1 user(s)"),
        "{doc}"
    );

    // `show` needs no tenant: what the provider knew is in the file.
    let shown = run(pingform(path).args(["show", "reviewed.plan"]));
    assert_eq!(shown.code, 0, "{shown}");
    assert_eq!(shown.stdout, text);
    let shown_json = run(pingform(path).args(["show", "reviewed.plan", "--json"]));
    assert_eq!(shown_json.code, 0, "{shown_json}");
    assert_eq!(timeless(&shown_json.stdout)["risks"], doc["risks"]);
}
