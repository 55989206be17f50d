//! A generic harness for resource round trips against the in-process emulator: plans
//! objects the way the engine does (computed attributes unknown, defaults filled) and
//! calls the provider's operations by type name.

#![allow(dead_code)]

use std::collections::BTreeMap;

use engine::Value;
use engine::provider::{
    CreateRequest, DeleteRequest, FindRequest, Found, ObjectRef, Presence, Provider, ProviderError,
    ReadManyRequest, UpdateRequest,
};
use pingone::{Client, ClientOptions, PingOneProvider, Settings};
use pingone_emulator::{Credentials, Emulator, RunningEmulator};
use secrecy::SecretString;

/// A running emulator and a provider configured against it.
pub(crate) struct Harness {
    pub(crate) running: RunningEmulator,
    pub(crate) creds: Credentials,
    pub(crate) provider: PingOneProvider,
}

/// Starts the emulator on a free loopback port and configures the provider.
pub(crate) async fn start() -> Harness {
    start_with_options(ClientOptions::default()).await
}

/// [`start`], limiting the provider to `rate` requests per second.
pub(crate) async fn start_with_rate(rate: f64) -> Harness {
    start_with_options(ClientOptions {
        requests_per_second: Some(rate),
        ..ClientOptions::default()
    })
    .await
}

pub(crate) async fn start_with_options(options: ClientOptions) -> Harness {
    let emulator = Emulator::open(None).expect("open the emulator");
    start_on(emulator, options).await
}

/// Serves `emulator` (such as one opened from a prepared data file) on a free
/// loopback port and configures the provider with `options`.
pub(crate) async fn start_on(emulator: Emulator, options: ClientOptions) -> Harness {
    let running = pingone_emulator::spawn(emulator, "127.0.0.1:0")
        .await
        .expect("spawn the emulator");
    let creds = running.credentials();
    let c = &creds;
    let overrides = Settings {
        client_id: Some(c.client_id.clone()),
        client_secret: Some(SecretString::from(c.client_secret.clone())),
        environment_id: Some(c.environment_id.clone()),
        region_code: Some(c.region_code.clone()),
        api_url: Some(c.api_url.clone()),
        auth_url: Some(c.auth_url.clone()),
        ..Default::default()
    };
    let provider = PingOneProvider::new(overrides)
        .with_environment(Settings::default())
        .with_client_options(options);
    provider.configure(&Value::Null).await.expect("configure");
    Harness {
        running,
        creds,
        provider,
    }
}

/// `oidc_options` of a worker application (client credentials, client secret basic).
pub(crate) fn worker_options() -> Value {
    obj(&[
        ("type", "WORKER".into()),
        (
            "grant_types",
            Value::List(vec!["CLIENT_CREDENTIALS".into()]),
        ),
        ("token_endpoint_auth_method", "CLIENT_SECRET_BASIC".into()),
    ])
}

/// An object value from pairs.
pub(crate) fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// `value` with `name` set to `v`.
pub(crate) fn with(value: &Value, name: &str, v: Value) -> Value {
    let mut value = value.clone();
    if let Value::Object(map) = &mut value {
        map.insert(name.to_string(), v);
    }
    value
}

/// A string attribute of an object.
pub(crate) fn s<'a>(v: &'a Value, name: &str) -> &'a str {
    v.get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{name} missing from {v}"))
}

impl Harness {
    /// The environment of the worker (every test works in it unless it makes its own).
    pub(crate) fn env(&self) -> Value {
        Value::from(self.creds.environment_id.as_str())
    }

    /// The configured client, for out-of-band changes "by another tool".
    pub(crate) fn client(&self) -> Client {
        self.provider.client().expect("configured")
    }

    /// What the engine would plan for `type_name` from `config`: configured values,
    /// defaults, and unknown computed attributes.
    pub(crate) fn plan(&self, type_name: &str, config: &[(&str, Value)]) -> Value {
        let schema = &self.provider.schema().resources[type_name];
        let config = obj(config);
        let pairs: Vec<(&str, Value)> = schema
            .attributes
            .iter()
            .map(|(name, a)| {
                let configured = config.get(name).filter(|v| !v.is_null()).cloned();
                let v = match (a.presence, configured) {
                    (Presence::Computed, _) => Value::Unknown,
                    (_, Some(v)) => v,
                    (Presence::OptionalComputed, None) => Value::Unknown,
                    _ => a.default.clone().unwrap_or(Value::Null),
                };
                (name.as_str(), v)
            })
            .collect();
        obj(&pairs)
    }

    /// Creates an object planned from `config`.
    pub(crate) async fn create(
        &self,
        type_name: &str,
        config: &[(&str, Value)],
    ) -> Result<Value, ProviderError> {
        self.provider
            .create(CreateRequest {
                type_name: type_name.into(),
                address: format!("{type_name}.test"),
                planned: self.plan(type_name, config),
            })
            .await
    }

    /// Refreshes objects.
    pub(crate) async fn read(&self, type_name: &str, priors: &[Value]) -> Vec<Option<Value>> {
        let objects = priors
            .iter()
            .enumerate()
            .map(|(i, prior)| ObjectRef {
                address: format!("{type_name}.o{i}"),
                prior: prior.clone(),
            })
            .collect();
        self.provider
            .read_many(ReadManyRequest {
                type_name: type_name.into(),
                objects,
            })
            .await
            .expect("read_many")
            .objects
    }

    /// Refreshes one object.
    pub(crate) async fn read_one(&self, type_name: &str, prior: &Value) -> Option<Value> {
        self.read(type_name, std::slice::from_ref(prior))
            .await
            .remove(0)
    }

    /// Updates an object in place.
    pub(crate) async fn update(
        &self,
        type_name: &str,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        self.provider
            .update(UpdateRequest {
                type_name: type_name.into(),
                address: format!("{type_name}.test"),
                prior: prior.clone(),
                planned: planned.clone(),
            })
            .await
    }

    /// Deletes an object.
    pub(crate) async fn delete(&self, type_name: &str, prior: &Value) -> Result<(), ProviderError> {
        self.provider
            .delete(DeleteRequest {
                type_name: type_name.into(),
                address: format!("{type_name}.test"),
                prior: prior.clone(),
            })
            .await
    }

    /// Finds an object by natural key.
    pub(crate) async fn find(&self, type_name: &str, planned: &Value) -> Found {
        self.provider
            .find(FindRequest {
                type_name: type_name.into(),
                address: format!("{type_name}.test"),
                planned: planned.clone(),
            })
            .await
            .expect("find")
    }

    /// The id of the built-in role called `name`.
    pub(crate) async fn role_id(&self, name: &str) -> String {
        let roles = self
            .client()
            .list_all(&["roles"], "roles")
            .await
            .expect("roles");
        roles
            .iter()
            .find(|r| r.get("name").and_then(serde_json::Value::as_str) == Some(name))
            .and_then(|r| r.get("id")?.as_str().map(str::to_string))
            .unwrap_or_else(|| panic!("no role {name}"))
    }
}
