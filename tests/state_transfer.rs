//! `pingform state pull` and `state push`: a round trip, and the refusals that
//! keep a push from losing stored changes.

mod common;

use common::{populations_config, run, serve};

#[test]
fn pull_then_push_round_trips_and_stale_or_foreign_pushes_are_refused() {
    let dir = populations_config(1, "transfer");
    let path = dir.path();
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    assert_eq!(
        run(&mut served.pingform(path, &["apply", "--auto-approve"])).code,
        0
    );

    let pulled = run(common::pingform(path).args(["state", "pull"]));
    assert_eq!(pulled.code, 0, "{pulled}");
    let state: serde_json::Value = serde_json::from_str(&pulled.stdout).unwrap();
    assert_eq!(state, common::state_json(path));
    let saved = path.join("pulled.json");

    let mut older = state.clone();
    older["serial"] = serde_json::json!(state["serial"].as_u64().unwrap() - 1);
    std::fs::write(&saved, older.to_string()).unwrap();
    let refused = run(common::pingform(path).args(["state", "push"]).arg(&saved));
    assert_eq!(refused.code, 1, "{refused}");
    assert!(
        refused.stderr.contains("serial") && refused.stderr.contains("--force"),
        "{refused}"
    );

    let mut foreign = state.clone();
    foreign["lineage"] = serde_json::json!("00000000-0000-4000-8000-000000000000");
    foreign["resources"] = serde_json::json!([]);
    std::fs::write(&saved, foreign.to_string()).unwrap();
    let refused = run(common::pingform(path).args(["state", "push"]).arg(&saved));
    assert_eq!(refused.code, 1, "{refused}");
    assert!(refused.stderr.contains("lineage"), "{refused}");
    assert_eq!(common::state_json(path), state, "nothing was overwritten");

    let forced = run(common::pingform(path)
        .args(["state", "push", "--force"])
        .arg(&saved));
    assert_eq!(forced.code, 0, "{forced}");
    assert_eq!(common::state_json(path), foreign);

    let mut newer = foreign.clone();
    newer["serial"] = serde_json::json!(foreign["serial"].as_u64().unwrap() + 1);
    std::fs::write(&saved, newer.to_string()).unwrap();
    let pushed = run(common::pingform(path).args(["state", "push"]).arg(&saved));
    assert_eq!(pushed.code, 0, "{pushed}");
    assert!(pushed.stdout.contains("Pushed state serial"), "{pushed}");

    std::fs::write(&saved, "{\"version\": 4, \"terraform_version\": \"1.9.0\"}").unwrap();
    let refused = run(common::pingform(path).args(["state", "push"]).arg(&saved));
    assert_eq!(refused.code, 1, "{refused}");
    assert!(refused.stderr.contains("Terraform state file"), "{refused}");
}
