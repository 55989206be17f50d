//! Environment rules (API.md §2): create, replace, type and status changes, bill of
//! materials, delete.
//!
//! - Names are unique in the organization (case-insensitively, as for populations).
//! - `region` is one of PingOne's region codes on create (`details[0].target == "region"`, with
//!   `innerError.allowedValues`) and immutable afterwards.
//! - `license.id` is required on create and must name a license of the organization; a
//!   PRODUCTION environment needs a license that allows production, and a license holds at most
//!   its `environments.max` environments: both refusals are 403 `ACCESS_FAILED` with detail
//!   `LICENSE_EXCEEDED` (PingOne's detail code for licensing limits; the exact answer is
//!   UNCONFIRMED).
//! - DELETE removes a SANDBOX environment and everything in it; a PRODUCTION environment is
//!   refused with 400 `REQUEST_FAILED` / `CONSTRAINT_VIOLATION` on `type` (UNCONFIRMED, API.md
//!   §2.4 suggests 400): demote it or set its status to `DELETE_PENDING` first.
//! - A new environment gets PingOne's automatic content (`seed::furnish`) and its creator gets
//!   Environment Admin (unless it holds that at organization scope), Identity Data Admin and
//!   Client Application Developer over it, read-only (API.md §2.3, §5.4).

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::api_error::{ApiError, Detail};
use crate::fields::Fields;
use crate::model::{Environment, TenantData, new_id, now};
use crate::roles;
use crate::seed;

/// PingOne's region codes (`EnumRegionCode`).
pub(crate) const REGIONS: &[&str] = &["AP", "AU", "CA", "EU", "NA", "SG"];
const TYPES: &[&str] = &["PRODUCTION", "SANDBOX"];
const STATUSES: &[&str] = &["ACTIVE", "DELETE_PENDING"];
/// `EnumProductType`, plus the two the newer specification adds.
pub(crate) const PRODUCT_TYPES: &[&str] = &[
    "PING_ONE_MFA",
    "PING_ONE_DAVINCI",
    "PING_ONE_ORCHESTRATE",
    "PING_ONE_RISK",
    "PING_ONE_FRAUD",
    "PING_ONE_PROVISIONING",
    "PING_DATA_SYNC",
    "PING_DATA_GOVERNANCE",
    "PING_ONE_FOR_ENTERPRISE",
    "PING_ID_SDK",
    "PING_ONE_FOR_SAAS",
    "PING_ONE_VERIFY",
    "PING_ONE_CREDENTIALS",
    "PING_ONE_AUTHORIZE",
    "PING_ONE_BASE",
    "PING_FEDERATE",
    "PING_ACCESS",
    "PING_DIRECTORY",
    "PING_AUTHORIZE",
    "PING_ID",
    "PING_ONE_ID",
    "PING_INTELLIGENCE",
    "PING_CENTRAL",
    "IDENTITY_CLOUD",
    "PING_ONE_LEGACY",
];

/// The writable attributes of an environment, from a POST or PUT body.
#[derive(Debug, Clone)]
pub(crate) struct EnvironmentInput {
    name: String,
    description: Option<String>,
    kind: String,
    region: Option<String>,
    license_id: Option<String>,
    icon: Option<String>,
    bill_of_materials: Option<Value>,
}

/// Records a problem if `value` is not one of `allowed`.
pub(crate) fn check_enum(
    fields: &mut Fields<'_>,
    target: &str,
    value: Option<&str>,
    allowed: &[&str],
) {
    if let Some(value) = value.filter(|v| !allowed.contains(v)) {
        fields.problem(
            Detail::new(
                "INVALID_VALUE",
                format!("'{value}' is not a valid {target}."),
            )
            .target(target)
            .inner("allowedValues", json!(allowed)),
        );
    }
}

impl EnvironmentInput {
    /// Validates a body; `create` makes `region` and `license` required.
    pub(crate) fn parse(body: &Map<String, Value>, create: bool) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body);
        let name = fields.required_string("name").unwrap_or_default();
        let kind = fields.required_string("type");
        check_enum(&mut fields, "type", kind.as_deref(), TYPES);
        let region = if create {
            fields.required_string("region")
        } else {
            fields.optional_string("region")
        };
        check_enum(&mut fields, "region", region.as_deref(), REGIONS);
        let license_id = fields.optional_reference("license");
        if create && license_id.is_none() && body.get("license").is_none_or(Value::is_null) {
            fields.problem(Detail::new("REQUIRED_VALUE", "license is required.").target("license"));
        }
        let input = EnvironmentInput {
            name,
            description: fields.optional_string("description"),
            kind: kind.unwrap_or_default(),
            region,
            license_id,
            icon: fields.optional_string("icon"),
            bill_of_materials: bill_of_materials(&mut fields, body.get("billOfMaterials")),
        };
        fields.finish()?;
        Ok(input)
    }
}

/// Validates an optional `billOfMaterials` object (its `products[].type`).
fn bill_of_materials(fields: &mut Fields<'_>, value: Option<&Value>) -> Option<Value> {
    let value = value.filter(|v| !v.is_null())?;
    check_products(fields, value, "billOfMaterials.products");
    Some(value.clone())
}

/// Records problems with a bill of materials' `products`.
pub(crate) fn check_products(fields: &mut Fields<'_>, bom: &Value, target: &str) {
    let Some(products) = bom.get("products").and_then(Value::as_array) else {
        fields.problem(
            Detail::new("REQUIRED_VALUE", format!("{target} must be an array.")).target(target),
        );
        return;
    };
    for product in products {
        let kind = product.get("type").and_then(Value::as_str);
        if kind.is_none() {
            fields.problem(
                Detail::new("REQUIRED_VALUE", format!("{target}.type is required."))
                    .target(format!("{target}.type")),
            );
        }
        check_enum(fields, &format!("{target}.type"), kind, PRODUCT_TYPES);
    }
}

/// 404 for an environment that does not exist.
pub(crate) fn not_found(env_id: &str) -> ApiError {
    ApiError::not_found(format!("Unable to find environment with ID: '{env_id}'"))
}

fn license_exceeded(message: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "ACCESS_FAILED",
        crate::api_error::FORBIDDEN_MESSAGE,
    )
    .detail(Detail::new("LICENSE_EXCEEDED", message))
}

fn check_unique_name(data: &TenantData, name: &str, except: Option<&str>) -> Result<(), ApiError> {
    let wanted = name.to_lowercase();
    let clash = data
        .environments
        .iter()
        .find(|e| Some(e.id.as_str()) != except && e.name.to_lowercase() == wanted);
    match clash {
        None => Ok(()),
        Some(existing) => Err(ApiError::invalid_data(vec![
            Detail::new("UNIQUENESS_VIOLATION", format!("An environment named '{name}' already exists; name must be unique within an organization."))
                .target("name")
                .inner("existingId", json!(existing.id)),
        ])),
    }
}

/// Checks that a license exists and allows an environment of `kind`; `adding` when the
/// environment is new to the license.
fn check_license(
    data: &TenantData,
    license_id: &str,
    kind: &str,
    adding: bool,
) -> Result<(), ApiError> {
    let license = data
        .licenses
        .iter()
        .find(|l| l.id == license_id)
        .ok_or_else(|| {
            ApiError::invalid_data(vec![
                Detail::new(
                    "INVALID_VALUE",
                    format!("Unable to find license with ID: '{license_id}'"),
                )
                .target("license.id"),
            ])
        })?;
    if kind == "PRODUCTION" && !license.allow_production {
        return Err(license_exceeded(
            "The license does not allow PRODUCTION environments.",
        ));
    }
    let used = data
        .environments
        .iter()
        .filter(|e| e.license_id == license_id)
        .count();
    if adding && u32::try_from(used).unwrap_or(u32::MAX) >= license.max_environments {
        return Err(license_exceeded(
            "The license's maximum number of environments is reached.",
        ));
    }
    Ok(())
}

/// Creates an environment for `creator` (an application or user of `creator_env`).
pub(crate) fn create(
    data: &mut TenantData,
    input: EnvironmentInput,
    creator: &str,
    creator_env: &str,
) -> Result<Environment, ApiError> {
    let license_id = input.license_id.clone().unwrap_or_default();
    check_unique_name(data, &input.name, None)?;
    check_license(data, &license_id, &input.kind, true)?;
    let at = now();
    let env = Environment {
        id: new_id(),
        name: input.name,
        description: input.description,
        kind: input.kind,
        region: input.region.unwrap_or_default(),
        license_id,
        icon: input.icon,
        status: None,
        bill_of_materials: Some(
            input
                .bill_of_materials
                .unwrap_or_else(|| json!({ "products": [{ "type": "PING_ONE_BASE" }] })),
        ),
        soft_deleted_at: None,
        created_at: at,
        updated_at: at,
    };
    data.environments.push(env.clone());
    seed::furnish(data, &env.id);
    assign_creator_roles(data, &env.id, creator, creator_env);
    Ok(env)
}

fn assign_creator_roles(data: &mut TenantData, env_id: &str, creator: &str, creator_env: &str) {
    let org = data.organization.id.clone();
    let org_env_admin = data.role_assignments.iter_in(creator, None).any(|a| {
        a.role_id == roles::ENVIRONMENT_ADMIN && a.scope_type == "ORGANIZATION" && a.scope_id == org
    });
    let mut grants = vec![
        roles::IDENTITY_DATA_ADMIN,
        roles::CLIENT_APPLICATION_DEVELOPER,
    ];
    if !org_env_admin {
        grants.insert(0, roles::ENVIRONMENT_ADMIN);
    }
    for role in grants {
        let assignment = seed::assignment(creator, creator_env, role, "ENVIRONMENT", env_id, true);
        data.role_assignments.insert(assignment);
    }
}

fn position(data: &TenantData, env_id: &str) -> Result<usize, ApiError> {
    data.environments
        .iter()
        .position(|e| e.id == env_id)
        .ok_or_else(|| not_found(env_id))
}

/// Replaces an environment's writable attributes; `region` may be sent but not changed.
pub(crate) fn replace(
    data: &mut TenantData,
    env_id: &str,
    input: EnvironmentInput,
) -> Result<Environment, ApiError> {
    let index = position(data, env_id)?;
    let current = &data.environments[index];
    if input.region.as_deref().is_some_and(|r| r != current.region) {
        return Err(ApiError::invalid_data(vec![
            Detail::new(
                "INVALID_VALUE",
                "region cannot be changed after the environment is created.",
            )
            .target("region"),
        ]));
    }
    check_unique_name(data, &input.name, Some(env_id))?;
    let license_id = input
        .license_id
        .clone()
        .unwrap_or_else(|| current.license_id.clone());
    let adding = license_id != current.license_id;
    check_license(data, &license_id, &input.kind, adding)?;
    let env = &mut data.environments[index];
    env.name = input.name;
    env.description = input.description;
    env.kind = input.kind;
    env.license_id = license_id;
    env.icon = input.icon;
    if input.bill_of_materials.is_some() {
        env.bill_of_materials = input.bill_of_materials;
    }
    env.updated_at = now();
    Ok(env.clone())
}

/// `PUT /type`: promotes or demotes.
pub(crate) fn set_type(
    data: &mut TenantData,
    env_id: &str,
    body: &Map<String, Value>,
) -> Result<Environment, ApiError> {
    let mut fields = Fields::new(body);
    let kind = fields.required_string("type");
    check_enum(&mut fields, "type", kind.as_deref(), TYPES);
    fields.finish()?;
    let kind = kind.unwrap_or_default();
    let index = position(data, env_id)?;
    check_license(
        data,
        &data.environments[index].license_id.clone(),
        &kind,
        false,
    )?;
    let env = &mut data.environments[index];
    env.kind = kind;
    env.updated_at = now();
    Ok(env.clone())
}

/// `PUT /status`: `DELETE_PENDING` (soft delete) or `ACTIVE` (restore, with `license.id`).
pub(crate) fn set_status(
    data: &mut TenantData,
    env_id: &str,
    body: &Map<String, Value>,
) -> Result<Environment, ApiError> {
    let mut fields = Fields::new(body);
    let status = fields.required_string("status");
    check_enum(&mut fields, "status", status.as_deref(), STATUSES);
    let license_id = fields.optional_reference("license");
    if status.as_deref() == Some("ACTIVE") && license_id.is_none() {
        fields.problem(
            Detail::new(
                "REQUIRED_VALUE",
                "license.id is required when status is ACTIVE.",
            )
            .target("license.id"),
        );
    }
    fields.finish()?;
    let index = position(data, env_id)?;
    if let Some(license_id) = &license_id {
        let kind = data.environments[index].kind.clone();
        check_license(
            data,
            license_id,
            &kind,
            *license_id != data.environments[index].license_id,
        )?;
    }
    let env = &mut data.environments[index];
    let at = now();
    match status.as_deref() {
        Some("DELETE_PENDING") => env.soft_deleted_at = Some(at),
        _ => env.soft_deleted_at = None,
    }
    env.status = status;
    if let Some(license_id) = license_id {
        env.license_id = license_id;
    }
    env.updated_at = at;
    Ok(env.clone())
}

/// `PUT /billOfMaterials`.
pub(crate) fn set_bill_of_materials(
    data: &mut TenantData,
    env_id: &str,
    body: &Map<String, Value>,
) -> Result<Environment, ApiError> {
    let mut fields = Fields::new(body);
    let bom = Value::Object(body.clone());
    check_products(&mut fields, &bom, "products");
    fields.finish()?;
    let index = position(data, env_id)?;
    let env = &mut data.environments[index];
    env.bill_of_materials = Some(bom);
    env.updated_at = now();
    Ok(env.clone())
}

/// Deletes a SANDBOX environment and everything in it.
pub(crate) fn delete(
    data: &mut TenantData,
    env_id: &str,
    caller_env: &str,
) -> Result<(), ApiError> {
    let index = position(data, env_id)?;
    let constraint = |message: &str, target: &str| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "REQUEST_FAILED",
            format!("The request could not be completed. {message}"),
        )
        .detail(Detail::new("CONSTRAINT_VIOLATION", message).target(target))
    };
    if data.environments[index].kind == "PRODUCTION" {
        return Err(constraint(
            "A PRODUCTION environment cannot be deleted. Change its type to SANDBOX, or its status to DELETE_PENDING, first.",
            "type",
        ));
    }
    if env_id == caller_env {
        return Err(constraint(
            "An actor cannot delete the environment it belongs to.",
            "id",
        ));
    }
    data.environments.remove(index);
    purge(data, env_id);
    Ok(())
}

/// Removes everything that lives in an environment, and role assignments scoped to it.
fn purge(data: &mut TenantData, env_id: &str) {
    let population_ids: Vec<String> = data.populations_of(env_id).map(|p| p.id.clone()).collect();
    data.populations.retain(|p| p.environment_id != env_id);
    data.password_policies
        .retain(|p| p.environment_id != env_id);
    data.sign_on_policies.retain(|p| p.environment_id != env_id);
    for user in data.users.remove_in(env_id) {
        data.usernames
            .remove(&(env_id.to_owned(), user.username.to_lowercase()));
    }
    let app_ids: Vec<String> = data
        .applications
        .remove_in(env_id)
        .into_iter()
        .map(|a| a.id)
        .collect();
    data.groups.remove_in(env_id);
    let doomed: Vec<String> = data
        .role_assignments
        .iter()
        .filter(|a| {
            a.environment_id == env_id
                || a.scope_id == env_id
                || population_ids.contains(&a.scope_id)
                || app_ids.contains(&a.scope_id)
        })
        .map(|a| a.id.clone())
        .collect();
    for id in doomed {
        data.role_assignments.remove(&id);
    }
}

#[cfg(test)]
mod tests;
