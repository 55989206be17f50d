//! Apply creating N users (and their population) under a rate limit of R requests per
//! second, with `pingform` told the rate (`PINGONE_REQUESTS_PER_SECOND`): wall time against
//! the bound requests/R, and the requests that failed (answered other than 2xx), which
//! must be none.

use std::path::Path;

use pingone_emulator::RateLimit;
use serde::Serialize;

use crate::child::{Measured, Program};
use crate::error::BenchError;
use crate::fleet::{self, Fleet};
use crate::tenant::Tenant;

/// Users created.
pub(crate) const USERS: usize = 1_000;
/// The rate limit, in requests per second.
pub(crate) const RATE: f64 = 100.0;

/// The measured apply.
#[derive(Debug, Serialize)]
pub(crate) struct ApplyRun {
    /// Users created (plus one population).
    pub(crate) users: usize,
    /// The emulator's rate limit (PingOne's documented figure, burst included).
    pub(crate) rate_limit: RateLimit,
    /// Requests the emulator counted.
    pub(crate) requests: u64,
    /// `POST .../users` requests per user.
    pub(crate) requests_per_user: f64,
    /// Requests the emulator answered other than 2xx (its counters per status).
    pub(crate) failed_requests: u64,
    /// requests / rate, in seconds.
    pub(crate) bound_s: f64,
    /// Wall time over the bound.
    pub(crate) ratio: f64,
    /// Wall time, peak memory, exit code.
    pub(crate) run: Measured,
}

/// Creates [`USERS`] users through `pingform apply` under the limit.
pub(crate) async fn run(pingform: &Path) -> Result<ApplyRun, BenchError> {
    eprintln!("apply: {USERS} users at {RATE} requests/s");
    let tenant = Tenant::start().await?;
    let limit = RateLimit {
        requests_per_second: RATE,
        ..RateLimit::PINGONE
    };
    let dir = tempfile::tempdir().map_err(BenchError::io("create", std::env::temp_dir()))?;
    let role = tenant.role_id(fleet::ROLE).await?;
    fleet::write_config(
        dir.path(),
        Fleet::users_only(USERS),
        tenant.environment_id(),
        &role,
    )?;
    let mut program = Program::new(
        pingform,
        &["--no-color", "apply", "--auto-approve"],
        dir.path(),
    )
    .env("PINGONE_REQUESTS_PER_SECOND", RATE.to_string());
    for (key, value) in tenant.env() {
        program = program.env(&key, value);
    }
    tenant.set_rate_limit(limit)?;
    tenant.emulator().reset_counters();
    let run = tokio::task::spawn_blocking(move || program.run_expecting(&[0]))
        .await
        .map_err(|e| BenchError::Emulator(e.to_string()))??;
    let counts = tenant.emulator().counters();
    let requests = counts.total();
    let posts = counts.get("POST", "/v1/environments/{env_id}/users");
    let bound_s = requests as f64 / RATE;
    Ok(ApplyRun {
        users: USERS,
        rate_limit: limit,
        requests,
        requests_per_user: posts as f64 / USERS as f64,
        failed_requests: counts.responses() - counts.status_class(2),
        bound_s,
        ratio: run.wall.as_secs_f64() / bound_s,
        run,
    })
}
