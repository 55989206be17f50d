//! Building blocks shared by the resource types: schema shorthands, bulk refresh by one
//! paged list call per collection, tolerant deletes, and the "already exists" error.

use std::collections::{BTreeMap, HashMap};

use engine::Value;
use engine::provider::{
    AttrType, AttributeSchema, ObjectRef, Presence, ProviderError, ProviderErrorKind,
};

use super::{environment_gone, per_object, state_string};
use crate::client::{Client, ClientError};
use futures_util::stream::{FuturesUnordered, StreamExt};

/// A computed `id`.
pub(crate) fn id_attr(description: &'static str) -> AttributeSchema {
    AttributeSchema::new(AttrType::String, Presence::Computed, description)
}

/// A required parent link such as `environment_id` (Terraform's `Attr_LinkID`: replace on change).
pub(crate) fn link_attr(description: &'static str) -> AttributeSchema {
    AttributeSchema::new(AttrType::String, Presence::Required, description).force_new()
}

/// An attribute of type `ty` with the given presence.
pub(crate) fn attr(ty: AttrType, presence: Presence, description: &'static str) -> AttributeSchema {
    AttributeSchema::new(ty, presence, description)
}

/// A string attribute.
pub(crate) fn string(presence: Presence, description: &'static str) -> AttributeSchema {
    attr(AttrType::String, presence, description)
}

/// A boolean attribute.
pub(crate) fn boolean(presence: Presence, description: &'static str) -> AttributeSchema {
    attr(AttrType::Bool, presence, description)
}

/// Where a list call reads a collection, and which environment it lives in.
pub(crate) struct Collection {
    /// The environment, probed when the list call fails (it may have been deleted).
    pub env: String,
    /// The collection's path segments under `/v1`.
    pub segments: Vec<String>,
}

/// Creates an object in `/environments/{environment_id}/{plural}` with the body `body`
/// builds; an "already exists" answer names the import ID `<environment_id>/<id>`.
pub(crate) async fn create_in_environment(
    client: &Client,
    address: &str,
    planned: &Value,
    plural: &str,
    body: impl FnOnce(&Value) -> Result<serde_json::Value, String>,
    from_api: impl Fn(&serde_json::Value, &Value) -> Result<Value, String>,
) -> Result<Value, ProviderError> {
    let operation = format!("create {address}");
    let env = crate::values::required_string(planned, "environment_id")
        .map_err(|e| super::invalid(&operation, e))?;
    let body = body(planned).map_err(|e| super::invalid(&operation, e))?;
    let created = client
        .post(&["environments", &env, plural], &body)
        .await
        .map_err(|e| create_error(e, &operation, address, |id| format!("{env}/{id}")))?;
    from_api(&created, planned).map_err(|e| api_shape_error(&operation, e))
}

/// Replaces the object at `/environments/{environment_id}/{plural}/{id}` with the
/// body `body` builds (PUT is a full replace in PingOne).
pub(crate) async fn replace_in_environment(
    client: &Client,
    address: &str,
    prior: &Value,
    planned: &Value,
    plural: &str,
    body: impl FnOnce(&Value) -> Result<serde_json::Value, String>,
    from_api: impl Fn(&serde_json::Value, &Value) -> Result<Value, String>,
) -> Result<Value, ProviderError> {
    let operation = format!("update {address}");
    let text = |name| {
        crate::values::required_string(prior, name).map_err(|e| super::invalid(&operation, e))
    };
    let (env, id) = (text("environment_id")?, text("id")?);
    let body = body(planned).map_err(|e| super::invalid(&operation, e))?;
    let updated = client
        .put(&["environments", &env, plural, &id], &body)
        .await
        .map_err(|e| e.to_provider_error(&operation))?;
    from_api(&updated, planned).map_err(|e| api_shape_error(&operation, e))
}

/// Deletes the object at `/environments/{environment_id}/{plural}/{id}`; one that is
/// already gone counts as deleted.
pub(crate) async fn delete_in_environment(
    client: &Client,
    address: &str,
    prior: &Value,
    plural: &str,
) -> Result<(), ProviderError> {
    let operation = format!("delete {address}");
    let text = |name| {
        crate::values::required_string(prior, name).map_err(|e| super::invalid(&operation, e))
    };
    let env = text("environment_id")?;
    let id = text("id")?;
    delete_tolerant(
        client,
        &env,
        &["environments", &env, plural, &id],
        &operation,
    )
    .await
}

/// Refreshes objects listed at `/environments/{environment_id}/{plural}`, matched by
/// `id`: one paged list call per environment.
pub(crate) async fn read_in_environment(
    client: &Client,
    type_name: &str,
    objects: &[ObjectRef],
    plural: &str,
    from_api: impl Fn(&serde_json::Value, &Value) -> Result<Value, String>,
) -> Result<Vec<Option<Value>>, ProviderError> {
    read_by_list(
        client,
        type_name,
        objects,
        plural,
        |o| {
            let env = state_string(o, "environment_id")?;
            Ok(Collection {
                segments: segs(&["environments", &env, plural]),
                env,
            })
        },
        |o| state_string(o, "id"),
        from_api,
    )
    .await
}

/// Refreshes `objects` with one paged list call per distinct collection (or, when
/// `PINGFORM_REFRESH_STRATEGY=per-object`, one `GET` per object: see [`per_object`]).
///
/// `collection` says where an object is listed, `id` which item it is (by the item's
/// `id` in the list), `from_api` converts a found item. Objects not listed, or whose
/// environment is gone, are `None`.
pub(crate) async fn read_by_list(
    client: &Client,
    type_name: &str,
    objects: &[ObjectRef],
    plural: &str,
    collection: impl Fn(&ObjectRef) -> Result<Collection, ProviderError>,
    id: impl Fn(&ObjectRef) -> Result<String, ProviderError>,
    from_api: impl Fn(&serde_json::Value, &Value) -> Result<Value, String>,
) -> Result<Vec<Option<Value>>, ProviderError> {
    if per_object::Strategy::from_env()? == per_object::Strategy::PerObject {
        let targets = objects
            .iter()
            .enumerate()
            .map(|(index, object)| {
                let Collection { env, mut segments } = collection(object)?;
                segments.push(id(object)?);
                Ok(per_object::Target {
                    index,
                    env,
                    segments,
                })
            })
            .collect::<Result<Vec<_>, ProviderError>>()?;
        return per_object::read(client, type_name, objects, targets, from_api).await;
    }
    // Keyed by path so that many collections (one per user, say) group in O(n log n).
    let mut groups: BTreeMap<Vec<String>, (Collection, Vec<usize>)> = BTreeMap::new();
    for (index, object) in objects.iter().enumerate() {
        let c = collection(object)?;
        groups
            .entry(c.segments.clone())
            .or_insert_with(|| (c, Vec::new()))
            .1
            .push(index);
    }
    // Collections are listed several at a time (one per user for role assignments, say),
    // so a refresh costs about (collections / per_object::LIST_PARALLELISM) round trips, not one each.
    let mut results = vec![None; objects.len()];
    let mut pending = groups.into_values();
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < per_object::LIST_PARALLELISM {
            let Some((c, members)) = pending.next() else {
                break;
            };
            let read = Listing {
                client,
                type_name,
                plural,
                objects,
            };
            running.push(read.collection(c, members, &id, &from_api));
        }
        let Some(read) = running.next().await else {
            break;
        };
        for (index, value) in read? {
            results[index] = Some(value);
        }
    }
    Ok(results)
}

/// What [`read_by_list`] reads: one type's objects, listed collection by collection.
#[derive(Clone, Copy)]
struct Listing<'a> {
    client: &'a Client,
    type_name: &'a str,
    plural: &'a str,
    objects: &'a [ObjectRef],
}

impl Listing<'_> {
    /// The `members` found in collection `c`, converted page by page as the pages
    /// arrive; none when the collection's parent (or the environment) is gone.
    async fn collection(
        self,
        c: Collection,
        members: Vec<usize>,
        id: impl Fn(&ObjectRef) -> Result<String, ProviderError>,
        from_api: impl Fn(&serde_json::Value, &Value) -> Result<Value, String>,
    ) -> Result<Vec<(usize, Value)>, ProviderError> {
        let operation = format!("read {} at /{}", self.type_name, c.segments.join("/"));
        let mut wanted = HashMap::with_capacity(members.len());
        for index in members {
            wanted.insert(id(&self.objects[index])?, index);
        }
        let segments: Vec<&str> = c.segments.iter().map(String::as_str).collect();
        let mut pages = self.client.pages(&segments, self.plural);
        let mut found = Vec::new();
        while let Some(page) = pages.recv().await {
            let items = match page {
                Ok(items) => items,
                // The parent of a nested collection (a user, a group) answers 404 when deleted.
                Err(e) if e.is_not_found() && segments.len() > 3 => return Ok(Vec::new()),
                Err(e) => {
                    return environment_gone(self.client, &c.env, e, &operation)
                        .await
                        .map(|()| Vec::new());
                }
            };
            for item in &items {
                let Some(&index) = item
                    .get("id")
                    .and_then(serde_json::Value::as_str)
                    .and_then(|id| wanted.get(id))
                else {
                    continue;
                };
                let value = from_api(item, &self.objects[index].prior)
                    .map_err(|e| api_shape_error(&operation, e))?;
                found.push((index, value));
            }
        }
        Ok(found)
    }
}

/// Every item of a collection by `id`, or `None` when the collection's parent (or the
/// environment) is gone.
pub(crate) async fn list_by_id(
    client: &Client,
    env: &str,
    segments: &[&str],
    plural: &str,
    operation: &str,
) -> Result<Option<HashMap<String, serde_json::Value>>, ProviderError> {
    match client.list_all(segments, plural).await {
        Ok(items) => Ok(Some(by_id(items))),
        // The parent of a nested collection (a user, a group) answers 404 when deleted.
        Err(e) if e.is_not_found() && segments.len() > 3 => Ok(None),
        Err(e) => environment_gone(client, env, e, operation)
            .await
            .map(|()| None),
    }
}

/// Items keyed by their `id`.
pub(crate) fn by_id(items: Vec<serde_json::Value>) -> HashMap<String, serde_json::Value> {
    items
        .into_iter()
        .filter_map(|item| Some((item.get("id")?.as_str()?.to_string(), item)))
        .collect()
}

/// One object by `GET`, or `None` when it (or its environment) is gone.
pub(crate) async fn get_optional(
    client: &Client,
    env: &str,
    segments: &[&str],
    operation: &str,
) -> Result<Option<serde_json::Value>, ProviderError> {
    match client.get(segments).await {
        Ok(json) => Ok(Some(json)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => environment_gone(client, env, e, operation)
            .await
            .map(|()| None),
    }
}

/// `DELETE`, where an object (or environment) already gone counts as deleted.
pub(crate) async fn delete_tolerant(
    client: &Client,
    env: &str,
    segments: &[&str],
    operation: &str,
) -> Result<(), ProviderError> {
    match client.delete(segments).await {
        Ok(()) => Ok(()),
        Err(e) if e.is_not_found() => Ok(()),
        Err(e) => environment_gone(client, env, e, operation).await,
    }
}

/// The error for a failed create: when PingOne says an object with the same natural
/// key exists (`UNIQUENESS_VIOLATION` with `existingId`), says which one and what to do.
///
/// `import_id` turns the existing object's id into the import ID of the type (such as
/// `<environment_id>/<id>`). The error carries the id too: when the engine already
/// manages that object at another address it words the failure itself.
pub(crate) fn create_error(
    error: ClientError,
    operation: &str,
    address: &str,
    import_id: impl Fn(&str) -> String,
) -> ProviderError {
    match error.existing_id() {
        Some(existing) => ProviderError::new(
            ProviderErrorKind::Api,
            format!(
                "{operation}: the object already exists in PingOne (id {existing}); remove it \
                 from PingOne or import it into the state with \
                 `pingform import {address} {}`\n{error}",
                import_id(existing)
            ),
        )
        .with_existing_id(existing),
        None => error.to_provider_error(operation),
    }
}

/// PingOne answered, but not with what the provider needs.
pub(crate) fn api_shape_error(operation: &str, problem: String) -> ProviderError {
    ProviderError::new(
        ProviderErrorKind::Api,
        format!("{operation}: unexpected answer from PingOne: {problem}"),
    )
}

/// A value from recorded state or planned attributes as `&str` segments.
pub(crate) fn segs(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{ApiError, ErrorDetail, InnerError};

    fn uniqueness(existing: Option<&str>) -> ClientError {
        ClientError::from(ApiError {
            method: "POST".into(),
            path: "/v1/environments/e/users".into(),
            status: 400,
            code: "INVALID_DATA".into(),
            message: "The request could not be completed.".into(),
            details: vec![ErrorDetail {
                code: Some("UNIQUENESS_VIOLATION".into()),
                target: Some("username".into()),
                message: Some("taken".into()),
                inner: InnerError {
                    allowed_values: vec![],
                    existing_id: existing.map(str::to_string),
                },
            }],
            id: None,
        })
    }

    #[test]
    fn an_existing_object_is_named_with_its_import_command() {
        let err = create_error(
            uniqueness(Some("u1")),
            "create pingone_user.a",
            "pingone_user.a",
            |id| format!("e/{id}"),
        );
        assert!(
            err.message.contains("already exists in PingOne (id u1)"),
            "{}",
            err.message
        );
        assert!(
            err.message
                .contains("`pingform import pingone_user.a e/u1`")
        );
        assert_eq!(err.existing_id.as_deref(), Some("u1"));
        let plain = create_error(uniqueness(None), "create x", "x", |id| id.to_string());
        assert!(!plain.message.contains("already exists"));
        assert!(plain.message.contains("UNIQUENESS_VIOLATION"));
    }
}
