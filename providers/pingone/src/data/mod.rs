//! The data sources the provider reads, one module per family, and their registry
//! (TERRAFORM-PROVIDER.md §4).
//!
//! A data source implements [`DataSource`]: its schema (arguments required or optional,
//! results computed) and one read against a configured [`Client`]. The engine never
//! stores what they return, so each plan (and `pingform output`) reads them again.
//! [`arguments`] holds the argument rules they share (ExactlyOneOf, "not found"),
//! [`filters`] the `scim_filter` / `data_filters` selection of the plural ones.

pub mod application_secret;
pub(crate) mod arguments;
pub mod environment;
pub(crate) mod filters;
pub mod licenses;
pub mod organization;
pub mod population;
pub mod role;
pub(crate) mod schema;
pub mod user;

use std::collections::BTreeMap;

use async_trait::async_trait;
use engine::Value;
use engine::provider::{BlockSchema, ProviderError, ProviderErrorKind};

use crate::client::Client;

/// One data source type.
#[async_trait]
pub(crate) trait DataSource: Send + Sync {
    /// The type's name, such as `pingone_role`.
    fn type_name(&self) -> &'static str;

    /// The type's arguments and results.
    fn schema(&self) -> BlockSchema;

    /// Reads it: every attribute of the schema, all known. `address` (such as
    /// `data.pingone_role.admin`) names it in errors; `config` holds the arguments.
    async fn read(
        &self,
        client: &Client,
        address: &str,
        config: &Value,
    ) -> Result<Value, ProviderError>;
}

/// Every data source type, by name.
pub(crate) struct DataSources {
    by_name: BTreeMap<&'static str, Box<dyn DataSource>>,
}

impl DataSources {
    /// The registry of all data sources this provider offers.
    pub(crate) fn new() -> Self {
        let all: Vec<Box<dyn DataSource>> = vec![
            Box::new(role::Role),
            Box::new(role::Roles),
            Box::new(environment::Environment),
            Box::new(environment::Environments),
            Box::new(population::Population),
            Box::new(population::Populations),
            Box::new(user::User),
            Box::new(user::Users),
            Box::new(licenses::Licenses),
            Box::new(organization::Organization),
            Box::new(application_secret::ApplicationSecret),
        ];
        Self {
            by_name: all.into_iter().map(|d| (d.type_name(), d)).collect(),
        }
    }

    /// The data source called `name`.
    pub(crate) fn get(&self, name: &str) -> Result<&dyn DataSource, ProviderError> {
        self.by_name.get(name).map(AsRef::as_ref).ok_or_else(|| {
            ProviderError::new(
                ProviderErrorKind::Configuration,
                format!(
                    "the pingone provider has no data source {name:?}; it offers {}",
                    self.by_name.keys().copied().collect::<Vec<_>>().join(", ")
                ),
            )
        })
    }

    /// Every data source's schema, by name.
    pub(crate) fn schemas(&self) -> BTreeMap<String, BlockSchema> {
        self.by_name
            .iter()
            .map(|(name, d)| (name.to_string(), d.schema()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use engine::provider::Presence;

    use super::*;

    #[test]
    fn offers_the_eleven_data_sources_of_the_issue() {
        let all = DataSources::new();
        let names: Vec<&str> = all.by_name.keys().copied().collect();
        assert_eq!(
            names,
            [
                "pingone_application_secret",
                "pingone_environment",
                "pingone_environments",
                "pingone_licenses",
                "pingone_organization",
                "pingone_population",
                "pingone_populations",
                "pingone_role",
                "pingone_roles",
                "pingone_user",
                "pingone_users",
            ]
        );
        let err = all.get("pingone_widget").err().map(|e| e.message);
        assert!(
            err.as_deref()
                .is_some_and(|m| m.contains("pingone_widget") && m.contains("pingone_role")),
            "{err:?}"
        );
    }

    #[test]
    fn every_schema_has_results_and_only_secrets_are_sensitive() {
        for (name, schema) in DataSources::new().schemas() {
            assert!(
                schema
                    .attributes
                    .values()
                    .any(|a| a.presence == Presence::Computed),
                "{name} reads nothing"
            );
            for (attr, s) in &schema.attributes {
                let secret = name == "pingone_application_secret"
                    && (attr == "secret" || attr == "previous");
                assert_eq!(s.sensitive, secret, "{name}.{attr}");
                assert!(!s.force_new && !s.write_only, "{name}.{attr}");
            }
        }
    }
}
