//! Data sources while planning: read now when every argument is known, or
//! planned as a read during apply (`<=`) when an argument depends on an object
//! that apply has yet to create. Data is never stored in state: a data source
//! may return secrets (the application secret), so every run reads it again.

use super::diff::{mark_attributes, sensitive_attributes};
use super::{Action, ResourceChange};
use crate::config::ResourceBlock;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::{Scope, evaluate_body};
use crate::provider::{BlockSchema, Presence, ReadDataRequest};
use crate::providers::Providers;
use crate::{ResourceAddress, Value};

/// What planning one instance gave.
pub(super) enum Planned {
    /// A data source read now: its attributes.
    Read(Value),
    /// A change for apply: a resource's, or a data source read during apply.
    Change(Box<ResourceChange>),
}

/// Reads the data source instance `address`, or defers the read: when an
/// argument is unknown, or (as Terraform does) when something it depends on
/// has changes pending, so it would read the world before apply changed it.
pub(super) async fn plan_data(
    providers: &Providers,
    block: &ResourceBlock,
    address: ResourceAddress,
    scope: &Scope<'_>,
    dependency_pending: bool,
) -> Result<Planned, Diagnostics> {
    let schema = providers.block_schema(&address).ok_or_else(|| {
        Diagnostics(vec![
            Diagnostic::error(format!(
                "No provider offers the data source `{}`",
                address.type_name
            ))
            .with_span(block.span.clone(), "unknown data source"),
        ])
    })?;
    let config = evaluate_body(&block.body, scope)?;
    let deferred = if !config.is_wholly_known() {
        Some("waiting for an argument known only after apply")
    } else if dependency_pending {
        Some("waiting for a resource with changes pending")
    } else {
        None
    };
    if let Some(reason) = deferred {
        return Ok(Planned::Change(Box::new(ResourceChange {
            importing: None,
            deposed: None,
            after: Some(with_unknown_results(schema, config)),
            action: Action::Read,
            before: None,
            replace_paths: Vec::new(),
            sensitive: sensitive_attributes(schema),
            reason: Some(reason.to_string()),
            address,
        })));
    }
    let value = read(providers, block, &address, config)
        .await
        .map_err(|message| {
            Diagnostics(vec![
                Diagnostic::error(format!("Failed to read `{address}`"))
                    .with_span(block.span.clone(), "while reading this data source")
                    .with_detail(message),
            ])
        })?;
    Ok(Planned::Read(mark_attributes(
        value,
        &sensitive_attributes(schema),
    )))
}

/// Calls the provider for one data source instance.
pub(crate) async fn read(
    providers: &Providers,
    block: &ResourceBlock,
    address: &ResourceAddress,
    config: Value,
) -> Result<Value, String> {
    let provider = providers.for_resource(block)?;
    let (config, _) = config.unmark_deep();
    let request = ReadDataRequest {
        type_name: address.type_name.clone(),
        address: address.to_string(),
        config,
    };
    provider.read_data(request).await.map_err(|e| e.message)
}

/// The configured arguments, with every attribute the read will fill in unknown.
fn with_unknown_results(schema: &BlockSchema, config: Value) -> Value {
    let mut map = match config {
        Value::Object(map) => map,
        _ => Default::default(),
    };
    for (name, attribute) in &schema.attributes {
        let unset = map.get(name).is_none_or(Value::is_null);
        if unset
            && matches!(
                attribute.presence,
                Presence::Computed | Presence::OptionalComputed
            )
        {
            map.insert(name.clone(), Value::Unknown);
        }
    }
    Value::Object(map)
}
