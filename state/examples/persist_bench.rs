//! How much persisting one object operation costs with a large state: the
//! local journal and the PostgreSQL journal rows against rewriting the whole
//! snapshot each time. A benchmark to run by hand, not a test:
//!
//! ```text
//! cargo run --release -p pingform-state --features test-support --example persist_bench
//! ```
//!
//! The share of a real 10,000-object apply's wall time spent persisting is
//! measured by `cargo bench --bench persist_share` at the workspace root.

use std::time::{Duration, Instant};

use state::{Backend, LocalBackend, Operation, PgSettings, PostgresBackend, ResourceState, State};

const OBJECTS: usize = 10_000;

fn population(i: usize) -> ResourceState {
    ResourceState {
        module: Vec::new(),
        type_name: "pingone_population".into(),
        name: format!("p{i:05}"),
        index_key: None,
        provider: "pingone".into(),
        attributes: serde_json::json!({
            "id": uuid::Uuid::new_v4().to_string(),
            "environment_id": "a2b4c6d8-0000-4000-8000-00000000e001",
            "name": format!("Population {i}"), "description": "Everyone who works here",
            "password_policy": null, "password_policy_id": null, "preferred_language": "en",
            "alternative_identifiers": null, "theme": {"id": uuid::Uuid::new_v4().to_string()}
        }),
        dependencies: vec![],
    }
}

/// Records what an apply of `OBJECTS` creates records: an intent, then the result.
fn journal(backend: &dyn Backend) -> Duration {
    let mut state = State::new();
    let started = Instant::now();
    for i in 0..OBJECTS {
        let resource = population(i);
        let intent = state::PendingCreate {
            module: Vec::new(),
            type_name: resource.type_name.clone(),
            name: resource.name.clone(),
            index_key: None,
            provider: resource.provider.clone(),
            planned: resource.attributes.clone(),
            dependencies: vec![],
        };
        for op in [
            Operation::BeginCreate { intent },
            Operation::Upsert { resource },
        ] {
            op.apply_to(&mut state);
            state.serial += 1;
            backend.record(&state, &op).expect("record");
        }
    }
    backend.store(&state).expect("compact");
    started.elapsed()
}

/// Rewrites the whole snapshot `samples` times at full size: the old way, per operation.
fn snapshots(backend: &dyn Backend, samples: u32) -> Duration {
    let mut state = State::new();
    for i in 0..OBJECTS {
        state.upsert(population(i));
    }
    let started = Instant::now();
    for _ in 0..samples {
        state.serial += 1;
        backend.store(&state).expect("store");
    }
    started.elapsed() / samples
}

fn report(name: &str, journal: Duration, snapshot: Duration) {
    let per_op = journal / OBJECTS as u32;
    println!(
        "{name}: {OBJECTS} creates journaled (intent and result) in {journal:.2?} ({per_op:.2?} per create, compaction included); \
         one full snapshot of {OBJECTS} objects takes {snapshot:.2?}, so {:.2?} for the apply if written per operation",
        snapshot * OBJECTS as u32
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let local = LocalBackend::new(dir.path().join("pingform.tfstate"));
    report("local", journal(&local), snapshots(&local, 20));

    match state::testing::TestServer::start() {
        Some(server) => {
            let settings = |workspace: &str| PgSettings {
                conn_str: server.conn_str(),
                schema: "bench".into(),
                workspace: workspace.into(),
            };
            let pg = PostgresBackend::connect(settings("journal")).expect("connect");
            let journaled = journal(&pg);
            let pg = PostgresBackend::connect(settings("snapshots")).expect("connect");
            report("postgres", journaled, snapshots(&pg, 20));
        }
        None => println!("postgres: skipped (no PostgreSQL binaries)"),
    }
}
