//! The credentials a client needs to talk to the emulator, and their shell-export form.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::TenantData;
use crate::seed::REGION;

/// Everything a PingOne client needs to reach the emulator as its admin worker application.
///
/// `api_url` and `auth_url` are both the emulator's base URL: clients append `/v1/...` to the
/// first and `/<environment_id>/as/token` to the second.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// The organization's ID.
    pub organization_id: String,
    /// The license's ID.
    pub license_id: String,
    /// The ID of the environment holding the worker application.
    pub environment_id: String,
    /// The worker application's ID (its OAuth client ID).
    pub client_id: String,
    /// The worker application's secret.
    pub client_secret: String,
    /// The region code, `NA`.
    pub region_code: String,
    /// The management API base URL (without `/v1`).
    pub api_url: String,
    /// The auth base URL (without `/<envId>/as/token`).
    pub auth_url: String,
}

impl Credentials {
    /// The credentials of the tenant's seeded admin worker, served at `base_url`.
    pub(crate) fn of_admin_worker(data: &TenantData, base_url: &str) -> Credentials {
        let worker = data
            .applications
            .iter()
            .find(|a| a.id == data.admin_application_id);
        let environment_id = worker.map(|w| w.environment_id.clone()).unwrap_or_default();
        let license_id = data
            .environment(&environment_id)
            .map(|e| e.license_id.clone())
            .unwrap_or_default();
        let base = base_url.trim_end_matches('/').to_owned();
        Credentials {
            organization_id: data.organization.id.clone(),
            license_id,
            environment_id,
            client_id: data.admin_application_id.clone(),
            client_secret: worker.map(|w| w.secret.0.clone()).unwrap_or_default(),
            region_code: REGION.to_owned(),
            api_url: base.clone(),
            auth_url: base,
        }
    }

    /// `export NAME=value` lines for a POSIX shell, values quoted where needed.
    pub fn env_lines(&self) -> String {
        let pairs = [
            ("PINGONE_CLIENT_ID", &self.client_id),
            ("PINGONE_CLIENT_SECRET", &self.client_secret),
            ("PINGONE_ENVIRONMENT_ID", &self.environment_id),
            ("PINGONE_REGION_CODE", &self.region_code),
            ("PINGONE_API_URL", &self.api_url),
            ("PINGONE_AUTH_URL", &self.auth_url),
            ("PINGONE_ORGANIZATION_ID", &self.organization_id),
            ("PINGONE_LICENSE_ID", &self.license_id),
        ];
        pairs
            .iter()
            .map(|(name, value)| format!("export {name}={}\n", shell_quote(value)))
            .collect()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("organization_id", &self.organization_id)
            .field("license_id", &self.license_id)
            .field("environment_id", &self.environment_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("region_code", &self.region_code)
            .field("api_url", &self.api_url)
            .field("auth_url", &self.auth_url)
            .finish()
    }
}

/// Quotes a value for a POSIX shell, leaving it bare if it needs no quoting.
fn shell_quote(value: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:@%+=,".contains(c);
    if !value.is_empty() && value.chars().all(safe) {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Credentials {
        Credentials {
            organization_id: "o".into(),
            license_id: "l".into(),
            environment_id: "e".into(),
            client_id: "c".into(),
            client_secret: "s3cr-t_x".into(),
            region_code: "NA".into(),
            api_url: "http://127.0.0.1:4567".into(),
            auth_url: "http://127.0.0.1:4567".into(),
        }
    }

    #[test]
    fn env_lines_export_every_variable() {
        let lines = sample().env_lines();
        assert!(
            lines
                .starts_with("export PINGONE_CLIENT_ID=c\nexport PINGONE_CLIENT_SECRET=s3cr-t_x\n")
        );
        assert!(lines.contains("export PINGONE_REGION_CODE=NA\n"));
        assert!(lines.contains("export PINGONE_API_URL=http://127.0.0.1:4567\n"));
        assert!(lines.contains("export PINGONE_ORGANIZATION_ID=o\nexport PINGONE_LICENSE_ID=l\n"));
        assert_eq!(lines.lines().count(), 8);
    }

    #[test]
    fn values_are_quoted_when_needed() {
        assert_eq!(shell_quote("it's $x"), r"'it'\''s $x'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a~b"), "'a~b'");
    }

    #[test]
    fn debug_redacts_the_secret() {
        let shown = format!("{:?}", sample());
        assert!(shown.contains("<redacted>") && !shown.contains("s3cr-t_x"));
    }
}
