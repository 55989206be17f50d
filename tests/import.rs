//! Importing objects made by hand: `pingform import ADDR ID` and `import {}`
//! blocks, with the errors a user meets on the way.

mod common;

use common::{Served, pingform, run, serve};

/// Creates a population by hand (not through pingform); returns its id.
fn population_by_hand(served: &Served, name: &str) -> String {
    let env = &served.credentials.environment_id;
    let created = served.request(
        reqwest::Method::POST,
        &format!("/environments/{env}/populations"),
        Some(serde_json::json!({ "name": name, "description": "made by hand" })),
    );
    created["id"].as_str().unwrap().to_string()
}

fn config(env: &str, extra: &str) -> String {
    format!(
        r#"resource "pingone_population" "team" {{
  environment_id = "{env}"
  name           = "Team"
  description    = "made by hand"
}}
{extra}"#
    )
}

#[test]
fn the_import_command_adopts_an_object_and_the_next_plan_is_clean() {
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let env = served.credentials.environment_id.clone();
    let id = population_by_hand(&served, "Team");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), config(&env, "")).unwrap();
    let pf = |args: &[&str]| {
        let mut cmd = pingform(path);
        cmd.args(args).envs(served.env());
        run(&mut cmd)
    };

    let bad = pf(&["import", "pingone_population.team", &id]);
    assert_eq!(bad.code, 1, "{bad}");
    assert!(bad.stderr.contains("Unexpected Import Identifier"), "{bad}");
    assert!(bad.stderr.contains("environment_id/id"), "{bad}");

    let missing = format!("{env}/00000000-0000-4000-8000-000000000000");
    let gone = pf(&["import", "pingone_population.team", &missing]);
    assert_eq!(gone.code, 1, "{gone}");
    assert!(gone.stderr.contains("non-existent remote object"), "{gone}");

    let unconfigured = pf(&["import", "pingone_population.other", &format!("{env}/{id}")]);
    assert_eq!(unconfigured.code, 1, "{unconfigured}");
    assert!(
        unconfigured.stderr.contains("not in the configuration"),
        "{unconfigured}"
    );

    let imported = pf(&["import", "pingone_population.team", &format!("{env}/{id}")]);
    assert_eq!(imported.code, 0, "{imported}");
    assert!(imported.stdout.contains("Import successful"), "{imported}");
    let plan = pf(&["plan", "--detailed-exitcode"]);
    assert_eq!(
        plan.code, 0,
        "the imported object matches its configuration: {plan}"
    );

    let again = pf(&["import", "pingone_population.team", &format!("{env}/{id}")]);
    assert_eq!(again.code, 1, "{again}");
    assert!(again.stderr.contains("already managed"), "{again}");
}

#[test]
fn an_import_block_is_planned_then_applied_with_its_update() {
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let env = served.credentials.environment_id.clone();
    let id = population_by_hand(&served, "Team");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let block = format!("import {{\n  to = pingone_population.team\n  id = \"{env}/{id}\"\n}}\n");
    let edited = config(&env, &block).replace("made by hand\"\n}", "now managed\"\n}");
    std::fs::write(path.join("main.tf"), &edited).unwrap();
    let pf = |args: &[&str]| {
        let mut cmd = pingform(path);
        cmd.args(args).envs(served.env());
        run(&mut cmd)
    };

    let plan = pf(&["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "{plan}");
    assert!(
        plan.stdout
            .contains(&format!("(imported from \"{env}/{id}\")")),
        "{plan}"
    );
    assert!(
        plan.stdout
            .contains("1 to import, 0 to add, 1 to change, 0 to destroy"),
        "{plan}"
    );
    let json = pf(&["plan", "--json"]);
    assert!(json.stdout.contains("\"importing\""), "{json}");

    let apply = pf(&["apply", "--auto-approve"]);
    assert_eq!(apply.code, 0, "{apply}");
    assert!(
        apply.stdout.contains("1 imported, 0 added, 1 changed"),
        "{apply}"
    );
    let live = served.get(&format!("/environments/{env}/populations/{id}"));
    assert_eq!(
        live["description"], "now managed",
        "updated in place, not recreated"
    );
    let plan = pf(&["plan", "--detailed-exitcode"]);
    assert_eq!(
        plan.code, 0,
        "the import block is done once the object is in state: {plan}"
    );

    std::fs::write(
        path.join("main.tf"),
        edited.replace(
            "to = pingone_population.team",
            "to = pingone_population.nobody",
        ),
    )
    .unwrap();
    let wrong = pf(&["validate"]);
    assert_eq!(wrong.code, 1, "{wrong}");
    assert!(
        wrong.stderr.contains("pingone_population.nobody"),
        "{wrong}"
    );
}

/// A second resource describing an object this state already manages: PingOne refuses
/// the create (same name), and the error names the address that manages it instead of
/// advising an import that would manage one object twice.
#[test]
fn a_create_refused_for_an_object_managed_elsewhere_names_that_address() {
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let env = served.credentials.environment_id.clone();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let pf = |args: &[&str]| {
        let mut cmd = pingform(path);
        cmd.args(args).envs(served.env());
        run(&mut cmd)
    };
    std::fs::write(path.join("main.tf"), config(&env, "")).unwrap();
    let first = pf(&["apply", "--auto-approve"]);
    assert_eq!(first.code, 0, "{first}");

    let copy = format!(
        r#"resource "pingone_population" "copy" {{
  environment_id = "{env}"
  name           = "Team"
}}"#
    );
    std::fs::write(path.join("main.tf"), config(&env, &copy)).unwrap();
    let second = pf(&["apply", "--auto-approve"]);
    assert_eq!(second.code, 1, "{second}");
    let out = format!("{}{}", second.stdout, second.stderr);
    assert!(
        out.contains("this state manages it as `pingone_population.team`"),
        "{second}"
    );
    assert!(
        !out.contains("pingform import pingone_population.copy"),
        "{second}"
    );
}
