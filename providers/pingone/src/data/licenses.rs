//! `pingone_licenses`: the IDs of an organization's licenses (API.md §2.2, "Licenses";
//! `GET /organizations/{id}/licenses`).
//!
//! A `scim_filter` goes to PingOne; `data_filters` are applied to every listed license
//! on pingform's side, as the official provider does, comparing values exactly.

use async_trait::async_trait;
use engine::Value;
use engine::provider::{BlockSchema, Presence, ProviderError};

use super::DataSource;
use super::arguments::{api_error, required};
use super::filters::{Selection, accepts, ids, selection, with_arguments};
use super::schema::{computed_string, data_filters, required as required_attr, scim_filter};
use crate::client::Client;

/// The data source's name.
pub const TYPE_NAME: &str = "pingone_licenses";

const PLURAL: &str = "licenses";

/// What `scim_filter` and `data_filters` may name.
pub const FILTERABLE: &[&str] = &["name", "package", "status"];

/// The schema, following the official provider.
pub fn schema() -> BlockSchema {
    BlockSchema::default()
        .attr("id", computed_string("The organization's ID."))
        .attr(
            "organization_id",
            required_attr("The organization whose licenses to list."),
        )
        .attr(
            "scim_filter",
            scim_filter(
                Presence::Optional,
                "A SCIM filter on name, package and status (ACTIVE, EXPIRED, FUTURE, TERMINATED); set exactly one of scim_filter and data_filters.",
            ),
        )
        .attr(
            "data_filters",
            data_filters("[{ name = \"name\" | \"package\" | \"status\", values = [...] }]; set exactly one of scim_filter and data_filters."),
        )
        .attr("ids", super::schema::ids("The selected licenses' IDs."))
}

/// The `pingone_licenses` data source.
pub(crate) struct Licenses;

#[async_trait]
impl DataSource for Licenses {
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
        let org = required(address, config, "organization_id")?;
        let segments = ["organizations", org.as_str(), PLURAL];
        let found = match selection(address, config, FILTERABLE)? {
            Selection::Scim(filter) => client.list_all_filtered(&segments, PLURAL, &filter).await,
            Selection::Filters(filters) => client.list_all(&segments, PLURAL).await.map(|all| {
                all.into_iter()
                    .filter(|l| accepts(&filters, |k| Some(l.get(k)?.as_str()?.to_string())))
                    .collect()
            }),
        }
        .map_err(|e| api_error(address, e))?;
        Ok(with_arguments(
            config,
            ("organization_id", &org),
            ids(&found),
        ))
    }
}
