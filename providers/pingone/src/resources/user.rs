//! `pingone_user`: a user in an environment (TERRAFORM-PROVIDER.md §3.4; API.md §4).
//!
//! Create is one `POST …/users` with the import media type, so the initial password,
//! `lifecycle` and `mfaEnabled` travel with it; `PUT …/enabled` and the account lock
//! follow only when configured away from PingOne's defaults. Update moves the user with
//! `PUT …/population` when the population changed, then replaces the user with `PUT`.
//!
//! `password` is write-only (the schema says so, for the engine to skip it when
//! diffing): `initial_value` and `force_change` are sent on create only, and create and
//! refresh return `password` as null, so the clear text is never in state, plans or logs.

use async_trait::async_trait;
use engine::Value;
use engine::provider::{BlockSchema, Found, ObjectRef, Presence, ProviderError};
use serde_json::{Map, json};

use super::common::{
    api_shape_error, attr, boolean, create_error, delete_in_environment, id_attr, link_attr,
    read_in_environment, string,
};
use super::{Resource, environment_gone, invalid};
use crate::client::Client;
use crate::fields::{Field, Kind, attr_type, field, from_json, to_json};
use crate::values::{
    IfUnknown, conform, json_bool, json_string, object, object_from_pairs, opt_bool, opt_string,
    required_string, with_attr,
};

/// The resource type's name.
pub const TYPE_NAME: &str = "pingone_user";

/// The key of users in a list answer's `_embedded`.
const PLURAL: &str = "users";

/// The media type that lets a create carry a password (API.md §4.1).
pub const IMPORT_CONTENT_TYPE: &str = "application/vnd.pingidentity.user.import+json";
const LOCK_CONTENT_TYPE: &str = "application/vnd.pingidentity.account.lock+json";
const UNLOCK_CONTENT_TYPE: &str = "application/vnd.pingidentity.account.unlock+json";

const NAME: &[Field] = &[
    field("family", "family", Kind::Str),
    field("formatted", "formatted", Kind::Str),
    field("given", "given", Kind::Str),
    field("honorific_prefix", "honorificPrefix", Kind::Str),
    field("honorific_suffix", "honorificSuffix", Kind::Str),
    field("middle", "middle", Kind::Str),
];
const ADDRESS: &[Field] = &[
    field("country_code", "countryCode", Kind::Str),
    field("locality", "locality", Kind::Str),
    field("postal_code", "postalCode", Kind::Str),
    field("region", "region", Kind::Str),
    field("street_address", "streetAddress", Kind::Str),
];
const PHOTO: &[Field] = &[field("href", "href", Kind::Str)];
const IDENTITY_PROVIDER: &[Field] = &[
    field("id", "id", Kind::Str),
    field("type", "type", Kind::Str),
];
const LIFECYCLE: &[Field] = &[
    field("status", "status", Kind::Str),
    field(
        "suppress_verification_code",
        "suppressVerificationCode",
        Kind::Bool,
    ),
];
const ACCOUNT: &[Field] = &[
    field("can_authenticate", "canAuthenticate", Kind::Bool),
    field("locked_at", "lockedAt", Kind::Str),
    field("status", "status", Kind::Str),
];

/// Attributes that are plain renames, sent on create and on every full-replace PUT.
const PLAIN: &[Field] = &[
    field("username", "username", Kind::Str),
    field("email", "email", Kind::Str),
    field("external_id", "externalId", Kind::Str),
    field("locale", "locale", Kind::Str),
    field("mobile_phone", "mobilePhone", Kind::Str),
    field("primary_phone", "primaryPhone", Kind::Str),
    field("nickname", "nickname", Kind::Str),
    field("title", "title", Kind::Str),
    field("type", "type", Kind::Str),
    field("preferred_language", "preferredLanguage", Kind::Str),
    field("timezone", "timezone", Kind::Str),
    field("name", "name", Kind::Obj(NAME)),
    field("address", "address", Kind::Obj(ADDRESS)),
    field("photo", "photo", Kind::Obj(PHOTO)),
];

const GATEWAY: &[Field] = &[
    field("id", "id", Kind::Str),
    field("type", "type", Kind::Str),
    field("user_type_id", "userType", Kind::Str),
    field(
        "correlation_attributes",
        "correlationAttributes",
        Kind::StrMap,
    ),
];
const EXTERNAL: &[Field] = &[field("gateway", "gateway", Kind::Obj(GATEWAY))];
const PASSWORD: &[Field] = &[
    field("force_change", "forceChange", Kind::Bool),
    field("initial_value", "value", Kind::Str),
    field("external", "external", Kind::Obj(EXTERNAL)),
];

/// The media type of `PUT …/password` that sets a user's password (API.md §4.4).
const PASSWORD_SET_CONTENT_TYPE: &str = "application/vnd.pingidentity.password.set+json";

/// Sets the password when the configured `password.initial_value` changed. The
/// engine passes the configured object only then; an unchanged password comes as
/// its sealed copy from state, which has no `initial_value`.
async fn set_changed_password(
    client: &Client,
    env: &str,
    id: &str,
    planned: &Value,
    operation: &str,
) -> Result<(), ProviderError> {
    let Some(password) = planned.get("password") else {
        return Ok(());
    };
    let Some(value) = password.get("initial_value").and_then(Value::as_str) else {
        return Ok(());
    };
    let force_change = matches!(password.get("force_change"), Some(Value::Bool(true)));
    client
        .put_typed(
            &["environments", env, PLURAL, id, "password"],
            &json!({ "value": value, "forceChange": force_change }),
            PASSWORD_SET_CONTENT_TYPE,
        )
        .await
        .map(drop)
        .map_err(|e| e.to_provider_error(operation))
}

/// The schema, following the official Terraform provider.
pub fn schema() -> BlockSchema {
    use Presence::{Optional, OptionalComputed, Required};
    let mut s = BlockSchema::default()
        .attr("id", id_attr("The user's ID."))
        .attr(
            "environment_id",
            link_attr("The environment that holds the user."),
        )
        .attr(
            "username",
            string(Required, "The username, unique in the environment."),
        )
        .attr("email", string(Required, "The user's email address."))
        .attr(
            "enabled",
            boolean(Optional, "Whether the user can sign on.").default_value(true.into()),
        )
        .attr(
            "population_id",
            string(Required, "The population; changing it moves the user."),
        )
        .attr(
            "mfa_enabled",
            boolean(Optional, "Whether MFA is enabled.").default_value(true.into()),
        )
        .attr(
            "verify_status",
            string(OptionalComputed, "ENABLED, DISABLED or NOT_INITIATED.").force_new(),
        )
        .attr(
            "account",
            attr(
                attr_type(Kind::Obj(ACCOUNT)),
                OptionalComputed,
                "The account state: { status = OK | LOCKED, can_authenticate, locked_at }.",
            ),
        )
        .attr(
            "identity_provider",
            attr(
                attr_type(Kind::Obj(IDENTITY_PROVIDER)),
                OptionalComputed,
                "The identity provider that authenticates the user: { id, type }.",
            )
            .force_new(),
        )
        .attr(
            "user_lifecycle",
            attr(
                attr_type(Kind::Obj(LIFECYCLE)),
                OptionalComputed,
                "{ status = ACCOUNT_OK | VERIFICATION_REQUIRED, suppress_verification_code }.",
            )
            .force_new(),
        )
        .attr(
            "password",
            attr(
                attr_type(Kind::Obj(PASSWORD)),
                Optional,
                "The initial password (write-only): { initial_value, force_change, external }.",
            )
            .sensitive()
            .write_only(),
        );
    for f in PLAIN.iter().skip(2) {
        s = s.attr(f.tf, attr(attr_type(f.kind), Optional, "A user attribute."));
    }
    s
}

/// The body of the create call (import media type): every attribute, the population,
/// the initial password, lifecycle and `mfaEnabled`.
pub fn create_body(planned: &Value) -> Result<serde_json::Value, String> {
    let mut body = common_body(planned)?;
    if let Some(Value::Object(_)) = planned.get("password") {
        let mut password = Map::new();
        to_json(
            planned,
            &[field("password", "password", Kind::Obj(PASSWORD))],
            IfUnknown::Refuse,
            &mut password,
        )?;
        body.extend(password);
    }
    if let Some(lifecycle @ Value::Object(_)) = planned.get("user_lifecycle") {
        let mut out = Map::new();
        to_json(lifecycle, LIFECYCLE, IfUnknown::Omit, &mut out)?;
        body.insert("lifecycle".into(), serde_json::Value::Object(out));
    }
    if let Some(mfa) = opt_bool(planned, "mfa_enabled")? {
        body.insert("mfaEnabled".into(), json!(mfa));
    }
    Ok(serde_json::Value::Object(body))
}

/// The body of the full-replace `PUT`: every attribute PUT may change. Population,
/// password, lifecycle, `enabled` and `mfaEnabled` have their own calls.
pub fn update_body(planned: &Value) -> Result<serde_json::Value, String> {
    let mut body = common_body(planned)?;
    body.remove("population");
    Ok(serde_json::Value::Object(body))
}

fn common_body(planned: &Value) -> Result<Map<String, serde_json::Value>, String> {
    let mut body = Map::new();
    required_string(planned, "username")?;
    to_json(planned, PLAIN, IfUnknown::Refuse, &mut body)?;
    body.insert(
        "population".into(),
        json!({ "id": required_string(planned, "population_id")? }),
    );
    if let Some(Value::Object(idp)) = planned.get("identity_provider")
        && let Some(Value::String(id)) = idp.get("id")
    {
        body.insert("identityProvider".into(), json!({ "id": id }));
    }
    if let Some(status) = opt_string(planned, "verify_status", IfUnknown::Omit)? {
        body.insert("verifyStatus".into(), json!(status));
    }
    Ok(body)
}

/// The user's attributes from PingOne's JSON, nested objects shaped like `basis`
/// (planned or prior). The write-only `password` is always null.
pub fn from_api(api: &serde_json::Value, basis: &Value) -> Result<Value, String> {
    let id = json_string(api, "/id");
    if id.is_null() {
        return Err("PingOne's answer has no user id".to_string());
    }
    let mut pairs = from_json(api, PLAIN);
    pairs.extend([
        ("id".to_string(), id),
        ("environment_id".to_string(), environment_id(api, basis)),
        (
            "population_id".to_string(),
            json_string(api, "/population/id"),
        ),
        (
            "enabled".to_string(),
            default_true(json_bool(api, "/enabled")),
        ),
        (
            "mfa_enabled".to_string(),
            default_true(json_bool(api, "/mfaEnabled")),
        ),
        (
            "verify_status".to_string(),
            json_string(api, "/verifyStatus"),
        ),
        ("account".to_string(), account(api)),
        ("identity_provider".to_string(), identity_provider(api)),
        ("user_lifecycle".to_string(), lifecycle(api)),
        ("password".to_string(), Value::Null),
    ]);
    let shaped = pairs
        .into_iter()
        .map(|(k, v)| {
            let v = conform(v, basis.get(&k));
            (k, v)
        })
        .collect();
    Ok(object_from_pairs(shaped))
}

/// PingOne leaves `enabled`/`mfaEnabled` out of some answers; both default to on.
fn default_true(v: Value) -> Value {
    if v.is_null() { Value::Bool(true) } else { v }
}

fn account(api: &serde_json::Value) -> Value {
    match api.get("account") {
        Some(a) if a.is_object() => object_from_pairs(from_json(a, ACCOUNT)),
        _ => object([
            ("can_authenticate", default_true(json_bool(api, "/enabled"))),
            ("locked_at", Value::Null),
            ("status", "OK".into()),
        ]),
    }
}

fn identity_provider(api: &serde_json::Value) -> Value {
    match api.get("identityProvider") {
        Some(i) if i.is_object() => object_from_pairs(from_json(i, IDENTITY_PROVIDER)),
        _ => object([("id", Value::Null), ("type", "PING_ONE".into())]),
    }
}

fn lifecycle(api: &serde_json::Value) -> Value {
    match api.get("lifecycle") {
        Some(l) if l.is_object() => object_from_pairs(from_json(l, LIFECYCLE)),
        _ => object([
            ("status", "ACCOUNT_OK".into()),
            ("suppress_verification_code", Value::Null),
        ]),
    }
}

fn environment_id(api: &serde_json::Value, basis: &Value) -> Value {
    match basis.get("environment_id") {
        Some(env @ Value::String(_)) => env.clone(),
        _ => json_string(api, "/environment/id"),
    }
}

/// The planned account status, when it asks for a lock or an unlock.
fn planned_lock(planned: &Value) -> Option<&str> {
    planned.get("account")?.get("status")?.as_str()
}

/// The `pingone_user` resource type.
pub(crate) struct User;

#[async_trait]
impl Resource for User {
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
        read_in_environment(client, TYPE_NAME, objects, PLURAL, from_api).await
    }

    async fn create(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let operation = format!("create {address}");
        let env = required_string(planned, "environment_id").map_err(|e| invalid(&operation, e))?;
        let body = create_body(planned).map_err(|e| invalid(&operation, e))?;
        let created = client
            .post_typed(&["environments", &env, PLURAL], &body, IMPORT_CONTENT_TYPE)
            .await
            .map_err(|e| create_error(e, &operation, address, |id| format!("{env}/{id}")))?;
        let mut user = from_api(&created, planned).map_err(|e| api_shape_error(&operation, e))?;
        let id = required_string(&user, "id").map_err(|e| api_shape_error(&operation, e))?;
        user = apply_flags(client, &env, &id, &user, planned, &operation).await?;
        Ok(user)
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
        let id = required_string(prior, "id").map_err(|e| invalid(&operation, e))?;
        let population =
            required_string(planned, "population_id").map_err(|e| invalid(&operation, e))?;
        if prior.get("population_id").and_then(Value::as_str) != Some(population.as_str()) {
            client
                .put(
                    &["environments", &env, PLURAL, &id, "population"],
                    &json!({ "id": population }),
                )
                .await
                .map_err(|e| e.to_provider_error(&operation))?;
        }
        set_changed_password(client, &env, &id, planned, &operation).await?;
        let body = update_body(planned).map_err(|e| invalid(&operation, e))?;
        let updated = client
            .put(&["environments", &env, PLURAL, &id], &body)
            .await
            .map_err(|e| e.to_provider_error(&operation))?;
        let user = from_api(&updated, planned).map_err(|e| api_shape_error(&operation, e))?;
        apply_flags(client, &env, &id, &user, planned, &operation).await
    }

    async fn delete(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
    ) -> Result<(), ProviderError> {
        delete_in_environment(client, address, prior, PLURAL).await
    }

    /// A user's natural key is its username, unique in its environment.
    async fn find(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Found, ProviderError> {
        let operation = format!("find {address} by username");
        let env = required_string(planned, "environment_id").map_err(|e| invalid(&operation, e))?;
        let username = required_string(planned, "username").map_err(|e| invalid(&operation, e))?;
        let filter = format!("username eq \"{}\"", scim_escape(&username));
        let items = match client
            .list_all_filtered(&["environments", &env, PLURAL], PLURAL, &filter)
            .await
        {
            Ok(items) => items,
            Err(e) => {
                return environment_gone(client, &env, e, &operation)
                    .await
                    .map(|()| Found::Nothing);
            }
        };
        let wanted = username.to_lowercase();
        match items.iter().find(|u| {
            u.get("username")
                .and_then(serde_json::Value::as_str)
                .map(str::to_lowercase)
                == Some(wanted.clone())
        }) {
            Some(found) => from_api(found, planned)
                .map(Found::Object)
                .map_err(|e| api_shape_error(&operation, e)),
            None => Ok(Found::Nothing),
        }
    }
}

/// Brings `enabled`, `mfaEnabled` and the account lock to the planned values with
/// their own calls, only when PingOne's answer differs (each costs a request); after
/// any of them, reads the user again (`enabled` changes `account.can_authenticate`).
async fn apply_flags(
    client: &Client,
    env: &str,
    id: &str,
    current: &Value,
    planned: &Value,
    operation: &str,
) -> Result<Value, ProviderError> {
    let fail = |e: crate::client::ClientError| e.to_provider_error(operation);
    let mut called = false;
    for (attr, path) in [("enabled", "enabled"), ("mfa_enabled", "mfaEnabled")] {
        let want = opt_bool(planned, attr).map_err(|e| invalid(operation, e))?;
        if let Some(want) = want
            && current.get(attr) != Some(&Value::Bool(want))
        {
            client
                .put(
                    &["environments", env, PLURAL, id, path],
                    &json!({ path: want }),
                )
                .await
                .map_err(fail)?;
            called = true;
        }
    }
    let live_status = current
        .get("account")
        .and_then(|a| a.get("status"))
        .and_then(Value::as_str);
    if let Some(want) = planned_lock(planned)
        && Some(want) != live_status
    {
        let content_type = if want == "LOCKED" {
            LOCK_CONTENT_TYPE
        } else {
            UNLOCK_CONTENT_TYPE
        };
        client
            .post_typed(&["environments", env, PLURAL, id], &json!({}), content_type)
            .await
            .map_err(fail)?;
        called = true;
    }
    if !called {
        return Ok(current.clone());
    }
    let fresh = client
        .get(&["environments", env, PLURAL, id])
        .await
        .map_err(fail)?;
    let mut user = from_api(&fresh, planned).map_err(|e| api_shape_error(operation, e))?;
    // A GET of one user may leave `mfaEnabled` out; the call just made set it.
    if let Some(want) = opt_bool(planned, "mfa_enabled").map_err(|e| invalid(operation, e))?
        && fresh.get("mfaEnabled").is_none()
    {
        user = with_attr(user, "mfa_enabled", Value::Bool(want));
    }
    Ok(user)
}

/// A SCIM string literal's contents: quotes and backslashes escaped.
pub(crate) fn scim_escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
#[path = "user_tests.rs"]
mod tests;
