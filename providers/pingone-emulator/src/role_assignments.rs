//! Role assignment rules (API.md §5.2–§5.4): create and delete only.
//!
//! - `role.id`, `scope.id` and `scope.type` are required; the role must exist and
//!   `scope.type` must be in its `applicableTo`, else 400 `INVALID_DATA` with
//!   `details[0].target == "scope"` (the detail code `INVALID_VALUE` is UNCONFIRMED).
//! - The caller may grant only a role it holds (or one its roles can assign, per PingOne's
//!   "can assign" matrix) at the same or a broader scope, else 403
//!   `ACCESS_FAILED` whose detail message starts "Must have role at the same or broader
//!   scope" (what the Terraform provider's retry predicate matches).
//! - The same role at the same scope twice is a 400 `UNIQUENESS_VIOLATION`.
//! - Read-only assignments (made automatically for an environment's creator) cannot be
//!   deleted: 400 "Role assignment <id> cannot be deleted as it is read only".

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::api_error::{ApiError, Detail, FORBIDDEN_MESSAGE, NOT_FOUND_MESSAGE};
use crate::model::{RoleAssignment, TenantData};
use crate::permissions::{self, Actor};
use crate::roles;
use crate::seed;

/// Who holds the assignments of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ActorKind {
    User,
    Group,
    Application,
}

/// 404 for an actor or assignment that does not exist.
pub(crate) fn not_found() -> ApiError {
    ApiError::not_found(NOT_FOUND_MESSAGE)
}

/// Fails with 404 unless the actor exists in the environment.
pub(crate) fn require_actor(
    data: &TenantData,
    kind: ActorKind,
    env_id: &str,
    actor_id: &str,
) -> Result<(), ApiError> {
    let exists = match kind {
        ActorKind::User => data.users.get_in(env_id, actor_id).is_some(),
        ActorKind::Group => data.groups.get_in(env_id, actor_id).is_some(),
        ActorKind::Application => data.applications.get_in(env_id, actor_id).is_some(),
    };
    if exists { Ok(()) } else { Err(not_found()) }
}

/// A validated assignment body: role ID, scope type, scope ID.
#[derive(Debug, Clone)]
pub(crate) struct AssignmentInput {
    role_id: String,
    scope_type: String,
    scope_id: String,
}

const SCOPE_TYPES: &[&str] = &["ORGANIZATION", "ENVIRONMENT", "POPULATION", "APPLICATION"];

fn string_at(
    body: &Map<String, Value>,
    object: &str,
    key: &str,
    details: &mut Vec<Detail>,
) -> String {
    let target = format!("{object}.{key}");
    match body.get(object).and_then(|o| o.get(key)) {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::String(_)) | Some(Value::Null) | None => {
            details.push(
                Detail::new("REQUIRED_VALUE", format!("{target} is required.")).target(target),
            );
            String::new()
        }
        Some(_) => {
            details.push(
                Detail::new("INVALID_VALUE", format!("{target} must be a string.")).target(target),
            );
            String::new()
        }
    }
}

impl AssignmentInput {
    /// Validates a POST body.
    pub(crate) fn parse(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut details = Vec::new();
        let role_id = string_at(body, "role", "id", &mut details);
        let scope_id = string_at(body, "scope", "id", &mut details);
        let scope_type = string_at(body, "scope", "type", &mut details);
        if !scope_type.is_empty() && !SCOPE_TYPES.contains(&scope_type.as_str()) {
            details.push(
                Detail::new(
                    "INVALID_VALUE",
                    format!("'{scope_type}' is not a valid scope type."),
                )
                .target("scope.type")
                .inner("allowedValues", json!(SCOPE_TYPES)),
            );
        }
        if details.is_empty() {
            Ok(AssignmentInput {
                role_id,
                scope_type,
                scope_id,
            })
        } else {
            Err(ApiError::invalid_data(details))
        }
    }
}

/// Creates an assignment of `actor_id` (in `env_id`) on behalf of `caller`.
pub(crate) fn create(
    data: &mut TenantData,
    caller: Actor<'_>,
    kind: ActorKind,
    env_id: &str,
    actor_id: &str,
    input: AssignmentInput,
) -> Result<RoleAssignment, ApiError> {
    require_actor(data, kind, env_id, actor_id)?;
    let role = roles::role(&input.role_id).ok_or_else(|| {
        ApiError::invalid_data(vec![
            Detail::new(
                "INVALID_VALUE",
                format!("Unable to find role with ID: '{}'", input.role_id),
            )
            .target("role.id"),
        ])
    })?;
    if !role.applicable_to.contains(&input.scope_type.as_str()) {
        return Err(ApiError::invalid_data(vec![
            Detail::new(
                "INVALID_VALUE",
                format!(
                    "Incompatible role and scope combination: {} cannot be assigned at {} scope.",
                    role.name, input.scope_type
                ),
            )
            .target("scope")
            .inner("allowedValues", json!(role.applicable_to)),
        ]));
    }
    let target =
        permissions::scope_target(data, &input.scope_type, &input.scope_id).ok_or_else(|| {
            ApiError::invalid_data(vec![
                Detail::new(
                    "INVALID_VALUE",
                    format!(
                        "Unable to find the {} with ID: '{}'",
                        input.scope_type.to_lowercase(),
                        input.scope_id
                    ),
                )
                .target("scope.id"),
            ])
        })?;
    if !permissions::may_grant(data, caller, role.id, &target) {
        return Err(broader_scope_required(role.name));
    }
    let duplicate = data.role_assignments.iter_in(actor_id, None).find(|a| {
        a.role_id == role.id && a.scope_type == input.scope_type && a.scope_id == input.scope_id
    });
    if let Some(existing) = duplicate {
        return Err(ApiError::invalid_data(vec![
            Detail::new(
                "UNIQUENESS_VIOLATION",
                "The actor already has this role at this scope.",
            )
            .target("role")
            .inner("existingId", json!(existing.id)),
        ]));
    }
    let assignment = seed::assignment(
        actor_id,
        env_id,
        role.id,
        &input.scope_type,
        &input.scope_id,
        false,
    );
    data.role_assignments.insert(assignment.clone());
    Ok(assignment)
}

fn broader_scope_required(role: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "ACCESS_FAILED", FORBIDDEN_MESSAGE).detail(Detail::new(
        "INSUFFICIENT_PERMISSIONS",
        format!("Must have role at the same or broader scope to assign the {role} role."),
    ))
}

/// Deletes an assignment of `actor_id`, if the caller may.
pub(crate) fn delete(
    data: &mut TenantData,
    caller: Actor<'_>,
    actor_id: &str,
    id: &str,
) -> Result<(), ApiError> {
    let assignment = data
        .role_assignments
        .get_in(actor_id, id)
        .ok_or_else(not_found)?;
    if assignment.read_only {
        return Err(ApiError::invalid_request(format!(
            "Role assignment {id} cannot be deleted as it is read only"
        )));
    }
    let target = permissions::scope_target(data, &assignment.scope_type, &assignment.scope_id);
    let allowed = target.is_some_and(|t| permissions::may_grant(data, caller, &assignment.role_id, &t))
        // An assignment whose scope is gone can be cleaned up by anyone who may delete.
        || permissions::scope_target(data, &assignment.scope_type, &assignment.scope_id).is_none();
    if !allowed {
        let name = roles::role(&assignment.role_id).map_or("", |r| r.name);
        return Err(broader_scope_required(name));
    }
    data.role_assignments.remove(id);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::ADMIN_ENVIRONMENT_ID as ENV;

    fn body(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    fn input(role: &str, scope_type: &str, scope_id: &str) -> AssignmentInput {
        AssignmentInput::parse(&body(
            json!({"role": {"id": role}, "scope": {"type": scope_type, "id": scope_id}}),
        ))
        .expect("input")
    }

    fn tenant() -> (TenantData, String) {
        let data = seed::tenant().expect("seed");
        let worker = data.admin_application_id.clone();
        (data, worker)
    }

    #[test]
    fn scope_type_must_be_applicable_to_the_role() {
        let (mut data, worker) = tenant();
        let org = data.organization.id.clone();
        let error = create(
            &mut data,
            Actor::settled(&worker),
            ActorKind::Application,
            ENV,
            &worker,
            input(roles::IDENTITY_DATA_ADMIN, "ORGANIZATION", &org),
        )
        .expect_err("scope");
        assert_eq!(error.body()["details"][0]["target"], "scope");
        assert!(AssignmentInput::parse(&body(json!({"role": {}}))).is_err());
    }

    #[test]
    fn callers_grant_only_roles_they_hold_at_a_broader_scope() {
        let (mut data, worker) = tenant();
        let org = data.organization.id.clone();
        let error = create(
            &mut data,
            Actor::settled(&worker),
            ActorKind::Application,
            ENV,
            &worker,
            input("b1e00000-0000-4000-8000-000000000007", "ORGANIZATION", &org),
        )
        .expect_err("broader");
        assert_eq!(error.status(), StatusCode::FORBIDDEN);
        assert!(
            error.body()["details"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Must have role at the same or broader scope")
        );
        let pop = data.populations[0].id.clone();
        let made = create(
            &mut data,
            Actor::settled(&worker),
            ActorKind::Application,
            ENV,
            &worker,
            input(roles::IDENTITY_DATA_ADMIN, "POPULATION", &pop),
        )
        .expect("narrower");
        let again = create(
            &mut data,
            Actor::settled(&worker),
            ActorKind::Application,
            ENV,
            &worker,
            input(roles::IDENTITY_DATA_ADMIN, "POPULATION", &pop),
        );
        assert_eq!(
            again.expect_err("dup").body()["details"][0]["code"],
            "UNIQUENESS_VIOLATION"
        );
        delete(&mut data, Actor::settled(&worker), &worker, &made.id).expect("delete");
        assert!(data.role_assignments.get(&made.id).is_none());
    }

    #[test]
    fn read_only_assignments_are_not_deleted() {
        let (mut data, worker) = tenant();
        let auto = data
            .role_assignments
            .iter_in(&worker, None)
            .next()
            .map(|a| a.id.clone())
            .unwrap_or_default();
        let error =
            delete(&mut data, Actor::settled(&worker), &worker, &auto).expect_err("read only");
        assert!(
            error.body()["message"]
                .as_str()
                .unwrap_or_default()
                .ends_with("cannot be deleted as it is read only")
        );
    }
}
