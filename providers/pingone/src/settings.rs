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
/// A bearer token obtained elsewhere, instead of a worker's client credentials.
pub const API_ACCESS_TOKEN: SettingName = SettingName {
    attribute: "api_access_token",
    env_var: "PINGONE_API_ACCESS_TOKEN",
};
/// The proxy every request goes through. Besides the attribute, `HTTPS_PROXY`,
/// `HTTP_PROXY` and `NO_PROXY` are honoured as reqwest does (never for loopback URLs).
pub const HTTP_PROXY: SettingName = SettingName {
    attribute: "http_proxy",
    env_var: "HTTPS_PROXY",
};
/// Text appended to the `User-Agent`; `PINGONE_TF_APPEND_USER_AGENT` (the Terraform
/// provider's variable) is read when pingform's own is not set.
pub const APPEND_USER_AGENT: SettingName = SettingName {
    attribute: "append_user_agent",
    env_var: "PINGFORM_APPEND_USER_AGENT",
};
/// The Terraform provider's variable for [`APPEND_USER_AGENT`], also accepted.
pub const TF_APPEND_USER_AGENT_ENV: &str = "PINGONE_TF_APPEND_USER_AGENT";

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
    /// A bearer token obtained elsewhere, used instead of client credentials. Never printed.
    pub api_access_token: Option<SecretString>,
    /// The proxy URL for every request, such as `http://proxy.example.com:8080`. Only
    /// the provider block sets it; proxies in `HTTPS_PROXY`/`HTTP_PROXY` are applied by
    /// the HTTP client itself (so it honours `NO_PROXY`).
    pub http_proxy: Option<String>,
    /// Text appended to `User-Agent: pingform/<version>`.
    pub append_user_agent: Option<String>,
    /// `global_options.population.contains_users_force_delete`: deleting a population
    /// deletes its users first (SANDBOX environments only).
    pub population_force_delete: Option<bool>,
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
            .field(
                "api_access_token",
                &self.api_access_token.as_ref().map(|_| "[redacted]"),
            )
            .field(
                "http_proxy",
                &self
                    .http_proxy
                    .as_deref()
                    .map(crate::endpoint::redact_userinfo),
            )
            .field("append_user_agent", &self.append_user_agent)
            .field("population_force_delete", &self.population_force_delete)
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
        // Terraform's host-name variables, when the URL variables are not set.
        let host = |name: &str| {
            let host = lookup(name).and_then(non_empty)?;
            Some(format!("https://{}", host.trim_end_matches('/')))
        };
        Self {
            client_id: read(CLIENT_ID),
            client_secret: read(CLIENT_SECRET).map(SecretString::from),
            environment_id: read(ENVIRONMENT_ID),
            region_code: read(REGION_CODE),
            api_url: read(API_URL).or_else(|| host(API_HOSTNAME_ENV)),
            auth_url: read(AUTH_URL).or_else(|| host(AUTH_HOSTNAME_ENV)),
            api_access_token: read(API_ACCESS_TOKEN).map(SecretString::from),
            // HTTPS_PROXY and HTTP_PROXY are left to the HTTP client (see `http_proxy`).
            http_proxy: None,
            append_user_agent: read(APPEND_USER_AGENT)
                .or_else(|| lookup(TF_APPEND_USER_AGENT_ENV).and_then(non_empty)),
            population_force_delete: None,
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
            api_access_token: string_attr(config, API_ACCESS_TOKEN.attribute)?
                .map(SecretString::from),
            http_proxy: string_attr(config, HTTP_PROXY.attribute)?,
            append_user_agent: string_attr(config, APPEND_USER_AGENT.attribute)?,
            population_force_delete: population_force_delete(config)?,
        };
        if let Some(endpoints) = single_object(config, "service_endpoints", ENDPOINTS_SHAPE)? {
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

const ENDPOINTS_SHAPE: &str = "an object with api_hostname and auth_hostname";

/// The Terraform provider's variables for `service_endpoints` host names.
const API_HOSTNAME_ENV: &str = "PINGONE_API_SERVICE_HOSTNAME";
const AUTH_HOSTNAME_ENV: &str = "PINGONE_AUTH_SERVICE_HOSTNAME";

/// The object attribute `name` of `parent`, unwrapping the one-element list that block
/// syntax (`service_endpoints { ... }`) yields; `None` when absent, null or empty.
fn single_object<'v>(
    parent: &'v Value,
    name: &str,
    shape: &str,
) -> Result<Option<&'v Value>, ProviderError> {
    let item = match parent.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::List(items)) if items.is_empty() => return Ok(None),
        Some(Value::List(items)) if items.len() == 1 => &items[0],
        Some(Value::Unknown) => return Err(unknown_error(name)),
        Some(other) => other,
    };
    match item {
        Value::Object(_) => Ok(Some(item)),
        other => Err(config_error(format!(
            "{name} must be {shape}, not a {}",
            other.type_name()
        ))),
    }
}

/// `global_options { population { contains_users_force_delete = ... } }`.
fn population_force_delete(config: &Value) -> Result<Option<bool>, ProviderError> {
    let shape = "an object such as { population = { contains_users_force_delete = true } }";
    let Some(global) = single_object(config, "global_options", shape)? else {
        return Ok(None);
    };
    let shape = "an object such as { contains_users_force_delete = true }";
    let Some(population) = single_object(global, "population", shape)? else {
        return Ok(None);
    };
    match population.get("contains_users_force_delete") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::Unknown) => Err(unknown_error(
            "global_options.population.contains_users_force_delete",
        )),
        Some(other) => Err(config_error(format!(
            "global_options.population.contains_users_force_delete must be true or false, not a {}",
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
    fn service_host_names_from_the_environment_become_https_urls_unless_urls_are_set() {
        let env: HashMap<&str, &str> = HashMap::from([
            ("PINGONE_API_SERVICE_HOSTNAME", "api.pingone.eu/"),
            ("PINGONE_AUTH_SERVICE_HOSTNAME", "auth.pingone.eu"),
            ("PINGONE_AUTH_URL", "http://127.0.0.1:2"),
        ]);
        let s = Settings::from_lookup(|k| env.get(k).map(|v| v.to_string()));
        assert_eq!(s.api_url.as_deref(), Some("https://api.pingone.eu"));
        assert_eq!(
            s.auth_url.as_deref(),
            Some("http://127.0.0.1:2"),
            "the URL wins"
        );
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
    fn reads_the_token_and_user_agent_variables() {
        let env: HashMap<&str, &str> = HashMap::from([
            ("PINGONE_API_ACCESS_TOKEN", "tok"),
            ("PINGONE_TF_APPEND_USER_AGENT", "from-tf"),
        ]);
        let s = Settings::from_lookup(|k| env.get(k).map(|v| v.to_string()));
        assert_eq!(
            s.api_access_token.as_ref().map(|x| x.expose_secret()),
            Some("tok")
        );
        assert_eq!(s.append_user_agent.as_deref(), Some("from-tf"));
        let ours = Settings::from_lookup(|k| match k {
            "PINGFORM_APPEND_USER_AGENT" => Some("ours".into()),
            "PINGONE_TF_APPEND_USER_AGENT" => Some("theirs".into()),
            _ => None,
        });
        assert_eq!(ours.append_user_agent.as_deref(), Some("ours"));
        assert!(!format!("{s:?}").contains("tok\""), "{s:?}");
    }

    #[test]
    fn reads_global_options_in_attribute_and_block_syntax() {
        let population = obj(&[("contains_users_force_delete", true.into())]);
        let attribute = obj(&[("population", population.clone())]);
        let block = obj(&[("population", Value::List(vec![population]))]);
        for global in [attribute.clone(), Value::List(vec![block])] {
            let s = Settings::from_provider_block(&obj(&[("global_options", global)])).unwrap();
            assert_eq!(s.population_force_delete, Some(true));
        }
        let wrong = obj(&[(
            "global_options",
            obj(&[(
                "population",
                obj(&[("contains_users_force_delete", "yes".into())]),
            )]),
        )]);
        let err = Settings::from_provider_block(&wrong).unwrap_err();
        assert!(err.message.contains("true or false"), "{}", err.message);
        let s = Settings::from_provider_block(&obj(&[
            ("api_access_token", "tok".into()),
            ("http_proxy", "http://127.0.0.1:3128".into()),
            ("append_user_agent", "x/1".into()),
        ]))
        .unwrap();
        assert!(s.api_access_token.is_some());
        assert_eq!(s.http_proxy.as_deref(), Some("http://127.0.0.1:3128"));
        assert_eq!(s.append_user_agent.as_deref(), Some("x/1"));
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
            api_access_token: Some(SecretString::from("token-hunter3")),
            http_proxy: Some("http://me:hunter4@proxy:3128".into()),
            ..Settings::default()
        };
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter"), "{shown}");
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
