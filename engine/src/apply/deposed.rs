//! `create_before_destroy` in apply, and the deletes of deposed objects.
//!
//! A replacement with `create_before_destroy` runs in three steps:
//!
//! 1. In the converge phase, the current object is *deposed* (recorded in
//!    state as the old object under a fresh key), then the replacement is
//!    created through the usual intent and recorded as the current object.
//!    What depends on the resource is released as soon as the create is
//!    recorded, so its updates point to the new object.
//! 2. If the create fails, the deposed object is made current again: nothing
//!    was replaced. A create whose answer is the old object (a provider that
//!    adopts by natural key) or that PingOne refused because the old object
//!    holds its unique name is refused with a message that says why
//!    `create_before_destroy` cannot work for it.
//! 3. The ordering rule: every deposed object is deleted in a last phase,
//!    after every create and update of the run, dependents before their
//!    dependencies (as deletes). Deposed objects left by earlier runs (the
//!    plan lists them as `(deposed object KEY)`) are deleted in the same phase.
//!
//! A run that dies between any two steps leaves the old object in state,
//! deposed, and the next plan deletes it.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Outcome;
use super::run::{Done, Run, Step, Task};
use crate::plan::{Action, ResourceChange};
use crate::provider::{FindRequest, Found, Provider, ProviderError, ProviderErrorKind};
use crate::{ResourceAddress, Value};

/// Checks that the create of a `create_before_destroy` replacement made a new
/// object, not found the old one.
pub(super) struct Guard {
    provider: Arc<dyn Provider>,
    find: FindRequest,
    old_id: String,
}

impl Guard {
    /// The create's result, refused when it is (or collides with) the old object.
    pub(super) async fn check(
        self,
        created: Result<Value, ProviderError>,
    ) -> Result<Value, ProviderError> {
        match created {
            Ok(value) if self.is_old(&value) => Err(self.conflict(None)),
            Ok(value) => Ok(value),
            Err(error) => match self.provider.find(self.find.clone()).await {
                Ok(Found::Object(found)) if self.is_old(&found) => Err(self.conflict(Some(error))),
                _ => Err(error),
            },
        }
    }

    fn is_old(&self, value: &Value) -> bool {
        value.get("id").and_then(Value::as_str) == Some(self.old_id.as_str())
    }

    fn conflict(&self, cause: Option<ProviderError>) -> ProviderError {
        let address = &self.find.address;
        let mut message = format!(
            "`{address}` has `lifecycle {{ create_before_destroy = true }}`, but its replacement \
             has the same unique name (natural key) as the object it replaces (id {}), and PingOne \
             does not allow two objects with that name at once, so the new one cannot be created \
             before the old one is deleted. Change the name in the configuration so that old and \
             new can coexist, or remove create_before_destroy so that the old object is deleted \
             first. The old object is kept.",
            self.old_id
        );
        // The first line of the provider's error describes the failed create (and
        // may advise importing the existing object, which here is the old one);
        // the service's own answer follows it.
        if let Some(cause) = cause {
            let answer = cause
                .message
                .split_once('\n')
                .map_or(cause.message.as_str(), |(_, rest)| rest);
            message.push('\n');
            message.push_str(answer);
        }
        ProviderError::new(ProviderErrorKind::Api, message)
    }
}

impl Run<'_> {
    /// Deposes the current object of a `create_before_destroy` replacement
    /// before its replacement is created.
    pub(super) fn depose(&mut self, change: &ResourceChange) -> Result<(), super::ApplyError> {
        let address = &change.address;
        if address.in_state(&self.state).is_none() {
            return Ok(());
        }
        let key = state::deposed::new_key();
        let operation = state::Operation::Depose {
            at: deposed_at(address, &key),
        };
        self.commit(
            operation,
            &format!("deposing the old object of `{address}`"),
        )?;
        self.deposed_here.insert(address.clone(), key);
        Ok(())
    }

    /// The check for the create of `change`, when it replaces a deposed object.
    pub(super) fn guard(
        &self,
        change: &ResourceChange,
        provider: &Arc<dyn Provider>,
        planned: &Value,
    ) -> Option<Guard> {
        let old = self.deposed_object(&change.address, self.deposed_here.get(&change.address)?)?;
        let old_id = old.resource.attributes.get("id")?.as_str()?.to_string();
        let intent = self.intent(&change.address, planned);
        Some(Guard {
            provider: provider.clone(),
            find: FindRequest {
                type_name: change.address.type_name.clone(),
                address: change.address.to_string(),
                planned: Value::from_json(&intent.planned),
            },
            old_id,
        })
    }

    /// After a failed create: the deposed object is current again.
    pub(super) fn restore(&mut self, address: &ResourceAddress) -> Result<(), super::ApplyError> {
        let Some(key) = self.deposed_here.remove(address) else {
            return Ok(());
        };
        let operation = state::Operation::RestoreDeposed {
            at: deposed_at(address, &key),
        };
        self.commit(
            operation,
            &format!("restoring the old object of `{address}`"),
        )
    }

    /// Addresses with a deposed object to delete in the last phase.
    pub(super) fn deposed_nodes(&self) -> Vec<ResourceAddress> {
        let planned = self.deposed_changes.keys().map(|(a, _)| a.clone());
        let mut nodes: Vec<ResourceAddress> =
            planned.chain(self.deposed_here.keys().cloned()).collect();
        nodes.sort();
        nodes.dedup();
        nodes
    }

    /// Starts deleting the deposed objects at `address`, one after another.
    pub(super) fn start_deposed(&mut self, address: &ResourceAddress) -> Option<Task> {
        let keys = self.deposed_keys(address);
        if keys.iter().any(|k| {
            self.deposed_changes
                .contains_key(&(address.clone(), k.clone()))
        }) {
            self.request.observer.started(address, Action::Delete);
        }
        let provider = match self.provider(address) {
            Ok(provider) => provider,
            Err(message) => {
                let results = keys
                    .into_iter()
                    .map(|k| (k, Err(message.clone())))
                    .collect();
                self.finish_deposed(address, results).ok()?;
                return None;
            }
        };
        // A deposed object no longer in state is already gone: nothing to send.
        let requests: Vec<(String, Option<crate::provider::DeleteRequest>)> = keys
            .into_iter()
            .map(|key| {
                let request =
                    self.deposed_object(address, &key)
                        .map(|old| crate::provider::DeleteRequest {
                            type_name: address.type_name.clone(),
                            address: old.label(),
                            prior: Value::from_json(&old.resource.attributes),
                        });
                (key, request)
            })
            .collect();
        let address = address.clone();
        Some(Box::pin(async move {
            let mut results = Vec::new();
            for (key, request) in requests {
                let result = match request {
                    Some(request) => provider.delete(request).await.map_err(|e| e.message),
                    None => Ok(()),
                };
                results.push((key, result));
            }
            let step = Step::DeletedDeposed(results);
            Done { address, step }
        }))
    }

    /// Records what became of each deposed object at `address`.
    pub(super) fn finish_deposed(
        &mut self,
        address: &ResourceAddress,
        results: Vec<(String, Result<(), String>)>,
    ) -> Result<(), super::ApplyError> {
        for (key, result) in results {
            if result.is_ok() {
                let operation = state::Operation::RemoveDeposed {
                    at: deposed_at(address, &key),
                };
                let after = format!("deleting `{address}` (deposed object {key})");
                self.commit(operation, &after)?;
            }
            let planned = self
                .deposed_changes
                .get(&(address.clone(), key.clone()))
                .copied();
            match (planned, result) {
                (Some(change), Ok(())) => self.succeed(change, None),
                (Some(change), Err(message)) => {
                    self.record(change, Action::Delete, Outcome::Failed { message })
                }
                (None, result) => self.finish_replacement(address, &key, result),
            }
        }
        Ok(())
    }

    /// The outcome of a `create_before_destroy` replacement, once its old
    /// object's delete ended.
    fn finish_replacement(
        &mut self,
        address: &ResourceAddress,
        key: &str,
        result: Result<(), String>,
    ) {
        self.deposed_here.remove(address);
        let Some(change) = self.changes.get(address).copied() else {
            return;
        };
        match result {
            Ok(()) => {
                let id = address
                    .in_state(&self.state)
                    .and_then(|r| r.attributes.get("id")?.as_str().map(str::to_string));
                self.succeed(change, id);
            }
            Err(error) => {
                let message = format!(
                    "the replacement was created, but deleting the old object (deposed object \
                     {key}) failed; it stays in state and the next plan deletes it: {error}"
                );
                self.record(change, change.action, Outcome::Failed { message });
            }
        }
    }

    /// What is left at `address` when the walk stopped (an interrupt).
    pub(super) fn deposed_left(&mut self, address: &ResourceAddress) {
        for key in self.deposed_keys(address) {
            match self
                .deposed_changes
                .get(&(address.clone(), key.clone()))
                .copied()
            {
                Some(change) => self.record(change, Action::Delete, Outcome::NotStarted),
                None => {
                    let error = "interrupted before it started".to_string();
                    self.finish_replacement(address, &key, Err(error));
                }
            }
        }
    }

    fn deposed_keys(&self, address: &ResourceAddress) -> Vec<String> {
        let planned = self
            .deposed_changes
            .keys()
            .filter(|(a, _)| a == address)
            .map(|(_, k)| k.clone());
        planned
            .chain(self.deposed_here.get(address).cloned())
            .collect()
    }

    fn deposed_object(
        &self,
        address: &ResourceAddress,
        key: &str,
    ) -> Option<&state::DeposedObject> {
        self.state
            .deposed
            .iter()
            .find(|d| d.key == key && ResourceAddress::of_state(&d.resource) == *address)
    }
}

/// The planned deletes of deposed objects, by address and key.
pub(super) fn planned_deletes(
    changes: &[ResourceChange],
) -> BTreeMap<(ResourceAddress, String), &ResourceChange> {
    changes
        .iter()
        .filter_map(|c| Some(((c.address.clone(), c.deposed.clone()?), c)))
        .collect()
}

fn deposed_at(address: &ResourceAddress, key: &str) -> state::DeposedAt {
    state::DeposedAt {
        module: address.module.clone(),
        type_name: address.type_name.clone(),
        name: address.name.clone(),
        index_key: address.key.clone(),
        key: key.to_string(),
    }
}
