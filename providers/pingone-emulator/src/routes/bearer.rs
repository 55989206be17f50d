//! The access check in front of every `/v1` route: the bearer token, then the caller's
//! permission for the route ([`crate::permissions::check`]), under one read of the tenant.
//!
//! A missing, malformed, expired or badly signed token, or one for an application that no
//! longer exists, is a 401 `ACCESS_FAILED` with detail `INVALID_TOKEN`; a call the caller's
//! roles do not allow is PingOne's 403.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::Emulator;
use crate::api_error::ApiError;
use crate::permissions::{self, Actor};
use crate::token::Claims;

/// Middleware: verifies the bearer token and the caller's permission, and puts the token's
/// [`Claims`] in the request extensions.
pub(crate) async fn require_access(
    State(emulator): State<Emulator>,
    mut request: Request,
    next: Next,
) -> Response {
    match authorize(&emulator, &request) {
        Ok(claims) => {
            request.extensions_mut().insert(claims);
            next.run(request).await
        }
        Err(error) => error.into_response(),
    }
}

fn authorize(emulator: &Emulator, request: &Request) -> Result<Arc<Claims>, ApiError> {
    let token = bearer_token(request.headers())?;
    let claims = emulator
        .tokens()
        .verify(emulator.key(), token)
        .map_err(ApiError::invalid_token)?;
    let pattern = request
        .extensions()
        .get::<MatchedPath>()
        .ok_or_else(ApiError::forbidden)?;
    let actor = emulator.actor(&claims.client_id);
    emulator.store().read(|data| {
        let known = data.organization.id == claims.org
            && data.application(&claims.env, &claims.client_id).is_some();
        if !known {
            return Err(ApiError::invalid_token(
                "The access token's client no longer exists.",
            ));
        }
        permissions::check(
            data,
            actor,
            request.method(),
            pattern.as_str(),
            request.uri().path(),
        )
    })?;
    Ok(claims)
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
            .get::<Arc<Claims>>()
            .ok_or_else(|| ApiError::invalid_token("The request has no access token."))?;
        let settled_until = emulator.actor(&claims.client_id).settled_until();
        Ok(Caller {
            id: claims.client_id.clone(),
            environment_id: claims.env.clone(),
            settled_until,
        })
    }
}
