//! Colour and the live apply line appear on a terminal only, and `--no-color` and
//! `NO_COLOR` turn colour off there. The terminal is a pseudo-terminal from util-linux's
//! `script`.

mod common;

use std::path::Path;
use std::process::Command;

use common::example;

/// Runs pingform with `args` in `dir` on a pseudo-terminal; its output as the terminal saw it.
fn on_terminal(dir: &Path, args: &str, no_color_env: bool) -> String {
    let binary = assert_cmd::cargo::cargo_bin("pingform");
    let command = format!("{} -C {} {args}", binary.display(), dir.display());
    let mut script = Command::new("script");
    script.args(["-qec", &command, "/dev/null"]);
    script.env_remove("NO_COLOR");
    if no_color_env {
        script.env("NO_COLOR", "1");
    }
    let output = script
        .output()
        .expect("util-linux `script` runs (apt-get install bsdutils)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{args} failed:\n{text}");
    text
}

#[test]
fn colour_and_live_progress_only_on_a_terminal() {
    let dir = example("quickstart");
    let path = dir.path();
    let coloured = on_terminal(path, "plan --emulator", false);
    assert!(
        coloured.contains("\u{1b}[32m+\u{1b}[0m resource"),
        "markers are coloured on a terminal:\n{coloured}"
    );
    let plain = on_terminal(path, "--no-color plan --emulator", false);
    assert!(!plain.contains("\u{1b}["), "--no-color:\n{plain}");
    assert!(plain.contains("+ resource"), "{plain}");
    let plain = on_terminal(path, "plan --emulator", true);
    assert!(!plain.contains("\u{1b}["), "NO_COLOR:\n{plain}");

    let applied = on_terminal(path, "--no-color apply --emulator --auto-approve", false);
    assert!(
        applied.contains("[2/2] pingone_population"),
        "the completion lines are there:\n{applied}"
    );
    assert!(applied.contains("Apply complete!"), "{applied}");
    // The live line is drawn, then cleared with an erase-line sequence, which a
    // pipe never gets.
    assert!(
        applied.contains("\u{1b}[2K"),
        "a live line was drawn and cleared:\n{applied:?}"
    );
}
