//! `/v1/environments/{envId}/groups[/{id}[/memberOfGroups[/{id}]]]` and
//! `.../users/{id}/memberOfGroups[/{id}]` (API.md §6): the HTTP side of [`crate::groups`].

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{created, ok};
use crate::Emulator;
use crate::api_error::{ApiError, Detail};
use crate::extract::{JsonObject, PathParams, RequestUrl};
use crate::filter::FilterSpec;
use crate::groups::{self as rules, GroupInput};
use crate::hal::{self, Limits, ListQuery, link};
use crate::model::{Group, TenantData};

const FILTER: FilterSpec = FilterSpec {
    attributes: &["id", "name", "population.id", "externalId"],
    operators: &["eq", "sw"],
};
const MEMBERSHIP_FILTER: FilterSpec = FilterSpec {
    attributes: &["id", "name", "type"],
    operators: &["eq", "sw"],
};
const LIMITS: Limits = Limits {
    default: 100,
    max: 1000,
};

type Pair = PathParams<(String, String)>;
type Triple = PathParams<(String, String, String)>;

fn group_href(url: &RequestUrl, g: &Group) -> String {
    url.at(&format!(
        "/v1/environments/{}/groups/{}",
        g.environment_id, g.id
    ))
}

/// The JSON of a group; with `counts`, its direct and total user counts (O(users)).
fn group_json(data: &TenantData, g: &Group, url: &RequestUrl, counts: bool) -> Value {
    let mut out = Map::new();
    out.insert("_links".into(), json!({ "self": link(group_href(url, g)) }));
    out.insert("id".into(), json!(g.id));
    out.insert("environment".into(), json!({ "id": g.environment_id }));
    out.insert("name".into(), json!(g.name));
    out.extend(g.attributes.clone());
    if counts {
        let (mut direct, mut total) = (0, 0);
        for user in data.users.iter_in(&g.environment_id, None) {
            direct += usize::from(user.group_ids.contains(&g.id));
            total += usize::from(
                rules::memberships(data, &user.group_ids)
                    .iter()
                    .any(|(m, _)| m.id == g.id),
            );
        }
        out.insert("directMemberCounts".into(), json!({ "users": direct }));
        out.insert("totalMemberCounts".into(), json!({ "users": total }));
    }
    Value::Object(out)
}

fn wants_counts(url: &RequestUrl) -> bool {
    url.query
        .as_deref()
        .is_some_and(|q| q.contains("include=totalMemberCounts"))
}

/// `GET .../groups`.
pub(super) async fn list(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let query = ListQuery::parse(url.query.as_deref(), LIMITS, FILTER)?;
    emulator.store().read(|data| {
        let accepts = |g: &&Group| {
            query.accepts(&|name| match name {
                "id" => Some(g.id.clone()),
                "name" => Some(g.name.clone()),
                "population.id" => g
                    .attributes
                    .get("population")
                    .and_then(|p| p.get("id"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                "externalId" => g
                    .attributes
                    .get("externalId")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                _ => None,
            })
        };
        let count = query
            .filter
            .is_none()
            .then(|| data.groups.count_in(&env_id));
        let items = data.groups.iter_in(&env_id, query.after()).filter(accepts);
        let page = hal::take_page(items, group_key, &query, count);
        let page = page.map(|g| group_json(data, g, &url, false));
        Ok(ok(
            StatusCode::OK,
            &hal::collection(&url, &query, "groups", page),
        ))
    })
}

fn group_key<'a>(g: &'a &Group) -> hal::ItemKey<'a> {
    (g.created_at, g.id.as_str())
}

/// `POST .../groups`: 201.
pub(super) async fn create(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    let input = GroupInput::parse(&body)?;
    let group = emulator
        .store()
        .write(|data| rules::create(data, &env_id, input))
        .await?;
    let body = emulator
        .store()
        .read(|data| group_json(data, &group, &url, false));
    Ok(created(&body))
}

/// `GET .../groups/{id}` (`?include=totalMemberCounts`).
pub(super) async fn one(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): Pair,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        let group = data
            .groups
            .get_in(&env_id, &id)
            .ok_or_else(rules::not_found)?;
        Ok(ok(
            StatusCode::OK,
            &group_json(data, group, &url, wants_counts(&url)),
        ))
    })
}

/// `PUT .../groups/{id}`.
pub(super) async fn replace(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): Pair,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    let input = GroupInput::parse(&body)?;
    let group = emulator
        .store()
        .write(|data| rules::replace(data, &env_id, &id, input))
        .await?;
    let body = emulator
        .store()
        .read(|data| group_json(data, &group, &url, false));
    Ok(ok(StatusCode::OK, &body))
}

/// `DELETE .../groups/{id}`.
pub(super) async fn delete(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): Pair,
) -> Result<Response, ApiError> {
    emulator
        .store()
        .write(|data| rules::delete(data, &env_id, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The JSON of a membership (`GroupMembership`); `base` is the collection's URL.
fn membership_json(
    g: &Group,
    kind: &str,
    base: &str,
    expand: bool,
    data: &TenantData,
    url: &RequestUrl,
) -> Value {
    let mut out = json!({
        "_links": { "self": link(format!("{base}/{}", g.id)), "group": link(group_href(url, g)) },
        "id": g.id,
        "environment": { "id": g.environment_id },
        "name": g.name,
        "type": kind,
    });
    if let (true, Some(o)) = (expand, out.as_object_mut()) {
        o.insert(
            "_embedded".into(),
            json!({ "group": group_json(data, g, url, false) }),
        );
    }
    // A group's nesting (`GroupNesting`) has only `_links`, `id` and `type`.
    if let (false, Some(o)) = (base.contains("/users/"), out.as_object_mut()) {
        o.remove("environment");
        o.remove("name");
    }
    out
}

fn body_id(body: &Map<String, Value>) -> Result<String, ApiError> {
    match body.get("id").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => Ok(id.to_owned()),
        _ => Err(ApiError::invalid_data(vec![
            Detail::new("REQUIRED_VALUE", "id is required.").target("id"),
        ])),
    }
}

fn base_of(url: &RequestUrl) -> String {
    let path = match url.path.find("/memberOfGroups") {
        Some(end) => &url.path[..end + "/memberOfGroups".len()],
        None => url.path.as_str(),
    };
    url.at(path)
}

/// The direct groups of a user or a group (the subject of a `memberOfGroups` route).
fn direct_of(
    data: &TenantData,
    env_id: &str,
    subject: &str,
    of_user: bool,
) -> Result<Vec<String>, ApiError> {
    if of_user {
        let user = data
            .users
            .get_in(env_id, subject)
            .ok_or_else(|| crate::users::not_found(subject))?;
        Ok(user.group_ids.clone())
    } else {
        let group = data
            .groups
            .get_in(env_id, subject)
            .ok_or_else(rules::not_found)?;
        Ok(group.parent_group_ids.clone())
    }
}

/// `GET .../users/{id}/memberOfGroups` and `.../groups/{id}/memberOfGroups`.
pub(super) async fn memberships(
    State(emulator): State<Emulator>,
    PathParams((env_id, subject)): Pair,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let query = ListQuery::parse(url.query.as_deref(), LIMITS, MEMBERSHIP_FILTER)?;
    let of_user = url.path.contains("/users/");
    let expand = url
        .query
        .as_deref()
        .is_some_and(|q| q.contains("expand=group"));
    let base = base_of(&url);
    emulator.store().read(|data| {
        let direct = direct_of(data, &env_id, &subject, of_user)?;
        let all: Vec<(&Group, &str)> = rules::memberships(data, &direct)
            .into_iter()
            .filter(|(g, kind)| {
                query.accepts(&|name| match name {
                    "id" => Some(g.id.clone()),
                    "name" => Some(g.name.clone()),
                    "type" => Some((*kind).to_owned()),
                    _ => None,
                })
            })
            .collect();
        let page = hal::paginate(all, |(g, _)| (g.created_at, g.id.as_str()), &query);
        let page = page.map(|(g, kind)| membership_json(g, kind, &base, expand, data, &url));
        Ok(ok(
            StatusCode::OK,
            &hal::collection(&url, &query, "groupMemberships", page),
        ))
    })
}

/// `GET .../memberOfGroups/{groupId}`.
pub(super) async fn membership(
    State(emulator): State<Emulator>,
    PathParams((env_id, subject, group_id)): Triple,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let of_user = url.path.contains("/users/");
    let expand = url
        .query
        .as_deref()
        .is_some_and(|q| q.contains("expand=group"));
    let base = base_of(&url);
    emulator.store().read(|data| {
        let direct = direct_of(data, &env_id, &subject, of_user)?;
        let found = rules::memberships(data, &direct)
            .into_iter()
            .find(|(g, _)| g.id == group_id);
        let (group, kind) = found.ok_or_else(rules::not_found)?;
        Ok(ok(
            StatusCode::OK,
            &membership_json(group, kind, &base, expand, data, &url),
        ))
    })
}

/// `POST .../users/{id}/memberOfGroups` and `.../groups/{id}/memberOfGroups`: 201.
pub(super) async fn add(
    State(emulator): State<Emulator>,
    PathParams((env_id, subject)): Pair,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let of_user = url.path.contains("/users/");
    emulator
        .store()
        .read(|data| direct_of(data, &env_id, &subject, of_user).map(|_| ()))?;
    let JsonObject(body) = body?;
    let group_id = body_id(&body)?;
    let group = emulator
        .store()
        .write(|data| {
            if of_user {
                rules::add_member(data, &env_id, &subject, &group_id)
            } else {
                rules::nest(data, &env_id, &subject, &group_id)
            }
        })
        .await?;
    let body = emulator
        .store()
        .read(|data| membership_json(&group, "DIRECT", &base_of(&url), false, data, &url));
    Ok(created(&body))
}

/// `DELETE .../memberOfGroups/{groupId}`: 204.
pub(super) async fn remove(
    State(emulator): State<Emulator>,
    PathParams((env_id, subject, group_id)): Triple,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let of_user = url.path.contains("/users/");
    emulator
        .store()
        .write(|data| {
            if of_user {
                rules::remove_member(data, &env_id, &subject, &group_id)
            } else {
                rules::unnest(data, &env_id, &subject, &group_id)
            }
        })
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
