//! The emulator's own admin API, under a prefix PingOne does not use (`/__emulator/`): fault
//! settings, the rate limit and the request counters. It needs no token (it is for the tests
//! driving the emulator) and is neither counted, limited nor faulted.
//!
//! - `GET|PUT /__emulator/faults`: a [`crate::Faults`] as JSON (PUT replaces it whole;
//!   omitted fields are off);
//! - `GET|PUT /__emulator/rate-limit`: a [`crate::RateLimit`] as JSON;
//! - `GET /__emulator/counters`: a [`crate::RequestCounts`] as JSON plus the request total:
//!   `{"counts":[{"method","route","count"}],"total","statuses":{"201":n,...},"rateLimited",
//!   "faults":{"errors":{"503":n,...},"droppedAfterCommit","latencySpikes"}}`;
//! - `POST /__emulator/counters/reset`: 204; every counter back to zero.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use serde_json::json;

use super::ok;
use crate::Emulator;
use crate::api_error::{ApiError, Detail};
use crate::faults::Faults;
use crate::ratelimit::RateLimit;

/// The admin routes.
pub(super) fn router() -> Router<Emulator> {
    Router::new()
        .route("/__emulator/faults", get(faults).put(set_faults))
        .route(
            "/__emulator/rate-limit",
            get(rate_limit).put(set_rate_limit),
        )
        .route("/__emulator/counters", get(counters))
        .route("/__emulator/counters/reset", post(reset_counters))
}

async fn faults(State(emulator): State<Emulator>) -> Response {
    ok(StatusCode::OK, &json!(emulator.faults()))
}

async fn set_faults(State(emulator): State<Emulator>, body: Bytes) -> Result<Response, ApiError> {
    let faults: Faults = parse(&body)?;
    emulator
        .set_faults(faults)
        .map_err(|e| invalid(e.to_string()))?;
    Ok(ok(StatusCode::OK, &json!(emulator.faults())))
}

async fn rate_limit(State(emulator): State<Emulator>) -> Response {
    ok(StatusCode::OK, &json!(emulator.rate_limit()))
}

async fn set_rate_limit(
    State(emulator): State<Emulator>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let limit: RateLimit = parse(&body)?;
    emulator
        .set_rate_limit(limit)
        .map_err(|e| invalid(e.to_string()))?;
    Ok(ok(StatusCode::OK, &json!(emulator.rate_limit())))
}

async fn counters(State(emulator): State<Emulator>) -> Response {
    let counts = emulator.counters();
    let mut body = json!(counts);
    body["total"] = json!(counts.total());
    ok(StatusCode::OK, &body)
}

async fn reset_counters(State(emulator): State<Emulator>) -> Response {
    emulator.reset_counters();
    StatusCode::NO_CONTENT.into_response()
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| invalid(e.to_string()))
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_data(vec![Detail::new("INVALID_VALUE", message).target("body")])
}
