//! Deleting a population's users before the population, when the provider block sets
//! `global_options { population { contains_users_force_delete = true } }`
//! (TERRAFORM-PROVIDER.md §1, §3.2).
//!
//! As the official provider does: the users are listed with the SCIM filter
//! `population.id eq "<id>"`; only in a SANDBOX environment are they deleted (every one
//! of them, managed or not), listing again until none remain. In a PRODUCTION
//! environment nothing is deleted and the population delete is refused with the
//! "Data protection notice", since PingOne would refuse it anyway.

use engine::provider::ProviderError;

use super::environment_gone;
use crate::client::{Client, ClientError};
use crate::settings::config_error;

/// The most listing rounds before giving up (each deletes every user it found).
const MAX_ROUNDS: usize = 20;

/// The heading of the official provider's warning, kept so users can search for it.
pub(crate) const NOTICE: &str = "Data protection notice";

/// Deletes every user of population `id` in `env` first, when the option is on.
pub(crate) async fn delete_users_first(
    client: &Client,
    env: &str,
    id: &str,
    operation: &str,
) -> Result<(), ProviderError> {
    if !client.options().force_delete_population_users {
        return Ok(());
    }
    let Some(users) = users_of(client, env, id, operation).await? else {
        return Ok(()); // The environment is gone, with the population and its users.
    };
    if users.is_empty() {
        return Ok(());
    }
    check_sandbox(client, env, id, operation).await?;
    let mut users = users;
    for _ in 0..MAX_ROUNDS {
        for user in &users {
            delete_user(client, env, user, operation).await?;
        }
        users = users_of(client, env, id, operation)
            .await?
            .unwrap_or_default();
        if users.is_empty() {
            return Ok(());
        }
    }
    Err(config_error(format!(
        "{operation}: population {id} still holds {} user(s) after deleting its users \
         {MAX_ROUNDS} times; something keeps adding users to it",
        users.len()
    )))
}

/// The IDs of the population's users, or `None` when the environment is gone.
async fn users_of(
    client: &Client,
    env: &str,
    id: &str,
    operation: &str,
) -> Result<Option<Vec<String>>, ProviderError> {
    let filter = format!("population.id eq \"{id}\"");
    match client
        .list_all_filtered(&["environments", env, "users"], "users", &filter)
        .await
    {
        Ok(items) => Ok(Some(
            items
                .iter()
                .filter_map(|u| u.get("id")?.as_str().map(str::to_string))
                .collect(),
        )),
        Err(e) => environment_gone(client, env, e, operation)
            .await
            .map(|()| None),
    }
}

/// Refuses unless the environment is a SANDBOX.
async fn check_sandbox(
    client: &Client,
    env: &str,
    id: &str,
    operation: &str,
) -> Result<(), ProviderError> {
    let environment = client
        .get(&["environments", env])
        .await
        .map_err(|e| e.to_provider_error(operation))?;
    let kind = environment
        .get("type")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("unknown");
    if kind == "SANDBOX" {
        return Ok(());
    }
    Err(config_error(format!(
        "{operation}: {NOTICE}: global_options.population.contains_users_force_delete has no \
         effect in environment {env}, whose type is {kind} (only SANDBOX users are deleted), \
         and population {id} still holds users, so PingOne would refuse to delete it; review \
         and remove its users yourself, then apply again"
    )))
}

/// Deletes one user; one already gone counts as deleted.
async fn delete_user(
    client: &Client,
    env: &str,
    user: &str,
    operation: &str,
) -> Result<(), ProviderError> {
    match client.delete(&["environments", env, "users", user]).await {
        Ok(()) => Ok(()),
        Err(e) if e.is_not_found() => Ok(()),
        Err(e) => Err(deleting_user_failed(&e, user, operation)),
    }
}

fn deleting_user_failed(error: &ClientError, user: &str, operation: &str) -> ProviderError {
    error.to_provider_error(&format!(
        "{operation}: deleting its user {user} first (contains_users_force_delete)"
    ))
}
