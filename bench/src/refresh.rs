//! Plan with refresh of N users, N/50 groups and N/5 role assignments in state, with 0 and
//! 50 ms of latency per request, bulk refresh beside one GET per object (10 at a time):
//! requests made, wall time, peak memory, and the wall time against its lower bound.

use std::path::Path;
use std::time::{Duration, Instant};

use pingone::resources::per_object::{LIST_PARALLELISM, PARALLELISM};
use pingone_emulator::Faults;
use serde::Serialize;

use crate::child::{Measured, Program};
use crate::error::BenchError;
use crate::fleet::{self, Fleet};
use crate::tenant::Tenant;

/// The latencies measured, in milliseconds.
pub(crate) const LATENCIES_MS: [u64; 2] = [0, 50];

/// The strategies measured: the values of `PINGFORM_REFRESH_STRATEGY`.
const STRATEGIES: [&str; 2] = ["bulk", "per-object"];

/// Round trips before refresh starts: the token, then the provider's role lookup.
const SETUP_ROUND_TRIPS: usize = 2;

/// The round trips of refreshing `fleet` with `strategy` that must follow one another.
/// Resource types are read at once, so it is the setup and then the longest chain of one
/// type: bulk pages a collection in sequence (users, groups) and lists the per-user
/// collections of role assignments [`LIST_PARALLELISM`] at a time; per-object reads
/// [`PARALLELISM`] objects at a time over all types.
fn sequential_round_trips(fleet: Fleet, strategy: &str) -> usize {
    let chain = if strategy == "bulk" {
        // The page size the client asks for: its default, capped at PingOne's documented maximum.
        let page = |plural| {
            let limit = pingone::ClientOptions::default().page_limit;
            limit.min(pingone::client::documented_page_limit(plural)) as usize
        };
        let assignments = fleet.assignments.div_ceil(LIST_PARALLELISM);
        fleet
            .users
            .div_ceil(page("users"))
            .max(fleet.groups.div_ceil(page("groups")))
            .max(assignments)
            .max(1)
    } else {
        fleet.resources().div_ceil(PARALLELISM)
    };
    SETUP_ROUND_TRIPS + chain
}

/// Seeding one fleet: how fast the emulator took the creates.
#[derive(Debug, Serialize)]
pub(crate) struct Seeding {
    /// Objects created (population, users, groups, role assignments).
    pub(crate) objects: usize,
    /// Wall time, in seconds.
    #[serde(serialize_with = "crate::child::seconds")]
    pub(crate) wall: Duration,
}

/// One measured plan.
#[derive(Debug, Serialize)]
pub(crate) struct RefreshRun {
    /// Users in state.
    pub(crate) users: usize,
    /// Groups in state.
    pub(crate) groups: usize,
    /// User role assignments in state.
    pub(crate) assignments: usize,
    /// Injected latency per request, in milliseconds.
    pub(crate) latency_ms: u64,
    /// `bulk` or `per-object`.
    pub(crate) strategy: &'static str,
    /// Requests the emulator counted (token and setup calls included).
    pub(crate) requests: u64,
    /// Whether the plan found changes (it should not: state matches the tenant).
    pub(crate) changes: bool,
    /// Wall time, peak memory, exit code.
    pub(crate) run: Measured,
    /// Round trips that must follow one another (see [`sequential_round_trips`]) times
    /// the latency, in seconds.
    pub(crate) lower_bound_s: f64,
    /// Wall time over that bound; `None` without latency.
    pub(crate) ratio: Option<f64>,
}

/// Measures every size in `sizes`.
pub(crate) async fn run(
    pingform: &Path,
    sizes: &[usize],
) -> Result<(Vec<Seeding>, Vec<RefreshRun>), BenchError> {
    let (mut seedings, mut runs) = (Vec::new(), Vec::new());
    for &users in sizes {
        let fleet = Fleet::of(users);
        eprintln!("refresh: seeding {} objects", fleet.resources());
        let tenant = Tenant::start().await?;
        let env = tenant.environment_id().to_string();
        let started = Instant::now();
        let seeded = fleet::seed(&tenant, fleet).await?;
        seedings.push(Seeding {
            objects: fleet.resources(),
            wall: started.elapsed(),
        });
        let dir = tempfile::tempdir().map_err(BenchError::io("create", std::env::temp_dir()))?;
        let role = tenant.role_id(fleet::ROLE).await?;
        fleet::write_config(dir.path(), fleet, &env, &role)?;
        fleet::write_state(dir.path(), &seeded, &env)?;
        for latency_ms in LATENCIES_MS {
            tenant.set_faults(Faults {
                latency_ms,
                ..Faults::default()
            })?;
            for strategy in STRATEGIES {
                eprintln!("refresh: {users} users, {latency_ms} ms, {strategy}");
                let run = plan(pingform, &tenant, dir.path(), strategy).await?;
                let requests = tenant.requests();
                let lower_bound_s =
                    sequential_round_trips(fleet, strategy) as f64 * latency_ms as f64 / 1000.0;
                runs.push(RefreshRun {
                    users,
                    groups: fleet.groups,
                    assignments: fleet.assignments,
                    latency_ms,
                    strategy,
                    requests,
                    changes: run.code == Some(2),
                    ratio: (lower_bound_s > 0.0).then(|| run.wall.as_secs_f64() / lower_bound_s),
                    lower_bound_s,
                    run,
                });
            }
        }
    }
    Ok((seedings, runs))
}

/// `pingform plan --detailed-exitcode` in `dir` with `strategy`, counters reset first.
async fn plan(
    pingform: &Path,
    tenant: &Tenant,
    dir: &Path,
    strategy: &str,
) -> Result<Measured, BenchError> {
    let mut program = Program::new(
        pingform,
        &["--no-color", "plan", "--detailed-exitcode"],
        dir,
    )
    .env("PINGFORM_REFRESH_STRATEGY", strategy);
    for (key, value) in tenant.env() {
        program = program.env(&key, value);
    }
    tenant.emulator().reset_counters();
    tokio::task::spawn_blocking(move || program.run_expecting(&[0, 2]))
        .await
        .map_err(|e| BenchError::Emulator(e.to_string()))?
}
