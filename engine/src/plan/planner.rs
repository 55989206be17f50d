//! The planning walk: evaluate each resource in dependency order against the
//! values planned for what it references, and decide its action.

use std::collections::{BTreeMap, BTreeSet};

use super::diff::{decide, mark_attributes, proposed, sensitive_attributes, sensitive_in_config};
use super::refresh::{RefreshError, refresh};
use super::relocate::relocate;
use super::select::{self, Selection, SelectionError};
use super::{Action, Plan, ResourceChange};
use super::{conditions, data, deposed, expand, triggers};
use crate::config::{Config, Repetition, ResourceBlock};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::{Scope, evaluate_body};
use crate::graph::Graph;
use crate::providers::Providers;
use crate::{ResourceAddress, Value};

/// Whether to converge on the configuration or destroy everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanMode {
    /// Make the live objects match the configuration.
    Normal,
    /// Delete every managed object.
    Destroy,
    /// Only report drift; applying accepts it into state and changes no object.
    RefreshOnly,
}

/// Everything planning needs.
pub struct PlanRequest<'a> {
    /// The loaded, validated configuration.
    pub config: &'a Config,
    /// Its dependency graph.
    pub graph: &'a Graph,
    /// The state as stored.
    pub prior: &'a state::State,
    /// Configured providers.
    pub providers: &'a Providers,
    /// Resolved input variables.
    pub variables: &'a BTreeMap<String, Value>,
    /// Normal or destroy.
    pub mode: PlanMode,
    /// Whether to read live objects first (almost always).
    pub refresh: bool,
    /// `--target`, `--exclude`, `--replace` and `--max-deletes`.
    pub selection: &'a Selection,
}

/// Why no plan could be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The configuration does not evaluate.
    #[error("the configuration is invalid")]
    Invalid(Diagnostics),
    /// Live objects could not be read.
    #[error(transparent)]
    Refresh(#[from] RefreshError),
    /// An object's provider configuration is not declared any more.
    #[error(transparent)]
    Unavailable(#[from] crate::providers::Unavailable),
    /// The selection names nothing, or the plan deletes too much.
    #[error(transparent)]
    Selection(#[from] SelectionError),
}

/// Makes a plan.
pub async fn plan(request: PlanRequest<'_>) -> Result<Plan, PlanError> {
    select::check(request.selection, &known_addresses(&request))?;
    let (relocated, relocations) = relocate(request.prior, request.config);
    let (prior, drifted) = if request.refresh {
        let refreshed = refresh(&relocated, request.providers).await?;
        (refreshed.state, refreshed.drifted)
    } else {
        (relocated.as_ref().clone(), Vec::new())
    };
    let refresh_changed_state = !drifted.is_empty() || !relocations.is_empty();
    let (mut changes, data) = match request.mode {
        PlanMode::Normal => plan_config(&request, &prior).await?,
        PlanMode::Destroy | PlanMode::RefreshOnly => Default::default(),
    };
    if request.mode != PlanMode::RefreshOnly {
        let orphans = plan_orphans(&request, &prior, &changes);
        changes.extend(orphans);
        changes.extend(deposed::plan_deposed(&prior, request.providers));
    }
    changes.sort_by(|a, b| (&a.address, &a.deposed).cmp(&(&b.address, &b.deposed)));
    let changes = select::narrow(changes, request.graph, request.selection);
    check_prevent_destroy(&changes, request.config)?;
    super::provider_change::check_deleters(&changes, &prior, request.providers)?;
    select::check_deletes(&changes, request.selection)?;
    let drift = super::drift::detect(&relocated, &prior, &drifted, request.providers);
    Ok(Plan {
        prior,
        refresh_changed_state,
        changes,
        drift,
        mode: request.mode,
        data,
        relocations,
    })
}

/// Plans every instance of every configured resource, in dependency order,
/// reading the data sources whose arguments are known.
async fn plan_config(
    request: &PlanRequest<'_>,
    prior: &state::State,
) -> Result<(Vec<ResourceChange>, BTreeMap<ResourceAddress, Value>), PlanError> {
    let blocks: BTreeMap<&ResourceAddress, &ResourceBlock> = request
        .config
        .all_resources()
        .into_iter()
        .map(|r| (&r.address, r))
        .collect();
    let mut planned: BTreeMap<ResourceAddress, Value> = BTreeMap::new();
    let mut changes = Vec::new();
    let mut data = BTreeMap::new();
    // Blocks with an instance that will change: data sources that depend on them wait.
    let mut pending: BTreeSet<ResourceAddress> = BTreeSet::new();
    let mut diagnostics = Diagnostics::default();
    for address in request.graph.order() {
        let Some(block) = blocks.get(&address) else {
            continue;
        };
        let base = Scope::new(request.variables, &planned).with_config(request.config);
        let modules = match crate::eval::module_instances(request.config, &address.module, &base) {
            Ok(modules) => modules,
            Err(found) => {
                diagnostics.push(found);
                continue;
            }
        };
        let mut values_by_module = Vec::with_capacity(modules.len());
        for module in &modules {
            let here = address.without_key().in_module(module);
            let scope = Scope::new(request.variables, &planned).in_module(request.config, module);
            let value = match expand::instances(block, &scope) {
                Ok(instances) => {
                    let mut values = Vec::with_capacity(instances.len());
                    for (key, repeat) in instances {
                        let scope = scope.with_repeat(repeat.as_ref());
                        let instance = here.instance(key.clone());
                        let waits = request
                            .graph
                            .dependencies(&address)
                            .iter()
                            .any(|d| pending.contains(d));
                        let planned_instance =
                            plan_instance(request, block, instance, &scope, prior, waits, &changes)
                                .await;
                        let visible = match planned_instance {
                            Ok(data::Planned::Change(change)) => {
                                if change.action != Action::NoOp {
                                    pending.insert(address.clone());
                                }
                                // Dependents see the schema's and the configuration's sensitive marks.
                                let visible = change.after.clone().unwrap_or(Value::Unknown);
                                let visible = mark_attributes(visible, &change.sensitive);
                                changes.push(*change);
                                visible
                            }
                            Ok(data::Planned::Read(value)) => {
                                data.insert(here.instance(key.clone()), value.clone());
                                value
                            }
                            Err(found) => {
                                // Dependents see an unknown value so that one error is not reported many times.
                                diagnostics.extend(found);
                                Value::Unknown
                            }
                        };
                        values.push((key, visible));
                    }
                    expand::aggregate(block, values)
                }
                Err(found) => {
                    diagnostics.push(found);
                    Value::Unknown
                }
            };
            values_by_module.push((here, value));
        }
        planned.extend(values_by_module);
    }
    for import in &request.config.imports {
        let (to, span) = &import.to;
        if !changes.iter().any(|c| &c.address == to) {
            diagnostics.push(
                Diagnostic::error("Configuration for import target does not exist")
                    .with_span(span.clone(), "no such instance in the configuration")
                    .with_detail(format!(
                        "`{to}` is not among the instances the configuration declares, so the \
                         imported object would have no configuration."
                    )),
            );
        }
    }
    if diagnostics.is_empty() {
        Ok((changes, data))
    } else {
        Err(PlanError::Invalid(diagnostics.deduplicated()))
    }
}

/// Plans one instance: a resource's change, or a data source read now or deferred.
async fn plan_instance(
    request: &PlanRequest<'_>,
    block: &ResourceBlock,
    instance: ResourceAddress,
    scope: &Scope<'_>,
    prior: &state::State,
    dependency_pending: bool,
    planned: &[ResourceChange],
) -> Result<data::Planned, Diagnostics> {
    if instance.is_data() {
        let providers = request.providers;
        return data::plan_data(providers, block, instance, scope, dependency_pending).await;
    }
    let forced = if request
        .selection
        .replace
        .iter()
        .any(|r| r.contains(&instance))
    {
        Some("replacement requested with --replace".to_string())
    } else {
        let fired = triggers::fired(block, scope, planned).map_err(|d| Diagnostics(vec![d]))?;
        fired.map(|reference| triggers::reason(&reference))
    };
    let imported = match request.config.imports.iter().find(|i| i.to.0 == instance) {
        Some(import) if instance.in_state(prior).is_none() => {
            Some(import_object(request.providers, block, &instance, import, scope).await?)
        }
        _ => None,
    };
    let change = plan_resource(
        request.providers,
        block,
        instance,
        scope,
        prior,
        forced,
        imported,
    )?;
    Ok(data::Planned::Change(Box::new(change)))
}

/// Reads the object an `import` block names: its ID and attributes.
async fn import_object(
    providers: &Providers,
    block: &ResourceBlock,
    instance: &ResourceAddress,
    import: &crate::config::ImportBlock,
    scope: &Scope<'_>,
) -> Result<(String, Value), Diagnostics> {
    let error = |summary: &str, detail: String| {
        Diagnostics(vec![
            Diagnostic::error(summary)
                .with_span(import.id.span(), "the import ID")
                .with_detail(detail),
        ])
    };
    let id = match crate::eval::evaluate(&import.id, scope).map_err(|d| Diagnostics(vec![d]))? {
        Value::String(id) => id,
        Value::Unknown => {
            return Err(error(
                "Invalid import ID",
                "The import ID must be known when planning; it depends on a value known only after apply.".into(),
            ));
        }
        other => {
            return Err(error(
                "Invalid import ID",
                format!(
                    "The import ID must be a string, not a {}.",
                    other.type_name()
                ),
            ));
        }
    };
    let by = crate::ProviderConfigRef::for_resource(block);
    let value = super::import::read_imported(providers, &by, instance, &id)
        .await
        .map_err(|e| error("Cannot import", e.to_string()))?;
    Ok((id, value))
}

fn plan_resource(
    providers: &Providers,
    block: &ResourceBlock,
    address: ResourceAddress,
    scope: &Scope<'_>,
    prior: &state::State,
    forced: Option<String>,
    imported: Option<(String, Value)>,
) -> Result<ResourceChange, Diagnostics> {
    let schema = providers
        .resource_schema(&address.type_name)
        .ok_or_else(|| {
            Diagnostics(vec![
                Diagnostic::error(format!(
                    "No provider offers the resource type `{}`",
                    address.type_name
                ))
                .with_span(block.span.clone(), "unknown resource type"),
            ])
        })?;
    let config = evaluate_body(&block.body, scope)?;
    let problems = crate::config::check_values(&block.body, schema, &config);
    if problems.has_errors() {
        return Err(problems);
    }
    let conditions = &block.lifecycle;
    let at = address.to_string();
    conditions::check(&conditions.preconditions, scope, conditions::Kind::Pre, &at)
        .map_err(|d| Diagnostics(vec![d]))?;
    let mut sensitive = sensitive_attributes(schema);
    sensitive.extend(sensitive_in_config(&config));
    // An object attribute that carries write-only secrets is shown masked while one is set.
    sensitive.extend(schema.attributes.iter().filter_map(|(name, attr)| {
        let value = config.get(name)?;
        super::secret_leaves::any_set(attr, value).then(|| name.clone())
    }));
    let (importing, imported) = imported.unzip();
    let before = address
        .in_state(prior)
        .map(|r| Value::from_json(&r.attributes))
        .or(imported);
    let mut wanted = proposed(schema, &config, before.as_ref());
    if let Some(before) = &before {
        ignore_changes(block, schema, before, &mut wanted)?;
    }
    let (mut action, replace_paths) = decide(schema, before.as_ref(), &wanted);
    let mut reason = None;
    if let Some(why) = forced.filter(|_| matches!(action, Action::NoOp | Action::Update)) {
        action = Action::Replace;
        reason = Some(why);
    }
    if action == Action::Replace && block.lifecycle.create_before_destroy.is_some() {
        action = Action::CreateThenDelete;
    }
    let moved = super::provider_change::moved_reason(block, &address, prior);
    if let (Some(why), Action::NoOp | Action::Update) = (moved, action) {
        action = Action::Replace;
        reason = Some(why);
    }
    let after = match action {
        Action::Replace | Action::CreateThenDelete => proposed(schema, &config, None),
        Action::NoOp => before.clone().unwrap_or(wanted),
        _ => wanted,
    };
    if action != Action::Delete {
        let planned = mark_attributes(after.clone(), &sensitive);
        let scope = scope.with_self(&planned);
        conditions::check(
            &conditions.postconditions,
            &scope,
            conditions::Kind::Post,
            &at,
        )
        .map_err(|d| Diagnostics(vec![d]))?;
    }
    Ok(ResourceChange {
        importing,
        deposed: None,
        address,
        action,
        before,
        after: Some(after),
        replace_paths,
        sensitive,
        reason,
    })
}

/// `lifecycle { ignore_changes }`: once the object exists, the listed
/// attributes keep their live value whatever the configuration says.
fn ignore_changes(
    block: &ResourceBlock,
    schema: &crate::provider::BlockSchema,
    before: &Value,
    wanted: &mut Value,
) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    for (name, span) in &block.lifecycle.ignore_changes {
        if !schema.attributes.contains_key(name) {
            diagnostics.push(
                Diagnostic::error("Unsupported attribute in `ignore_changes`")
                    .with_span(span.clone(), "no such attribute")
                    .with_detail(format!(
                        "`{}` has no attribute `{name}`.",
                        block.address.type_name
                    )),
            );
            continue;
        }
        if let Value::Object(map) = wanted {
            map.insert(
                name.clone(),
                before.get(name).cloned().unwrap_or(Value::Null),
            );
        }
    }
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(diagnostics)
    }
}

/// `lifecycle { prevent_destroy = true }`: refuse a plan that deletes or replaces the object.
fn check_prevent_destroy(changes: &[ResourceChange], config: &Config) -> Result<(), PlanError> {
    let mut diagnostics = Diagnostics::default();
    // A deposed object is an old copy the configuration already replaced.
    for change in changes
        .iter()
        .filter(|c| c.action.deletes() && c.deposed.is_none())
    {
        let Some(block) = config.resource(&change.address.block()) else {
            continue;
        };
        let Some(span) = &block.lifecycle.prevent_destroy else {
            continue;
        };
        let what = if change.action.replaces() {
            "replace"
        } else {
            "destroy"
        };
        diagnostics.push(
            Diagnostic::error("Instance cannot be destroyed")
                .with_span(span.clone(), "prevent_destroy is set here")
                .with_detail(format!(
                    "`{}` has `lifecycle {{ prevent_destroy = true }}`, but the plan would {what} it.",
                    change.address
                ))
                .with_help("undo the change that needs this, or remove prevent_destroy if destroying it is intended"),
        );
    }
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(PlanError::Invalid(diagnostics))
    }
}

/// Every address in the configuration (blocks) or the state (instances).
fn known_addresses(request: &PlanRequest<'_>) -> BTreeSet<ResourceAddress> {
    let configured = request
        .config
        .all_resources()
        .into_iter()
        .map(|r| r.address.clone());
    let stored = request
        .prior
        .resources
        .iter()
        .map(ResourceAddress::of_state);
    configured.chain(stored).collect()
}

/// Objects in state that the configuration no longer declares (all of them
/// when destroying): those without a planned change.
fn plan_orphans(
    request: &PlanRequest<'_>,
    prior: &state::State,
    planned: &[ResourceChange],
) -> Vec<ResourceChange> {
    let declared: BTreeSet<&ResourceAddress> = planned.iter().map(|c| &c.address).collect();
    let modules: BTreeSet<&[crate::address::ModuleStep]> = planned
        .iter()
        .map(|c| c.address.module.as_slice())
        .collect();
    prior
        .resources
        .iter()
        .map(|r| (r, ResourceAddress::of_state(r)))
        .filter(|(_, address)| !declared.contains(address))
        .map(|(r, address)| ResourceChange {
            importing: None,
            deposed: None,
            action: Action::Delete,
            before: Some(Value::from_json(&r.attributes)),
            after: None,
            replace_paths: Vec::new(),
            sensitive: request
                .providers
                .resource_schema(&r.type_name)
                .map(sensitive_attributes)
                .unwrap_or_default(),
            reason: (request.mode == PlanMode::Normal)
                .then(|| orphan_reason(request.config, &modules, &address)),
            address,
        })
        .collect()
}

/// The module (instance) of `address` that the configuration no longer has: a
/// call that is gone, or an instance its `count`/`for_each` no longer gives
/// (no planned change is in it).
fn missing_module(
    config: &Config,
    planned_modules: &BTreeSet<&[crate::address::ModuleStep]>,
    address: &ResourceAddress,
) -> Option<String> {
    let module = &address.module;
    let path = |n: usize| crate::address::module_path(&module[..n]);
    for depth in 1..=module.len() {
        if config.module_config(&module[..depth]).is_none() {
            return Some(path(depth));
        }
    }
    let in_use = |n: usize| planned_modules.iter().any(|m| m.starts_with(&module[..n]));
    (1..=module.len()).find(|&n| !in_use(n)).map(path)
}

/// Why an object in state is not in the configuration any more; plans show it
/// as "because ADDRESS is REASON".
fn orphan_reason(
    config: &Config,
    planned_modules: &BTreeSet<&[crate::address::ModuleStep]>,
    address: &ResourceAddress,
) -> String {
    if let Some(gone) = missing_module(config, planned_modules, address) {
        return format!("in {gone}, which is not in configuration");
    }
    let Some(block) = config.resource(&address.block()) else {
        return "not in configuration".to_string();
    };
    match (&block.repetition, &address.key) {
        (Some(Repetition::Count(_)), Some(_)) => "out of range for `count`".to_string(),
        (Some(Repetition::ForEach(_)), Some(_)) => "not a key of `for_each`".to_string(),
        (Some(repetition), None) => format!(
            "not one of the instances now that `{}` is set",
            repetition.attr().name
        ),
        (None, Some(_)) => {
            "an instance, but the resource no longer sets `count` or `for_each`".to_string()
        }
        (None, None) => "not in configuration".to_string(),
    }
}
