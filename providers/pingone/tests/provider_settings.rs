//! Provider settings at work against the in-process emulator and a scripted fake:
//! `api_access_token` (used as the bearer token, no token request, a clear error when
//! refused), `http_proxy` (every request through a loopback forwarding proxy that
//! counts them), `append_user_agent`, and
//! `global_options.population.contains_users_force_delete`.

mod common;
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use common::{Canned, Fake};
use engine::Value;
use engine::provider::{Provider, ProviderErrorKind};
use pingone::client::Auth;
use pingone::{Client, PingOneProvider, Settings};
use pingone_emulator::{Emulator, RunningEmulator};
use secrecy::SecretString;
use serde_json::json;
use support::{Harness, obj, s};

/// A provider configured by `block` alone (no overrides, an empty environment).
async fn configured(block: Value) -> Result<PingOneProvider, engine::provider::ProviderError> {
    let provider = PingOneProvider::new(Settings::default()).with_environment(Settings::default());
    provider.configure(&block).await.map(|()| provider)
}

/// A provider block with the emulator's worker credentials and URLs, plus `extra`.
fn worker_block(c: &pingone_emulator::Credentials, extra: (&str, Value)) -> Value {
    obj(&[
        ("client_id", c.client_id.as_str().into()),
        ("client_secret", c.client_secret.as_str().into()),
        ("environment_id", c.environment_id.as_str().into()),
        ("api_url", c.api_url.as_str().into()),
        ("auth_url", c.auth_url.as_str().into()),
        extra,
    ])
}

/// A fresh emulator on a loopback port.
async fn emulator() -> RunningEmulator {
    let emulator = Emulator::open(None).expect("open the emulator");
    pingone_emulator::spawn(emulator, "127.0.0.1:0")
        .await
        .expect("spawn the emulator")
}

/// An access token for the emulator's admin worker.
async fn admin_token(running: &RunningEmulator) -> String {
    let c = running.credentials();
    let reply: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/{}/as/token", c.auth_url, c.environment_id))
        .basic_auth(&c.client_id, Some(&c.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token JSON");
    reply["access_token"].as_str().expect("token").to_string()
}

fn token_requests(running: &RunningEmulator) -> u64 {
    running
        .emulator()
        .counters()
        .get("POST", "/{env_id}/as/token")
}

#[tokio::test]
async fn an_access_token_is_the_bearer_and_no_token_is_requested() {
    let running = emulator().await;
    let token = admin_token(&running).await;
    let before = token_requests(&running);
    let c = running.credentials();
    let block = obj(&[
        ("api_access_token", token.as_str().into()),
        ("api_url", c.api_url.as_str().into()),
    ]);
    let provider = configured(block).await.expect("configure with a token");
    let client = provider.client().expect("client");
    assert_eq!(client.environment_id(), None);
    let debug = format!("{client:?}");
    assert!(!debug.contains(&token), "{debug}");

    let h = Harness {
        creds: c.clone(),
        provider,
        running,
    };
    let population = h
        .create(
            "pingone_population",
            &[("environment_id", h.env()), ("name", "by token".into())],
        )
        .await
        .expect("create with the token");
    assert_eq!(
        h.read_one("pingone_population", &population).await,
        Some(population.clone())
    );
    h.delete("pingone_population", &population)
        .await
        .expect("delete");
    assert_eq!(token_requests(&h.running), before, "no token request made");
    h.running.shutdown().await;
}

#[tokio::test]
async fn a_refused_access_token_is_reported_as_invalid_or_expired() {
    let fake = Fake::start().await;
    fake.always(
        "GET /v1/environments/e1/populations",
        Canned::p1_error(401, "ACCESS_FAILED", "The access token is invalid"),
    );
    fake.always(
        "GET /v1/environments",
        Canned::p1_error(401, "ACCESS_FAILED", "The access token is invalid"),
    );
    let mut config = fake.config();
    config.auth = Auth::AccessToken(SecretString::from("expired-token-value"));
    let client = Client::new(config).expect("client");
    client
        .authenticate()
        .await
        .expect("no request to authenticate");
    let err = client
        .get(&["environments", "e1", "populations"])
        .await
        .expect_err("401");
    let message = err.to_string();
    assert!(
        message.contains("PingOne refused the api_access_token (PINGONE_API_ACCESS_TOKEN)"),
        "{message}"
    );
    assert!(message.contains("invalid or has expired"), "{message}");
    assert!(!message.contains("expired-token-value"), "{message}");
    assert_eq!(
        err.to_provider_error("read").kind,
        ProviderErrorKind::Configuration
    );
    let log = fake.requests();
    assert!(
        log.iter().all(|r| !r.path.ends_with("/as/token")),
        "{log:?}"
    );
    let bearer = log[0].headers["authorization"].to_str().unwrap_or_default();
    assert_eq!(bearer, "Bearer expired-token-value");

    // A 401 the token is not to blame for (it still lists environments) stays PingOne's.
    let fake = Fake::start().await;
    fake.always(
        "GET /v1/environments/gone/populations",
        Canned::p1_error(401, "ACCESS_FAILED", "no"),
    );
    fake.always(
        "GET /v1/environments",
        Canned::json(200, json!({"_embedded": {"environments": []}})),
    );
    let mut config = fake.config();
    config.auth = Auth::AccessToken(SecretString::from("fine"));
    let err = Client::new(config)
        .expect("client")
        .get(&["environments", "gone", "populations"])
        .await
        .expect_err("401");
    assert_eq!(err.status(), Some(401), "{err}");
}

#[tokio::test]
async fn the_user_agent_carries_the_appended_text() {
    let fake = Fake::start().await;
    fake.always(&Fake::token_route(), Canned::token("t"));
    fake.always(
        "GET /v1/environments",
        Canned::json(200, json!({"_embedded": {"environments": []}})),
    );
    let mut config = fake.config();
    config.append_user_agent = Some("ci-pipeline/7".into());
    let client = Client::new(config).expect("client");
    client.get(&["environments"]).await.expect("list");
    for request in fake.requests() {
        let agent = request.headers["user-agent"].to_str().unwrap_or_default();
        assert!(agent.starts_with("pingform/"), "{agent}");
        assert!(agent.ends_with(" ci-pipeline/7"), "{agent}");
    }
}

/// A plain-http forwarding proxy on loopback (no CONNECT): it takes absolute-form
/// requests, forwards them and counts them.
struct Proxy {
    url: String,
    forwarded: Arc<AtomicU64>,
}

async fn forwarding_proxy() -> Proxy {
    let forwarded = Arc::new(AtomicU64::new(0));
    let upstream = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let app = axum::Router::new()
        .fallback(forward)
        .with_state((upstream, forwarded.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Proxy { url, forwarded }
}

async fn forward(
    State((upstream, forwarded)): State<(reqwest::Client, Arc<AtomicU64>)>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    // A proxy is sent the absolute URL; a direct request would only carry the path.
    let target = parts.uri.to_string();
    if !target.starts_with("http://") {
        return Response::builder()
            .status(400)
            .body(Body::from("not a proxy request"))
            .unwrap_or_default();
    }
    forwarded.fetch_add(1, Ordering::SeqCst);
    let mut headers = parts.headers.clone();
    headers.remove("host");
    headers.remove("proxy-connection");
    let answer = upstream
        .request(parts.method, target)
        .headers(headers)
        .body(body)
        .send()
        .await;
    let Ok(answer) = answer else {
        return Response::builder()
            .status(502)
            .body(Body::empty())
            .unwrap_or_default();
    };
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if name != "transfer-encoding" && name != "content-length" {
            response = response.header(name, value);
        }
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    response.body(Body::from(bytes)).unwrap_or_default()
}

#[tokio::test]
async fn every_request_goes_through_the_configured_proxy() {
    let running = emulator().await;
    let proxy = forwarding_proxy().await;
    let c = running.credentials();
    let block = worker_block(&c, ("http_proxy", proxy.url.as_str().into()));
    let provider = configured(block)
        .await
        .expect("configure through the proxy");
    let after_configure = proxy.forwarded.load(Ordering::SeqCst);
    assert!(
        after_configure >= 1,
        "the token request went through the proxy"
    );
    let h = Harness {
        creds: c.clone(),
        provider,
        running,
    };
    let population = h
        .create(
            "pingone_population",
            &[("environment_id", h.env()), ("name", "proxied".into())],
        )
        .await
        .expect("create through the proxy");
    h.delete("pingone_population", &population)
        .await
        .expect("delete through the proxy");
    let total = proxy.forwarded.load(Ordering::SeqCst);
    assert!(total >= after_configure + 2, "{total}");
    let seen = h.running.emulator().counters().total();
    assert_eq!(total, seen, "the emulator saw only proxied requests");
    h.running.shutdown().await;
}

async fn users_in(h: &Harness, env: &str, population: &Value, count: usize) {
    for n in 0..count {
        h.create(
            "pingone_user",
            &[
                ("environment_id", env.into()),
                ("username", format!("member{n}").into()),
                ("email", format!("member{n}@example.com").into()),
                ("population_id", population.get("id").cloned().unwrap()),
            ],
        )
        .await
        .expect("create user");
    }
}

/// A harness whose provider block sets `contains_users_force_delete`.
async fn force_deleting(force: bool) -> Harness {
    let running = emulator().await;
    let c = running.credentials();
    let global = obj(&[(
        "population",
        obj(&[("contains_users_force_delete", force.into())]),
    )]);
    let block = worker_block(&c, ("global_options", global));
    let provider = configured(block).await.expect("configure");
    Harness {
        creds: c,
        provider,
        running,
    }
}

#[tokio::test]
async fn force_delete_removes_a_sandbox_populations_users_first() {
    let h = force_deleting(true).await;
    let sandbox = h
        .create(
            "pingone_environment",
            &[
                ("name", "sandbox".into()),
                ("license_id", h.creds.license_id.as_str().into()),
                (
                    "services",
                    Value::List(vec![obj(&[("type", "SSO".into())])]),
                ),
            ],
        )
        .await
        .expect("create sandbox");
    let env = s(&sandbox, "id").to_string();
    let population = h
        .create(
            "pingone_population",
            &[
                ("environment_id", env.as_str().into()),
                ("name", "temps".into()),
            ],
        )
        .await
        .expect("population");
    users_in(&h, &env, &population, 3).await;
    h.delete("pingone_population", &population)
        .await
        .expect("users deleted, then the population");
    assert_eq!(h.read_one("pingone_population", &population).await, None);
    let left = h
        .client()
        .list_all(&["environments", &env, "users"], "users")
        .await
        .expect("users");
    assert!(
        left.iter()
            .all(|u| u["population"]["id"] != json!(s(&population, "id"))),
        "{left:?}"
    );

    // In the PRODUCTION environment nothing is deleted: the data protection notice.
    let admin = h.env();
    let env = admin.as_str().unwrap_or_default().to_string();
    let kept = h
        .create(
            "pingone_population",
            &[("environment_id", admin.clone()), ("name", "staff".into())],
        )
        .await
        .expect("population");
    users_in(&h, &env, &kept, 1).await;
    let err = h
        .delete("pingone_population", &kept)
        .await
        .expect_err("production users are kept");
    assert!(
        err.message.contains("Data protection notice"),
        "{}",
        err.message
    );
    assert!(err.message.contains("PRODUCTION"), "{}", err.message);
    assert!(h.read_one("pingone_population", &kept).await.is_some());
    h.running.shutdown().await;
}

#[tokio::test]
async fn without_force_delete_pingone_refuses_a_population_with_users() {
    let h = force_deleting(false).await;
    let population = h
        .create(
            "pingone_population",
            &[("environment_id", h.env()), ("name", "kept".into())],
        )
        .await
        .expect("population");
    let env = h.creds.environment_id.clone();
    users_in(&h, &env, &population, 1).await;
    let err = h
        .delete("pingone_population", &population)
        .await
        .expect_err("refused");
    assert!(err.message.contains("contains users"), "{}", err.message);
    h.running.shutdown().await;
}
