//! `pingone_group` (TERRAFORM-PROVIDER.md §3.5; API.md §6).

use async_trait::async_trait;
use engine::Value;
use engine::provider::{BlockSchema, Found, ObjectRef, Presence, ProviderError};
use serde_json::{Map, json};

use super::common::{
    api_shape_error, create_in_environment, delete_in_environment, id_attr, link_attr,
    read_in_environment, replace_in_environment, string,
};
use super::{Resource, environment_gone, invalid};
use crate::client::Client;
use crate::fields::{Field, Kind, field, from_json, to_json};
use crate::values::{IfUnknown, json_string, object_from_pairs, opt_string, required_string};

/// The resource type's name.
pub const TYPE_NAME: &str = "pingone_group";

const PLURAL: &str = "groups";

const PLAIN: &[Field] = &[
    field("name", "name", Kind::Str),
    field("description", "description", Kind::Str),
    field("user_filter", "userFilter", Kind::Str),
    field("external_id", "externalId", Kind::Str),
];

/// The schema, following the official Terraform provider.
pub fn schema() -> BlockSchema {
    use Presence::{Optional, Required};
    BlockSchema::default()
        .attr("id", id_attr("The group's ID."))
        .attr(
            "environment_id",
            link_attr("The environment that holds the group."),
        )
        .attr("name", string(Required, "The group's name."))
        .attr("description", string(Optional, "A description."))
        .attr(
            "population_id",
            string(Optional, "The population the group belongs to.").force_new(),
        )
        .attr(
            "user_filter",
            string(Optional, "A SCIM filter for dynamic membership."),
        )
        .attr(
            "external_id",
            string(Optional, "An ID in an external system."),
        )
        .attr(
            "custom_data",
            string(Optional, "Custom data as a JSON string."),
        )
}

/// The body of POST and the full-replace PUT.
pub fn to_body(planned: &Value) -> Result<serde_json::Value, String> {
    let mut body = Map::new();
    required_string(planned, "name")?;
    to_json(planned, PLAIN, IfUnknown::Refuse, &mut body)?;
    if let Some(population) = opt_string(planned, "population_id", IfUnknown::Refuse)? {
        body.insert("population".into(), json!({ "id": population }));
    }
    if let Some(data) = opt_string(planned, "custom_data", IfUnknown::Refuse)? {
        let parsed: serde_json::Value =
            serde_json::from_str(&data).map_err(|e| format!("custom_data is not JSON: {e}"))?;
        body.insert("customData".into(), parsed);
    }
    Ok(serde_json::Value::Object(body))
}

/// The group's attributes from PingOne's JSON. `custom_data` keeps the configured
/// spelling when it means the same JSON (Terraform's semantic JSON equality).
pub fn from_api(api: &serde_json::Value, basis: &Value) -> Result<Value, String> {
    let id = json_string(api, "/id");
    if id.is_null() {
        return Err("PingOne's answer has no group id".to_string());
    }
    let mut pairs = from_json(api, PLAIN);
    pairs.extend([
        ("id".to_string(), id),
        ("environment_id".to_string(), environment_id(api, basis)),
        (
            "population_id".to_string(),
            json_string(api, "/population/id"),
        ),
        (
            "custom_data".to_string(),
            custom_data(api.get("customData"), basis),
        ),
    ]);
    Ok(object_from_pairs(pairs))
}

fn custom_data(live: Option<&serde_json::Value>, basis: &Value) -> Value {
    let Some(live) = live.filter(|v| !v.is_null()) else {
        return Value::Null;
    };
    if let Some(text) = basis.get("custom_data").and_then(Value::as_str)
        && serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .as_ref()
            == Some(live)
    {
        return Value::from(text);
    }
    Value::from(live.to_string().as_str())
}

pub(crate) fn environment_id(api: &serde_json::Value, basis: &Value) -> Value {
    match basis.get("environment_id") {
        Some(env @ Value::String(_)) => env.clone(),
        _ => json_string(api, "/environment/id"),
    }
}

/// The `pingone_group` resource type.
pub(crate) struct Group;

#[async_trait]
impl Resource for Group {
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
        read_in_environment(client, TYPE_NAME, objects, PLURAL, from_api).await
    }

    async fn create(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let body = |p: &Value| to_body(p);
        create_in_environment(client, address, planned, PLURAL, body, from_api).await
    }

    async fn update(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let body = |p: &Value| to_body(p);
        replace_in_environment(client, address, prior, planned, PLURAL, body, from_api).await
    }

    async fn delete(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
    ) -> Result<(), ProviderError> {
        delete_in_environment(client, address, prior, PLURAL).await
    }

    /// A group's natural key is (population, name) in its environment.
    async fn find(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Found, ProviderError> {
        let operation = format!("find {address} by name");
        let env = required_string(planned, "environment_id").map_err(|e| invalid(&operation, e))?;
        let name = required_string(planned, "name").map_err(|e| invalid(&operation, e))?;
        let population = opt_string(planned, "population_id", IfUnknown::Omit)
            .ok()
            .flatten();
        let filter = format!("name eq \"{}\"", super::user::scim_escape(&name));
        let items = match client
            .list_all_filtered(&["environments", &env, PLURAL], PLURAL, &filter)
            .await
        {
            Ok(items) => items,
            Err(e) => {
                return environment_gone(client, &env, e, &operation)
                    .await
                    .map(|()| Found::Nothing);
            }
        };
        let found = items.iter().find(|g| {
            g.get("name").and_then(serde_json::Value::as_str) == Some(name.as_str())
                && g.pointer("/population/id")
                    .and_then(serde_json::Value::as_str)
                    == population.as_deref()
        });
        match found {
            Some(g) => from_api(g, planned)
                .map(Found::Object)
                .map_err(|e| api_shape_error(&operation, e)),
            None => Ok(Found::Nothing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::{object, with_attr};

    fn planned() -> Value {
        object([
            ("id", Value::Unknown),
            ("environment_id", "env".into()),
            ("name", "admins".into()),
            ("description", Value::Null),
            ("population_id", Value::Null),
            ("user_filter", Value::Null),
            ("external_id", Value::Null),
            ("custom_data", Value::Null),
        ])
    }

    #[test]
    fn schema_matches_the_terraform_provider() {
        let s = schema();
        assert_eq!(s.attributes.len(), 8);
        assert!(
            s.attributes["population_id"].force_new && s.attributes["environment_id"].force_new
        );
        assert!(!s.attributes["name"].force_new);
    }

    #[test]
    fn body_and_back() {
        let v = with_attr(
            with_attr(planned(), "population_id", "p1".into()),
            "custom_data",
            r#"{ "a": 1 }"#.into(),
        );
        let body = to_body(&v).unwrap();
        assert_eq!(
            body,
            json!({"name": "admins", "population": {"id": "p1"}, "customData": {"a": 1}})
        );
        let mut api = body.clone();
        api["id"] = json!("g1");
        let back = from_api(&api, &v).unwrap();
        // The configured spelling is kept when the JSON means the same.
        assert_eq!(back.get("custom_data"), Some(&Value::from(r#"{ "a": 1 }"#)));
        assert_eq!(back.get("population_id"), Some(&Value::from("p1")));
        assert_eq!(back.get("environment_id"), Some(&Value::from("env")));
        let bad = with_attr(planned(), "custom_data", "{".into());
        assert!(to_body(&bad).unwrap_err().contains("custom_data"));
    }

    #[test]
    fn changed_custom_data_is_reported_in_pingone_form() {
        let v = with_attr(planned(), "custom_data", r#"{"a":1}"#.into());
        let back = from_api(&json!({"id": "g", "customData": {"a": 2}}), &v).unwrap();
        assert_eq!(back.get("custom_data"), Some(&Value::from(r#"{"a":2}"#)));
    }
}
