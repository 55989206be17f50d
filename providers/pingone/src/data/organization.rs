//! `pingone_organization`: the organization the worker belongs to (API.md §2.2;
//! `GET /organizations`), by ID or by exact name over every page of the list (the
//! official provider looks names up this way, IDs with `GET /organizations/{id}`).

use async_trait::async_trait;
use engine::Value;
use engine::provider::{AttrType, BlockSchema, ProviderError};

use super::DataSource;
use super::arguments::{api_error, exactly_one_of, has_name, not_found, required};
use super::schema::{computed, computed_string, lookup_key};
use crate::client::Client;
use crate::values::{json_string, object};

/// The data source's name.
pub const TYPE_NAME: &str = "pingone_organization";

const PLURAL: &str = "organizations";

/// The schema, following the official provider.
pub fn schema() -> BlockSchema {
    BlockSchema::default()
        .attr("id", computed_string("The organization's ID."))
        .attr(
            "organization_id",
            lookup_key("The organization's ID; set exactly one of organization_id and name."),
        )
        .attr(
            "name",
            lookup_key("The organization's name; set exactly one of organization_id and name."),
        )
        .attr("description", computed_string("A description."))
        .attr("type", computed_string("PAID, TRIAL or INTERNAL."))
        .attr(
            "billing_connection_ids",
            computed(
                AttrType::Set(Box::new(AttrType::String)),
                "The IDs of the organization's billing connections.",
            ),
        )
}

/// The attributes from PingOne's organization.
pub fn from_api(api: &serde_json::Value) -> Value {
    let billing = match api
        .get("billingConnections")
        .and_then(serde_json::Value::as_array)
    {
        Some(items) => Value::List(
            items
                .iter()
                .filter_map(|b| b.get("id")?.as_str())
                .map(Value::from)
                .collect(),
        ),
        None => Value::Null,
    };
    object([
        ("id", json_string(api, "/id")),
        ("organization_id", json_string(api, "/id")),
        ("name", json_string(api, "/name")),
        ("description", json_string(api, "/description")),
        ("type", json_string(api, "/type")),
        ("billing_connection_ids", billing),
    ])
}

/// The `pingone_organization` data source.
pub(crate) struct Organization;

#[async_trait]
impl DataSource for Organization {
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
        let key = exactly_one_of(address, config, &["organization_id", "name"])?;
        let wanted = required(address, config, key)?;
        // The list holds only the organizations the worker may see, so a wrong ID is
        // "not found" at once (a GET answers 403, which the client retries for a while
        // in case permissions are still propagating).
        let (json_key, what) = match key {
            "organization_id" => ("id", "ID"),
            _ => ("name", "name"),
        };
        let found = client
            .list_all(&[PLURAL], PLURAL)
            .await
            .map_err(|e| api_error(address, e))?
            .into_iter()
            .find(|o| has_name(o, json_key, &wanted, false))
            .ok_or_else(|| {
                not_found(
                    address,
                    &format!("Cannot find organization from {what}"),
                    format!("The organization {wanted:?} cannot be found"),
                )
            })?;
        Ok(from_api(&found))
    }
}
