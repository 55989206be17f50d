//! Crash recovery: settle the creates a previous run started but never saw
//! finish (it was killed, or the provider's answer was lost).
//!
//! Each pending create is looked up by its natural key through
//! [`Provider::find`](crate::provider::Provider::find). An object found is
//! adopted into state, so the plan that follows sees it instead of planning a
//! second one; when nothing is found the intent is dropped and the plan
//! creates the object as usual.

use crate::Value;
use crate::provider::{FindRequest, Found, ProviderError};
use crate::providers::{Providers, Unavailable};

/// What became of one pending create.
#[derive(Clone, Debug, PartialEq)]
pub enum Settled {
    /// The object exists and is now in state.
    Adopted {
        /// Its ID, when it has one.
        id: Option<String>,
    },
    /// No such object: the create never reached the provider.
    NotCreated,
    /// The provider cannot look this type up: the object may exist twice if
    /// the create had gone through.
    Unverifiable,
}

/// The outcome for one address, and the operation that records it.
#[derive(Clone, Debug)]
pub struct Settlement {
    /// The resource's address.
    pub address: String,
    /// What was found.
    pub settled: Settled,
    /// The change to persist.
    pub operation: state::Operation,
}

/// Why pending creates could not be settled.
#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    /// State names a provider that is not configured.
    #[error("`{address}` was being created by provider `{provider}`, which is not configured")]
    NoProvider {
        /// The resource's address.
        address: String,
        /// The provider's name.
        provider: String,
    },
    /// The aliased provider configuration that was creating it is no longer declared.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
    /// The lookup failed.
    #[error("looking up `{address}`, which a previous run was creating when it stopped: {source}")]
    Provider {
        /// The resource's address.
        address: String,
        /// What the provider reported.
        #[source]
        source: ProviderError,
    },
}

/// Looks up every pending create in `state`; the caller applies and persists
/// the returned operations (apply does; plan only shows them).
pub async fn settle_pending(
    state: &state::State,
    providers: &Providers,
) -> Result<Vec<Settlement>, RecoverError> {
    let mut settlements = Vec::new();
    for pending in &state.pending_creates {
        let address = pending.address();
        let provider = match providers.for_state(&address, &pending.provider) {
            Ok(provider) => provider,
            Err(Unavailable::UnknownProvider(_)) => {
                return Err(RecoverError::NoProvider {
                    address,
                    provider: pending.provider.clone(),
                });
            }
            Err(unavailable) => return Err(unavailable.into()),
        };
        let found = provider
            .find(FindRequest {
                type_name: pending.type_name.clone(),
                address: address.clone(),
                planned: Value::from_json(&pending.planned),
            })
            .await
            .map_err(|source| RecoverError::Provider {
                address: address.clone(),
                source,
            })?;
        settlements.push(settle(pending, found, address));
    }
    Ok(settlements)
}

fn settle(pending: &state::PendingCreate, found: Found, address: String) -> Settlement {
    let end = state::Operation::EndCreate {
        module: pending.module.clone(),
        type_name: pending.type_name.clone(),
        name: pending.name.clone(),
        index_key: pending.index_key.clone(),
    };
    let (settled, operation) = match found.clone() {
        Found::Object(value) => match value.to_json() {
            Some(attributes) => {
                let id = value.get("id").and_then(Value::as_str).map(str::to_string);
                let resource = state::ResourceState {
                    module: pending.module.clone(),
                    type_name: pending.type_name.clone(),
                    name: pending.name.clone(),
                    index_key: pending.index_key.clone(),
                    provider: pending.provider.clone(),
                    attributes,
                    dependencies: pending.dependencies.clone(),
                };
                (
                    Settled::Adopted { id },
                    state::Operation::Upsert { resource },
                )
            }
            // A provider must answer with known values; treat anything else as unverifiable.
            None => (Settled::Unverifiable, end),
        },
        Found::Nothing => (Settled::NotCreated, end),
        Found::Unsupported => (Settled::Unverifiable, end),
    };
    Settlement {
        address,
        settled,
        operation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> state::PendingCreate {
        state::PendingCreate {
            module: Vec::new(),
            type_name: "t".into(),
            name: "a".into(),
            index_key: None,
            provider: "p".into(),
            planned: serde_json::json!({"name": "a"}),
            dependencies: vec!["t.parent".into()],
        }
    }

    #[test]
    fn a_found_object_is_adopted_with_its_dependencies() {
        let value = Value::from_json(&serde_json::json!({"id": "x1", "name": "a"}));
        let s = settle(&pending(), Found::Object(value), "t.a".into());
        assert_eq!(
            s.settled,
            Settled::Adopted {
                id: Some("x1".into())
            }
        );
        let mut state = state::State::new();
        state.begin_create(pending());
        s.operation.apply_to(&mut state);
        assert!(state.pending_creates.is_empty());
        assert_eq!(state.resources[0].dependencies, ["t.parent"]);
    }

    #[test]
    fn nothing_found_or_unsupported_drops_the_intent() {
        for (found, settled) in [
            (Found::Nothing, Settled::NotCreated),
            (Found::Unsupported, Settled::Unverifiable),
        ] {
            let s = settle(&pending(), found, "t.a".into());
            assert_eq!(s.settled, settled);
            let mut state = state::State::new();
            state.begin_create(pending());
            s.operation.apply_to(&mut state);
            assert!(state.pending_creates.is_empty() && state.resources.is_empty());
        }
    }
}
