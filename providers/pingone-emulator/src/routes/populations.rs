//! `/v1/environments/{envId}/populations[/{id}]` (API.md §3): list, create, read, replace,
//! delete. The rules live in [`crate::populations`]; this module is the HTTP side.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{ok, require_environment, timestamp};
use crate::Emulator;
use crate::api_error::ApiError;
use crate::extract::{JsonObject, PathParams, RequestUrl};
use crate::filter::FilterSpec;
use crate::hal::{self, Limits, ListQuery, link};
use crate::model::Population;
use crate::populations::{self as rules, PopulationInput};

const FILTER: FilterSpec = FilterSpec {
    attributes: &["id", "name"],
    operators: &["eq", "sw"],
};
const LIMITS: Limits = Limits {
    default: 100,
    max: 1000,
};

/// The JSON of a population.
fn population_json(p: &Population, url: &RequestUrl) -> Value {
    let env_href = url.at(&format!("/v1/environments/{}", p.environment_id));
    let mut out = Map::new();
    let links = json!({ "self": link(format!("{env_href}/populations/{}", p.id)), "environment": link(env_href) });
    out.insert("_links".into(), links);
    out.insert("id".into(), json!(p.id));
    out.insert("environment".into(), json!({ "id": p.environment_id }));
    out.insert("name".into(), json!(p.name));
    insert_some(
        &mut out,
        "description",
        p.description.as_ref().map(|d| json!(d)),
    );
    out.insert("default".into(), json!(p.default));
    out.insert("userCount".into(), json!(p.user_count));
    insert_some(
        &mut out,
        "passwordPolicy",
        p.password_policy_id.as_ref().map(|id| json!({ "id": id })),
    );
    insert_some(
        &mut out,
        "theme",
        p.theme_id.as_ref().map(|id| json!({ "id": id })),
    );
    insert_some(
        &mut out,
        "preferredLanguage",
        p.preferred_language.as_ref().map(|l| json!(l)),
    );
    insert_some(
        &mut out,
        "alternativeIdentifiers",
        p.alternative_identifiers.as_ref().map(|a| json!(a)),
    );
    out.insert("createdAt".into(), json!(timestamp(p.created_at)));
    out.insert("updatedAt".into(), json!(timestamp(p.updated_at)));
    Value::Object(out)
}

fn insert_some(out: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        out.insert(key.to_owned(), value);
    }
}

fn attribute(p: &Population, name: &str) -> Option<String> {
    match name {
        "id" => Some(p.id.clone()),
        "name" => Some(p.name.clone()),
        _ => None,
    }
}

/// `GET .../populations`.
pub(super) async fn list(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        require_environment(data, &env_id)?;
        let query = ListQuery::parse(url.query.as_deref(), LIMITS, FILTER)?;
        let matching: Vec<&Population> = data
            .populations_of(&env_id)
            .filter(|p| query.accepts(&|a| attribute(p, a)))
            .collect();
        let page = hal::paginate(matching, |p| (p.created_at, p.id.as_str()), &query);
        let body = hal::collection(
            &url,
            &query,
            "populations",
            page.map(|p| population_json(p, &url)),
        );
        Ok(ok(StatusCode::OK, &body))
    })
}

/// `POST .../populations`: 201 with the new population.
pub(super) async fn create(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    emulator
        .store()
        .read(|data| require_environment(data, &env_id))?;
    let JsonObject(body) = body?;
    let input = PopulationInput::parse(&body)?;
    let created = emulator
        .store()
        .write(|data| {
            require_environment(data, &env_id)?;
            rules::create(data, &env_id, input)
        })
        .await?;
    let body = population_json(&created, &url);
    let mut response = ok(StatusCode::CREATED, &body);
    if let Some(location) = body["_links"]["self"]["href"]
        .as_str()
        .and_then(|h| HeaderValue::from_str(h).ok())
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// `GET .../populations/{id}`.
pub(super) async fn one(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): PathParams<(String, String)>,
    url: RequestUrl,
) -> Result<Response, ApiError> {
    emulator.store().read(|data| {
        require_environment(data, &env_id)?;
        let population = data
            .populations_of(&env_id)
            .find(|p| p.id == id)
            .ok_or_else(rules::not_found)?;
        Ok(ok(StatusCode::OK, &population_json(population, &url)))
    })
}

/// `PUT .../populations/{id}`: full replace, 200 with the result.
pub(super) async fn replace(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): PathParams<(String, String)>,
    url: RequestUrl,
    body: Result<JsonObject, ApiError>,
) -> Result<Response, ApiError> {
    emulator
        .store()
        .read(|data| require_environment(data, &env_id))?;
    let JsonObject(body) = body?;
    let input = PopulationInput::parse(&body)?;
    let replaced = emulator
        .store()
        .write(|data| {
            require_environment(data, &env_id)?;
            rules::replace(data, &env_id, &id, input)
        })
        .await?;
    Ok(ok(StatusCode::OK, &population_json(&replaced, &url)))
}

/// `DELETE .../populations/{id}`: 204, no body.
pub(super) async fn delete(
    State(emulator): State<Emulator>,
    PathParams((env_id, id)): PathParams<(String, String)>,
) -> Result<Response, ApiError> {
    emulator
        .store()
        .write(|data| {
            require_environment(data, &env_id)?;
            rules::delete(data, &env_id, &id)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
