//! Merging settings from their three sources into one client configuration.
//!
//! Each setting is taken from the first source that sets it: overrides (such as
//! `--emulator`), then the `provider "pingone"` block, then `PINGONE_*` environment
//! variables. Messages say which source a bad value came from.

use engine::provider::ProviderError;
use url::Url;

use crate::client::{ClientConfig, ClientOptions};
use crate::endpoint::parse_base_url;
use crate::region;
use crate::settings::{
    API_URL, AUTH_URL, CLIENT_ID, CLIENT_SECRET, ENVIRONMENT_ID, REGION_CODE, SettingName,
    Settings, config_error,
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
    pub(crate) fn resolve(&self, options: ClientOptions) -> Result<ClientConfig, ProviderError> {
        let client_id = self.pick(CLIENT_ID, |s| s.client_id.clone());
        let client_secret = self.pick(CLIENT_SECRET, |s| s.client_secret.clone());
        let environment_id = self.pick(ENVIRONMENT_ID, |s| s.environment_id.clone());
        let (Some(client_id), Some(client_secret), Some(environment_id)) =
            (client_id.as_ref(), client_secret, environment_id.as_ref())
        else {
            return Err(self.missing_credentials());
        };
        check_uuid(client_id)?;
        check_uuid(environment_id)?;
        let (api_url, auth_url) = self.base_urls()?;
        Ok(ClientConfig {
            api_url,
            auth_url,
            environment_id: environment_id.value.clone(),
            client_id: client_id.value.clone(),
            client_secret: client_secret.value,
            options,
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
             provider \"pingone\" block or as environment variables",
            missing.join(", ")
        ))
    }

    /// The API and auth base URLs: explicit URLs where given, else from the region.
    fn base_urls(&self) -> Result<(Url, Url), ProviderError> {
        let api = self.pick(API_URL, |s| s.api_url.clone());
        let auth = self.pick(AUTH_URL, |s| s.auth_url.clone());
        let tld = self.region_domain(api.is_none() || auth.is_none())?;
        let api_url = base_url(api, tld.map(region::api_base))?;
        refuse_version_suffix(&api_url)?;
        Ok((api_url, base_url(auth, tld.map(region::auth_base))?))
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

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == lengths.len()
        && groups
            .iter()
            .zip(lengths)
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use engine::provider::ProviderErrorKind;
    use secrecy::{ExposeSecret, SecretString as Secret};

    use super::*;

    const CID: &str = "11111111-2222-4333-8444-555555555555";
    const ENV: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

    fn creds(region: Option<&str>) -> Settings {
        Settings {
            client_id: Some(CID.into()),
            client_secret: Some(Secret::from("sec")),
            environment_id: Some(ENV.into()),
            region_code: region.map(str::to_string),
            ..Settings::default()
        }
    }

    fn resolve(
        overrides: &Settings,
        block: &Settings,
        env: &Settings,
    ) -> Result<ClientConfig, ProviderError> {
        Sources {
            overrides,
            block,
            env,
        }
        .resolve(ClientOptions::default())
    }

    #[test]
    fn region_gives_both_base_urls_and_the_token_url() {
        let none = Settings::default();
        let c = resolve(&none, &creds(Some("AU")), &none).unwrap();
        assert_eq!(c.api_url.as_str(), "https://api.pingone.com.au/");
        assert_eq!(c.auth_url.as_str(), "https://auth.pingone.com.au/");
        assert_eq!(
            c.token_url().as_str(),
            format!("https://auth.pingone.com.au/{ENV}/as/token")
        );
    }

    #[test]
    fn overrides_beat_block_beat_environment() {
        let env = Settings {
            client_secret: Some(Secret::from("from-env")),
            api_url: Some("https://env.example.com".into()),
            auth_url: Some("https://auth-env.example.com".into()),
            ..creds(Some("EU"))
        };
        let block = Settings {
            client_secret: Some(Secret::from("from-block")),
            api_url: Some("https://block.example.com".into()),
            ..Settings::default()
        };
        let overrides = Settings {
            api_url: Some("http://127.0.0.1:7000".into()),
            ..Settings::default()
        };
        let c = resolve(&overrides, &block, &env).unwrap();
        assert_eq!(c.client_secret.expose_secret(), "from-block");
        assert_eq!(c.api_url.as_str(), "http://127.0.0.1:7000/");
        assert_eq!(c.auth_url.as_str(), "https://auth-env.example.com/");
        assert_eq!(c.client_id, CID);
    }

    #[test]
    fn explicit_urls_need_no_region() {
        let s = Settings {
            api_url: Some("http://localhost:1".into()),
            auth_url: Some("http://localhost:2".into()),
            ..creds(None)
        };
        let none = Settings::default();
        assert!(resolve(&none, &s, &none).is_ok());
        // With only one URL, the other still comes from the region.
        let half = Settings {
            auth_url: None,
            ..s
        };
        let err = resolve(&none, &half, &none).unwrap_err();
        assert!(err.message.contains("region_code"), "{}", err.message);
        assert!(
            err.message.contains("PINGONE_REGION_CODE"),
            "{}",
            err.message
        );
    }

    #[test]
    fn missing_credentials_name_attribute_and_variable() {
        let none = Settings::default();
        let partial = Settings {
            client_id: Some(CID.into()),
            ..Settings::default()
        };
        let err = resolve(&none, &partial, &none).unwrap_err();
        assert_eq!(err.kind, ProviderErrorKind::Configuration);
        let m = &err.message;
        assert!(
            m.contains("client_secret") && m.contains("PINGONE_CLIENT_SECRET"),
            "{m}"
        );
        assert!(
            m.contains("environment_id") && m.contains("PINGONE_ENVIRONMENT_ID"),
            "{m}"
        );
        assert!(!m.contains("PINGONE_CLIENT_ID"), "{m}");
    }

    #[test]
    fn invalid_region_lists_valid_codes_and_source() {
        let none = Settings::default();
        let err = resolve(&none, &none, &creds(Some("Europe"))).unwrap_err();
        let m = &err.message;
        assert!(m.contains("\"Europe\""), "{m}");
        assert!(m.contains("PINGONE_REGION_CODE"), "{m}");
        assert!(m.contains("NA, EU, CA, AP, AU, SG"), "{m}");
    }

    #[test]
    fn plain_http_to_remote_hosts_is_refused() {
        let none = Settings::default();
        let s = Settings {
            api_url: Some("http://api.example.com".into()),
            ..creds(Some("NA"))
        };
        let err = resolve(&none, &s, &none).unwrap_err();
        assert_eq!(err.kind, ProviderErrorKind::Configuration);
        assert!(err.message.contains("plain http"), "{}", err.message);
        assert!(
            err.message.contains("provider \"pingone\" block"),
            "{}",
            err.message
        );
    }

    #[test]
    fn api_url_must_not_include_the_version() {
        let none = Settings::default();
        let s = Settings {
            api_url: Some("https://api.pingone.eu/v1/".into()),
            ..creds(Some("EU"))
        };
        let err = resolve(&none, &s, &none).unwrap_err();
        assert!(err.message.contains("ends in /v1"), "{}", err.message);
    }

    #[test]
    fn ids_must_be_uuids() {
        let none = Settings::default();
        let s = Settings {
            environment_id: Some("my-env".into()),
            ..creds(Some("NA"))
        };
        let err = resolve(&none, &s, &none).unwrap_err();
        assert!(err.message.contains("environment_id") && err.message.contains("UUID"));
        assert!(is_uuid("9C052A8A-1d3c-4a8b-9b1e-0a2b3c4d5e6f"));
        assert!(!is_uuid("9c052a8a1d3c4a8b9b1e0a2b3c4d5e6f"));
    }

    #[test]
    fn errors_never_contain_the_secret() {
        let none = Settings::default();
        let s = Settings {
            client_secret: Some(Secret::from("TOPSECRET")),
            region_code: Some("XX".into()),
            ..creds(None)
        };
        let err = resolve(&none, &s, &none).unwrap_err();
        assert!(!err.message.contains("TOPSECRET"));
        assert!(!format!("{err:?}").contains("TOPSECRET"));
    }
}
