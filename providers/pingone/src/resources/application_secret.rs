//! `pingone_application_secret`: an application's client secret, rotated on create
//! (TERRAFORM-PROVIDER.md §3.10; API.md §7.1).
//!
//! Create (and update) `POST …/applications/{id}/secret`, which regenerates the secret,
//! optionally keeping the previous one valid until `previous.expires_at`. Delete only
//! forgets it (the application keeps a secret). `regenerate_trigger_values` forces a
//! rotation when it changes; Terraform regenerates only when a key present before and
//! after changes, pingform on any change of the map (the engine has no finer rule).
//! There is no list endpoint, so refresh is one `GET …/secret` per object.

use async_trait::async_trait;
use engine::Value;
use engine::plan::sealed::reseal;
use engine::provider::{AttrType, BlockSchema, ObjectRef, Presence, ProviderError};
use serde_json::json;

use super::common::{api_shape_error, attr, get_optional, link_attr, string};
use super::{Resource, invalid, state_string};
use crate::client::Client;
use crate::values::{IfUnknown, conform, json_string, object, opt_string, required_string};

/// The resource type's name.
pub const TYPE_NAME: &str = "pingone_application_secret";

/// How to read the secret, which state keeps only as a fingerprint.
const READ_LIVE: &str = "read the secret live where it is needed, with \
     `data \"pingone_application_secret\" \"NAME\" { environment_id = ..., application_id = ... }` \
     and `data.pingone_application_secret.NAME.secret`";

/// The schema, following the official Terraform provider (no `id` attribute), except
/// that `secret` and `previous.secret` are kept in state only as salted fingerprints
/// (`engine::plan::sealed`): a rotation outside pingform still shows as drift.
pub fn schema() -> BlockSchema {
    let previous = AttrType::Object(
        [
            ("expires_at".to_string(), AttrType::String),
            ("secret".to_string(), AttrType::String),
            ("last_used".to_string(), AttrType::String),
        ]
        .into(),
    );
    BlockSchema::default()
        .attr(
            "environment_id",
            link_attr("The application's environment."),
        )
        .attr("application_id", link_attr("The application."))
        .attr(
            "secret",
            string(
                Presence::Computed,
                "A fingerprint of the client secret (the secret itself is never stored).",
            )
            .sensitive()
            .sealed(READ_LIVE),
        )
        .attr(
            "previous",
            attr(
                previous,
                Presence::Optional,
                "Keep the old secret valid until expires_at (RFC 3339): { expires_at }.",
            )
            .sensitive(),
        )
        .attr(
            "regenerate_trigger_values",
            attr(
                AttrType::Map(Box::new(AttrType::String)),
                Presence::Optional,
                "Any change regenerates the secret (for example a time_rotating value).",
            )
            .force_new(),
        )
}

/// The body of the regenerate call.
pub fn to_body(planned: &Value) -> Result<serde_json::Value, String> {
    match planned.get("previous") {
        Some(p @ Value::Object(_)) => match opt_string(p, "expires_at", IfUnknown::Refuse)? {
            Some(at) => Ok(json!({ "previous": { "expiresAt": at } })),
            None => Ok(json!({})),
        },
        _ => Ok(json!({})),
    }
}

/// The attributes from PingOne's `ApplicationSecret`, secrets sealed; `basis` supplies
/// the inputs and the seals of the secrets as last stored.
pub fn from_api(api: &serde_json::Value, basis: &Value) -> Result<Value, String> {
    let Value::Object(mut attrs) = live_attributes(api, basis)? else {
        return Err("the secret is not an object".to_string());
    };
    if let Some(secret) = attrs.get_mut("secret") {
        *secret = reseal(secret, basis.get("secret"));
    }
    if let Some(Value::Object(previous)) = attrs.get_mut("previous")
        && let Some(old) = previous.get_mut("secret").filter(|s| !s.is_null())
    {
        let stored = basis.get("previous").and_then(|p| p.get("secret"));
        *old = reseal(old, stored);
    }
    Ok(Value::Object(attrs))
}

/// The attributes from PingOne's `ApplicationSecret` with the secrets in the clear, for
/// the data source (read live, never stored); `basis` supplies the inputs.
pub fn live_attributes(api: &serde_json::Value, basis: &Value) -> Result<Value, String> {
    let secret = json_string(api, "/secret");
    if secret.is_null() {
        return Err("PingOne's answer has no secret".to_string());
    }
    let previous = match api.get("previous") {
        Some(p) if p.is_object() => object([
            ("expires_at", json_string(p, "/expiresAt")),
            ("secret", json_string(p, "/secret")),
            ("last_used", json_string(p, "/lastUsed")),
        ]),
        _ => Value::Null,
    };
    let b = |n: &str| basis.get(n).cloned().unwrap_or(Value::Null);
    Ok(object([
        ("environment_id", b("environment_id")),
        ("application_id", b("application_id")),
        ("secret", secret),
        ("previous", conform(previous, basis.get("previous"))),
        ("regenerate_trigger_values", b("regenerate_trigger_values")),
    ]))
}

fn path<'a>(env: &'a str, app: &'a str) -> [&'a str; 5] {
    ["environments", env, "applications", app, "secret"]
}

/// The `pingone_application_secret` resource type.
pub(crate) struct ApplicationSecret;

impl ApplicationSecret {
    async fn regenerate(
        &self,
        client: &Client,
        operation: &str,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let env = required_string(planned, "environment_id").map_err(|e| invalid(operation, e))?;
        let app = required_string(planned, "application_id").map_err(|e| invalid(operation, e))?;
        let body = to_body(planned).map_err(|e| invalid(operation, e))?;
        let answer = client
            .post(&path(&env, &app), &body)
            .await
            .map_err(|e| e.to_provider_error(operation))?;
        from_api(&answer, planned).map_err(|e| api_shape_error(operation, e))
    }
}

#[async_trait]
impl Resource for ApplicationSecret {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        schema()
    }

    async fn read_many(
        &self,
        client: &Client,
        objects: &[ObjectRef],
    ) -> Result<Vec<Option<Value>>, ProviderError> {
        let mut results = Vec::with_capacity(objects.len());
        for object in objects {
            let env = state_string(object, "environment_id")?;
            let app = state_string(object, "application_id")?;
            let operation = format!("read {}", object.address);
            let found = get_optional(client, &env, &path(&env, &app), &operation).await?;
            results.push(match found {
                Some(json) => Some(
                    from_api(&json, &object.prior).map_err(|e| api_shape_error(&operation, e))?,
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
        self.regenerate(
            client,
            &format!("create {address} (regenerate the secret)"),
            planned,
        )
        .await
    }

    async fn update(
        &self,
        client: &Client,
        address: &str,
        _prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        self.regenerate(
            client,
            &format!("update {address} (regenerate the secret)"),
            planned,
        )
        .await
    }

    /// The application always has a secret: deleting only forgets it.
    async fn delete(&self, _: &Client, _: &str, _: &Value) -> Result<(), ProviderError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::with_attr;

    fn planned() -> Value {
        object([
            ("environment_id", "e".into()),
            ("application_id", "a".into()),
            ("secret", Value::Unknown),
            ("previous", Value::Null),
            ("regenerate_trigger_values", Value::Null),
        ])
    }

    #[test]
    fn schema_marks_secrets_sensitive() {
        let s = schema();
        assert!(s.attributes["secret"].sensitive && s.attributes["previous"].sensitive);
        assert!(s.attributes["regenerate_trigger_values"].force_new);
        assert!(!s.attributes.contains_key("id"));
    }

    #[test]
    fn previous_expiry_is_sent_and_read_back_in_the_configured_shape() {
        let v = with_attr(
            planned(),
            "previous",
            object([("expires_at", "2030-01-01T00:00:00Z".into())]),
        );
        assert_eq!(
            to_body(&v).unwrap(),
            json!({"previous": {"expiresAt": "2030-01-01T00:00:00Z"}})
        );
        assert_eq!(to_body(&planned()).unwrap(), json!({}));
        let api = json!({"secret": "s2", "previous": {"secret": "s1", "expiresAt": "2030-01-01T00:00:00Z"}});
        let back = from_api(&api, &v).unwrap();
        let sealed = back.get("secret").unwrap();
        assert!(engine::plan::sealed::matches(sealed, &Value::from("s2")));
        assert_eq!(
            back.get("previous"),
            Some(&object([("expires_at", "2030-01-01T00:00:00Z".into())]))
        );
        assert!(from_api(&json!({}), &v).is_err());
    }

    #[test]
    fn secrets_are_kept_only_as_fingerprints_that_change_with_the_secret() {
        let api = json!({"secret": "s2", "previous": {"secret": "s1", "expiresAt": "2030-01-01T00:00:00Z"}});
        let first = from_api(&api, &planned()).unwrap();
        let text = first.to_json().unwrap().to_string();
        assert!(
            !text.contains("\"s2\"") && !text.contains("\"s1\""),
            "{text}"
        );
        let previous = first.get("previous").and_then(|p| p.get("secret")).unwrap();
        assert!(engine::plan::sealed::matches(previous, &Value::from("s1")));
        // Read back unchanged: the same fingerprints, so no drift.
        assert_eq!(from_api(&api, &first).unwrap(), first);
        let rotated = json!({"secret": "s3"});
        let after = from_api(&rotated, &first).unwrap();
        assert_ne!(after.get("secret"), first.get("secret"));
        assert!(schema().attributes["secret"].sealed.is_some());
    }
}
