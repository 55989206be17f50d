//! Resource addresses: how configuration, plans and state name a resource
//! (`type.name`), a data source (`data.type.name`), one instance of a
//! repeated one (`type.name[0]`, `type.name["key"]`) and a resource of a child
//! module (`module.net.type.name`, `module.team["a"].type.name[0]`).
//!
//! A block's address in the configuration has no keys at all (not even on its
//! module steps): [`ResourceAddress::block`]. Planning works per module
//! instance, whose steps carry keys: [`ResourceAddress::without_key`].

use std::fmt;
use std::str::FromStr;

pub use state::IndexKey as InstanceKey;
pub use state::ModuleStep;

/// Whether a block manages objects or only reads them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// `resource`: created, updated and deleted by pingform, recorded in state.
    #[default]
    Managed,
    /// `data`: read on every plan, never written and never stored in state
    /// (a data source may return secrets).
    Data,
}

/// The address of a resource block (no key) or of one of its instances.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceAddress {
    /// The module (instance) the resource is declared in; empty for the root module.
    pub module: Vec<ModuleStep>,
    /// A resource or a data source.
    pub mode: Mode,
    /// The resource type, such as `pingone_population`.
    pub type_name: String,
    /// The name given in the configuration, such as `staff`.
    pub name: String,
    /// The instance key of a resource with `count` or `for_each`.
    pub key: Option<InstanceKey>,
}

impl ResourceAddress {
    /// Builds the address of a resource block (or of its only instance).
    pub fn new(type_name: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            module: Vec::new(),
            mode: Mode::Managed,
            type_name: type_name.into(),
            name: name.into(),
            key: None,
        }
    }

    /// The same resource, declared in the module (instance) `module`.
    pub fn in_module(mut self, module: &[ModuleStep]) -> Self {
        self.module = module.to_vec();
        self
    }

    /// Builds the address of a data source block.
    pub fn data(type_name: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            mode: Mode::Data,
            ..Self::new(type_name, name)
        }
    }

    /// Whether this is a data source.
    pub fn is_data(&self) -> bool {
        self.mode == Mode::Data
    }

    /// The address of this resource's instance `key` (in the same module instance).
    pub fn instance(&self, key: Option<InstanceKey>) -> Self {
        Self {
            key,
            ..self.without_key()
        }
    }

    /// The resource in its module instance, without its own instance key: what
    /// expressions in that module instance refer to as `type.name`.
    pub fn without_key(&self) -> Self {
        Self {
            module: self.module.clone(),
            mode: self.mode,
            type_name: self.type_name.clone(),
            name: self.name.clone(),
            key: None,
        }
    }

    /// The address of the block in the configuration: no instance key, and no
    /// keys on its module steps.
    pub fn block(&self) -> Self {
        let module = self
            .module
            .iter()
            .map(|step| ModuleStep {
                name: step.name.clone(),
                index_key: None,
            })
            .collect();
        Self {
            module,
            ..self.without_key()
        }
    }

    /// Whether `self` names `other` or, where it has no key (on itself or on a
    /// module step), any instance of it.
    pub fn contains(&self, other: &ResourceAddress) -> bool {
        self.mode == other.mode
            && self.type_name == other.type_name
            && self.name == other.name
            && (self.key.is_none() || self.key == other.key)
            && self.module.len() == other.module.len()
            && self.module.iter().zip(&other.module).all(|(a, b)| {
                a.name == b.name && (a.index_key.is_none() || a.index_key == b.index_key)
            })
    }

    /// This block address placed in the module instance of `other` as far as
    /// their module paths agree: what a resource of `module.team["eng"]` depends
    /// on inside the module is in `module.team["eng"]`, not in every instance.
    pub fn beside(mut self, other: &ResourceAddress) -> Self {
        for (step, own) in self.module.iter_mut().zip(&other.module) {
            if step.name != own.name {
                break;
            }
            step.index_key = own.index_key.clone();
        }
        self
    }

    /// Whether the resource is declared in a child module.
    pub fn in_child_module(&self) -> bool {
        !self.module.is_empty()
    }

    /// The provider a resource type belongs to: the prefix before the first `_`.
    pub fn provider_name(&self) -> &str {
        self.type_name
            .split_once('_')
            .map_or(self.type_name.as_str(), |(p, _)| p)
    }

    /// The address of a stored object.
    pub fn of_state(resource: &state::ResourceState) -> Self {
        Self {
            module: resource.module.clone(),
            mode: Mode::Managed,
            type_name: resource.type_name.clone(),
            name: resource.name.clone(),
            key: resource.index_key.clone(),
        }
    }

    /// The objects in `state` this address names: the instance, or every
    /// instance of a block.
    pub fn instances_in(&self, state: &state::State) -> Vec<ResourceAddress> {
        if self.module.iter().any(|step| step.index_key.is_none()) {
            // Every instance of a module: the module keys vary, so scan.
            return state
                .resources
                .iter()
                .map(Self::of_state)
                .filter(|found| self.contains(found))
                .collect();
        }
        state
            .instances(&self.module, &self.type_name, &self.name)
            .map(Self::of_state)
            .filter(|found| self.contains(found))
            .collect()
    }

    /// The object to store at this address, managed by its type's default
    /// provider configuration.
    pub fn to_state(
        &self,
        attributes: serde_json::Value,
        dependencies: Vec<String>,
    ) -> state::ResourceState {
        let provider = crate::ProviderConfigRef::implied_by(self);
        self.to_state_managed_by(&provider, attributes, dependencies)
    }

    /// The object to store at this address, managed by the provider
    /// configuration `provider` (such as `pingone.eu`).
    pub fn to_state_managed_by(
        &self,
        provider: &crate::ProviderConfigRef,
        attributes: serde_json::Value,
        dependencies: Vec<String>,
    ) -> state::ResourceState {
        state::ResourceState {
            module: self.module.clone(),
            type_name: self.type_name.clone(),
            name: self.name.clone(),
            index_key: self.key.clone(),
            provider: provider.to_string(),
            attributes,
            dependencies,
        }
    }

    /// The stored object at this address.
    pub fn in_state<'s>(&self, state: &'s state::State) -> Option<&'s state::ResourceState> {
        state.get(&self.module, &self.type_name, &self.name, self.key.as_ref())
    }
}

impl fmt::Display for ResourceAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.module {
            write!(f, "{step}.")?;
        }
        if self.is_data() {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.type_name, self.name)?;
        match &self.key {
            Some(key) => write!(f, "{key}"),
            None => Ok(()),
        }
    }
}

/// Why text is not an address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a resource address; write it as TYPE.NAME, TYPE.NAME[0] or TYPE.NAME[\"key\"], \
     such as pingone_population.staff, with `module.NAME.` (or `module.NAME[KEY].`) in front for \
     a resource of a module"
)]
pub struct AddressError(String);

impl FromStr for ResourceAddress {
    type Err = AddressError;

    /// Parses `type.name`, `type.name[0]` or `type.name["key"]`, with any
    /// number of `module.NAME.` or `module.NAME[KEY].` steps in front.
    fn from_str(whole: &str) -> Result<Self, Self::Err> {
        let invalid = || AddressError(whole.to_string());
        let (module, text) = parse_module_steps(whole).ok_or_else(invalid)?;
        let (mode, text) = match text.strip_prefix("data.") {
            Some(rest) => (Mode::Data, rest),
            None => (Mode::Managed, text),
        };
        let (head, key) = match text.find('[') {
            Some(open) => (
                &text[..open],
                Some(parse_key(&text[open..]).ok_or_else(invalid)?),
            ),
            None => (text, None),
        };
        let (type_name, name) = head.split_once('.').ok_or_else(invalid)?;
        if !is_name(type_name) || !is_name(name) {
            return Err(invalid());
        }
        let block = Self {
            mode,
            module,
            ..Self::new(type_name, name)
        };
        Ok(block.instance(key))
    }
}

/// What `--target`, `--exclude` and `--replace` name: a resource (block or
/// instance), or a whole module (instance) such as `module.team["eng"]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// A resource or one instance of it.
    Resource(ResourceAddress),
    /// Every resource of a module, or of one instance of it.
    Module(Vec<ModuleStep>),
}

impl FromStr for Selector {
    type Err = AddressError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.parse::<ResourceAddress>() {
            Ok(address) => Ok(Selector::Resource(address)),
            Err(error) => match parse_module_steps(&format!("{text}.")) {
                Some((steps, "")) if !steps.is_empty() => Ok(Selector::Module(steps)),
                _ => Err(error),
            },
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Resource(address) => write!(f, "{address}"),
            Selector::Module(steps) => f.write_str(&module_path(steps)),
        }
    }
}

impl Selector {
    /// The resource addresses this names in `config`: the resource itself, or
    /// every resource block of the module and the modules below it (in the
    /// module instance named, when it has keys); `None` when the module is not
    /// in the configuration.
    pub fn resolve(&self, config: &crate::config::Config) -> Option<Vec<ResourceAddress>> {
        let steps = match self {
            Selector::Resource(address) => return Some(vec![address.clone()]),
            Selector::Module(steps) => steps,
        };
        let module = config.module_config(steps)?;
        let found = module
            .all_resources()
            .into_iter()
            .map(|block| {
                let mut path = steps.clone();
                path.extend(block.address.module[steps.len()..].iter().cloned());
                block.address.clone().in_module(&path)
            })
            .collect();
        Some(found)
    }
}

/// A module path as addresses write it: `module.a["x"].module.b` (empty for the root).
pub fn module_path(steps: &[ModuleStep]) -> String {
    steps
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether `s` is a valid block or resource name.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Splits the leading `module.NAME[KEY].` steps off `text`.
pub(crate) fn parse_module_steps(mut text: &str) -> Option<(Vec<ModuleStep>, &str)> {
    let mut steps = Vec::new();
    while let Some(rest) = text.strip_prefix("module.") {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let name = &rest[..end];
        if !is_name(name) {
            return None;
        }
        let mut rest = &rest[end..];
        let mut index_key = None;
        if rest.starts_with('[') {
            let close = key_end(rest)?;
            index_key = Some(parse_key(&rest[..close])?);
            rest = &rest[close..];
        }
        steps.push(ModuleStep {
            name: name.to_string(),
            index_key,
        });
        text = rest.strip_prefix('.')?;
    }
    Some((steps, text))
}

/// The length of the `[...]` key at the start of `text`, skipping over a quoted
/// string (which may hold `]` and escaped quotes).
fn key_end(text: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ']' if !in_string => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// `[0]` or `["key"]` (the key a JSON string, so quotes can be escaped).
fn parse_key(text: &str) -> Option<InstanceKey> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    if inner.starts_with('"') {
        return serde_json::from_str::<String>(inner)
            .ok()
            .map(InstanceKey::Str);
    }
    inner.parse::<i64>().ok().map(InstanceKey::Int)
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

    #[test]
    fn parses_what_it_displays() {
        for text in [
            "pingone_user.u",
            "pingone_user.u[0]",
            "pingone_user.u[12]",
            r#"pingone_user.u["alice"]"#,
            r#"pingone_user.u["a \"quoted\" [key]"]"#,
            "data.pingone_role.admin",
            r#"data.pingone_role.admin["x"]"#,
            "module.net.pingone_user.u",
            r#"module.team["a.b]"].module.x[2].pingone_user.u["k"]"#,
            "module.net.data.pingone_role.admin",
        ] {
            let address: ResourceAddress = text.parse().unwrap();
            assert_eq!(address.to_string(), text);
        }
        let keyed: ResourceAddress = r#"pingone_user.u["x"]"#.parse().unwrap();
        assert_eq!(keyed.key, Some(InstanceKey::Str("x".into())));
        assert!(keyed.block().contains(&keyed));
        assert!(!keyed.contains(&keyed.block()));
        let nested: ResourceAddress = r#"module.team["a"].pingone_user.u[1]"#.parse().unwrap();
        assert_eq!(nested.block().to_string(), "module.team.pingone_user.u");
        assert_eq!(
            nested.without_key().to_string(),
            r#"module.team["a"].pingone_user.u"#
        );
        assert!(nested.block().contains(&nested));
        let other: ResourceAddress = r#"module.team["b"].pingone_user.u[1]"#.parse().unwrap();
        assert!(!nested.without_key().contains(&other));
        assert!(!ResourceAddress::new("pingone_user", "u").contains(&nested));
    }

    #[test]
    fn selectors_name_resources_or_modules() {
        let module: Selector = r#"module.team["eng"]"#.parse().unwrap();
        assert_eq!(module.to_string(), r#"module.team["eng"]"#);
        assert!(matches!(module, Selector::Module(ref steps) if steps.len() == 1));
        let resource: Selector = "module.team.pingone_user.u".parse().unwrap();
        assert!(matches!(resource, Selector::Resource(_)));
        assert!("module.".parse::<Selector>().is_err());
        assert!("pingone_user".parse::<Selector>().is_err());
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for text in [
            "pingone_user",
            "pingone_user.",
            ".u",
            "a.b.c",
            "a.b[",
            "a.b[x]",
            "a.b[0",
            "a.b[1.5]",
            "a b.c",
            "module.a",
            "module..t.n",
            "module.a[x].t.n",
            "module.a[\"x\".t.n",
        ] {
            let error = text.parse::<ResourceAddress>().unwrap_err();
            assert!(error.to_string().contains("TYPE.NAME"), "{text}: {error}");
        }
    }
}
