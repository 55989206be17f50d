//! `/v1/environments[/{id}[/type|/status|/billOfMaterials]]` (API.md §2): the HTTP side of
//! [`crate::environments`]. Lists show only the environments the caller may read.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::bearer::Caller;
use super::{created, ok, timestamp};
use crate::Emulator;
use crate::api_error::ApiError;
use crate::environments::{self as rules, EnvironmentInput};
use crate::extract::{JsonObject, PathParams, RequestUrl};
use crate::filter::FilterSpec;
use crate::hal::{self, Limits, ListQuery, link};
use crate::model::{Environment, TenantData};
use crate::permissions::{self, Target};

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
        if let Some(icon) = &env.icon {
            out.insert("icon".into(), json!(icon));
        }
        if let Some(status) = &env.status {
            out.insert("status".into(), json!(status));
        }
        if let Some(at) = env.soft_deleted_at {
            out.insert("softDeletedAt".into(), json!(timestamp(at)));
            // UNCONFIRMED spelling and delay (API.md §2.2): the management specification's
            // `hardDeletedAllowedAt` (the one the fidelity tests check; GOCLIENT spells it
            // `hardDeleteAllowedAt`), 30 days after the soft delete.
            let hard = at + chrono::Duration::days(30);
            out.insert("hardDeletedAllowedAt".into(), json!(timestamp(hard)));
        }
        out.insert("createdAt".into(), json!(timestamp(env.created_at)));
        out.insert("updatedAt".into(), json!(timestamp(env.updated_at)));
    }
    let expand = url
        .query
        .as_deref()
        .is_some_and(|q| q.contains("expand=billOfMaterials"));
    if let (true, Some(out)) = (expand, body.as_object_mut()) {
        {
            out.insert(
                "_embedded".into(),
                json!({ "billOfMaterials": bom_json(env, url) }),
            );
        }
    }
    body
}

/// The JSON of an environment's bill of materials.
fn bom_json(env: &Environment, url: &RequestUrl) -> Value {
    let mut bom = env
        .bill_of_materials
        .clone()
        .unwrap_or_else(|| json!({ "products": [] }));
    if let Some(out) = bom.as_object_mut() {
        let href = url.at(&format!("/v1/environments/{}/billOfMaterials", env.id));
        out.insert("_links".into(), json!({ "self": link(href) }));
        out.insert("createdAt".into(), json!(timestamp(env.created_at)));
        out.insert("updatedAt".into(), json!(timestamp(env.updated_at)));
    }
    bom
}

/// `GET /v1/environments`: the environments the caller may read.
pub(super) async fn list(
    State(emulator): State<Emulator>,
    caller: Caller,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let query = ListQuery::parse(url.query.as_deref(), LIMITS, FILTER)?;
    let body = emulator.store().read(|data| {
        let readable = |env: &Environment| {
            let target = Target::Environment(env.id.clone());
            permissions::allowed(data, caller.actor(), "orgmgt:read:environment", &target)
        };
        let matching: Vec<&Environment> = data
            .environments
            .iter()
            .filter(|env| readable(env) && query.accepts(&|a| attribute(data, env, a)))
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
        "status" => env.status.clone(),
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
        let env = data
            .environment(&env_id)
            .ok_or_else(|| rules::not_found(&env_id))?;
        Ok(ok(
            StatusCode::OK,
            &environment_json(env, &data.organization.id, &url),
        ))
    })
}

/// `POST /v1/environments`: 201 with the new environment.
pub(super) async fn create(
    State(emulator): State<Emulator>,
    caller: Caller,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    let input = EnvironmentInput::parse(&body, true)?;
    let (env, org) = emulator
        .store()
        .write(|data| {
            let env = rules::create(data, input, &caller.id, &caller.environment_id)?;
            Ok((env, data.organization.id.clone()))
        })
        .await?;
    Ok(created(&environment_json(&env, &org, &url)))
}

/// Runs a change on one environment and answers 200 with the environment.
async fn change(
    emulator: &Emulator,
    url: &RequestUrl,
    f: impl FnOnce(&mut TenantData) -> Result<Environment, ApiError>,
) -> Result<Response, ApiError> {
    let (env, org) = emulator
        .store()
        .write(|data| Ok((f(data)?, data.organization.id.clone())))
        .await?;
    Ok(ok(StatusCode::OK, &environment_json(&env, &org, url)))
}

/// `PUT /v1/environments/{id}`: full replace; `region` cannot change.
pub(super) async fn replace(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    let input = EnvironmentInput::parse(&body, false)?;
    change(&emulator, &url, |data| rules::replace(data, &env_id, input)).await
}

/// `PUT /v1/environments/{id}/type`.
pub(super) async fn set_type(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    change(&emulator, &url, |data| {
        rules::set_type(data, &env_id, &body)
    })
    .await
}

/// `PUT /v1/environments/{id}/status`.
pub(super) async fn set_status(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    change(&emulator, &url, |data| {
        rules::set_status(data, &env_id, &body)
    })
    .await
}

/// `GET /v1/environments/{id}/billOfMaterials`.
pub(super) async fn bill_of_materials(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        let env = data
            .environment(&env_id)
            .ok_or_else(|| rules::not_found(&env_id))?;
        Ok(ok(StatusCode::OK, &bom_json(env, &url)))
    })
}

/// `PUT /v1/environments/{id}/billOfMaterials`.
pub(super) async fn set_bill_of_materials(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    let env = emulator
        .store()
        .write(|data| rules::set_bill_of_materials(data, &env_id, &body))
        .await?;
    Ok(ok(StatusCode::OK, &bom_json(&env, &url)))
}

/// `DELETE /v1/environments/{id}`: 204 for a SANDBOX environment.
pub(super) async fn delete(
    State(emulator): State<Emulator>,
    caller: Caller,
    PathParams(env_id): PathParams<String>,
) -> Result<Response, ApiError> {
    emulator
        .store()
        .write(|data| rules::delete(data, &env_id, &caller.environment_id))
        .await?;
    Ok(axum::response::IntoResponse::into_response(
        StatusCode::NO_CONTENT,
    ))
}
