//! `/v1/environments/{envId}/users[/{id}[/enabled|/mfaEnabled|/population|/password]]`
//! (API.md §4): the HTTP side of [`crate::users`].
//!
//! Lists cost O(page): users are read in (createdAt, id) order from the environment's index,
//! filtered as they go, and a `username eq` filter uses the username index. `count` is given
//! for unfiltered lists only (PingOne too omits it when counting would be costly).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::user_body::UserBody;
use super::{created_at, ok, timestamp};
use crate::Emulator;
use crate::api_error::{ApiError, Detail};
use crate::extract::{JsonObject, PathParams, RequestUrl, parse_object};
use crate::filter::{self, FilterSpec};
use crate::hal::{self, Limits, ListQuery, link};
use crate::model::{TenantData, User};
use crate::users::{self as rules, Mode, UserInput};

const FILTER: FilterSpec = FilterSpec {
    attributes: &[
        "id",
        "username",
        "email",
        "population.id",
        "name.given",
        "name.family",
        "name.middle",
        "name.formatted",
        "externalId",
        "enabled",
        "accountId",
        "nickname",
        "title",
        "type",
        "locale",
        "mobilePhone",
        "primaryPhone",
        "address.streetAddress",
        "address.locality",
        "address.region",
        "address.postalCode",
        "address.countryCode",
        "lifecycle.status",
        "memberOfGroups.id",
    ],
    operators: &["eq", "sw", "ew", "co"],
};
const LIMITS: Limits = Limits {
    default: 100,
    max: 1000,
};
const IMPORT: &str = "application/vnd.pingidentity.user.import+json";
const PASSWORD_SET: &str = "application/vnd.pingidentity.password.set+json";
const LOCK: &str = "application/vnd.pingidentity.account.lock+json";
const UNLOCK: &str = "application/vnd.pingidentity.account.unlock+json";

type UserPath = PathParams<(String, String)>;

/// The essence of the request's Content-Type, lowercase.
pub(super) fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// 415 `INVALID_REQUEST` for a Content-Type the operation does not take.
pub(super) fn unsupported_media_type(expected: &[&str]) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "INVALID_REQUEST",
        format!(
            "The request could not be completed. The Content-Type must be one of: {}.",
            expected.join(", ")
        ),
    )
}

fn user_href(url: &RequestUrl, user: &User) -> String {
    url.at(&format!(
        "/v1/environments/{}/users/{}",
        user.environment_id, user.id
    ))
}

/// The JSON of a user as a value; `include` adds `memberOfGroupIDs` or `memberOfGroupNames`.
pub(super) fn user_json(
    data: &TenantData,
    user: &User,
    url: &RequestUrl,
    include: Option<&str>,
) -> Value {
    serde_json::to_value(user_body(data, user, url, include)).unwrap_or_default()
}

fn user_body<'a>(
    data: &'a TenantData,
    user: &'a User,
    url: &'a RequestUrl,
    include: Option<&'a str>,
) -> UserBody<'a> {
    UserBody {
        data,
        user,
        base: &url.base,
        include,
    }
}

/// A user's values for a filter attribute (several for `memberOfGroups.id`).
fn attribute(user: &User, name: &str) -> Vec<String> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match name {
        "id" => vec![user.id.clone()],
        "username" => vec![user.username.clone()],
        "population.id" => vec![user.population_id.clone()],
        "enabled" => vec![user.enabled.to_string()],
        "memberOfGroups.id" => user.group_ids.clone(),
        dotted => {
            let mut parts = dotted.split('.');
            let first = parts.next().and_then(|p| user.attributes.get(p));
            parts
                .try_fold(first, |v, p| Some(v.and_then(|v| v.get(p))))
                .flatten()
                .and_then(text)
                .into_iter()
                .collect()
        }
    }
}

/// The query string with its `filter` in dotted form (see [`filter::flatten_brackets`]).
fn flatten_filter(query: &str) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name == "filter" {
            out.append_pair(&name, &filter::flatten_brackets(&value));
        } else {
            out.append_pair(&name, &value);
        }
    }
    out.finish()
}

fn user_key<'a>(user: &'a &User) -> hal::ItemKey<'a> {
    (user.created_at, user.id.as_str())
}

fn query_param(url: &RequestUrl, name: &str) -> Option<String> {
    form_urlencoded::parse(url.query.as_deref().unwrap_or_default().as_bytes())
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

/// `GET .../users`.
pub(super) async fn list(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let raw = url.query.as_deref().map(flatten_filter);
    let query = ListQuery::parse(raw.as_deref(), LIMITS, FILTER)?;
    emulator.store().read(|data| {
        let accepts = |u: &&User| {
            query
                .filter
                .as_ref()
                .is_none_or(|f| f.matches_any(&|a| attribute(u, a)))
        };
        let after = query.after();
        let page = match query.filter.as_ref().and_then(|f| f.equality("username")) {
            Some(name) => {
                let found = data
                    .user_by_username(&env_id, name)
                    .filter(|u| after.is_none_or(|a| (u.created_at, u.id.as_str()) > a));
                hal::take_page(found.into_iter().filter(accepts), user_key, &query, None)
            }
            None => {
                let count = query.filter.is_none().then(|| data.users.count_in(&env_id));
                hal::take_page(
                    data.users.iter_in(&env_id, after).filter(accepts),
                    user_key,
                    &query,
                    count,
                )
            }
        };
        let page = page.map(|u| user_json(data, u, &url, None));
        Ok(ok(
            StatusCode::OK,
            &hal::collection(&url, &query, "users", page),
        ))
    })
}

/// `POST .../users`: JSON, or the import media type that may carry a password.
pub(super) async fn create(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
    headers: HeaderMap,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let mode = match content_type(&headers).as_str() {
        "application/json" => Mode::Create,
        IMPORT => Mode::Import,
        _ => return Err(unsupported_media_type(&["application/json", IMPORT])),
    };
    let JsonObject(body) = body?;
    let input = UserInput::parse(&body, mode)?;
    let user = emulator
        .store()
        .write(|data| rules::create(data, &env_id, input))
        .await?;
    Ok(emulator.store().read(|data| {
        let body = user_body(data, &user, &url, None);
        created_at(&body.href(), &body)
    }))
}

/// `GET .../users/{id}` (`?include=memberOfGroupIDs|memberOfGroupNames`).
pub(super) async fn one(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let include = query_param(&url, "include");
    emulator.store().read(|data| {
        let user = data
            .users
            .get_in(&env_id, &id)
            .ok_or_else(|| rules::not_found(&id))?;
        Ok(ok(
            StatusCode::OK,
            &user_body(data, user, &url, include.as_deref()),
        ))
    })
}

async fn update(
    emulator: &Emulator,
    env_id: &str,
    id: &str,
    url: &RequestUrl,
    body: Result<JsonObject, ApiError>,
    mode: Mode,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    let input = UserInput::parse(&body, mode)?;
    let user = emulator
        .store()
        .write(|data| rules::update(data, env_id, id, input, mode))
        .await?;
    let body = emulator
        .store()
        .read(|data| user_json(data, &user, url, None));
    Ok(ok(StatusCode::OK, &body))
}

/// `PUT .../users/{id}`: full replace.
pub(super) async fn replace(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    update(&emulator, &env_id, &id, &url, body, Mode::Replace).await
}

/// `PATCH .../users/{id}`: merge.
pub(super) async fn patch(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    update(&emulator, &env_id, &id, &url, body, Mode::Patch).await
}

/// `DELETE .../users/{id}`.
pub(super) async fn delete(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
) -> Result<Response, ApiError> {
    emulator
        .store()
        .write(|data| rules::delete(data, &env_id, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST .../users/{id}` with the account lock or unlock media type.
pub(super) async fn account(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
    url: RequestUrl,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lock = match content_type(&headers).as_str() {
        LOCK => true,
        UNLOCK => false,
        _ => return Err(unsupported_media_type(&[LOCK, UNLOCK])),
    };
    let user = emulator
        .store()
        .write(|data| {
            rules::modify(data, &env_id, &id, |u| {
                u.account_status = if lock { "LOCKED" } else { "OK" }.into();
                u.locked_at = lock.then(crate::model::now);
            })
        })
        .await?;
    let body = emulator
        .store()
        .read(|data| user_json(data, &user, &url, None));
    Ok(ok(StatusCode::OK, &body))
}

fn flag_json(url: &RequestUrl, name: &str, value: bool) -> Value {
    json!({ "_links": { "self": link(url.full()) }, name: value })
}

/// Reads a required boolean attribute from a body.
fn required_bool(body: &Map<String, Value>, name: &str) -> Result<bool, ApiError> {
    body.get(name).and_then(Value::as_bool).ok_or_else(|| {
        ApiError::invalid_data(vec![
            Detail::new(
                "INVALID_VALUE",
                format!("{name} is required and must be a boolean."),
            )
            .target(name),
        ])
    })
}

/// `GET .../users/{id}/enabled` and `.../mfaEnabled`.
pub(super) async fn flag(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let mfa = url.path.ends_with("/mfaEnabled");
    emulator.store().read(|data| {
        let user = data
            .users
            .get_in(&env_id, &id)
            .ok_or_else(|| rules::not_found(&id))?;
        let (name, value) = if mfa {
            ("mfaEnabled", user.mfa_enabled)
        } else {
            ("enabled", user.enabled)
        };
        Ok(ok(StatusCode::OK, &flag_json(&url, name, value)))
    })
}

/// `PUT .../users/{id}/enabled` and `.../mfaEnabled`.
pub(super) async fn set_flag(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let mfa = url.path.ends_with("/mfaEnabled");
    let name = if mfa { "mfaEnabled" } else { "enabled" };
    let JsonObject(body) = body?;
    let value = required_bool(&body, name)?;
    emulator
        .store()
        .write(|data| {
            rules::modify(data, &env_id, &id, |u| {
                if mfa {
                    u.mfa_enabled = value
                } else {
                    u.enabled = value
                }
            })
        })
        .await?;
    Ok(ok(StatusCode::OK, &flag_json(&url, name, value)))
}

/// `GET .../users/{id}/population`.
pub(super) async fn population(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        let user = data
            .users
            .get_in(&env_id, &id)
            .ok_or_else(|| rules::not_found(&id))?;
        Ok(ok(
            StatusCode::OK,
            &json!({ "_links": { "self": link(url.full()) }, "id": user.population_id }),
        ))
    })
}

/// `PUT .../users/{id}/population`: the only way to move a user.
pub(super) async fn set_population(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    let population_id = match body.get("id").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => id.to_owned(),
        _ => {
            return Err(ApiError::invalid_data(vec![
                Detail::new("REQUIRED_VALUE", "id is required.").target("id"),
            ]));
        }
    };
    let user = emulator
        .store()
        .write(|data| rules::move_to(data, &env_id, &id, &population_id))
        .await?;
    Ok(ok(
        StatusCode::OK,
        &json!({ "_links": { "self": link(url.full()) }, "id": user.population_id }),
    ))
}

/// The password state of a user (never the password). Field set per DOCS `user-passwords`;
/// `user.id` is UNCONFIRMED (API.md §4.4).
fn password_json(data: &TenantData, user: &User, url: &RequestUrl) -> Value {
    let status = match &user.password {
        None => "NO_PASSWORD",
        Some(p) if p.force_change => "MUST_CHANGE_PASSWORD",
        Some(_) => "OK",
    };
    let policy = data
        .populations
        .iter()
        .find(|p| p.id == user.population_id)
        .and_then(|p| p.password_policy_id.clone())
        .or_else(|| {
            data.password_policies
                .iter()
                .find(|p| p.environment_id == user.environment_id && p.default)
                .map(|p| p.id.clone())
        });
    let mut out = json!({
        "_links": { "self": link(format!("{}/password", user_href(url, user))) },
        "environment": { "id": user.environment_id },
        "user": { "id": user.id },
        "status": status,
    });
    if let Some(out) = out.as_object_mut() {
        if let Some(policy) = policy {
            out.insert("passwordPolicy".into(), json!({ "id": policy }));
        }
        if let Some(p) = &user.password {
            out.insert("lastChangedAt".into(), json!(timestamp(p.last_changed_at)));
        }
    }
    out
}

/// `GET .../users/{id}/password`: the password state.
pub(super) async fn password(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        let user = data
            .users
            .get_in(&env_id, &id)
            .ok_or_else(|| rules::not_found(&id))?;
        Ok(ok(StatusCode::OK, &password_json(data, user, &url)))
    })
}

/// `PUT .../users/{id}/password` with `application/vnd.pingidentity.password.set+json`.
pub(super) async fn set_password(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): UserPath,
    url: RequestUrl,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if content_type(&headers) != PASSWORD_SET {
        return Err(unsupported_media_type(&[PASSWORD_SET]));
    }
    let body = parse_object(&body)?;
    let value = match body.get("value") {
        Some(Value::String(v)) if !v.is_empty() => v.clone(),
        _ => {
            return Err(ApiError::invalid_data(vec![
                Detail::new("REQUIRED_VALUE", "value is required.").target("value"),
            ]));
        }
    };
    let force = match body.get("forceChange") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(ApiError::invalid_data(vec![
                Detail::new("INVALID_VALUE", "forceChange must be a boolean.")
                    .target("forceChange"),
            ]));
        }
    };
    let record = rules::hash_password(&value, force);
    let user = emulator
        .store()
        .write(|data| rules::modify(data, &env_id, &id, |u| u.password = Some(record)))
        .await?;
    let body = emulator
        .store()
        .read(|data| password_json(data, &user, &url));
    Ok(ok(StatusCode::OK, &body))
}
