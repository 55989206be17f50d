//! `pingone_environment` (TERRAFORM-PROVIDER.md §3.1; API.md §2).
//!
//! `services` are the bill of materials' products under Terraform's names (`SSO` ↔
//! `PING_ONE_BASE`, ...). A type change goes through `PUT …/type`, a services change
//! through `PUT …/billOfMaterials`, name/description/license through `PUT`. PRODUCTION
//! environments are protected: they cannot be demoted, and pingform refuses to delete
//! them (Terraform forgets them with a warning; pingform has no warnings, so it stops
//! and explains instead).

use std::time::{Duration, Instant};

use async_trait::async_trait;
use engine::Value;
use engine::provider::{
    AttrType, AttributeSchema, BlockSchema, Found, ObjectRef, Presence, ProviderError,
    ProviderErrorKind,
};
use serde_json::{Map, json};

use super::common::{api_shape_error, attr, create_error, id_attr, string};
use super::{Resource, invalid, state_string};
use crate::client::Client;
use crate::values::{IfUnknown, json_string, object, opt_string, required_string};

/// The resource type's name.
pub const TYPE_NAME: &str = "pingone_environment";

const PLURAL: &str = "environments";

/// Terraform's service names and PingOne's product types ([SDK] `pingone/model/product.go`).
pub const SERVICES: &[(&str, &str)] = &[
    ("SSO", "PING_ONE_BASE"),
    ("DaVinci", "PING_ONE_DAVINCI"),
    ("MFA", "PING_ONE_MFA"),
    ("Risk", "PING_ONE_RISK"),
    ("Verify", "PING_ONE_VERIFY"),
    ("Credentials", "PING_ONE_CREDENTIALS"),
    ("APIIntelligence", "PING_INTELLIGENCE"),
    ("Authorize", "PING_ONE_AUTHORIZE"),
    ("PingID", "PING_ID"),
    ("PingID-v2", "PING_ONE_ID"),
    ("PingFederate", "PING_FEDERATE"),
    ("PingAccess", "PING_ACCESS"),
    ("PingDirectory", "PING_DIRECTORY"),
    ("PingAuthorize", "PING_AUTHORIZE"),
    ("PingCentral", "PING_CENTRAL"),
];

/// The data-protection refusal for demoting a PRODUCTION environment (Terraform's words).
pub const DEMOTE_REFUSAL: &str =
    "Data protection notice - The environment type cannot be changed from PRODUCTION to SANDBOX";

fn bookmark_type() -> AttrType {
    AttrType::Object(
        [
            ("name".to_string(), AttrType::String),
            ("url".to_string(), AttrType::String),
        ]
        .into(),
    )
}

fn service_type() -> AttrType {
    let bookmark = bookmark_type();
    AttrType::Object(
        [
            ("type".to_string(), AttrType::String),
            ("console_url".to_string(), AttrType::String),
            ("bookmarks".to_string(), AttrType::Set(Box::new(bookmark))),
            (
                "tags".to_string(),
                AttrType::Set(Box::new(AttrType::String)),
            ),
        ]
        .into(),
    )
}

/// Inside each service: `type` required, one of Terraform's service names;
/// bookmarks' `name` and `url` required; `tags` only `DAVINCI_MINIMAL`.
fn services_schema(services: AttributeSchema) -> AttributeSchema {
    const NAMES: [&str; SERVICES.len()] = {
        let mut names = [""; SERVICES.len()];
        let mut i = 0;
        while i < SERVICES.len() {
            names[i] = SERVICES[i].0;
            i += 1;
        }
        names
    };
    let optional = |ty| AttributeSchema::new(ty, Presence::Optional, "");
    let bookmark = optional(AttrType::Set(Box::new(bookmark_type())))
        .nested(
            "name",
            AttributeSchema::new(AttrType::String, Presence::Required, ""),
        )
        .nested(
            "url",
            AttributeSchema::new(AttrType::String, Presence::Required, ""),
        );
    services
        .nested(
            "type",
            AttributeSchema::new(AttrType::String, Presence::Required, "").one_of(&NAMES),
        )
        .nested("bookmarks", bookmark)
        .nested(
            "tags",
            optional(AttrType::Set(Box::new(AttrType::String))).one_of(&["DAVINCI_MINIMAL"]),
        )
}

/// The schema, following the official Terraform provider.
pub fn schema() -> BlockSchema {
    use Presence::{Computed, Optional, OptionalComputed, Required};
    BlockSchema::default()
        .attr("id", id_attr("The environment's ID."))
        .attr(
            "name",
            string(Required, "The name, unique in the organization."),
        )
        .attr("description", string(Optional, "A description."))
        .attr(
            "type",
            string(
                Optional,
                "SANDBOX or PRODUCTION; PRODUCTION is never demoted or deleted.",
            )
            .default_value("SANDBOX".into()),
        )
        .attr(
            "region",
            string(
                OptionalComputed,
                "NA, EU, CA, AP, AU or SG; the provider's region by default.",
            )
            .force_new(),
        )
        .attr(
            "license_id",
            string(Required, "The license the environment uses."),
        )
        .attr(
            "organization_id",
            string(Computed, "The organization's ID."),
        )
        .attr(
            "solution",
            string(
                Optional,
                "CUSTOMER or CIAM_TRIAL (the bill of materials' solutionType).",
            )
            .force_new(),
        )
        .attr(
            "services",
            services_schema(attr(
                AttrType::Set(Box::new(service_type())),
                Required,
                "The services: [{ type = \"SSO\", console_url, bookmarks, tags }, ...].",
            )),
        )
}

/// Terraform's service name for a PingOne product type (the product type if unknown).
pub fn service_name(product: &str) -> &str {
    SERVICES
        .iter()
        .find(|(_, p)| *p == product)
        .map_or(product, |(s, _)| s)
}

/// PingOne's product type for a Terraform service name.
pub fn product_type(service: &str) -> Result<&'static str, String> {
    SERVICES
        .iter()
        .find(|(s, _)| *s == service)
        .map(|(_, p)| *p)
        .ok_or_else(|| {
            let names: Vec<&str> = SERVICES.iter().map(|(s, _)| *s).collect();
            format!(
                "services: unknown type {service:?}; expected one of {}",
                names.join(", ")
            )
        })
}

/// The bill of materials for the planned `services` and `solution`.
pub fn bill_of_materials(planned: &Value) -> Result<serde_json::Value, String> {
    let services = match planned.get("services") {
        Some(Value::List(items)) if !items.is_empty() => items,
        Some(Value::Unknown) => {
            return Err("services is not known yet; it must be known to apply".into());
        }
        _ => return Err("services needs at least one service, such as { type = \"SSO\" }".into()),
    };
    let products = services
        .iter()
        .map(product)
        .collect::<Result<Vec<_>, _>>()?;
    let mut bom = Map::new();
    bom.insert("products".into(), json!(products));
    if let Some(solution) = opt_string(planned, "solution", IfUnknown::Refuse)? {
        bom.insert("solutionType".into(), json!(solution));
    }
    Ok(serde_json::Value::Object(bom))
}

fn product(service: &Value) -> Result<serde_json::Value, String> {
    let kind = required_string(service, "type").map_err(|e| format!("services: {e}"))?;
    let tags = crate::values::string_list(service, "tags")?;
    if tags.is_some() && kind != "DaVinci" {
        return Err("services: The `tags` parameter is only configurable where the `type` is set to `DaVinci`".into());
    }
    let mut p = Map::new();
    p.insert("type".into(), json!(product_type(&kind)?));
    if let Some(url) = opt_string(service, "console_url", IfUnknown::Refuse)? {
        p.insert("console".into(), json!({ "href": url }));
    }
    if let Some(Value::List(marks)) = service.get("bookmarks") {
        let marks = marks
            .iter()
            .map(|m| Ok(json!({ "name": required_string(m, "name")?, "href": required_string(m, "url")? })))
            .collect::<Result<Vec<_>, String>>()?;
        p.insert("bookmarks".into(), json!(marks));
    }
    if let Some(tags) = tags {
        p.insert("tags".into(), json!(tags));
    }
    Ok(serde_json::Value::Object(p))
}

/// The body of `POST /environments` (and, without `billOfMaterials`, of `PUT`).
pub fn to_body(planned: &Value, region: &str) -> Result<serde_json::Value, String> {
    let mut body = Map::new();
    body.insert("name".into(), json!(required_string(planned, "name")?));
    if let Some(d) = opt_string(planned, "description", IfUnknown::Refuse)? {
        body.insert("description".into(), json!(d));
    }
    let kind = opt_string(planned, "type", IfUnknown::Refuse)?.unwrap_or_else(|| "SANDBOX".into());
    body.insert("type".into(), json!(kind));
    body.insert("region".into(), json!(region));
    body.insert(
        "license".into(),
        json!({ "id": required_string(planned, "license_id")? }),
    );
    Ok(serde_json::Value::Object(body))
}

/// The environment's attributes from PingOne's environment and bill of materials.
pub fn from_api(api: &serde_json::Value, bom: &serde_json::Value) -> Result<Value, String> {
    let id = json_string(api, "/id");
    if id.is_null() {
        return Err("PingOne's answer has no environment id".to_string());
    }
    let services = bom
        .get("products")
        .and_then(serde_json::Value::as_array)
        .map(|products| Value::List(products.iter().map(service_value).collect()))
        .unwrap_or(Value::Null);
    Ok(object([
        ("id", id),
        ("name", json_string(api, "/name")),
        ("description", json_string(api, "/description")),
        ("type", json_string(api, "/type")),
        ("region", json_string(api, "/region")),
        ("license_id", json_string(api, "/license/id")),
        ("organization_id", json_string(api, "/organization/id")),
        ("solution", json_string(bom, "/solutionType")),
        ("services", services),
    ]))
}

/// One product as a `services` element, naming only the keys PingOne set (configurations
/// usually write `{ type = "SSO" }` alone).
fn service_value(p: &serde_json::Value) -> Value {
    let mut m = std::collections::BTreeMap::new();
    let product = p
        .get("type")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    m.insert("type".to_string(), Value::from(service_name(product)));
    if let Value::String(url) = json_string(p, "/console/href") {
        m.insert("console_url".to_string(), Value::String(url));
    }
    let marks: Vec<Value> = p
        .get("bookmarks")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .map(|b| {
            object([
                ("name", json_string(b, "/name")),
                ("url", json_string(b, "/href")),
            ])
        })
        .collect();
    if !marks.is_empty() {
        m.insert("bookmarks".to_string(), Value::List(marks));
    }
    let tags: Vec<Value> = p
        .get("tags")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .map(Value::from)
        .collect();
    if !tags.is_empty() {
        m.insert("tags".to_string(), Value::List(tags));
    }
    Value::Object(m)
}

/// The `pingone_environment` resource type.
pub(crate) struct Environment;

#[async_trait]
impl Resource for Environment {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        schema()
    }

    /// One paged list of the organization's environments (with their bills of materials
    /// expanded), and a bill-of-materials GET only for any the list did not expand.
    async fn read_many(
        &self,
        client: &Client,
        objects: &[ObjectRef],
    ) -> Result<Vec<Option<Value>>, ProviderError> {
        let operation = format!("read {TYPE_NAME}");
        let live = client
            .list_all_with(&[PLURAL], PLURAL, &[("expand", "billOfMaterials")])
            .await
            .map_err(|e| e.to_provider_error(&operation))?;
        let live = super::common::by_id(live);
        let mut results = Vec::with_capacity(objects.len());
        for object in objects {
            let id = state_string(object, "id")?;
            let Some(env) = live.get(&id) else {
                results.push(None);
                continue;
            };
            let bom = bill_of_materials_of(client, env, &operation).await?;
            results.push(Some(
                from_api(env, &bom).map_err(|e| api_shape_error(&operation, e))?,
            ));
        }
        Ok(results)
    }

    async fn create(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let operation = format!("create {address}");
        let region = match opt_string(planned, "region", IfUnknown::Omit)
            .map_err(|e| invalid(&operation, e))?
        {
            Some(region) => region,
            None => provider_region(client, &operation).await?,
        };
        let mut body = to_body(planned, &region).map_err(|e| invalid(&operation, e))?;
        let bom = bill_of_materials(planned).map_err(|e| invalid(&operation, e))?;
        if let serde_json::Value::Object(map) = &mut body {
            map.insert("billOfMaterials".into(), bom);
        }
        let created = client
            .post(&[PLURAL], &body)
            .await
            .map_err(|e| create_error(e, &operation, address, str::to_string))?;
        let id = created
            .get("id")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string();
        let bom = match created.get("billOfMaterials") {
            Some(bom) => bom.clone(),
            None => read_bom(client, &id, &operation).await?,
        };
        from_api(&created, &bom).map_err(|e| api_shape_error(&operation, e))
    }

    async fn update(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let operation = format!("update {address}");
        let id = required_string(prior, "id").map_err(|e| invalid(&operation, e))?;
        let before = opt_string(prior, "type", IfUnknown::Omit).ok().flatten();
        let after =
            opt_string(planned, "type", IfUnknown::Refuse).map_err(|e| invalid(&operation, e))?;
        if before != after {
            if before.as_deref() == Some("PRODUCTION") {
                return Err(invalid(&operation, DEMOTE_REFUSAL.to_string()));
            }
            client
                .put(&[PLURAL, &id, "type"], &json!({ "type": after }))
                .await
                .map_err(|e| e.to_provider_error(&operation))?;
        }
        let changed = |k: &str| prior.get(k) != planned.get(k);
        if changed("name") || changed("description") || changed("license_id") {
            let region = required_string(prior, "region").map_err(|e| invalid(&operation, e))?;
            let body = to_body(planned, &region).map_err(|e| invalid(&operation, e))?;
            client
                .put(&[PLURAL, &id], &body)
                .await
                .map_err(|e| e.to_provider_error(&operation))?;
        }
        if changed("services") {
            let bom = bill_of_materials(planned).map_err(|e| invalid(&operation, e))?;
            client
                .put(&[PLURAL, &id, "billOfMaterials"], &bom)
                .await
                .map_err(|e| e.to_provider_error(&operation))?;
        }
        let env = client
            .get(&[PLURAL, &id])
            .await
            .map_err(|e| e.to_provider_error(&operation))?;
        let bom = read_bom(client, &id, &operation).await?;
        from_api(&env, &bom).map_err(|e| api_shape_error(&operation, e))
    }

    async fn delete(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
    ) -> Result<(), ProviderError> {
        let operation = format!("delete {address}");
        let id = required_string(prior, "id").map_err(|e| invalid(&operation, e))?;
        let live = match client.get(&[PLURAL, &id]).await {
            Ok(live) => live,
            Err(e) if e.is_not_found() => return Ok(()),
            Err(e) => return Err(e.to_provider_error(&operation)),
        };
        if live.get("type").and_then(serde_json::Value::as_str) == Some("PRODUCTION") {
            return Err(ProviderError::new(
                ProviderErrorKind::Api,
                format!(
                    "{operation}: Data protection notice - environment {id} is a PRODUCTION \
                     environment, which pingform never deletes. Demote it to SANDBOX in the \
                     PingOne console (or put it in DELETE_PENDING status) if it really must go, \
                     or remove it from the configuration and the state to leave it in place."
                ),
            ));
        }
        match client.delete(&[PLURAL, &id]).await {
            Ok(()) => {}
            Err(e) if e.is_not_found() => return Ok(()),
            Err(e) => return Err(e.to_provider_error(&operation)),
        }
        wait_until_gone(client, &id, &operation).await
    }

    /// An environment's natural key is its name, unique in the organization.
    async fn find(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Found, ProviderError> {
        let operation = format!("find {address} by name");
        let name = required_string(planned, "name").map_err(|e| invalid(&operation, e))?;
        let filter = format!("name sw \"{}\"", super::user::scim_escape(&name));
        let items = client
            .list_all_filtered(&[PLURAL], PLURAL, &filter)
            .await
            .map_err(|e| e.to_provider_error(&operation))?;
        let wanted = name.to_lowercase();
        let Some(found) = items.iter().find(|e| {
            e.get("name")
                .and_then(serde_json::Value::as_str)
                .map(str::to_lowercase)
                == Some(wanted.clone())
        }) else {
            return Ok(Found::Nothing);
        };
        let id = found
            .get("id")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        let bom = read_bom(client, id, &operation).await?;
        from_api(found, &bom)
            .map(Found::Object)
            .map_err(|e| api_shape_error(&operation, e))
    }
}

/// The bill of materials of a listed environment: the one its list expanded, else
/// `GET /environments/{id}/billOfMaterials`.
pub(crate) async fn bill_of_materials_of(
    client: &Client,
    env: &serde_json::Value,
    operation: &str,
) -> Result<serde_json::Value, ProviderError> {
    match env
        .pointer("/_embedded/billOfMaterials")
        .or_else(|| env.get("billOfMaterials"))
    {
        Some(bom) => Ok(bom.clone()),
        None => {
            let id = env
                .get("id")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default();
            read_bom(client, id, operation).await
        }
    }
}

/// `GET /environments/{id}/billOfMaterials`; an environment without one has no services.
async fn read_bom(
    client: &Client,
    id: &str,
    operation: &str,
) -> Result<serde_json::Value, ProviderError> {
    match client.get(&[PLURAL, id, "billOfMaterials"]).await {
        Ok(bom) => Ok(bom),
        Err(e) if e.is_not_found() => Ok(json!({})),
        Err(e) => Err(e.to_provider_error(operation)),
    }
}

/// The region of the worker's own environment: an organization manages environments
/// in one region only (API.md §1.1), so it is the right default. With a given token
/// (no worker known), the region of the first environment the token can see.
async fn provider_region(client: &Client, operation: &str) -> Result<String, ProviderError> {
    let failed = |e: crate::client::ClientError| e.to_provider_error(operation);
    let own = match client.environment_id() {
        Some(worker) => client.get(&[PLURAL, worker]).await.map_err(failed)?,
        None => {
            let page = client.get(&[PLURAL]).await.map_err(failed)?;
            page.pointer("/_embedded/environments/0")
                .cloned()
                .unwrap_or_default()
        }
    };
    own.get("region")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| {
            api_shape_error(
                operation,
                "no environment with a region to default to; set region".into(),
            )
        })
}

/// Deletion is asynchronous: PingOne answers 200 or 403 for a while before 404
/// (API.md §2.4). Waits for 404, bounded; a timeout is not an error (as Terraform).
async fn wait_until_gone(client: &Client, id: &str, operation: &str) -> Result<(), ProviderError> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        match client.get(&[PLURAL, id]).await {
            Err(e) if e.is_not_found() => return Ok(()),
            Ok(_) | Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
    tracing::warn!(
        "{operation}: PingOne still lists environment {id}; its deletion may finish later"
    );
    Ok(())
}

#[cfg(test)]
#[path = "environment_tests.rs"]
mod tests;
