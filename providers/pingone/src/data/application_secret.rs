//! `pingone_application_secret`: an application's current client secret and, while it
//! is still valid, the previous one (TERRAFORM-PROVIDER.md §3.10; API.md §7.1,
//! `GET …/applications/{id}/secret`).
//!
//! Both are sensitive: the engine masks them and never stores data sources in state.
//! PingOne's "actor not authorized" answer right after an environment is created is
//! retried by the client's settle window, as the official provider retries it.

use async_trait::async_trait;
use engine::Value;
use engine::provider::{BlockSchema, ProviderError};

use super::DataSource;
use super::arguments::{api_error, operation, required};
use super::schema::{required as required_attr, results_of};
use crate::client::Client;
use crate::resources::application_secret::live_attributes;
use crate::resources::common::api_shape_error;

/// The data source's name.
pub const TYPE_NAME: &str = "pingone_application_secret";

/// The schema: the resource's, read, without `regenerate_trigger_values`; `secret` is
/// the secret itself here (read live, never stored), not the resource's fingerprint.
pub fn schema() -> BlockSchema {
    let mut schema = results_of(
        crate::resources::application_secret::schema(),
        &["regenerate_trigger_values"],
    );
    if let Some(secret) = schema.attributes.get_mut("secret") {
        secret.sealed = None;
        secret.description = "The client secret.";
    }
    schema
        .attr(
            "environment_id",
            required_attr("The application's environment."),
        )
        .attr("application_id", required_attr("The application."))
}

/// The `pingone_application_secret` data source.
pub(crate) struct ApplicationSecret;

#[async_trait]
impl DataSource for ApplicationSecret {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        schema()
    }

    async fn read(
        &self,
        client: &Client,
        address: &str,
        config: &Value,
    ) -> Result<Value, ProviderError> {
        let env = required(address, config, "environment_id")?;
        let app = required(address, config, "application_id")?;
        let answer = client
            .get(&["environments", &env, "applications", &app, "secret"])
            .await
            .map_err(|e| api_error(address, e))?;
        let Value::Object(mut attrs) = live_attributes(&answer, config)
            .map_err(|e| api_shape_error(&operation(address), e))?
        else {
            return Err(api_shape_error(
                &operation(address),
                "the secret is not an object".to_string(),
            ));
        };
        attrs.remove("regenerate_trigger_values");
        Ok(Value::Object(attrs))
    }
}
