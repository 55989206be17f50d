//! Refresh: read every managed object back from its provider, in bulk per
//! provider configuration and type, so the plan compares configuration with what
//! is live, not with old state. Each object is read through the provider
//! configuration state records for it (`pingone` or `pingone.eu`).

use std::collections::BTreeMap;

use super::secret_leaves;
use crate::Value;
use crate::provider::{ObjectRef, ProviderError, ReadManyRequest};
use crate::providers::{Providers, Unavailable};

/// Why refreshing failed.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// State names a resource type that no registered provider offers.
    #[error("state holds `{address}`, but no provider offers the resource type `{type_name}`")]
    UnknownType {
        /// The address in state.
        address: String,
        /// Its resource type.
        type_name: String,
    },
    /// The provider configuration recorded for an object is not available (an
    /// aliased `provider` block was removed while it still manages objects).
    #[error(transparent)]
    Unavailable(#[from] crate::providers::Unavailable),
    /// The provider failed to read.
    #[error("refreshing {type_name}: {source}")]
    Provider {
        /// The resource type being read.
        type_name: String,
        /// What the provider reported.
        #[source]
        source: ProviderError,
    },
}

/// What a refresh found: the state with every object's attributes replaced by the
/// live ones (objects that no longer exist dropped), and the objects that changed
/// or vanished outside pingform.
#[derive(Debug)]
pub struct Refreshed {
    /// The refreshed state.
    pub state: state::State,
    /// The objects whose live attributes differ from the stored ones, or that are gone.
    pub drifted: Vec<Drifted>,
}

/// An object of the stored state that is not as it was stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Drifted {
    /// Its position in the stored state's resources.
    pub stored: usize,
    /// Its position in the refreshed state's resources; `None` when it is gone.
    pub now: Option<usize>,
}

/// An object read back: its live attributes as state records them (`None` when gone),
/// and whether they differ from the stored ones.
type ReadBack = (usize, Option<serde_json::Value>, bool);

/// Reads every object of `prior` back from its provider.
pub async fn refresh(
    prior: &state::State,
    providers: &Providers,
) -> Result<Refreshed, RefreshError> {
    let mut by_type: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, resource) in prior.resources.iter().enumerate() {
        let group = (resource.provider.as_str(), resource.type_name.as_str());
        by_type.entry(group).or_default().push(i);
    }
    // Every type is read at once: a refresh costs its slowest type's round trips (the
    // users' pages, say), not the sum of all of them. A type's objects are converted as
    // soon as it is read, while slower types are still waiting for PingOne.
    let reads = by_type
        .into_iter()
        .map(|((_, type_name), indexes)| async move {
            let live = read_type(prior, providers, type_name, &indexes).await?;
            Ok::<_, RefreshError>(read_back(prior, providers, type_name, indexes, live))
        });
    let read = futures_util::future::try_join_all(reads).await?;
    let mut slots: Vec<Option<(Option<serde_json::Value>, bool)>> =
        (0..prior.resources.len()).map(|_| None).collect();
    for (i, json, changed) in read.into_iter().flatten() {
        slots[i] = Some((json, changed));
    }
    let mut resources = Vec::with_capacity(prior.resources.len());
    let mut drifted = Vec::new();
    for (stored, (old, slot)) in prior.resources.iter().zip(slots).enumerate() {
        match slot {
            Some((Some(attributes), changed)) => {
                if changed {
                    let now = Some(resources.len());
                    drifted.push(Drifted { stored, now });
                }
                resources.push(state::ResourceState {
                    module: old.module.clone(),
                    type_name: old.type_name.clone(),
                    name: old.name.clone(),
                    index_key: old.index_key.clone(),
                    provider: old.provider.clone(),
                    attributes,
                    dependencies: old.dependencies.clone(),
                });
            }
            Some((None, _)) => drifted.push(Drifted { stored, now: None }),
            // Every object belongs to a type that was read.
            None => resources.push(old.clone()),
        }
    }
    let state = state::State {
        format_version: prior.format_version,
        pingform_version: prior.pingform_version.clone(),
        lineage: prior.lineage.clone(),
        serial: prior.serial,
        resources,
        pending_creates: prior.pending_creates.clone(),
        deposed: prior.deposed.clone(),
    };
    Ok(Refreshed { state, drifted })
}

/// The objects of one type as state records them, each compared with its stored copy.
fn read_back(
    prior: &state::State,
    providers: &Providers,
    type_name: &str,
    indexes: Vec<usize>,
    live: Vec<Option<Value>>,
) -> Vec<ReadBack> {
    let schema = providers.resource_schema(type_name);
    let attributes = schema.iter().flat_map(|s| s.attributes.iter());
    let write_only: Vec<&String> = attributes
        .clone()
        .filter(|(_, a)| a.write_only)
        .map(|(n, _)| n)
        .collect();
    let with_secrets: Vec<_> = attributes
        .filter(|(_, a)| !a.write_only_keys.is_empty())
        .collect();
    indexes
        .into_iter()
        .zip(live)
        .map(|(i, object)| {
            let stored = &prior.resources[i].attributes;
            let Some(mut json) = object.and_then(|v| v.to_json()) else {
                return (i, None, true);
            };
            // Write-only values are never read back: keep the sealed copy from state.
            for name in &write_only {
                if let (Some(map), Some(kept)) = (json.as_object_mut(), stored.get(name.as_str())) {
                    map.insert((*name).clone(), kept.clone());
                }
            }
            for (name, attr) in &with_secrets {
                if let (Some(live), Some(kept)) =
                    (json.get_mut(name.as_str()), stored.get(name.as_str()))
                {
                    secret_leaves::keep_stored(attr, kept, live);
                }
            }
            let changed = &json != stored;
            (i, Some(json), changed)
        })
        .collect()
}

async fn read_type(
    prior: &state::State,
    providers: &Providers,
    type_name: &str,
    indexes: &[usize],
) -> Result<Vec<Option<Value>>, RefreshError> {
    let first = &prior.resources[indexes[0]];
    let unknown_type = || RefreshError::UnknownType {
        address: first.address(),
        type_name: type_name.to_string(),
    };
    let provider = match providers.for_state(&first.address(), &first.provider) {
        Ok(provider) if provider.schema().resources.contains_key(type_name) => provider,
        Ok(_) | Err(Unavailable::UnknownProvider(_)) => return Err(unknown_type()),
        Err(unavailable) => return Err(unavailable.into()),
    };
    let objects = indexes
        .iter()
        .map(|&i| ObjectRef {
            address: prior.resources[i].address(),
            prior: Value::from_json(&prior.resources[i].attributes),
        })
        .collect();
    let response = provider
        .read_many(ReadManyRequest {
            type_name: type_name.to_string(),
            objects,
        })
        .await
        .map_err(|source| RefreshError::Provider {
            type_name: type_name.to_string(),
            source,
        })?;
    Ok(response.objects)
}
