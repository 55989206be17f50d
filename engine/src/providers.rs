//! The providers a run uses, by name, and their configurations from `provider`
//! blocks: the default one of each provider and any aliased ones
//! (`provider "pingone" { alias = "eu" }`), each its own provider instance with
//! its own credentials, client, token and rate limit.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::Value;
use crate::config::{Config, ProviderBlock, ResourceBlock};
use crate::diagnostics::Diagnostics;
use crate::eval::{Scope, evaluate_body};
use crate::provider::{BlockSchema, Provider, ProviderError, ProviderErrorKind, ProviderSchema};
use crate::provider_config::ProviderConfigRef;

/// The providers available to a run: per provider name, the instance that
/// serves its default configuration, and an instance per aliased configuration.
#[derive(Clone, Default)]
pub struct Providers {
    by_name: BTreeMap<String, Arc<dyn Provider>>,
    aliased: BTreeMap<ProviderConfigRef, Arc<dyn Provider>>,
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
        /// The provider configuration, such as `pingone` or `pingone.eu`.
        name: String,
        /// What it reported.
        #[source]
        source: ProviderError,
    },
}

/// Why no provider instance serves a configuration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    /// No provider of that name is registered.
    #[error("no provider `{0}` is available")]
    UnknownProvider(String),
    /// State records an object managed by an aliased configuration that the
    /// configuration no longer declares.
    #[error(
        "`{address}` is managed by the provider configuration `{reference}`, which the \
         configuration no longer declares; keep its `provider \"{name}\" {{ alias = \"{alias}\" \
         ... }}` block until the objects it manages are destroyed (or moved to another \
         configuration with `pingform state rm` and `pingform import`)"
    )]
    Undeclared {
        /// The object in state.
        address: String,
        /// The configuration recorded for it.
        reference: ProviderConfigRef,
        /// The provider's name.
        name: String,
        /// The alias.
        alias: String,
    },
    /// The text recorded in state is not a provider configuration.
    #[error("`{address}` records the provider `{recorded}`, which is not NAME or NAME.ALIAS")]
    Unreadable {
        /// The object in state.
        address: String,
        /// What state records.
        recorded: String,
    },
}

impl Providers {
    /// Registers a provider under its own name; it serves the provider's default
    /// configuration, and makes the instances of its aliased ones.
    pub fn add(&mut self, provider: Arc<dyn Provider>) {
        self.by_name.insert(provider.name().to_string(), provider);
    }

    /// Sets the instance that serves the configuration `reference` (the
    /// default one replaces the registered provider).
    pub fn insert(&mut self, reference: ProviderConfigRef, provider: Arc<dyn Provider>) {
        match reference.alias {
            None => {
                self.by_name.insert(reference.name, provider);
            }
            Some(_) => {
                self.aliased.insert(reference, provider);
            }
        }
    }

    /// The names of every registered provider.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// Every configuration with an instance: each provider's default, then the aliased ones.
    pub fn configurations(&self) -> impl Iterator<Item = (ProviderConfigRef, &Arc<dyn Provider>)> {
        let defaults = self
            .by_name
            .iter()
            .map(|(name, p)| (ProviderConfigRef::default_for(name), p));
        defaults.chain(self.aliased.iter().map(|(r, p)| (r.clone(), p)))
    }

    /// The default configuration of the provider called `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn Provider>> {
        self.by_name.get(name)
    }

    /// The instance serving the configuration `reference`, if any.
    pub fn configuration(&self, reference: &ProviderConfigRef) -> Option<&Arc<dyn Provider>> {
        match reference.alias {
            None => self.by_name.get(&reference.name),
            Some(_) => self.aliased.get(reference),
        }
    }

    /// The instance serving a resource or data source block (its `provider`
    /// meta-argument, else its type's default configuration).
    pub fn for_resource(&self, block: &ResourceBlock) -> Result<&Arc<dyn Provider>, String> {
        let reference = ProviderConfigRef::for_resource(block);
        self.configuration(&reference)
            .ok_or_else(|| format!("the provider configuration `{reference}` is not configured"))
    }

    /// The instance serving the configuration recorded in state for an object.
    pub fn for_state(
        &self,
        address: &str,
        recorded: &str,
    ) -> Result<&Arc<dyn Provider>, Unavailable> {
        let reference: ProviderConfigRef =
            recorded.parse().map_err(|_| Unavailable::Unreadable {
                address: address.to_string(),
                recorded: recorded.to_string(),
            })?;
        if let Some(provider) = self.configuration(&reference) {
            return Ok(provider);
        }
        match reference.alias.clone() {
            Some(alias) if self.by_name.contains_key(&reference.name) => {
                Err(Unavailable::Undeclared {
                    address: address.to_string(),
                    name: reference.name.clone(),
                    alias,
                    reference,
                })
            }
            _ => Err(Unavailable::UnknownProvider(reference.name)),
        }
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

    /// Evaluates each `provider` block and hands it to its own instance: the
    /// registered provider for the default block, a new instance per aliased
    /// block. A provider's default configuration without a block is configured
    /// from null (its environment variables) when something uses it: a resource
    /// of the configuration, an object in `state`, or nothing else at all.
    pub async fn configure(
        &mut self,
        config: &Config,
        variables: &BTreeMap<String, Value>,
        state: &state::State,
    ) -> Result<(), ConfigureError> {
        let resources = BTreeMap::new();
        let scope = Scope::new(variables, &resources).with_config(config);
        let needed = implied_defaults(config, state);
        let names: Vec<String> = self.by_name.keys().cloned().collect();
        for name in names {
            let blocks: Vec<&ProviderBlock> =
                config.providers.iter().filter(|b| b.name == name).collect();
            let has_default = blocks.iter().any(|b| b.alias.is_none());
            if !has_default && (blocks.is_empty() || needed.contains(&name)) {
                self.configure_one(ProviderConfigRef::default_for(&name), Value::Null)
                    .await?;
            }
            for block in blocks {
                let value = evaluate_body(&block.body, &scope).map_err(ConfigureError::Invalid)?;
                // Providers work on plain values; marks only matter for what pingform shows.
                let (value, _) = value.unmark_deep();
                self.configure_one(block.config_ref(), value).await?;
            }
        }
        Ok(())
    }

    /// Configures the instance of `reference` (making one for an alias).
    async fn configure_one(
        &mut self,
        reference: ProviderConfigRef,
        value: Value,
    ) -> Result<(), ConfigureError> {
        let failed = |source| ConfigureError::Provider {
            name: reference.to_string(),
            source,
        };
        let Some(registered) = self.by_name.get(&reference.name).cloned() else {
            return Ok(());
        };
        let provider = match reference.alias {
            None => registered,
            Some(_) => registered.new_instance().ok_or_else(|| {
                failed(ProviderError::new(
                    ProviderErrorKind::Configuration,
                    format!(
                        "the provider `{}` supports one configuration only, so it cannot have \
                         aliases",
                        reference.name
                    ),
                ))
            })?,
        };
        provider.configure(&value).await.map_err(failed)?;
        self.insert(reference, provider);
        Ok(())
    }
}

/// Providers whose default configuration something uses: a resource or data
/// block of the configuration, or an object recorded in state.
fn implied_defaults(config: &Config, state: &state::State) -> BTreeSet<String> {
    let from_config = config
        .resources
        .iter()
        .map(ProviderConfigRef::for_resource)
        .filter(ProviderConfigRef::is_default)
        .map(|r| r.name);
    let from_state = state
        .resources
        .iter()
        .map(|r| r.provider.as_str())
        .chain(state.pending_creates.iter().map(|p| p.provider.as_str()))
        .filter_map(|recorded| recorded.parse::<ProviderConfigRef>().ok())
        .filter(ProviderConfigRef::is_default)
        .map(|r| r.name);
    from_config.chain(from_state).collect()
}

#[cfg(test)]
#[path = "providers_tests.rs"]
mod tests;
