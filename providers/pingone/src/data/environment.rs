//! `pingone_environment` and `pingone_environments` (TERRAFORM-PROVIDER.md §4; API.md §2).
//!
//! By name: `GET /environments?filter=name sw "<name>"` (PingOne filters environment
//! names by prefix only), then the first case-insensitively equal name. The attributes
//! are the `pingone_environment` resource's, read the same way.

use async_trait::async_trait;
use engine::Value;
use engine::provider::{BlockSchema, Presence, ProviderError};

use super::DataSource;
use super::arguments::{
    api_error, exactly_one_of, get_or, has_name, not_found, operation, optional, required,
};
use super::filters::ids;
use super::schema::{computed_string, lookup_key, results_of, scim_filter};
use crate::client::Client;
use crate::resources::common::api_shape_error;
use crate::resources::environment::{bill_of_materials_of, from_api};
use crate::resources::user::scim_escape;
use crate::values::{object, with_attr};

/// The singular data source's name.
pub const TYPE_NAME: &str = "pingone_environment";
/// The plural data source's name.
pub const PLURAL_TYPE_NAME: &str = "pingone_environments";

const PLURAL: &str = "environments";

/// The singular schema: the resource's attributes, read, and the two lookup keys.
pub fn schema() -> BlockSchema {
    results_of(crate::resources::environment::schema(), &[])
        .attr(
            "environment_id",
            lookup_key("The environment's ID; set exactly one of environment_id and name."),
        )
        .attr(
            "name",
            lookup_key("The environment's name; set exactly one of environment_id and name."),
        )
}

/// The `pingone_environment` data source.
pub(crate) struct Environment;

#[async_trait]
impl DataSource for Environment {
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
        let env = match exactly_one_of(address, config, &["environment_id", "name"])? {
            "environment_id" => {
                let id = required(address, config, "environment_id")?;
                get_or(client, address, &[PLURAL, &id], || {
                    not_found(
                        address,
                        "Cannot find environment from ID",
                        format!("The environment {id:?} cannot be found"),
                    )
                })
                .await?
            }
            _ => {
                let name = optional(address, config, "name")?.unwrap_or_default();
                by_name(client, address, &name).await?
            }
        };
        let operation = operation(address);
        let bom = bill_of_materials_of(client, &env, &operation).await?;
        let value = from_api(&env, &bom).map_err(|e| api_shape_error(&operation, e))?;
        let id = value.get("id").cloned().unwrap_or(Value::Null);
        Ok(with_attr(value, "environment_id", id))
    }
}

/// The first environment whose name equals `name` ignoring case.
async fn by_name(
    client: &Client,
    address: &str,
    name: &str,
) -> Result<serde_json::Value, ProviderError> {
    let filter = format!("name sw \"{}\"", scim_escape(name));
    let found = client
        .list_all_with(
            &[PLURAL],
            PLURAL,
            &[("filter", &filter), ("expand", "billOfMaterials")],
        )
        .await
        .map_err(|e| api_error(address, e))?;
    found
        .into_iter()
        .find(|e| has_name(e, "name", name, true))
        .ok_or_else(|| {
            not_found(
                address,
                "Cannot find environment from name",
                format!("The environment {name:?} cannot be found"),
            )
        })
}

/// The `pingone_environments` data source: the IDs a SCIM filter selects.
pub(crate) struct Environments;

#[async_trait]
impl DataSource for Environments {
    fn type_name(&self) -> &'static str {
        PLURAL_TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        BlockSchema::default()
            .attr(
                "id",
                computed_string(
                    "Always \"environments\" (not a PingOne ID; Terraform sets a random one each read).",
                ),
            )
            .attr(
                "scim_filter",
                scim_filter(
                    Presence::Required,
                    "A SCIM filter: sw on name; eq on id, organization.id, license.id; and.",
                ),
            )
            .attr("ids", super::schema::ids("The selected environments' IDs."))
    }

    async fn read(
        &self,
        client: &Client,
        address: &str,
        config: &Value,
    ) -> Result<Value, ProviderError> {
        let filter = required(address, config, "scim_filter")?;
        let found = client
            .list_all_filtered(&[PLURAL], PLURAL, &filter)
            .await
            .map_err(|e| api_error(address, e))?;
        Ok(object([
            ("id", Value::from(PLURAL)),
            ("scim_filter", Value::from(filter)),
            ("ids", ids(&found)),
        ]))
    }
}
