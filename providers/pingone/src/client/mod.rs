//! The PingOne HTTP client: bearer token, retries, error bodies and paging.
//!
//! Every management call goes through [`Client::execute`], which attaches the cached
//! token, renews it once after a 401, retries transient failures, and turns answers
//! into JSON or a [`ClientError`].

mod error;
mod limiter;
mod paging;
mod reply;
mod retry;
mod settle;
mod token;

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

pub use error::{ApiError, ClientError, Endpoint, ErrorDetail, InnerError};
pub use limiter::RateLimiter;
pub use paging::documented_page_limit;
pub use retry::{RetryPolicy, is_retryable_code, is_retryable_status, parse_retry_after};
pub use settle::{NewEnvironments, is_propagation};

use crate::endpoint::{is_loopback, join_segments};
use reply::{Reply, unreachable};
use token::TokenSource;

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("pingform/", env!("CARGO_PKG_VERSION"));

/// Tunables of the client; the defaults suit the real PingOne.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Retries of transient failures.
    pub retry: RetryPolicy,
    /// The largest `limit` asked for on list calls (PingOne may return fewer per page;
    /// collections documented to take fewer get their maximum).
    pub page_limit: u32,
    /// The longest wait for one whole request.
    pub request_timeout: Duration,
    /// The longest wait to connect.
    pub connect_timeout: Duration,
    /// Requests per second to PingOne's API, shared by all parallel work; `None` is unlimited.
    pub requests_per_second: Option<f64>,
    /// How long to keep retrying PingOne's eventual-consistency answers (permissions not
    /// yet propagated, a new environment's contents not yet visible).
    pub settle_window: Duration,
    /// `global_options.population.contains_users_force_delete`: deleting a population
    /// that holds users deletes them first, in SANDBOX environments only.
    pub force_delete_population_users: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            page_limit: 1000,
            request_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            requests_per_second: None,
            settle_window: Duration::from_secs(120),
            force_delete_population_users: false,
        }
    }
}

/// How the client proves who it is.
#[derive(Clone, Debug)]
pub enum Auth {
    /// A worker application: client-credentials tokens from
    /// `<auth_url>/<environment_id>/as/token`, cached and renewed.
    Worker {
        /// The environment hosting the worker application.
        environment_id: String,
        /// The worker application's client ID.
        client_id: String,
        /// The worker application's client secret.
        client_secret: SecretString,
    },
    /// A bearer token obtained elsewhere (`api_access_token`): sent as is, never renewed.
    AccessToken(SecretString),
}

/// Everything needed to talk to one PingOne tenant.
#[derive(Clone)]
pub struct ClientConfig {
    /// The API base, such as `https://api.pingone.eu`; requests go to `<api_url>/v1/...`.
    pub api_url: Url,
    /// The authorization base, such as `https://auth.pingone.eu`.
    pub auth_url: Url,
    /// The worker's credentials or a given token.
    pub auth: Auth,
    /// The proxy every request goes through; `None` leaves `HTTPS_PROXY`/`HTTP_PROXY`
    /// to the HTTP client (never for loopback URLs).
    pub http_proxy: Option<Url>,
    /// Text appended to the `User-Agent`, after a space.
    pub append_user_agent: Option<String>,
    /// Retry, paging and timeout tunables.
    pub options: ClientOptions,
}

/// Shows the URLs and the kind of credentials, never a secret, a token or a proxy password.
impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("api_url", &self.api_url.as_str())
            .field("auth_url", &self.auth_url.as_str())
            .field("auth", &self.auth)
            .field(
                "http_proxy",
                &self
                    .http_proxy
                    .as_ref()
                    .map(|u| crate::endpoint::redact_userinfo(u.as_str())),
            )
            .field("append_user_agent", &self.append_user_agent)
            .field("options", &self.options)
            .finish()
    }
}

impl ClientConfig {
    /// The token URL `<auth_url>/<environment_id>/as/token`; `None` with a given token.
    pub fn token_url(&self) -> Option<Url> {
        match &self.auth {
            Auth::Worker { environment_id, .. } => Some(join_segments(
                &self.auth_url,
                &[environment_id, "as", "token"],
            )),
            Auth::AccessToken(_) => None,
        }
    }

    /// The `User-Agent`: `pingform/<version>`, then the appended text if any.
    pub fn user_agent(&self) -> String {
        match self.append_user_agent.as_deref().map(str::trim) {
            Some(extra) if !extra.is_empty() => format!("{USER_AGENT} {extra}"),
            _ => USER_AGENT.to_string(),
        }
    }
}

/// A PingOne client; cheap to clone, shared by all operations of a provider.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    api_url: Url,
    environment_id: Option<String>,
    tokens: Tokens,
    options: ClientOptions,
    limiter: Option<RateLimiter>,
    new_environments: NewEnvironments,
    facts: crate::risks::Facts,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api_url", &self.inner.api_url.as_str())
            .field("tokens", &self.inner.tokens)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client; no request is made until the first call.
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let token_url = config.token_url();
        let mut builder = reqwest::Client::builder()
            .user_agent(config.user_agent())
            // A redirect would carry the bearer token elsewhere; report it instead.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.options.request_timeout)
            .connect_timeout(config.options.connect_timeout);
        let local = is_loopback(&config.api_url) && token_url.as_ref().is_none_or(is_loopback);
        if let Some(proxy) = &config.http_proxy {
            let proxy = reqwest::Proxy::all(proxy.as_str())
                .map_err(|e| ClientError::Setup(e.to_string()))?;
            builder = builder.proxy(proxy);
        } else if local {
            // A local emulator is never behind the corporate proxy that HTTP_PROXY names.
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| ClientError::Setup(e.to_string()))?;
        let (environment_id, tokens) = match config.auth {
            Auth::Worker {
                environment_id,
                client_id,
                client_secret,
            } => {
                let url = join_segments(&config.auth_url, &[&environment_id, "as", "token"]);
                let source = TokenSource::new(url, client_id, client_secret);
                (Some(environment_id), Tokens::Fetched(source))
            }
            Auth::AccessToken(token) => (None, Tokens::Given(token)),
        };
        let facts = crate::risks::Facts::default();
        facts.remember_force_delete(config.options.force_delete_population_users);
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                api_url: config.api_url,
                environment_id,
                tokens,
                limiter: config.options.requests_per_second.map(RateLimiter::new),
                new_environments: NewEnvironments::default(),
                facts,
                options: config.options,
            }),
        })
    }

    /// Gets (and caches) a token now, so that wrong credentials or an
    /// unreachable auth URL are reported before planning, not halfway through.
    /// A given token (`api_access_token`) is not checked here: its first use is.
    pub async fn authenticate(&self) -> Result<(), ClientError> {
        self.token().await.map(|_| ())
    }

    /// What has been learned from PingOne for risk assessment.
    pub fn facts(&self) -> &crate::risks::Facts {
        &self.inner.facts
    }

    /// The environment hosting the worker application (it always exists); `None` when
    /// the client uses a given token (`api_access_token`) and so knows no worker.
    pub fn environment_id(&self) -> Option<&str> {
        self.inner.environment_id.as_deref()
    }

    /// `<api_url>/v1/<segments...>`, each segment percent-encoded.
    pub fn url(&self, segments: &[&str]) -> Url {
        let mut all = Vec::with_capacity(segments.len() + 1);
        all.push("v1");
        all.extend_from_slice(segments);
        join_segments(&self.inner.api_url, &all)
    }

    /// `GET /v1/<segments>`.
    pub async fn get(&self, segments: &[&str]) -> Result<serde_json::Value, ClientError> {
        self.execute(Method::GET, self.url(segments), None).await
    }

    /// `POST /v1/<segments>` with a JSON body.
    pub async fn post(
        &self,
        segments: &[&str],
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, ClientError> {
        self.execute(Method::POST, self.url(segments), Some(body))
            .await
    }

    /// `POST /v1/<segments>` with a JSON body sent as `content_type`, for PingOne's
    /// vendor media types (user import, account lock and unlock; API.md §4.1).
    pub async fn post_typed(
        &self,
        segments: &[&str],
        body: &serde_json::Value,
        content_type: &'static str,
    ) -> Result<serde_json::Value, ClientError> {
        self.execute_typed(Method::POST, self.url(segments), Some(body), content_type)
            .await
    }

    /// `PUT /v1/<segments>` with a JSON body sent as `content_type` (setting a
    /// user's password; API.md §4.4).
    pub async fn put_typed(
        &self,
        segments: &[&str],
        body: &serde_json::Value,
        content_type: &'static str,
    ) -> Result<serde_json::Value, ClientError> {
        self.execute_typed(Method::PUT, self.url(segments), Some(body), content_type)
            .await
    }

    /// `PUT /v1/<segments>` with a JSON body.
    pub async fn put(
        &self,
        segments: &[&str],
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, ClientError> {
        self.execute(Method::PUT, self.url(segments), Some(body))
            .await
    }

    /// `DELETE /v1/<segments>`.
    pub async fn delete(&self, segments: &[&str]) -> Result<(), ClientError> {
        self.execute(Method::DELETE, self.url(segments), None)
            .await
            .map(drop)
    }

    /// Sends a request with the bearer token and returns the JSON answer (`Null` when
    /// empty). Renews the token once after a 401; retries transient failures.
    pub(crate) async fn execute(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value, ClientError> {
        self.execute_typed(method, url, body, "application/json")
            .await
    }

    /// [`Client::execute`] with the body sent as `content_type`.
    pub(crate) async fn execute_typed(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
        content_type: &'static str,
    ) -> Result<serde_json::Value, ClientError> {
        let policy = &self.inner.options.retry;
        let started = std::time::Instant::now();
        let mut renewed = false;
        let mut retry_number = 0;
        let mut settle_number = 0;
        loop {
            let token = self.token().await?;
            if let Some(limiter) = &self.inner.limiter {
                limiter.acquire().await;
            }
            let reply = self
                .send_once(&method, &url, body, content_type, &token.value)
                .await?;
            if reply.status.as_u16() == 401 {
                match &self.inner.tokens {
                    // A 401 under a deleted environment is not the token's fault (API.md
                    // §8.1): only blame the token when PingOne refuses it everywhere.
                    Tokens::Given(_) if self.token_refused(&token.value).await => {
                        return Err(ClientError::AccessTokenRejected {
                            method: method.to_string(),
                            path: url.path().to_string(),
                        });
                    }
                    Tokens::Given(_) => {}
                    // The token may have been revoked or expired early: get a fresh one, once.
                    Tokens::Fetched(source) if !renewed => {
                        renewed = true;
                        source.invalidate(token.generation).await;
                        continue;
                    }
                    Tokens::Fetched(_) => {}
                }
            }
            if reply.status.is_success() {
                let json = reply.success_json(Endpoint::Api)?;
                self.remember_new_environment(&method, &url, &json);
                return Ok(json);
            }
            let error = reply.api_error();
            if is_transient(reply.status.as_u16(), &error) && retry_number + 1 < policy.max_attempts
            {
                let wait = policy.delay(retry_number, reply.retry_after());
                tracing::debug!(%method, %url, status = reply.status.as_u16(), ?wait, "retrying");
                tokio::time::sleep(wait).await;
                retry_number += 1;
                continue;
            }
            if started.elapsed() < self.inner.options.settle_window
                && self.is_settling(&error, url.path(), &token.value).await
            {
                // Capped short: propagation usually takes seconds, not minutes.
                let wait = policy.backoff(settle_number.min(3));
                tracing::debug!(%method, %url, status = reply.status.as_u16(), ?wait, "waiting for PingOne to settle");
                tokio::time::sleep(wait).await;
                settle_number += 1;
                continue;
            }
            return Err(error);
        }
    }

    /// True when `error` may go away if retried: any 403/404 under an environment this
    /// client created moments ago (whose own GET may also answer 404 for a while), a
    /// "permissions not propagated" answer under an environment that still exists, or one
    /// at the organization level shortly after this client granted a role.
    async fn is_settling(&self, error: &ClientError, path: &str, token: &SecretString) -> bool {
        let new = &self.inner.new_environments;
        if matches!(error.status(), Some(403 | 404)) && new.is_new(path) {
            return true;
        }
        if !settle::is_propagation(error) {
            return false;
        }
        match settle::environment_of(path) {
            Some(_) => !self.environment_gone(path, token).await,
            None => settle::RECENT_GRANT.within(self.inner.options.settle_window),
        }
    }

    /// True when `path` is under an environment that answers 404: then a 403 "no access"
    /// means "deleted", not "permissions still propagating" (as the official provider
    /// checks, API.md §8.1). One unretried GET.
    async fn environment_gone(&self, path: &str, token: &SecretString) -> bool {
        let mut parts = path.trim_start_matches('/').split('/');
        let (Some("v1"), Some("environments"), Some(id), Some(_)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let url = self.url(&["environments", id]);
        if let Some(limiter) = &self.inner.limiter {
            limiter.acquire().await;
        }
        match self
            .send_once(&Method::GET, &url, None, "application/json", token)
            .await
        {
            Ok(reply) => reply.status.as_u16() == 404,
            Err(_) => false,
        }
    }

    /// True when PingOne answers 401 to the given token on `GET /environments` too
    /// (any valid token may list environments, even if it sees none). One unretried GET.
    async fn token_refused(&self, token: &SecretString) -> bool {
        let mut url = self.url(&["environments"]);
        url.set_query(Some("limit=1"));
        if let Some(limiter) = &self.inner.limiter {
            limiter.acquire().await;
        }
        match self
            .send_once(&Method::GET, &url, None, "application/json", token)
            .await
        {
            Ok(reply) => reply.status.as_u16() == 401,
            Err(_) => false,
        }
    }

    /// Remembers an environment this client just created: its contents may answer
    /// 403/404 for a few seconds (API.md §8.3). Forgets one it deleted. Remembers that a
    /// role was just granted (permissions propagate in seconds).
    fn remember_new_environment(&self, method: &Method, url: &Url, json: &serde_json::Value) {
        if *method == Method::POST
            && url
                .path()
                .trim_end_matches('/')
                .ends_with("/roleAssignments")
        {
            settle::RECENT_GRANT.granted();
        }
        if *method == Method::DELETE {
            let mut parts = url.path().trim_start_matches('/').split('/');
            if let (Some("v1"), Some("environments"), Some(id), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            {
                self.inner.new_environments.deleted(id);
            }
            return;
        }
        if *method == Method::POST
            && url
                .path()
                .trim_end_matches('/')
                .ends_with("/v1/environments")
            && let Some(id) = json.get("id").and_then(serde_json::Value::as_str)
        {
            self.inner.new_environments.created(id);
        }
    }

    async fn token(&self) -> Result<token::Token, ClientError> {
        let inner = &self.inner;
        match &inner.tokens {
            Tokens::Fetched(source) => source.get(&inner.http, &inner.options.retry).await,
            Tokens::Given(value) => Ok(token::Token {
                value: value.clone(),
                generation: 0,
            }),
        }
    }

    async fn send_once(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&serde_json::Value>,
        content_type: &'static str,
        token: &SecretString,
    ) -> Result<Reply, ClientError> {
        let mut request = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .bearer_auth(token.expose_secret());
        if let Some(body) = body {
            // serde_json cannot fail to serialise a Value.
            let bytes = serde_json::to_vec(body).unwrap_or_default();
            request = request
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes);
        }
        let response = request
            .send()
            .await
            .map_err(|e| unreachable(Endpoint::Api, url, &e))?;
        tracing::debug!(%method, %url, status = response.status().as_u16(), "PingOne request");
        Reply::read(method.clone(), url.clone(), response, Endpoint::Api).await
    }

    /// The API base URL, for checks on links PingOne returns.
    fn api_url(&self) -> &Url {
        &self.inner.api_url
    }

    /// The client's options, as configured.
    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// The `limit` to ask for on list calls.
    fn page_limit(&self) -> u32 {
        self.inner.options.page_limit
    }
}

/// Where bearer tokens come from.
enum Tokens {
    /// Client-credentials grants of the worker application.
    Fetched(TokenSource),
    /// The `api_access_token` setting, used as is.
    Given(SecretString),
}

/// Names the token URL, never a token.
impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tokens::Fetched(source) => write!(f, "client credentials at {}", source.url()),
            Tokens::Given(_) => f.write_str("a given api_access_token [redacted]"),
        }
    }
}

/// A status PingOne documents as transient, or its `UNEXPECTED_ERROR` code.
fn is_transient(status: u16, error: &ClientError) -> bool {
    is_retryable_status(status)
        || matches!(error, ClientError::Api(e) if is_retryable_code(&e.code))
}
