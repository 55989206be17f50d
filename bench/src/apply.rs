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
    /// Requests answered other than 2xx (from pingform's debug log).
    pub(crate) failed_requests: usize,
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
    .env("PINGONE_REQUESTS_PER_SECOND", RATE.to_string())
    .env("PINGFORM_LOG", "pingone=debug");
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
        failed_requests: failed(&run.stderr),
        bound_s,
        ratio: run.wall.as_secs_f64() / bound_s,
        run,
    })
}

/// Requests the debug log shows answered with a status outside 200..300.
fn failed(log: &str) -> usize {
    log.lines()
        .filter(|l| l.contains("PingOne request") || l.contains("token request"))
        .filter_map(|l| {
            let (_, rest) = l.split_once("status=")?;
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse::<u16>()
                .ok()
        })
        .filter(|status| !(200..300).contains(status))
        .count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn failed_requests_are_counted_from_the_log() {
        let log = "\
2026 DEBUG pingone::client: PingOne request method=POST url=http://x/v1/a status=201
2026 DEBUG pingone::client: PingOne request method=POST url=http://x/v1/a status=429
2026 DEBUG pingone::client: retrying method=POST url=http://x/v1/a status=429 wait=1s
2026 DEBUG pingone::client::token: token request url=http://x/as/token status=200";
        assert_eq!(super::failed(log), 1);
    }
}
