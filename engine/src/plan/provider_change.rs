//! Objects and the provider configuration that manages them, at plan time.
//!
//! An object is deleted by the configuration state records for it; a resource
//! whose block now names another configuration (`provider = pingone.eu` added,
//! removed or changed) is replaced: deleted by the recorded configuration,
//! created by the new one, since the two may reach different organizations.

use super::{Action, PlanError, ResourceChange};
use crate::ResourceAddress;
use crate::config::ResourceBlock;
use crate::provider_config::ProviderConfigRef;
use crate::providers::Providers;

/// Why the object at `address` must be replaced because its block names another
/// provider configuration than the one that manages it; `None` when they agree.
pub(super) fn moved_reason(
    block: &ResourceBlock,
    address: &ResourceAddress,
    prior: &state::State,
) -> Option<String> {
    let stored = address.in_state(prior)?;
    let wanted = ProviderConfigRef::for_resource(block);
    let recorded = stored.provider.parse::<ProviderConfigRef>().ok();
    (recorded.as_ref() != Some(&wanted)).then(|| {
        format!(
            "its provider configuration changed from `{}` to `{wanted}`",
            stored.provider
        )
    })
}

/// The provider configuration that carries out `change`: the one state records
/// for a delete (and for any change when the configuration is not at hand), else
/// the block's. `None` when neither is known.
pub fn configuration_of(
    change: &ResourceChange,
    config: Option<&crate::config::Config>,
    prior: &state::State,
) -> Option<ProviderConfigRef> {
    let recorded = || {
        let stored = change.address.in_state(prior)?;
        stored.provider.parse().ok()
    };
    if change.action == Action::Delete {
        return recorded();
    }
    match config.and_then(|c| c.resource(&change.address.block())) {
        Some(block) => Some(ProviderConfigRef::for_resource(block)),
        None => recorded(),
    }
}

/// Every object the plan deletes (alone or to replace it) must have the provider
/// configuration state records for it: a removed aliased `provider` block that
/// still manages objects stops the plan.
pub(super) fn check_deleters(
    changes: &[ResourceChange],
    prior: &state::State,
    providers: &Providers,
) -> Result<(), PlanError> {
    let deleted = changes
        .iter()
        .filter(|c| matches!(c.action, Action::Delete | Action::Replace));
    for change in deleted {
        if let Some(stored) = change.address.in_state(prior) {
            providers.for_state(&stored.address(), &stored.provider)?;
        }
    }
    Ok(())
}
