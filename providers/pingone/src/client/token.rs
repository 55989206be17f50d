//! The worker application's access token: client-credentials grant with
//! `CLIENT_SECRET_BASIC`, cached until shortly before it expires.
//!
//! One lock guards the cache, so concurrent requests share a single token request.
//! Tokens and the client secret are held as [`SecretString`] and never logged.

use std::time::{Duration, Instant};

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;
use url::Url;

use super::error::{ClientError, Endpoint};
use super::reply::{Reply, unreachable};
use super::retry::{self, RetryPolicy};

/// Renew this long before PingOne's expiry, so a token never expires mid-request.
const RENEW_MARGIN: Duration = Duration::from_secs(60);

/// PingOne's default token lifetime, used when the answer has no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// A bearer token handed to a request, with the cache generation it came from.
#[derive(Clone)]
pub(crate) struct Token {
    /// The access token.
    pub(crate) value: SecretString,
    /// Which fetch produced it, so a 401 invalidates only this token, not a newer one.
    pub(crate) generation: u64,
}

struct Cached {
    token: Token,
    renew_at: Instant,
}

/// Fetches and caches access tokens.
pub(crate) struct TokenSource {
    url: Url,
    client_id: String,
    client_secret: SecretString,
    cache: Mutex<(Option<Cached>, u64)>,
}

/// The parts of the token answer we use. Deliberately not `Debug`.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// An OAuth error answer (RFC 6749 §5.2), or PingOne's own error shape.
#[derive(Deserialize)]
struct OAuthError {
    #[serde(alias = "code")]
    error: String,
    #[serde(default, alias = "message")]
    error_description: Option<String>,
}

impl TokenSource {
    /// A source for the token URL `<auth_url>/<environment_id>/as/token`.
    pub(crate) fn new(url: Url, client_id: String, client_secret: SecretString) -> Self {
        Self {
            url,
            client_id,
            client_secret,
            cache: Mutex::new((None, 0)),
        }
    }

    /// The token URL, for messages.
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// A valid token: the cached one, or a new one.
    pub(crate) async fn get(
        &self,
        http: &reqwest::Client,
        policy: &RetryPolicy,
    ) -> Result<Token, ClientError> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = &cache.0
            && Instant::now() < cached.renew_at
        {
            return Ok(cached.token.clone());
        }
        let (value, lifetime) = self.fetch(http, policy).await?;
        cache.1 += 1;
        let token = Token {
            value,
            generation: cache.1,
        };
        cache.0 = Some(Cached {
            token: token.clone(),
            renew_at: Instant::now() + renew_after(lifetime),
        });
        Ok(token)
    }

    /// Forgets the token of `generation` after PingOne rejected it with a 401.
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut cache = self.cache.lock().await;
        if cache
            .0
            .as_ref()
            .is_some_and(|c| c.token.generation == generation)
        {
            cache.0 = None;
        }
    }

    /// Requests a token, retrying transient failures.
    async fn fetch(
        &self,
        http: &reqwest::Client,
        policy: &RetryPolicy,
    ) -> Result<(SecretString, Duration), ClientError> {
        let mut retry_number = 0;
        loop {
            let reply = self.request(http).await?;
            let status = reply.status.as_u16();
            tracing::debug!(url = %self.url, status, "token request");
            if reply.status.is_success() {
                return self.parse_success(&reply);
            }
            if retry::is_retryable_status(status) && retry_number + 1 < policy.max_attempts {
                tokio::time::sleep(policy.delay(retry_number, reply.retry_after())).await;
                retry_number += 1;
                continue;
            }
            return Err(self.refusal(&reply));
        }
    }

    /// One `POST <token url>` with basic authentication and `grant_type=client_credentials`.
    async fn request(&self, http: &reqwest::Client) -> Result<Reply, ClientError> {
        let response = http
            .post(self.url.clone())
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|e| unreachable(Endpoint::Token, &self.url, &e))?;
        Reply::read(Method::POST, self.url.clone(), response, Endpoint::Token).await
    }

    fn parse_success(&self, reply: &Reply) -> Result<(SecretString, Duration), ClientError> {
        let answer: TokenAnswer =
            serde_json::from_slice(&reply.body).map_err(|_| reply.unrecognized(Endpoint::Token))?;
        let lifetime = answer
            .expires_in
            .map_or(DEFAULT_LIFETIME, Duration::from_secs);
        Ok((SecretString::from(answer.access_token), lifetime))
    }

    fn refusal(&self, reply: &Reply) -> ClientError {
        match serde_json::from_slice::<OAuthError>(&reply.body) {
            Ok(e) => ClientError::TokenRefused {
                url: self.url.to_string(),
                status: reply.status.as_u16(),
                error: e.error,
                description: e.error_description,
            },
            Err(_) => reply.unrecognized(Endpoint::Token),
        }
    }
}

/// How long to use a token of the given lifetime: until [`RENEW_MARGIN`] before it
/// expires, or half its life when it is shorter than twice the margin.
fn renew_after(lifetime: Duration) -> Duration {
    lifetime.saturating_sub(RENEW_MARGIN.min(lifetime / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_a_minute_early_or_at_half_life() {
        assert_eq!(
            renew_after(Duration::from_secs(3600)),
            Duration::from_secs(3540)
        );
        assert_eq!(
            renew_after(Duration::from_secs(100)),
            Duration::from_secs(50)
        );
        assert_eq!(renew_after(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn oauth_and_pingone_error_shapes_both_parse() {
        let oauth: OAuthError =
            serde_json::from_str(r#"{"error":"invalid_client","error_description":"bad"}"#)
                .unwrap();
        assert_eq!(oauth.error, "invalid_client");
        let p1: OAuthError =
            serde_json::from_str(r#"{"id":"x","code":"ACCESS_FAILED","message":"no"}"#).unwrap();
        assert_eq!(p1.error, "ACCESS_FAILED");
        assert_eq!(p1.error_description.as_deref(), Some("no"));
    }
}
