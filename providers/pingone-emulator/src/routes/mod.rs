//! The HTTP routes: the auth paths `/{envId}/as/...` and the management API `/v1/...`.
//!
//! Every `/v1` route requires a bearer token. Unknown paths answer 404 `NOT_FOUND` and
//! unsupported methods 405, both as PingOne error bodies.

mod admin;
mod applications;
mod auth;
mod bearer;
mod environments;
mod groups;
mod organizations;
mod policies;
mod populations;
mod resources;
mod role_assignments;
mod roles;
mod user_body;
mod users;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use crate::Emulator;
use crate::api_error::{ApiError, NOT_FOUND_MESSAGE, json_response};
use crate::model::TenantData;

/// The prefix of the emulator's own admin API, which PingOne does not use.
pub(crate) const ADMIN_PREFIX: &str = "/__emulator/";

/// The whole emulator router.
pub(crate) fn router(emulator: Emulator) -> Router {
    let auth = Router::new()
        .route("/{env_id}/as/token", axum::routing::post(auth::token))
        .route("/{env_id}/as/jwks", get(auth::jwks))
        .route(
            "/{env_id}/as/.well-known/openid-configuration",
            get(auth::openid_configuration),
        )
        .method_not_allowed_fallback(method_not_allowed);
    management()
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(middleware::from_fn_with_state(
            emulator.clone(),
            bearer::require_access,
        ))
        .merge(auth)
        .merge(admin::router())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(crate::traffic::MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(
            emulator.clone(),
            crate::traffic::layer,
        ))
        .with_state(emulator)
}

fn management() -> Router<Emulator> {
    resources::routes()
        .route("/v1/environments", get(environments::list))
        .route("/v1/environments/{env_id}", get(environments::one))
        .route(
            "/v1/environments/{env_id}/populations",
            get(populations::list).post(populations::create),
        )
        .route(
            "/v1/environments/{env_id}/populations/{population_id}",
            get(populations::one)
                .put(populations::replace)
                .delete(populations::delete),
        )
        .route("/v1/organizations", get(organizations::list))
        .route("/v1/organizations/{org_id}", get(organizations::one))
        .route(
            "/v1/organizations/{org_id}/licenses",
            get(organizations::licenses),
        )
        .route(
            "/v1/organizations/{org_id}/licenses/{license_id}",
            get(organizations::license),
        )
}

async fn not_found() -> ApiError {
    ApiError::not_found(NOT_FOUND_MESSAGE)
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "The request could not be completed. The HTTP method is not supported for this resource.",
    )
}

/// Fails with 403 `ACCESS_FAILED` unless the environment exists (PingOne's answer to calls
/// under a missing environment, API.md §8.1).
pub(crate) fn require_environment(data: &TenantData, env_id: &str) -> Result<(), ApiError> {
    data.environment(env_id)
        .map(|_| ())
        .ok_or_else(ApiError::no_access)
}

/// 201 with the created resource, and its `_links.self` as `Location`.
pub(crate) fn created(body: &Value) -> Response {
    let location = body["_links"]["self"]["href"].as_str().unwrap_or_default();
    created_at(location, body)
}

/// 201 with the created resource, and `location` as `Location`.
pub(crate) fn created_at(location: &str, body: &impl serde::Serialize) -> Response {
    let mut response = ok(StatusCode::CREATED, body);
    if let Ok(location) = axum::http::HeaderValue::from_str(location) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, location);
    }
    response
}

/// A successful JSON response.
pub(crate) fn ok(status: StatusCode, body: &impl serde::Serialize) -> Response {
    json_response(status, body)
}

/// A timestamp as PingOne writes it: RFC 3339, UTC, milliseconds, `Z`.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}
