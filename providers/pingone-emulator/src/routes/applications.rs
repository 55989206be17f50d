//! `/v1/environments/{envId}/applications[/{id}[/secret]]` (API.md §7): the HTTP side of
//! [`crate::applications`].

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Map, Value, json};

use super::bearer::Caller;
use super::{created, ok, timestamp};
use crate::Emulator;
use crate::api_error::ApiError;
use crate::applications::{self as rules, ApplicationInput};
use crate::extract::{JsonObject, PathParams, RequestUrl, parse_object};
use crate::filter::FilterSpec;
use crate::hal::{self, Limits, ListQuery, link};
use crate::model::Application;

const FILTER: FilterSpec = FilterSpec {
    attributes: &["id", "name", "type", "protocol"],
    operators: &["eq", "sw"],
};
const LIMITS: Limits = Limits {
    default: 100,
    max: 1000,
};

type AppPath = PathParams<(String, String)>;

fn app_href(url: &RequestUrl, app: &Application) -> String {
    url.at(&format!(
        "/v1/environments/{}/applications/{}",
        app.environment_id, app.id
    ))
}

/// The JSON of an application (never its secret); only OIDC applications have OAuth
/// attributes and a secret link.
fn application_json(app: &Application, url: &RequestUrl) -> Value {
    let href = app_href(url, app);
    let oidc = app.protocol == "OPENID_CONNECT";
    let mut links = json!({
        "self": link(href.clone()),
        "environment": link(url.at(&format!("/v1/environments/{}", app.environment_id))),
    });
    if let (true, Some(map)) = (oidc, links.as_object_mut()) {
        map.insert("secret".into(), link(format!("{href}/secret")));
    }
    let mut out = Map::new();
    out.insert("_links".into(), links);
    out.insert("id".into(), json!(app.id));
    out.insert("environment".into(), json!({ "id": app.environment_id }));
    out.insert("name".into(), json!(app.name));
    if let Some(d) = &app.description {
        out.insert("description".into(), json!(d));
    }
    out.insert("enabled".into(), json!(app.enabled));
    out.insert("type".into(), json!(app.kind));
    out.insert("protocol".into(), json!(app.protocol));
    if oidc {
        out.insert(
            "tokenEndpointAuthMethod".into(),
            json!(app.token_endpoint_auth_method),
        );
        out.insert("grantTypes".into(), json!(app.grant_types));
        if app.kind != "WORKER" {
            out.insert("pkceEnforcement".into(), json!("OPTIONAL"));
        }
    }
    out.extend(app.attributes.clone());
    out.insert("createdAt".into(), json!(timestamp(app.created_at)));
    out.insert("updatedAt".into(), json!(timestamp(app.updated_at)));
    Value::Object(out)
}

/// The JSON of an application's secret, with the previous one while it is valid.
fn secret_json(app: &Application, url: &RequestUrl) -> Value {
    let mut out = json!({
        "_links": { "self": link(format!("{}/secret", app_href(url, app))) },
        "environment": { "id": app.environment_id },
        "secret": app.secret.0,
    });
    let previous = app
        .previous_secret
        .as_ref()
        .filter(|p| p.expires_at > Utc::now());
    if let (Some(o), Some(p)) = (out.as_object_mut(), previous) {
        let mut prev = json!({ "secret": p.secret.0, "expiresAt": timestamp(p.expires_at) });
        if let (Some(po), Some(used)) = (prev.as_object_mut(), p.last_used) {
            po.insert("lastUsed".into(), json!(timestamp(used)));
        }
        o.insert("previous".into(), prev);
    }
    out
}

/// `GET .../applications`.
pub(super) async fn list(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    let query = ListQuery::parse(url.query.as_deref(), LIMITS, FILTER)?;
    emulator.store().read(|data| {
        let accepts = |a: &&Application| {
            query.accepts(&|name| match name {
                "id" => Some(a.id.clone()),
                "name" => Some(a.name.clone()),
                "type" => Some(a.kind.clone()),
                "protocol" => Some(a.protocol.clone()),
                _ => None,
            })
        };
        let count = query
            .filter
            .is_none()
            .then(|| data.applications.count_in(&env_id));
        let items = data
            .applications
            .iter_in(&env_id, query.after())
            .filter(accepts);
        let page = hal::take_page(items, app_key, &query, count);
        let page = page.map(|a| application_json(a, &url));
        Ok(ok(
            StatusCode::OK,
            &hal::collection(&url, &query, "applications", page),
        ))
    })
}

fn app_key<'a>(app: &'a &Application) -> hal::ItemKey<'a> {
    (app.created_at, app.id.as_str())
}

/// `POST .../applications`: 201.
pub(super) async fn create(
    State(emulator): State<Emulator>,
    caller: Caller,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    let input = ApplicationInput::parse(&body)?;
    let app = emulator
        .store()
        .write(|data| rules::create(data, &env_id, input, &caller.id))
        .await?;
    Ok(created(&application_json(&app, &url)))
}

/// `GET .../applications/{id}`.
pub(super) async fn one(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): AppPath,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        let app = data
            .applications
            .get_in(&env_id, &id)
            .ok_or_else(|| rules::not_found(&env_id, &id))?;
        Ok(ok(StatusCode::OK, &application_json(app, &url)))
    })
}

/// `PUT .../applications/{id}`.
pub(super) async fn replace(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): AppPath,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    let JsonObject(body) = body?;
    let input = ApplicationInput::parse(&body)?;
    let app = emulator
        .store()
        .write(|data| rules::replace(data, &env_id, &id, input))
        .await?;
    Ok(ok(StatusCode::OK, &application_json(&app, &url)))
}

/// `DELETE .../applications/{id}`.
pub(super) async fn delete(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): AppPath,
) -> Result<Response, ApiError> {
    emulator
        .store()
        .write(|data| rules::delete(data, &env_id, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET .../applications/{id}/secret`.
pub(super) async fn secret(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): AppPath,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        let app = data
            .applications
            .get_in(&env_id, &id)
            .ok_or_else(|| rules::not_found(&env_id, &id))?;
        Ok(ok(StatusCode::OK, &secret_json(app, &url)))
    })
}

/// `POST .../applications/{id}/secret`: regenerates; 200. The body is optional.
pub(super) async fn regenerate(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): AppPath,
    url: RequestUrl,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        parse_object(&body)?
    };
    let keep = rules::previous_expiry(&body, Utc::now())?;
    let app = emulator
        .store()
        .write(|data| rules::regenerate(data, &env_id, &id, keep))
        .await?;
    Ok(ok(StatusCode::OK, &secret_json(&app, &url)))
}

/// `DELETE .../applications/{id}/secret`: deletes the previous secret; 204.
pub(super) async fn delete_previous(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): AppPath,
) -> Result<Response, ApiError> {
    emulator
        .store()
        .write(|data| rules::delete_previous(data, &env_id, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
