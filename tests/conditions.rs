//! `lifecycle { precondition, postcondition }`: a false precondition stops the
//! plan with its message; a postcondition checks `self`, at plan when the value
//! is known and after apply when it is only known then.

mod common;

use common::{pingform, run};

fn config(name: &str, id_length: usize) -> String {
    format!(
        r#"variable "team" {{
  default = "{name}"
}}

resource "pingone_population" "team" {{
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = var.team

  lifecycle {{
    precondition {{
      condition     = length(var.team) >= 3
      error_message = "team names have at least 3 characters, not \"${{var.team}}\""
    }}
    postcondition {{
      condition     = length(self.id) == {id_length}
      error_message = "PingOne gave an id of ${{length(self.id)}} characters"
    }}
  }}
}}
"#
    )
}

#[test]
fn conditions_stop_the_plan_or_fail_the_object_with_their_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), config("QA", 36)).unwrap();
    let plan = run(pingform(path).args(["plan", "--emulator"]));
    assert_eq!(plan.code, 1, "{plan}");
    assert!(
        plan.stderr.contains("Resource precondition failed"),
        "{plan}"
    );
    assert!(plan.stderr.contains("not \"QA\""), "{plan}");
    assert!(plan.stderr.contains("main.tf:11:23"), "{plan}");

    // The id is known only after apply: the postcondition is checked then.
    std::fs::write(path.join("main.tf"), config("Quality", 12)).unwrap();
    let apply = run(pingform(path).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(apply.code, 1, "{apply}");
    assert!(
        apply.stderr.contains("Resource postcondition failed"),
        "{apply}"
    );
    assert!(apply.stderr.contains("an id of 36 characters"), "{apply}");
    // The object exists and is recorded; the next plan checks the known id at once.
    let plan = run(pingform(path).args(["plan", "--emulator"]));
    assert_eq!(plan.code, 1, "{plan}");
    assert!(plan.stderr.contains("an id of 36 characters"), "{plan}");

    std::fs::write(path.join("main.tf"), config("Quality", 36)).unwrap();
    let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "{plan}");

    let misplaced = config("Quality", 36).replace("length(var.team) >= 3", "self.name != \"\"");
    std::fs::write(path.join("main.tf"), misplaced).unwrap();
    let invalid = run(pingform(path).args(["validate"]));
    assert_eq!(invalid.code, 1, "{invalid}");
    assert!(
        invalid.stderr.contains("Invalid `self` reference"),
        "{invalid}"
    );
}
