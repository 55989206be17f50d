//! What can go wrong talking to PingOne, and how it is worded for the user.
//!
//! [`ApiError`] carries PingOne's error body (`id`, `code`, `message`, `details[]`);
//! [`ClientError`] adds the failures that happen before PingOne answers, and
//! [`ClientError::to_provider_error`] prefixes the operation and picks the error kind.
//! No variant ever holds a secret or a token.

use std::fmt;

use engine::provider::{ProviderError, ProviderErrorKind};
use serde::Deserialize;

/// Which PingOne endpoint a request went to; it decides the hint in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// The management API (`api_url`).
    Api,
    /// The token endpoint (`auth_url`).
    Token,
}

impl Endpoint {
    /// The setting that decides this endpoint's URL, for hints.
    fn setting(self) -> &'static str {
        match self {
            Endpoint::Api => "api_url (PINGONE_API_URL) or region_code (PINGONE_REGION_CODE)",
            Endpoint::Token => "auth_url (PINGONE_AUTH_URL) or region_code (PINGONE_REGION_CODE)",
        }
    }

    /// What the endpoint is called in messages.
    fn label(self) -> &'static str {
        match self {
            Endpoint::Api => "the PingOne API",
            Endpoint::Token => "a PingOne token endpoint",
        }
    }
}

/// One entry of a PingOne error's `details` array.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ErrorDetail {
    /// The detail code, such as `UNIQUENESS_VIOLATION` or `INVALID_VALUE`.
    #[serde(default)]
    pub code: Option<String>,
    /// The attribute the detail is about, such as `name`.
    #[serde(default)]
    pub target: Option<String>,
    /// PingOne's explanation.
    #[serde(default)]
    pub message: Option<String>,
    /// What PingOne's `innerError` says: accepted values, the existing object's id.
    #[serde(default, rename = "innerError", deserialize_with = "inner_error")]
    pub inner: InnerError,
}

/// The parts of a detail's `innerError` the provider uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InnerError {
    /// Values PingOne would have accepted (`allowedValues`), when it says.
    pub allowed_values: Vec<String>,
    /// The object that already holds a unique value (`existingId`, with `UNIQUENESS_VIOLATION`).
    pub existing_id: Option<String>,
}

/// Reads `innerError.allowedValues` and `existingId`, ignoring the other inner-error keys.
fn inner_error<'de, D: serde::Deserializer<'de>>(d: D) -> Result<InnerError, D::Error> {
    #[derive(Deserialize)]
    struct Inner {
        #[serde(default, rename = "allowedValues")]
        allowed_values: Vec<serde_json::Value>,
        #[serde(default, rename = "existingId")]
        existing_id: Option<serde_json::Value>,
    }
    let inner = Option::<Inner>::deserialize(d)?;
    Ok(inner
        .map(|i| InnerError {
            allowed_values: i.allowed_values.iter().map(json_text).collect(),
            existing_id: i.existing_id.as_ref().map(json_text),
        })
        .unwrap_or_default())
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An error answer from the PingOne API.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct ApiError {
    /// The HTTP method of the request.
    pub method: String,
    /// The request's path, such as `/v1/environments/…/populations`.
    pub path: String,
    /// The HTTP status.
    pub status: u16,
    /// PingOne's top-level code, such as `INVALID_DATA` or `NOT_FOUND`.
    pub code: String,
    /// PingOne's message.
    pub message: String,
    /// PingOne's details, often naming the offending attribute.
    pub details: Vec<ErrorDetail>,
    /// PingOne's error `id`, which PingOne support can correlate with its logs.
    pub id: Option<String>,
}

impl ApiError {
    /// True for a 404 or a `NOT_FOUND` code.
    pub fn is_not_found(&self) -> bool {
        self.status == 404 || self.code == "NOT_FOUND"
    }
}

/// `PingOne refused POST /v1/…: HTTP 400 INVALID_DATA: <message>`, then one line per
/// detail, then the error id.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PingOne refused {} {}: HTTP {} {}: {}",
            self.method, self.path, self.status, self.code, self.message
        )?;
        for detail in &self.details {
            write!(f, "\n  - {}", DetailLine(detail))?;
        }
        if let Some(id) = &self.id {
            write!(f, "\n  (PingOne error id {id})")?;
        }
        Ok(())
    }
}

/// One detail as `target: CODE: message (allowed: a, b)`.
struct DetailLine<'a>(&'a ErrorDetail);

impl fmt::Display for DetailLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let parts: Vec<&str> = [&d.target, &d.code, &d.message]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        f.write_str(&parts.join(": "))?;
        if !d.inner.allowed_values.is_empty() {
            write!(f, " (allowed: {})", d.inner.allowed_values.join(", "))?;
        }
        Ok(())
    }
}

/// A failure of a request to PingOne.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// PingOne answered with an error (boxed: it is much larger than the other variants).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// No answer: connection refused, DNS failure, timeout, TLS failure.
    #[error("could not reach PingOne at {url}: {reason}; check {}", endpoint.setting())]
    Unreachable {
        /// The endpoint the request was for.
        endpoint: Endpoint,
        /// The URL that failed.
        url: String,
        /// Why, such as "connection refused".
        reason: String,
    },
    /// An answer that is not the PingOne API's (HTML, plain text, a redirect, bad JSON).
    #[error(
        "{url} answered HTTP {status} with {summary}, which does not look like {}; check {}",
        endpoint.label(),
        endpoint.setting()
    )]
    Unrecognized {
        /// The endpoint the request was for.
        endpoint: Endpoint,
        /// The URL that answered.
        url: String,
        /// The HTTP status.
        status: u16,
        /// A short description of the body, such as `a text/html body "<html>…"`.
        summary: String,
    },
    /// The token endpoint refused the credentials.
    #[error(
        "could not get a PingOne access token from {url}: HTTP {status} {error}{}; \
         check client_id, client_secret and environment_id \
         (PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET, PINGONE_ENVIRONMENT_ID)",
        description.as_deref().map(clause).unwrap_or_default()
    )]
    TokenRefused {
        /// The token URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The OAuth `error`, such as `invalid_client`.
        error: String,
        /// The OAuth `error_description`, when given.
        description: Option<String>,
    },
    /// PingOne answered 401 to a request made with the `api_access_token` setting.
    #[error(
        "PingOne refused the api_access_token (PINGONE_API_ACCESS_TOKEN) with HTTP 401 for \
         {method} {path}: the token is invalid or has expired; get a new token, or use a \
         worker application's client_id, client_secret and environment_id instead"
    )]
    AccessTokenRejected {
        /// The HTTP method of the refused request.
        method: String,
        /// The request's path.
        path: String,
    },
    /// The response was PingOne's but lacked something the provider needs.
    #[error("unexpected answer from PingOne at {url}: {problem}")]
    Unexpected {
        /// The URL that answered.
        url: String,
        /// What was wrong with it.
        problem: String,
    },
    /// The HTTP client could not be built (for example, no TLS roots).
    #[error("could not set up the HTTP client: {0}")]
    Setup(String),
}

/// `: <text>` without the text's final period, to continue the sentence after it.
fn clause(text: &str) -> String {
    format!(": {}", text.trim().trim_end_matches('.'))
}

impl From<ApiError> for ClientError {
    fn from(e: ApiError) -> Self {
        ClientError::Api(Box::new(e))
    }
}

impl ClientError {
    /// True when PingOne said the object (or its environment) does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ClientError::Api(e) if e.is_not_found())
    }

    /// The id of the object that already exists, when PingOne refused a create with a
    /// `UNIQUENESS_VIOLATION` detail carrying `innerError.existingId` (API.md §4.3).
    pub fn existing_id(&self) -> Option<&str> {
        let ClientError::Api(e) = self else {
            return None;
        };
        e.details
            .iter()
            .filter(|d| d.code.as_deref() == Some("UNIQUENESS_VIOLATION"))
            .find_map(|d| d.inner.existing_id.as_deref())
    }

    /// PingOne's message and first detail message, for message-based retry predicates.
    pub fn messages(&self) -> Vec<&str> {
        let ClientError::Api(e) = self else {
            return Vec::new();
        };
        std::iter::once(e.message.as_str())
            .chain(e.details.iter().filter_map(|d| d.message.as_deref()))
            .collect()
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api(e) => Some(e.status),
            _ => None,
        }
    }

    /// The kind of provider error this is.
    pub fn kind(&self) -> ProviderErrorKind {
        match self {
            ClientError::Api(_) | ClientError::Unexpected { .. } => ProviderErrorKind::Api,
            ClientError::Unreachable { .. } | ClientError::Unrecognized { .. } => {
                ProviderErrorKind::Connection
            }
            // A 4xx from the token endpoint means the credentials are wrong; a 429 or 5xx
            // that outlived the retries means the service is not usable right now.
            ClientError::TokenRefused { status, .. } if *status < 500 && *status != 429 => {
                ProviderErrorKind::Configuration
            }
            ClientError::TokenRefused { .. } => ProviderErrorKind::Connection,
            ClientError::Setup(_) | ClientError::AccessTokenRejected { .. } => {
                ProviderErrorKind::Configuration
            }
        }
    }

    /// The error as the engine reports it, prefixed by the operation, such as
    /// `create pingone_population.staff`.
    pub fn to_provider_error(&self, operation: &str) -> ProviderError {
        ProviderError::new(self.kind(), format!("{operation}: {self}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duplicate_name() -> ApiError {
        ApiError {
            method: "POST".into(),
            path: "/v1/environments/e1/populations".into(),
            status: 400,
            code: "INVALID_DATA".into(),
            message: "The request could not be completed. One or more validation errors were in the request.".into(),
            details: vec![ErrorDetail {
                code: Some("UNIQUENESS_VIOLATION".into()),
                target: Some("name".into()),
                message: Some("name must be unique".into()),
                inner: InnerError::default(),
            }],
            id: Some("6c796712-0f16-4062-815a-e0a92f4a2143".into()),
        }
    }

    #[test]
    fn api_error_names_operation_code_details_and_id() {
        let err = ClientError::from(duplicate_name())
            .to_provider_error("create pingone_population.staff");
        assert_eq!(err.kind, ProviderErrorKind::Api);
        let m = &err.message;
        assert!(m.starts_with("create pingone_population.staff: PingOne refused POST /v1/environments/e1/populations: HTTP 400 INVALID_DATA: The request could not be completed."), "{m}");
        assert!(
            m.contains("\n  - name: UNIQUENESS_VIOLATION: name must be unique"),
            "{m}"
        );
        assert!(
            m.contains("(PingOne error id 6c796712-0f16-4062-815a-e0a92f4a2143)"),
            "{m}"
        );
    }

    #[test]
    fn details_parse_from_pingone_json_with_allowed_values() {
        let json = serde_json::json!({
            "code": "INVALID_VALUE", "target": "region", "message": "bad region",
            "innerError": {"allowedValues": ["NA", "EU"], "other": 1}
        });
        let detail: ErrorDetail = serde_json::from_value(json).unwrap();
        assert_eq!(detail.inner.allowed_values, vec!["NA", "EU"]);
        assert_eq!(
            DetailLine(&detail).to_string(),
            "region: INVALID_VALUE: bad region (allowed: NA, EU)"
        );
        let bare: ErrorDetail = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!(bare, ErrorDetail::default());
    }

    #[test]
    fn unreachable_is_one_line_with_url_and_hint() {
        let err = ClientError::Unreachable {
            endpoint: Endpoint::Api,
            url: "http://127.0.0.1:9/v1/environments/e/populations".into(),
            reason: "connection refused".into(),
        }
        .to_provider_error("read pingone_population");
        assert_eq!(err.kind, ProviderErrorKind::Connection);
        assert_eq!(
            err.message,
            "read pingone_population: could not reach PingOne at http://127.0.0.1:9/v1/environments/e/populations: \
             connection refused; check api_url (PINGONE_API_URL) or region_code (PINGONE_REGION_CODE)"
        );
        assert!(!err.message.contains('\n'));
    }

    #[test]
    fn unrecognized_says_it_is_not_pingone() {
        let err = ClientError::Unrecognized {
            endpoint: Endpoint::Api,
            url: "http://127.0.0.1:8/v1/x".into(),
            status: 404,
            summary: "a text/plain body \"404 page not found\"".into(),
        };
        assert_eq!(err.kind(), ProviderErrorKind::Connection);
        let text = err.to_string();
        assert!(text.contains("HTTP 404"), "{text}");
        assert!(
            text.contains("does not look like the PingOne API"),
            "{text}"
        );
    }

    #[test]
    fn token_refusal_is_a_configuration_error_naming_the_variables() {
        let err = ClientError::TokenRefused {
            url: "http://127.0.0.1:8/e/as/token".into(),
            status: 401,
            error: "invalid_client".into(),
            description: Some("Client authentication failed.".into()),
        };
        assert_eq!(err.kind(), ProviderErrorKind::Configuration);
        let text = err.to_string();
        assert!(text.contains("http://127.0.0.1:8/e/as/token"), "{text}");
        assert!(
            text.contains("invalid_client: Client authentication failed"),
            "{text}"
        );
        assert!(text.contains("PINGONE_CLIENT_SECRET"), "{text}");
        let busy = ClientError::TokenRefused {
            url: String::new(),
            status: 503,
            error: "unavailable".into(),
            description: None,
        };
        assert_eq!(busy.kind(), ProviderErrorKind::Connection);
    }

    #[test]
    fn not_found_is_recognised_by_status_or_code() {
        let mut e = duplicate_name();
        assert!(!ClientError::from(e.clone()).is_not_found());
        e.status = 404;
        assert!(ClientError::from(e.clone()).is_not_found());
        e.status = 400;
        e.code = "NOT_FOUND".into();
        assert!(e.is_not_found());
    }
}
