//! Apply: carry out a plan in dependency order (deletes in reverse), persisting
//! state after every object operation, and reporting each step to an observer.
//! A failure skips what depends on it; everything else still runs.
//!
//! Each operation is persisted as one [`state::Operation`] through
//! [`state::Backend::record`] (a journal line for the local backend), so its
//! cost does not grow with the state; the whole state is stored once at the
//! end. Before each create the intent is recorded with the planned natural
//! key, so that a run killed between "the provider created it" and "state
//! recorded it" is repaired by `recover` on the next run.

mod observer;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

pub use observer::{ApplyObserver, Outcome};

use crate::config::{Config, ResourceBlock};
use crate::eval::{Scope, evaluate_body};
use crate::graph::Graph;
use crate::plan::diff::proposed;
use crate::plan::{Action, Plan, ResourceChange};
use crate::provider::{BlockSchema, CreateRequest, DeleteRequest, UpdateRequest};
use crate::providers::Providers;
use crate::{ResourceAddress, Value};

/// Everything applying needs.
pub struct ApplyRequest<'a> {
    /// The plan to carry out.
    pub plan: &'a Plan,
    /// The configuration it was made from (re-evaluated now that values are known).
    pub config: &'a Config,
    /// The configuration's graph.
    pub graph: &'a Graph,
    /// Resolved input variables.
    pub variables: &'a BTreeMap<String, Value>,
    /// Configured providers.
    pub providers: &'a Providers,
    /// Where state is persisted after every operation.
    pub backend: &'a dyn state::Backend,
    /// Told of each operation as it starts and ends.
    pub observer: &'a dyn ApplyObserver,
}

/// What an apply did, resource by resource.
#[derive(Debug)]
pub struct ApplyReport {
    /// Each operation attempted or skipped, in the order it happened.
    pub outcomes: Vec<(ResourceAddress, Action, Outcome)>,
    /// The state as last persisted.
    pub state: state::State,
}

impl ApplyReport {
    /// True when every planned operation succeeded.
    pub fn succeeded(&self) -> bool {
        self.outcomes
            .iter()
            .all(|(_, _, o)| matches!(o, Outcome::Succeeded { .. }))
    }
}

/// A failure that stops the apply at once: state could not be saved.
#[derive(Debug, thiserror::Error)]
#[error("could not persist state after {after}; the objects it changed may not be recorded")]
pub struct ApplyError {
    /// The operation whose result could not be recorded.
    pub after: String,
    /// The backend's failure.
    #[source]
    pub source: state::Error,
}

/// Carries out `request.plan`.
pub async fn apply(request: ApplyRequest<'_>) -> Result<ApplyReport, ApplyError> {
    let mut run = Run::new(&request);
    if request.plan.refresh_changed_state {
        run.state.serial += 1;
        run.store("refresh")?;
    }
    for change in deletes_in_order(request.plan) {
        run.delete(change).await?;
    }
    let changes: BTreeMap<&ResourceAddress, &ResourceChange> = request
        .plan
        .changes
        .iter()
        .map(|c| (&c.address, c))
        .collect();
    for address in request.graph.order() {
        if let Some(change) = changes.get(&address) {
            run.converge(change).await?;
        }
    }
    // Compaction: one snapshot with every operation, so the next load reads no journal.
    run.store("the apply")?;
    Ok(ApplyReport {
        outcomes: run.outcomes,
        state: run.state,
    })
}

/// Deletes run dependents first: the reverse of the order recorded in state.
fn deletes_in_order(plan: &Plan) -> Vec<&ResourceChange> {
    let deletes: BTreeMap<ResourceAddress, &ResourceChange> = plan
        .changes
        .iter()
        .filter(|c| c.action == Action::Delete)
        .map(|c| (c.address.clone(), c))
        .collect();
    let nodes: Vec<(ResourceAddress, Vec<ResourceAddress>)> = plan
        .prior
        .resources
        .iter()
        .map(|r| {
            let deps = r
                .dependencies
                .iter()
                .filter_map(|d| parse_address(d))
                .collect();
            (ResourceAddress::new(&r.type_name, &r.name), deps)
        })
        .collect();
    let mut order = Graph::from_dependencies(&nodes).order();
    order.reverse();
    order
        .iter()
        .filter_map(|a| deletes.get(a).copied())
        .collect()
}

fn parse_address(text: &str) -> Option<ResourceAddress> {
    text.split_once('.')
        .map(|(t, n)| ResourceAddress::new(t, n))
}

/// The mutable side of one apply: current state, known values and outcomes.
struct Run<'a> {
    request: &'a ApplyRequest<'a>,
    state: state::State,
    blocks: BTreeMap<&'a ResourceAddress, &'a ResourceBlock>,
    /// Resources that failed or were skipped; their dependents are skipped.
    broken: BTreeSet<ResourceAddress>,
    outcomes: Vec<(ResourceAddress, Action, Outcome)>,
}

impl<'a> Run<'a> {
    fn new(request: &'a ApplyRequest<'a>) -> Self {
        Self {
            request,
            state: request.plan.prior.clone(),
            blocks: request
                .config
                .resources
                .iter()
                .map(|r| (&r.address, r))
                .collect(),
            broken: BTreeSet::new(),
            outcomes: Vec::new(),
        }
    }

    /// Applies `operation` to the state and persists it.
    fn commit(&mut self, operation: state::Operation, after: &str) -> Result<(), ApplyError> {
        operation.apply_to(&mut self.state);
        self.state.serial += 1;
        self.request
            .backend
            .record(&self.state, &operation)
            .map_err(|source| ApplyError {
                after: after.to_string(),
                source,
            })
    }

    fn store(&mut self, after: &str) -> Result<(), ApplyError> {
        self.request
            .backend
            .store(&self.state)
            .map_err(|source| ApplyError {
                after: after.to_string(),
                source,
            })
    }

    fn remove(&mut self, address: &ResourceAddress, after: &str) -> Result<(), ApplyError> {
        let operation = state::Operation::Remove {
            type_name: address.type_name.clone(),
            name: address.name.clone(),
        };
        self.commit(operation, after)
    }

    fn record(&mut self, change: &ResourceChange, action: Action, outcome: Outcome) {
        if !matches!(outcome, Outcome::Succeeded { .. }) {
            self.broken.insert(change.address.clone());
        }
        self.request
            .observer
            .finished(&change.address, action, &outcome);
        self.outcomes
            .push((change.address.clone(), action, outcome));
    }

    async fn delete(&mut self, change: &ResourceChange) -> Result<(), ApplyError> {
        self.request
            .observer
            .started(&change.address, Action::Delete);
        let started = Instant::now();
        match self.delete_object(change).await {
            Ok(()) => {
                self.remove(&change.address, &format!("deleting `{}`", change.address))?;
                self.record(change, Action::Delete, succeeded(None, started.elapsed()));
            }
            Err(message) => self.record(change, Action::Delete, Outcome::Failed { message }),
        }
        Ok(())
    }

    async fn delete_object(&self, change: &ResourceChange) -> Result<(), String> {
        let provider = self.provider(&change.address)?;
        let prior = change.before.clone().unwrap_or(Value::Null);
        provider
            .delete(DeleteRequest {
                type_name: change.address.type_name.clone(),
                address: change.address.to_string(),
                prior,
            })
            .await
            .map_err(|e| e.message)
    }

    /// Creates, updates or replaces one resource, or skips it when a dependency broke.
    async fn converge(&mut self, change: &ResourceChange) -> Result<(), ApplyError> {
        let action = change.action;
        if matches!(action, Action::NoOp | Action::Delete) {
            return Ok(());
        }
        let deps = self.request.graph.dependencies(&change.address);
        if let Some(broken) = deps.iter().find(|d| self.broken.contains(*d)) {
            let outcome = Outcome::Skipped {
                because: broken.clone(),
            };
            self.record(change, action, outcome);
            return Ok(());
        }
        self.request.observer.started(&change.address, action);
        let started = Instant::now();
        if action == Action::Replace {
            if let Err(message) = self.delete_object(change).await {
                self.record(change, action, Outcome::Failed { message });
                return Ok(());
            }
            let after = format!("deleting `{}` to replace it", change.address);
            self.remove(&change.address, &after)?;
        }
        match self.write_object(change, &deps).await? {
            Ok(value) => {
                let id = value.get("id").and_then(Value::as_str).map(str::to_string);
                self.store_object(change, &deps, value)?;
                self.record(change, action, succeeded(id, started.elapsed()));
            }
            Err(message) => self.record(change, action, Outcome::Failed { message }),
        }
        Ok(())
    }

    /// Re-evaluates the configuration with the now-known values of what it
    /// references, then creates or updates the object.
    /// The outer error stops the apply (state could not be saved); the inner
    /// one is this object's failure.
    async fn write_object(
        &mut self,
        change: &ResourceChange,
        deps: &[ResourceAddress],
    ) -> Result<Result<Value, String>, ApplyError> {
        let address = &change.address;
        let Some(block) = self.blocks.get(address) else {
            return Ok(Err("not in configuration".into()));
        };
        let Some(schema) = self.request.providers.resource_schema(&address.type_name) else {
            return Ok(Err("no provider offers this resource type".into()));
        };
        let known = self.known_values();
        let scope = Scope::new(self.request.variables, &known)
            .with_config(self.request.config)
            .with_phase(crate::eval::Phase::Apply);
        let config = match evaluate_body(&block.body, &scope) {
            Ok(config) => config,
            Err(d) => {
                return Ok(Err(d
                    .iter()
                    .map(|d| d.summary.clone())
                    .collect::<Vec<_>>()
                    .join("; ")));
            }
        };
        let provider = match self.provider(address) {
            Ok(provider) => provider,
            Err(message) => return Ok(Err(message)),
        };
        let current = self
            .state
            .get(&address.type_name, &address.name)
            .map(|r| Value::from_json(&r.attributes));
        let result = match current {
            Some(prior) => {
                let planned = proposed(schema, &config, Some(&prior));
                provider
                    .update(UpdateRequest {
                        type_name: address.type_name.clone(),
                        address: address.to_string(),
                        prior,
                        planned,
                    })
                    .await
            }
            None => {
                let planned = proposed(schema, &config, None);
                let intent = state::PendingCreate {
                    type_name: address.type_name.clone(),
                    name: address.name.clone(),
                    provider: address.provider_name().to_string(),
                    planned: natural_key_material(schema, &planned),
                    dependencies: deps.iter().map(ToString::to_string).collect(),
                };
                self.commit(
                    state::Operation::BeginCreate { intent },
                    &format!("recording the intent to create `{address}`"),
                )?;
                provider
                    .create(CreateRequest {
                        type_name: address.type_name.clone(),
                        address: address.to_string(),
                        planned,
                    })
                    .await
            }
        };
        Ok(result.map_err(|e| e.message))
    }

    fn store_object(
        &mut self,
        change: &ResourceChange,
        deps: &[ResourceAddress],
        value: Value,
    ) -> Result<(), ApplyError> {
        let address = &change.address;
        let Some(attributes) = value.to_json() else {
            // A provider must return known values; record nothing rather than a guess.
            self.record(
                change,
                change.action,
                Outcome::Failed {
                    message: "the provider returned values that are still unknown".into(),
                },
            );
            return Ok(());
        };
        let resource = state::ResourceState {
            type_name: address.type_name.clone(),
            name: address.name.clone(),
            provider: address.provider_name().to_string(),
            attributes,
            dependencies: deps.iter().map(ToString::to_string).collect(),
        };
        self.commit(
            state::Operation::Upsert { resource },
            &format!("writing `{address}`"),
        )
    }

    /// Values of every configured resource: from state when it exists, else unknown.
    fn known_values(&self) -> BTreeMap<ResourceAddress, Value> {
        self.blocks
            .keys()
            .map(|&a| {
                let value = self
                    .state
                    .get(&a.type_name, &a.name)
                    .map_or(Value::Unknown, |r| Value::from_json(&r.attributes));
                (a.clone(), value)
            })
            .collect()
    }

    fn provider(
        &self,
        address: &ResourceAddress,
    ) -> Result<&'a std::sync::Arc<dyn crate::provider::Provider>, String> {
        self.request
            .providers
            .get(address.provider_name())
            .ok_or_else(|| format!("no provider `{}` is configured", address.provider_name()))
    }
}

/// The planned attributes that are known and not sensitive: what an intent
/// records so that the provider can find the object later, and no secret.
fn natural_key_material(schema: &BlockSchema, planned: &Value) -> serde_json::Value {
    let known = planned
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, value)| {
            !value.contains_sensitive()
                && !schema.attributes.get(*name).is_some_and(|a| a.sensitive)
        })
        .filter_map(|(name, value)| Some((name.clone(), value.to_json()?)))
        .collect();
    serde_json::Value::Object(known)
}

fn succeeded(id: Option<String>, elapsed: Duration) -> Outcome {
    Outcome::Succeeded { id, elapsed }
}

#[cfg(test)]
mod tests;
