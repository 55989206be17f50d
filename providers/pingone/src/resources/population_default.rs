//! `pingone_population_default`: the environment's default population, adopted rather
//! than created (TERRAFORM-PROVIDER.md §3.3; API.md §3).
//!
//! Create finds the population with `default: true` and replaces it with `PUT`; a new
//! environment's default population may take a moment to appear (API.md §8.4), so the
//! lookup is retried for up to 30 s, and a default population is created only if none
//! shows. Delete never deletes: it resets the name and description PingOne gave it.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use engine::Value;
use engine::provider::{BlockSchema, Found, ObjectRef, ProviderError};
use serde_json::json;

use super::common::{api_shape_error, create_error, list_by_id};
use super::population::{from_api, to_body};
use super::{Resource, invalid, state_string};
use crate::client::Client;
use crate::values::required_string;

/// The resource type's name.
pub const TYPE_NAME: &str = "pingone_population_default";

const PLURAL: &str = "populations";

/// The name and description PingOne gives a new environment's default population.
pub const RESET: (&str, &str) = ("Default", "Automatically created population.");

/// How long a new environment's default population may take to appear.
const DISCOVERY: Duration = Duration::from_secs(30);

/// The schema: `pingone_population`'s (every attribute means the same).
pub fn schema() -> BlockSchema {
    super::population::schema()
}

/// The body: a population's, always with `default: true`.
pub fn default_body(planned: &Value) -> Result<serde_json::Value, String> {
    let mut body = to_body(planned)?;
    if let serde_json::Value::Object(map) = &mut body {
        map.insert("default".into(), json!(true));
    }
    Ok(body)
}

/// The environment's default population, or `None` (also when the environment is gone).
async fn current_default(
    client: &Client,
    env: &str,
    operation: &str,
) -> Result<Option<serde_json::Value>, ProviderError> {
    let segments = ["environments", env, PLURAL];
    let Some(all) = list_by_id(client, env, &segments, PLURAL, operation).await? else {
        return Ok(None);
    };
    Ok(all
        .into_values()
        .find(|p| p.get("default").and_then(serde_json::Value::as_bool) == Some(true)))
}

/// [`current_default`], polled for a while when absent (a new environment's default
/// population may not be visible yet).
async fn wait_for_default(
    client: &Client,
    env: &str,
    operation: &str,
) -> Result<Option<serde_json::Value>, ProviderError> {
    let deadline = Instant::now() + DISCOVERY;
    loop {
        if let Some(found) = current_default(client, env, operation).await? {
            return Ok(Some(found));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The `pingone_population_default` resource type.
pub(crate) struct PopulationDefault;

#[async_trait]
impl Resource for PopulationDefault {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        schema()
    }

    /// One population list per environment; the object is whichever is the default now.
    async fn read_many(
        &self,
        client: &Client,
        objects: &[ObjectRef],
    ) -> Result<Vec<Option<Value>>, ProviderError> {
        let mut results = Vec::with_capacity(objects.len());
        for object in objects {
            let env = state_string(object, "environment_id")?;
            let operation = format!("read {}", object.address);
            results.push(match current_default(client, &env, &operation).await? {
                Some(found) => Some(
                    from_api(&found, &object.prior).map_err(|e| api_shape_error(&operation, e))?,
                ),
                None => None,
            });
        }
        Ok(results)
    }

    async fn create(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let operation = format!("create {address} (adopt the default population)");
        let env = required_string(planned, "environment_id").map_err(|e| invalid(&operation, e))?;
        let body = default_body(planned).map_err(|e| invalid(&operation, e))?;
        let answer = match wait_for_default(client, &env, &operation).await? {
            Some(found) => {
                let id = found
                    .get("id")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default();
                client.put(&["environments", &env, PLURAL, id], &body).await
            }
            None => client.post(&["environments", &env, PLURAL], &body).await,
        }
        .map_err(|e| create_error(e, &operation, address, |_| env.clone()))?;
        from_api(&answer, planned).map_err(|e| api_shape_error(&operation, e))
    }

    async fn update(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let operation = format!("update {address}");
        let env = required_string(prior, "environment_id").map_err(|e| invalid(&operation, e))?;
        let Some(found) = current_default(client, &env, &operation).await? else {
            return Err(invalid(
                &operation,
                format!("environment {env} has no default population"),
            ));
        };
        let id = found
            .get("id")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        let body = default_body(planned).map_err(|e| invalid(&operation, e))?;
        let answer = client
            .put(&["environments", &env, PLURAL, id], &body)
            .await
            .map_err(|e| e.to_provider_error(&operation))?;
        from_api(&answer, planned).map_err(|e| api_shape_error(&operation, e))
    }

    /// Resets the default population's name and description; it and its users stay.
    async fn delete(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
    ) -> Result<(), ProviderError> {
        let operation = format!("delete {address} (reset the default population)");
        let env = required_string(prior, "environment_id").map_err(|e| invalid(&operation, e))?;
        let Some(found) = current_default(client, &env, &operation).await? else {
            return Ok(());
        };
        let id = found
            .get("id")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        let body = json!({ "name": RESET.0, "description": RESET.1, "default": true });
        match client.put(&["environments", &env, PLURAL, id], &body).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e.to_provider_error(&operation)),
        }
    }

    /// The natural key is the environment: its default population, if any.
    async fn find(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Found, ProviderError> {
        let operation = format!("find {address}");
        let env = required_string(planned, "environment_id").map_err(|e| invalid(&operation, e))?;
        match current_default(client, &env, &operation).await? {
            Some(found) => from_api(&found, planned)
                .map(Found::Object)
                .map_err(|e| api_shape_error(&operation, e)),
            None => Ok(Found::Nothing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::object;

    #[test]
    fn bodies_always_mark_the_default() {
        let v = object([("environment_id", "e".into()), ("name", "Everyone".into())]);
        assert_eq!(
            default_body(&v).unwrap(),
            json!({"name": "Everyone", "default": true})
        );
        assert_eq!(schema().attributes.len(), 9);
    }
}
