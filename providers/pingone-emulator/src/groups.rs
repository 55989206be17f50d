//! Group rules (API.md §6): groups, user memberships and group nesting.
//!
//! - `name` is required. "A group name can be reused across populations, but the same user
//!   cannot belong to multiple groups with the same group name. Population groups cannot share
//!   a group name with an environment group." (MGMT-SPEC `Group.name`); names compare
//!   case-insensitively.
//! - A population group takes members of that population only.
//! - A user's memberships are direct, or indirect through nesting (a member of a group that is
//!   nested in another is an INDIRECT member of the other). Nesting cycles are refused.
//! - Deleting a group removes its memberships, nestings and role assignments.

use std::collections::HashSet;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::api_error::{ApiError, Detail, NOT_FOUND_MESSAGE};
use crate::fields::Fields;
use crate::model::{Group, TenantData, new_id, now};

const KEPT: &[&str] = &["description", "userFilter", "externalId", "customData"];

/// A validated group body.
#[derive(Debug, Clone)]
pub(crate) struct GroupInput {
    name: String,
    population_id: Option<String>,
    attributes: Map<String, Value>,
}

impl GroupInput {
    /// Validates a POST or PUT body.
    pub(crate) fn parse(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut f = Fields::new(body);
        let name = f.required_string("name").unwrap_or_default();
        let population_id = f.optional_reference("population");
        for key in ["description", "userFilter", "externalId"] {
            f.optional_string(key);
        }
        if body
            .get("customData")
            .is_some_and(|v| !v.is_null() && !v.is_object())
        {
            f.problem(
                Detail::new("INVALID_VALUE", "customData must be an object.").target("customData"),
            );
        }
        f.finish()?;
        let attributes = KEPT
            .iter()
            .filter_map(|k| {
                body.get(*k)
                    .filter(|v| !v.is_null())
                    .map(|v| ((*k).to_owned(), v.clone()))
            })
            .collect();
        Ok(GroupInput {
            name,
            population_id,
            attributes,
        })
    }
}

/// 404 for a group that is not in the environment.
pub(crate) fn not_found() -> ApiError {
    ApiError::not_found(NOT_FOUND_MESSAGE)
}

fn population_of(group: &Group) -> Option<&str> {
    group
        .attributes
        .get("population")
        .and_then(|p| p.get("id"))
        .and_then(Value::as_str)
}

fn check_name(
    data: &TenantData,
    env_id: &str,
    input: &GroupInput,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let wanted = input.name.to_lowercase();
    let clash = data.groups.iter_in(env_id, None).find(|g| {
        Some(g.id.as_str()) != except
            && g.name.to_lowercase() == wanted
            && (population_of(g).is_none()
                || input.population_id.is_none()
                || population_of(g) == input.population_id.as_deref())
    });
    match clash {
        None => Ok(()),
        Some(existing) => Err(ApiError::invalid_data(vec![
            Detail::new(
                "UNIQUENESS_VIOLATION",
                "A group with this name already exists in this population or environment.",
            )
            .target("name")
            .inner("existingId", json!(existing.id)),
        ])),
    }
}

fn check_population(data: &TenantData, env_id: &str, input: &GroupInput) -> Result<(), ApiError> {
    match &input.population_id {
        Some(id) if data.populations_of(env_id).all(|p| &p.id != id) => {
            Err(ApiError::invalid_data(vec![
                Detail::new(
                    "INVALID_VALUE",
                    format!("Unable to find population with ID: '{id}' in this environment."),
                )
                .target("population.id"),
            ]))
        }
        _ => Ok(()),
    }
}

fn apply(group: &mut Group, input: GroupInput) {
    group.name = input.name;
    group.attributes = input.attributes;
    if let Some(id) = input.population_id {
        group
            .attributes
            .insert("population".into(), json!({ "id": id }));
    }
}

/// Creates a group.
pub(crate) fn create(
    data: &mut TenantData,
    env_id: &str,
    input: GroupInput,
) -> Result<Group, ApiError> {
    check_population(data, env_id, &input)?;
    check_name(data, env_id, &input, None)?;
    let at = now();
    let mut group = Group {
        id: new_id(),
        environment_id: env_id.to_owned(),
        name: String::new(),
        parent_group_ids: Vec::new(),
        attributes: Map::new(),
        created_at: at,
        updated_at: at,
    };
    apply(&mut group, input);
    data.groups.insert(group.clone());
    Ok(group)
}

/// Replaces a group's writable attributes.
pub(crate) fn replace(
    data: &mut TenantData,
    env_id: &str,
    id: &str,
    input: GroupInput,
) -> Result<Group, ApiError> {
    data.groups.get_in(env_id, id).ok_or_else(not_found)?;
    check_population(data, env_id, &input)?;
    check_name(data, env_id, &input, Some(id))?;
    let group = data.groups.get_mut_in(env_id, id).ok_or_else(not_found)?;
    apply(group, input);
    group.updated_at = now();
    Ok(group.clone())
}

/// Deletes a group with its memberships, nestings and role assignments.
pub(crate) fn delete(data: &mut TenantData, env_id: &str, id: &str) -> Result<(), ApiError> {
    data.groups.get_in(env_id, id).ok_or_else(not_found)?;
    data.groups.remove(id);
    let members: Vec<String> = data
        .users
        .iter_in(env_id, None)
        .filter(|u| u.group_ids.iter().any(|g| g == id))
        .map(|u| u.id.clone())
        .collect();
    for user in members {
        if let Some(u) = data.users.get_mut_in(env_id, &user) {
            u.group_ids.retain(|g| g != id);
        }
    }
    let children: Vec<String> = data
        .groups
        .iter_in(env_id, None)
        .filter(|g| g.parent_group_ids.iter().any(|p| p == id))
        .map(|g| g.id.clone())
        .collect();
    for child in children {
        if let Some(g) = data.groups.get_mut_in(env_id, &child) {
            g.parent_group_ids.retain(|p| p != id);
        }
    }
    data.role_assignments.remove_in(id);
    Ok(())
}

/// The groups a set of direct groups makes one a member of: each with DIRECT or INDIRECT.
pub(crate) fn memberships<'a>(
    data: &'a TenantData,
    direct: &[String],
) -> Vec<(&'a Group, &'static str)> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    let mut queue: Vec<(&str, &'static str)> =
        direct.iter().map(|g| (g.as_str(), "DIRECT")).collect();
    let mut i = 0;
    while let Some(&(id, kind)) = queue.get(i) {
        i += 1;
        if !seen.insert(id) {
            continue;
        }
        if let Some(group) = data.groups.get(id) {
            out.push((group, kind));
            queue.extend(
                group
                    .parent_group_ids
                    .iter()
                    .map(|p| (p.as_str(), "INDIRECT")),
            );
        }
    }
    out
}

fn membership_error(code: &'static str, message: &str) -> ApiError {
    ApiError::invalid_data(vec![Detail::new(code, message).target("id")])
}

/// Adds a user to a group.
pub(crate) fn add_member(
    data: &mut TenantData,
    env_id: &str,
    user_id: &str,
    group_id: &str,
) -> Result<Group, ApiError> {
    let user = data
        .users
        .get_in(env_id, user_id)
        .ok_or_else(|| crate::users::not_found(user_id))?;
    let group = data.groups.get_in(env_id, group_id).ok_or_else(|| {
        membership_error(
            "INVALID_VALUE",
            &format!("Unable to find group with ID: '{group_id}' in this environment."),
        )
    })?;
    if user.group_ids.iter().any(|g| g == group_id) {
        return Err(membership_error(
            "UNIQUENESS_VIOLATION",
            "The user is already a member of this group.",
        ));
    }
    if population_of(group).is_some_and(|p| p != user.population_id) {
        return Err(membership_error(
            "CONSTRAINT_VIOLATION",
            "A population group can only have members of its population.",
        ));
    }
    let same_name = user
        .group_ids
        .iter()
        .filter_map(|g| data.groups.get(g))
        .any(|g| g.name.eq_ignore_ascii_case(&group.name));
    if same_name {
        return Err(membership_error(
            "CONSTRAINT_VIOLATION",
            "A user cannot belong to two groups with the same name.",
        ));
    }
    let group = group.clone();
    if let Some(u) = data.users.get_mut_in(env_id, user_id) {
        u.group_ids.push(group_id.to_owned());
    }
    Ok(group)
}

/// Removes a user from a group (direct memberships only).
pub(crate) fn remove_member(
    data: &mut TenantData,
    env_id: &str,
    user_id: &str,
    group_id: &str,
) -> Result<(), ApiError> {
    let user = data
        .users
        .get_mut_in(env_id, user_id)
        .ok_or_else(|| crate::users::not_found(user_id))?;
    let before = user.group_ids.len();
    user.group_ids.retain(|g| g != group_id);
    if user.group_ids.len() == before {
        return Err(not_found());
    }
    Ok(())
}

/// Nests `group_id` in `parent_id`.
pub(crate) fn nest(
    data: &mut TenantData,
    env_id: &str,
    group_id: &str,
    parent_id: &str,
) -> Result<Group, ApiError> {
    let group = data.groups.get_in(env_id, group_id).ok_or_else(not_found)?;
    let parent = data.groups.get_in(env_id, parent_id).ok_or_else(|| {
        membership_error(
            "INVALID_VALUE",
            &format!("Unable to find group with ID: '{parent_id}' in this environment."),
        )
    })?;
    if group.parent_group_ids.iter().any(|p| p == parent_id) {
        return Err(membership_error(
            "UNIQUENESS_VIOLATION",
            "The group is already nested in this group.",
        ));
    }
    let ancestors = memberships(data, &[parent_id.to_owned()]);
    if group_id == parent_id || ancestors.iter().any(|(g, _)| g.id == group_id) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_DATA",
            crate::api_error::VALIDATION_MESSAGE,
        )
        .detail(
            Detail::new(
                "CONSTRAINT_VIOLATION",
                "Nesting the group there would make a cycle.",
            )
            .target("id"),
        ));
    }
    let parent = parent.clone();
    if let Some(g) = data.groups.get_mut_in(env_id, group_id) {
        g.parent_group_ids.push(parent_id.to_owned());
    }
    Ok(parent)
}

/// Un-nests `group_id` from `parent_id`.
pub(crate) fn unnest(
    data: &mut TenantData,
    env_id: &str,
    group_id: &str,
    parent_id: &str,
) -> Result<(), ApiError> {
    let group = data
        .groups
        .get_mut_in(env_id, group_id)
        .ok_or_else(not_found)?;
    let before = group.parent_group_ids.len();
    group.parent_group_ids.retain(|p| p != parent_id);
    if group.parent_group_ids.len() == before {
        return Err(not_found());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::{self, ADMIN_ENVIRONMENT_ID as ENV};
    use crate::users::{self, Mode, UserInput};

    fn input(value: Value) -> GroupInput {
        GroupInput::parse(value.as_object().unwrap_or(&Map::new())).expect("input")
    }

    fn setup() -> (TenantData, String) {
        let mut data = seed::tenant().expect("seed");
        let body = json!({"username": "u", "email": "u@example.com"});
        let user =
            UserInput::parse(body.as_object().unwrap_or(&Map::new()), Mode::Create).expect("user");
        let user = users::create(&mut data, ENV, user).expect("create");
        (data, user.id)
    }

    #[test]
    fn names_population_groups_and_memberships() {
        let (mut data, user) = setup();
        let pop = data.populations[0].id.clone();
        let a = create(&mut data, ENV, input(json!({"name": "Staff"}))).expect("a");
        assert!(
            create(
                &mut data,
                ENV,
                input(json!({"name": "staff", "population": {"id": pop}}))
            )
            .is_err()
        );
        assert!(GroupInput::parse(&Map::new()).is_err());
        add_member(&mut data, ENV, &user, &a.id).expect("member");
        assert!(add_member(&mut data, ENV, &user, &a.id).is_err());
        let b = create(&mut data, ENV, input(json!({"name": "Parents"}))).expect("b");
        nest(&mut data, ENV, &a.id, &b.id).expect("nest");
        assert!(nest(&mut data, ENV, &b.id, &a.id).is_err(), "cycle");
        let direct = data
            .users
            .get(&user)
            .map(|u| u.group_ids.clone())
            .unwrap_or_default();
        let kinds: Vec<_> = memberships(&data, &direct)
            .into_iter()
            .map(|(g, k)| (g.name.clone(), k))
            .collect();
        assert_eq!(
            kinds,
            [
                ("Staff".to_owned(), "DIRECT"),
                ("Parents".to_owned(), "INDIRECT")
            ]
        );
        delete(&mut data, ENV, &b.id).expect("delete");
        assert!(
            data.groups
                .get(&a.id)
                .is_some_and(|g| g.parent_group_ids.is_empty())
        );
        delete(&mut data, ENV, &a.id).expect("delete");
        assert!(
            data.users
                .get(&user)
                .is_some_and(|u| u.group_ids.is_empty())
        );
    }
}
