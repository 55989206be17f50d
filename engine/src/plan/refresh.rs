//! Refresh: read every managed object back from its provider, in bulk per
//! provider configuration and type, so the plan compares configuration with what
//! is live, not with old state. Each object is read through the provider
//! configuration state records for it (`pingone` or `pingone.eu`).

use std::collections::BTreeMap;

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

/// Returns `prior` with every object's attributes replaced by the live ones;
/// objects that no longer exist are dropped. The flag tells whether anything changed.
pub async fn refresh(
    prior: &state::State,
    providers: &Providers,
) -> Result<(state::State, bool), RefreshError> {
    let mut by_type: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, resource) in prior.resources.iter().enumerate() {
        let group = (resource.provider.as_str(), resource.type_name.as_str());
        by_type.entry(group).or_default().push(i);
    }
    // Every type is read at once: a refresh costs its slowest type's round trips (the
    // users' pages, say), not the sum of all of them.
    let reads = by_type
        .into_iter()
        .map(|((_, type_name), indexes)| async move {
            let live = read_type(prior, providers, type_name, &indexes).await?;
            Ok::<_, RefreshError>((type_name, indexes, live))
        });
    let read = futures_util::future::try_join_all(reads).await?;
    let mut refreshed = prior.clone();
    let mut gone = Vec::new();
    for (type_name, indexes, live) in read {
        let write_only: Vec<&String> = providers
            .resource_schema(type_name)
            .map(|s| {
                s.attributes
                    .iter()
                    .filter(|(_, a)| a.write_only)
                    .map(|(n, _)| n)
                    .collect()
            })
            .unwrap_or_default();
        for (i, object) in indexes.into_iter().zip(live) {
            match object.and_then(|v| v.to_json()) {
                Some(mut json) => {
                    // Write-only values are never read back: keep the sealed copy from state.
                    let stored = &prior.resources[i].attributes;
                    for name in &write_only {
                        if let (Some(map), Some(kept)) =
                            (json.as_object_mut(), stored.get(name.as_str()))
                        {
                            map.insert((*name).clone(), kept.clone());
                        }
                    }
                    refreshed.resources[i].attributes = json;
                }
                None => gone.push(i),
            }
        }
    }
    gone.sort_unstable();
    for i in gone.into_iter().rev() {
        refreshed.resources.remove(i);
    }
    let changed = refreshed.resources != prior.resources;
    Ok((refreshed, changed))
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
