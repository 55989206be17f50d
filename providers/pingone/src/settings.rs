//! The provider's connection settings, as given by one source: overrides, the
//! `provider "pingone"` block, or environment variables.
//!
//! Each source yields a [`Settings`]; [`crate::resolve`] merges them by
//! precedence and turns the result into a client configuration.

use std::fmt;

use engine::Value;
use engine::provider::{ProviderError, ProviderErrorKind};
use secrecy::SecretString;

/// One setting's names: its attribute in the provider block and its environment variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettingName {
    /// The attribute in `provider "pingone" {}`.
    pub attribute: &'static str,
    /// The environment variable read when neither overrides nor the block set it.
    pub env_var: &'static str,
}

/// The worker application's client ID.
pub const CLIENT_ID: SettingName = SettingName {
    attribute: "client_id",
    env_var: "PINGONE_CLIENT_ID",
};
/// The worker application's client secret.
pub const CLIENT_SECRET: SettingName = SettingName {
    attribute: "client_secret",
    env_var: "PINGONE_CLIENT_SECRET",
};
/// The environment that hosts the worker application.
pub const ENVIRONMENT_ID: SettingName = SettingName {
    attribute: "environment_id",
    env_var: "PINGONE_ENVIRONMENT_ID",
};
/// The PingOne region code (NA, EU, CA, AP, AU, SG).
pub const REGION_CODE: SettingName = SettingName {
    attribute: "region_code",
    env_var: "PINGONE_REGION_CODE",
};
/// The management API base URL, replacing `https://api.pingone.<tld>`.
pub const API_URL: SettingName = SettingName {
    attribute: "api_url",
    env_var: "PINGONE_API_URL",
};
/// The authorization server base URL, replacing `https://auth.pingone.<tld>`.
pub const AUTH_URL: SettingName = SettingName {
    attribute: "auth_url",
    env_var: "PINGONE_AUTH_URL",
};

/// Connection settings from one source; `None` means "this source does not set it".
#[derive(Clone, Default)]
pub struct Settings {
    /// The worker application's client ID (a UUID).
    pub client_id: Option<String>,
    /// The worker application's client secret. Never printed.
    pub client_secret: Option<SecretString>,
    /// The environment that hosts the worker application (a UUID).
    pub environment_id: Option<String>,
    /// The region code: NA, EU, CA, AP, AU or SG.
    pub region_code: Option<String>,
    /// The API base URL without `/v1`, such as `https://api.pingone.eu`.
    pub api_url: Option<String>,
    /// The authorization base URL without `/<envId>/as/token`, such as `https://auth.pingone.eu`.
    pub auth_url: Option<String>,
}

/// Shows which settings are present, never the secret itself.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("environment_id", &self.environment_id)
            .field("region_code", &self.region_code)
            .field("api_url", &self.api_url)
            .field("auth_url", &self.auth_url)
            .finish()
    }
}

impl Settings {
    /// Reads the `PINGONE_*` environment variables of this process.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the `PINGONE_*` variables through `lookup`, so tests need not touch the
    /// process environment. Empty values count as unset, as shells often export `VAR=`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let read = |name: SettingName| lookup(name.env_var).and_then(non_empty);
        Self {
            client_id: read(CLIENT_ID),
            client_secret: read(CLIENT_SECRET).map(SecretString::from),
            environment_id: read(ENVIRONMENT_ID),
            region_code: read(REGION_CODE),
            api_url: read(API_URL),
            auth_url: read(AUTH_URL),
        }
    }

    /// Reads the evaluated `provider "pingone"` block (null when there is none).
    ///
    /// `service_endpoints = { api_hostname, auth_hostname }` (Terraform's spelling, also
    /// accepted as a one-element list from block syntax) becomes `https://<host>` URLs.
    pub fn from_provider_block(config: &Value) -> Result<Self, ProviderError> {
        if config.is_null() {
            return Ok(Self::default());
        }
        if config.as_object().is_none() {
            return Err(config_error(format!(
                "the provider \"pingone\" block must be an object, not a {}",
                config.type_name()
            )));
        }
        let mut settings = Self {
            client_id: string_attr(config, CLIENT_ID.attribute)?,
            client_secret: string_attr(config, CLIENT_SECRET.attribute)?.map(SecretString::from),
            environment_id: string_attr(config, ENVIRONMENT_ID.attribute)?,
            region_code: string_attr(config, REGION_CODE.attribute)?,
            api_url: string_attr(config, API_URL.attribute)?,
            auth_url: string_attr(config, AUTH_URL.attribute)?,
        };
        if let Some(endpoints) = service_endpoints(config)? {
            settings.apply_service_endpoints(endpoints)?;
        }
        Ok(settings)
    }

    /// Fills `api_url`/`auth_url` from Terraform's `service_endpoints` hostnames.
    fn apply_service_endpoints(&mut self, endpoints: &Value) -> Result<(), ProviderError> {
        if self.api_url.is_some() || self.auth_url.is_some() {
            return Err(config_error(
                "set either api_url/auth_url or service_endpoints in the provider \"pingone\" block, not both",
            ));
        }
        let api = string_attr(endpoints, "api_hostname")?;
        let auth = string_attr(endpoints, "auth_hostname")?;
        let (Some(api), Some(auth)) = (api, auth) else {
            return Err(config_error(
                "service_endpoints needs both api_hostname and auth_hostname",
            ));
        };
        self.api_url = Some(hostname_url("service_endpoints.api_hostname", &api)?);
        self.auth_url = Some(hostname_url("service_endpoints.auth_hostname", &auth)?);
        Ok(())
    }
}

/// The `service_endpoints` object, unwrapping the one-element list that block syntax yields.
fn service_endpoints(config: &Value) -> Result<Option<&Value>, ProviderError> {
    match config.get("service_endpoints") {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v)),
        Some(Value::List(items)) if items.is_empty() => Ok(None),
        Some(Value::List(items)) if items.len() == 1 => service_endpoints_item(&items[0]),
        Some(Value::Unknown) => Err(unknown_error("service_endpoints")),
        Some(other) => Err(config_error(format!(
            "service_endpoints must be an object with api_hostname and auth_hostname, not a {}",
            other.type_name()
        ))),
    }
}

fn service_endpoints_item(item: &Value) -> Result<Option<&Value>, ProviderError> {
    match item {
        Value::Object(_) => Ok(Some(item)),
        other => Err(config_error(format!(
            "service_endpoints must be an object with api_hostname and auth_hostname, not a {}",
            other.type_name()
        ))),
    }
}

/// `https://<host>` for a Terraform-style hostname attribute.
fn hostname_url(attribute: &str, host: &str) -> Result<String, ProviderError> {
    if host.contains("://") {
        return Err(config_error(format!(
            "{attribute} is a host name such as api.pingone.eu, not a URL; use api_url/auth_url for a full URL"
        )));
    }
    Ok(format!("https://{}", host.trim_end_matches('/')))
}

/// A string attribute of the block: `None` when absent or null; an error for other types.
fn string_attr(block: &Value, name: &str) -> Result<Option<String>, ProviderError> {
    match block.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(non_empty(s.clone())),
        Some(Value::Unknown) => Err(unknown_error(name)),
        Some(other) => Err(config_error(format!(
            "{name} in the provider \"pingone\" block must be a string, not a {}",
            other.type_name()
        ))),
    }
}

fn unknown_error(name: &str) -> ProviderError {
    config_error(format!(
        "{name} in the provider \"pingone\" block depends on a value that is only known after apply; \
         provider settings must be known when planning"
    ))
}

/// Trims surrounding whitespace; an empty value is treated as unset.
fn non_empty(s: String) -> Option<String> {
    let trimmed = s.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// A [`ProviderErrorKind::Configuration`] error.
pub(crate) fn config_error(message: impl Into<String>) -> ProviderError {
    ProviderError::new(ProviderErrorKind::Configuration, message)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use secrecy::ExposeSecret;

    use super::*;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    #[test]
    fn reads_every_variable_through_lookup() {
        let env: HashMap<&str, &str> = HashMap::from([
            ("PINGONE_CLIENT_ID", "cid"),
            ("PINGONE_CLIENT_SECRET", "s3cret"),
            ("PINGONE_ENVIRONMENT_ID", "env"),
            ("PINGONE_REGION_CODE", "EU"),
            ("PINGONE_API_URL", "http://127.0.0.1:1"),
            ("PINGONE_AUTH_URL", " http://127.0.0.1:2 "),
        ]);
        let s = Settings::from_lookup(|k| env.get(k).map(|v| v.to_string()));
        assert_eq!(s.client_id.as_deref(), Some("cid"));
        assert_eq!(
            s.client_secret.as_ref().map(|x| x.expose_secret()),
            Some("s3cret")
        );
        assert_eq!(s.environment_id.as_deref(), Some("env"));
        assert_eq!(s.region_code.as_deref(), Some("EU"));
        assert_eq!(s.api_url.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(s.auth_url.as_deref(), Some("http://127.0.0.1:2"));
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let s = Settings::from_lookup(|_| Some("  ".to_string()));
        assert!(s.client_id.is_none() && s.client_secret.is_none() && s.api_url.is_none());
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let s = Settings {
            client_secret: Some(SecretString::from("hunter2-very-secret")),
            ..Settings::default()
        };
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }

    #[test]
    fn reads_the_provider_block() {
        let block = obj(&[
            ("client_id", "cid".into()),
            ("client_secret", "sec".into()),
            ("region_code", "CA".into()),
            ("api_url", Value::Null),
        ]);
        let s = Settings::from_provider_block(&block).unwrap();
        assert_eq!(s.client_id.as_deref(), Some("cid"));
        assert_eq!(s.region_code.as_deref(), Some("CA"));
        assert!(s.api_url.is_none());
    }

    #[test]
    fn null_block_sets_nothing() {
        let s = Settings::from_provider_block(&Value::Null).unwrap();
        assert!(s.client_id.is_none());
    }

    #[test]
    fn service_endpoints_become_https_urls() {
        let endpoints = obj(&[
            ("api_hostname", "api.example.com".into()),
            ("auth_hostname", "auth.example.com".into()),
        ]);
        for value in [endpoints.clone(), Value::List(vec![endpoints])] {
            let s = Settings::from_provider_block(&obj(&[("service_endpoints", value)])).unwrap();
            assert_eq!(s.api_url.as_deref(), Some("https://api.example.com"));
            assert_eq!(s.auth_url.as_deref(), Some("https://auth.example.com"));
        }
    }

    #[test]
    fn service_endpoints_need_both_hosts_and_no_urls() {
        let half = obj(&[(
            "service_endpoints",
            obj(&[("api_hostname", "api.example.com".into())]),
        )]);
        let err = Settings::from_provider_block(&half).unwrap_err();
        assert!(err.message.contains("auth_hostname"), "{}", err.message);

        let both = obj(&[
            ("api_url", "https://x.example.com".into()),
            (
                "service_endpoints",
                obj(&[
                    ("api_hostname", "a.example.com".into()),
                    ("auth_hostname", "b.example.com".into()),
                ]),
            ),
        ]);
        let err = Settings::from_provider_block(&both).unwrap_err();
        assert!(err.message.contains("not both"), "{}", err.message);
    }

    #[test]
    fn service_endpoint_hostnames_are_not_urls() {
        let block = obj(&[(
            "service_endpoints",
            obj(&[
                ("api_hostname", "http://127.0.0.1:8080".into()),
                ("auth_hostname", "auth.example.com".into()),
            ]),
        )]);
        let err = Settings::from_provider_block(&block).unwrap_err();
        assert!(err.message.contains("not a URL"), "{}", err.message);
    }

    #[test]
    fn wrong_types_and_unknowns_are_configuration_errors() {
        let err =
            Settings::from_provider_block(&obj(&[("client_id", Value::Number(3.0))])).unwrap_err();
        assert_eq!(err.kind, ProviderErrorKind::Configuration);
        assert!(err.message.contains("client_id") && err.message.contains("number"));

        let err =
            Settings::from_provider_block(&obj(&[("environment_id", Value::Unknown)])).unwrap_err();
        assert!(err.message.contains("known after apply"), "{}", err.message);
    }
}
