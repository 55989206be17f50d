//! The auth paths of an environment: `POST /{envId}/as/token` (client credentials), the JWKS
//! and the OpenID discovery document.
//!
//! Token errors use the RFC 6749 shape `{"error","error_description"}` (PingOne's exact texts
//! are undocumented, API.md §1.2). A client authenticates only with the method its application
//! is configured for: `CLIENT_SECRET_BASIC` (HTTP Basic) or `CLIENT_SECRET_POST` (form body).
//! An unknown environment is a 404 whose body carries both the OAuth and the PingOne fields.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::ok;
use crate::Emulator;
use crate::api_error::{ApiError, NOT_FOUND_MESSAGE, json_response};
use crate::extract::{PathParams, RequestUrl};
use crate::model::{Application, TenantData};
use crate::token::{self, Claims, LIFETIME_SECONDS};

/// An OAuth 2.0 error response.
#[derive(Debug)]
struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
    not_found: bool,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            error,
            description: description.into(),
            not_found: false,
        }
    }

    fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }

    fn unknown_environment(env_id: &str) -> Self {
        let description = format!("Unable to find environment with ID: '{env_id}'");
        OAuthError {
            not_found: true,
            ..Self::new(StatusCode::NOT_FOUND, "invalid_request", description)
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.error, "error_description": self.description });
        if self.not_found {
            let p1 = ApiError::not_found(NOT_FOUND_MESSAGE).body();
            if let (Some(out), Some(extra)) = (body.as_object_mut(), p1.as_object()) {
                out.extend(extra.clone());
            }
        }
        let mut response = json_response(self.status, &body);
        no_store(response.headers_mut());
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"PingOne\""),
            );
        }
        response
    }
}

fn no_store(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// `POST /{envId}/as/token`.
pub(super) async fn token(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match issue(&emulator, &env_id, &url, &headers, body) {
        Ok(body) => {
            let mut response = ok(StatusCode::OK, &body);
            no_store(response.headers_mut());
            response
        }
        Err(error) => error.into_response(),
    }
}

fn issue(
    emulator: &Emulator,
    env_id: &str,
    url: &RequestUrl,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Value, OAuthError> {
    let app = emulator
        .store()
        .read(|data| -> Result<(Application, String), OAuthError> {
            data.environment(env_id)
                .ok_or_else(|| OAuthError::unknown_environment(env_id))?;
            let form = parse_form(headers, body)?;
            let grant_type = form_value(&form, "grant_type")
                .ok_or_else(|| OAuthError::invalid_request("The request is missing grant_type."))?;
            let app = authenticate(data, env_id, headers, &form)?;
            check_grant(&app, grant_type)?;
            Ok((app, data.organization.id.clone()))
        });
    let (app, org) = app?;
    let issuer = format!("{}/{env_id}/as", url.base);
    let claims = Claims::client_credentials(issuer, env_id, &org, &app.id);
    let access_token = token::sign(emulator.key(), &claims).map_err(|error| {
        tracing::error!(%error, "could not sign an access token");
        OAuthError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "Could not issue a token.",
        )
    })?;
    Ok(
        json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": LIFETIME_SECONDS }),
    )
}

type Form = Vec<(String, String)>;

fn parse_form(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Form, OAuthError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(OAuthError::invalid_request(
            "The request body must be application/x-www-form-urlencoded.",
        ));
    }
    let body = body.map_err(|rejection| OAuthError::invalid_request(rejection.body_text()))?;
    let pairs: Form = form_urlencoded::parse(&body).into_owned().collect();
    let mut names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(OAuthError::invalid_request(
            "A request parameter is repeated.",
        ));
    }
    Ok(pairs)
}

fn form_value<'a>(form: &'a Form, name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// How the client presented its credentials.
#[derive(Debug, PartialEq, Eq)]
enum Presented {
    Basic { id: String, secret: String },
    Post { id: String, secret: String },
}

fn presented(headers: &HeaderMap, form: &Form) -> Result<Presented, OAuthError> {
    let body_id = form_value(form, "client_id");
    let body_secret = form_value(form, "client_secret");
    let Some(authorization) = headers.get(header::AUTHORIZATION) else {
        return match (body_id, body_secret) {
            (Some(id), Some(secret)) => Ok(Presented::Post {
                id: id.to_owned(),
                secret: secret.to_owned(),
            }),
            _ => Err(OAuthError::invalid_client(
                "Client authentication is required.",
            )),
        };
    };
    let (id, secret) = basic_credentials(authorization)?;
    if body_secret.is_some() || body_id.is_some_and(|body_id| body_id != id) {
        return Err(OAuthError::invalid_request(
            "The client used more than one authentication method.",
        ));
    }
    Ok(Presented::Basic { id, secret })
}

fn basic_credentials(value: &HeaderValue) -> Result<(String, String), OAuthError> {
    let malformed =
        || OAuthError::invalid_client("The Authorization header is not valid HTTP Basic.");
    let value = value.to_str().map_err(|_| malformed())?;
    let (scheme, encoded) = value.split_once(' ').ok_or_else(malformed)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(malformed());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
    Ok((form_decode(id), form_decode(secret)))
}

/// RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64.
fn form_decode(value: &str) -> String {
    form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn authenticate(
    data: &TenantData,
    env_id: &str,
    headers: &HeaderMap,
    form: &Form,
) -> Result<Application, OAuthError> {
    let presented = presented(headers, form)?;
    let (id, secret, method) = match &presented {
        Presented::Basic { id, secret } => (id, secret, "CLIENT_SECRET_BASIC"),
        Presented::Post { id, secret } => (id, secret, "CLIENT_SECRET_POST"),
    };
    let app = data
        .application(env_id, id)
        .ok_or_else(|| OAuthError::invalid_client("Client authentication failed."))?;
    if app.token_endpoint_auth_method != method {
        return Err(OAuthError::invalid_client(format!(
            "Unsupported authentication method; the application uses {}.",
            app.token_endpoint_auth_method
        )));
    }
    let matches = |expected: &str| {
        aws_lc_rs::constant_time::verify_slices_are_equal(secret.as_bytes(), expected.as_bytes())
            .is_ok()
    };
    // After a regeneration the previous secret stays valid until it expires (API.md §7.1).
    let previous_valid = app
        .previous_secret
        .as_ref()
        .is_some_and(|p| p.expires_at > chrono::Utc::now() && matches(&p.secret.0));
    if !matches(&app.secret.0) && !previous_valid {
        return Err(OAuthError::invalid_client("Client authentication failed."));
    }
    if !app.enabled {
        return Err(OAuthError::invalid_client("The application is disabled."));
    }
    Ok(app.clone())
}

fn check_grant(app: &Application, grant_type: &str) -> Result<(), OAuthError> {
    if grant_type != "client_credentials" {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            format!("The grant type '{grant_type}' is not supported."),
        ));
    }
    if !app.grant_types.iter().any(|g| g == "CLIENT_CREDENTIALS") {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "The application may not use the client_credentials grant.",
        ));
    }
    Ok(())
}

/// `GET /{envId}/as/jwks`.
pub(super) async fn jwks(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
) -> Response {
    if !emulator
        .store()
        .read(|data| data.environment(&env_id).is_some())
    {
        return OAuthError::unknown_environment(&env_id).into_response();
    }
    ok(
        StatusCode::OK,
        &json!({ "keys": [emulator.key().jwk.clone()] }),
    )
}

/// `GET /{envId}/as/.well-known/openid-configuration`.
pub(super) async fn openid_configuration(
    State(emulator): State<Emulator>,
    PathParams(env_id): PathParams<String>,
    url: RequestUrl,
) -> Response {
    if !emulator
        .store()
        .read(|data| data.environment(&env_id).is_some())
    {
        return OAuthError::unknown_environment(&env_id).into_response();
    }
    let issuer = format!("{}/{env_id}/as", url.base);
    ok(
        StatusCode::OK,
        &json!({
            "issuer": issuer,
            "token_endpoint": format!("{issuer}/token"),
            "jwks_uri": format!("{issuer}/jwks"),
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(id: &str, secret: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&value).expect("header"),
        );
        headers
    }

    fn form(pairs: &[(&str, &str)]) -> Form {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn basic_and_post_credentials_are_recognised() {
        let got = presented(&basic("a%3Ab", "s:x"), &form(&[])).expect("basic");
        assert_eq!(
            got,
            Presented::Basic {
                id: "a:b".into(),
                secret: "s:x".into()
            }
        );
        let got = presented(
            &HeaderMap::new(),
            &form(&[("client_id", "a"), ("client_secret", "s")]),
        )
        .expect("post");
        assert_eq!(
            got,
            Presented::Post {
                id: "a".into(),
                secret: "s".into()
            }
        );
    }

    #[test]
    fn ambiguous_or_missing_credentials_are_refused() {
        let both = presented(&basic("a", "s"), &form(&[("client_secret", "s")])).expect_err("both");
        assert_eq!(both.error, "invalid_request");
        let none = presented(&HeaderMap::new(), &form(&[("client_id", "a")])).expect_err("none");
        assert_eq!(none.error, "invalid_client");
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(
            presented(&bearer, &form(&[])).err().map(|e| e.status),
            Some(StatusCode::UNAUTHORIZED)
        );
    }

    fn form_headers(mut headers: HeaderMap) -> HeaderMap {
        let value = HeaderValue::from_static("application/x-www-form-urlencoded");
        headers.insert(header::CONTENT_TYPE, value);
        headers
    }

    #[test]
    fn client_secret_post_apps_authenticate_in_the_body_only() {
        let emulator = Emulator::open(None).expect("open");
        let creds = emulator.credentials("http://h");
        emulator
            .store()
            .write_now(|data| {
                let app = data
                    .applications
                    .get_mut_in(&creds.environment_id, &creds.client_id);
                if let Some(app) = app {
                    app.token_endpoint_auth_method = "CLIENT_SECRET_POST".into();
                }
                Ok(())
            })
            .expect("reconfigure");
        let url = RequestUrl {
            base: "http://h".into(),
            path: String::new(),
            query: None,
        };
        let body = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            creds.client_id, creds.client_secret
        );
        let issued = issue(
            &emulator,
            &creds.environment_id,
            &url,
            &form_headers(HeaderMap::new()),
            Ok(Bytes::from(body)),
        );
        let token = issued.expect("token")["access_token"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_default();
        assert!(token::verify(emulator.key(), &token).is_ok());
        let headers = form_headers(basic(&creds.client_id, &creds.client_secret));
        let body = Ok(Bytes::from_static(b"grant_type=client_credentials"));
        let refused =
            issue(&emulator, &creds.environment_id, &url, &headers, body).expect_err("basic");
        assert_eq!(
            (refused.status, refused.error),
            (StatusCode::UNAUTHORIZED, "invalid_client")
        );
    }

    #[test]
    fn repeated_parameters_are_invalid() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let body = Ok(Bytes::from_static(b"grant_type=a&grant_type=b"));
        assert_eq!(
            parse_form(&headers, body).err().map(|e| e.error),
            Some("invalid_request")
        );
    }
}
