//! Drill: two `pingform apply` runs started at the same moment on one state. Without
//! `--lock-timeout` one of them fails at once, naming the other as the lock's holder; with
//! it, one waits for the other and then finds nothing left to do. Either way the state is
//! written by one run only: one lineage, each configured object once in state and once in
//! the emulator.

mod common;
mod drill_support;

use std::process::{Child, Output, Stdio};

use common::{Served, run, serve, state_json};
use drill_support::{
    Shape, expected_addresses, expected_names, live_names, set_faults, state_addresses,
    write_config,
};

const SHAPE: Shape = Shape {
    populations: 6,
    groups: 12,
    users: 12,
};

/// Starts `pingform apply` with `extra` arguments, output captured.
fn start_apply(served: &Served, dir: &std::path::Path, extra: &[&str]) -> Child {
    let mut args = vec!["apply", "--auto-approve", "--parallelism", "2"];
    args.extend_from_slice(extra);
    served
        .pingform(dir, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pingform starts")
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A served emulator whose every request takes 60 ms, so an apply of `SHAPE` at
/// parallelism 2 holds the lock for about a second.
fn slow_emulator(data: &std::path::Path) -> Served {
    let served = serve(&data.join("tenant.json"));
    set_faults(&served, serde_json::json!({ "latencyMs": 60 }));
    served
}

/// The emulator and the state both hold exactly the configured objects, and a plan
/// finds nothing to do.
fn assert_converged(served: &Served, dir: &std::path::Path) {
    assert_eq!(live_names(served), expected_names(SHAPE, "both"));
    assert_eq!(state_addresses(dir), expected_addresses(SHAPE));
    set_faults(served, serde_json::json!({}));
    let plan = run(&mut served.pingform(dir, &["plan", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "{plan}");
}

#[test]
fn the_second_of_two_simultaneous_applies_fails_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), SHAPE, "both");
    let data = tempfile::tempdir().unwrap();
    let served = slow_emulator(data.path());

    let first = start_apply(&served, dir.path(), &[]);
    let second = start_apply(&served, dir.path(), &[]);
    let pids = [first.id(), second.id()];
    let outputs = [first, second].map(|c| c.wait_with_output().expect("pingform ends"));
    let won: Vec<usize> = (0..2).filter(|&i| outputs[i].status.success()).collect();
    assert_eq!(
        won.len(),
        1,
        "exactly one run applies:\n{}\n{}",
        text(&outputs[0]),
        text(&outputs[1])
    );
    let (winner, loser) = (won[0], 1 - won[0]);
    let refused = text(&outputs[loser]);
    assert_eq!(outputs[loser].status.code(), Some(1), "{refused}");
    for expected in [
        "locked".to_string(),
        format!("pid {}", pids[winner]),
        "operation `apply`".to_string(),
    ] {
        assert!(
            refused.contains(&expected),
            "missing {expected:?}: {refused}"
        );
    }
    assert!(
        !refused.contains("Creating") && !refused.contains("created"),
        "the refused run changed nothing: {refused}"
    );
    assert_converged(&served, dir.path());
}

#[test]
fn with_a_lock_timeout_the_second_apply_waits_and_then_has_nothing_to_do() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), SHAPE, "both");
    let data = tempfile::tempdir().unwrap();
    let served = slow_emulator(data.path());

    let first = start_apply(&served, dir.path(), &["--lock-timeout", "60s"]);
    let second = start_apply(&served, dir.path(), &["--lock-timeout", "60s"]);
    let outputs = [first, second].map(|c| c.wait_with_output().expect("pingform ends"));
    for output in &outputs {
        assert!(output.status.success(), "{}", text(output));
    }
    // The waiter loaded the state only once the first run had released it, so it saw every
    // object recorded: had it read the state early, it would have planned creates again.
    let waited: Vec<&Output> = outputs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stdout).contains("No changes."))
        .collect();
    assert_eq!(
        waited.len(),
        1,
        "one run applied, the other found nothing to do:\n{}\n{}",
        text(&outputs[0]),
        text(&outputs[1])
    );
    let state = state_json(dir.path());
    assert!(state["lineage"].as_str().is_some_and(|l| l.len() == 36));
    assert_converged(&served, dir.path());
}
