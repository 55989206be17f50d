//! Fault drill: a 500-object apply (populations, groups, users) against a served emulator
//! that faults 5% of requests at random: 429 with `Retry-After`, 503 with `Retry-After`, a
//! change committed and its answer dropped, and latency spikes. The emulator's counters
//! prove each kind of fault really fired (a drill where none fired proves nothing). One apply
//! must converge thanks to retries and adoption: the emulator then holds exactly the
//! configured objects, once each, state records them all with their live IDs, and a
//! following plan shows no changes.

mod common;
mod drill_support;

use common::{run, serve};
use drill_support::{
    Shape, counts, expected_addresses, expected_names, live_ids, live_names, reset_counters,
    set_faults, state_addresses, state_ids, write_config,
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
    reset_counters(&served);
    // 5% of requests are faulted: 1.5% answer 429 and 1.5% answer 503 (both with a
    // one-second Retry-After), 1% of the changes are committed but their answer is lost, and
    // 1% wait a 300 ms latency spike. Every request also waits 0-20 ms, so requests overlap.
    // The emulator's PingOne-like rate limit stays on: bursts of retries may meet it too.
    set_faults(
        &served,
        serde_json::json!({
            "errorRates": [{"status": 429, "rate": 0.015}, {"status": 503, "rate": 0.015}],
            "dropAfterCommitRate": 0.01,
            "latencySpikeRate": 0.01,
            "latencySpikeMs": 300,
            "latencyJitterMs": 20,
            "seed": 8
        }),
    );

    let applied = run(&mut served.pingform(
        dir.path(),
        &["apply", "--auto-approve", "--parallelism", "20"],
    ));
    assert_eq!(applied.code, 0, "one apply converges: {applied}");
    let seen = counts(&served);
    set_faults(&served, serde_json::json!({}));
    assert_every_fault_fired(&seen);

    assert_eq!(
        live_names(&served),
        expected_names(SHAPE, "drill"),
        "the emulator holds exactly the configured objects, once each"
    );
    assert_eq!(state_addresses(dir.path()), expected_addresses(SHAPE));
    let recorded = state_ids(dir.path());
    let live = live_ids(&served);
    assert_eq!(recorded.len(), SHAPE.total(), "one ID per object in state");
    for (name, id) in &recorded {
        assert_eq!(
            live.get(name),
            Some(id),
            "state records {name} with the ID the emulator holds it under"
        );
    }
    let plan = run(&mut served.pingform(dir.path(), &["plan", "--detailed-exitcode"]));
    assert_eq!(plan.code, 0, "nothing left to do: {plan}");
    assert!(plan.stdout.contains("No changes."), "{plan}");
}

/// Each fault kind of the mix was injected at least once, and the emulator answered nothing
/// the drill did not ask for (its only 5xx are the injected 503s).
fn assert_every_fault_fired(seen: &pingone_emulator::RequestCounts) {
    let faults = &seen.faults;
    let fired = [
        ("429", faults.error(429)),
        ("503", faults.error(503)),
        ("dropped after commit", faults.dropped_after_commit),
        ("latency spike", faults.latency_spikes),
    ];
    for (kind, count) in fired {
        assert!(count > 0, "no {kind} fault fired: {seen:?}");
    }
    assert!(
        seen.status(429) >= faults.error(429),
        "every injected 429 was answered: {seen:?}"
    );
    assert_eq!(
        seen.status_class(5),
        faults.error(503),
        "the only server errors are the injected 503s: {seen:?}"
    );
    // Each 201 is a committed create, and so is each dropped change that was a create: never
    // more creates than objects (no duplicate, not even one deleted again), and none missing.
    let total = SHAPE.total() as u64;
    assert!(
        seen.status(201) <= total && seen.status(201) + faults.dropped_after_commit >= total,
        "{total} objects, {} created with an answer, {} answers dropped",
        seen.status(201),
        faults.dropped_after_commit
    );
    // Not assertions (they depend on the draws): what the faults cost.
    eprintln!(
        "{} objects applied in {} requests; statuses {:?}; faults {:?}; rate-limited {}",
        SHAPE.total(),
        seen.total(),
        seen.statuses,
        faults,
        seen.rate_limited
    );
}
