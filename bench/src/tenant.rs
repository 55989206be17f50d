//! The emulator started in this process on a loopback port, and the HTTP calls that seed it
//! (many at once, as fast as it takes them) and point `pingform` at it.

use std::sync::Arc;

use pingone_emulator::{Credentials, Emulator, Faults, RateLimit, RunningEmulator};
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::error::BenchError;

/// Requests in flight while seeding.
const SEED_CONCURRENCY: usize = 32;

/// A running emulator and a token of its admin worker.
pub(crate) struct Tenant {
    running: RunningEmulator,
    credentials: Credentials,
    http: reqwest::Client,
    token: String,
}

impl Tenant {
    /// Starts a fresh emulator on `127.0.0.1:0` with no rate limit and no faults.
    pub(crate) async fn start() -> Result<Tenant, BenchError> {
        let emulator = Emulator::open(None).map_err(|e| BenchError::Emulator(e.to_string()))?;
        let running = pingone_emulator::spawn(emulator, "127.0.0.1:0")
            .await
            .map_err(|e| BenchError::Emulator(e.to_string()))?;
        let credentials = running.credentials();
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(SEED_CONCURRENCY)
            .build()
            .map_err(|e| BenchError::Seed(e.to_string()))?;
        let mut tenant = Tenant {
            running,
            credentials,
            http,
            token: String::new(),
        };
        tenant.set_rate_limit(RateLimit::DISABLED)?;
        tenant.token = tenant.fetch_token().await?;
        Ok(tenant)
    }

    /// The emulator, for counters, faults and the rate limit.
    pub(crate) fn emulator(&self) -> &Emulator {
        self.running.emulator()
    }

    /// The admin environment's ID.
    pub(crate) fn environment_id(&self) -> &str {
        &self.credentials.environment_id
    }

    /// The `PINGONE_*` variables that point `pingform` at this emulator.
    pub(crate) fn env(&self) -> Vec<(String, String)> {
        let c = &self.credentials;
        [
            ("PINGONE_CLIENT_ID", &c.client_id),
            ("PINGONE_CLIENT_SECRET", &c.client_secret),
            ("PINGONE_ENVIRONMENT_ID", &c.environment_id),
            ("PINGONE_REGION_CODE", &c.region_code),
            ("PINGONE_API_URL", &c.api_url),
            ("PINGONE_AUTH_URL", &c.auth_url),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }

    /// Replaces the fault settings.
    pub(crate) fn set_faults(&self, faults: Faults) -> Result<(), BenchError> {
        self.emulator()
            .set_faults(faults)
            .map_err(|e| BenchError::Emulator(e.to_string()))
    }

    /// Replaces the rate limit.
    pub(crate) fn set_rate_limit(&self, limit: RateLimit) -> Result<(), BenchError> {
        self.emulator()
            .set_rate_limit(limit)
            .map_err(|e| BenchError::Emulator(e.to_string()))
    }

    /// Requests counted since the last reset.
    pub(crate) fn requests(&self) -> u64 {
        self.emulator().counters().total()
    }

    async fn fetch_token(&self) -> Result<String, BenchError> {
        let c = &self.credentials;
        let answer: Value = self
            .http
            .post(format!("{}/{}/as/token", c.auth_url, c.environment_id))
            .basic_auth(&c.client_id, Some(&c.client_secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|e| BenchError::Seed(format!("token request: {e}")))?
            .json()
            .await
            .map_err(|e| BenchError::Seed(format!("token answer: {e}")))?;
        answer["access_token"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| BenchError::Seed(format!("no access_token in {answer}")))
    }

    /// `GET /v1/<path>`.
    pub(crate) async fn get(&self, path: &str) -> Result<Value, BenchError> {
        let url = format!("{}/v1/{path}", self.credentials.api_url);
        let response = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| BenchError::Seed(format!("GET {url}: {e}")))?;
        answer(response, &url).await
    }

    /// `POST`s every `(path under /v1, body)`, [`SEED_CONCURRENCY`] at a time; the answers
    /// come back in the order of `requests`.
    pub(crate) async fn post_all(
        &self,
        requests: Vec<(String, Value)>,
    ) -> Result<Vec<Value>, BenchError> {
        let shared = Arc::new((
            self.http.clone(),
            self.token.clone(),
            self.credentials.api_url.clone(),
        ));
        let mut answers = vec![Value::Null; requests.len()];
        let mut pending = requests.into_iter().enumerate();
        let mut running = JoinSet::new();
        loop {
            while running.len() < SEED_CONCURRENCY {
                let Some((index, (path, body))) = pending.next() else {
                    break;
                };
                let shared = shared.clone();
                running.spawn(async move {
                    let (http, token, api) = &*shared;
                    let url = format!("{api}/v1/{path}");
                    let sent = http.post(&url).bearer_auth(token).json(&body).send().await;
                    let response =
                        sent.map_err(|e| BenchError::Seed(format!("POST {url}: {e}")))?;
                    answer(response, &url).await.map(|json| (index, json))
                });
            }
            let Some(joined) = running.join_next().await else {
                return Ok(answers);
            };
            let (index, json) = joined.map_err(|e| BenchError::Seed(e.to_string()))??;
            answers[index] = json;
        }
    }

    /// The ID of the role called `name`.
    pub(crate) async fn role_id(&self, name: &str) -> Result<String, BenchError> {
        let roles = self.get("roles").await?;
        roles["_embedded"]["roles"]
            .as_array()
            .and_then(|all| all.iter().find(|r| r["name"] == json!(name)))
            .and_then(|r| r["id"].as_str())
            .map(str::to_string)
            .ok_or_else(|| BenchError::Seed(format!("the emulator has no role {name:?}")))
    }
}

async fn answer(response: reqwest::Response, url: &str) -> Result<Value, BenchError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| BenchError::Seed(format!("{url}: {e}")))?;
    if !status.is_success() {
        return Err(BenchError::Seed(format!("{url}: {status}: {text}")));
    }
    serde_json::from_str(&text).map_err(|e| BenchError::Seed(format!("{url}: {e}")))
}
