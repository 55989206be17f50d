//! `pingone_population` and `pingone_populations` (TERRAFORM-PROVIDER.md §4; API.md §3).
//!
//! By name: `GET …/populations?filter=name eq "<name>"`, then the first name equal
//! ignoring case (PingOne keeps population names unique that way). The attributes are
//! the `pingone_population` resource's, with both password-policy forms filled, plus
//! `default` and `user_count`.

use async_trait::async_trait;
use engine::Value;
use engine::provider::{AttrType, BlockSchema, Presence, ProviderError};

use super::DataSource;
use super::arguments::{
    api_error, exactly_one_of, get_or, has_name, not_found, operation, required,
};
use super::filters::{ids, selection, with_arguments};
use super::schema::{
    computed, data_filters, lookup_key, required as required_attr, results_of, scim_filter,
};
use crate::client::Client;
use crate::resources::common::api_shape_error;
use crate::resources::population::from_api;
use crate::resources::user::scim_escape;
use crate::values::{json_bool, json_string};

/// The singular data source's name.
pub const TYPE_NAME: &str = "pingone_population";
/// The plural data source's name.
pub const PLURAL_TYPE_NAME: &str = "pingone_populations";

const PLURAL: &str = "populations";

/// What `data_filters` of `pingone_populations` may name.
pub const FILTERABLE: &[&str] = &["id", "name"];

/// The singular schema.
pub fn schema() -> BlockSchema {
    results_of(crate::resources::population::schema(), &[])
        .attr(
            "environment_id",
            required_attr("The environment that holds the population."),
        )
        .attr(
            "population_id",
            lookup_key("The population's ID; set exactly one of population_id and name."),
        )
        .attr(
            "name",
            lookup_key("The population's name; set exactly one of population_id and name."),
        )
        .attr(
            "default",
            computed(AttrType::Bool, "Whether new users go to this population."),
        )
        .attr(
            "user_count",
            computed(AttrType::Number, "How many users the population holds."),
        )
}

/// The singular data source's attributes from PingOne's population.
pub fn data_from_api(api: &serde_json::Value, config: &Value) -> Result<Value, String> {
    let Value::Object(mut attrs) = from_api(api, config)? else {
        return Err("the population is not an object".to_string());
    };
    let policy = json_string(api, "/passwordPolicy/id");
    attrs.insert("password_policy_id".into(), policy);
    attrs.insert("population_id".into(), json_string(api, "/id"));
    attrs.insert(
        "default".into(),
        match json_bool(api, "/default") {
            Value::Null => Value::Bool(false),
            known => known,
        },
    );
    let count = api
        .get("userCount")
        .and_then(serde_json::Value::as_f64)
        .map_or(Value::Null, Value::Number);
    attrs.insert("user_count".into(), count);
    Ok(Value::Object(attrs))
}

/// The `pingone_population` data source.
pub(crate) struct Population;

#[async_trait]
impl DataSource for Population {
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
        let key = exactly_one_of(address, config, &["population_id", "name"])?;
        let wanted = required(address, config, key)?;
        let missing = || {
            not_found(
                address,
                "Population not found",
                format!("The population {wanted:?} for environment {env} cannot be found"),
            )
        };
        let found = if key == "population_id" {
            get_or(
                client,
                address,
                &["environments", &env, PLURAL, &wanted],
                missing,
            )
            .await?
        } else {
            let filter = format!("name eq \"{}\"", scim_escape(&wanted));
            client
                .list_all_filtered(&["environments", &env, PLURAL], PLURAL, &filter)
                .await
                .map_err(|e| api_error(address, e))?
                .into_iter()
                .find(|p| has_name(p, "name", &wanted, true))
                .ok_or_else(missing)?
        };
        data_from_api(&found, config).map_err(|e| api_shape_error(&operation(address), e))
    }
}

/// The `pingone_populations` data source: the IDs a filter selects in an environment.
pub(crate) struct Populations;

#[async_trait]
impl DataSource for Populations {
    fn type_name(&self) -> &'static str {
        PLURAL_TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        BlockSchema::default()
            .attr(
                "id",
                super::schema::computed_string("The environment's ID."),
            )
            .attr(
                "environment_id",
                required_attr("The environment that holds the populations."),
            )
            .attr(
                "scim_filter",
                scim_filter(
                    Presence::Optional,
                    "A SCIM filter on id and name; set exactly one of scim_filter and data_filters.",
                ),
            )
            .attr(
                "data_filters",
                data_filters("[{ name = \"id\" | \"name\", values = [...] }]; set exactly one of scim_filter and data_filters."),
            )
            .attr("ids", super::schema::ids("The selected populations' IDs."))
    }

    async fn read(
        &self,
        client: &Client,
        address: &str,
        config: &Value,
    ) -> Result<Value, ProviderError> {
        let env = required(address, config, "environment_id")?;
        let filter = selection(address, config, FILTERABLE)?.scim();
        let found = client
            .list_all_filtered(&["environments", &env, PLURAL], PLURAL, &filter)
            .await
            .map_err(|e| api_error(address, e))?;
        Ok(with_arguments(
            config,
            ("environment_id", &env),
            ids(&found),
        ))
    }
}
