//! The bearer-token check in front of every `/v1` route: a missing, malformed, expired or
//! badly signed token, or one for an application that no longer exists, is a 401
//! `ACCESS_FAILED` with detail `INVALID_TOKEN`.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::Emulator;
use crate::api_error::ApiError;
use crate::permissions::Actor;
use crate::token::Claims;

/// Middleware: verifies the bearer token and puts its [`Claims`] in the request extensions.
pub(crate) async fn require_token(
    State(emulator): State<Emulator>,
    mut request: Request,
    next: Next,
) -> Response {
    match authenticate(&emulator, request.headers()) {
        Ok(claims) => {
            request.extensions_mut().insert(claims);
            next.run(request).await
        }
        Err(error) => error.into_response(),
    }
}

fn authenticate(emulator: &Emulator, headers: &HeaderMap) -> Result<Claims, ApiError> {
    let token = bearer_token(headers)?;
    let claims = emulator
        .tokens()
        .verify(emulator.key(), token)
        .map_err(ApiError::invalid_token)?;
    let known = emulator.store().read(|data| {
        data.organization.id == claims.org
            && data.application(&claims.env, &claims.client_id).is_some()
    });
    if known {
        Ok(claims)
    } else {
        Err(ApiError::invalid_token(
            "The access token's client no longer exists.",
        ))
    }
}

fn bearer_token(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::invalid_token("The request has no access token."))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::invalid_token("The access token is malformed."))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err(ApiError::invalid_token(
            "The Authorization header must be 'Bearer <token>'.",
        )),
    }
}

/// The authenticated caller of a `/v1` call: the application its token was issued to.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// The application's ID (the actor of role assignments).
    pub(crate) id: String,
    /// The application's environment.
    pub(crate) environment_id: String,
    /// Its role assignments created after this instant have not taken effect yet.
    settled_until: Option<DateTime<Utc>>,
}

impl Caller {
    /// The caller as permission checks see it (see [`Emulator::actor`]).
    pub(crate) fn actor(&self) -> Actor<'_> {
        Actor::new(&self.id, self.settled_until)
    }
}

impl axum::extract::FromRequestParts<Emulator> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        emulator: &Emulator,
    ) -> Result<Self, ApiError> {
        let claims = parts
            .extensions
            .get::<Claims>()
            .ok_or_else(|| ApiError::invalid_token("The request has no access token."))?;
        let settled_until = emulator.actor(&claims.client_id).settled_until();
        Ok(Caller {
            id: claims.client_id.clone(),
            environment_id: claims.env.clone(),
            settled_until,
        })
    }
}
