//! The tenant's data as the emulator keeps it in memory and in the data file.
//!
//! These are storage types, not wire types: the JSON PingOne returns is built from them by the
//! route modules. Field names in the data file are camelCase.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

/// The data-file format version this emulator reads and writes.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// The current time, truncated to milliseconds (the precision PingOne's timestamps show), and
/// strictly later than any earlier call in this process: creation times then order resources
/// by creation, which cursor paging relies on, and every update changes `updatedAt`.
pub(crate) fn now() -> DateTime<Utc> {
    static LAST_MILLIS: AtomicI64 = AtomicI64::new(i64::MIN);
    let actual = Utc::now().timestamp_millis();
    let previous = LAST_MILLIS
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
            Some(actual.max(last.saturating_add(1)))
        })
        .unwrap_or(actual);
    DateTime::from_timestamp_millis(actual.max(previous.saturating_add(1)))
        .unwrap_or_else(|| Utc::now().trunc_subsecs(3))
}

/// A new lowercase UUID v4, as PingOne uses for every resource ID.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A secret string: serialized as is, but never shown by `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Everything the emulator knows: one organization and what it holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TenantData {
    /// Always [`FORMAT_VERSION`] when written by this emulator.
    pub(crate) format_version: u32,
    /// The organization.
    pub(crate) organization: Organization,
    /// The organization's licenses.
    pub(crate) licenses: Vec<License>,
    /// All environments, in creation order.
    pub(crate) environments: Vec<Environment>,
    /// All populations of all environments, in creation order.
    pub(crate) populations: Vec<Population>,
    /// All applications of all environments, in creation order.
    pub(crate) applications: Vec<Application>,
    /// The seeded admin worker application (its ID).
    pub(crate) admin_application_id: String,
    /// The key that signs access tokens.
    pub(crate) signing_key: SigningKeyRecord,
}

/// A PingOne organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Organization {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// `PAID`, `TRIAL` or `INTERNAL`.
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

/// A license of the organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct License {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) package: String,
    /// `ACTIVE`, `EXPIRED`, `FUTURE` or `TERMINATED`.
    pub(crate) status: String,
    pub(crate) allow_production: bool,
    pub(crate) max_environments: u32,
    pub(crate) regions: Vec<String>,
    pub(crate) begins_at: DateTime<Utc>,
}

/// An environment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Environment {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// `PRODUCTION` or `SANDBOX`.
    #[serde(rename = "type")]
    pub(crate) kind: String,
    /// A region code such as `NA`.
    pub(crate) region: String,
    pub(crate) license_id: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

/// A population of an environment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Population {
    pub(crate) id: String,
    pub(crate) environment_id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) default: bool,
    pub(crate) user_count: u64,
    pub(crate) password_policy_id: Option<String>,
    pub(crate) theme_id: Option<String>,
    pub(crate) preferred_language: Option<String>,
    pub(crate) alternative_identifiers: Option<Vec<String>>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

/// An application of an environment (only what the token endpoint needs so far).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Application {
    pub(crate) id: String,
    pub(crate) environment_id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) enabled: bool,
    /// `WORKER`, `WEB_APP`, ...
    #[serde(rename = "type")]
    pub(crate) kind: String,
    /// `OPENID_CONNECT`, ...
    pub(crate) protocol: String,
    /// `CLIENT_SECRET_BASIC`, `CLIENT_SECRET_POST`, ...
    pub(crate) token_endpoint_auth_method: String,
    /// `CLIENT_CREDENTIALS`, ...
    pub(crate) grant_types: Vec<String>,
    /// The client secret.
    pub(crate) secret: Secret,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

/// The persisted token-signing key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SigningKeyRecord {
    /// The key ID sent in token headers and the JWKS.
    pub(crate) kid: String,
    /// The RSA private key, PKCS#8 DER, standard base64.
    pub(crate) pkcs8: Secret,
}

impl TenantData {
    /// The environment with this ID.
    pub(crate) fn environment(&self, id: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.id == id)
    }

    /// The application with this ID in this environment.
    pub(crate) fn application(&self, env_id: &str, id: &str) -> Option<&Application> {
        self.applications
            .iter()
            .find(|a| a.environment_id == env_id && a.id == id)
    }

    /// The populations of an environment, in creation order.
    pub(crate) fn populations_of<'a>(
        &'a self,
        env_id: &'a str,
    ) -> impl Iterator<Item = &'a Population> + 'a {
        self.populations
            .iter()
            .filter(move |p| p.environment_id == env_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_is_redacted() {
        let secret = Secret("hunter2".into());
        assert_eq!(format!("{secret:?}"), "<redacted>");
    }

    #[test]
    fn now_is_strictly_increasing_milliseconds() {
        let times: Vec<_> = (0..50).map(|_| now()).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]));
        assert!(
            times
                .iter()
                .all(|t| t.timestamp_subsec_nanos() % 1_000_000 == 0)
        );
    }

    #[test]
    fn ids_are_lowercase_uuid_v4() {
        let id = new_id();
        let parsed = uuid::Uuid::parse_str(&id).ok();
        assert_eq!(parsed.map(|u| u.get_version_num()), Some(4));
        assert_eq!(id, id.to_lowercase());
    }
}
