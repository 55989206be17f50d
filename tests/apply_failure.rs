//! When an apply fails, PingOne's error is printed once, in full, in the summary; the
//! progress line only says the object failed. Checked in plain-line mode (a pipe, as
//! in CI logs) and on a terminal (a pseudo-terminal from util-linux's `script`), where
//! the live line redraws around the progress lines.

mod common;

use std::path::Path;
use std::process::Command;

use common::{pingform, run};

const FIRST: &str = r#"resource "pingone_population" "first" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Same"
}
"#;

/// A second population PingOne refuses (its name is taken) and a group that depends on it.
const REFUSED: &str = r#"
resource "pingone_population" "second" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Same"
}

resource "pingone_group" "crew" {
  environment_id = "a2b4c6d8-0000-4000-8000-00000000e001"
  name           = "Crew"
  population_id  = pingone_population.second.id
}
"#;

/// A directory whose next `apply --emulator` fails on `pingone_population.second`.
fn about_to_fail() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), FIRST).unwrap();
    let first = run(pingform(dir.path()).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(first.code, 0, "{first}");
    std::fs::write(dir.path().join("main.tf"), format!("{FIRST}{REFUSED}")).unwrap();
    dir
}

/// What a failed apply printed must say in either mode.
fn assert_reported_once(output: &str) {
    let summary = output
        .find("Apply incomplete.")
        .expect("a summary after the apply");
    let entry = "\n  pingone_population.second: ";
    let at = summary
        + output[summary..]
            .find(entry)
            .unwrap_or_else(|| panic!("the summary names what failed:\n{output}"));
    let rest = &output[at + entry.len()..];
    let error = rest.lines().next().unwrap_or_default().trim_end();
    assert!(
        error.starts_with("create pingone_population.second: ") && error.len() > 60,
        "the summary gives the error in full:\n{output}"
    );
    assert_eq!(
        output.matches(error).count(),
        1,
        "the error is printed exactly once:\n{output}"
    );
    assert!(
        output
            .contains("pingone_population.second: failed (the error is in the summary at the end)"),
        "the progress line says it failed:\n{output}"
    );
    assert!(
        output[summary..]
            .contains("  pingone_group.crew: skipped because pingone_population.second failed"),
        "and what was skipped because it depends on the failure:\n{output}"
    );
}

#[test]
fn a_failure_is_reported_once_in_plain_lines() {
    let dir = about_to_fail();
    let failed = run(pingform(dir.path()).args(["apply", "--emulator", "--auto-approve"]));
    assert_eq!(failed.code, 1, "{failed}");
    assert_reported_once(&format!("{}{}", failed.stdout, failed.stderr));
}

#[test]
fn a_failure_is_reported_once_on_a_terminal() {
    let dir = about_to_fail();
    let output = on_terminal(dir.path(), "--no-color apply --emulator --auto-approve");
    assert!(
        output.contains("\u{1b}[2K"),
        "a live line was drawn (this is a terminal):\n{output:?}"
    );
    assert_reported_once(&output.replace("\r\n", "\n"));
}

/// Runs pingform with `args` in `dir` on a pseudo-terminal; what the terminal saw
/// (standard output and error together).
fn on_terminal(dir: &Path, args: &str) -> String {
    let binary = assert_cmd::cargo::cargo_bin("pingform");
    let command = format!("{} -C {} {args}", binary.display(), dir.display());
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("NO_COLOR")
        .output()
        .expect("util-linux `script` runs (apt-get install bsdutils)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}
