//! `.../{users|groups|applications}/{id}/roleAssignments[/{id}]` (API.md §5.2): list, create,
//! read, delete. The rules live in [`crate::role_assignments`].

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::bearer::Caller;
use super::{created, ok};
use crate::Emulator;
use crate::api_error::ApiError;
use crate::extract::{JsonObject, PathParams, RequestUrl};
use crate::filter::FilterSpec;
use crate::hal::{self, Limits, ListQuery, link};
use crate::model::RoleAssignment;
use crate::role_assignments::{self as rules, ActorKind, AssignmentInput};

const FILTER: FilterSpec = FilterSpec {
    attributes: &["role.id", "scope.id", "scope.type"],
    operators: &["eq"],
};
const LIMITS: Limits = Limits {
    default: 100,
    max: 1000,
};

fn kind_of(url: &RequestUrl) -> ActorKind {
    if url.path.contains("/groups/") {
        ActorKind::Group
    } else if url.path.contains("/applications/") {
        ActorKind::Application
    } else {
        ActorKind::User
    }
}

/// The JSON of an assignment; `collection` is the URL of its actor's assignments.
fn assignment_json(
    a: &RoleAssignment,
    kind: ActorKind,
    collection: &str,
    url: &RequestUrl,
) -> Value {
    let mut out = json!({
        "_links": {
            "self": link(format!("{collection}/{}", a.id)),
            "role": link(url.at(&format!("/v1/roles/{}", a.role_id))),
            "environment": link(url.at(&format!("/v1/environments/{}", a.environment_id))),
        },
        "id": a.id,
        "environment": { "id": a.environment_id },
        "readOnly": a.read_only,
        "role": { "id": a.role_id },
        "scope": { "id": a.scope_id, "type": a.scope_type },
    });
    if let (ActorKind::Group, Some(o)) = (kind, out.as_object_mut()) {
        o.insert("group".into(), json!({ "id": a.actor_id }));
    }
    out
}

fn collection_url(url: &RequestUrl) -> String {
    let path = match url.path.find("/roleAssignments") {
        Some(end) => &url.path[..end + "/roleAssignments".len()],
        None => url.path.as_str(),
    };
    url.at(path)
}

/// `GET .../roleAssignments`.
pub(super) async fn list(
    State(emulator): State<Emulator>,
    PathParams((env_id, actor_id)): PathParams<(String, String)>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let kind = kind_of(&url);
    let query = ListQuery::parse(url.query.as_deref(), LIMITS, FILTER)?;
    let base = collection_url(&url);
    emulator.store().read(|data| {
        rules::require_actor(data, kind, &env_id, &actor_id)?;
        let accepts = |a: &RoleAssignment| {
            query.accepts(&|name| match name {
                "role.id" => Some(a.role_id.clone()),
                "scope.id" => Some(a.scope_id.clone()),
                "scope.type" => Some(a.scope_type.clone()),
                _ => None,
            })
        };
        let matching: Vec<&RoleAssignment> = data
            .role_assignments
            .iter_in(&actor_id, None)
            .filter(|a| accepts(a))
            .collect();
        let page = hal::paginate(matching, |a| (a.created_at, a.id.as_str()), &query);
        let page = page.map(|a| assignment_json(a, kind, &base, &url));
        Ok(ok(
            StatusCode::OK,
            &hal::collection(&url, &query, "roleAssignments", page),
        ))
    })
}

/// `POST .../roleAssignments`: 201.
pub(super) async fn create(
    State(emulator): State<Emulator>,
    caller: Caller,
    PathParams((env_id, actor_id)): PathParams<(String, String)>,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let kind = kind_of(&url);
    emulator
        .store()
        .read(|data| rules::require_actor(data, kind, &env_id, &actor_id))?;
    let JsonObject(body) = body?;
    let input = AssignmentInput::parse(&body)?;
    let made = emulator
        .store()
        .write(|data| rules::create(data, caller.actor(), kind, &env_id, &actor_id, input))
        .await?;
    Ok(created(&assignment_json(
        &made,
        kind,
        &collection_url(&url),
        &url,
    )))
}

/// `GET .../roleAssignments/{id}`.
pub(super) async fn one(
    State(emulator): State<Emulator>,
    PathParams((env_id, actor_id, id)): PathParams<(String, String, String)>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let kind = kind_of(&url);
    emulator.store().read(|data| {
        rules::require_actor(data, kind, &env_id, &actor_id)?;
        let a = data
            .role_assignments
            .get_in(&actor_id, &id)
            .ok_or_else(rules::not_found)?;
        Ok(ok(
            StatusCode::OK,
            &assignment_json(a, kind, &collection_url(&url), &url),
        ))
    })
}

/// `DELETE .../roleAssignments/{id}`: 204.
pub(super) async fn delete(
    State(emulator): State<Emulator>,
    caller: Caller,
    PathParams((env_id, actor_id, id)): PathParams<(String, String, String)>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let kind = kind_of(&url);
    emulator
        .store()
        .write(|data| {
            rules::require_actor(data, kind, &env_id, &actor_id)?;
            rules::delete(data, caller.actor(), &actor_id, &id)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
