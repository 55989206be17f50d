//! A running emulator with an admin token, and requests that return status and JSON body.

use pingone_emulator::{Credentials, Emulator, RunningEmulator, spawn};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

/// An emulator on an ephemeral loopback port, a client and the seeded admin's token.
pub(crate) struct Session {
    pub(crate) running: RunningEmulator,
    pub(crate) client: Client,
    pub(crate) creds: Credentials,
    pub(crate) token: String,
}

/// A response: status, headers and JSON body (`Null` when empty).
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Value,
}

impl Session {
    /// Starts a fresh emulator and gets a token for the admin worker.
    pub(crate) async fn start() -> Session {
        Session::with(Emulator::open(None).expect("open")).await
    }

    /// Serves `emulator` and gets a token for the admin worker.
    pub(crate) async fn with(emulator: Emulator) -> Session {
        let running = spawn(emulator, "127.0.0.1:0").await.expect("spawn");
        let client = Client::new();
        let creds = running.credentials();
        let token = token(&client, &creds).await;
        Session {
            running,
            client,
            creds,
            token,
        }
    }

    /// `{api_url}{path}`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.creds.api_url)
    }

    /// `/v1/environments/{admin env}{rest}`.
    pub(crate) fn env_path(&self, rest: &str) -> String {
        format!("/v1/environments/{}{rest}", self.creds.environment_id)
    }

    /// A request with the bearer token and an optional JSON body.
    pub(crate) async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        reply(request.send().await.expect("send")).await
    }
}

/// Status, headers and JSON body of a response.
pub(crate) async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {text}"))
    };
    Reply {
        status,
        headers,
        body,
    }
}

/// A client-credentials token for `creds` (basic auth).
pub(crate) async fn token(client: &Client, creds: &Credentials) -> String {
    let url = format!("{}/{}/as/token", creds.auth_url, creds.environment_id);
    let response = client
        .post(url)
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token request");
    let reply = reply(response).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}
