//! The argument rules data sources share: required and optional arguments, Terraform's
//! ExactlyOneOf, and the "not found" error, each naming the data source's address.

use engine::Value;
use engine::provider::{ProviderError, ProviderErrorKind};

use crate::client::{Client, ClientError};
use crate::values::{IfUnknown, opt_string};

/// The operation words of a data source's API errors: `read data.pingone_role.admin`.
pub(crate) fn operation(address: &str) -> String {
    format!("read {address}")
}

/// An error in the arguments of the data source at `address`.
pub(crate) fn invalid_argument(address: &str, problem: impl std::fmt::Display) -> ProviderError {
    ProviderError::new(
        ProviderErrorKind::Configuration,
        format!("{address}: {problem}"),
    )
}

/// The data source found nothing: Terraform's summary and detail, after the address.
pub(crate) fn not_found(
    address: &str,
    summary: &str,
    detail: impl std::fmt::Display,
) -> ProviderError {
    ProviderError::new(
        ProviderErrorKind::Api,
        format!("{address}: {summary}: {detail}"),
    )
}

/// A PingOne error while reading the data source at `address`.
pub(crate) fn api_error(address: &str, error: ClientError) -> ProviderError {
    error.to_provider_error(&operation(address))
}

/// `GET /v1/<segments>`, or `missing()` when PingOne answers 404.
pub(crate) async fn get_or(
    client: &Client,
    address: &str,
    segments: &[&str],
    missing: impl FnOnce() -> ProviderError,
) -> Result<serde_json::Value, ProviderError> {
    match client.get(segments).await {
        Ok(found) => Ok(found),
        Err(e) if e.is_not_found() => Err(missing()),
        Err(e) => Err(api_error(address, e)),
    }
}

/// A string argument, `None` when not set; an empty string is refused.
pub(crate) fn optional(
    address: &str,
    config: &Value,
    name: &str,
) -> Result<Option<String>, ProviderError> {
    match opt_string(config, name, IfUnknown::Refuse).map_err(|e| invalid_argument(address, e))? {
        Some(value) if value.is_empty() => Err(invalid_argument(
            address,
            format!("{name} must not be empty"),
        )),
        other => Ok(other),
    }
}

/// A string argument that must be set.
pub(crate) fn required(address: &str, config: &Value, name: &str) -> Result<String, ProviderError> {
    optional(address, config, name)?.ok_or_else(|| {
        invalid_argument(
            address,
            format!("the argument {name} is required but not set"),
        )
    })
}

/// Terraform's ExactlyOneOf: which of `names` is set (and is not null). None or
/// several set is an error that lists them.
pub(crate) fn exactly_one_of<'a>(
    address: &str,
    config: &Value,
    names: &[&'a str],
) -> Result<&'a str, ProviderError> {
    let set: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| config.get(n).is_some_and(|v| !v.is_null()))
        .collect();
    match set.as_slice() {
        [one] => Ok(one),
        [] => Err(invalid_argument(
            address,
            format!(
                "exactly one of {} must be set, but none is",
                listing(names, "or")
            ),
        )),
        several => Err(invalid_argument(
            address,
            format!(
                "exactly one of {} must be set, but {} are set; keep one",
                listing(names, "or"),
                listing(several, "and")
            ),
        )),
    }
}

/// `a`, `a or b`, `a, b or c` (with `conjunction`), each in backquotes.
fn listing(names: &[&str], conjunction: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} {conjunction} {last}", rest.join(", "))
        }
        _ => quoted.join(""),
    }
}

/// True when the JSON item's string `key` equals `wanted`, exactly or ignoring case.
pub(crate) fn has_name(
    item: &serde_json::Value,
    key: &str,
    wanted: &str,
    ignore_case: bool,
) -> bool {
    let Some(name) = item.get(key).and_then(serde_json::Value::as_str) else {
        return false;
    };
    if ignore_case {
        name.to_lowercase() == wanted.to_lowercase()
    } else {
        name == wanted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::object;

    const ADDR: &str = "data.pingone_user.x";

    #[test]
    fn exactly_one_of_names_what_is_wrong() {
        let names = ["user_id", "username", "email"];
        let one = object([("username", "ada".into()), ("email", Value::Null)]);
        assert_eq!(exactly_one_of(ADDR, &one, &names).ok(), Some("username"));
        let none = exactly_one_of(ADDR, &object([]), &names).unwrap_err();
        assert_eq!(
            none.message,
            "data.pingone_user.x: exactly one of `user_id`, `username` or `email` must be set, but none is"
        );
        assert_eq!(none.kind, ProviderErrorKind::Configuration);
        let both = object([("user_id", "u".into()), ("email", "e".into())]);
        let err = exactly_one_of(ADDR, &both, &names).unwrap_err();
        assert!(
            err.message
                .contains("but `user_id` and `email` are set; keep one"),
            "{}",
            err.message
        );
    }

    #[test]
    fn arguments_are_strings_and_not_empty() {
        let v = object([
            ("a", "x".into()),
            ("e", "".into()),
            ("n", Value::Number(1.0)),
        ]);
        assert_eq!(required(ADDR, &v, "a").ok(), Some("x".to_string()));
        assert!(
            required(ADDR, &v, "b")
                .unwrap_err()
                .message
                .contains("b is required")
        );
        assert!(
            optional(ADDR, &v, "e")
                .unwrap_err()
                .message
                .contains("must not be empty")
        );
        assert!(
            optional(ADDR, &v, "n")
                .unwrap_err()
                .message
                .starts_with(ADDR)
        );
    }

    #[test]
    fn names_match_exactly_or_ignoring_case() {
        let item = serde_json::json!({"name": "Identity Data Admin"});
        assert!(has_name(&item, "name", "Identity Data Admin", false));
        assert!(!has_name(&item, "name", "identity data admin", false));
        assert!(has_name(&item, "name", "identity data admin", true));
        assert!(!has_name(&item, "other", "x", true));
    }
}
