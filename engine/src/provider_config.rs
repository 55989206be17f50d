//! Provider configurations: which `provider` block configures an object.
//!
//! A configuration is named by its provider and, for a second (or further)
//! block of the same provider, its alias: `pingone` is the default
//! configuration, `pingone.eu` the one declared with `alias = "eu"`. The same
//! text is how the `provider` meta-argument refers to it
//! (`provider = pingone.eu`) and how state records which configuration
//! manages each object.

use std::fmt;
use std::str::FromStr;

use crate::ResourceAddress;
use crate::config::{ResourceBlock, is_valid_name};

/// A provider configuration: a provider's name and, unless it is the default
/// configuration, its alias.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProviderConfigRef {
    /// The provider, such as `pingone`.
    pub name: String,
    /// The alias, such as `eu`; `None` for the default configuration.
    pub alias: Option<String>,
}

impl ProviderConfigRef {
    /// The default (unaliased) configuration of the provider `name`.
    pub fn default_for(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            alias: None,
        }
    }

    /// The configuration `name.alias`.
    pub fn aliased(name: impl Into<String>, alias: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            alias: Some(alias.into()),
        }
    }

    /// The default configuration of the provider a resource type belongs to
    /// (the prefix of its type name): what an object uses without a `provider`
    /// meta-argument.
    pub fn implied_by(address: &ResourceAddress) -> Self {
        Self::default_for(address.provider_name())
    }

    /// The configuration a resource or data source block uses: its `provider`
    /// meta-argument, else its type's default configuration. Every lookup of a
    /// block's provider goes through here, so that module `providers` maps can
    /// be added in one place.
    pub fn for_resource(block: &ResourceBlock) -> Self {
        match &block.provider {
            Some((reference, _)) => reference.clone(),
            None => Self::implied_by(&block.address),
        }
    }

    /// Whether this is the default configuration of its provider.
    pub fn is_default(&self) -> bool {
        self.alias.is_none()
    }
}

impl fmt::Display for ProviderConfigRef {
    /// `pingone` or `pingone.eu`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.alias {
            Some(alias) => write!(f, "{}.{alias}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Why text does not name a provider configuration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` does not name a provider configuration; write NAME or NAME.ALIAS, such as pingone or \
     pingone.eu"
)]
pub struct ProviderConfigRefError(String);

impl FromStr for ProviderConfigRef {
    type Err = ProviderConfigRefError;

    /// Parses `pingone` or `pingone.eu`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || ProviderConfigRefError(text.to_string());
        let parsed = match text.split_once('.') {
            Some((name, alias)) => Self::aliased(name, alias),
            None => Self::default_for(text),
        };
        let valid =
            is_valid_name(&parsed.name) && parsed.alias.as_deref().is_none_or(is_valid_name);
        valid.then_some(parsed).ok_or_else(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_and_parses_default_and_aliased_configurations() {
        let default = ProviderConfigRef::default_for("pingone");
        let eu = ProviderConfigRef::aliased("pingone", "eu");
        assert_eq!(default.to_string(), "pingone");
        assert_eq!(eu.to_string(), "pingone.eu");
        assert_eq!("pingone".parse(), Ok(default.clone()));
        assert_eq!("pingone.eu".parse(), Ok(eu.clone()));
        assert!(default.is_default() && !eu.is_default());
    }

    #[test]
    fn refuses_text_that_is_not_a_configuration() {
        for text in [
            "",
            "pingone.",
            ".eu",
            "pingone.eu.x",
            "1pingone",
            "pingone.9",
        ] {
            let err = text.parse::<ProviderConfigRef>().unwrap_err();
            assert!(err.to_string().contains("NAME.ALIAS"), "{text}: {err}");
        }
    }

    #[test]
    fn a_resource_without_the_meta_argument_uses_its_types_default() {
        let address = ResourceAddress::new("pingone_population", "staff");
        assert_eq!(
            ProviderConfigRef::implied_by(&address),
            ProviderConfigRef::default_for("pingone")
        );
    }
}
