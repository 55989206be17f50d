//! `GET .../passwordPolicies[/{id}]` and `GET .../signOnPolicies[/{id}]` (API.md §2.3): the
//! policies PingOne creates with every environment. Read-only in the emulator.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{ok, require_environment, timestamp};
use crate::Emulator;
use crate::api_error::{ApiError, NOT_FOUND_MESSAGE};
use crate::extract::{PathParams, RequestUrl};
use crate::filter::FilterSpec;
use crate::hal::{self, Limits, ListQuery, link};
use crate::model::{Policy, TenantData};

const FILTER: FilterSpec = FilterSpec {
    attributes: &["id", "name"],
    operators: &["eq", "sw"],
};
const LIMITS: Limits = Limits {
    default: 100,
    max: 1000,
};

/// Which policies a route serves.
#[derive(Debug, Clone, Copy)]
struct Kind {
    path: &'static str,
    policies: fn(&TenantData) -> &[Policy],
}

const PASSWORD: Kind = Kind {
    path: "passwordPolicies",
    policies: |data| &data.password_policies,
};
const SIGN_ON: Kind = Kind {
    path: "signOnPolicies",
    policies: |data| &data.sign_on_policies,
};

fn policy_json(data: &TenantData, kind: Kind, policy: &Policy, url: &RequestUrl) -> Value {
    let env_href = url.at(&format!("/v1/environments/{}", policy.environment_id));
    let mut out = serde_json::Map::new();
    let self_href = format!("{env_href}/{}/{}", kind.path, policy.id);
    out.insert(
        "_links".into(),
        json!({ "self": link(self_href), "environment": link(env_href) }),
    );
    out.insert("id".into(), json!(policy.id));
    out.insert("environment".into(), json!({ "id": policy.environment_id }));
    out.insert("name".into(), json!(policy.name));
    out.insert("default".into(), json!(policy.default));
    out.extend(policy.attributes.clone());
    if kind.path == PASSWORD.path {
        let count = data
            .populations_of(&policy.environment_id)
            .filter(|p| {
                p.password_policy_id.as_deref() == Some(policy.id.as_str())
                    || (policy.default && p.password_policy_id.is_none())
            })
            .count();
        out.insert("populationCount".into(), json!(count));
    }
    out.insert("createdAt".into(), json!(timestamp(policy.created_at)));
    out.insert("updatedAt".into(), json!(timestamp(policy.updated_at)));
    Value::Object(out)
}

fn list(
    emulator: &Emulator,
    kind: Kind,
    env_id: &str,
    url: &RequestUrl,
) -> Result<Response, ApiError> {
    let query = ListQuery::parse(url.query.as_deref(), LIMITS, FILTER)?;
    emulator.store().read(|data| {
        require_environment(data, env_id)?;
        let matching: Vec<&Policy> = (kind.policies)(data)
            .iter()
            .filter(|p| p.environment_id == env_id)
            .filter(|p| {
                query.accepts(&|a| match a {
                    "id" => Some(p.id.clone()),
                    "name" => Some(p.name.clone()),
                    _ => None,
                })
            })
            .collect();
        let page = hal::paginate(matching, |p| (p.created_at, p.id.as_str()), &query);
        let page = page.map(|p| policy_json(data, kind, p, url));
        Ok(ok(
            StatusCode::OK,
            &hal::collection(url, &query, kind.path, page),
        ))
    })
}

fn one(
    emulator: &Emulator,
    kind: Kind,
    env_id: &str,
    id: &str,
    url: &RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        require_environment(data, env_id)?;
        let policy = (kind.policies)(data)
            .iter()
            .find(|p| p.environment_id == env_id && p.id == id)
            .ok_or_else(|| ApiError::not_found(NOT_FOUND_MESSAGE))?;
        Ok(ok(StatusCode::OK, &policy_json(data, kind, policy, url)))
    })
}

/// `GET .../passwordPolicies`.
pub(super) async fn password_policies(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    list(&emulator, PASSWORD, &env_id, &url)
}

/// `GET .../passwordPolicies/{id}`.
pub(super) async fn password_policy(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): PathParams<(String, String)>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    one(&emulator, PASSWORD, &env_id, &id, &url)
}

/// `GET .../signOnPolicies`.
pub(super) async fn sign_on_policies(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    list(&emulator, SIGN_ON, &env_id, &url)
}

/// `GET .../signOnPolicies/{id}`.
pub(super) async fn sign_on_policy(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): PathParams<(String, String)>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    one(&emulator, SIGN_ON, &env_id, &id, &url)
}
