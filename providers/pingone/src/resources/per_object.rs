//! The refresh strategy: by default refresh reads each collection with one paged list call
//! ([`super::common::read_by_list`]); `PINGFORM_REFRESH_STRATEGY=per-object` makes it `GET`
//! every object on its own instead, [`PARALLELISM`] at a time. The bulk strategy is faster
//! by far; the other exists so benchmarks can show by how much, in the same run.

use engine::Value;
use engine::provider::{ObjectRef, ProviderError, ProviderErrorKind};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::common::{api_shape_error, get_optional};
use crate::client::Client;

/// The environment variable that chooses the refresh strategy.
pub const REFRESH_STRATEGY_ENV: &str = "PINGFORM_REFRESH_STRATEGY";

/// How many objects the per-object strategy reads at once, in the whole process: refresh
/// reads every resource type at the same time, and the comparison is with one GET per
/// object at this parallelism overall.
pub const PARALLELISM: usize = 10;

/// Shares [`PARALLELISM`] between the resource types read at the same time.
static SLOTS: Semaphore = Semaphore::const_new(PARALLELISM);

/// How many collections the bulk strategy lists at once. PingOne has no environment-wide
/// list of role assignments or memberships, only one per user or group, so refreshing
/// 2,000 of them is 2,000 list calls whichever way: they are read far more at once than
/// writes are, since reads change nothing. The provider's shared rate limit
/// (`requests_per_second`) still bounds the load, and a 429 is retried after `Retry-After`.
pub const LIST_PARALLELISM: usize = 128;

/// How refresh reads objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// One paged list call per collection (the default).
    Bulk,
    /// One `GET` per object, [`PARALLELISM`] at a time.
    PerObject,
}

impl Strategy {
    /// The strategy [`REFRESH_STRATEGY_ENV`] names; `Bulk` when it is unset.
    pub fn from_env() -> Result<Strategy, ProviderError> {
        Strategy::parse(std::env::var(REFRESH_STRATEGY_ENV).ok().as_deref())
    }

    /// The strategy `text` names (`bulk` or `per-object`); `Bulk` for `None`.
    pub fn parse(text: Option<&str>) -> Result<Strategy, ProviderError> {
        match text.map(str::trim) {
            None | Some("" | "bulk") => Ok(Strategy::Bulk),
            Some("per-object") => Ok(Strategy::PerObject),
            Some(other) => Err(ProviderError::new(
                ProviderErrorKind::Configuration,
                format!(
                    "{REFRESH_STRATEGY_ENV} is {other:?}; set it to `bulk` (the default) or \
                     `per-object`, or unset it"
                ),
            )),
        }
    }
}

/// One object to read: its position in the request and where it lives.
pub(crate) struct Target {
    /// The object's position in the request.
    pub index: usize,
    /// Its environment, probed when the read fails.
    pub env: String,
    /// The object's own path under `/v1` (its collection's segments plus its key).
    pub segments: Vec<String>,
}

/// Reads every target with its own `GET`, [`PARALLELISM`] at a time; `from_api` converts a
/// found object given the request's object. Gone objects (or environments) are `None`.
pub(crate) async fn read(
    client: &Client,
    type_name: &str,
    objects: &[ObjectRef],
    targets: Vec<Target>,
    from_api: impl Fn(&serde_json::Value, &Value) -> Result<Value, String>,
) -> Result<Vec<Option<Value>>, ProviderError> {
    let mut results = vec![None; objects.len()];
    let mut pending = targets.into_iter();
    let mut running = JoinSet::new();
    loop {
        while running.len() < PARALLELISM {
            let Some(target) = pending.next() else { break };
            let client = client.clone();
            let operation = format!("read {type_name} at /{}", target.segments.join("/"));
            running.spawn(async move {
                // The semaphore is never closed, so acquiring only fails if it were.
                let _slot = SLOTS.acquire().await.ok();
                let segments: Vec<&str> = target.segments.iter().map(String::as_str).collect();
                let found = get_optional(&client, &target.env, &segments, &operation).await;
                (target.index, operation, found)
            });
        }
        let Some(joined) = running.join_next().await else {
            return Ok(results);
        };
        let (index, operation, found) = joined.map_err(|e| {
            ProviderError::new(
                ProviderErrorKind::Api,
                format!("reading {type_name}: a read task failed: {e}"),
            )
        })?;
        if let Some(json) = found? {
            let value = from_api(&json, &objects[index].prior)
                .map_err(|e| api_shape_error(&operation, e))?;
            results[index] = Some(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strategy_is_bulk_unless_per_object_is_asked_for() {
        assert_eq!(Strategy::parse(None).ok(), Some(Strategy::Bulk));
        assert_eq!(Strategy::parse(Some("bulk")).ok(), Some(Strategy::Bulk));
        assert_eq!(
            Strategy::parse(Some("per-object")).ok(),
            Some(Strategy::PerObject)
        );
        let error = Strategy::parse(Some("fast")).err().map(|e| e.message);
        let message = error.unwrap_or_default();
        assert!(
            message.contains("PINGFORM_REFRESH_STRATEGY") && message.contains("per-object"),
            "{message}"
        );
    }
}
