//! Refactoring without recreating: `moved` renames an object in state, and
//! `removed` with `destroy = false` stops managing it while PingOne keeps it.

mod common;

use common::{pingform, run, state_json};

const ENV: &str = "a2b4c6d8-0000-4000-8000-00000000e001";

fn population(name: &str, label: &str) -> String {
    format!(
        "resource \"pingone_population\" \"{name}\" {{\n  environment_id = \"{ENV}\"\n  name           = \"{label}\"\n}}\n"
    )
}

#[test]
fn moved_renames_without_recreating_and_removed_lets_go() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let write = |text: String| std::fs::write(path.join("main.tf"), text).unwrap();
    write(population("old", "Staff") + &population("gone", "Legacy"));
    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    let id_of = |address: &str| {
        let state = state_json(path);
        state["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                format!(
                    "{}.{}",
                    r["type"].as_str().unwrap(),
                    r["name"].as_str().unwrap()
                ) == address
            })
            .map(|r| r["attributes"]["id"].as_str().unwrap().to_string())
    };
    let old_id = id_of("pingone_population.old").unwrap();

    write(
        population("new", "Staff")
            + "moved {\n  from = pingone_population.old\n  to   = pingone_population.new\n}\n"
            + "removed {\n  from = pingone_population.gone\n  lifecycle {\n    destroy = false\n  }\n}\n",
    );
    let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(plan.code, 2, "{plan}");
    assert!(
        plan.stdout
            .contains("pingone_population.old has moved to pingone_population.new"),
        "{plan}"
    );
    assert!(
        plan.stdout
            .contains("pingone_population.gone will no longer be managed"),
        "{plan}"
    );
    assert!(
        plan.stdout.contains("0 to add, 0 to change, 0 to destroy"),
        "{plan}"
    );

    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    assert_eq!(
        id_of("pingone_population.new"),
        Some(old_id),
        "same object, new address"
    );
    assert_eq!(id_of("pingone_population.gone"), None);
    let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "settled: {plan}");

    // The object let go still exists: importing it back finds it.
    let still_declared = population("new", "Staff")
        + "moved {\n  from = pingone_population.new\n  to   = pingone_group.new\n}\n";
    write(still_declared);
    let invalid = run(pingform(path).args(["validate"]));
    assert_eq!(invalid.code, 1, "{invalid}");
    assert!(
        invalid.stderr.contains("Resource type mismatch"),
        "{invalid}"
    );
}
