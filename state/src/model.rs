//! The state document: what pingform manages, versioned so that it can evolve.

use serde::{Deserialize, Serialize};

/// The newest state format this build writes and reads (older ones are
/// upgraded as they are read; see `upgrade`).
pub const FORMAT_VERSION: u32 = 4;

/// The whole state: every managed object and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// The format of this document.
    pub format_version: u32,
    /// The version of pingform that wrote it.
    #[serde(default)]
    pub pingform_version: String,
    /// A UUID fixed when the state is first created; plans name it so they
    /// are never applied to a different state.
    pub lineage: String,
    /// Increases on every write; plans name it to detect a stale plan.
    pub serial: u64,
    /// The managed objects, sorted by address.
    #[serde(default)]
    pub resources: Vec<ResourceState>,
    /// Creates that were started but whose result was never recorded (the
    /// process died, or the answer was lost). The next run looks each one up by
    /// its natural key and adopts what it finds instead of creating a duplicate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_creates: Vec<PendingCreate>,
}

/// Which instance of a repeated resource an object is: `[0]` for `count`,
/// `["name"]` for `for_each`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IndexKey {
    /// `count.index`.
    Int(i64),
    /// `each.key`.
    Str(String),
}

impl std::fmt::Display for IndexKey {
    /// `[0]` or `["name"]`, as the key appears in an address.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexKey::Int(i) => write!(f, "[{i}]"),
            IndexKey::Str(s) => write!(f, "[{}]", serde_json::Value::from(s.as_str())),
        }
    }
}

/// One step of a module path: `module.NAME` and, for a module called with
/// `count` or `for_each`, the instance key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ModuleStep {
    /// The name of the `module` block.
    pub name: String,
    /// The module instance's key, for a module with `count` or `for_each`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_key: Option<IndexKey>,
}

impl std::fmt::Display for ModuleStep {
    /// `module.NAME` or `module.NAME[key]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "module.{}", self.name)?;
        match &self.index_key {
            Some(key) => write!(f, "{key}"),
            None => Ok(()),
        }
    }
}

/// `module.a.type.name` followed by the instance key, if any.
fn address_of(
    module: &[ModuleStep],
    type_name: &str,
    name: &str,
    key: Option<&IndexKey>,
) -> String {
    let mut text = String::new();
    for step in module {
        text.push_str(&format!("{step}."));
    }
    text.push_str(&format!("{type_name}.{name}"));
    if let Some(key) = key {
        text.push_str(&key.to_string());
    }
    text
}

/// The intent to create one object, recorded before the create is sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingCreate {
    /// The module instance the resource belongs to (empty for the root module).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub module: Vec<ModuleStep>,
    /// The resource type, such as `pingone_population`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The resource name in the configuration.
    pub name: String,
    /// The instance key, for a resource with `count` or `for_each`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_key: Option<IndexKey>,
    /// The provider configuration that was asked to create it (`pingone` or
    /// `pingone.eu`, as for [`ResourceState::provider`]).
    pub provider: String,
    /// The planned attributes that were known (sensitive ones left out): enough
    /// for the provider to find the object by its natural key, such as a
    /// population's `environment_id` and `name`.
    pub planned: serde_json::Value,
    /// Addresses the resource depended on, as for [`ResourceState::dependencies`].
    #[serde(default)]
    pub dependencies: Vec<String>,
}

impl PendingCreate {
    /// The address `type.name`, or `type.name[key]`.
    pub fn address(&self) -> String {
        address_of(
            &self.module,
            &self.type_name,
            &self.name,
            self.index_key.as_ref(),
        )
    }

    fn is(
        &self,
        module: &[ModuleStep],
        type_name: &str,
        name: &str,
        key: Option<&IndexKey>,
    ) -> bool {
        self.module == module
            && self.type_name == type_name
            && self.name == name
            && self.index_key.as_ref() == key
    }
}

/// One managed object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceState {
    /// The module instance the resource belongs to (empty for the root module).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub module: Vec<ModuleStep>,
    /// The resource type, such as `pingone_population`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The resource name in the configuration.
    pub name: String,
    /// The instance key, for a resource with `count` or `for_each`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_key: Option<IndexKey>,
    /// The provider configuration that manages it: `pingone` for the provider's
    /// default configuration, `pingone.eu` for the one declared with
    /// `provider "pingone" { alias = "eu" }` (Terraform writes
    /// `provider["registry.terraform.io/pingidentity/pingone"].eu`). Refresh and
    /// deletes of the object use this configuration.
    pub provider: String,
    /// Its attributes as last read or written, including `id`.
    pub attributes: serde_json::Value,
    /// Addresses (`type.name`) of the resources it depended on when last applied;
    /// destroys run in the reverse of this order.
    #[serde(default)]
    pub dependencies: Vec<String>,
}

impl ResourceState {
    /// The address `type.name`, or `type.name[key]`.
    pub fn address(&self) -> String {
        address_of(
            &self.module,
            &self.type_name,
            &self.name,
            self.index_key.as_ref(),
        )
    }

    /// What the state is sorted by: module, type, name, key.
    pub fn sort_key(&self) -> (&[ModuleStep], &str, &str, Option<&IndexKey>) {
        (
            &self.module,
            &self.type_name,
            &self.name,
            self.index_key.as_ref(),
        )
    }
}

impl State {
    /// An empty state with a fresh lineage.
    pub fn new() -> Self {
        Self {
            format_version: FORMAT_VERSION,
            pingform_version: env!("CARGO_PKG_VERSION").to_string(),
            lineage: uuid::Uuid::new_v4().to_string(),
            serial: 0,
            resources: Vec::new(),
            pending_creates: Vec::new(),
        }
    }

    /// The object at `type.name` (with `key`, for one instance of a repeated
    /// resource), if managed.
    pub fn get(
        &self,
        module: &[ModuleStep],
        type_name: &str,
        name: &str,
        key: Option<&IndexKey>,
    ) -> Option<&ResourceState> {
        self.position(module, type_name, name, key)
            .ok()
            .map(|i| &self.resources[i])
    }

    /// Every instance of the resource `type.name` in the module instance
    /// `module`, in key order.
    pub fn instances<'a>(
        &'a self,
        module: &'a [ModuleStep],
        type_name: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a ResourceState> + 'a {
        let start = self.resources.partition_point(|r| {
            (r.module.as_slice(), r.type_name.as_str(), r.name.as_str()) < (module, type_name, name)
        });
        self.resources[start..]
            .iter()
            .take_while(move |r| r.module == module && r.type_name == type_name && r.name == name)
    }

    /// Records `resource`, replacing any object at the same address.
    /// Recording an object also settles any intent to create it.
    pub fn upsert(&mut self, resource: ResourceState) {
        let key = resource.index_key.clone();
        let module = resource.module.clone();
        self.end_create(&module, &resource.type_name, &resource.name, key.as_ref());
        // A binary search keeps one write cheap in a state of many objects.
        match self.position(&module, &resource.type_name, &resource.name, key.as_ref()) {
            Ok(i) => self.resources[i] = resource,
            Err(i) => self.resources.insert(i, resource),
        }
    }

    fn position(
        &self,
        module: &[ModuleStep],
        type_name: &str,
        name: &str,
        key: Option<&IndexKey>,
    ) -> Result<usize, usize> {
        self.resources
            .binary_search_by(|r| r.sort_key().cmp(&(module, type_name, name, key)))
    }

    /// Records that a create of `intent`'s address is about to be sent,
    /// replacing an older intent for the same address.
    pub fn begin_create(&mut self, intent: PendingCreate) {
        self.end_create(
            &intent.module.clone(),
            &intent.type_name,
            &intent.name,
            intent.index_key.as_ref(),
        );
        self.pending_creates.push(intent);
    }

    /// Forgets the intent to create `type.name[key]` (its outcome is now known).
    pub fn end_create(
        &mut self,
        module: &[ModuleStep],
        type_name: &str,
        name: &str,
        key: Option<&IndexKey>,
    ) {
        self.pending_creates
            .retain(|p| !p.is(module, type_name, name, key));
    }

    /// Forgets the object at `type.name[key]`; returns whether it was there.
    pub fn remove(
        &mut self,
        module: &[ModuleStep],
        type_name: &str,
        name: &str,
        key: Option<&IndexKey>,
    ) -> bool {
        match self.position(module, type_name, name, key) {
            Ok(i) => {
                self.resources.remove(i);
                true
            }
            Err(_) => false,
        }
    }
}

impl Default for State {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(name: &str) -> ResourceState {
        ResourceState {
            module: Vec::new(),
            type_name: "pingone_population".into(),
            name: name.into(),
            index_key: None,
            provider: "pingone".into(),
            attributes: serde_json::json!({"id": name}),
            dependencies: vec![],
        }
    }

    #[test]
    fn upsert_replaces_and_sorts() {
        let mut state = State::new();
        state.upsert(object("b"));
        state.upsert(object("a"));
        state.upsert(object("b"));
        let names: Vec<_> = state.resources.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert!(state.remove(&[], "pingone_population", "a", None));
        assert!(!state.remove(&[], "pingone_population", "a", None));
    }

    #[test]
    fn instances_are_kept_apart_and_listed_in_key_order() {
        let mut state = State::new();
        let keyed = |key: IndexKey| ResourceState {
            index_key: Some(key),
            ..object("u")
        };
        state.upsert(keyed(IndexKey::Str("b".into())));
        state.upsert(keyed(IndexKey::Int(1)));
        state.upsert(object("v"));
        state.upsert(keyed(IndexKey::Int(0)));
        let listed: Vec<_> = state
            .instances(&[], "pingone_population", "u")
            .map(ResourceState::address)
            .collect();
        assert_eq!(
            listed,
            [
                "pingone_population.u[0]",
                "pingone_population.u[1]",
                r#"pingone_population.u["b"]"#
            ]
        );
        assert!(state.get(&[], "pingone_population", "u", None).is_none());
        let one = IndexKey::Int(1);
        assert!(state.remove(&[], "pingone_population", "u", Some(&one)));
        assert!(
            state
                .get(&[], "pingone_population", "u", Some(&one))
                .is_none()
        );
        let json = serde_json::to_value(&state.resources[0]).unwrap();
        assert_eq!(json["index_key"], 0);
    }

    #[test]
    fn lineages_differ() {
        assert_ne!(State::new().lineage, State::new().lineage);
    }
}
