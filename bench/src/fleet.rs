//! The refresh workload: N users in one population, N/50 groups and N/5 user role
//! assignments. Seeded into the emulator over its HTTP API (fast, unlike N creates through
//! `pingform apply`), with the configuration that declares them and the state file that
//! records them, written as `pingform apply` would have: a plan then finds nothing to do.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};
use state::{ResourceState, State};

use crate::error::BenchError;
use crate::tenant::Tenant;

/// The role the assignments grant (the emulator's admin worker holds it, so may grant it).
pub(crate) const ROLE: &str = "Identity Data Admin";

/// How many objects of each kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fleet {
    /// `pingone_user` resources.
    pub(crate) users: usize,
    /// `pingone_group` resources.
    pub(crate) groups: usize,
    /// `pingone_user_role_assignment` resources, on users 0, 5, 10, ...
    pub(crate) assignments: usize,
}

impl Fleet {
    /// N users with groups (N/50) and role assignments (N/5) in proportion.
    pub(crate) fn of(users: usize) -> Fleet {
        Fleet {
            users,
            groups: users / 50,
            assignments: users / 5,
        }
    }

    /// N users alone.
    pub(crate) fn users_only(users: usize) -> Fleet {
        Fleet {
            users,
            groups: 0,
            assignments: 0,
        }
    }

    /// Every resource, the population included.
    pub(crate) fn resources(&self) -> usize {
        1 + self.users + self.groups + self.assignments
    }
}

/// The IDs the emulator gave the seeded objects.
pub(crate) struct Seeded {
    population: String,
    users: Vec<String>,
    groups: Vec<String>,
    assignments: Vec<String>,
    role: String,
}

/// Creates `fleet`'s objects in `tenant` over HTTP.
pub(crate) async fn seed(tenant: &Tenant, fleet: Fleet) -> Result<Seeded, BenchError> {
    let env = tenant.environment_id().to_string();
    let role = tenant.role_id(ROLE).await?;
    let created = tenant
        .post_all(vec![(
            format!("environments/{env}/populations"),
            json!({ "name": "bench-p" }),
        )])
        .await?;
    let population = id_of(&created[0])?;
    let users = (0..fleet.users)
        .map(|i| {
            let body = json!({
                "username": user_name(i),
                "email": format!("u{i:05}@example.com"),
                "population": { "id": population },
                // What `pingform apply` sends for a user whose `mfa_enabled` is left at its
                // default (true); the emulator, like PingOne, defaults it to false.
                "mfaEnabled": true,
            });
            (format!("environments/{env}/users"), body)
        })
        .collect();
    let users = ids(tenant.post_all(users).await?)?;
    let groups = (0..fleet.groups)
        .map(|i| {
            let body = json!({ "name": format!("bench-g{i:05}") });
            (format!("environments/{env}/groups"), body)
        })
        .collect();
    let groups = ids(tenant.post_all(groups).await?)?;
    let assignments = (0..fleet.assignments)
        .map(|i| {
            let body = json!({
                "role": { "id": role },
                "scope": { "id": env, "type": "ENVIRONMENT" },
            });
            let user = &users[assignee(i)];
            (
                format!("environments/{env}/users/{user}/roleAssignments"),
                body,
            )
        })
        .collect();
    let assignments = ids(tenant.post_all(assignments).await?)?;
    Ok(Seeded {
        population,
        users,
        groups,
        assignments,
        role,
    })
}

fn id_of(json: &Value) -> Result<String, BenchError> {
    json["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| BenchError::Seed(format!("no id in {json}")))
}

fn ids(answers: Vec<Value>) -> Result<Vec<String>, BenchError> {
    answers.iter().map(id_of).collect()
}

fn user_name(i: usize) -> String {
    format!("bench-u{i:05}")
}

/// The user holding role assignment `i`.
fn assignee(i: usize) -> usize {
    i * 5
}

/// Writes `dir/main.tf` declaring `fleet` in the environment `env` with the role `role`.
pub(crate) fn write_config(
    dir: &Path,
    fleet: Fleet,
    env: &str,
    role: &str,
) -> Result<(), BenchError> {
    let mut text = format!(
        "variable \"environment_id\" {{\n  type    = string\n  default = \"{env}\"\n}}\n\n\
         resource \"pingone_population\" \"p\" {{\n  environment_id = var.environment_id\n  name           = \"bench-p\"\n}}\n"
    );
    for i in 0..fleet.users {
        let _ = write!(
            text,
            "\nresource \"pingone_user\" \"u{i:05}\" {{\n  environment_id = var.environment_id\n  username       = \"{}\"\n  email          = \"u{i:05}@example.com\"\n  population_id  = pingone_population.p.id\n}}\n",
            user_name(i)
        );
    }
    for i in 0..fleet.groups {
        let _ = write!(
            text,
            "\nresource \"pingone_group\" \"g{i:05}\" {{\n  environment_id = var.environment_id\n  name           = \"bench-g{i:05}\"\n}}\n"
        );
    }
    for i in 0..fleet.assignments {
        let _ = write!(
            text,
            "\nresource \"pingone_user_role_assignment\" \"r{i:05}\" {{\n  environment_id       = var.environment_id\n  user_id              = pingone_user.u{:05}.id\n  role_id              = \"{role}\"\n  scope_environment_id = var.environment_id\n}}\n",
            assignee(i)
        );
    }
    let path = dir.join("main.tf");
    std::fs::write(&path, text).map_err(BenchError::io("write", path))
}

/// Writes `dir/pingform.tfstate` recording `seeded` as `pingform apply` records it.
pub(crate) fn write_state(dir: &Path, seeded: &Seeded, env: &str) -> Result<(), BenchError> {
    let mut state = State::new();
    state.serial = 1;
    let resource =
        |type_name: &str, name: String, attributes: Value, deps: Vec<String>| ResourceState {
            module: Vec::new(),
            type_name: type_name.into(),
            name,
            index_key: None,
            provider: "pingone".into(),
            attributes,
            dependencies: deps,
        };
    state.resources.push(resource(
        "pingone_population",
        "p".into(),
        population(&seeded.population, env),
        vec![],
    ));
    for (i, id) in seeded.users.iter().enumerate() {
        state.resources.push(resource(
            "pingone_user",
            format!("u{i:05}"),
            user(i, id, &seeded.population, env),
            vec!["pingone_population.p".into()],
        ));
    }
    for (i, id) in seeded.groups.iter().enumerate() {
        state.resources.push(resource(
            "pingone_group",
            format!("g{i:05}"),
            group(i, id, env),
            vec![],
        ));
    }
    for (i, id) in seeded.assignments.iter().enumerate() {
        let user = &seeded.users[assignee(i)];
        state.resources.push(resource(
            "pingone_user_role_assignment",
            format!("r{i:05}"),
            assignment(id, user, &seeded.role, env),
            vec![format!("pingone_user.u{:05}", assignee(i))],
        ));
    }
    state
        .resources
        .sort_by(|a, b| (&a.type_name, &a.name).cmp(&(&b.type_name, &b.name)));
    let path = dir.join("pingform.tfstate");
    let text = serde_json::to_vec_pretty(&state).map_err(|e| BenchError::Seed(e.to_string()))?;
    std::fs::write(&path, text).map_err(BenchError::io("write", path))
}

fn population(id: &str, env: &str) -> Value {
    json!({
        "alternative_identifiers": null, "description": null, "environment_id": env, "id": id,
        "name": "bench-p", "password_policy": null, "password_policy_id": null,
        "preferred_language": null, "theme": null
    })
}

fn user(i: usize, id: &str, population: &str, env: &str) -> Value {
    json!({
        "account": { "can_authenticate": true, "locked_at": null, "status": "OK" },
        "address": null, "email": format!("u{i:05}@example.com"), "enabled": true,
        "environment_id": env, "external_id": null, "id": id,
        "identity_provider": { "id": null, "type": "PING_ONE" },
        "locale": null, "mfa_enabled": true, "mobile_phone": null, "name": null,
        "nickname": null, "password": null, "photo": null, "population_id": population,
        "preferred_language": null, "primary_phone": null, "timezone": null, "title": null,
        "type": null,
        "user_lifecycle": { "status": "ACCOUNT_OK", "suppress_verification_code": null },
        "username": user_name(i), "verify_status": "NOT_INITIATED"
    })
}

fn group(i: usize, id: &str, env: &str) -> Value {
    json!({
        "custom_data": null, "description": null, "environment_id": env, "external_id": null,
        "id": id, "name": format!("bench-g{i:05}"), "population_id": null, "user_filter": null
    })
}

fn assignment(id: &str, user: &str, role: &str, env: &str) -> Value {
    json!({
        "environment_id": env, "id": id, "read_only": false, "role_id": role,
        "scope_application_id": null, "scope_environment_id": env,
        "scope_organization_id": null, "scope_population_id": null, "user_id": user
    })
}
