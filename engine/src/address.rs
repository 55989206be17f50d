//! Resource addresses: how configuration, plans and state name a resource (`type.name`).

use std::fmt;

/// The address of one resource in the configuration, such as `pingone_population.staff`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceAddress {
    /// The resource type, such as `pingone_population`.
    pub type_name: String,
    /// The name given in the configuration, such as `staff`.
    pub name: String,
}

impl ResourceAddress {
    /// Builds an address from its type and name.
    pub fn new(type_name: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            type_name: type_name.into(),
            name: name.into(),
        }
    }

    /// The provider a resource type belongs to: the prefix before the first `_`.
    pub fn provider_name(&self) -> &str {
        self.type_name
            .split_once('_')
            .map_or(self.type_name.as_str(), |(p, _)| p)
    }
}

impl fmt::Display for ResourceAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.type_name, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_and_names_provider() {
        let a = ResourceAddress::new("pingone_population", "staff");
        assert_eq!(a.to_string(), "pingone_population.staff");
        assert_eq!(a.provider_name(), "pingone");
    }
}
