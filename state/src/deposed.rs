//! Deposed objects: the old object of a `create_before_destroy` replacement,
//! kept in state between the create of its replacement and its own delete.
//!
//! Apply deposes the current object (moves it here under a fresh key) before
//! it creates the replacement, so that a run that dies at any point leaves
//! every object it knows of in state: the next plan deletes what is still
//! deposed, and never mistakes the old object for the new one. When the
//! create fails, the deposed object is restored as the current one.

use serde::{Deserialize, Serialize};

use crate::model::{IndexKey, ModuleStep, ResourceState, State};

/// An old object waiting to be deleted, under the address it was replaced at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeposedObject {
    /// Eight hex digits that tell the deposed objects of one address apart
    /// (Terraform's "deposed key").
    pub key: String,
    /// The object as it was recorded when it was deposed.
    #[serde(flatten)]
    pub resource: ResourceState,
}

impl DeposedObject {
    /// `type.name[key] (deposed object KEY)`, as plans and errors show it.
    pub fn label(&self) -> String {
        format!("{} (deposed object {})", self.resource.address(), self.key)
    }

    fn is(
        &self,
        module: &[ModuleStep],
        type_name: &str,
        name: &str,
        index: Option<&IndexKey>,
        key: &str,
    ) -> bool {
        let r = &self.resource;
        r.module == module
            && r.type_name == type_name
            && r.name == name
            && r.index_key.as_ref() == index
            && self.key == key
    }
}

/// A fresh deposed key: eight lower-case hex digits.
pub fn new_key() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

impl State {
    /// Moves the current object at `type.name[index]` to the deposed objects
    /// under `key`; false when there is no current object.
    pub fn depose(
        &mut self,
        module: &[ModuleStep],
        type_name: &str,
        name: &str,
        index: Option<&IndexKey>,
        key: &str,
    ) -> bool {
        let Some(resource) = self.get(module, type_name, name, index).cloned() else {
            return false;
        };
        self.remove(module, type_name, name, index);
        self.deposed.push(DeposedObject {
            key: key.to_string(),
            resource,
        });
        true
    }

    /// Makes the deposed object `key` current again (its replacement was not
    /// created), unless the address has a current object; false when nothing moved.
    pub fn restore_deposed(
        &mut self,
        module: &[ModuleStep],
        type_name: &str,
        name: &str,
        index: Option<&IndexKey>,
        key: &str,
    ) -> bool {
        if self.get(module, type_name, name, index).is_some() {
            return false;
        }
        let Some(at) = self
            .deposed
            .iter()
            .position(|d| d.is(module, type_name, name, index, key))
        else {
            return false;
        };
        let deposed = self.deposed.remove(at);
        self.upsert(deposed.resource);
        true
    }

    /// Forgets the deposed object `key` (it was deleted); returns whether it was there.
    pub fn remove_deposed(
        &mut self,
        module: &[ModuleStep],
        type_name: &str,
        name: &str,
        index: Option<&IndexKey>,
        key: &str,
    ) -> bool {
        let before = self.deposed.len();
        self.deposed
            .retain(|d| !d.is(module, type_name, name, index, key));
        self.deposed.len() != before
    }

    /// The deposed objects at `type.name[index]`.
    pub fn deposed_at<'a>(
        &'a self,
        module: &'a [ModuleStep],
        type_name: &'a str,
        name: &'a str,
        index: Option<&'a IndexKey>,
    ) -> impl Iterator<Item = &'a DeposedObject> + 'a {
        self.deposed.iter().filter(move |d| {
            let r = &d.resource;
            r.module == module
                && r.type_name == type_name
                && r.name == name
                && r.index_key.as_ref() == index
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(id: &str) -> ResourceState {
        ResourceState {
            module: Vec::new(),
            type_name: "pingone_group".into(),
            name: "g".into(),
            index_key: None,
            provider: "pingone".into(),
            attributes: serde_json::json!({"id": id}),
            dependencies: vec![],
        }
    }

    #[test]
    fn deposing_moves_the_current_object_aside_and_restoring_brings_it_back() {
        let mut state = State::new();
        state.upsert(object("old"));
        let key = new_key();
        assert_eq!(key.len(), 8);
        assert!(state.depose(&[], "pingone_group", "g", None, &key));
        assert!(state.get(&[], "pingone_group", "g", None).is_none());
        assert_eq!(state.deposed_at(&[], "pingone_group", "g", None).count(), 1);
        assert_eq!(
            state.deposed[0].label(),
            format!("pingone_group.g (deposed object {key})")
        );
        assert!(
            !state.depose(&[], "pingone_group", "g", None, "other"),
            "nothing current to depose"
        );
        assert!(state.restore_deposed(&[], "pingone_group", "g", None, &key));
        assert_eq!(
            state
                .get(&[], "pingone_group", "g", None)
                .unwrap()
                .attributes["id"],
            "old"
        );
        assert!(state.deposed.is_empty());
    }

    #[test]
    fn a_deposed_object_is_not_restored_over_a_new_current_one_and_is_removed_by_key() {
        let mut state = State::new();
        state.upsert(object("old"));
        state.depose(&[], "pingone_group", "g", None, "aaaa0001");
        state.upsert(object("new"));
        assert!(!state.restore_deposed(&[], "pingone_group", "g", None, "aaaa0001"));
        assert!(!state.remove_deposed(&[], "pingone_group", "g", None, "bbbb0002"));
        assert!(state.remove_deposed(&[], "pingone_group", "g", None, "aaaa0001"));
        assert!(state.deposed.is_empty());
        assert_eq!(
            state
                .get(&[], "pingone_group", "g", None)
                .unwrap()
                .attributes["id"],
            "new"
        );
    }

    #[test]
    fn deposed_objects_are_written_flat_with_their_key() {
        let mut state = State::new();
        state.upsert(object("old"));
        state.depose(&[], "pingone_group", "g", None, "abcd1234");
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(json["deposed"][0]["key"], "abcd1234");
        assert_eq!(json["deposed"][0]["type"], "pingone_group");
        assert_eq!(json["deposed"][0]["attributes"]["id"], "old");
        let back: State = serde_json::from_value(json).unwrap();
        assert_eq!(back, state);
    }
}
