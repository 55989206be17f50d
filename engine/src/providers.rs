//! The providers a run uses, by name, and their configuration from `provider` blocks.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::Value;
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::eval::{Scope, evaluate_body};
use crate::provider::{BlockSchema, Provider, ProviderError, ProviderSchema};

/// The providers available to a run, keyed by name (`pingone`).
#[derive(Clone, Default)]
pub struct Providers {
    by_name: BTreeMap<String, Arc<dyn Provider>>,
}

/// Why the providers could not be configured.
#[derive(Debug, thiserror::Error)]
pub enum ConfigureError {
    /// A `provider` block did not evaluate.
    #[error("the provider configuration is invalid")]
    Invalid(Diagnostics),
    /// A provider refused its configuration.
    #[error("provider `{name}`: {source}")]
    Provider {
        /// The provider's name.
        name: String,
        /// What it reported.
        #[source]
        source: ProviderError,
    },
}

impl Providers {
    /// Registers a provider under its own name.
    pub fn add(&mut self, provider: Arc<dyn Provider>) {
        self.by_name.insert(provider.name().to_string(), provider);
    }

    /// The names of every registered provider.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// The provider called `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn Provider>> {
        self.by_name.get(name)
    }

    /// The schemas of every provider, by provider name (for validation).
    pub fn schemas(&self) -> BTreeMap<String, ProviderSchema> {
        self.by_name
            .iter()
            .map(|(name, p)| (name.clone(), p.schema().clone()))
            .collect()
    }

    /// The schema of a resource type, looked up through its provider prefix.
    pub fn resource_schema(&self, type_name: &str) -> Option<&BlockSchema> {
        let provider = type_name.split_once('_').map_or(type_name, |(p, _)| p);
        self.get(provider)?.schema().resources.get(type_name)
    }

    /// The schema of the block at `address`: a resource type or a data source.
    pub fn block_schema(&self, address: &crate::ResourceAddress) -> Option<&BlockSchema> {
        let provider = self.get(address.provider_name())?;
        provider.schema().block(address.mode, &address.type_name)
    }

    /// Evaluates each provider's block (null when there is none) and hands it to
    /// the provider. Every registered provider is configured once.
    pub async fn configure(
        &self,
        config: &Config,
        variables: &BTreeMap<String, Value>,
    ) -> Result<(), ConfigureError> {
        let resources = BTreeMap::new();
        let scope = Scope::new(variables, &resources).with_config(config);
        for (name, provider) in &self.by_name {
            let block = config.providers.iter().find(|b| &b.name == name);
            let value = match block {
                Some(block) => {
                    evaluate_body(&block.body, &scope).map_err(ConfigureError::Invalid)?
                }
                None => Value::Null,
            };
            // Providers work on plain values; marks only matter for what pingform shows.
            let (value, _) = value.unmark_deep();
            provider
                .configure(&value)
                .await
                .map_err(|source| ConfigureError::Provider {
                    name: name.clone(),
                    source,
                })?;
        }
        Ok(())
    }
}
