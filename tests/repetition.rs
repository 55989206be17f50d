//! `count` and `for_each` from a user's point of view: instances planned,
//! applied, listed, targeted, moved and removed by their keyed addresses.

mod common;

use common::{pingform, run, state_json};

const ENV: &str = "a2b4c6d8-0000-4000-8000-00000000e001";

fn config(teams: &str, groups: usize) -> String {
    format!(
        r#"variable "teams" {{
  default = [{teams}]
}}

resource "pingone_population" "team" {{
  for_each       = toset(var.teams)
  environment_id = "{ENV}"
  name           = "Team ${{each.key}}"
}}

resource "pingone_group" "crew" {{
  count          = {groups}
  environment_id = "{ENV}"
  name           = "Crew ${{count.index}}"
  description    = "of ${{pingone_population.team["red"].name}}"
}}

output "team_ids" {{
  value = {{ for k, p in pingone_population.team : k => p.id }}
}}
"#
    )
}

#[test]
fn instances_are_created_listed_targeted_and_removed_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), config(r#""red", "blue""#, 2)).unwrap();

    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    assert!(
        apply.stdout.contains(r#"pingone_population.team["red"]"#),
        "{apply}"
    );
    assert!(apply.stdout.contains("4 added"), "{apply}");
    let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "converged: {plan}");

    let list = run(pingform(path).args(["state", "list"]));
    assert_eq!(
        list.stdout.lines().collect::<Vec<_>>(),
        [
            "pingone_group.crew[0]",
            "pingone_group.crew[1]",
            r#"pingone_population.team["blue"]"#,
            r#"pingone_population.team["red"]"#,
        ],
        "{list}"
    );
    let state = state_json(path);
    assert_eq!(state["resources"][2]["index_key"], "blue");
    assert_eq!(state["resources"][0]["index_key"], 0);
    let output = run(pingform(path).args(["output", "--json", "team_ids"]));
    let ids: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    assert!(
        ids["red"].as_str().is_some_and(|id| id.len() == 36),
        "{output}"
    );

    let show = run(pingform(path).args(["state", "show", r#"pingone_population.team["red"]"#]));
    assert_eq!(show.code, 0, "{show}");
    assert!(show.stdout.contains("Team red"), "{show}");

    // One fewer crew, and a team gone: exactly those are deleted, with the reason.
    std::fs::write(path.join("main.tf"), config(r#""red""#, 1)).unwrap();
    let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(plan.code, 2, "{plan}");
    assert!(
        plan.stdout
            .contains("because pingone_group.crew[1] is out of range for `count`"),
        "{plan}"
    );
    assert!(
        plan.stdout
            .contains(r#"because pingone_population.team["blue"] is not a key of `for_each`"#),
        "{plan}"
    );
    assert!(plan.stdout.contains("2 to destroy"), "{plan}");

    // A target with a key narrows the plan to that instance.
    let targeted = run(pingform(path).args([
        "apply",
        "--emulator",
        "--auto-approve",
        "--target",
        "pingone_group.crew[1]",
    ]));
    assert_eq!(targeted.code, 0, "{targeted}");
    assert!(targeted.stdout.contains("1 destroyed"), "{targeted}");
    let list = run(pingform(path).args(["state", "list"]));
    assert!(!list.stdout.contains("crew[1]"), "{list}");
    assert!(list.stdout.contains(r#"team["blue"]"#), "{list}");

    // A block address in `state rm` takes every instance with it.
    let rm = run(pingform(path).args(["state", "rm", "pingone_population.team"]));
    assert_eq!(rm.code, 0, "{rm}");
    assert!(
        rm.stdout
            .contains(r#"Removed pingone_population.team["blue"]"#),
        "{rm}"
    );
    let list = run(pingform(path).args(["state", "list"]));
    assert_eq!(list.stdout.trim(), "pingone_group.crew[0]", "{list}");
}

#[test]
fn state_mv_moves_one_instance_to_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), config(r#""red""#, 1)).unwrap();
    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");

    let mv = run(pingform(path).args([
        "state",
        "mv",
        "pingone_group.crew[0]",
        "pingone_group.crew[3]",
    ]));
    assert_eq!(mv.code, 0, "{mv}");
    let list = run(pingform(path).args(["state", "list"]));
    assert!(list.stdout.contains("pingone_group.crew[3]"), "{list}");
    let bad = run(pingform(path).args(["state", "mv", "pingone_group.crew[", "pingone_group.x"]));
    assert_eq!(bad.code, 2, "a usage error: {bad}");
    assert!(bad.stderr.contains("TYPE.NAME[0]"), "{bad}");
}

#[test]
fn a_misused_count_is_reported_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(
        path.join("main.tf"),
        format!(
            r#"resource "pingone_population" "p" {{
  count          = -1
  environment_id = "{ENV}"
  name           = "P"
}}
"#
        ),
    )
    .unwrap();
    let plan = run(pingform(path).args(["plan", "--emulator"]));
    assert_eq!(plan.code, 1, "{plan}");
    assert!(plan.stderr.contains("Invalid count argument"), "{plan}");
    assert!(plan.stderr.contains("main.tf:2:20"), "{plan}");
}
