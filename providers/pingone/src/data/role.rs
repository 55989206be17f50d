//! `pingone_role` and `pingone_roles`: the built-in admin roles, organization-wide
//! (TERRAFORM-PROVIDER.md §4; API.md §5.1, `GET /roles`).
//!
//! PingOne publishes no fixed role IDs, so configurations look roles up by name: all
//! pages of `GET /roles`, first exact match, as the official provider does.

use async_trait::async_trait;
use engine::Value;
use engine::provider::{AttrType, BlockSchema, ProviderError};

use super::DataSource;
use super::arguments::{
    api_error, exactly_one_of, get_or, has_name, invalid_argument, not_found, optional,
};
use super::filters::ids;
use super::schema::{computed, computed_string, lookup_key};
use crate::client::Client;
use crate::values::{json_string, json_string_list, object};

/// The singular data source's name.
pub const TYPE_NAME: &str = "pingone_role";
/// The plural data source's name.
pub const PLURAL_TYPE_NAME: &str = "pingone_roles";

/// The role names the official provider accepts (`EnumRoleName`, API.md §5.1).
pub const ROLE_NAMES: &[&str] = &[
    "Advanced Identity Cloud Super Admin",
    "Advanced Identity Cloud Tenant Admin",
    "Application Owner",
    "Authorize Gateway Policy Evaluator",
    "Client Application Developer",
    "Configuration Read Only",
    "Custom Roles Admin",
    "DaVinci Admin",
    "DaVinci Admin Read Only",
    "Environment Admin",
    "Help Desk Admin",
    "Identity Data Admin",
    "Identity Data Read Only",
    "Organization Admin",
    "PingFederate Administrator",
    "PingFederate Auditor",
    "PingFederate Crypto Administrator",
    "PingFederate Expression Administrator",
    "PingFederate User Administrator",
];

const PLURAL: &str = "roles";

/// The singular schema.
pub fn schema() -> BlockSchema {
    let permission = AttrType::Object(
        ["id", "classifier", "description"]
            .iter()
            .map(|k| (k.to_string(), AttrType::String))
            .collect(),
    );
    BlockSchema::default()
        .attr("id", computed_string("The role's ID."))
        .attr(
            "role_id",
            lookup_key("The role's ID; set exactly one of role_id and name."),
        )
        .attr(
            "name",
            lookup_key("The role's name, such as \"Identity Data Admin\"; set exactly one of role_id and name."),
        )
        .attr("description", computed_string("The role's description."))
        .attr(
            "applicable_to",
            computed(
                AttrType::Set(Box::new(AttrType::String)),
                "The scopes it can be granted over: ORGANIZATION, ENVIRONMENT, POPULATION, APPLICATION.",
            ),
        )
        .attr(
            "permissions",
            computed(
                AttrType::Set(Box::new(permission)),
                "What the role may do: [{ id, classifier, description }, ...].",
            ),
        )
}

/// The singular data source's attributes from PingOne's role.
pub fn from_api(api: &serde_json::Value) -> Value {
    let permissions = api
        .get("permissions")
        .and_then(serde_json::Value::as_array)
        .map(|items| {
            Value::List(
                items
                    .iter()
                    .map(|p| {
                        object([
                            ("id", json_string(p, "/id")),
                            ("classifier", json_string(p, "/classifier")),
                            ("description", json_string(p, "/description")),
                        ])
                    })
                    .collect(),
            )
        })
        .unwrap_or(Value::Null);
    object([
        ("id", json_string(api, "/id")),
        ("role_id", json_string(api, "/id")),
        ("name", json_string(api, "/name")),
        ("description", json_string(api, "/description")),
        ("applicable_to", json_string_list(api, "/applicableTo")),
        ("permissions", permissions),
    ])
}

/// The `pingone_role` data source.
pub(crate) struct Role;

#[async_trait]
impl DataSource for Role {
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
        let role = match exactly_one_of(address, config, &["role_id", "name"])? {
            "role_id" => {
                let id = optional(address, config, "role_id")?.unwrap_or_default();
                get_or(client, address, &[PLURAL, &id], || {
                    not_found(
                        address,
                        "Cannot find role from ID",
                        format!("The role {id:?} cannot be found"),
                    )
                })
                .await?
            }
            _ => {
                let name = optional(address, config, "name")?.unwrap_or_default();
                by_name(client, address, &name).await?
            }
        };
        Ok(from_api(&role))
    }
}

/// The first role named exactly `name`, from every page of `GET /roles`.
async fn by_name(
    client: &Client,
    address: &str,
    name: &str,
) -> Result<serde_json::Value, ProviderError> {
    if !ROLE_NAMES.contains(&name) {
        return Err(invalid_argument(
            address,
            format!(
                "name {name:?} is not a PingOne role; use one of: {}",
                ROLE_NAMES.join(", ")
            ),
        ));
    }
    let roles = client
        .list_all(&[PLURAL], PLURAL)
        .await
        .map_err(|e| api_error(address, e))?;
    roles
        .into_iter()
        .find(|r| has_name(r, "name", name, false))
        .ok_or_else(|| {
            not_found(
                address,
                "Cannot find role from name",
                format!("The role {name:?} cannot be found"),
            )
        })
}

/// The `pingone_roles` data source: every role's ID.
pub(crate) struct Roles;

#[async_trait]
impl DataSource for Roles {
    fn type_name(&self) -> &'static str {
        PLURAL_TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        BlockSchema::default()
            .attr(
                "id",
                computed_string(
                    "Always \"roles\" (not a PingOne ID; Terraform sets a random one each read).",
                ),
            )
            .attr("ids", super::schema::ids("The IDs of all roles."))
    }

    async fn read(
        &self,
        client: &Client,
        address: &str,
        _config: &Value,
    ) -> Result<Value, ProviderError> {
        let roles = client
            .list_all(&[PLURAL], PLURAL)
            .await
            .map_err(|e| api_error(address, e))?;
        Ok(object([("id", Value::from(PLURAL)), ("ids", ids(&roles))]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_schema_attribute_from_a_role() {
        let api = serde_json::json!({
            "id": "r1", "name": "Identity Data Admin", "description": "d",
            "applicableTo": ["ENVIRONMENT", "POPULATION"],
            "permissions": [{"id": "users:read", "classifier": "users:read", "description": "Read users"}],
        });
        let v = from_api(&api);
        let schema = schema();
        let keys: Vec<&String> = schema.attributes.keys().collect();
        let got: Vec<&String> = match &v {
            Value::Object(m) => m.keys().collect(),
            _ => vec![],
        };
        assert_eq!(keys, got);
        assert_eq!(v.get("role_id"), Some(&Value::from("r1")));
        assert!(v.is_wholly_known());
    }
}
