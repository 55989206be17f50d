//! The two refresh strategies against a served emulator: bulk (the default, one paged list
//! per collection) and `PINGFORM_REFRESH_STRATEGY=per-object` (one GET per object) see the
//! same drift, and the request counters show what each costs. The benchmark harness
//! (`bench/`) measures them at scale; this checks that the comparison is fair.

mod common;
mod drill_support;

use common::{Served, run, serve};
use drill_support::{Shape, reset_counters, route_count, write_config};

const SHAPE: Shape = Shape {
    populations: 2,
    groups: 5,
    users: 20,
};

const USER: &str = "/v1/environments/{env_id}/users/{user_id}";
const USERS: &str = "/v1/environments/{env_id}/users";

/// Plans in `dir` with `strategy`; returns the exit code and the plan text.
fn plan(served: &Served, dir: &std::path::Path, strategy: &str) -> (i32, String) {
    let planned = run(served
        .pingform(dir, &["plan", "--detailed-exitcode"])
        .env("PINGFORM_REFRESH_STRATEGY", strategy));
    (planned.code, planned.stdout)
}

#[test]
fn bulk_and_per_object_refresh_see_the_same_drift_at_different_costs() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), SHAPE, "strategy");
    let data = tempfile::tempdir().unwrap();
    let served = serve(&data.path().join("tenant.json"));
    let applied = run(&mut served.pingform(dir.path(), &["apply", "--auto-approve"]));
    assert_eq!(applied.code, 0, "{applied}");

    // Someone deletes a user by hand.
    let env = served.credentials.environment_id.clone();
    let users = served.get(&format!("/environments/{env}/users?limit=100"));
    let id = users["_embedded"]["users"][0]["id"]
        .as_str()
        .expect("a user")
        .to_string();
    served.request(
        reqwest::Method::DELETE,
        &format!("/environments/{env}/users/{id}"),
        None,
    );

    reset_counters(&served);
    let bulk = plan(&served, dir.path(), "bulk");
    let (bulk_gets, bulk_lists) = (
        route_count(&served, "GET", USER),
        route_count(&served, "GET", USERS),
    );
    reset_counters(&served);
    let per_object = plan(&served, dir.path(), "per-object");
    let (each_gets, each_lists) = (
        route_count(&served, "GET", USER),
        route_count(&served, "GET", USERS),
    );

    assert_eq!(bulk.0, 2, "the deleted user is planned again: {}", bulk.1);
    assert!(
        bulk.1
            .contains("Plan: 1 to add, 0 to change, 0 to destroy."),
        "{}",
        bulk.1
    );
    assert_eq!(per_object, bulk, "both strategies plan the same");
    assert_eq!((bulk_gets, bulk_lists), (0, 1), "bulk: one list of users");
    assert_eq!(
        (each_gets, each_lists),
        (SHAPE.users as u64, 0),
        "per-object: one GET per user in state"
    );

    let wrong = run(served
        .pingform(dir.path(), &["plan"])
        .env("PINGFORM_REFRESH_STRATEGY", "sometimes"));
    assert_eq!(wrong.code, 1, "{wrong}");
    assert!(
        wrong.stderr.contains("PINGFORM_REFRESH_STRATEGY") && wrong.stderr.contains("per-object"),
        "{wrong}"
    );
}
