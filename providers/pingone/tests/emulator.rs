//! The provider against the real PingOne emulator, started in-process on 127.0.0.1:0.

use std::collections::BTreeMap;

use engine::Value;
use engine::provider::{
    CreateRequest, DeleteRequest, ObjectRef, Provider, ProviderError, ProviderErrorKind,
    ReadManyRequest, UpdateRequest,
};
use pingone::{ClientOptions, PingOneProvider, Settings};
use pingone_emulator::{Credentials, Emulator, RunningEmulator};
use secrecy::SecretString;

const TYPE: &str = "pingone_population";

struct Harness {
    running: RunningEmulator,
    creds: Credentials,
    provider: PingOneProvider,
}

async fn start() -> Harness {
    start_with(ClientOptions::default()).await
}

async fn start_with(options: ClientOptions) -> Harness {
    let emulator = Emulator::open(None).expect("open the emulator");
    let running = pingone_emulator::spawn(emulator, "127.0.0.1:0")
        .await
        .expect("spawn the emulator");
    let creds = running.credentials();
    let provider = PingOneProvider::new(overrides(&creds))
        .with_environment(Settings::default())
        .with_client_options(options);
    provider.configure(&Value::Null).await.expect("configure");
    Harness {
        running,
        creds,
        provider,
    }
}

/// What `--emulator` passes: every setting, from the emulator's credentials.
fn overrides(c: &Credentials) -> Settings {
    Settings {
        client_id: Some(c.client_id.clone()),
        client_secret: Some(SecretString::from(c.client_secret.clone())),
        environment_id: Some(c.environment_id.clone()),
        region_code: Some(c.region_code.clone()),
        api_url: Some(c.api_url.clone()),
        auth_url: Some(c.auth_url.clone()),
        ..Default::default()
    }
}

fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// A planned population as the engine would send it: computed attributes unknown.
fn planned(env: &str, name: &str) -> Value {
    obj(&[
        ("id", Value::Unknown),
        ("environment_id", env.into()),
        ("name", name.into()),
        ("description", Value::Null),
        ("password_policy", Value::Null),
        ("password_policy_id", Value::Null),
        ("preferred_language", Value::Unknown),
        ("alternative_identifiers", Value::Null),
        ("theme", Value::Unknown),
    ])
}

fn with(value: &Value, name: &str, v: Value) -> Value {
    let mut value = value.clone();
    if let Value::Object(map) = &mut value {
        map.insert(name.to_string(), v);
    }
    value
}

impl Harness {
    async fn create(&self, name: &str) -> Result<Value, ProviderError> {
        self.provider
            .create(CreateRequest {
                type_name: TYPE.into(),
                address: format!("{TYPE}.{name}"),
                planned: planned(&self.creds.environment_id, name),
            })
            .await
    }

    async fn read(&self, priors: &[Value]) -> Vec<Option<Value>> {
        let objects = priors
            .iter()
            .enumerate()
            .map(|(i, prior)| ObjectRef {
                address: format!("{TYPE}.p{i}"),
                prior: prior.clone(),
            })
            .collect();
        self.provider
            .read_many(ReadManyRequest {
                type_name: TYPE.into(),
                objects,
            })
            .await
            .expect("read_many")
            .objects
    }

    async fn delete(&self, prior: &Value) -> Result<(), ProviderError> {
        self.provider
            .delete(DeleteRequest {
                type_name: TYPE.into(),
                address: format!("{TYPE}.x"),
                prior: prior.clone(),
            })
            .await
    }
}

fn id_of(v: &Value) -> &str {
    v.get("id").and_then(Value::as_str).expect("an id")
}

#[tokio::test]
async fn population_lifecycle() {
    let h = start().await;
    let created = h.create("staff").await.expect("create");
    assert!(created.is_wholly_known(), "{created}");
    assert_eq!(created.get("name"), Some(&Value::from("staff")));
    assert_eq!(
        created.get("environment_id"),
        Some(&Value::from(h.creds.environment_id.as_str()))
    );
    for attr in pingone::resources::population::schema().attributes.keys() {
        assert!(created.get(attr).is_some(), "{attr} missing from {created}");
    }

    let read = h.read(std::slice::from_ref(&created)).await;
    assert_eq!(read, vec![Some(created.clone())]);

    let changed = with(&created, "description", "All staff".into());
    let changed = with(
        &changed,
        "alternative_identifiers",
        Value::List(vec!["employees".into()]),
    );
    let updated = h
        .provider
        .update(UpdateRequest {
            type_name: TYPE.into(),
            address: format!("{TYPE}.staff"),
            prior: created.clone(),
            planned: changed.clone(),
        })
        .await
        .expect("update");
    assert_eq!(updated.get("description"), Some(&Value::from("All staff")));
    assert_eq!(updated.get("id"), created.get("id"));
    assert_eq!(
        h.read(std::slice::from_ref(&updated)).await,
        vec![Some(updated.clone())]
    );

    h.delete(&updated).await.expect("delete");
    assert_eq!(h.read(std::slice::from_ref(&updated)).await, vec![None]);
    h.delete(&updated).await.expect("deleting again succeeds");
    h.running.shutdown().await;
}

#[tokio::test]
async fn read_many_pages_and_reports_objects_gone_out_of_band() {
    let h = start_with(ClientOptions {
        page_limit: 2,
        ..ClientOptions::default()
    })
    .await;
    let mut priors = Vec::new();
    for name in ["a", "b", "c", "d"] {
        priors.push(h.create(name).await.expect("create"));
    }
    // Out of band: delete "b" with a client of our own, as another tool would.
    let client = h.provider.client().expect("configured");
    client
        .delete(&[
            "environments",
            &h.creds.environment_id,
            "populations",
            id_of(&priors[1]),
        ])
        .await
        .expect("out-of-band delete");
    let never = with(
        &priors[0],
        "id",
        "00000000-0000-4000-8000-000000000000".into(),
    );
    priors.push(never);

    let read = h.read(&priors).await;
    let found: Vec<bool> = read.iter().map(Option::is_some).collect();
    assert_eq!(found, [true, false, true, true, false]);
    assert_eq!(read[3].as_ref(), Some(&priors[3]));
    h.running.shutdown().await;
}

#[tokio::test]
async fn objects_of_a_missing_environment_are_gone() {
    let h = start().await;
    let ghost = with(
        &planned("0f0f0f0f-0000-4000-8000-000000000000", "ghost"),
        "id",
        "1f1f1f1f-0000-4000-8000-000000000000".into(),
    );
    assert_eq!(h.read(&[ghost]).await, vec![None]);
    h.running.shutdown().await;
}

#[tokio::test]
async fn duplicate_names_are_api_errors_with_pingone_codes() {
    let h = start().await;
    h.create("dup").await.expect("first create");
    let err = h.create("dup").await.expect_err("second create");
    assert_eq!(err.kind, ProviderErrorKind::Api);
    let m = &err.message;
    assert!(m.starts_with("create pingone_population.dup: "), "{m}");
    assert!(m.contains("INVALID_DATA"), "{m}");
    assert!(m.contains("UNIQUENESS_VIOLATION"), "{m}");
    assert!(m.contains("PingOne error id"), "{m}");
    h.running.shutdown().await;
}

#[tokio::test]
async fn configure_from_the_provider_block_and_environment() {
    let h = start().await;
    let c = &h.creds;
    // Credentials from "environment variables", URLs from the block.
    let env = Settings::from_lookup(|name| match name {
        "PINGONE_CLIENT_ID" => Some(c.client_id.clone()),
        "PINGONE_CLIENT_SECRET" => Some(c.client_secret.clone()),
        "PINGONE_ENVIRONMENT_ID" => Some(c.environment_id.clone()),
        "PINGONE_API_URL" => Some("http://127.0.0.1:1".into()),
        _ => None,
    });
    let block = obj(&[
        ("api_url", c.api_url.as_str().into()),
        ("auth_url", c.auth_url.as_str().into()),
    ]);
    let provider = PingOneProvider::new(Settings::default()).with_environment(env);
    provider.configure(&block).await.expect("configure");
    let created = provider
        .create(CreateRequest {
            type_name: TYPE.into(),
            address: format!("{TYPE}.from_block"),
            planned: planned(&c.environment_id, "from-block"),
        })
        .await
        .expect("create through block settings");
    assert_eq!(created.get("name"), Some(&Value::from("from-block")));
    h.running.shutdown().await;
}

#[tokio::test]
async fn unreachable_api_is_a_connection_error_naming_the_url() {
    let h = start().await;
    let mut settings = overrides(&h.creds);
    settings.api_url = Some("http://127.0.0.1:1".into());
    let provider = PingOneProvider::new(settings).with_environment(Settings::default());
    provider.configure(&Value::Null).await.expect("configure");
    let err = provider
        .create(CreateRequest {
            type_name: TYPE.into(),
            address: format!("{TYPE}.staff"),
            planned: planned(&h.creds.environment_id, "staff"),
        })
        .await
        .expect_err("nothing listens on port 1");
    assert_eq!(err.kind, ProviderErrorKind::Connection);
    let expected_url = format!(
        "http://127.0.0.1:1/v1/environments/{}/populations",
        h.creds.environment_id
    );
    let m = &err.message;
    assert!(
        m.contains(&format!("could not reach PingOne at {expected_url}: ")),
        "{m}"
    );
    assert!(m.starts_with("create pingone_population.staff: "), "{m}");
    assert!(!m.contains('\n'), "{m}");
    h.running.shutdown().await;
}

#[tokio::test]
async fn a_wrong_secret_is_a_clear_token_error() {
    let h = start().await;
    let mut settings = overrides(&h.creds);
    settings.client_secret = Some(SecretString::from("definitely-not-the-secret"));
    let provider = PingOneProvider::new(settings).with_environment(Settings::default());
    // The token is fetched while configuring, before any plan is shown.
    let err = provider
        .configure(&Value::Null)
        .await
        .expect_err("a wrong secret fails at configure");
    assert_eq!(err.kind, ProviderErrorKind::Configuration);
    let m = &err.message;
    let token_url = format!("{}/{}/as/token", h.creds.auth_url, h.creds.environment_id);
    assert!(
        m.contains(&format!(
            "could not get a PingOne access token from {token_url}"
        )),
        "{m}"
    );
    assert!(m.contains("invalid_client"), "{m}");
    assert!(!m.contains("definitely-not-the-secret"), "{m}");
    assert!(!m.contains(&h.creds.client_secret), "{m}");
    h.running.shutdown().await;
}

#[tokio::test]
async fn a_wrong_api_path_is_not_mistaken_for_deleted_objects() {
    let h = start().await;
    let kept = h.create("kept").await.expect("create");
    let mut settings = overrides(&h.creds);
    // Every path under this prefix is unknown to the emulator, so everything 404s.
    settings.api_url = Some(format!("{}/pingone", h.creds.api_url));
    let provider = PingOneProvider::new(settings).with_environment(Settings::default());
    provider.configure(&Value::Null).await.expect("configure");
    let err = provider
        .read_many(ReadManyRequest {
            type_name: TYPE.into(),
            objects: vec![ObjectRef {
                address: format!("{TYPE}.kept"),
                prior: kept,
            }],
        })
        .await
        .expect_err("a wrong api_url must fail, not report the object gone");
    assert!(
        err.message.contains("own environment is not found"),
        "{}",
        err.message
    );
    assert!(err.message.contains("PINGONE_API_URL"), "{}", err.message);
    h.running.shutdown().await;
}
