//! The resource types the provider manages, one module each, and their registry.
//!
//! A resource type implements [`Resource`]: its schema plus bulk read, create, update
//! and delete against a configured [`Client`]. Helpers shared by environment-scoped
//! types (grouping by environment, "is the environment itself gone?") live here.

pub mod application;
pub(crate) mod application_options;
pub mod application_secret;
pub(crate) mod common;
pub mod environment;
pub mod group;
pub(crate) mod import_id;
pub mod membership;
pub mod per_object;
pub mod population;
pub mod population_default;
pub(crate) mod population_users;
pub mod role_assignment;
pub mod user;

use std::collections::BTreeMap;

use async_trait::async_trait;
use engine::Value;
use engine::provider::{BlockSchema, Found, ObjectRef, ProviderError, ProviderErrorKind};

use crate::client::{Client, ClientError};

/// One resource type.
#[async_trait]
pub(crate) trait Resource: Send + Sync {
    /// The type's name, such as `pingone_population`.
    fn type_name(&self) -> &'static str;

    /// The type's attributes.
    fn schema(&self) -> BlockSchema;

    /// Refreshes objects: their live attributes, or `None` when gone, in request order.
    async fn read_many(
        &self,
        client: &Client,
        objects: &[ObjectRef],
    ) -> Result<Vec<Option<Value>>, ProviderError>;

    /// Creates an object from its planned attributes.
    async fn create(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Value, ProviderError>;

    /// Updates an object in place.
    async fn update(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError>;

    /// Deletes an object; one that is already gone counts as deleted.
    async fn delete(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
    ) -> Result<(), ProviderError>;

    /// Finds the object a create with these planned attributes would have made,
    /// by its natural key. Types without one cannot.
    async fn find(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Found, ProviderError> {
        let _ = (client, address, planned);
        Ok(Found::Unsupported)
    }
}

/// Every resource type, by name.
pub(crate) struct Registry {
    by_name: BTreeMap<&'static str, Box<dyn Resource>>,
}

impl Registry {
    /// The registry of all resource types this provider supports.
    pub(crate) fn new() -> Self {
        let all: Vec<Box<dyn Resource>> = vec![
            Box::new(environment::Environment),
            Box::new(population::Population),
            Box::new(user::User),
            Box::new(group::Group),
            Box::new(application::Application),
            Box::new(application_secret::ApplicationSecret),
            Box::new(population_default::PopulationDefault),
            Box::new(membership::Membership(membership::Kind::UserInGroup)),
            Box::new(membership::Membership(membership::Kind::GroupNesting)),
            Box::new(role_assignment::RoleAssignment(
                role_assignment::Actor::User,
            )),
            Box::new(role_assignment::RoleAssignment(
                role_assignment::Actor::Group,
            )),
            Box::new(role_assignment::RoleAssignment(
                role_assignment::Actor::Application,
            )),
        ];
        Self {
            by_name: all.into_iter().map(|r| (r.type_name(), r)).collect(),
        }
    }

    /// The resource type called `name`.
    pub(crate) fn get(&self, name: &str) -> Result<&dyn Resource, ProviderError> {
        self.by_name.get(name).map(AsRef::as_ref).ok_or_else(|| {
            ProviderError::new(
                ProviderErrorKind::Configuration,
                format!(
                    "the pingone provider has no resource type {name:?}; it supports {}",
                    self.by_name.keys().copied().collect::<Vec<_>>().join(", ")
                ),
            )
        })
    }

    /// Every type's schema, by name.
    pub(crate) fn schemas(&self) -> BTreeMap<String, BlockSchema> {
        self.by_name
            .iter()
            .map(|(name, r)| {
                let schema = r
                    .schema()
                    .import_id(import_id::format(name))
                    .import_part(crate::resolve::is_uuid);
                (name.to_string(), schema)
            })
            .collect()
    }
}

/// The request's objects grouped by `environment_id`, keeping each object's position,
/// environments in order of first appearance.
pub(crate) fn group_by_environment(
    objects: &[ObjectRef],
) -> Result<Vec<(String, Vec<usize>)>, ProviderError> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        let env = state_string(object, "environment_id")?;
        match groups.iter_mut().find(|(e, _)| *e == env) {
            Some((_, members)) => members.push(index),
            None => groups.push((env, vec![index])),
        }
    }
    Ok(groups)
}

/// A string attribute that recorded state must have (`id`, `environment_id`).
pub(crate) fn state_string(object: &ObjectRef, name: &str) -> Result<String, ProviderError> {
    object
        .prior
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| {
            ProviderError::new(
                ProviderErrorKind::Configuration,
                format!(
                    "{}: the recorded state has no {name}, so the object cannot be found in PingOne",
                    object.address
                ),
            )
        })
}

/// Succeeds when `error`, from a call under `environment_id`, means the environment
/// itself is gone; otherwise returns the error for `operation`.
///
/// PingOne may answer calls under a deleted environment with 400/401/403 rather than 404
/// (API.md §8.1), so those, and 404s, are checked with `GET /environments/{id}`. A 404
/// there is only believed if the worker's own environment is found: a wrong `api_url`
/// makes every path 404, which must not read as "everything was deleted".
pub(crate) async fn environment_gone(
    client: &Client,
    environment_id: &str,
    error: ClientError,
    operation: &str,
) -> Result<(), ProviderError> {
    let suspicious = error.is_not_found() || matches!(error.status(), Some(400 | 401 | 403));
    if !suspicious {
        return Err(error.to_provider_error(operation));
    }
    match client.get(&["environments", environment_id]).await {
        Err(probe) if probe.is_not_found() => api_base_answers(client)
            .await
            .map_err(|e| e.to_provider_error(operation)),
        _ => Err(error.to_provider_error(operation)),
    }
}

/// Checks that the worker's own environment (which must exist) is found; with a given
/// token (no worker known), that the list of environments is.
async fn api_base_answers(client: &Client) -> Result<(), ClientError> {
    let (segments, what) = match client.environment_id() {
        Some(worker) => (
            vec!["environments", worker],
            "even the worker application's own environment is not found",
        ),
        None => (
            vec!["environments"],
            "even the list of environments is not found",
        ),
    };
    match client.get(&segments).await {
        Err(e) if e.is_not_found() => Err(ClientError::Unexpected {
            url: client.url(&segments).to_string(),
            problem: format!(
                "{what}, so api_url (PINGONE_API_URL) probably does not point at the PingOne API"
            ),
        }),
        _ => Ok(()),
    }
}

/// An error about a value the provider was given, prefixed by the operation.
pub(crate) fn invalid(operation: &str, problem: String) -> ProviderError {
    ProviderError::new(
        ProviderErrorKind::Configuration,
        format!("{operation}: {problem}"),
    )
}
