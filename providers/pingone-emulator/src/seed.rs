//! A brand-new tenant: what the emulator holds the first time it starts.
//!
//! One organization with one license, an "Administrators" PRODUCTION environment in region NA
//! with its automatically created "Default" population (API.md §2.3), and a WORKER application
//! whose client credentials the emulator hands to its callers, plus the token-signing key.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::Error;
use crate::keys;
use crate::model::{
    Application, Environment, FORMAT_VERSION, License, Organization, Population, Secret,
    TenantData, new_id, now,
};

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
    let population = default_population(&environment.id);
    let worker = admin_worker(&environment.id)?;
    Ok(TenantData {
        format_version: FORMAT_VERSION,
        admin_application_id: worker.id.clone(),
        organization,
        licenses: vec![license],
        environments: vec![environment],
        populations: vec![population],
        applications: vec![worker],
        signing_key: keys::generate()?,
    })
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
