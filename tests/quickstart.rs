//! The quickstart as a new user runs it: apply, plan with no changes, edit,
//! plan one update, apply, check through the API, destroy.

mod common;

use common::{example, pingform, run, serve};

/// Population names and descriptions in the emulator's admin environment, as its API shows them.
fn populations(served: &common::Served) -> Vec<(String, String)> {
    let env = &served.credentials.environment_id;
    let list = served.get(&format!("/environments/{env}/populations"));
    let mut found: Vec<(String, String)> = list["_embedded"]["populations"]
        .as_array()
        .expect("populations array")
        .iter()
        .map(|p| {
            let text = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            (text("name"), text("description"))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn quickstart_with_embedded_emulator() {
    let dir = example("quickstart");
    let path = dir.path();

    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        applied.stdout.contains("2 added, 0 changed, 0 destroyed"),
        "{applied}"
    );

    let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(plan.stdout.contains("No changes."), "{plan}");

    let main_tf = path.join("main.tf");
    let text = std::fs::read_to_string(&main_tf).unwrap();
    let edited = text.replace("Everyone who works in", "All the people in");
    assert_ne!(text, edited);
    std::fs::write(&main_tf, edited).unwrap();

    let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(plan.code, 2, "{plan}");
    assert!(
        plan.stdout
            .contains("# pingone_population.staff will be updated in-place"),
        "{plan}"
    );
    assert!(
        plan.stdout
            .contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{plan}"
    );

    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        applied.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{applied}"
    );

    // The emulator's data can be served afterwards and shows the new description.
    {
        let served = serve(&path.join(".pingform").join("emulator.json"));
        let found = populations(&served);
        assert!(
            found.contains(&(
                "Engineering staff".into(),
                "All the people in engineering".into()
            )),
            "{found:?}"
        );
    }

    let destroyed = run(pingform(path).args(["destroy", "--emulator", "--auto-approve"]));
    assert_eq!(destroyed.code, 0, "{destroyed}");
    assert!(
        destroyed.stdout.contains("0 added, 0 changed, 2 destroyed"),
        "{destroyed}"
    );

    let served = serve(&path.join(".pingform").join("emulator.json"));
    let names: Vec<String> = populations(&served).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Default"], "only the seeded population is left");
}

#[test]
fn quickstart_against_a_served_emulator_with_pingone_variables() {
    let dir = example("quickstart");
    let path = dir.path();
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let with_env = |args: &[&str]| {
        let mut cmd = pingform(path);
        cmd.args(args).envs(served.env());
        run(&mut cmd)
    };

    let applied = with_env(&["apply", "--auto-approve"]);
    assert_eq!(applied.code, 0, "{applied}");
    let plan = with_env(&["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{plan}");
    assert!(
        populations(&served)
            .iter()
            .any(|(n, _)| n == "Engineering contractors")
    );

    let main_tf = path.join("main.tf");
    let text = std::fs::read_to_string(&main_tf).unwrap();
    std::fs::write(
        &main_tf,
        text.replace("Contractors working", "Contractors who work"),
    )
    .unwrap();
    let plan = with_env(&["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "{plan}");
    assert!(
        plan.stdout
            .contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{plan}"
    );
    let applied = with_env(&["apply", "--auto-approve"]);
    assert_eq!(applied.code, 0, "{applied}");
    assert!(
        populations(&served)
            .iter()
            .any(|(_, d)| d == "Contractors who work alongside Engineering staff")
    );

    let destroyed = with_env(&["destroy", "--auto-approve"]);
    assert_eq!(destroyed.code, 0, "{destroyed}");
    let names: Vec<String> = populations(&served).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Default"]);
}

#[test]
fn apply_records_ids_lineage_and_serial_in_state() {
    let dir = example("quickstart");
    let path = dir.path();
    let applied = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");
    let text = std::fs::read_to_string(path.join("pingform.tfstate")).unwrap();
    let state: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(state["format_version"], 4);
    assert!(uuid_like(state["lineage"].as_str().unwrap()));
    assert!(
        state["serial"].as_u64().unwrap() >= 2,
        "one write per created object"
    );
    let resources = state["resources"].as_array().unwrap();
    let contractors = resources
        .iter()
        .find(|r| r["name"] == "contractors")
        .unwrap();
    assert!(uuid_like(contractors["attributes"]["id"].as_str().unwrap()));
    assert_eq!(
        contractors["dependencies"],
        serde_json::json!(["pingone_population.staff"])
    );
    assert!(!text.contains("client_secret"), "no secrets in state");
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4
}
