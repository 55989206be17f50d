//! `pingform state list|show|rm|mv`.

mod common;

use common::{example, pingform, run};

#[test]
fn list_show_mv_and_rm() {
    let dir = example("quickstart");
    let path = dir.path();
    assert_eq!(
        run(pingform(path).args(["apply", "--emulator", "--auto-approve"])).code,
        0
    );

    let list = run(pingform(path).args(["state", "list"]));
    assert_eq!(
        list.stdout, "pingone_population.contractors\npingone_population.staff\n",
        "{list}"
    );
    let show = run(pingform(path).args(["state", "show", "pingone_population.staff"]));
    assert!(
        show.stdout.contains("name") && show.stdout.contains("\"Engineering staff\""),
        "{show}"
    );

    // Rename in the configuration, then move the state to match: no change planned.
    let main_tf = path.join("main.tf");
    let text = std::fs::read_to_string(&main_tf).unwrap();
    std::fs::write(
        &main_tf,
        text.replace("\"staff\"", "\"employees\"")
            .replace("pingone_population.staff.", "pingone_population.employees."),
    )
    .unwrap();
    let moved = run(pingform(path).args([
        "state",
        "mv",
        "pingone_population.staff",
        "pingone_population.employees",
    ]));
    assert_eq!(moved.code, 0, "{moved}");
    let plan = run(pingform(path).args(["plan", "--emulator", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "{plan}");
    let state = std::fs::read_to_string(path.join("pingform.tfstate")).unwrap();
    assert!(
        state.contains("\"pingone_population.employees\""),
        "dependencies follow the move"
    );

    let again = run(pingform(path).args([
        "state",
        "mv",
        "pingone_population.staff",
        "pingone_population.x",
    ]));
    assert_eq!(again.code, 1, "{again}");
    assert!(again.stderr.contains("not in the state"), "{again}");

    let removed = run(pingform(path).args(["state", "rm", "pingone_population.contractors"]));
    assert_eq!(removed.code, 0, "{removed}");
    assert!(removed.stdout.contains("no longer manages it"), "{removed}");
    let plan = run(pingform(path).args(["plan", "--emulator"]));
    assert!(
        plan.stdout
            .contains("pingone_population.contractors will be created"),
        "{plan}"
    );
}
