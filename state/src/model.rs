//! The state document: what pingform manages, versioned so that it can evolve.

use serde::{Deserialize, Serialize};

/// The newest state format this build writes and reads (older ones are
/// upgraded as they are read; see `upgrade`).
pub const FORMAT_VERSION: u32 = 2;

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

/// The intent to create one object, recorded before the create is sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingCreate {
    /// The resource type, such as `pingone_population`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The resource name in the configuration.
    pub name: String,
    /// The provider that was asked to create it.
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
    /// The address `type.name`.
    pub fn address(&self) -> String {
        format!("{}.{}", self.type_name, self.name)
    }
}

/// One managed object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceState {
    /// The resource type, such as `pingone_population`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The resource name in the configuration.
    pub name: String,
    /// The provider that manages it, such as `pingone`.
    pub provider: String,
    /// Its attributes as last read or written, including `id`.
    pub attributes: serde_json::Value,
    /// Addresses (`type.name`) of the resources it depended on when last applied;
    /// destroys run in the reverse of this order.
    #[serde(default)]
    pub dependencies: Vec<String>,
}

impl ResourceState {
    /// The address `type.name`.
    pub fn address(&self) -> String {
        format!("{}.{}", self.type_name, self.name)
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

    /// The object at `type.name`, if managed.
    pub fn get(&self, type_name: &str, name: &str) -> Option<&ResourceState> {
        self.resources
            .iter()
            .find(|r| r.type_name == type_name && r.name == name)
    }

    /// Records `resource`, replacing any object at the same address.
    /// Recording an object also settles any intent to create it.
    pub fn upsert(&mut self, resource: ResourceState) {
        self.end_create(&resource.type_name, &resource.name);
        // A binary search keeps one write cheap in a state of many objects.
        match self.position(&resource.type_name, &resource.name) {
            Ok(i) => self.resources[i] = resource,
            Err(i) => self.resources.insert(i, resource),
        }
    }

    fn position(&self, type_name: &str, name: &str) -> Result<usize, usize> {
        self.resources
            .binary_search_by(|r| (r.type_name.as_str(), r.name.as_str()).cmp(&(type_name, name)))
    }

    /// Records that a create of `intent`'s address is about to be sent,
    /// replacing an older intent for the same address.
    pub fn begin_create(&mut self, intent: PendingCreate) {
        self.end_create(&intent.type_name, &intent.name);
        self.pending_creates.push(intent);
    }

    /// Forgets the intent to create `type.name` (its outcome is now known).
    pub fn end_create(&mut self, type_name: &str, name: &str) {
        self.pending_creates
            .retain(|p| !(p.type_name == type_name && p.name == name));
    }

    /// Forgets the object at `type.name`; returns whether it was there.
    pub fn remove(&mut self, type_name: &str, name: &str) -> bool {
        let before = self.resources.len();
        self.resources
            .retain(|r| !(r.type_name == type_name && r.name == name));
        self.resources.len() != before
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
            type_name: "pingone_population".into(),
            name: name.into(),
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
        assert!(state.remove("pingone_population", "a"));
        assert!(!state.remove("pingone_population", "a"));
    }

    #[test]
    fn lineages_differ() {
        assert_ne!(State::new().lineage, State::new().lineage);
    }
}
