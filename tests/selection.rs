//! `--target`, `--exclude`, `--replace` and `--max-deletes`.

mod common;

use common::{example, pingform, run};

#[test]
fn targets_excludes_replace_and_max_deletes() {
    let dir = example("quickstart");
    let path = dir.path();
    let plan = |extra: &[&str]| {
        let mut cmd = pingform(path);
        cmd.args(["plan", "--emulator"]).args(extra);
        run(&mut cmd)
    };

    let both = plan(&["--target", "pingone_population.contractors"]);
    assert!(
        both.stdout.contains("Plan: 2 to add"),
        "a target brings its dependencies: {both}"
    );
    assert!(both.stderr.contains("narrowed"), "{both}");
    let one = plan(&["--target", "pingone_population.staff"]);
    assert!(one.stdout.contains("Plan: 1 to add"), "{one}");
    assert!(!one.stdout.contains("contractors"), "{one}");
    let none = plan(&["--exclude", "pingone_population.staff"]);
    assert!(
        none.stdout.contains("No changes."),
        "an exclude takes its dependents: {none}"
    );

    let unknown = plan(&["--target", "pingone_population.nope"]);
    assert_eq!(unknown.code, 1, "{unknown}");
    assert!(unknown.stderr.contains("no such resource"), "{unknown}");
    let malformed = plan(&["--target", "staff"]);
    assert_eq!(malformed.code, 2, "clap usage error: {malformed}");

    assert_eq!(
        run(pingform(path).args(["apply", "--emulator", "--auto-approve"])).code,
        0
    );
    let replace = plan(&["--replace", "pingone_population.staff", "--markdown"]);
    assert!(
        replace
            .stdout
            .contains("1 to add, 0 to change, 1 to destroy"),
        "{replace}"
    );
    assert!(
        replace
            .stdout
            .contains("replacement requested with --replace"),
        "{replace}"
    );

    let guarded = run(pingform(path).args([
        "destroy",
        "--emulator",
        "--auto-approve",
        "--max-deletes",
        "1",
    ]));
    assert_eq!(guarded.code, 1, "{guarded}");
    assert!(
        guarded.stderr.contains("more than --max-deletes 1"),
        "{guarded}"
    );
    let state = std::fs::read_to_string(path.join("pingform.tfstate")).unwrap();
    assert!(state.contains("contractors"), "nothing was destroyed");
}
