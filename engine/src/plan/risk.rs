//! Risks a reviewer must not miss: every delete and replace, plus what each
//! provider flags for its own resource types (through `Provider::risks`).

use crate::ResourceAddress;
use crate::plan::{Action, Plan};
use crate::provider::RiskRequest;
use crate::providers::Providers;

/// One flagged change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Risk {
    /// The resource concerned.
    pub address: ResourceAddress,
    /// What makes it risky, as a sentence fragment ("will be destroyed").
    pub message: String,
}

/// Every risk in `plan`, in the plan's order.
pub fn assess(plan: &Plan, providers: &Providers) -> Vec<Risk> {
    let mut risks = Vec::new();
    for change in &plan.changes {
        let mut add = |message: String| {
            risks.push(Risk {
                address: change.address.clone(),
                message,
            })
        };
        match change.action {
            Action::Delete => add(match &change.reason {
                Some(reason) => format!("will be destroyed ({reason})"),
                None => "will be destroyed".to_string(),
            }),
            Action::Replace => add(match (&change.reason, change.replace_paths.is_empty()) {
                (Some(reason), true) => {
                    format!("will be replaced (destroyed and created again): {reason}")
                }
                _ => format!(
                    "will be replaced (destroyed and created again) because {} changed",
                    change.replace_paths.join(", ")
                ),
            }),
            _ => {}
        }
        if let Some(provider) = provider_of(plan, providers, &change.address) {
            let request = RiskRequest {
                type_name: &change.address.type_name,
                action: change.action,
                before: change.before.as_ref(),
                after: change.after.as_ref(),
            };
            for message in provider.risks(&request) {
                add(message);
            }
        }
    }
    risks
}

/// The provider instance that manages the object at `address`: the configuration
/// state records for an existing object, else its type's default one.
fn provider_of<'p>(
    plan: &Plan,
    providers: &'p Providers,
    address: &ResourceAddress,
) -> Option<&'p std::sync::Arc<dyn crate::provider::Provider>> {
    match address.in_state(&plan.prior) {
        Some(stored) => providers
            .for_state(&stored.address(), &stored.provider)
            .ok(),
        None => providers.get(address.provider_name()),
    }
}
