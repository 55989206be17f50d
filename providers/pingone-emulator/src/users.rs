//! User rules (API.md §4): what a create, replace, patch, move, password change or delete
//! does to the tenant.
//!
//! - `username` is required, 1–128 characters without control characters, and unique in the
//!   environment (case-insensitive): 400 `INVALID_DATA` / `UNIQUENESS_VIOLATION` with
//!   `innerError.existingId` (API.md §4.3; the detail text is UNCONFIRMED).
//! - `email` is required, as the specification says (UNCONFIRMED whether PingOne enforces it).
//! - `population` defaults to the default population and changes only through
//!   `PUT /population`; `enabled` only through `PUT /enabled`; `mfaEnabled` on create or through
//!   `PUT /mfaEnabled`. PUT replaces every other attribute, PATCH merges top-level attributes
//!   (`null` unsets), and both ignore the attributes they may not change.
//! - Passwords (import create, `PUT /password`) are kept as salted SHA-256 hashes only.
//! - Populations' `userCount` is kept exact on create, move and delete.
//! - Unknown attributes are refused (PingOne validates bodies against its user schema).

use aws_lc_rs::digest;
use serde_json::{Map, Value, json};

use crate::api_error::{ApiError, Detail};
use crate::model::{PasswordRecord, TenantData, User, new_id, now};

/// Profile attributes a client may write, kept as sent.
const PROFILE: &[&str] = &[
    "email",
    "name",
    "nickname",
    "title",
    "type",
    "locale",
    "preferredLanguage",
    "timezone",
    "mobilePhone",
    "primaryPhone",
    "photo",
    "address",
    "externalId",
    "accountId",
    "lifecycle",
    "verifyStatus",
    "identityProvider",
];
/// Attributes a client may send but that these requests ignore.
const IGNORED: &[&str] = &[
    "id",
    "environment",
    "createdAt",
    "updatedAt",
    "_links",
    "_embedded",
    "enabled",
    "account",
    "emailVerified",
    "lastSignOn",
    "memberOfGroupIDs",
    "memberOfGroupNames",
    "population",
    "mfaEnabled",
    "password",
];
const NAME_PARTS: &[&str] = &[
    "given",
    "family",
    "middle",
    "formatted",
    "honorificPrefix",
    "honorificSuffix",
];
const ADDRESS_PARTS: &[&str] = &[
    "streetAddress",
    "locality",
    "region",
    "postalCode",
    "countryCode",
];

/// How a body is being applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// POST `application/json`.
    Create,
    /// POST `application/vnd.pingidentity.user.import+json`: may carry `password`.
    Import,
    /// PUT: full replace.
    Replace,
    /// PATCH: merge.
    Patch,
}

/// A validated user body.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserInput {
    username: Option<String>,
    population_id: Option<String>,
    mfa_enabled: Option<bool>,
    password: Option<(String, bool)>,
    /// Profile attributes; in PATCH mode a `null` value unsets.
    attributes: Map<String, Value>,
}

fn invalid(target: &str, message: String) -> Detail {
    Detail::new("INVALID_VALUE", message).target(target)
}

fn required(target: &str) -> Detail {
    Detail::new("REQUIRED_VALUE", format!("{target} is required.")).target(target)
}

/// A string of `min..=max` characters, or a problem.
fn check_string(details: &mut Vec<Detail>, target: &str, value: &Value, min: usize, max: usize) {
    match value.as_str() {
        Some(s) if (min..=max).contains(&s.chars().count()) => {}
        Some(_) => details.push(
            Detail::new(
                "SIZE_LIMIT_EXCEEDED",
                format!("{target} must be between {min} and {max} characters."),
            )
            .target(target)
            .inner("rangeMinimumValue", json!(min))
            .inner("rangeMaximumValue", json!(max)),
        ),
        None => details.push(invalid(target, format!("{target} must be a string."))),
    }
}

fn check_object(
    details: &mut Vec<Detail>,
    target: &str,
    value: &Value,
    parts: &[&str],
    max: usize,
) {
    let Some(object) = value.as_object() else {
        details.push(invalid(target, format!("{target} must be an object.")));
        return;
    };
    for (key, part) in object {
        let path = format!("{target}.{key}");
        if !parts.contains(&key.as_str()) {
            details.push(invalid(&path, format!("{path} is not a valid attribute.")));
        } else if !part.is_null() {
            check_string(details, &path, part, 1, max);
        }
    }
}

fn check_attribute(details: &mut Vec<Detail>, name: &str, value: &Value) {
    match name {
        "email" => match value.as_str() {
            Some(e) if e.contains('@') && !e.starts_with('@') && !e.ends_with('@') => {}
            _ => details.push(invalid(name, "email must be a valid email address.".into())),
        },
        "name" => check_object(details, name, value, NAME_PARTS, 256),
        "address" => {
            check_object(details, name, value, ADDRESS_PARTS, 256);
            let code = value.get("countryCode").and_then(Value::as_str);
            if code.is_some_and(|c| c.len() != 2 || !c.chars().all(|c| c.is_ascii_uppercase())) {
                details.push(invalid(
                    "address.countryCode",
                    "address.countryCode must be two uppercase letters.".into(),
                ));
            }
        }
        "photo" => check_object(details, name, value, &["href"], 1024),
        "identityProvider" => check_object(details, name, value, &["id", "type"], 256),
        "lifecycle" => check_lifecycle(details, value),
        "verifyStatus" => {
            if !matches!(
                value.as_str(),
                Some("NOT_INITIATED" | "ENABLED" | "DISABLED")
            ) {
                details.push(
                    invalid(
                        name,
                        "verifyStatus must be NOT_INITIATED, ENABLED or DISABLED.".into(),
                    )
                    .inner(
                        "allowedValues",
                        json!(["NOT_INITIATED", "ENABLED", "DISABLED"]),
                    ),
                );
            }
        }
        "mobilePhone" => check_string(details, name, value, 0, 32),
        "primaryPhone" => check_string(details, name, value, 1, 32),
        "externalId" => check_string(details, name, value, 1, 1024),
        "timezone" => match value.as_str() {
            Some(tz) if tz.contains('/') && !tz.starts_with('/') && !tz.ends_with('/') => {}
            _ => details.push(invalid(
                name,
                "timezone must be an IANA time zone such as America/Chicago.".into(),
            )),
        },
        _ => check_string(details, name, value, 1, 256),
    }
}

fn check_lifecycle(details: &mut Vec<Detail>, value: &Value) {
    let Some(object) = value.as_object() else {
        details.push(invalid("lifecycle", "lifecycle must be an object.".into()));
        return;
    };
    let bad_status = object.get("status").is_some_and(|s| {
        !s.is_null() && !matches!(s.as_str(), Some("ACCOUNT_OK" | "VERIFICATION_REQUIRED"))
    });
    if bad_status {
        details.push(
            invalid(
                "lifecycle.status",
                "lifecycle.status must be ACCOUNT_OK or VERIFICATION_REQUIRED.".into(),
            )
            .inner(
                "allowedValues",
                json!(["ACCOUNT_OK", "VERIFICATION_REQUIRED"]),
            ),
        );
    }
    if object
        .get("suppressVerificationCode")
        .is_some_and(|v| !v.is_boolean() && !v.is_null())
    {
        details.push(invalid(
            "lifecycle.suppressVerificationCode",
            "lifecycle.suppressVerificationCode must be a boolean.".into(),
        ));
    }
}

impl UserInput {
    /// Validates a body for `mode`, collecting every problem into one 400.
    pub(crate) fn parse(body: &Map<String, Value>, mode: Mode) -> Result<Self, ApiError> {
        let mut details = Vec::new();
        let mut input = UserInput::default();
        for (name, value) in body {
            if name == "username" {
                input.username = username(&mut details, value, mode);
            } else if PROFILE.contains(&name.as_str()) {
                if value.is_null() {
                    if mode == Mode::Patch {
                        input.attributes.insert(name.clone(), Value::Null);
                    }
                    continue;
                }
                check_attribute(&mut details, name, value);
                input.attributes.insert(name.clone(), value.clone());
            } else if !IGNORED.contains(&name.as_str()) {
                details.push(invalid(
                    name,
                    format!("Attribute '{name}' is not defined in the user schema."),
                ));
            }
        }
        if matches!(mode, Mode::Create | Mode::Import) {
            input.population_id = reference(&mut details, body.get("population"), "population");
            input.mfa_enabled = boolean(&mut details, body.get("mfaEnabled"), "mfaEnabled");
        }
        if mode == Mode::Import {
            input.password = import_password(&mut details, body.get("password"));
        } else if mode != Mode::Patch {
            // lifecycle.status "can only be set on import".
            if let Some(Value::Object(l)) = input.attributes.get_mut("lifecycle") {
                l.remove("status");
            }
        }
        if mode != Mode::Patch {
            if body.get("username").is_none_or(Value::is_null) {
                details.push(required("username"));
            }
            if !input.attributes.contains_key("email") {
                details.push(required("email"));
            }
        }
        if details.is_empty() {
            Ok(input)
        } else {
            Err(ApiError::invalid_data(details))
        }
    }
}

fn username(details: &mut Vec<Detail>, value: &Value, mode: Mode) -> Option<String> {
    if value.is_null() {
        if mode == Mode::Patch {
            details.push(required("username"));
        }
        return None;
    }
    let before = details.len();
    check_string(details, "username", value, 1, 128);
    let name = value.as_str()?;
    if details.len() == before && name.chars().any(char::is_control) {
        details.push(invalid("username", "username may contain only letters, marks, spaces, symbols, numbers and punctuation.".into())
            .inner("allowedPattern", json!("^[\\p{L}\\p{M}\\p{Zs}\\p{S}\\p{N}\\p{P}]*$")));
    }
    (details.len() == before).then(|| name.to_owned())
}

/// An optional `{"id": "..."}` reference.
pub(crate) fn reference(
    details: &mut Vec<Detail>,
    value: Option<&Value>,
    name: &str,
) -> Option<String> {
    let value = value.filter(|v| !v.is_null())?;
    match value.get("id").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => Some(id.to_owned()),
        _ => {
            details.push(required(&format!("{name}.id")));
            None
        }
    }
}

fn boolean(details: &mut Vec<Detail>, value: Option<&Value>, name: &str) -> Option<bool> {
    let value = value.filter(|v| !v.is_null())?;
    let b = value.as_bool();
    if b.is_none() {
        details.push(invalid(name, format!("{name} must be a boolean.")));
    }
    b
}

fn import_password(details: &mut Vec<Detail>, value: Option<&Value>) -> Option<(String, bool)> {
    let value = value.filter(|v| !v.is_null())?;
    let force = value
        .get("forceChange")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match value.get("value").and_then(Value::as_str) {
        Some(v) if !v.is_empty() => Some((v.to_owned(), force)),
        _ => {
            details.push(required("password.value"));
            None
        }
    }
}

/// Hashes a password with a fresh random salt.
pub(crate) fn hash_password(password: &str, force_change: bool) -> PasswordRecord {
    let mut salt = [0u8; 16];
    if aws_lc_rs::rand::fill(&mut salt).is_err() {
        // A random failure is next to impossible; a UUID still gives a unique salt.
        salt.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    let salt = hex(&salt);
    PasswordRecord {
        sha256: sha256(&salt, password),
        salt,
        force_change,
        last_changed_at: now(),
    }
}

fn sha256(salt: &str, password: &str) -> String {
    let mut context = digest::Context::new(&digest::SHA256);
    context.update(salt.as_bytes());
    context.update(password.as_bytes());
    hex(context.finish().as_ref())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `password` is the one recorded.
#[cfg(test)]
pub(crate) fn verify_password(record: &PasswordRecord, password: &str) -> bool {
    sha256(&record.salt, password) == record.sha256
}

/// 404 for a user that is not in the environment.
pub(crate) fn not_found(user_id: &str) -> ApiError {
    ApiError::not_found(format!("Unable to find user with ID: '{user_id}'"))
}

fn check_unique(
    data: &TenantData,
    env_id: &str,
    username: &str,
    except: Option<&str>,
) -> Result<(), ApiError> {
    match data.user_by_username(env_id, username) {
        Some(existing) if Some(existing.id.as_str()) != except => Err(ApiError::invalid_data(vec![
            Detail::new("UNIQUENESS_VIOLATION", "username must be unique within an environment; a user with this username already exists.")
                .target("username")
                .inner("existingId", json!(existing.id)),
        ])),
        _ => Ok(()),
    }
}

/// The population a new user goes to: the one named, or the environment's default.
fn population_for(
    data: &TenantData,
    env_id: &str,
    wanted: Option<&str>,
) -> Result<String, ApiError> {
    let found = match wanted {
        Some(id) => data.populations_of(env_id).find(|p| p.id == id),
        None => data.populations_of(env_id).find(|p| p.default),
    };
    found.map(|p| p.id.clone()).ok_or_else(|| {
        let detail = match wanted {
            Some(id) => invalid(
                "population.id",
                format!("Unable to find population with ID: '{id}' in this environment."),
            ),
            None => required("population.id").inner(
                "allowedPattern",
                json!("The environment has no default population."),
            ),
        };
        ApiError::invalid_data(vec![detail])
    })
}

fn count_user(data: &mut TenantData, population_id: &str, delta: i64) {
    if let Some(p) = data.populations.iter_mut().find(|p| p.id == population_id) {
        p.user_count = p.user_count.saturating_add_signed(delta);
    }
}

/// Creates a user.
pub(crate) fn create(
    data: &mut TenantData,
    env_id: &str,
    input: UserInput,
) -> Result<User, ApiError> {
    let username = input.username.unwrap_or_default();
    check_unique(data, env_id, &username, None)?;
    let population_id = population_for(data, env_id, input.population_id.as_deref())?;
    let mut attributes = input.attributes;
    let lifecycle = attributes.entry("lifecycle").or_insert_with(|| json!({}));
    if let Some(l) = lifecycle.as_object_mut() {
        l.entry("status").or_insert_with(|| json!("ACCOUNT_OK"));
    }
    let at = now();
    let user = User {
        id: new_id(),
        environment_id: env_id.to_owned(),
        username,
        population_id,
        enabled: true,
        mfa_enabled: input.mfa_enabled.unwrap_or(false),
        account_status: "OK".into(),
        locked_at: None,
        password: input
            .password
            .map(|(value, force)| hash_password(&value, force)),
        group_ids: Vec::new(),
        attributes,
        created_at: at,
        updated_at: at,
    };
    count_user(data, &user.population_id, 1);
    data.usernames.insert(
        (env_id.to_owned(), user.username.to_lowercase()),
        user.id.clone(),
    );
    data.users.insert(user.clone());
    Ok(user)
}

/// Applies a PUT (replace) or PATCH (merge) body.
pub(crate) fn update(
    data: &mut TenantData,
    env_id: &str,
    id: &str,
    input: UserInput,
    mode: Mode,
) -> Result<User, ApiError> {
    let current = data.users.get_in(env_id, id).ok_or_else(|| not_found(id))?;
    let old_username = current.username.clone();
    if let Some(username) = &input.username {
        check_unique(data, env_id, username, Some(id))?;
    }
    let user = data
        .users
        .get_mut_in(env_id, id)
        .ok_or_else(|| not_found(id))?;
    if mode == Mode::Replace {
        let lifecycle = user.attributes.get("lifecycle").cloned();
        user.attributes = input.attributes;
        if let Some(lifecycle) = lifecycle {
            // lifecycle.status is set on import only; a replace keeps it.
            let entry = user
                .attributes
                .entry("lifecycle")
                .or_insert_with(|| json!({}));
            if let (Some(out), Some(status)) = (entry.as_object_mut(), lifecycle.get("status")) {
                out.insert("status".into(), status.clone());
            }
        }
    } else {
        for (name, value) in input.attributes {
            if value.is_null() {
                user.attributes.remove(&name);
            } else {
                user.attributes.insert(name, value);
            }
        }
    }
    if let Some(username) = input.username {
        user.username = username;
    }
    user.updated_at = now();
    let user = user.clone();
    if user.username != old_username {
        data.usernames
            .remove(&(env_id.to_owned(), old_username.to_lowercase()));
        data.usernames.insert(
            (env_id.to_owned(), user.username.to_lowercase()),
            user.id.clone(),
        );
    }
    Ok(user)
}

/// Runs `f` on an existing user, bumping `updatedAt`.
pub(crate) fn modify(
    data: &mut TenantData,
    env_id: &str,
    id: &str,
    f: impl FnOnce(&mut User),
) -> Result<User, ApiError> {
    let user = data
        .users
        .get_mut_in(env_id, id)
        .ok_or_else(|| not_found(id))?;
    f(user);
    user.updated_at = now();
    Ok(user.clone())
}

/// `PUT /population`: moves a user, keeping both populations' counts exact.
pub(crate) fn move_to(
    data: &mut TenantData,
    env_id: &str,
    id: &str,
    population_id: &str,
) -> Result<User, ApiError> {
    let from = data
        .users
        .get_in(env_id, id)
        .ok_or_else(|| not_found(id))?
        .population_id
        .clone();
    let to = population_for(data, env_id, Some(population_id))?;
    count_user(data, &from, -1);
    count_user(data, &to, 1);
    modify(data, env_id, id, |u| u.population_id = to)
}

/// Deletes a user, its role assignments and its place in its population's count.
pub(crate) fn delete(data: &mut TenantData, env_id: &str, id: &str) -> Result<(), ApiError> {
    let user = data.users.remove(id).ok_or_else(|| not_found(id))?;
    if user.environment_id != env_id {
        data.users.insert(user);
        return Err(not_found(id));
    }
    count_user(data, &user.population_id, -1);
    data.usernames
        .remove(&(env_id.to_owned(), user.username.to_lowercase()));
    data.role_assignments.remove_in(id);
    Ok(())
}

#[cfg(test)]
mod tests;
