//! Helpers of the resource tests: calls checked against the OpenAPI specification, and
//! builders of environments, users and workers.
#![allow(dead_code)]

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::http::{Reply, Session, reply};
use crate::support::openapi::assert_matches_spec;

/// Calls and checks the status; successful and error bodies must match the spec.
pub(crate) async fn expect(
    s: &Session,
    method: Method,
    path: &str,
    body: Option<&Value>,
    status: u16,
) -> Value {
    let reply: Reply = s.call(method.clone(), path, body).await;
    assert_eq!(
        reply.status.as_u16(),
        status,
        "{method} {path}: {}",
        reply.body
    );
    if !reply.body.is_null() {
        let spec_path = path.split('?').next().unwrap_or(path);
        assert_matches_spec(method.as_str(), spec_path, status, &reply.body);
    }
    reply.body
}

/// Calls and checks the status only, for operations the specification does not describe
/// (mfaEnabled lives in the MFA specification; password state has no schema; 405s).
pub(crate) async fn expect_raw(
    s: &Session,
    method: Method,
    path: &str,
    body: Option<&Value>,
    status: u16,
) -> Value {
    let reply: Reply = s.call(method.clone(), path, body).await;
    assert_eq!(
        reply.status.as_u16(),
        status,
        "{method} {path}: {}",
        reply.body
    );
    reply.body
}

pub(crate) fn env_body(name: &str, s: &Session) -> Value {
    json!({"name": name, "type": "SANDBOX", "region": "EU", "license": {"id": s.creds.license_id},
           "billOfMaterials": {"products": [{"type": "PING_ONE_BASE"}]}})
}

pub(crate) async fn new_env(s: &Session, name: &str) -> String {
    let env = expect(
        s,
        Method::POST,
        "/v1/environments",
        Some(&env_body(name, s)),
        201,
    )
    .await;
    env["id"].as_str().expect("id").to_owned()
}

pub(crate) fn detail(body: &Value) -> &Value {
    &body["details"][0]
}

pub(crate) fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn users_path(s: &Session) -> String {
    s.env_path("/users")
}

pub(crate) async fn new_user(s: &Session, username: &str) -> Value {
    let body = json!({"username": username, "email": format!("{username}@example.com"), "name": {"given": "G", "family": "F"}});
    expect(s, Method::POST, &users_path(s), Some(&body), 201).await
}

/// A request with an explicit Content-Type and raw body.
pub(crate) async fn send_typed(
    s: &Session,
    method: Method,
    path: &str,
    content_type: &str,
    body: &str,
) -> Reply {
    let response = s
        .client
        .request(method, s.url(path))
        .bearer_auth(&s.token)
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .expect("send");
    reply(response).await
}

/// A token for an application of environment `env` by client_secret_basic.
pub(crate) async fn app_token(s: &Session, env: &str, id: &str, secret: &str) -> Reply {
    let response = s
        .client
        .post(format!("{}/{env}/as/token", s.creds.auth_url))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    reply(response).await
}

/// A call with another bearer token.
pub(crate) async fn call_as(
    s: &Session,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> Reply {
    let mut request = s.client.request(method, s.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    reply(request.send().await.expect("send")).await
}

pub(crate) fn worker_body(name: &str) -> Value {
    json!({"name": name, "enabled": true, "type": "WORKER", "protocol": "OPENID_CONNECT",
           "grantTypes": ["CLIENT_CREDENTIALS"], "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC",
           "assignActorRoles": false})
}
