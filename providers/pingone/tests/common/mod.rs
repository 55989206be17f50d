//! A scripted fake PingOne for client tests: canned answers per `METHOD /path`, and a
//! log of every request received. Only what the emulator cannot easily be made to do
//! (503s, HTML, odd links) is tested against it.

#![allow(dead_code, unreachable_pub)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use pingone::client::Auth;
use pingone::{Client, ClientConfig, ClientOptions, RetryPolicy};
use secrecy::SecretString;
use url::Url;

/// The worker's environment in fake tests.
pub const ENV: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
/// The worker's client ID in fake tests.
pub const CLIENT_ID: &str = "11111111-2222-4333-8444-555555555555";
/// The worker's secret in fake tests; must never show up in messages.
pub const SECRET: &str = "fake-secret-never-printed";

/// One canned answer.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Canned {
    /// A JSON answer.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.to_string(),
        }
    }

    /// An answer with a content type and a raw body.
    pub fn raw(status: u16, content_type: &str, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type", content_type.into())],
            body: body.into(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// A valid token answer.
    pub fn token(value: &str) -> Self {
        Self::json(
            200,
            serde_json::json!({"access_token": value, "token_type": "Bearer", "expires_in": 3600}),
        )
    }

    /// A PingOne error body.
    pub fn p1_error(status: u16, code: &str, message: &str) -> Self {
        Self::json(
            status,
            serde_json::json!({"id": "err-1", "code": code, "message": message}),
        )
    }
}

/// A request the fake received.
#[derive(Clone, Debug)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: String,
}

#[derive(Default)]
struct Script {
    queued: HashMap<String, VecDeque<Canned>>,
    always: HashMap<String, Canned>,
    log: Vec<Logged>,
}

/// A running fake.
pub struct Fake {
    pub base: String,
    script: Arc<Mutex<Script>>,
}

impl Fake {
    /// Starts a fake on 127.0.0.1 with a random port.
    pub async fn start() -> Self {
        let script = Arc::new(Mutex::new(Script::default()));
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, script }
    }

    /// Queues one answer for `METHOD /path`, used before any `always` answer.
    pub fn push(&self, route: &str, canned: Canned) {
        let mut s = self.script.lock().unwrap();
        s.queued.entry(route.into()).or_default().push_back(canned);
    }

    /// The answer for `METHOD /path` once its queue is empty.
    pub fn always(&self, route: &str, canned: Canned) {
        self.script
            .lock()
            .unwrap()
            .always
            .insert(route.into(), canned);
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Logged> {
        self.script.lock().unwrap().log.clone()
    }

    /// Requests to `METHOD /path`.
    pub fn count(&self, route: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| format!("{} {}", r.method, r.path) == route)
            .count()
    }

    /// The token route.
    pub fn token_route() -> String {
        format!("POST /{ENV}/as/token")
    }

    /// A client for this fake, retrying quickly.
    pub fn client(&self) -> Client {
        Client::new(self.config()).unwrap()
    }

    /// The client configuration for this fake.
    pub fn config(&self) -> ClientConfig {
        ClientConfig {
            api_url: Url::parse(&self.base).unwrap(),
            auth_url: Url::parse(&self.base).unwrap(),
            auth: Auth::Worker {
                environment_id: ENV.into(),
                client_id: CLIENT_ID.into(),
                client_secret: SecretString::from(SECRET),
            },
            http_proxy: None,
            append_user_agent: None,
            options: fast_options(),
        }
    }
}

/// Client options that retry in milliseconds, not seconds.
pub fn fast_options() -> ClientOptions {
    ClientOptions {
        retry: RetryPolicy {
            max_attempts: 4,
            base_delay: std::time::Duration::from_millis(2),
            max_delay: std::time::Duration::from_millis(20),
            max_retry_after: std::time::Duration::from_millis(50),
        },
        ..ClientOptions::default()
    }
}

async fn answer(State(script): State<Arc<Mutex<Script>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let route = format!("{} {}", parts.method, parts.uri.path());
    let canned = {
        let mut s = script.lock().unwrap();
        s.log.push(Logged {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(str::to_string),
            headers: parts.headers.clone(),
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        let queued = s.queued.get_mut(&route).and_then(VecDeque::pop_front);
        queued.or_else(|| s.always.get(&route).cloned())
    };
    let canned = canned.unwrap_or_else(|| Canned::raw(404, "text/plain", "404 page not found"));
    let mut response = Response::builder().status(StatusCode::from_u16(canned.status).unwrap());
    for (name, value) in &canned.headers {
        response = response.header(*name, value);
    }
    response.body(Body::from(canned.body)).unwrap()
}
