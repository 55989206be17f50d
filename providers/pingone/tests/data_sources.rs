//! Every data source against the in-process emulator: found by ID and by name, not
//! found, ExactlyOneOf violated, filtered, and (for the plural ones) paged beyond one
//! page. One module per family under `data_sources/`.

mod support;

#[path = "data_sources/environments.rs"]
mod environments;
#[path = "data_sources/organization.rs"]
mod organization;
#[path = "data_sources/populations.rs"]
mod populations;
#[path = "data_sources/roles.rs"]
mod roles;
#[path = "data_sources/users.rs"]
mod users;

use engine::Value;
use engine::provider::{Provider, ProviderError, ReadDataRequest};
use pingone::ClientOptions;
use support::{Harness, obj, start_with_options};

/// A harness whose list calls ask for `page_limit` items a page, so that a few
/// objects already span several pages.
async fn paged(page_limit: u32) -> Harness {
    start_with_options(options(page_limit)).await
}

/// Client options asking for `page_limit` items a page.
fn options(page_limit: u32) -> ClientOptions {
    ClientOptions {
        page_limit,
        ..ClientOptions::default()
    }
}

/// The address every read uses: `data.<type>.test`.
fn address(type_name: &str) -> String {
    format!("data.{type_name}.test")
}

/// Reads a data source with these arguments.
async fn read(
    h: &Harness,
    type_name: &str,
    config: &[(&str, Value)],
) -> Result<Value, ProviderError> {
    h.provider
        .read_data(ReadDataRequest {
            type_name: type_name.into(),
            address: address(type_name),
            config: obj(config),
        })
        .await
}

/// Reads a data source that must be found, and checks the engine's contract: every
/// attribute of its schema, all known.
async fn found(h: &Harness, type_name: &str, config: &[(&str, Value)]) -> Value {
    let value = read(h, type_name, config)
        .await
        .unwrap_or_else(|e| panic!("read {type_name}: {}", e.message));
    let schema = &h.provider.schema().data_sources[type_name];
    let Value::Object(attrs) = &value else {
        panic!("{type_name} read {value}")
    };
    let got: Vec<&String> = attrs.keys().collect();
    let wanted: Vec<&String> = schema.attributes.keys().collect();
    assert_eq!(got, wanted, "{type_name} returns exactly its schema");
    assert!(value.is_wholly_known(), "{value}");
    value
}

/// The message of a read that must fail; it names the data source's address.
async fn failure(h: &Harness, type_name: &str, config: &[(&str, Value)]) -> String {
    let message = read(h, type_name, config)
        .await
        .err()
        .map(|e| e.message)
        .unwrap_or_else(|| panic!("{type_name} {config:?} was read"));
    assert!(
        message.contains(&address(type_name)),
        "the error names the address: {message}"
    );
    message
}

/// The `ids` of a plural data source, as strings.
fn ids(value: &Value) -> Vec<String> {
    match value.get("ids") {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        other => panic!("no ids: {other:?}"),
    }
}

/// A `data_filters` element.
fn data_filter(name: &str, values: &[&str]) -> Value {
    obj(&[
        ("name", name.into()),
        (
            "values",
            Value::List(values.iter().map(|v| Value::from(*v)).collect()),
        ),
    ])
}

/// A string attribute.
fn text<'a>(value: &'a Value, name: &str) -> &'a str {
    value
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{name} missing from {value}"))
}
