//! Drill: Ctrl-C (SIGINT) in the middle of an apply. The run starts nothing new, lets the
//! operations under way finish and records them; the state then holds exactly what was
//! created, the emulator holds nothing more, and the next plan shows exactly the rest.

mod common;
mod drill_support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{run, serve};
use drill_support::{
    Shape, expected_addresses, live_names, set_faults, state_addresses, write_config,
};

const SHAPE: Shape = Shape {
    populations: 4,
    groups: 36,
    users: 0,
};

/// How many objects the state journal in `dir` has recorded so far.
fn recorded(dir: &std::path::Path) -> usize {
    std::fs::read_to_string(dir.join("pingform.tfstate.journal"))
        .unwrap_or_default()
        .matches(r#""op":"upsert""#)
        .count()
}

#[test]
fn an_interrupted_apply_keeps_what_it_did_and_the_next_plan_shows_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), SHAPE, "int");
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    // 100 ms per request at parallelism 2: about 2 s for the whole apply.
    set_faults(&served, serde_json::json!({ "latencyMs": 100 }));

    let child = served
        .pingform(
            dir.path(),
            &["apply", "--auto-approve", "--parallelism", "2"],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pingform starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while recorded(dir.path()) < 6 {
        assert!(
            Instant::now() < deadline,
            "the apply recorded nothing in 30 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let output = child.wait_with_output().expect("pingform ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "an interrupted apply fails: {stderr}"
    );
    assert!(stderr.contains("Interrupt received"), "{stderr}");
    assert!(stderr.contains("not started (interrupted)"), "{stderr}");
    set_faults(&served, serde_json::json!({}));

    // Everything created is recorded, and nothing was created unrecorded.
    let kept = state_addresses(dir.path());
    let total = SHAPE.total();
    assert!(
        (6..total).contains(&kept.len()),
        "interrupted mid-way: {} of {total} recorded",
        kept.len()
    );
    let live = live_names(&served);
    let live_count = live["populations"].len() - 1 + live["groups"].len();
    assert_eq!(live_count, kept.len(), "live {live:?}, state {kept:?}");

    let plan = run(&mut served.pingform(dir.path(), &["plan", "--detailed-exitcode"]));
    assert_eq!(plan.code, 2, "{plan}");
    let remaining = total - kept.len();
    assert!(
        plan.stdout.contains(&format!(
            "Plan: {remaining} to add, 0 to change, 0 to destroy."
        )),
        "exactly the remaining work: {plan}"
    );
    let planned: Vec<String> = expected_addresses(SHAPE)
        .into_iter()
        .filter(|a| !kept.contains(a))
        .collect();
    for address in &planned {
        assert!(
            plan.stdout.contains(&format!("{address} will be created")),
            "{address} is planned: {plan}"
        );
    }

    let finished = run(&mut served.pingform(dir.path(), &["apply", "--auto-approve"]));
    assert_eq!(finished.code, 0, "{finished}");
    assert_eq!(state_addresses(dir.path()), expected_addresses(SHAPE));
    let plan = run(&mut served.pingform(dir.path(), &["plan", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "{plan}");
}
