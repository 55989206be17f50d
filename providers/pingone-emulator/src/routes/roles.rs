//! `GET /v1/roles` and `GET /v1/roles/{id}` (API.md §5.1): the built-in roles of
//! [`crate::roles`], global to the organization.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::ok;
use crate::api_error::{ApiError, NOT_FOUND_MESSAGE};
use crate::extract::{PathParams, RequestUrl};
use crate::filter::FilterSpec;
use crate::hal::{self, Limits, ListQuery, link};
use crate::roles::{self, ROLES, Role};

const FILTER: FilterSpec = FilterSpec {
    attributes: &["id", "name"],
    operators: &["eq", "sw"],
};
const LIMITS: Limits = Limits {
    default: 1000,
    max: 1000,
};

/// The JSON of a role.
pub(super) fn role_json(role: &Role, url: &RequestUrl) -> Value {
    let permissions: Vec<Value> = role
        .permissions
        .iter()
        .map(|p| {
            let (classifier, description) = roles::describe(p);
            json!({ "id": p, "classifier": classifier, "description": description })
        })
        .collect();
    json!({
        "_links": { "self": link(url.at(&format!("/v1/roles/{}", role.id))) },
        "id": role.id,
        "name": role.name,
        "description": role.description,
        "applicableTo": role.applicable_to,
        "permissions": permissions,
    })
}

/// `GET /v1/roles`.
pub(super) async fn list(url: RequestUrl) -> Result<Response, ApiError> {
    let query = ListQuery::parse(url.query.as_deref(), LIMITS, FILTER)?;
    let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    let matching: Vec<&Role> = ROLES
        .iter()
        .filter(|r| {
            query.accepts(&|a| match a {
                "id" => Some(r.id.to_owned()),
                "name" => Some(r.name.to_owned()),
                _ => None,
            })
        })
        .collect();
    let page = hal::paginate(matching, |r| (epoch, r.id), &query);
    let body = hal::collection(&url, &query, "roles", page.map(|r| role_json(r, &url)));
    Ok(ok(StatusCode::OK, &body))
}

/// `GET /v1/roles/{id}`.
pub(super) async fn one(
    PathParams(role_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let role = roles::role(&role_id).ok_or_else(|| ApiError::not_found(NOT_FOUND_MESSAGE))?;
    Ok(ok(StatusCode::OK, &role_json(role, &url)))
}
