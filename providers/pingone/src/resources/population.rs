//! `pingone_population`: a population of users in an environment
//! (TERRAFORM-PROVIDER.md §3.2; API `/environments/{envId}/populations`, API.md §3).

use std::collections::HashMap;

use async_trait::async_trait;
use engine::Value;
use engine::provider::{
    AttrType, AttributeSchema, BlockSchema, Found, ObjectRef, Presence, ProviderError,
    ProviderErrorKind,
};
use serde_json::{Map, json};

use super::common::create_error;
use super::{Resource, environment_gone, group_by_environment, invalid, state_string};
use crate::client::Client;
use crate::values::{
    IfUnknown, is_set, json_id_object, json_string, json_string_list, nested_id, object,
    opt_string, required_string, string_list,
};

/// The resource type's name.
pub const TYPE_NAME: &str = "pingone_population";

/// The key of populations in a list answer's `_embedded`.
const PLURAL: &str = "populations";

/// The schema, following the official Terraform provider.
pub fn schema() -> BlockSchema {
    let id_object = || AttrType::Object([("id".to_string(), AttrType::String)].into());
    BlockSchema::default()
        .attr(
            "id",
            AttributeSchema::new(AttrType::String, Presence::Computed, "The population's ID."),
        )
        .attr(
            "environment_id",
            AttributeSchema::new(
                AttrType::String,
                Presence::Required,
                "The environment that holds the population.",
            )
            .force_new(),
        )
        .attr(
            "name",
            AttributeSchema::new(
                AttrType::String,
                Presence::Required,
                "The population's name, unique in its environment.",
            ),
        )
        .attr(
            "description",
            AttributeSchema::new(AttrType::String, Presence::Optional, "A description."),
        )
        .attr(
            "password_policy",
            AttributeSchema::new(
                id_object(),
                Presence::Optional,
                "The password policy for the population's users: { id }.",
            ),
        )
        .attr(
            "password_policy_id",
            AttributeSchema::new(
                AttrType::String,
                Presence::Optional,
                "Deprecated: use password_policy.id. The password policy's ID.",
            ),
        )
        .attr(
            "preferred_language",
            AttributeSchema::new(
                AttrType::String,
                Presence::OptionalComputed,
                "The users' preferred language, such as en.",
            ),
        )
        .attr(
            "alternative_identifiers",
            AttributeSchema::new(
                AttrType::Set(Box::new(AttrType::String)),
                Presence::Optional,
                "Other names the population is known by.",
            ),
        )
        .attr(
            "theme",
            AttributeSchema::new(
                id_object(),
                Presence::OptionalComputed,
                "The branding theme: { id }.",
            ),
        )
}

/// The PingOne JSON body for a planned population (POST and full-replace PUT).
/// Null attributes are left out; so are optional-computed ones not known yet.
pub fn to_body(planned: &Value) -> Result<serde_json::Value, String> {
    let mut body = Map::new();
    body.insert("name".into(), json!(required_string(planned, "name")?));
    if let Some(description) = opt_string(planned, "description", IfUnknown::Refuse)? {
        body.insert("description".into(), json!(description));
    }
    if let Some(policy) = password_policy_id(planned)? {
        body.insert("passwordPolicy".into(), json!({ "id": policy }));
    }
    if let Some(language) = opt_string(planned, "preferred_language", IfUnknown::Omit)? {
        body.insert("preferredLanguage".into(), json!(language));
    }
    if let Some(ids) = string_list(planned, "alternative_identifiers")? {
        body.insert("alternativeIdentifiers".into(), json!(ids));
    }
    if let Some(theme) = nested_id(planned, "theme", IfUnknown::Omit)? {
        body.insert("theme".into(), json!({ "id": theme }));
    }
    Ok(serde_json::Value::Object(body))
}

/// The password policy ID from `password_policy.id` or the deprecated `password_policy_id`.
fn password_policy_id(planned: &Value) -> Result<Option<String>, String> {
    let nested = nested_id(planned, "password_policy", IfUnknown::Refuse)?;
    let flat = opt_string(planned, "password_policy_id", IfUnknown::Refuse)?;
    match (nested, flat) {
        (Some(_), Some(_)) => Err(
            "password_policy and password_policy_id cannot both be set; use password_policy = { id = ... }"
                .to_string(),
        ),
        (nested, flat) => Ok(nested.or(flat)),
    }
}

/// The population's attributes from PingOne's JSON. Every schema attribute is present
/// (null when PingOne has no value). `basis` (the planned or prior value) supplies
/// `environment_id` and decides which password-policy form is written back, as the
/// official provider writes back whichever form the configuration uses.
pub fn from_api(api: &serde_json::Value, basis: &Value) -> Result<Value, String> {
    let id = json_string(api, "/id");
    if id.is_null() {
        return Err("PingOne's answer has no population id".to_string());
    }
    let policy = json_string(api, "/passwordPolicy/id");
    let uses_flat_policy = is_set(basis, "password_policy_id");
    let (password_policy, password_policy_id) = match (&policy, uses_flat_policy) {
        (Value::Null, _) => (Value::Null, Value::Null),
        (_, true) => (Value::Null, policy),
        (_, false) => (object([("id", policy)]), Value::Null),
    };
    Ok(object([
        ("id", id),
        ("environment_id", environment_id(api, basis)),
        ("name", json_string(api, "/name")),
        ("description", json_string(api, "/description")),
        ("password_policy", password_policy),
        ("password_policy_id", password_policy_id),
        ("preferred_language", json_string(api, "/preferredLanguage")),
        (
            "alternative_identifiers",
            alternative_identifiers(api, basis),
        ),
        ("theme", json_id_object(api, "/theme/id")),
    ]))
}

/// The environment from the basis, else from PingOne's `environment.id`.
fn environment_id(api: &serde_json::Value, basis: &Value) -> Value {
    match basis.get("environment_id") {
        Some(env @ Value::String(_)) => env.clone(),
        _ => json_string(api, "/environment/id"),
    }
}

/// PingOne may answer `[]` where nothing was configured; keep null then, so an unset
/// attribute does not show a perpetual difference.
fn alternative_identifiers(api: &serde_json::Value, basis: &Value) -> Value {
    match json_string_list(api, "/alternativeIdentifiers") {
        Value::List(items) if items.is_empty() && !is_set(basis, "alternative_identifiers") => {
            Value::Null
        }
        other => other,
    }
}

/// The `pingone_population` resource type.
pub(crate) struct Population;

#[async_trait]
impl Resource for Population {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        schema()
    }

    async fn read_many(
        &self,
        client: &Client,
        objects: &[ObjectRef],
    ) -> Result<Vec<Option<Value>>, ProviderError> {
        let mut results = vec![None; objects.len()];
        for (env, members) in group_by_environment(objects)? {
            let operation = format!("read {TYPE_NAME} in environment {env}");
            let Some(live) = list_environment(client, &env, &operation).await? else {
                continue; // The environment is gone, and its populations with it.
            };
            remember_user_counts(client, &live);
            for index in members {
                let object = &objects[index];
                let id = state_string(object, "id")?;
                if let Some(found) = live.get(id.as_str()) {
                    let value = from_api(found, &object.prior)
                        .map_err(|e| api_shape_error(&operation, e))?;
                    results[index] = Some(value);
                }
            }
        }
        Ok(results)
    }

    async fn create(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let operation = format!("create {address}");
        let env = required_string(planned, "environment_id").map_err(|e| invalid(&operation, e))?;
        let body = to_body(planned).map_err(|e| invalid(&operation, e))?;
        let created = client
            .post(&["environments", &env, PLURAL], &body)
            .await
            .map_err(|e| create_error(e, &operation, address, |id| format!("{env}/{id}")))?;
        from_api(&created, planned).map_err(|e| api_shape_error(&operation, e))
    }

    async fn update(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let operation = format!("update {address}");
        let (env, id) = location(prior).map_err(|e| invalid(&operation, e))?;
        let body = to_body(planned).map_err(|e| invalid(&operation, e))?;
        let updated = client
            .put(&["environments", &env, PLURAL, &id], &body)
            .await
            .map_err(|e| e.to_provider_error(&operation))?;
        from_api(&updated, planned).map_err(|e| api_shape_error(&operation, e))
    }

    async fn delete(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
    ) -> Result<(), ProviderError> {
        let operation = format!("delete {address}");
        let (env, id) = location(prior).map_err(|e| invalid(&operation, e))?;
        super::population_users::delete_users_first(client, &env, &id, &operation).await?;
        match client.delete(&["environments", &env, PLURAL, &id]).await {
            Ok(()) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => environment_gone(client, &env, e, &operation).await,
        }
    }

    /// A population's natural key is its name, unique (case-insensitively) in its
    /// environment: one filtered list call finds it.
    async fn find(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Found, ProviderError> {
        let operation = format!("find {address} by name");
        let env = required_string(planned, "environment_id").map_err(|e| invalid(&operation, e))?;
        let name = required_string(planned, "name").map_err(|e| invalid(&operation, e))?;
        let filter = name_filter(&name);
        let Some(items) = list_filtered(client, &env, &filter, &operation).await? else {
            return Ok(Found::Nothing); // The environment is gone, so the population is too.
        };
        let wanted = name.to_lowercase();
        let mut matching = items.iter().filter(|p| {
            p.get("name")
                .and_then(serde_json::Value::as_str)
                .map(str::to_lowercase)
                == Some(wanted.clone())
        });
        match matching.next() {
            Some(found) => from_api(found, planned)
                .map(Found::Object)
                .map_err(|e| api_shape_error(&operation, e)),
            None => Ok(Found::Nothing),
        }
    }
}

/// The SCIM filter `name eq "<name>"`, with quotes and backslashes escaped.
fn name_filter(name: &str) -> String {
    let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
    format!("name eq \"{escaped}\"")
}

/// The populations of one environment that match `filter`, or `None` when the
/// environment is gone.
async fn list_filtered(
    client: &Client,
    env: &str,
    filter: &str,
    operation: &str,
) -> Result<Option<Vec<serde_json::Value>>, ProviderError> {
    match client
        .list_all_filtered(&["environments", env, PLURAL], PLURAL, filter)
        .await
    {
        Ok(items) => Ok(Some(items)),
        Err(e) => environment_gone(client, env, e, operation)
            .await
            .map(|()| None),
    }
}

/// Every population of one environment by ID, or `None` when the environment is gone.
async fn list_environment(
    client: &Client,
    env: &str,
    operation: &str,
) -> Result<Option<HashMap<String, serde_json::Value>>, ProviderError> {
    match client
        .list_all(&["environments", env, PLURAL], PLURAL)
        .await
    {
        Ok(items) => Ok(Some(by_id(items))),
        // A 404 or a permission error may mean the environment was deleted.
        Err(e) => environment_gone(client, env, e, operation)
            .await
            .map(|()| None),
    }
}

/// Notes each population's `userCount`, for the "deletes a population with users" risk.
fn remember_user_counts(client: &Client, live: &HashMap<String, serde_json::Value>) {
    for (id, population) in live {
        if let Some(count) = population
            .get("userCount")
            .and_then(serde_json::Value::as_u64)
        {
            client.facts().remember_user_count(id, count);
        }
    }
}

fn by_id(items: Vec<serde_json::Value>) -> HashMap<String, serde_json::Value> {
    items
        .into_iter()
        .filter_map(|item| Some((item.get("id")?.as_str()?.to_string(), item)))
        .collect()
}

/// The environment and population IDs recorded for an existing population.
fn location(prior: &Value) -> Result<(String, String), String> {
    Ok((
        required_string(prior, "environment_id")?,
        required_string(prior, "id")?,
    ))
}

fn api_shape_error(operation: &str, problem: String) -> ProviderError {
    ProviderError::new(
        ProviderErrorKind::Api,
        format!("{operation}: unexpected answer from PingOne: {problem}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENV: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

    fn planned(extra: &[(&str, Value)]) -> Value {
        let mut v = object([
            ("id", Value::Unknown),
            ("environment_id", ENV.into()),
            ("name", "staff".into()),
            ("description", Value::Null),
            ("password_policy", Value::Null),
            ("password_policy_id", Value::Null),
            ("preferred_language", Value::Unknown),
            ("alternative_identifiers", Value::Null),
            ("theme", Value::Unknown),
        ]);
        if let Value::Object(map) = &mut v {
            for (k, val) in extra {
                map.insert(k.to_string(), val.clone());
            }
        }
        v
    }

    #[test]
    fn name_filters_escape_quotes_and_backslashes() {
        assert_eq!(name_filter("staff"), r#"name eq "staff""#);
        assert_eq!(name_filter(r#"a "b" \c"#), r#"name eq "a \"b\" \\c""#);
    }

    #[test]
    fn schema_matches_the_terraform_provider() {
        let s = schema();
        let names: Vec<&str> = s.attributes.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "alternative_identifiers",
                "description",
                "environment_id",
                "id",
                "name",
                "password_policy",
                "password_policy_id",
                "preferred_language",
                "theme"
            ]
        );
        assert!(s.attributes["environment_id"].force_new);
        assert_eq!(s.attributes["id"].presence, Presence::Computed);
        assert_eq!(s.attributes["theme"].presence, Presence::OptionalComputed);
        assert_eq!(
            s.attributes["alternative_identifiers"].ty,
            AttrType::Set(Box::new(AttrType::String))
        );
    }

    #[test]
    fn minimal_body_omits_nulls_and_unknowns() {
        assert_eq!(to_body(&planned(&[])).unwrap(), json!({"name": "staff"}));
    }

    #[test]
    fn full_body_uses_pingone_names() {
        let v = planned(&[
            ("description", "Staff".into()),
            ("password_policy", object([("id", "pp1".into())])),
            ("preferred_language", "fr".into()),
            ("alternative_identifiers", Value::List(vec!["emp".into()])),
            ("theme", object([("id", "th1".into())])),
        ]);
        assert_eq!(
            to_body(&v).unwrap(),
            json!({
                "name": "staff", "description": "Staff", "passwordPolicy": {"id": "pp1"},
                "preferredLanguage": "fr", "alternativeIdentifiers": ["emp"], "theme": {"id": "th1"}
            })
        );
        let flat = planned(&[("password_policy_id", "pp2".into())]);
        assert_eq!(
            to_body(&flat).unwrap()["passwordPolicy"],
            json!({"id": "pp2"})
        );
    }

    #[test]
    fn body_errors_name_the_attribute() {
        let both = planned(&[
            ("password_policy", object([("id", "a".into())])),
            ("password_policy_id", "b".into()),
        ]);
        assert!(to_body(&both).unwrap_err().contains("cannot both be set"));
        let unnamed = planned(&[("name", Value::Null)]);
        assert!(to_body(&unnamed).unwrap_err().contains("name is required"));
        let unknown_policy = planned(&[("password_policy", object([("id", Value::Unknown)]))]);
        assert!(
            to_body(&unknown_policy)
                .unwrap_err()
                .contains("password_policy.id")
        );
    }

    #[test]
    fn from_api_fills_every_attribute() {
        let api = json!({
            "id": "p1", "name": "staff", "environment": {"id": "other"},
            "passwordPolicy": {"id": "pp1"}, "theme": {"id": "th1"}, "userCount": 0,
            "alternativeIdentifiers": []
        });
        let v = from_api(&api, &planned(&[])).unwrap();
        let expected = object([
            ("id", "p1".into()),
            ("environment_id", ENV.into()),
            ("name", "staff".into()),
            ("description", Value::Null),
            ("password_policy", object([("id", "pp1".into())])),
            ("password_policy_id", Value::Null),
            ("preferred_language", Value::Null),
            ("alternative_identifiers", Value::Null),
            ("theme", object([("id", "th1".into())])),
        ]);
        assert_eq!(v, expected);
        assert!(v.is_wholly_known());
    }

    #[test]
    fn from_api_keeps_the_deprecated_policy_form_when_used() {
        let api = json!({"id": "p1", "name": "n", "passwordPolicy": {"id": "pp9"}});
        let v = from_api(&api, &planned(&[("password_policy_id", "pp1".into())])).unwrap();
        assert_eq!(v.get("password_policy_id"), Some(&Value::from("pp9")));
        assert_eq!(v.get("password_policy"), Some(&Value::Null));
    }

    #[test]
    fn from_api_keeps_configured_empty_identifiers_and_needs_an_id() {
        let api = json!({"id": "p1", "name": "n", "alternativeIdentifiers": []});
        let basis = planned(&[("alternative_identifiers", Value::List(vec![]))]);
        let v = from_api(&api, &basis).unwrap();
        assert_eq!(v.get("alternative_identifiers"), Some(&Value::List(vec![])));
        assert!(from_api(&json!({"name": "n"}), &basis).is_err());
    }

    #[test]
    fn from_api_takes_the_environment_from_pingone_when_the_basis_lacks_it() {
        let v = from_api(
            &json!({"id": "p", "environment": {"id": "e9"}}),
            &Value::Null,
        )
        .unwrap();
        assert_eq!(v.get("environment_id"), Some(&Value::from("e9")));
    }
}
