//! Fault drill: a 500-object apply (populations, groups, users) against a served emulator
//! that fails 5% of requests at random (429 with `Retry-After`, 503, a change committed
//! and its answer dropped) and adds latency spikes. One apply must converge thanks to
//! retries and adoption: the emulator then holds exactly the configured objects, once each,
//! state records them all, and a following plan shows no changes.

mod common;
mod drill_support;

use common::{run, serve};
use drill_support::{
    Shape, expected_addresses, expected_names, live_names, request_total, set_faults,
    state_addresses, write_config,
};

const SHAPE: Shape = Shape {
    populations: 10,
    groups: 40,
    users: 450,
};

#[test]
fn an_apply_under_random_faults_converges_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), SHAPE, "drill");
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    // 5% of requests fail: 2% answer 429 (with Retry-After), 2% answer 503, and 1% of the
    // changes are committed but their answer is lost. Every request also waits 0-40 ms.
    set_faults(
        &served,
        serde_json::json!({
            "errorRates": [{"status": 429, "rate": 0.02}, {"status": 503, "rate": 0.02}],
            "dropAfterCommitRate": 0.01,
            "latencyJitterMs": 40,
            "seed": 8
        }),
    );

    let applied = run(&mut served.pingform(
        dir.path(),
        &["apply", "--auto-approve", "--parallelism", "20"],
    ));
    assert_eq!(applied.code, 0, "one apply converges: {applied}");
    let requests = request_total(&served);
    set_faults(&served, serde_json::json!({}));
    // One POST per object plus a few setup calls would be about 500: the faults cost more.
    assert!(
        requests > SHAPE.total() as u64 + 10,
        "the faults were drawn and retried: {requests} requests"
    );

    assert_eq!(
        live_names(&served),
        expected_names(SHAPE, "drill"),
        "the emulator holds exactly the configured objects, once each"
    );
    assert_eq!(state_addresses(dir.path()), expected_addresses(SHAPE));
    let plan = run(&mut served.pingform(dir.path(), &["plan", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "nothing left to do: {plan}");
    assert!(plan.stdout.contains("No changes."), "{plan}");
    // Not an assertion (it depends on the draws): how much retrying the faults cost.
    eprintln!(
        "{} objects applied in {requests} requests under faults",
        SHAPE.total()
    );
}
