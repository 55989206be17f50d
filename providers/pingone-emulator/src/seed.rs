//! A brand-new tenant: what the emulator holds the first time it starts.
//!
//! One organization with one license, an "Administrators" PRODUCTION environment in region NA
//! with its automatically created "Default" population (API.md §2.3), and a WORKER application
//! whose client credentials the emulator hands to its callers, plus the token-signing key.
//! The worker holds what a real bootstrap worker holds: Organization Admin at ORGANIZATION
//! scope, and Environment Admin, Identity Data Admin and Client Application Developer on the
//! admin environment. Every environment (seeded or created) is furnished with what PingOne
//! creates automatically (API.md §2.3): the "Default" population, the password policies
//! Standard (default), Passphrase and Basic, and the sign-on policies Single_Factor (default;
//! UNCONFIRMED which one PingOne marks default) and Multi_Factor.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::Error;
use crate::keys;
use serde_json::{Map, Value, json};

use crate::model::{
    Application, Environment, FORMAT_VERSION, License, Organization, Policy, Population,
    RoleAssignment, Secret, TenantData, new_id, now,
};
use crate::roles;
use crate::table::Table;

/// The name of the seeded admin environment.
pub(crate) const ADMIN_ENVIRONMENT_NAME: &str = "Administrators";
/// The ID of the seeded admin environment. Fixed, unlike every other ID, so that
/// configurations and examples can name it without first asking the emulator.
pub const ADMIN_ENVIRONMENT_ID: &str = "a2b4c6d8-0000-4000-8000-00000000e001";
/// The region of the seeded environment.
pub(crate) const REGION: &str = "NA";

/// Builds a new tenant with fresh IDs, secret and signing key.
pub(crate) fn tenant() -> Result<TenantData, Error> {
    let organization = organization();
    let license = license();
    let environment = admin_environment(&license.id);
    let worker = admin_worker(&environment.id)?;
    let mut applications = Table::default();
    let admin_application_id = worker.id.clone();
    applications.insert(worker);
    let mut data = TenantData {
        format_version: FORMAT_VERSION,
        admin_application_id,
        organization,
        licenses: vec![license],
        environments: vec![environment],
        populations: Vec::new(),
        applications,
        users: Table::default(),
        groups: Table::default(),
        role_assignments: Table::default(),
        password_policies: Vec::new(),
        sign_on_policies: Vec::new(),
        signing_key: keys::generate()?,
        usernames: Default::default(),
    };
    furnish(&mut data, ADMIN_ENVIRONMENT_ID);
    upgrade(&mut data);
    Ok(data)
}

/// Brings a tenant from an older data file up to date: the admin worker's bootstrap role
/// assignments, and every environment's automatic policies.
pub(crate) fn upgrade(data: &mut TenantData) {
    let worker = data.admin_application_id.clone();
    let Some(env_id) = data
        .applications
        .get(&worker)
        .map(|w| w.environment_id.clone())
    else {
        return;
    };
    if data.role_assignments.count_in(&worker) == 0 {
        let org = data.organization.id.clone();
        let grants = [
            (roles::ORGANIZATION_ADMIN, "ORGANIZATION", org.as_str()),
            (roles::ENVIRONMENT_ADMIN, "ENVIRONMENT", env_id.as_str()),
            (roles::IDENTITY_DATA_ADMIN, "ENVIRONMENT", env_id.as_str()),
            (
                roles::CLIENT_APPLICATION_DEVELOPER,
                "ENVIRONMENT",
                env_id.as_str(),
            ),
        ];
        for (role, scope_type, scope_id) in grants {
            let assignment = assignment(&worker, &env_id, role, scope_type, scope_id, true);
            data.role_assignments.insert(assignment);
        }
    }
    let bare: Vec<String> = data
        .environments
        .iter()
        .filter(|e| {
            !data
                .password_policies
                .iter()
                .any(|p| p.environment_id == e.id)
        })
        .map(|e| e.id.clone())
        .collect();
    for env_id in bare {
        furnish_policies(data, &env_id);
    }
}

/// A role assignment record.
pub(crate) fn assignment(
    actor_id: &str,
    environment_id: &str,
    role_id: &str,
    scope_type: &str,
    scope_id: &str,
    read_only: bool,
) -> RoleAssignment {
    RoleAssignment {
        id: new_id(),
        actor_id: actor_id.to_owned(),
        environment_id: environment_id.to_owned(),
        role_id: role_id.to_owned(),
        scope_type: scope_type.to_owned(),
        scope_id: scope_id.to_owned(),
        read_only,
        created_at: now(),
    }
}

/// Adds what PingOne creates with every environment: the default population and policies.
pub(crate) fn furnish(data: &mut TenantData, env_id: &str) {
    data.populations.push(default_population(env_id));
    furnish_policies(data, env_id);
}

fn furnish_policies(data: &mut TenantData, env_id: &str) {
    for (name, default, attributes) in password_policies() {
        data.password_policies
            .push(policy(env_id, name, default, attributes));
    }
    let sign_on = [
        (
            "Single_Factor",
            true,
            "A sign-on policy that requires a username and password.",
        ),
        (
            "Multi_Factor",
            false,
            "A sign-on policy that requires a password and a second factor.",
        ),
    ];
    for (name, default, description) in sign_on {
        let attributes = object(json!({ "description": description }));
        data.sign_on_policies
            .push(policy(env_id, name, default, attributes));
    }
}

fn policy(env_id: &str, name: &str, default: bool, attributes: Map<String, Value>) -> Policy {
    let at = now();
    Policy {
        id: new_id(),
        environment_id: env_id.to_owned(),
        name: name.to_owned(),
        default,
        attributes,
        created_at: at,
        updated_at: at,
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The three password policies of a new environment (DOCS p1_passwordpolicies).
fn password_policies() -> [(&'static str, bool, Map<String, Value>); 3] {
    let common = |description: &str, min: u32, extra: Value| {
        let mut out = object(json!({
            "description": description,
            "excludesCommonlyUsed": true,
            "excludesProfileData": true,
            "notSimilarToCurrent": true,
            "history": { "count": 6, "retentionDays": 365 },
            "length": { "min": min, "max": 255 },
            "lockout": { "failureCount": 5, "durationSeconds": 900 },
            "maxAgeDays": 182,
            "minAgeDays": 1,
        }));
        out.extend(object(extra));
        out
    };
    [
        (
            "Standard",
            true,
            common(
                "A standard policy that incorporates industry best practices",
                8,
                json!({
                    "maxRepeatedCharacters": 2,
                    "minCharacters": {
                        "~!@#$%^&*()-_=+[]{}|;:,.<>/?": 1,
                        "0123456789": 1,
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ": 1,
                        "abcdefghijklmnopqrstuvwxyz": 1
                    },
                    "minUniqueCharacters": 5
                }),
            ),
        ),
        (
            "Passphrase",
            false,
            common(
                "A policy that encourages the use of passphrases",
                8,
                json!({ "minComplexity": 7 }),
            ),
        ),
        (
            "Basic",
            false,
            common(
                "A basic policy",
                8,
                json!({ "excludesCommonlyUsed": false }),
            ),
        ),
    ]
}

fn organization() -> Organization {
    let at = now();
    Organization {
        id: new_id(),
        name: "pingform emulator".into(),
        description: Some("Organization of the local PingOne emulator.".into()),
        kind: "PAID".into(),
        created_at: at,
        updated_at: at,
    }
}

fn license() -> License {
    License {
        id: new_id(),
        name: "Emulator license".into(),
        package: "GLOBAL".into(),
        status: "ACTIVE".into(),
        allow_production: true,
        max_environments: 100,
        regions: vec![REGION.into()],
        begins_at: now(),
    }
}

fn admin_environment(license_id: &str) -> Environment {
    let at = now();
    Environment {
        id: ADMIN_ENVIRONMENT_ID.into(),
        name: ADMIN_ENVIRONMENT_NAME.into(),
        description: Some("The organization's administrators environment.".into()),
        kind: "PRODUCTION".into(),
        region: REGION.into(),
        license_id: license_id.to_owned(),
        icon: None,
        status: None,
        bill_of_materials: Some(json!({ "products": [{ "type": "PING_ONE_BASE" }] })),
        soft_deleted_at: None,
        created_at: at,
        updated_at: at,
    }
}

/// The population PingOne creates with every environment.
pub(crate) fn default_population(environment_id: &str) -> Population {
    let at = now();
    Population {
        id: new_id(),
        environment_id: environment_id.to_owned(),
        name: "Default".into(),
        description: Some("Automatically created population.".into()),
        default: true,
        user_count: 0,
        password_policy_id: None,
        theme_id: None,
        preferred_language: None,
        alternative_identifiers: None,
        created_at: at,
        updated_at: at,
    }
}

fn admin_worker(environment_id: &str) -> Result<Application, Error> {
    let at = now();
    Ok(Application {
        id: new_id(),
        environment_id: environment_id.to_owned(),
        name: "pingform emulator admin worker".into(),
        description: Some("Worker application seeded by the emulator for its callers.".into()),
        enabled: true,
        kind: "WORKER".into(),
        protocol: "OPENID_CONNECT".into(),
        token_endpoint_auth_method: "CLIENT_SECRET_BASIC".into(),
        grant_types: vec!["CLIENT_CREDENTIALS".into()],
        secret: new_secret()?,
        previous_secret: None,
        attributes: Map::new(),
        created_at: at,
        updated_at: at,
    })
}

/// A random client secret of 72 URL-safe characters (PingOne's are at least 64).
pub(crate) fn new_secret() -> Result<Secret, Error> {
    let mut bytes = [0u8; 54];
    aws_lc_rs::rand::fill(&mut bytes).map_err(|_| Error::KeyGeneration)?;
    Ok(Secret(URL_SAFE_NO_PAD.encode(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_has_admin_environment_default_population_and_worker() {
        let data = tenant().expect("seed");
        let env = &data.environments[0];
        assert_eq!(
            (env.name.as_str(), env.kind.as_str(), env.region.as_str()),
            ("Administrators", "PRODUCTION", "NA")
        );
        let population = &data.populations[0];
        assert!(population.default && population.environment_id == env.id);
        assert_eq!(data.password_policies.len(), 3);
        assert_eq!(data.sign_on_policies.len(), 2);
        assert_eq!(
            data.role_assignments.count_in(&data.admin_application_id),
            4
        );
        let worker = data
            .application(&env.id, &data.admin_application_id)
            .expect("worker");
        assert_eq!(worker.kind, "WORKER");
        assert_eq!(worker.grant_types, vec!["CLIENT_CREDENTIALS".to_owned()]);
        assert!(worker.secret.0.len() >= 64);
        assert!(data.licenses[0].allow_production);
    }

    #[test]
    fn secrets_differ() {
        assert_ne!(new_secret().expect("a"), new_secret().expect("b"));
    }
}
