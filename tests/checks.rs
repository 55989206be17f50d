//! `check` blocks: a failed assertion is a warning after plan and after apply,
//! never an error; one that needs values known only after apply waits for them.

mod common;

use common::{pingform, run};

const CONFIG: &str = r#"resource "pingone_population" "staff" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Staff"
}

check "naming" {
  assert {
    condition     = startswith(pingone_population.staff.name, "Team ")
    error_message = "population names start with \"Team \", not ${pingone_population.staff.name}"
  }
  assert {
    condition     = length(pingone_population.staff.id) == 36
    error_message = "ids are UUIDs"
  }
}
"#;

#[test]
fn failed_assertions_warn_after_plan_and_apply_without_failing_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), CONFIG).unwrap();

    let plan = run(pingform(path).args(["plan", "--emulator"]));
    assert_eq!(plan.code, 0, "{plan}");
    assert!(
        plan.stderr
            .contains("Check block assertion failed: `naming`"),
        "{plan}"
    );
    assert!(plan.stderr.contains("not Staff"), "{plan}");
    assert!(
        !plan.stderr.contains("ids are UUIDs"),
        "the id is not known yet: {plan}"
    );

    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    assert!(apply.stderr.contains("not Staff"), "{apply}");
    assert!(
        !apply.stderr.contains("ids are UUIDs"),
        "the id is a UUID: {apply}"
    );

    std::fs::write(
        path.join("main.tf"),
        CONFIG.replace("\"Staff\"", "\"Team Staff\""),
    )
    .unwrap();
    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 0, "{apply}");
    assert!(!apply.stderr.contains("assertion failed"), "{apply}");
}
