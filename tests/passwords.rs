//! Write-only passwords: sent to PingOne, never stored; state keeps a salted hash,
//! so a changed password is planned (masked) and an unchanged one is not.

mod common;

use common::{pingform, run};

const CONFIG: &str = r#"variable "password" {
  type      = string
  sensitive = true
}

resource "pingone_population" "people" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "People"
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
"#;

#[test]
fn passwords_are_sent_never_stored_and_changes_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("main.tf"), CONFIG).unwrap();
    let with = |password: &str, args: &[&str]| {
        let mut cmd = pingform(path);
        cmd.args(args).env("PINGFORM_VAR_password", password);
        run(&mut cmd)
    };
    let applied = with(
        "Correct-Horse-1",
        &["apply", "--emulator", "--auto-approve"],
    );
    assert_eq!(applied.code, 0, "{applied}");
    assert!(!applied.stdout.contains("Correct-Horse-1"), "{applied}");
    let state = std::fs::read_to_string(path.join("pingform.tfstate")).unwrap();
    assert!(!state.contains("Correct-Horse-1"), "no password in state");
    assert!(state.contains("$pingform_sealed_sha256"), "{state}");

    let same = with(
        "Correct-Horse-1",
        &["plan", "--emulator", "--detailed-exitcode"],
    );
    assert_eq!(same.code, 0, "an unchanged password plans nothing: {same}");

    let changed = with(
        "Battery-Staple-2",
        &["plan", "--emulator", "--detailed-exitcode"],
    );
    assert_eq!(changed.code, 2, "{changed}");
    assert!(
        changed
            .stdout
            .contains("pingone_user.ada will be updated in-place"),
        "{changed}"
    );
    assert!(changed.stdout.contains("(sensitive value)"), "{changed}");
    assert!(!changed.stdout.contains("Battery-Staple-2"), "{changed}");

    let applied = with(
        "Battery-Staple-2",
        &["apply", "--emulator", "--auto-approve"],
    );
    assert_eq!(applied.code, 0, "{applied}");
    let after = with(
        "Battery-Staple-2",
        &["plan", "--emulator", "--detailed-exitcode"],
    );
    assert_eq!(after.code, 0, "{after}");
    let state = std::fs::read_to_string(path.join("pingform.tfstate")).unwrap();
    assert!(!state.contains("Battery-Staple-2"));
}
