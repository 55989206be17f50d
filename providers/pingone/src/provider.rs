//! [`PingOneProvider`]: the engine's `Provider` implementation for PingOne.
//!
//! `configure` resolves the settings and builds the [`Client`]; every other operation
//! looks up the resource type in the registry and hands it the client.

use std::sync::{PoisonError, RwLock};

use async_trait::async_trait;
use engine::Value;
use engine::provider::{
    CreateRequest, DeleteRequest, FindRequest, Found, Provider, ProviderError, ProviderErrorKind,
    ProviderSchema, ReadDataRequest, ReadManyRequest, ReadManyResponse, RiskRequest,
    UnmanagedObject, UnmanagedRequest, UpdateRequest,
};

use crate::client::{Client, ClientOptions};
use crate::data::DataSources;
use crate::resolve::Sources;
use crate::resources::Registry;
use crate::schema::provider_block;
use crate::settings::{Settings, config_error};

/// The PingOne provider.
pub struct PingOneProvider {
    overrides: Settings,
    /// The environment variables' settings; `None` reads the process environment.
    environment: Option<Settings>,
    options: ClientOptions,
    schema: ProviderSchema,
    registry: Registry,
    data_sources: DataSources,
    /// Set by `configure`; a lock rather than a once-cell so a second `configure` replaces it.
    client: RwLock<Option<Client>>,
}

impl PingOneProvider {
    /// A provider whose `overrides` (for example from `--emulator`) beat both the
    /// provider block and the environment variables.
    pub fn new(overrides: Settings) -> Self {
        let registry = Registry::new();
        let data_sources = DataSources::new();
        let schema = ProviderSchema {
            provider: provider_block(),
            resources: registry.schemas(),
            data_sources: data_sources.schemas(),
        };
        Self {
            overrides,
            environment: None,
            options: ClientOptions::default(),
            schema,
            registry,
            data_sources,
            client: RwLock::new(None),
        }
    }

    /// A new, unconfigured provider with the same overrides, environment and
    /// client options: the instance of another `provider "pingone"` block.
    fn fresh(&self) -> Self {
        let mut fresh = Self::new(self.overrides.clone()).with_client_options(self.options.clone());
        fresh.environment = self.environment.clone();
        fresh
    }

    /// Uses `env` instead of reading `PINGONE_*` from the process environment.
    pub fn with_environment(mut self, env: Settings) -> Self {
        self.environment = Some(env);
        self
    }

    /// Uses these retry, paging and timeout settings.
    pub fn with_client_options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// The configured client, or an error if `configure` has not succeeded.
    pub fn client(&self) -> Result<Client, ProviderError> {
        self.client
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| config_error("the pingone provider was used before it was configured"))
    }
}

#[async_trait]
impl Provider for PingOneProvider {
    fn name(&self) -> &str {
        "pingone"
    }

    fn schema(&self) -> &ProviderSchema {
        &self.schema
    }

    async fn unmanaged(
        &self,
        request: UnmanagedRequest,
    ) -> Result<Option<Vec<UnmanagedObject>>, ProviderError> {
        crate::unmanaged::find(&self.client()?, &request)
            .await
            .map(Some)
    }

    async fn configure(&self, config: &Value) -> Result<(), ProviderError> {
        let block = Settings::from_provider_block(config)?;
        let env = self.environment.clone().unwrap_or_else(Settings::from_env);
        let sources = Sources {
            overrides: &self.overrides,
            block: &block,
            env: &env,
        };
        let mut options = self.options.clone();
        let env_rate = match &self.environment {
            Some(_) => None,
            None => std::env::var(REQUESTS_PER_SECOND_ENV).ok(),
        };
        if let Some(rate) = requests_per_second(config, env_rate.as_deref())? {
            options.requests_per_second = Some(rate);
        }
        let client_config = sources.resolve(options)?;
        tracing::debug!(
            api_url = %client_config.api_url,
            token_url = ?client_config.token_url().map(|u| u.to_string()),
            "configured the pingone provider"
        );
        let client =
            Client::new(client_config).map_err(|e| e.to_provider_error("configure pingone"))?;
        client
            .authenticate()
            .await
            .map_err(|e| e.to_provider_error("authenticate to pingone"))?;
        remember_roles(&client).await;
        *self.client.write().unwrap_or_else(PoisonError::into_inner) = Some(client);
        Ok(())
    }

    fn new_instance(&self) -> Option<std::sync::Arc<dyn Provider>> {
        Some(std::sync::Arc::new(self.fresh()))
    }

    fn risks(&self, change: &RiskRequest<'_>) -> Vec<String> {
        match self.client() {
            Ok(client) => crate::risks::assess(client.facts(), change),
            Err(_) => crate::risks::assess(&crate::risks::Facts::default(), change),
        }
    }

    async fn read_many(&self, request: ReadManyRequest) -> Result<ReadManyResponse, ProviderError> {
        let resource = self.registry.get(&request.type_name)?;
        if request.objects.is_empty() {
            return Ok(ReadManyResponse {
                objects: Vec::new(),
            });
        }
        let objects = resource
            .read_many(&self.client()?, &request.objects)
            .await?;
        Ok(ReadManyResponse { objects })
    }

    async fn create(&self, request: CreateRequest) -> Result<Value, ProviderError> {
        let resource = self.registry.get(&request.type_name)?;
        let client = self.client()?;
        match resource
            .create(&client, &request.address, &request.planned)
            .await
        {
            // The answer was lost (the connection dropped): PingOne may have made the
            // object. Adopt it by natural key rather than fail and create a duplicate later.
            Err(e) if e.kind == ProviderErrorKind::Connection => {
                match resource
                    .find(&client, &request.address, &request.planned)
                    .await
                {
                    Ok(Found::Object(found)) => Ok(found),
                    _ => Err(e),
                }
            }
            other => other,
        }
    }

    async fn update(&self, request: UpdateRequest) -> Result<Value, ProviderError> {
        let resource = self.registry.get(&request.type_name)?;
        resource
            .update(
                &self.client()?,
                &request.address,
                &request.prior,
                &request.planned,
            )
            .await
    }

    async fn delete(&self, request: DeleteRequest) -> Result<(), ProviderError> {
        let resource = self.registry.get(&request.type_name)?;
        resource
            .delete(&self.client()?, &request.address, &request.prior)
            .await
    }

    async fn read_data(&self, request: ReadDataRequest) -> Result<Value, ProviderError> {
        let source = self.data_sources.get(&request.type_name)?;
        source
            .read(&self.client()?, &request.address, &request.config)
            .await
    }

    async fn find(&self, request: FindRequest) -> Result<Found, ProviderError> {
        let resource = self.registry.get(&request.type_name)?;
        resource
            .find(&self.client()?, &request.address, &request.planned)
            .await
    }
}

/// The environment variable that sets `requests_per_second`.
pub(crate) const REQUESTS_PER_SECOND_ENV: &str = "PINGONE_REQUESTS_PER_SECOND";

/// The request rate from the provider block's `requests_per_second`, else from the
/// environment variable's text; `None` when neither sets it.
fn requests_per_second(config: &Value, env: Option<&str>) -> Result<Option<f64>, ProviderError> {
    let from_block = match config.get("requests_per_second") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(*n),
        Some(other) => {
            return Err(config_error(format!(
                "requests_per_second must be a number, not a {}",
                other.type_name()
            )));
        }
    };
    let rate = match (from_block, env.map(str::trim).filter(|t| !t.is_empty())) {
        (Some(n), _) => n,
        (None, Some(text)) => text.parse::<f64>().map_err(|_| {
            config_error(format!(
                "{REQUESTS_PER_SECOND_ENV} must be a number, not {text:?}"
            ))
        })?,
        (None, None) => return Ok(None),
    };
    if !(rate.is_finite() && rate > 0.0) {
        return Err(config_error(format!(
            "requests_per_second must be a positive number, not {rate}"
        )));
    }
    Ok(Some(rate))
}

/// Lists the built-in roles once, so plans can name the roles a grant gives. A failure
/// only costs the role names in risk messages.
async fn remember_roles(client: &Client) {
    match client.list_all(&["roles"], "roles").await {
        Ok(roles) => client.facts().remember_roles(roles.iter().filter_map(|r| {
            Some((
                r.get("id")?.as_str()?.to_string(),
                r.get("name")?.as_str()?.to_string(),
            ))
        })),
        Err(e) => tracing::debug!("could not list PingOne roles: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declares_its_name_and_schemas() {
        let p = PingOneProvider::new(Settings::default());
        assert_eq!(p.name(), "pingone");
        assert!(
            p.schema()
                .provider
                .attributes
                .contains_key("service_endpoints")
        );
        assert!(p.schema().resources.contains_key("pingone_population"));
        assert!(p.schema().data_sources.contains_key("pingone_role"));
    }

    #[test]
    fn request_rates_come_from_the_block_then_the_environment() {
        let block = Value::Object([("requests_per_second".to_string(), Value::Number(5.0))].into());
        assert_eq!(requests_per_second(&block, Some("9")).unwrap(), Some(5.0));
        assert_eq!(
            requests_per_second(&Value::Null, Some(" 9 ")).unwrap(),
            Some(9.0)
        );
        assert_eq!(requests_per_second(&Value::Null, None).unwrap(), None);
        assert!(requests_per_second(&Value::Null, Some("fast")).is_err());
        let zero = Value::Object([("requests_per_second".to_string(), Value::Number(0.0))].into());
        assert!(requests_per_second(&zero, None).is_err());
    }

    #[tokio::test]
    async fn operations_before_configure_are_configuration_errors() {
        let p = PingOneProvider::new(Settings::default());
        let err = p
            .delete(DeleteRequest {
                type_name: "pingone_population".into(),
                address: "pingone_population.x".into(),
                prior: Value::Null,
            })
            .await
            .unwrap_err();
        assert_eq!(err.kind, ProviderErrorKind::Configuration);
        assert!(err.message.contains("before it was configured"));
    }

    #[tokio::test]
    async fn unknown_types_are_named() {
        let p = PingOneProvider::new(Settings::default());
        let err = p
            .read_many(ReadManyRequest {
                type_name: "pingone_widget".into(),
                objects: vec![],
            })
            .await
            .unwrap_err();
        assert!(
            err.message.contains("pingone_widget") && err.message.contains("pingone_population")
        );
    }

    #[tokio::test]
    async fn configure_reports_missing_settings_from_an_empty_environment() {
        let p = PingOneProvider::new(Settings::default()).with_environment(Settings::default());
        let err = p.configure(&Value::Null).await.unwrap_err();
        assert_eq!(err.kind, ProviderErrorKind::Configuration);
        assert!(err.message.contains("PINGONE_CLIENT_ID"), "{}", err.message);
    }

    #[tokio::test]
    async fn configure_uses_overrides_over_the_block() {
        let overrides = Settings {
            api_url: Some("http://127.0.0.1:9".into()),
            auth_url: Some("http://127.0.0.1:9".into()),
            ..Settings::default()
        };
        let env = Settings::from_lookup(|k| match k {
            "PINGONE_CLIENT_ID" => Some("11111111-2222-4333-8444-555555555555".into()),
            "PINGONE_CLIENT_SECRET" => Some("s".into()),
            "PINGONE_ENVIRONMENT_ID" => Some("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee".into()),
            _ => None,
        });
        let p = PingOneProvider::new(overrides).with_environment(env);
        let block = Value::Object([("api_url".to_string(), Value::from("http://10.0.0.1"))].into());
        // The block's plain-http remote URL would be refused, but the override wins:
        // configure then fails only because nothing listens on the loopback port.
        let err = p.configure(&block).await.unwrap_err();
        assert_eq!(err.kind, ProviderErrorKind::Connection, "{}", err.message);
        assert!(
            err.message.contains("http://127.0.0.1:9/"),
            "{}",
            err.message
        );
    }
}
