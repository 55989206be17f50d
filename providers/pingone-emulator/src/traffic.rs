//! The traffic layer in front of every route except the admin API: it counts the request,
//! applies the rate limit, refuses oversized bodies, injects the configured faults, and counts
//! the status it answered (or the response it dropped).
//!
//! Order matters: a request is counted even when it is then limited or faulted, so tests can
//! count what the client really sent; the rate limit comes before faults, as PingOne's gateway
//! limits before the service can fail.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::Emulator;
use crate::api_error::{ApiError, Detail};
use crate::counters::{Counters, RequestCounts, UNMATCHED};
use crate::faults::{FaultState, Faults};
use crate::permissions::Actor;
use crate::ratelimit::{RateLimit, RateLimiter};
use crate::routes::timestamp;

/// The largest request body accepted, in bytes (PingOne's own limit is not documented).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Counters, rate limiter and faults of one emulator.
#[derive(Debug)]
pub(crate) struct Traffic {
    pub(crate) faults: FaultState,
    pub(crate) limiter: RateLimiter,
    pub(crate) counters: Counters,
    /// Environments created before this (seeded or loaded) are never in a consistency window.
    opened_at: DateTime<Utc>,
}

impl Traffic {
    /// No faults and PingOne's default rate limit.
    pub(crate) fn new() -> Self {
        Traffic {
            faults: FaultState::new(Faults::default()),
            limiter: RateLimiter::new(RateLimit::default()),
            counters: Counters::default(),
            opened_at: crate::model::now(),
        }
    }
}

/// The axum middleware: counts the request, screens it, and counts what it was answered.
pub(crate) async fn layer(
    State(emulator): State<Emulator>,
    request: Request,
    next: Next,
) -> Response {
    if request
        .uri()
        .path()
        .starts_with(crate::routes::ADMIN_PREFIX)
    {
        return next.run(request).await;
    }
    let counters = &emulator.traffic().counters;
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str);
    counters.record(request.method().as_str(), route);
    match screen(&emulator, request, next).await {
        Sent::Response(response) => {
            counters.record_status(response.status().as_u16());
            response
        }
        Sent::DroppedAfterCommit => {
            counters.record_dropped_after_commit();
            dropped_connection()
        }
    }
}

/// What the client gets: a response, or a dropped connection after the change was committed.
enum Sent {
    Response(Response),
    DroppedAfterCommit,
}

/// Applies the rate limit, the body size limit, the consistency window and the faults, and
/// hands the request on if it passes them all. Counts refusals and faults as it injects them.
async fn screen(emulator: &Emulator, request: Request, next: Next) -> Sent {
    let traffic = emulator.traffic();
    // The environment in the path matters only to the rate limit and the environment window:
    // with both off (benchmarks, most tests) it is not looked up at all.
    let limited = traffic.limiter.enabled();
    let windowed = traffic.faults.env_window_on();
    let target = (limited || windowed).then(|| Target::of(emulator, request.uri().path()));
    if let (true, Some(target)) = (limited, &target)
        && let Err(wait) = traffic.limiter.take(&target.license)
    {
        traffic.counters.record_rate_limited();
        return Sent::Response(rate_limited(wait, traffic.limiter.get()));
    }
    if declared_length(&request).is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Sent::Response(too_large().into_response());
    }
    if let (true, Some(target)) = (windowed, &target)
        && let Some(hidden) = target.still_hidden(emulator, request.method())
    {
        return Sent::Response(hidden.into_response());
    }
    if !traffic.faults.any_request_fault() {
        return Sent::Response(next.run(request).await);
    }
    let decision = traffic.faults.draw();
    if decision.spike {
        traffic.counters.record_latency_spike();
    }
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    if let Some(status) = decision.error {
        traffic.counters.record_injected(status);
        return Sent::Response(injected(status));
    }
    let is_change = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let response = next.run(request).await;
    if decision.drop_after_commit && is_change && response.status().is_success() {
        return Sent::DroppedAfterCommit;
    }
    Sent::Response(response)
}

/// What a request's path names: the license whose bucket it draws from (that of the
/// environment in its path, else the organization's), and that environment's creation time.
struct Target {
    license: String,
    environment: Option<(DateTime<Utc>, bool)>,
    /// `/{envId}/as/...`: the token endpoint answers OAuth errors, so no window there.
    auth_path: bool,
}

impl Target {
    fn of(emulator: &Emulator, path: &str) -> Target {
        let mut segments = path.split('/').filter(|s| !s.is_empty());
        let (env_id, is_environment_itself) =
            match (segments.next(), segments.next(), segments.next()) {
                (Some("v1"), Some("environments"), Some(id)) => {
                    (Some(id), segments.next().is_none())
                }
                (Some(id), Some("as"), _) => (Some(id), false),
                _ => (None, false),
            };
        let found = env_id.and_then(|id| {
            emulator.store().read(|data| {
                data.environment(id)
                    .map(|env| (env.license_id.clone(), env.created_at))
            })
        });
        let auth_path = !path.starts_with("/v1/");
        match found {
            Some((license, created_at)) => Target {
                license,
                environment: Some((created_at, is_environment_itself)),
                auth_path,
            },
            None => Target {
                license: String::new(),
                environment: None,
                auth_path,
            },
        }
    }

    /// The answer for an environment still inside its consistency window
    /// ([`Faults::env_consistency_ms`]): 404 for `GET /v1/environments/{id}`, 403
    /// `ACCESS_FAILED` for anything under it (API.md §8.3). Environments that existed when the
    /// emulator was opened (the seeded ones, those of a data file) are never hidden.
    fn still_hidden(&self, emulator: &Emulator, method: &Method) -> Option<ApiError> {
        let (created_at, is_environment_itself) = self.environment?;
        let seeded = created_at <= emulator.traffic().opened_at;
        if self.auth_path || seeded || emulator.environment_visible(created_at) {
            return None;
        }
        Some(if is_environment_itself && method == Method::GET {
            ApiError::not_found(crate::api_error::NOT_FOUND_MESSAGE)
        } else {
            ApiError::no_access()
        })
    }
}

fn declared_length(request: &Request) -> Option<u64> {
    request
        .headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// 400 `INVALID_DATA` / `SIZE_LIMIT_EXCEEDED` for a body over [`MAX_BODY_BYTES`].
pub(crate) fn too_large() -> ApiError {
    ApiError::invalid_data(vec![
        Detail::new(
            "SIZE_LIMIT_EXCEEDED",
            format!("The request body must not be larger than {MAX_BODY_BYTES} bytes."),
        )
        .target("body")
        .inner("maximumValue", json!(MAX_BODY_BYTES)),
    ])
}

/// 429 `REQUEST_LIMITED` with `Retry-After` (whole seconds, at least 1) and
/// `innerError.retryAfter`.
fn rate_limited(wait: Duration, limit: RateLimit) -> Response {
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    let retry_at = Utc::now() + chrono::Duration::milliseconds(wait.as_millis() as i64);
    let error = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "REQUEST_LIMITED",
        "The request could not be completed. The request rate limit was exceeded.",
    )
    .detail(
        Detail::new(
            "LIMIT_EXCEEDED",
            format!("Too many requests. Retry after {seconds} second(s)."),
        )
        .inner("retryAfter", json!(timestamp(retry_at)))
        .inner("quotaLimit", json!(limit.requests_per_second)),
    );
    with_retry_after(error.into_response(), seconds)
}

/// The error injected for `status` (one of [`crate::faults::INJECTABLE_STATUSES`]).
fn injected(status: u16) -> Response {
    match status {
        429 => rate_limited(Duration::from_secs(1), RateLimit::PINGONE),
        503 => with_retry_after(
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "The service is temporarily unavailable. Try again later.",
            )
            .into_response(),
            1,
        ),
        502 => ApiError::new(
            StatusCode::BAD_GATEWAY,
            "BAD_GATEWAY",
            "The request could not be completed. An upstream service failed.",
        )
        .into_response(),
        504 => ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "GATEWAY_TIMEOUT",
            "The request could not be completed in time.",
        )
        .into_response(),
        _ => ApiError::unexpected().into_response(),
    }
}

fn with_retry_after(mut response: Response, seconds: u64) -> Response {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// A response whose body fails at once: hyper then closes the connection without completing
/// the response, so the client sees a dropped connection after the change was committed.
fn dropped_connection() -> Response {
    Response::new(Body::new(FailingBody))
}

/// A body that fails on its first poll.
struct FailingBody;

impl http_body::Body for FailingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fault injection: connection dropped after commit",
        ))))
    }
}

/// Settings that cannot be applied; the message says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidSetting(pub String);

/// Faults, rate limit and counters (also reachable over HTTP under `/__emulator/`).
impl Emulator {
    /// The faults being injected.
    pub fn faults(&self) -> Faults {
        self.traffic().faults.get()
    }

    /// Replaces the faults (and reseeds their random draws).
    pub fn set_faults(&self, faults: Faults) -> Result<(), InvalidSetting> {
        faults.validate().map_err(InvalidSetting)?;
        self.traffic().faults.set(faults);
        Ok(())
    }

    /// The rate limit applied to every license.
    pub fn rate_limit(&self) -> RateLimit {
        self.traffic().limiter.get()
    }

    /// Replaces the rate limit ([`RateLimit::DISABLED`] turns it off).
    pub fn set_rate_limit(&self, limit: RateLimit) -> Result<(), InvalidSetting> {
        limit.validate().map_err(InvalidSetting)?;
        self.traffic().limiter.set(limit);
        Ok(())
    }

    /// The requests served so far, per method and route, the statuses answered, and the
    /// faults injected.
    pub fn counters(&self) -> RequestCounts {
        self.traffic().counters.snapshot()
    }

    /// Sets every counter (requests, statuses, faults) back to zero.
    pub fn reset_counters(&self) {
        self.traffic().counters.reset();
    }

    /// Whether an environment created at `created_at` is visible yet, under the configured
    /// [`Faults::env_consistency_ms`] (checked by this layer for every call under it).
    pub(crate) fn environment_visible(&self, created_at: chrono::DateTime<Utc>) -> bool {
        self.traffic().faults.environment_visible(created_at)
    }

    /// The caller `id` as the permission check sees it: its role assignments created within the
    /// last [`Faults::role_consistency_ms`] have not taken effect yet.
    pub(crate) fn actor<'a>(&self, id: &'a str) -> Actor<'a> {
        Actor::new(id, self.traffic().faults.roles_settled_until())
    }
}
