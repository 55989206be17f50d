//! Unit tests of merging settings into a client configuration.

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
        c.token_url().expect("a worker's token URL").as_str(),
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
    let Auth::Worker {
        client_secret,
        client_id,
        ..
    } = &c.auth
    else {
        panic!("worker credentials expected: {c:?}");
    };
    assert_eq!(client_secret.expose_secret(), "from-block");
    assert_eq!(c.api_url.as_str(), "http://127.0.0.1:7000/");
    assert_eq!(c.auth_url.as_str(), "https://auth-env.example.com/");
    assert_eq!(client_id, CID);
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

fn token(value: &str) -> Settings {
    Settings {
        api_access_token: Some(Secret::from(value)),
        ..Settings::default()
    }
}

#[test]
fn an_access_token_replaces_the_worker_and_needs_no_auth_url() {
    let none = Settings::default();
    let block = Settings {
        api_url: Some("http://127.0.0.1:9".into()),
        ..token("tok-secret-1")
    };
    let c = resolve(&none, &block, &none).unwrap();
    let Auth::AccessToken(value) = &c.auth else {
        panic!("a given token expected: {c:?}");
    };
    assert_eq!(value.expose_secret(), "tok-secret-1");
    assert_eq!(c.token_url(), None);
    assert!(!format!("{c:?}").contains("tok-secret-1"), "{c:?}");
}

#[test]
fn an_access_token_conflicts_with_worker_credentials() {
    let none = Settings::default();
    let env = Settings {
        client_id: Some(CID.into()),
        ..Settings::default()
    };
    let err = resolve(&none, &token("tok-secret-2"), &env).unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Configuration);
    let m = &err.message;
    assert!(
        m.starts_with(
            "API access token cannot be set with client ID, client secret or environment ID"
        ),
        "{m}"
    );
    assert!(
        m.contains("api_access_token (from the provider \"pingone\" block)")
            && m.contains("client_id (from PINGONE_CLIENT_ID)"),
        "{m}"
    );
    assert!(!m.contains("tok-secret-2"), "{m}");
    // Overrides (the embedded emulator) decide alone: a stray token does not spoil them.
    let overrides = Settings {
        api_url: Some("http://127.0.0.1:9".into()),
        auth_url: Some("http://127.0.0.1:9".into()),
        ..creds(None)
    };
    let c = resolve(&overrides, &none, &token("stray")).unwrap();
    assert!(matches!(c.auth, Auth::Worker { .. }), "{c:?}");
}

#[test]
fn proxy_user_agent_and_force_delete_are_resolved() {
    let none = Settings::default();
    let block = Settings {
        http_proxy: Some("http://user:pw@127.0.0.1:3128".into()),
        population_force_delete: Some(true),
        ..creds(Some("EU"))
    };
    let env = Settings {
        append_user_agent: Some("ci-run/42".into()),
        ..Settings::default()
    };
    let c = resolve(&none, &block, &env).unwrap();
    assert_eq!(
        c.http_proxy.as_ref().map(|u| u.host_str()),
        Some(Some("127.0.0.1"))
    );
    assert!(!format!("{c:?}").contains("pw@"), "{c:?}");
    assert!(c.user_agent().ends_with(" ci-run/42"), "{}", c.user_agent());
    assert!(c.user_agent().starts_with("pingform/"));
    assert!(c.options.force_delete_population_users);
    let bad = Settings {
        http_proxy: Some("ftp://proxy".into()),
        ..creds(Some("EU"))
    };
    let err = resolve(&none, &bad, &none).unwrap_err();
    assert!(
        err.message
            .contains("http_proxy (from the provider \"pingone\" block)"),
        "{}",
        err.message
    );
}
