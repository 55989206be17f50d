//! `pingone_user` and `pingone_users` (TERRAFORM-PROVIDER.md §4; API.md §4).
//!
//! One user by `user_id`, `username` or `email`: `GET …/users?filter=<key> eq "<value>"`,
//! as the official provider does. Where it silently takes the first of several users
//! sharing an email address, pingform says so instead. The attributes are the
//! `pingone_user` resource's (without the write-only `password`) plus `email_verified`.

use async_trait::async_trait;
use engine::Value;
use engine::provider::{AttrType, BlockSchema, Presence, ProviderError};

use super::DataSource;
use super::arguments::{
    api_error, exactly_one_of, invalid_argument, not_found, operation, required,
};
use super::filters::{ids, selection, with_arguments};
use super::schema::{
    computed, data_filters, lookup_key, required as required_attr, results_of, scim_filter,
};
use crate::client::Client;
use crate::resources::common::api_shape_error;
use crate::resources::user::{from_api, scim_escape};
use crate::values::{json_bool, json_string, object};

/// The singular data source's name.
pub const TYPE_NAME: &str = "pingone_user";
/// The plural data source's name.
pub const PLURAL_TYPE_NAME: &str = "pingone_users";

const PLURAL: &str = "users";

/// What `data_filters` of `pingone_users` may name (the official provider's list).
pub const FILTERABLE: &[&str] = &[
    "accountId",
    "address.streetAddress",
    "address.locality",
    "address.region",
    "address.postalCode",
    "address.countryCode",
    "email",
    "enabled",
    "endDate",
    "externalId",
    "locale",
    "mobilePhone",
    "name.given",
    "name.family",
    "name.middle",
    "name.honorificPrefix",
    "name.honorificSuffix",
    "name.formatted",
    "nickname",
    "population.id",
    "photo.href",
    "preferredLanguage",
    "primaryPhone",
    "startDate",
    "timezone",
    "title",
    "type",
    "username",
    "memberOfGroups.id",
];

/// The lookup keys and the SCIM attribute each filters on.
const KEYS: &[(&str, &str)] = &[
    ("user_id", "id"),
    ("username", "username"),
    ("email", "email"),
];

/// The singular schema.
pub fn schema() -> BlockSchema {
    results_of(crate::resources::user::schema(), &["password"])
        .attr(
            "environment_id",
            required_attr("The environment that holds the user."),
        )
        .attr(
            "user_id",
            lookup_key("The user's ID; set exactly one of user_id, username and email."),
        )
        .attr(
            "username",
            lookup_key("The username; set exactly one of user_id, username and email."),
        )
        .attr(
            "email",
            lookup_key("The email address; set exactly one of user_id, username and email."),
        )
        .attr(
            "email_verified",
            computed(AttrType::Bool, "Whether the email address is verified."),
        )
}

/// The `pingone_user` data source.
pub(crate) struct User;

#[async_trait]
impl DataSource for User {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        schema()
    }

    async fn read(
        &self,
        client: &Client,
        address: &str,
        config: &Value,
    ) -> Result<Value, ProviderError> {
        let env = required(address, config, "environment_id")?;
        let names: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
        let key = exactly_one_of(address, config, &names)?;
        let wanted = required(address, config, key)?;
        let scim_attr = KEYS
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("id", |(_, a)| *a);
        let filter = format!("{scim_attr} eq \"{}\"", scim_escape(&wanted));
        let mut found = client
            .list_all_filtered(&["environments", &env, PLURAL], PLURAL, &filter)
            .await
            .map_err(|e| api_error(address, e))?;
        if found.len() > 1 {
            return Err(invalid_argument(
                address,
                format!(
                    "{} users have {key} {wanted:?}; look the user up by user_id or username instead",
                    found.len()
                ),
            ));
        }
        let Some(mut user) = found.pop() else {
            return Err(not_found(
                address,
                "Cannot find user",
                "Cannot find the requested user from the provided values. Please check the \
                 user_id, username or email parameters.",
            ));
        };
        if user.get("enabled").is_none() {
            user = with_enabled(client, address, &env, user).await?;
        }
        data_from_api(&user, &env).map_err(|e| api_shape_error(&operation(address), e))
    }
}

/// PingOne may leave `enabled` out of a listed user: `GET …/users/{id}/enabled`.
async fn with_enabled(
    client: &Client,
    address: &str,
    env: &str,
    mut user: serde_json::Value,
) -> Result<serde_json::Value, ProviderError> {
    let id = user
        .get("id")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string();
    let answer = client
        .get(&["environments", env, PLURAL, &id, "enabled"])
        .await
        .map_err(|e| api_error(address, e))?;
    if let (Some(map), Some(enabled)) = (user.as_object_mut(), answer.get("enabled")) {
        map.insert("enabled".into(), enabled.clone());
    }
    Ok(user)
}

/// The singular data source's attributes from PingOne's user.
pub fn data_from_api(api: &serde_json::Value, env: &str) -> Result<Value, String> {
    let basis = object([("environment_id", Value::from(env))]);
    let Value::Object(mut attrs) = from_api(api, &basis)? else {
        return Err("the user is not an object".to_string());
    };
    attrs.remove("password");
    attrs.insert("user_id".into(), json_string(api, "/id"));
    attrs.insert("email_verified".into(), json_bool(api, "/emailVerified"));
    Ok(Value::Object(attrs))
}

/// The `pingone_users` data source: the IDs a filter selects in an environment.
pub(crate) struct Users;

#[async_trait]
impl DataSource for Users {
    fn type_name(&self) -> &'static str {
        PLURAL_TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        BlockSchema::default()
            .attr("id", super::schema::computed_string("The environment's ID."))
            .attr(
                "environment_id",
                required_attr("The environment that holds the users."),
            )
            .attr(
                "scim_filter",
                scim_filter(
                    Presence::Optional,
                    "A SCIM filter, such as population.id eq \"...\"; set exactly one of scim_filter and data_filters.",
                ),
            )
            .attr(
                "data_filters",
                data_filters("[{ name = \"population.id\", values = [...] }, ...]; set exactly one of scim_filter and data_filters."),
            )
            .attr("ids", super::schema::ids("The selected users' IDs."))
    }

    async fn read(
        &self,
        client: &Client,
        address: &str,
        config: &Value,
    ) -> Result<Value, ProviderError> {
        let env = required(address, config, "environment_id")?;
        let filter = selection(address, config, FILTERABLE)?.scim();
        let found = client
            .list_all_filtered(&["environments", &env, PLURAL], PLURAL, &filter)
            .await
            .map_err(|e| api_error(address, e))?;
        Ok(with_arguments(
            config,
            ("environment_id", &env),
            ids(&found),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_user_fills_every_schema_attribute() {
        let api = serde_json::json!({
            "id": "u1", "username": "ada", "email": "ada@example.com", "enabled": true,
            "population": {"id": "p1"}, "name": {"given": "Ada"},
        });
        let v = data_from_api(&api, "e1").unwrap();
        let Value::Object(attrs) = &v else {
            panic!("not an object: {v}")
        };
        let mut keys: Vec<&String> = attrs.keys().collect();
        keys.sort();
        let schema = schema();
        let wanted: Vec<&String> = schema.attributes.keys().collect();
        assert_eq!(keys, wanted);
        assert!(v.is_wholly_known());
        assert_eq!(v.get("user_id"), Some(&Value::from("u1")));
        assert_eq!(v.get("environment_id"), Some(&Value::from("e1")));
        assert_eq!(
            v.get("name").and_then(|n| n.get("given")),
            Some(&Value::from("Ada"))
        );
    }
}
