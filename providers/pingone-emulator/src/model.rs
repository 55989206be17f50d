//! The tenant's data as the emulator keeps it in memory and in the data file.
//!
//! These are storage types, not wire types: the JSON PingOne returns is built from them by the
//! route modules. Field names in the data file are camelCase.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::table::{Row, Table};

/// The data-file format version this emulator reads and writes.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// The last timestamp [`now`] handed out, in milliseconds since the epoch.
static LAST_MILLIS: AtomicI64 = AtomicI64::new(i64::MIN);

/// The current time, truncated to milliseconds (the precision PingOne's timestamps show), and
/// strictly later than any earlier call in this process: creation times then order resources
/// by creation, which cursor paging relies on, and every update changes `updatedAt`.
pub(crate) fn now() -> DateTime<Utc> {
    let actual = Utc::now().timestamp_millis();
    let previous = LAST_MILLIS
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
            Some(actual.max(last.saturating_add(1)))
        })
        .unwrap_or(actual);
    DateTime::from_timestamp_millis(actual.max(previous.saturating_add(1)))
        .unwrap_or_else(|| Utc::now().trunc_subsecs(3))
}

/// The current time on [`now`]'s clock without advancing it: never earlier than a timestamp
/// already handed out (which runs ahead of the wall clock when many are taken in one
/// millisecond), so "created at or before this" holds for everything created so far.
pub(crate) fn latest() -> DateTime<Utc> {
    let actual = Utc::now().timestamp_millis();
    let last = LAST_MILLIS.load(Ordering::SeqCst);
    DateTime::from_timestamp_millis(actual.max(last)).unwrap_or_else(|| Utc::now().trunc_subsecs(3))
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
///
/// Collections that can grow large (users, groups, applications, role assignments) are
/// [`Table`]s, indexed by ID and by parent; the few environments, populations and policies are
/// plain vectors. Collections added after the first data-file format default to empty, so
/// older data files still load (see `seed::upgrade`).
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
    /// Applications, by environment.
    pub(crate) applications: Table<Application>,
    /// Users, by environment.
    #[serde(default)]
    pub(crate) users: Table<User>,
    /// Groups, by environment.
    #[serde(default)]
    pub(crate) groups: Table<Group>,
    /// Role assignments, by actor (user, group or application).
    #[serde(default)]
    pub(crate) role_assignments: Table<RoleAssignment>,
    /// Password policies of all environments.
    #[serde(default)]
    pub(crate) password_policies: Vec<Policy>,
    /// Sign-on policies of all environments.
    #[serde(default)]
    pub(crate) sign_on_policies: Vec<Policy>,
    /// The seeded admin worker application (its ID).
    pub(crate) admin_application_id: String,
    /// The key that signs access tokens.
    pub(crate) signing_key: SigningKeyRecord,
    /// (environment ID, lowercase username) → user ID; rebuilt by [`TenantData::reindex`].
    #[serde(skip)]
    pub(crate) usernames: HashMap<(String, String), String>,
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
    /// The icon URL.
    #[serde(default)]
    pub(crate) icon: Option<String>,
    /// `ACTIVE` or `DELETE_PENDING`; absent on new environments (API.md §2.2).
    #[serde(default)]
    pub(crate) status: Option<String>,
    /// The bill of materials, as last written (`products`, `solutionType`...).
    #[serde(default)]
    pub(crate) bill_of_materials: Option<Value>,
    /// When a `DELETE_PENDING` status was set.
    #[serde(default)]
    pub(crate) soft_deleted_at: Option<DateTime<Utc>>,
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

/// An application of an environment.
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
    /// The previous secret, valid until its expiry, after a regeneration.
    #[serde(default)]
    pub(crate) previous_secret: Option<PreviousSecret>,
    /// The other writable attributes, as last sent (redirectUris, responseTypes, ...).
    #[serde(default)]
    pub(crate) attributes: Map<String, Value>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

/// An application's previous secret, kept after a regeneration until `expires_at`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PreviousSecret {
    pub(crate) secret: Secret,
    pub(crate) expires_at: DateTime<Utc>,
    pub(crate) last_used: Option<DateTime<Utc>>,
}

/// A user of an environment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) environment_id: String,
    pub(crate) username: String,
    pub(crate) population_id: String,
    pub(crate) enabled: bool,
    pub(crate) mfa_enabled: bool,
    /// `OK` or `LOCKED`.
    pub(crate) account_status: String,
    pub(crate) locked_at: Option<DateTime<Utc>>,
    /// The password, as a salted hash; never the password itself.
    pub(crate) password: Option<PasswordRecord>,
    /// The groups the user is a direct member of.
    pub(crate) group_ids: Vec<String>,
    /// The profile attributes as last written (`email`, `name`, `address`, ...), without
    /// `username`, `population`, `enabled`, `mfaEnabled` and the read-only ones.
    pub(crate) attributes: Map<String, Value>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

/// A password as stored: SHA-256 over salt and password, both hex.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PasswordRecord {
    pub(crate) salt: String,
    pub(crate) sha256: String,
    /// The user must change it at the next sign-on (`MUST_CHANGE_PASSWORD`).
    pub(crate) force_change: bool,
    pub(crate) last_changed_at: DateTime<Utc>,
}

/// A group of an environment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Group {
    pub(crate) id: String,
    pub(crate) environment_id: String,
    pub(crate) name: String,
    /// The groups this group is nested in (a member of).
    pub(crate) parent_group_ids: Vec<String>,
    /// The other writable attributes (`description`, `population`, `userFilter`, ...).
    pub(crate) attributes: Map<String, Value>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

/// A role assignment of a user, group or application.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RoleAssignment {
    pub(crate) id: String,
    /// The user, group or application holding the role.
    pub(crate) actor_id: String,
    /// The environment of the actor.
    pub(crate) environment_id: String,
    pub(crate) role_id: String,
    /// `ORGANIZATION`, `ENVIRONMENT`, `POPULATION` or `APPLICATION`.
    pub(crate) scope_type: String,
    pub(crate) scope_id: String,
    /// Created automatically (e.g. for the creator of an environment); not deletable.
    pub(crate) read_only: bool,
    pub(crate) created_at: DateTime<Utc>,
}

/// A password or sign-on policy: its identity, and its other attributes as JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Policy {
    pub(crate) id: String,
    pub(crate) environment_id: String,
    pub(crate) name: String,
    pub(crate) default: bool,
    pub(crate) attributes: Map<String, Value>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

macro_rules! row {
    ($type:ty, $parent:ident) => {
        impl Row for $type {
            fn id(&self) -> &str {
                &self.id
            }
            fn parent(&self) -> &str {
                &self.$parent
            }
            fn created_at(&self) -> DateTime<Utc> {
                self.created_at
            }
        }
    };
}

row!(Application, environment_id);
row!(User, environment_id);
row!(Group, environment_id);
row!(RoleAssignment, actor_id);

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
        self.applications.get_in(env_id, id)
    }

    /// The user with this username (case-insensitive) in this environment.
    pub(crate) fn user_by_username(&self, env_id: &str, username: &str) -> Option<&User> {
        let key = (env_id.to_owned(), username.to_lowercase());
        self.usernames.get(&key).and_then(|id| self.users.get(id))
    }

    /// Rebuilds the indexes that are not stored in the data file.
    pub(crate) fn reindex(&mut self) {
        self.usernames = self
            .users
            .iter()
            .map(|u| {
                let key = (u.environment_id.clone(), u.username.to_lowercase());
                (key, u.id.clone())
            })
            .collect();
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
        let last = times.last().copied().unwrap_or_default();
        assert!(latest() >= last && latest() < now());
    }

    #[test]
    fn ids_are_lowercase_uuid_v4() {
        let id = new_id();
        let parsed = uuid::Uuid::parse_str(&id).ok();
        assert_eq!(parsed.map(|u| u.get_version_num()), Some(4));
        assert_eq!(id, id.to_lowercase());
    }
}
