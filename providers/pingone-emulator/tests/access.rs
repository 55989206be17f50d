//! HTTP tests of role assignments, permissions of API-created workers, applications and secrets, and PingOne's getting-started workflow over plain HTTP. Every body is checked against the OpenAPI specification.

mod helpers;
mod support;

use helpers::*;
use reqwest::Method;
use serde_json::json;
use support::http::Session;

#[tokio::test]
async fn role_assignments_check_scope_and_grantor() {
    let s = Session::start().await;
    let user = new_user(&s, "admin").await;
    let path = format!(
        "{}/{}/roleAssignments",
        users_path(&s),
        user["id"].as_str().expect("id")
    );
    let roles = expect(&s, Method::GET, "/v1/roles", None, 200).await;
    let role_id = |name: &str| {
        roles["_embedded"]["roles"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["name"] == name)
            .map(|r| r["id"].clone())
            .expect("role")
    };
    let env = json!(s.creds.environment_id);
    let bad_scope = json!({"role": {"id": role_id("Identity Data Admin")}, "scope": {"type": "ORGANIZATION", "id": s.creds.organization_id}});
    let error = expect(&s, Method::POST, &path, Some(&bad_scope), 400).await;
    assert_eq!(detail(&error)["target"], "scope");
    // Configuration Read Only at organization scope: the worker holds no role there that can
    // assign it (Organization Admin assigns only Environment Admin).
    let broader = json!({"role": {"id": role_id("Configuration Read Only")}, "scope": {"type": "ORGANIZATION", "id": s.creds.organization_id}});
    let error = expect(&s, Method::POST, &path, Some(&broader), 403).await;
    assert!(
        detail(&error)["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Must have role at the same or broader scope")
    );
    let good = json!({"role": {"id": role_id("Identity Data Admin")}, "scope": {"type": "ENVIRONMENT", "id": env}});
    let made = expect(&s, Method::POST, &path, Some(&good), 201).await;
    assert_eq!(made["readOnly"], false);
    let list = expect(&s, Method::GET, &path, None, 200).await;
    assert_eq!(
        list["_embedded"]["roleAssignments"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let item = format!("{path}/{}", made["id"].as_str().expect("id"));
    expect(&s, Method::GET, &item, None, 200).await;
    expect_raw(&s, Method::PUT, &item, Some(&good), 405).await;
    expect(&s, Method::DELETE, &item, None, 204).await;
    expect(&s, Method::GET, &item, None, 404).await;
}

#[tokio::test]
async fn getting_started_workflow_and_worker_permissions() {
    let s = Session::start().await;
    let env = new_env(&s, "Getting started").await;
    let pop = expect(
        &s,
        Method::POST,
        &format!("/v1/environments/{env}/populations"),
        Some(&json!({"name": "Staff"})),
        201,
    )
    .await;
    let user =
        json!({"username": "u1", "email": "u1@example.com", "population": {"id": pop["id"]}});
    let user = expect(
        &s,
        Method::POST,
        &format!("/v1/environments/{env}/users"),
        Some(&user),
        201,
    )
    .await;
    assert_eq!(user["population"]["id"], pop["id"]);
    let pw = send_typed(
        &s,
        Method::PUT,
        &format!(
            "/v1/environments/{env}/users/{}/password",
            user["id"].as_str().expect("id")
        ),
        "application/vnd.pingidentity.password.set+json",
        &json!({"value": "Str0ng!Passw0rd", "forceChange": false}).to_string(),
    )
    .await;
    assert_eq!(pw.status.as_u16(), 200);

    let apps = format!("/v1/environments/{env}/applications");
    let app = expect(&s, Method::POST, &apps, Some(&worker_body("ci")), 201).await;
    let app_id = app["id"].as_str().expect("id").to_owned();
    let secret = expect(
        &s,
        Method::GET,
        &format!("{apps}/{app_id}/secret"),
        None,
        200,
    )
    .await;
    let secret = secret["secret"].as_str().expect("secret").to_owned();
    assert!(secret.len() >= 64);
    let token = app_token(&s, &env, &app_id, &secret).await;
    assert_eq!(token.status.as_u16(), 200, "{}", token.body);
    let token = token.body["access_token"]
        .as_str()
        .expect("token")
        .to_owned();

    // No roles yet: everything is refused with PingOne's 403.
    let users = format!("/v1/environments/{env}/users");
    let refused = call_as(&s, &token, Method::GET, &users, None).await;
    assert_eq!(
        (refused.status.as_u16(), refused.body["code"].clone()),
        (403, json!("ACCESS_FAILED"))
    );
    assert_eq!(
        refused.body["message"],
        "You do not have permissions or are not licensed to make this request."
    );

    let roles = expect(
        &s,
        Method::GET,
        "/v1/roles?filter=name%20eq%20%22Identity%20Data%20Admin%22",
        None,
        200,
    )
    .await;
    let ida = roles["_embedded"]["roles"][0]["id"].clone();
    let grant = json!({"role": {"id": ida}, "scope": {"type": "ENVIRONMENT", "id": env}});
    expect(
        &s,
        Method::POST,
        &format!("{apps}/{app_id}/roleAssignments"),
        Some(&grant),
        201,
    )
    .await;
    assert_eq!(
        call_as(&s, &token, Method::GET, &users, None)
            .await
            .status
            .as_u16(),
        200
    );
    let made = call_as(
        &s,
        &token,
        Method::POST,
        &users,
        Some(&json!({"username": "u2", "email": "u2@example.com"})),
    )
    .await;
    assert_eq!(made.status.as_u16(), 201);
    assert_eq!(
        call_as(&s, &token, Method::POST, &apps, Some(&worker_body("x")))
            .await
            .status
            .as_u16(),
        403
    );
    assert_eq!(
        call_as(
            &s,
            &token,
            Method::GET,
            &format!("{apps}/{app_id}/secret"),
            None
        )
        .await
        .status
        .as_u16(),
        403
    );
    assert_eq!(
        call_as(
            &s,
            &token,
            Method::POST,
            "/v1/environments",
            Some(&env_body("Nope", &s))
        )
        .await
        .status
        .as_u16(),
        403
    );
    // The Identity Data Admin cannot grant Environment Admin.
    let env_admin = json!({"role": {"id": "b1e00000-0000-4000-8000-000000000002"}, "scope": {"type": "ENVIRONMENT", "id": env}});
    let path = format!(
        "{users}/{}/roleAssignments",
        made.body["id"].as_str().expect("id")
    );
    assert_eq!(
        call_as(&s, &token, Method::POST, &path, Some(&env_admin))
            .await
            .status
            .as_u16(),
        403
    );

    let web = json!({"name": "AppWithCodeGrant", "enabled": true, "type": "WEB_APP", "protocol": "OPENID_CONNECT",
        "responseTypes": ["CODE"], "grantTypes": ["AUTHORIZATION_CODE"], "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC",
        "redirectUris": ["https://www.example.com"], "postLogoutRedirectUris": ["https://www.example.com"]});
    let web = expect(&s, Method::POST, &apps, Some(&web), 201).await;
    assert_eq!(web["redirectUris"], json!(["https://www.example.com"]));
    let list = expect(&s, Method::GET, &apps, None, 200).await;
    assert_eq!(
        list["_embedded"]["applications"].as_array().map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn secrets_rotate_with_a_grace_period() {
    let s = Session::start().await;
    let apps = s.env_path("/applications");
    let app = expect(&s, Method::POST, &apps, Some(&worker_body("rotating")), 201).await;
    let path = format!("{apps}/{}/secret", app["id"].as_str().expect("id"));
    let first = expect(&s, Method::GET, &path, None, 200).await["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let until = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let rotated = expect(
        &s,
        Method::POST,
        &path,
        Some(&json!({"previous": {"expiresAt": until}})),
        200,
    )
    .await;
    assert_eq!(rotated["previous"]["secret"], first.as_str());
    let second = rotated["secret"].as_str().expect("secret").to_owned();
    let id = app["id"].as_str().expect("id");
    let env = s.creds.environment_id.clone();
    assert_eq!(app_token(&s, &env, id, &first).await.status.as_u16(), 200);
    assert_eq!(app_token(&s, &env, id, &second).await.status.as_u16(), 200);
    expect(&s, Method::DELETE, &path, None, 204).await;
    assert_eq!(app_token(&s, &env, id, &first).await.status.as_u16(), 401);
    let bad = json!({"previous": {"expiresAt": chrono::Utc::now().to_rfc3339()}});
    expect(&s, Method::POST, &path, Some(&bad), 400).await;
    let plain = expect(&s, Method::POST, &path, None, 200).await;
    assert!(plain.get("previous").is_none());
    let wild = json!({"name": "w", "type": "WEB_APP", "protocol": "OPENID_CONNECT", "responseTypes": ["CODE"],
        "grantTypes": ["AUTHORIZATION_CODE"], "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC", "redirectUris": ["https://*.example.com"]});
    let error = expect(&s, Method::POST, &apps, Some(&wild), 400).await;
    assert!(
        detail(&error)["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Wildcards are not allowed in redirect URIs.")
    );
}
