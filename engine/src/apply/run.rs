//! One apply in progress: the state being written, the outcomes so far, and
//! the parallel walk that starts provider calls as their dependencies finish.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tokio::task::{Id, JoinSet};

use super::walk::Walk;
use super::{ApplyError, ApplyRequest, Outcome};
use crate::config::ResourceBlock;
use crate::eval::{Repeat, Scope, evaluate_body};
use crate::plan::diff::proposed;
use crate::plan::expand;
use crate::plan::secret_leaves;
use crate::plan::{Action, ResourceChange};
use crate::provider::{
    BlockSchema, CreateRequest, DeleteRequest, Provider, ProviderError, ProviderErrorKind,
    ReadDataRequest, UpdateRequest,
};
use crate::{InstanceKey, ProviderConfigRef, ResourceAddress, Value};

/// Deletes first (dependents before what they depend on), then everything
/// else, then the deposed objects (see `deposed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    /// Objects leaving the configuration.
    Delete,
    /// Creates, updates and replaces.
    Converge,
    /// The old objects of `create_before_destroy` replacements.
    Deposed,
}

/// What a provider call ended with.
pub(super) enum Step {
    Deleted(Result<(), String>),
    Written(Result<Value, ProviderError>),
    Read(Result<Value, String>),
    /// The deletes of the deposed objects at one address, by deposed key.
    DeletedDeposed(Vec<(String, Result<(), String>)>),
}

/// A provider call under way.
pub(super) type Task = Pin<Box<dyn Future<Output = Done> + Send + 'static>>;

/// A finished provider call.
pub(super) struct Done {
    pub(super) address: ResourceAddress,
    pub(super) step: Step,
}

/// The mutable side of one apply.
pub(super) struct Run<'a> {
    pub(super) request: &'a ApplyRequest<'a>,
    pub(super) state: state::State,
    blocks: BTreeMap<&'a ResourceAddress, &'a ResourceBlock>,
    /// The planned changes of current objects, by address.
    pub(super) changes: BTreeMap<&'a ResourceAddress, &'a ResourceChange>,
    /// The planned deletes of deposed objects, by address and deposed key.
    pub(super) deposed_changes: BTreeMap<(ResourceAddress, String), &'a ResourceChange>,
    /// The `create_before_destroy` replacements of this run whose old object is
    /// deposed (by address, with the deposed key), until it is deleted.
    pub(super) deposed_here: BTreeMap<ResourceAddress, String>,
    /// Resources (in their module instance) with an instance that failed or
    /// was skipped (and the first such instance); their dependents are skipped.
    broken: BTreeMap<ResourceAddress, ResourceAddress>,
    /// When each operation under way started.
    started: BTreeMap<ResourceAddress, Instant>,
    /// Sealed copies of the write-only values each write under way sends.
    sent_write_only: BTreeMap<ResourceAddress, Vec<(String, Value)>>,
    pub(super) outcomes: Vec<(ResourceAddress, Action, Outcome)>,
    /// Time spent in the backend.
    pub(super) persisting: Duration,
    /// Data source instances read, while planning or during this apply.
    pub(super) data: BTreeMap<ResourceAddress, Value>,
}

impl<'a> Run<'a> {
    pub(super) fn new(request: &'a ApplyRequest<'a>) -> Self {
        Self {
            request,
            state: request.plan.prior.clone(),
            blocks: request
                .config
                .all_resources()
                .into_iter()
                .map(|r| (&r.address, r))
                .collect(),
            changes: request
                .plan
                .changes
                .iter()
                .filter(|c| c.deposed.is_none())
                .map(|c| (&c.address, c))
                .collect(),
            deposed_changes: super::deposed::planned_deletes(&request.plan.changes),
            deposed_here: BTreeMap::new(),
            broken: BTreeMap::new(),
            started: BTreeMap::new(),
            sent_write_only: BTreeMap::new(),
            outcomes: Vec::new(),
            persisting: Duration::ZERO,
            data: request.plan.data.clone(),
        }
    }

    /// Runs one phase: every change of it, in parallel as dependencies allow.
    pub(super) async fn walk(&mut self, phase: Phase) -> Result<(), ApplyError> {
        let nodes: Vec<ResourceAddress> = match phase {
            Phase::Deposed => self.deposed_nodes(),
            _ => self
                .changes
                .values()
                .filter(|c| in_phase(c, phase))
                .map(|c| c.address.clone())
                .collect(),
        };
        let mut walk = match phase {
            Phase::Delete | Phase::Deposed => {
                let dependents = self.dependents_in_prior_state();
                Walk::new(&nodes, |n| {
                    dependents.get(&n.block()).cloned().unwrap_or_default()
                })
            }
            Phase::Converge => {
                let mut instances: BTreeMap<ResourceAddress, Vec<ResourceAddress>> =
                    BTreeMap::new();
                for node in &nodes {
                    instances
                        .entry(node.block())
                        .or_default()
                        .push(node.clone());
                }
                Walk::new(&nodes, |n| {
                    let deps = self.request.graph.dependencies(n);
                    let found = deps.iter().filter_map(|block| instances.get(block));
                    found.flatten().cloned().collect()
                })
            }
        };
        let mut tasks: JoinSet<Done> = JoinSet::new();
        let mut running: BTreeMap<Id, ResourceAddress> = BTreeMap::new();
        let limit = self.request.parallelism.max(1);
        loop {
            while running.len() < limit && !self.interrupted() {
                let Some(address) = walk.next() else { break };
                match self.start(&address, phase)? {
                    Some(task) => {
                        let handle = tasks.spawn(task);
                        running.insert(handle.id(), address);
                    }
                    None => walk.finish(&address),
                }
            }
            let Some(joined) = tasks.join_next_with_id().await else {
                break;
            };
            let done = match joined {
                Ok((id, done)) => {
                    running.remove(&id);
                    done
                }
                Err(error) => {
                    let address = running
                        .remove(&error.id())
                        .unwrap_or_else(|| ResourceAddress::new("?", "?"));
                    let message = format!("the operation stopped unexpectedly: {error}");
                    let step = Step::Written(Err(ProviderError::new(
                        ProviderErrorKind::Connection,
                        message,
                    )));
                    Done { address, step }
                }
            };
            let address = done.address.clone();
            match self.finish(done)? {
                Some(follow_up) => {
                    let handle = tasks.spawn(follow_up);
                    running.insert(handle.id(), address);
                }
                None => walk.finish(&address),
            }
        }
        for address in walk.left() {
            if phase == Phase::Deposed {
                self.deposed_left(&address);
            } else if let Some(change) = self.changes.get(&address).copied() {
                self.record(change, change.action, Outcome::NotStarted);
            }
        }
        Ok(())
    }

    fn interrupted(&self) -> bool {
        self.request
            .interrupt
            .is_some_and(|flag| flag.load(Ordering::SeqCst))
    }

    /// For each object in the prior state (deposed ones too), the objects that depended on it.
    fn dependents_in_prior_state(&self) -> BTreeMap<ResourceAddress, Vec<ResourceAddress>> {
        let mut dependents: BTreeMap<ResourceAddress, Vec<ResourceAddress>> = BTreeMap::new();
        let prior = &self.request.plan.prior;
        let deposed = prior.deposed.iter().map(|d| &d.resource);
        for resource in prior.resources.iter().chain(deposed) {
            let address = ResourceAddress::of_state(resource);
            for dep in resource
                .dependencies
                .iter()
                .filter_map(|d| parse_address(d))
            {
                dependents.entry(dep).or_default().push(address.clone());
            }
        }
        dependents
    }

    /// The failed or skipped instance of something `address` depends on, if
    /// any: in its own module instance, or in any instance of a module the
    /// dependency is not shared with.
    fn broken_dependency(&self, address: &ResourceAddress) -> Option<ResourceAddress> {
        for dep in self.request.graph.dependencies(address) {
            let dep = dep.beside(address);
            if let Some(broken) = self.broken.get(&dep) {
                return Some(broken.clone());
            }
            if dep.module.iter().any(|s| s.index_key.is_none())
                && let Some((_, broken)) = self.broken.iter().find(|(k, _)| dep.contains(k))
            {
                return Some(broken.clone());
            }
        }
        None
    }

    /// Starts the first provider call for `address`; `None` when it ended at
    /// once (skipped, or failed before any call).
    fn start(
        &mut self,
        address: &ResourceAddress,
        phase: Phase,
    ) -> Result<Option<Task>, ApplyError> {
        if phase == Phase::Deposed {
            return Ok(self.start_deposed(address));
        }
        let Some(change) = self.changes.get(address).copied() else {
            return Ok(None);
        };
        if phase == Phase::Converge
            && let Some(because) = self.broken_dependency(address)
        {
            self.record(change, change.action, Outcome::Skipped { because });
            return Ok(None);
        }
        self.request.observer.started(address, change.action);
        self.started.insert(address.clone(), Instant::now());
        if change.importing.is_some() && address.in_state(&self.state).is_none() {
            self.adopt_imported(change)?;
            if change.action == Action::NoOp {
                self.succeed(change, None);
                return Ok(None);
            }
        }
        if matches!(change.action, Action::Delete | Action::Replace) {
            return Ok(self.delete_task(change));
        }
        if change.action == Action::Read {
            return Ok(self.read_task(change));
        }
        if change.action == Action::CreateThenDelete {
            self.depose(change)?;
        }
        self.write_task(change)
    }

    /// Handles a finished call; returns the next call for the same object
    /// (the create half of a replace), or `None` when the object is done.
    fn finish(&mut self, done: Done) -> Result<Option<Task>, ApplyError> {
        if let Step::DeletedDeposed(results) = done.step {
            self.finish_deposed(&done.address, results)?;
            return Ok(None);
        }
        let Some(change) = self.changes.get(&done.address).copied() else {
            return Ok(None);
        };
        match done.step {
            Step::Deleted(Ok(())) => {
                let why = if change.action == Action::Replace {
                    " to replace it"
                } else {
                    ""
                };
                self.remove(
                    &change.address,
                    &format!("deleting `{}`{why}", change.address),
                )?;
                if change.action == Action::Replace {
                    return self.write_task(change);
                }
                self.succeed(change, None);
            }
            Step::Written(Ok(value)) => {
                let id = value.get("id").and_then(Value::as_str).map(str::to_string);
                let failed_post = self.postcondition_failure(&change.address, &value);
                if self.store_object(change, value)? {
                    match failed_post {
                        // Recorded (it exists), but what depends on it is skipped;
                        // an old deposed object stays for the next plan to delete.
                        Some(message) => {
                            self.deposed_here.remove(&change.address);
                            self.record(change, change.action, Outcome::Failed { message })
                        }
                        // The outcome of a create_before_destroy replacement waits
                        // for its old object's delete (see `deposed`).
                        None if self.deposed_here.contains_key(&change.address) => {}
                        None => self.succeed(change, id),
                    }
                }
            }
            Step::Read(Ok(value)) => {
                self.data.insert(change.address.clone(), value);
                self.succeed(change, None);
            }
            Step::Written(Err(error)) => {
                if self.deposed_here.contains_key(&change.address) {
                    self.restore(&change.address)?;
                }
                let message = self.write_failure(&change.address, error);
                self.record(change, change.action, Outcome::Failed { message });
            }
            Step::Deleted(Err(message)) | Step::Read(Err(message)) => {
                self.record(change, change.action, Outcome::Failed { message });
            }
            Step::DeletedDeposed(_) => {}
        }
        Ok(None)
    }

    /// Records the object an `import` block read, before changing it.
    fn adopt_imported(&mut self, change: &ResourceChange) -> Result<(), ApplyError> {
        let address = &change.address;
        let Some(attributes) = change.before.as_ref().and_then(Value::to_json) else {
            return Ok(());
        };
        let by = self.configuration_of(address);
        let resource = address.to_state_managed_by(&by, attributes, self.dependency_names(address));
        self.commit(
            state::Operation::Upsert { resource },
            &format!("importing `{address}`"),
        )
    }

    pub(super) fn succeed(&mut self, change: &ResourceChange, id: Option<String>) {
        let elapsed = self
            .started
            .remove(&change.address)
            .map_or(Duration::ZERO, |s| s.elapsed());
        self.record(change, change.action, Outcome::Succeeded { id, elapsed });
    }

    fn delete_task(&mut self, change: &ResourceChange) -> Option<Task> {
        let provider = match self.deleter(&change.address) {
            Ok(provider) => provider,
            Err(message) => {
                self.record(change, change.action, Outcome::Failed { message });
                return None;
            }
        };
        let address = change.address.clone();
        let request = DeleteRequest {
            type_name: address.type_name.clone(),
            address: address.to_string(),
            prior: change.before.clone().unwrap_or(Value::Null),
        };
        Some(Box::pin(async move {
            let step = Step::Deleted(provider.delete(request).await.map_err(|e| e.message));
            Done { address, step }
        }))
    }

    /// Reads a data source whose arguments became known during this apply.
    fn read_task(&mut self, change: &ResourceChange) -> Option<Task> {
        let config = match self.evaluate(&change.address) {
            Ok(config) => config,
            Err(message) => {
                self.record(change, change.action, Outcome::Failed { message });
                return None;
            }
        };
        let provider = match self.writer(&change.address) {
            Ok(provider) => provider,
            Err(message) => {
                self.record(change, change.action, Outcome::Failed { message });
                return None;
            }
        };
        let address = change.address.clone();
        let request = ReadDataRequest {
            type_name: address.type_name.clone(),
            address: address.to_string(),
            config: config.unmark_deep().0,
        };
        Some(Box::pin(async move {
            let step = Step::Read(provider.read_data(request).await.map_err(|e| e.message));
            Done { address, step }
        }))
    }

    /// Re-evaluates the configuration with the now-known values of what it
    /// references and starts the create or update. Before a create, the intent
    /// is recorded. The error stops the apply (state could not be saved).
    fn write_task(&mut self, change: &ResourceChange) -> Result<Option<Task>, ApplyError> {
        let prepared = match self.prepare_write(change) {
            Ok(prepared) => prepared,
            Err(message) => {
                self.record(change, change.action, Outcome::Failed { message });
                return Ok(None);
            }
        };
        let (provider, write) = prepared;
        let planned = match &write {
            Write::Create(request) => &request.planned,
            Write::Update(request) => &request.planned,
        };
        let sealed = self.sealed_write_only(&change.address, planned);
        self.sent_write_only.insert(change.address.clone(), sealed);
        if let Write::Create(request) = &write {
            let intent = self.intent(&change.address, &request.planned);
            // Recorded up front when its key was known at plan time; else now.
            if !self.state.pending_creates.contains(&intent) {
                let after = format!("recording the intent to create `{}`", change.address);
                self.commit(state::Operation::BeginCreate { intent }, &after)?;
            }
        }
        let guard = match &write {
            Write::Create(request) => self.guard(change, &provider, &request.planned),
            Write::Update(_) => None,
        };
        let address = change.address.clone();
        Ok(Some(Box::pin(async move {
            let result = match write {
                Write::Create(request) => provider.create(request).await,
                Write::Update(request) => provider.update(request).await,
            };
            let result = match guard {
                Some(guard) => guard.check(result).await,
                None => result,
            };
            let step = Step::Written(result);
            Done { address, step }
        })))
    }

    /// The message of a failed write. A create that PingOne refused because the object
    /// exists, when this state manages that object at another address, is two resources
    /// describing one object: the provider's advice to import it would make it worse.
    fn write_failure(&self, address: &ResourceAddress, error: ProviderError) -> String {
        let Some(id) = error.existing_id.as_deref() else {
            return error.message;
        };
        let holder = self.state.resources.iter().find(|r| {
            r.type_name == address.type_name
                && r.attributes.get("id").and_then(serde_json::Value::as_str) == Some(id)
        });
        match holder.map(state::ResourceState::address) {
            Some(other) if other != address.to_string() => format!(
                "create {address}: the object already exists in PingOne (id {id}) and this \
                 state manages it as `{other}`: two resources describe the same object. \
                 Remove one of them from the configuration, or, if `{other}` was renamed to \
                 `{address}`, move it with `pingform state mv '{other}' '{address}'` (or a \
                 `moved` block)"
            ),
            _ => error.message,
        }
    }

    fn prepare_write(&self, change: &ResourceChange) -> Result<(Arc<dyn Provider>, Write), String> {
        let address = &change.address;
        let schema = self
            .request
            .providers
            .resource_schema(&address.type_name)
            .ok_or("no provider offers this resource type")?;
        let config = self.evaluate(address)?;
        let provider = self.writer(address)?;
        let type_name = address.type_name.clone();
        let current = address
            .in_state(&self.state)
            .map(|r| Value::from_json(&r.attributes));
        let write = match current {
            Some(prior) => Write::Update(UpdateRequest {
                planned: proposed(schema, &config, Some(&prior)),
                type_name,
                address: address.to_string(),
                prior,
            }),
            None => Write::Create(CreateRequest {
                planned: proposed(schema, &config, None),
                type_name,
                address: address.to_string(),
            }),
        };
        Ok((provider, write))
    }

    /// An apply-time scope over `known` values, in the module instance of `address`.
    fn scope<'s>(
        &'s self,
        known: &'s BTreeMap<ResourceAddress, Value>,
        address: &'s ResourceAddress,
    ) -> Scope<'s> {
        Scope::new(self.request.variables, known)
            .in_module(self.request.config, &address.module)
            .with_phase(crate::eval::Phase::Apply)
    }

    /// The error of the first `postcondition` the written object fails, if any.
    fn postcondition_failure(&self, address: &ResourceAddress, written: &Value) -> Option<String> {
        let block = self.blocks.get(&address.block())?;
        if block.lifecycle.postconditions.is_empty() {
            return None;
        }
        let known = self.known_values(address);
        let scope = self.scope(&known, address);
        let repeat = repeat_of(block, address, &scope).ok()?;
        let scope = scope.with_repeat(repeat.as_ref()).with_self(written);
        let kind = crate::plan::conditions::Kind::Post;
        let postconditions = &block.lifecycle.postconditions;
        crate::plan::conditions::check(postconditions, &scope, kind, &address.to_string())
            .err()
            .map(|d| format!("{}: {}", d.summary, d.detail.unwrap_or_default()))
    }

    /// The arguments of the instance at `address`, evaluated with the values
    /// now known of what it references.
    fn evaluate(&self, address: &ResourceAddress) -> Result<Value, String> {
        let block = self
            .blocks
            .get(&address.block())
            .ok_or("not in configuration")?;
        let known = self.known_values(address);
        let scope = self.scope(&known, address);
        let repeat = repeat_of(block, address, &scope)?;
        let scope = scope.with_repeat(repeat.as_ref());
        evaluate_body(&block.body, &scope).map_err(|d| {
            d.iter()
                .map(|d| d.summary.clone())
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    /// Records a written object; false (and a failure) when the provider
    /// returned values that are still unknown.
    fn store_object(&mut self, change: &ResourceChange, value: Value) -> Result<bool, ApplyError> {
        let address = &change.address;
        let value = self.seal_write_only(address, value);
        let Some(attributes) = value.to_json() else {
            let message = "the provider returned values that are still unknown".to_string();
            self.record(change, change.action, Outcome::Failed { message });
            return Ok(false);
        };
        let by = self.configuration_of(address);
        let resource = address.to_state_managed_by(&by, attributes, self.dependency_names(address));
        self.commit(
            state::Operation::Upsert { resource },
            &format!("writing `{address}`"),
        )?;
        Ok(true)
    }

    /// Sealed copies of the write-only values in `planned` (ones already sealed are
    /// unchanged values, kept as they are).
    fn sealed_write_only(
        &self,
        address: &ResourceAddress,
        planned: &Value,
    ) -> Vec<(String, Value)> {
        let Some(schema) = self.request.providers.resource_schema(&address.type_name) else {
            return Vec::new();
        };
        let mut copies: Vec<(String, Value)> = schema
            .attributes
            .iter()
            .filter(|(_, a)| a.write_only)
            .filter_map(|(name, _)| {
                let value = planned.get(name).filter(|v| !v.is_null())?;
                Some((name.clone(), crate::plan::sealed::seal_once(value)))
            })
            .collect();
        // Secrets inside object attributes, by their full dotted path.
        for (name, attr) in &schema.attributes {
            if let Some(value) = planned.get(name) {
                let inside = secret_leaves::sealed_copies(attr, value);
                copies.extend(
                    inside
                        .into_iter()
                        .map(|(path, seal)| (format!("{name}.{path}"), seal)),
                );
            }
        }
        copies
    }

    /// Puts a sealed copy of each write-only value that was sent into `value`, so
    /// the next plan can tell whether the configured value changed.
    fn seal_write_only(&mut self, address: &ResourceAddress, value: Value) -> Value {
        let sent = self.sent_write_only.remove(address).unwrap_or_default();
        let mut value = value;
        secret_leaves::put_copies(&mut value, sent);
        value
    }

    /// The intent to create `address` with the `planned` attributes.
    pub(super) fn intent(
        &self,
        address: &ResourceAddress,
        planned: &Value,
    ) -> state::PendingCreate {
        let schema = self.request.providers.resource_schema(&address.type_name);
        state::PendingCreate {
            module: address.module.clone(),
            type_name: address.type_name.clone(),
            name: address.name.clone(),
            index_key: address.key.clone(),
            provider: self.configuration_of(address).to_string(),
            planned: schema.map_or(serde_json::Value::Null, |s| {
                natural_key_material(s, planned)
            }),
            dependencies: self.dependency_names(address),
        }
    }

    /// Records, with one sync, the intent of every create whose natural key is
    /// known from the plan, so that most creates need no sync of their own.
    /// An intent whose create never runs is harmless: the next run finds
    /// nothing and drops it.
    pub(super) fn record_known_intents(&mut self) -> Result<(), ApplyError> {
        let mut operations = Vec::new();
        for change in &self.request.plan.changes {
            let (Action::Create, Some(after)) = (change.action, &change.after) else {
                continue;
            };
            let known = self
                .request
                .providers
                .resource_schema(&change.address.type_name)
                .is_some_and(|schema| settable_attributes_known(schema, after));
            if known {
                let intent = self.intent(&change.address, after);
                operations.push(state::Operation::BeginCreate { intent });
            }
            // Otherwise its key depends on objects not created yet: recorded just before it.
        }
        if operations.is_empty() {
            return Ok(());
        }
        for operation in &operations {
            operation.apply_to(&mut self.state);
        }
        self.state.serial += operations.len() as u64;
        let started = Instant::now();
        let result = self.request.backend.record_all(&self.state, &operations);
        self.persisting += started.elapsed();
        result.map_err(|source| ApplyError {
            after: "recording the intents to create".to_string(),
            source,
        })
    }

    /// Intents of creates that never started (a dependency failed, or the run
    /// was interrupted) were never acted on; the final snapshot leaves them out.
    pub(super) fn forget_unattempted_intents(&mut self) {
        for (address, action, outcome) in &self.outcomes {
            let unattempted = matches!(outcome, Outcome::Skipped { .. } | Outcome::NotStarted);
            if *action == Action::Create && unattempted {
                let key = address.key.as_ref();
                let module = &address.module;
                self.state
                    .end_create(module, &address.type_name, &address.name, key);
            }
        }
    }

    fn dependency_names(&self, address: &ResourceAddress) -> Vec<String> {
        self.request
            .graph
            .dependencies(address)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The values of what `address` references: from state when it exists,
    /// else unknown. Only its direct dependencies, so the cost per object does
    /// not grow with the configuration.
    fn known_values(&self, address: &ResourceAddress) -> BTreeMap<ResourceAddress, Value> {
        self.request
            .graph
            .dependencies(address)
            .into_iter()
            .flat_map(|a| match self.blocks.get(&a) {
                Some(block) if a.is_data() => expand::read_so_far(block, &self.data),
                Some(block) => expand::stored(block, &self.state, |v| v),
                None => vec![(a, Value::Unknown)],
            })
            .collect()
    }

    /// Applies `operation` to the state and persists it.
    pub(super) fn commit(
        &mut self,
        operation: state::Operation,
        after: &str,
    ) -> Result<(), ApplyError> {
        operation.apply_to(&mut self.state);
        self.state.serial += 1;
        let started = Instant::now();
        let result = self.request.backend.record(&self.state, &operation);
        self.persisting += started.elapsed();
        result.map_err(|source| ApplyError {
            after: after.to_string(),
            source,
        })
    }

    pub(super) fn store(&mut self, after: &str) -> Result<(), ApplyError> {
        let started = Instant::now();
        let result = self.request.backend.store(&self.state);
        self.persisting += started.elapsed();
        result.map_err(|source| ApplyError {
            after: after.to_string(),
            source,
        })
    }

    fn remove(&mut self, address: &ResourceAddress, after: &str) -> Result<(), ApplyError> {
        let operation = state::Operation::Remove {
            module: address.module.clone(),
            type_name: address.type_name.clone(),
            name: address.name.clone(),
            index_key: address.key.clone(),
        };
        self.commit(operation, after)
    }

    pub(super) fn record(&mut self, change: &ResourceChange, action: Action, outcome: Outcome) {
        if !matches!(outcome, Outcome::Succeeded { .. }) {
            self.broken
                .entry(change.address.without_key())
                .or_insert_with(|| change.address.clone());
        }
        self.started.remove(&change.address);
        self.request
            .observer
            .finished(&change.address, action, &outcome);
        self.outcomes
            .push((change.address.clone(), action, outcome));
    }

    /// The provider configuration of the block of `address` (which creates,
    /// updates and reads it).
    fn configuration_of(&self, address: &ResourceAddress) -> ProviderConfigRef {
        self.blocks.get(&address.block()).map_or_else(
            || ProviderConfigRef::implied_by(address),
            |block| ProviderConfigRef::for_resource(block),
        )
    }

    /// The provider that creates, updates or reads `address`: its block's configuration.
    fn writer(&self, address: &ResourceAddress) -> Result<Arc<dyn Provider>, String> {
        let by = self.configuration_of(address);
        let provider = self.request.providers.configuration(&by).cloned();
        provider.ok_or_else(|| format!("the provider configuration `{by}` is not configured"))
    }

    /// The provider that deletes `address`: the configuration state records as
    /// managing it (the block's, for an object not in state).
    fn deleter(&self, address: &ResourceAddress) -> Result<Arc<dyn Provider>, String> {
        match address.in_state(&self.state) {
            Some(stored) => self
                .request
                .providers
                .for_state(&stored.address(), &stored.provider)
                .cloned()
                .map_err(|e| e.to_string()),
            None => self.writer(address),
        }
    }

    /// The provider that creates, updates or reads `address` (see [`Self::writer`]).
    pub(super) fn provider(&self, address: &ResourceAddress) -> Result<Arc<dyn Provider>, String> {
        self.writer(address)
    }
}

/// A create or an update, ready to send.
enum Write {
    Create(CreateRequest),
    Update(UpdateRequest),
}

fn in_phase(change: &ResourceChange, phase: Phase) -> bool {
    let action = change.action;
    match phase {
        Phase::Delete => action == Action::Delete,
        Phase::Converge if change.importing.is_some() => true,
        Phase::Converge => matches!(
            action,
            Action::Create
                | Action::Update
                | Action::Replace
                | Action::CreateThenDelete
                | Action::Read
        ),
        Phase::Deposed => false,
    }
}

/// `count.index` or `each.*` of the instance at `address` (`for_each` values are
/// evaluated again: they may have been unknown when planning).
fn repeat_of(
    block: &ResourceBlock,
    address: &ResourceAddress,
    scope: &Scope<'_>,
) -> Result<Option<Repeat>, String> {
    Ok(match &address.key {
        None => None,
        Some(InstanceKey::Int(i)) => Some(Repeat::Count(*i)),
        Some(InstanceKey::Str(key)) => {
            Some(expand::each_value(block, key, scope).map_err(|d| d.summary)?)
        }
    })
}

fn parse_address(text: &str) -> Option<ResourceAddress> {
    text.parse().ok()
}

/// Whether every attribute the configuration can set is known in `planned`
/// (only provider-computed ones may still be unknown): then the apply-time
/// value, and so the natural key, is already fixed.
fn settable_attributes_known(schema: &BlockSchema, planned: &Value) -> bool {
    use crate::provider::Presence;
    schema.attributes.iter().all(|(name, attribute)| {
        let value = planned.get(name).unwrap_or(&Value::Null);
        value.is_wholly_known()
            || (value.is_unknown()
                && matches!(
                    attribute.presence,
                    Presence::Computed | Presence::OptionalComputed
                ))
    })
}

/// The planned attributes that are known and not sensitive: what an intent
/// records so that the provider can find the object later, and no secret.
fn natural_key_material(schema: &BlockSchema, planned: &Value) -> serde_json::Value {
    let known = planned
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, value)| {
            let attr = schema.attributes.get(*name);
            !value.contains_sensitive()
                && !attr.is_some_and(|a| a.sensitive || secret_leaves::any_set(a, value))
        })
        .filter_map(|(name, value)| Some((name.clone(), value.to_json()?)))
        .collect();
    serde_json::Value::Object(known)
}
