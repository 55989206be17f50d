//! Request extractors whose failures are PingOne error bodies, never axum's plain-text
//! rejections: JSON object bodies, path parameters, and the request's own URL (for HAL links).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{StatusCode, header, request::Parts};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api_error::{ApiError, Detail};

/// A JSON request body that must be an object.
#[derive(Debug)]
pub(crate) struct JsonObject(pub(crate) Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "INVALID_REQUEST",
                "The request could not be completed. The Content-Type must be application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => crate::traffic::too_large(),
                status => ApiError::new(status, "INVALID_REQUEST", rejection.body_text()),
            }
        })?;
        parse_object(&bytes).map(JsonObject)
    }
}

/// Whether a Content-Type is JSON (`application/json` or `application/*+json`).
fn is_json(value: Option<&header::HeaderValue>) -> bool {
    let Some(mime) = value.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses a body as a JSON object, or fails with 400 `INVALID_DATA`.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let malformed = |message: String| {
        ApiError::invalid_data(vec![Detail::new("INVALID_VALUE", message).target("body")])
    };
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(malformed("The request body must be a JSON object.".into())),
        Err(e) => Err(malformed(format!(
            "The request body is not valid JSON: {e}."
        ))),
    }
}

/// Path parameters; a failure (which axum would report as text) becomes 400 `INVALID_REQUEST`.
#[derive(Debug)]
pub(crate) struct PathParams<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(PathParams(value)),
            Err(rejection) => Err(ApiError::invalid_request(rejection.body_text())),
        }
    }
}

/// The URL the client used: scheme and host (from the `Host` header), path and query.
#[derive(Debug, Clone)]
pub(crate) struct RequestUrl {
    /// `http://host:port`.
    pub(crate) base: String,
    /// The path, e.g. `/v1/environments`.
    pub(crate) path: String,
    /// The raw query string, without `?`.
    pub(crate) query: Option<String>,
}

impl RequestUrl {
    /// The full URL, as the client sent it.
    pub(crate) fn full(&self) -> String {
        match &self.query {
            Some(q) if !q.is_empty() => format!("{}{}?{q}", self.base, self.path),
            _ => format!("{}{}", self.base, self.path),
        }
    }

    /// The base URL joined with another path.
    pub(crate) fn at(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestUrl {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(request_url(parts))
    }
}

fn request_url(parts: &Parts) -> RequestUrl {
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| "localhost".to_owned());
    RequestUrl {
        base: format!("http://{host}"),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn json_content_types() {
        let yes = [
            "application/json",
            "application/json; charset=utf-8",
            "application/vnd.pingidentity.user.import+json",
        ];
        for mime in yes {
            assert!(is_json(Some(&HeaderValue::from_static(mime))), "{mime}");
        }
        assert!(!is_json(Some(&HeaderValue::from_static("text/plain"))));
        assert!(!is_json(None));
    }

    #[test]
    fn malformed_json_is_invalid_data() {
        let error = parse_object(b"{\"name\": ").expect_err("error");
        assert_eq!(
            (error.status(), error.code()),
            (StatusCode::BAD_REQUEST, "INVALID_DATA")
        );
        assert!(parse_object(b"[1]").is_err());
        assert!(parse_object(b"{}").is_ok());
    }

    #[test]
    fn request_url_uses_the_host_header() {
        let (parts, ()) = axum::http::Request::builder()
            .uri("/v1/x?limit=1")
            .header(header::HOST, "127.0.0.1:9")
            .body(())
            .expect("request")
            .into_parts();
        let url = request_url(&parts);
        assert_eq!(url.full(), "http://127.0.0.1:9/v1/x?limit=1");
        assert_eq!(url.at("/v1/y"), "http://127.0.0.1:9/v1/y");
    }
}
