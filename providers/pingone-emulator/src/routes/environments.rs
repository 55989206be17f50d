//! `GET /v1/environments` and `GET /v1/environments/{id}` (API.md §2).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{ok, timestamp};
use crate::Emulator;
use crate::api_error::ApiError;
use crate::extract::{PathParams, RequestUrl};
use crate::filter::FilterSpec;
use crate::hal::{self, Limits, ListQuery, link};
use crate::model::{Environment, TenantData};

const FILTER: FilterSpec = FilterSpec {
    attributes: &["id", "name", "organization.id", "license.id", "status"],
    operators: &["eq", "sw"],
};
const LIMITS: Limits = Limits {
    default: 1000,
    max: 5000,
};

/// The JSON of an environment.
pub(super) fn environment_json(env: &Environment, org_id: &str, url: &RequestUrl) -> Value {
    let self_href = url.at(&format!("/v1/environments/{}", env.id));
    let mut body = json!({
        "_links": {
            "self": link(self_href.clone()),
            "organization": link(url.at(&format!("/v1/organizations/{org_id}"))),
            "license": link(url.at(&format!("/v1/organizations/{org_id}/licenses/{}", env.license_id))),
            "populations": link(format!("{self_href}/populations")),
        },
        "id": env.id,
        "organization": { "id": org_id },
        "name": env.name,
    });
    if let (Some(out), Some(description)) = (body.as_object_mut(), &env.description) {
        out.insert("description".into(), json!(description));
    }
    if let Some(out) = body.as_object_mut() {
        out.insert("type".into(), json!(env.kind));
        out.insert("region".into(), json!(env.region));
        out.insert("license".into(), json!({ "id": env.license_id }));
        out.insert("createdAt".into(), json!(timestamp(env.created_at)));
        out.insert("updatedAt".into(), json!(timestamp(env.updated_at)));
    }
    body
}

/// `GET /v1/environments`.
pub(super) async fn list(
    State(emulator): State<Emulator>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let query = ListQuery::parse(url.query.as_deref(), LIMITS, FILTER)?;
    let body = emulator.store().read(|data| {
        let matching: Vec<&Environment> = data
            .environments
            .iter()
            .filter(|env| query.accepts(&|a| attribute(data, env, a)))
            .collect();
        let page = hal::paginate(matching, |env| (env.created_at, env.id.as_str()), &query);
        let org = data.organization.id.as_str();
        let page = page.map(|env| environment_json(env, org, &url));
        hal::collection(&url, &query, "environments", page)
    });
    Ok(ok(StatusCode::OK, &body))
}

fn attribute(data: &TenantData, env: &Environment, name: &str) -> Option<String> {
    match name {
        "id" => Some(env.id.clone()),
        "name" => Some(env.name.clone()),
        "organization.id" => Some(data.organization.id.clone()),
        "license.id" => Some(env.license_id.clone()),
        _ => None,
    }
}

/// `GET /v1/environments/{id}`.
pub(super) async fn one(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        let env = data.environment(&env_id).ok_or_else(|| {
            ApiError::not_found(format!("Unable to find environment with ID: '{env_id}'"))
        })?;
        Ok(ok(
            StatusCode::OK,
            &environment_json(env, &data.organization.id, &url),
        ))
    })
}
