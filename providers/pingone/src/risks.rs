//! Risks a reviewer must see in a PingOne plan, beyond the engine's generic ones:
//! broad admin grants, populations deleted with users in them, environment type
//! changes and PRODUCTION deletes, and client-secret rotations.
//!
//! `risks` is synchronous, so what it needs from PingOne is remembered as it is seen:
//! role names (listed once at configure) and population user counts (seen on refresh),
//! in [`Facts`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use engine::Value;
use engine::plan::Action;
use engine::provider::RiskRequest;

/// Roles whose grant a reviewer must always see.
const POWERFUL_ROLES: &[&str] = &["Organization Admin", "Environment Admin"];

/// What the provider has learned from PingOne that risk assessment needs.
#[derive(Debug, Default)]
pub struct Facts {
    role_names: Mutex<HashMap<String, String>>,
    user_counts: Mutex<HashMap<String, u64>>,
    force_delete_population_users: AtomicBool,
}

impl Facts {
    /// Remembers the built-in roles' names by id.
    pub fn remember_roles(&self, roles: impl IntoIterator<Item = (String, String)>) {
        let mut names = self
            .role_names
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        names.extend(roles);
    }

    /// Remembers how many users a population held when last read.
    pub fn remember_user_count(&self, population_id: &str, count: u64) {
        let mut counts = self
            .user_counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        counts.insert(population_id.to_string(), count);
    }

    /// Remembers whether deleting a population deletes its users first
    /// (`global_options.population.contains_users_force_delete`).
    pub fn remember_force_delete(&self, on: bool) {
        self.force_delete_population_users
            .store(on, Ordering::Relaxed);
    }

    fn force_delete(&self) -> bool {
        self.force_delete_population_users.load(Ordering::Relaxed)
    }

    fn role_name(&self, id: &str) -> Option<String> {
        let names = self
            .role_names
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        names.get(id).cloned()
    }

    fn user_count(&self, id: &str) -> Option<u64> {
        let counts = self
            .user_counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        counts.get(id).copied()
    }
}

/// The risks of one planned change.
pub fn assess(facts: &Facts, change: &RiskRequest<'_>) -> Vec<String> {
    match change.type_name {
        "pingone_user_role_assignment"
        | "pingone_group_role_assignment"
        | "pingone_application_role_assignment" => role_grant(facts, change),
        "pingone_population" => population_delete(facts, change),
        "pingone_environment" => environment(change),
        "pingone_application_secret" => secret_rotation(change),
        _ => Vec::new(),
    }
}

fn str_attr<'a>(v: Option<&'a Value>, name: &str) -> Option<&'a str> {
    v?.get(name)?.as_str()
}

fn role_grant(facts: &Facts, change: &RiskRequest<'_>) -> Vec<String> {
    if !(change.action == Action::Create || change.action.replaces()) {
        return Vec::new();
    }
    let mut risks = Vec::new();
    let role_id = str_attr(change.after, "role_id");
    let role = role_id.and_then(|id| facts.role_name(id));
    if let Some(org) = str_attr(change.after, "scope_organization_id") {
        risks.push(format!(
            "grants {} at ORGANIZATION scope (organization {org}): power over every environment",
            role.as_deref()
                .map_or("a role".to_string(), |r| format!("the {r} role"))
        ));
    }
    if let Some(name) = role.as_deref().filter(|r| POWERFUL_ROLES.contains(r)) {
        let scope = [
            "scope_environment_id",
            "scope_population_id",
            "scope_application_id",
        ]
        .iter()
        .find_map(|s| str_attr(change.after, s).map(|id| format!(" over {id}")))
        .unwrap_or_default();
        risks.push(format!("grants the {name} role{scope}"));
    }
    risks
}

fn population_delete(facts: &Facts, change: &RiskRequest<'_>) -> Vec<String> {
    if !change.action.deletes() {
        return Vec::new();
    }
    let Some(id) = str_attr(change.before, "id") else {
        return Vec::new();
    };
    if facts.force_delete() {
        let count = match facts.user_count(id) {
            Some(n) => format!(" ({n} when last read)"),
            None => String::new(),
        };
        return vec![format!(
            "{}: deletes every user in population {id}{count} before the population \
             (global_options.population.contains_users_force_delete; SANDBOX environments only)",
            crate::resources::population_users::NOTICE
        )];
    }
    match facts.user_count(id) {
        Some(n) if n > 0 => vec![format!(
            "deletes population {id}, which holds {n} user(s): PingOne refuses until they are moved or deleted"
        )],
        _ => Vec::new(),
    }
}

fn environment(change: &RiskRequest<'_>) -> Vec<String> {
    let before = str_attr(change.before, "type");
    let after = str_attr(change.after, "type");
    let mut risks = Vec::new();
    if change.action == Action::Update && before.is_some() && after.is_some() && before != after {
        risks.push(format!(
            "changes the environment type from {} to {}{}",
            before.unwrap_or_default(),
            after.unwrap_or_default(),
            if before == Some("PRODUCTION") {
                " (refused: PRODUCTION environments are never demoted)"
            } else {
                ""
            }
        ));
    }
    if change.action.deletes() && before == Some("PRODUCTION") {
        risks.push("destroys a PRODUCTION environment (refused at apply: remove it from the state instead)".into());
    }
    risks
}

fn secret_rotation(change: &RiskRequest<'_>) -> Vec<String> {
    if !matches!(
        change.action,
        Action::Create | Action::Update | Action::Replace | Action::CreateThenDelete
    ) {
        return Vec::new();
    }
    let app = str_attr(change.after, "application_id").unwrap_or("the application");
    let grace = change
        .after
        .and_then(|a| a.get("previous"))
        .and_then(|p| p.get("expires_at"))
        .and_then(Value::as_str);
    vec![match grace {
        Some(at) => {
            format!("rotates the client secret of {app}; the old one keeps working until {at}")
        }
        None => format!("rotates the client secret of {app}; the old one stops working at once"),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::object;

    fn request<'a>(
        type_name: &'a str,
        action: Action,
        before: Option<&'a Value>,
        after: Option<&'a Value>,
    ) -> RiskRequest<'a> {
        RiskRequest {
            type_name,
            action,
            before,
            after,
        }
    }

    #[test]
    fn force_deleting_population_users_is_a_data_protection_notice() {
        let facts = Facts::default();
        facts.remember_user_count("p1", 3);
        let before = object([("id", "p1".into())]);
        let delete = request("pingone_population", Action::Delete, Some(&before), None);
        assert!(assess(&facts, &delete)[0].contains("holds 3 user(s)"));
        facts.remember_force_delete(true);
        let risks = assess(&facts, &delete);
        assert_eq!(risks.len(), 1);
        assert!(
            risks[0].starts_with(
                "Data protection notice: deletes every user in population p1 (3 when last read)"
            ),
            "{risks:?}"
        );
        let update = request(
            "pingone_population",
            Action::Update,
            Some(&before),
            Some(&before),
        );
        assert!(assess(&facts, &update).is_empty());
    }

    #[test]
    fn organization_scope_and_admin_roles_are_flagged() {
        let facts = Facts::default();
        facts.remember_roles([("r-env".to_string(), "Environment Admin".to_string())]);
        let org = object([
            ("role_id", "r-x".into()),
            ("scope_organization_id", "o1".into()),
        ]);
        let r = assess(
            &facts,
            &request(
                "pingone_user_role_assignment",
                Action::Create,
                None,
                Some(&org),
            ),
        );
        assert_eq!(r.len(), 1);
        assert!(r[0].contains("ORGANIZATION scope"), "{r:?}");
        let env = object([
            ("role_id", "r-env".into()),
            ("scope_environment_id", "e1".into()),
        ]);
        let r = assess(
            &facts,
            &request(
                "pingone_group_role_assignment",
                Action::Create,
                None,
                Some(&env),
            ),
        );
        assert_eq!(
            r,
            vec!["grants the Environment Admin role over e1".to_string()]
        );
        let r = assess(
            &facts,
            &request(
                "pingone_group_role_assignment",
                Action::Delete,
                Some(&env),
                None,
            ),
        );
        assert!(r.is_empty());
    }

    #[test]
    fn populations_with_users_are_flagged_on_delete() {
        let facts = Facts::default();
        facts.remember_user_count("p1", 3);
        let p = object([("id", "p1".into())]);
        let r = assess(
            &facts,
            &request("pingone_population", Action::Delete, Some(&p), None),
        );
        assert!(r[0].contains("holds 3 user(s)"));
        facts.remember_user_count("p1", 0);
        assert!(
            assess(
                &facts,
                &request("pingone_population", Action::Delete, Some(&p), None)
            )
            .is_empty()
        );
    }

    #[test]
    fn environment_type_changes_and_secret_rotations_are_flagged() {
        let facts = Facts::default();
        let sandbox = object([("type", "SANDBOX".into())]);
        let prod = object([("type", "PRODUCTION".into())]);
        let r = assess(
            &facts,
            &request(
                "pingone_environment",
                Action::Update,
                Some(&prod),
                Some(&sandbox),
            ),
        );
        assert!(r[0].contains("PRODUCTION to SANDBOX") && r[0].contains("refused"));
        let r = assess(
            &facts,
            &request("pingone_environment", Action::Delete, Some(&prod), None),
        );
        assert!(r[0].contains("PRODUCTION"));
        let secret = object([("application_id", "a1".into()), ("previous", Value::Null)]);
        let r = assess(
            &facts,
            &request(
                "pingone_application_secret",
                Action::Create,
                None,
                Some(&secret),
            ),
        );
        assert!(r[0].contains("rotates the client secret of a1"));
    }
}
