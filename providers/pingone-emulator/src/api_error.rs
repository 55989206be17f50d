//! PingOne error responses (API.md §8.1): `{"id","code","message","details":[...]}` bodies.
//!
//! Every management-API failure is an [`ApiError`]; it renders with `Content-Type:
//! application/json` and a fresh UUID v4 `id`, as PingOne does.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// The top-level message PingOne uses for validation failures.
pub(crate) const VALIDATION_MESSAGE: &str =
    "The request could not be completed. One or more validation errors were in the request.";
/// The top-level message PingOne uses for a missing resource.
pub(crate) const NOT_FOUND_MESSAGE: &str =
    "The request could not be completed. The requested resource was not found.";
/// The top-level message PingOne uses when the caller may not see a resource.
pub(crate) const NO_ACCESS_MESSAGE: &str =
    "The request could not be completed. You do not have access to this resource.";

/// The top-level message PingOne uses when the caller's roles do not allow a request.
pub(crate) const FORBIDDEN_MESSAGE: &str =
    "You do not have permissions or are not licensed to make this request.";

/// One entry of an error body's `details` array.
#[derive(Debug, Clone)]
pub(crate) struct Detail {
    code: &'static str,
    target: Option<String>,
    message: String,
    inner_error: Option<Map<String, Value>>,
}

impl Detail {
    /// A detail with a code and a message.
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        Detail {
            code,
            target: None,
            message: message.into(),
            inner_error: None,
        }
    }

    /// Names the attribute or parameter the detail is about.
    pub(crate) fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// Adds one `innerError` entry.
    pub(crate) fn inner(mut self, key: &str, value: Value) -> Self {
        self.inner_error
            .get_or_insert_with(Map::new)
            .insert(key.to_owned(), value);
        self
    }

    fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("code".into(), json!(self.code));
        if let Some(target) = &self.target {
            out.insert("target".into(), json!(target));
        }
        out.insert("message".into(), json!(self.message));
        if let Some(inner) = &self.inner_error {
            out.insert("innerError".into(), Value::Object(inner.clone()));
        }
        Value::Object(out)
    }
}

/// A PingOne error response.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Vec<Detail>,
}

impl ApiError {
    /// An error with a status, a top-level code and a message, and no details yet.
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// Appends a detail.
    pub(crate) fn detail(mut self, detail: Detail) -> Self {
        self.details.push(detail);
        self
    }

    /// 400 `INVALID_DATA` with the standard validation message and the given details.
    pub(crate) fn invalid_data(details: Vec<Detail>) -> Self {
        ApiError {
            details,
            ..Self::new(StatusCode::BAD_REQUEST, "INVALID_DATA", VALIDATION_MESSAGE)
        }
    }

    /// 400 `INVALID_REQUEST` with a message.
    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_REQUEST", message)
    }

    /// 404 `NOT_FOUND` with a message.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
    }

    /// 401 `ACCESS_FAILED` / `INVALID_TOKEN`: the bearer token is missing or unusable.
    pub(crate) fn invalid_token(reason: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "ACCESS_FAILED",
            "You do not have access to this resource.",
        )
        .detail(Detail::new("INVALID_TOKEN", reason))
    }

    /// 403 `ACCESS_FAILED`: the caller may not see the resource (also what PingOne answers for
    /// calls under an environment that does not exist, API.md §8.1).
    pub(crate) fn no_access() -> Self {
        Self::new(StatusCode::FORBIDDEN, "ACCESS_FAILED", NO_ACCESS_MESSAGE).detail(Detail::new(
            "INSUFFICIENT_PERMISSIONS",
            "You do not have permissions or are not licensed to make this request.",
        ))
    }

    /// 403 `ACCESS_FAILED`: the caller's role assignments do not allow the request.
    pub(crate) fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "ACCESS_FAILED", FORBIDDEN_MESSAGE).detail(Detail::new(
            "INSUFFICIENT_PERMISSIONS",
            "The actor attempting to perform the request is not authorized.",
        ))
    }

    /// 500 `UNEXPECTED_ERROR`.
    pub(crate) fn unexpected() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "UNEXPECTED_ERROR",
            "An unexpected error occurred.",
        )
    }

    /// The HTTP status.
    #[cfg(test)]
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The top-level code.
    #[cfg(test)]
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    /// The body, with a fresh correlation `id`.
    pub(crate) fn body(&self) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), json!(uuid::Uuid::new_v4().to_string()));
        out.insert("code".into(), json!(self.code));
        out.insert("message".into(), json!(self.message));
        if !self.details.is_empty() {
            let details = self.details.iter().map(Detail::to_json).collect();
            out.insert("details".into(), Value::Array(details));
        }
        Value::Object(out)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body())
    }
}

/// A JSON response with `Content-Type: application/json`.
pub(crate) fn json_response(status: StatusCode, body: &impl serde::Serialize) -> Response {
    // Writing to a byte vector skips the formatter machinery `to_string` goes through. Only a
    // map with non-string keys can fail, and no body has one.
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_id_code_message_and_details() {
        let error = ApiError::invalid_data(vec![
            Detail::new("UNIQUENESS_VIOLATION", "taken")
                .target("name")
                .inner("existingId", json!("x")),
        ]);
        let body = error.body();
        assert_eq!(body["code"], "INVALID_DATA");
        assert_eq!(body["message"], VALIDATION_MESSAGE);
        assert_eq!(body["details"][0]["target"], "name");
        assert_eq!(body["details"][0]["innerError"]["existingId"], "x");
        let id = body["id"].as_str().unwrap_or_default();
        assert!(uuid::Uuid::parse_str(id).is_ok());
    }

    #[test]
    fn details_are_omitted_when_empty() {
        let body = ApiError::not_found("gone").body();
        assert!(body.get("details").is_none());
    }
}
