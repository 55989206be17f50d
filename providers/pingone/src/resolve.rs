//! Merging settings from their three sources into one client configuration.
//!
//! Each setting is taken from the first source that sets it: overrides (such as
//! `--emulator`), then the `provider "pingone"` block, then `PINGONE_*` environment
//! variables. Messages say which source a bad value came from.

use engine::provider::ProviderError;
use url::Url;

use crate::client::{Auth, ClientConfig, ClientOptions};
use crate::endpoint::{parse_base_url, parse_proxy_url};
use crate::region;
use crate::settings::{
    API_ACCESS_TOKEN, API_URL, APPEND_USER_AGENT, AUTH_URL, CLIENT_ID, CLIENT_SECRET,
    ENVIRONMENT_ID, HTTP_PROXY, REGION_CODE, SettingName, Settings, config_error,
};

/// The sources of settings, highest precedence first.
pub(crate) struct Sources<'a> {
    /// Overrides from the command line.
    pub(crate) overrides: &'a Settings,
    /// The evaluated provider block.
    pub(crate) block: &'a Settings,
    /// The environment variables.
    pub(crate) env: &'a Settings,
}

/// A setting's value and a description of where it came from.
struct Sourced<T> {
    value: T,
    origin: String,
}

impl Sources<'_> {
    /// The value of one setting from the first source that sets it.
    fn pick<T>(
        &self,
        name: SettingName,
        get: impl Fn(&Settings) -> Option<T>,
    ) -> Option<Sourced<T>> {
        let layers = [
            (
                self.overrides,
                format!("{} (from overrides)", name.attribute),
            ),
            (
                self.block,
                format!("{} (from the provider \"pingone\" block)", name.attribute),
            ),
            (
                self.env,
                format!("{} (from {})", name.attribute, name.env_var),
            ),
        ];
        layers
            .into_iter()
            .find_map(|(settings, origin)| get(settings).map(|value| Sourced { value, origin }))
    }

    /// The merged settings as a client configuration.
    pub(crate) fn resolve(
        &self,
        mut options: ClientOptions,
    ) -> Result<ClientConfig, ProviderError> {
        let auth = self.auth()?;
        let worker = matches!(auth, Auth::Worker { .. });
        let (api_url, auth_url) = self.base_urls(worker)?;
        let http_proxy = match self.pick(HTTP_PROXY, |s| s.http_proxy.clone()) {
            Some(proxy) => {
                Some(parse_proxy_url(&proxy.origin, &proxy.value).map_err(config_error)?)
            }
            None => None,
        };
        let layers = [self.overrides, self.block, self.env];
        if let Some(force) = layers.iter().find_map(|s| s.population_force_delete) {
            options.force_delete_population_users = force;
        }
        Ok(ClientConfig {
            api_url,
            auth_url,
            auth,
            http_proxy,
            append_user_agent: self
                .pick(APPEND_USER_AGENT, |s| s.append_user_agent.clone())
                .map(|s| s.value),
            options,
        })
    }

    /// How to authenticate: a given `api_access_token`, or a worker's three credentials
    /// (each from the first source that sets it). Both at once is refused, as by the
    /// Terraform provider, except that overrides (`--emulator`) decide alone when they
    /// set either, so a token in the environment does not spoil the emulator.
    fn auth(&self) -> Result<Auth, ProviderError> {
        let overrides = self.overrides;
        let overrides_token = overrides.api_access_token.is_some();
        let overrides_worker = overrides.client_id.is_some()
            || overrides.client_secret.is_some()
            || overrides.environment_id.is_some();
        let token = match (overrides_token, overrides_worker) {
            (false, true) => None,
            _ => self.pick(API_ACCESS_TOKEN, |s| s.api_access_token.clone()),
        };
        let credential = match (overrides_token, overrides_worker) {
            (true, false) => None,
            _ => self.any_credential(),
        };
        match (token, credential) {
            (Some(token), Some(credential)) => Err(config_error(format!(
                "API access token cannot be set with client ID, client secret or environment ID: \
                 {} and {} are both set; remove one of them",
                token.origin, credential
            ))),
            (Some(token), None) => Ok(Auth::AccessToken(token.value)),
            (None, _) => self.worker(),
        }
    }

    /// Where the first of the worker's credentials that is set comes from.
    fn any_credential(&self) -> Option<String> {
        let id = self.pick(CLIENT_ID, |s| s.client_id.as_ref().map(drop));
        let secret = self.pick(CLIENT_SECRET, |s| s.client_secret.as_ref().map(drop));
        let env = self.pick(ENVIRONMENT_ID, |s| s.environment_id.as_ref().map(drop));
        id.or(secret).or(env).map(|s| s.origin)
    }

    /// The worker's credentials, all three required.
    fn worker(&self) -> Result<Auth, ProviderError> {
        let client_id = self.pick(CLIENT_ID, |s| s.client_id.clone());
        let client_secret = self.pick(CLIENT_SECRET, |s| s.client_secret.clone());
        let environment_id = self.pick(ENVIRONMENT_ID, |s| s.environment_id.clone());
        let (Some(client_id), Some(client_secret), Some(environment_id)) =
            (client_id, client_secret, environment_id)
        else {
            return Err(self.missing_credentials());
        };
        check_uuid(&client_id)?;
        check_uuid(&environment_id)?;
        Ok(Auth::Worker {
            environment_id: environment_id.value,
            client_id: client_id.value,
            client_secret: client_secret.value,
        })
    }

    /// One error naming every missing credential with its environment variable.
    fn missing_credentials(&self) -> ProviderError {
        let present = [
            (
                CLIENT_ID,
                self.pick(CLIENT_ID, |s| s.client_id.clone()).is_some(),
            ),
            (
                CLIENT_SECRET,
                self.pick(CLIENT_SECRET, |s| s.client_secret.as_ref().map(drop))
                    .is_some(),
            ),
            (
                ENVIRONMENT_ID,
                self.pick(ENVIRONMENT_ID, |s| s.environment_id.clone())
                    .is_some(),
            ),
        ];
        let missing: Vec<String> = present
            .iter()
            .filter(|(_, set)| !set)
            .map(|(name, _)| format!("{} ({})", name.attribute, name.env_var))
            .collect();
        config_error(format!(
            "missing PingOne worker application credentials: {}; set them in the \
             provider \"pingone\" block or as environment variables (or give \
             api_access_token / {} instead)",
            missing.join(", "),
            API_ACCESS_TOKEN.env_var
        ))
    }

    /// The API and auth base URLs: explicit URLs where given, else from the region.
    /// Without a worker (`needs_auth` false) no token is requested, so a missing auth
    /// URL is not an error and the API URL stands in for it.
    fn base_urls(&self, needs_auth: bool) -> Result<(Url, Url), ProviderError> {
        let api = self.pick(API_URL, |s| s.api_url.clone());
        let auth = self.pick(AUTH_URL, |s| s.auth_url.clone());
        let tld = self.region_domain(api.is_none() || (needs_auth && auth.is_none()))?;
        let api_url = base_url(api, tld.map(region::api_base))?;
        refuse_version_suffix(&api_url)?;
        let auth_url = match (auth, tld) {
            (None, None) => api_url.clone(),
            (auth, tld) => base_url(auth, tld.map(region::auth_base))?,
        };
        Ok((api_url, auth_url))
    }

    /// The region's domain; an error if the code is invalid, or missing while `needed`.
    fn region_domain(&self, needed: bool) -> Result<Option<&'static str>, ProviderError> {
        match self.pick(REGION_CODE, |s| s.region_code.clone()) {
            Some(code) => region::top_level_domain(&code.value)
                .map(Some)
                .ok_or_else(|| {
                    config_error(format!(
                        "{} is {:?}, which is not a PingOne region code; use one of {}",
                        code.origin,
                        code.value,
                        region::valid_codes()
                    ))
                }),
            None if needed => Err(config_error(format!(
                "the PingOne provider needs region_code (set it in the provider \"pingone\" block or \
                 the {} environment variable; one of {}), or both api_url and auth_url",
                REGION_CODE.env_var,
                region::valid_codes()
            ))),
            None => Ok(None),
        }
    }
}

/// An explicit URL (checked) or the region's default.
fn base_url(
    explicit: Option<Sourced<String>>,
    default: Option<String>,
) -> Result<Url, ProviderError> {
    let (origin, raw) = match explicit {
        Some(s) => (s.origin, s.value),
        // `region_domain` guarantees a default whenever a URL is not given.
        None => ("region_code".to_string(), default.unwrap_or_default()),
    };
    parse_base_url(&origin, &raw).map_err(config_error)
}

/// The client appends `/v1` itself. An `api_url` ending in `/v1` would make every path
/// unknown, and PingOne's 404 for an unknown path would read as "every object is gone".
fn refuse_version_suffix(api_url: &Url) -> Result<(), ProviderError> {
    if api_url.path().trim_end_matches('/').ends_with("/v1") {
        return Err(config_error(format!(
            "api_url {api_url} ends in /v1; give the base URL without it (such as \
             https://api.pingone.eu), as pingform appends /v1 itself"
        )));
    }
    Ok(())
}

/// PingOne IDs are UUIDs; catching a pasted name or a truncated ID here gives a clearer
/// message than the token endpoint's "invalid_client".
fn check_uuid(id: &Sourced<String>) -> Result<(), ProviderError> {
    if is_uuid(&id.value) {
        return Ok(());
    }
    Err(config_error(format!(
        "{} is {:?}, which is not a PingOne ID (a UUID such as 9c052a8a-1d3c-4a8b-9b1e-0a2b3c4d5e6f)",
        id.origin, id.value
    )))
}

/// Whether `s` is a PingOne ID: a UUID in the 8-4-4-4-12 hex form.
pub(crate) fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == lengths.len()
        && groups
            .iter()
            .zip(lengths)
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
