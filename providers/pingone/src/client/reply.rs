//! One HTTP answer, read whole, and its interpretation: PingOne JSON, a PingOne error
//! body, or something that is not PingOne at all. Also words transport failures.

use std::error::Error as _;
use std::time::{Duration, SystemTime};

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use url::Url;

use super::error::{ApiError, ClientError, Endpoint, ErrorDetail};
use super::retry;

/// A response with its body read.
#[derive(Debug)]
pub(crate) struct Reply {
    /// The request's method.
    pub(crate) method: Method,
    /// The request's URL.
    pub(crate) url: Url,
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The response headers.
    pub(crate) headers: HeaderMap,
    /// The whole body.
    pub(crate) body: Vec<u8>,
}

/// PingOne's error body (API.md §8.1).
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    id: Option<String>,
    code: String,
    message: String,
    #[serde(default)]
    details: Vec<ErrorDetail>,
}

impl Reply {
    /// Reads a response whole.
    pub(crate) async fn read(
        method: Method,
        url: Url,
        response: reqwest::Response,
        endpoint: Endpoint,
    ) -> Result<Self, ClientError> {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| unreachable(endpoint, &url, &e))?
            .to_vec();
        Ok(Self {
            method,
            url,
            status,
            headers,
            body,
        })
    }

    /// The `Retry-After` header as a duration, if present and readable.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        let value = self.headers.get(RETRY_AFTER)?.to_str().ok()?;
        retry::parse_retry_after(value, SystemTime::now())
    }

    /// A success body as JSON: `Null` for an empty body (204), an error if it is not JSON.
    pub(crate) fn success_json(
        &self,
        endpoint: Endpoint,
    ) -> Result<serde_json::Value, ClientError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(&self.body).map_err(|_| self.unrecognized(endpoint))
    }

    /// The error this non-success reply stands for: PingOne's error, or "not PingOne".
    pub(crate) fn api_error(&self) -> ClientError {
        match serde_json::from_slice::<ErrorBody>(&self.body) {
            Ok(body) => ClientError::from(ApiError {
                method: self.method.to_string(),
                path: self.url.path().to_string(),
                status: self.status.as_u16(),
                code: body.code,
                message: body.message,
                details: body.details,
                id: body.id,
            }),
            Err(_) => self.unrecognized(Endpoint::Api),
        }
    }

    /// "This is not the service we expected", with a short, single-line sample of the body.
    pub(crate) fn unrecognized(&self, endpoint: Endpoint) -> ClientError {
        ClientError::Unrecognized {
            endpoint,
            url: self.url.to_string(),
            status: self.status.as_u16(),
            summary: self.summary(),
        }
    }

    fn summary(&self) -> String {
        if self.status.is_redirection() {
            let to = self
                .headers
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("elsewhere");
            return format!("a redirect to {to}");
        }
        if self.body.is_empty() {
            return "an empty body".to_string();
        }
        let content_type = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("untyped");
        format!("a {content_type} body {:?}", sample(&self.body))
    }
}

/// The first 80 characters of a body, on one line.
fn sample(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(81)
        .collect();
    if one_line.chars().count() > 80 {
        format!("{}…", one_line.chars().take(80).collect::<String>())
    } else {
        one_line
    }
}

/// A transport failure as [`ClientError::Unreachable`], with the most specific reason.
pub(crate) fn unreachable(endpoint: Endpoint, url: &Url, err: &reqwest::Error) -> ClientError {
    ClientError::Unreachable {
        endpoint,
        url: url.to_string(),
        reason: transport_reason(err),
    }
}

/// "connection refused", "timed out", or the innermost cause's words.
fn transport_reason(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        return "timed out".to_string();
    }
    let mut innermost: Option<&(dyn std::error::Error + 'static)> = None;
    let mut source = err.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return io_reason(io);
        }
        innermost = Some(cause);
        source = cause.source();
    }
    innermost.map_or_else(|| err.to_string(), ToString::to_string)
}

fn io_reason(io: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match io.kind() {
        ErrorKind::ConnectionRefused => "connection refused".to_string(),
        ErrorKind::ConnectionReset => "connection reset".to_string(),
        ErrorKind::ConnectionAborted => "connection aborted".to_string(),
        ErrorKind::TimedOut => "timed out".to_string(),
        _ => io.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, content_type: &str, body: &str) -> Reply {
        let mut headers = HeaderMap::new();
        if let Ok(v) = content_type.parse() {
            headers.insert(CONTENT_TYPE, v);
        }
        Reply {
            method: Method::POST,
            url: Url::parse("http://127.0.0.1:9/v1/environments/e/populations").unwrap(),
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn pingone_error_bodies_become_api_errors() {
        let r = reply(
            400,
            "application/json",
            r#"{"id":"abc","code":"INVALID_DATA","message":"bad","details":[{"code":"UNIQUENESS_VIOLATION","target":"name","message":"dup"}]}"#,
        );
        let ClientError::Api(e) = r.api_error() else {
            panic!("not an API error");
        };
        assert_eq!(
            (e.status, e.code.as_str(), e.id.as_deref()),
            (400, "INVALID_DATA", Some("abc"))
        );
        assert_eq!(e.path, "/v1/environments/e/populations");
        assert_eq!(e.details[0].target.as_deref(), Some("name"));
    }

    #[test]
    fn html_and_text_errors_are_not_pingone() {
        let r = reply(
            404,
            "text/html",
            "<html>\n  <body>Not   Found</body></html>",
        );
        let err = r.api_error();
        let text = err.to_string();
        assert!(text.contains("HTTP 404"), "{text}");
        assert!(
            text.contains(r#"a text/html body "<html> <body>Not Found</body></html>""#),
            "{text}"
        );
        assert!(matches!(err, ClientError::Unrecognized { .. }));
        // JSON, but not PingOne's error shape.
        assert!(matches!(
            reply(500, "application/json", r#"{"error":"x"}"#).api_error(),
            ClientError::Unrecognized { .. }
        ));
    }

    #[test]
    fn success_bodies_must_be_json_or_empty() {
        assert_eq!(
            reply(204, "", "").success_json(Endpoint::Api).unwrap(),
            serde_json::Value::Null
        );
        assert!(
            reply(200, "application/json", r#"{"a":1}"#)
                .success_json(Endpoint::Api)
                .is_ok()
        );
        assert!(
            reply(200, "text/html", "<html>")
                .success_json(Endpoint::Api)
                .is_err()
        );
    }

    #[test]
    fn samples_are_short_and_single_line() {
        let long = "x".repeat(200);
        let s = sample(long.as_bytes());
        assert_eq!(s.chars().count(), 81);
        assert!(s.ends_with('…'));
        assert_eq!(sample(b"a\nb\tc"), "a b c");
    }
}
