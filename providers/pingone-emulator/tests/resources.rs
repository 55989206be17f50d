//! HTTP tests of environments, roles, policies, users, groups, applications and role
//! assignments: each rule of issue 3, every body checked against the OpenAPI specification.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use support::http::{Reply, Session};
use support::openapi::assert_matches_spec;

/// Calls and checks the status; successful and error bodies must match the spec.
async fn expect(
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
async fn expect_raw(
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

fn env_body(name: &str, s: &Session) -> Value {
    json!({"name": name, "type": "SANDBOX", "region": "EU", "license": {"id": s.creds.license_id},
           "billOfMaterials": {"products": [{"type": "PING_ONE_BASE"}]}})
}

async fn new_env(s: &Session, name: &str) -> String {
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

fn detail(body: &Value) -> &Value {
    &body["details"][0]
}

#[tokio::test]
async fn environment_create_furnishes_it_and_enforces_names_regions_and_licenses() {
    let s = Session::start().await;
    let env = expect(
        &s,
        Method::POST,
        "/v1/environments",
        Some(&env_body("Test Env", &s)),
        201,
    )
    .await;
    let id = env["id"].as_str().expect("id");
    assert_eq!(
        (env["type"].clone(), env["region"].clone()),
        (json!("SANDBOX"), json!("EU"))
    );
    let pops = expect(
        &s,
        Method::GET,
        &format!("/v1/environments/{id}/populations"),
        None,
        200,
    )
    .await;
    let default = &pops["_embedded"]["populations"][0];
    assert_eq!(
        (default["name"].clone(), default["default"].clone()),
        (json!("Default"), json!(true))
    );
    assert_eq!(default["description"], "Automatically created population.");
    let policies = expect(
        &s,
        Method::GET,
        &format!("/v1/environments/{id}/passwordPolicies"),
        None,
        200,
    )
    .await;
    let names: Vec<_> = policies["_embedded"]["passwordPolicies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| (p["name"].clone(), p["default"].clone()))
        .collect();
    assert_eq!(
        names,
        [
            (json!("Standard"), json!(true)),
            (json!("Passphrase"), json!(false)),
            (json!("Basic"), json!(false))
        ]
    );
    let sign_on = expect(
        &s,
        Method::GET,
        &format!("/v1/environments/{id}/signOnPolicies"),
        None,
        200,
    )
    .await;
    assert_eq!(
        sign_on["_embedded"]["signOnPolicies"][0]["name"],
        "Single_Factor"
    );

    let clash = expect(
        &s,
        Method::POST,
        "/v1/environments",
        Some(&env_body("test env", &s)),
        400,
    )
    .await;
    assert_eq!(
        (clash["code"].clone(), detail(&clash)["code"].clone()),
        (json!("INVALID_DATA"), json!("UNIQUENESS_VIOLATION"))
    );
    let mut bad = env_body("Other", &s);
    bad["region"] = json!("MARS");
    let error = expect(&s, Method::POST, "/v1/environments", Some(&bad), 400).await;
    assert_eq!(detail(&error)["target"], "region");
    assert!(
        detail(&error)["innerError"]["allowedValues"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("NA")))
    );
    let mut unlicensed = env_body("Other", &s);
    unlicensed["license"] = json!({"id": uuid::Uuid::new_v4().to_string()});
    expect(&s, Method::POST, "/v1/environments", Some(&unlicensed), 400).await;
    let mut no_license = env_body("Other", &s);
    no_license.as_object_mut().map(|o| o.remove("license"));
    expect(&s, Method::POST, "/v1/environments", Some(&no_license), 400).await;
}

#[tokio::test]
async fn environment_update_type_status_bom_and_delete_rules() {
    let s = Session::start().await;
    let id = new_env(&s, "Lifecycle").await;
    let path = format!("/v1/environments/{id}");
    let moved = json!({"name": "Lifecycle", "type": "SANDBOX", "region": "NA"});
    let error = expect(&s, Method::PUT, &path, Some(&moved), 400).await;
    assert_eq!(detail(&error)["target"], "region");
    let renamed = json!({"name": "Renamed", "type": "SANDBOX", "region": "EU", "description": "d"});
    let env = expect(&s, Method::PUT, &path, Some(&renamed), 200).await;
    assert_eq!(
        (env["name"].clone(), env["description"].clone()),
        (json!("Renamed"), json!("d"))
    );

    expect(
        &s,
        Method::PUT,
        &format!("{path}/type"),
        Some(&json!({"type": "PRODUCTION"})),
        200,
    )
    .await;
    let refused = expect(&s, Method::DELETE, &path, None, 400).await;
    assert_eq!(detail(&refused)["code"], "CONSTRAINT_VIOLATION");
    let pending = expect(
        &s,
        Method::PUT,
        &format!("{path}/status"),
        Some(&json!({"status": "DELETE_PENDING"})),
        200,
    )
    .await;
    assert_eq!(pending["status"], "DELETE_PENDING");
    expect(
        &s,
        Method::PUT,
        &format!("{path}/status"),
        Some(&json!({"status": "ACTIVE"})),
        400,
    )
    .await;
    let restore = json!({"status": "ACTIVE", "license": {"id": s.creds.license_id}});
    expect(
        &s,
        Method::PUT,
        &format!("{path}/status"),
        Some(&restore),
        200,
    )
    .await;

    let bom = expect(
        &s,
        Method::GET,
        &format!("{path}/billOfMaterials"),
        None,
        200,
    )
    .await;
    assert_eq!(bom["products"][0]["type"], "PING_ONE_BASE");
    let products = json!({"products": [{"type": "PING_ONE_MFA"}, {"type": "PING_ONE_BASE"}]});
    let bom = expect(
        &s,
        Method::PUT,
        &format!("{path}/billOfMaterials"),
        Some(&products),
        200,
    )
    .await;
    assert_eq!(bom["products"][0]["type"], "PING_ONE_MFA");
    expect(
        &s,
        Method::PUT,
        &format!("{path}/billOfMaterials"),
        Some(&json!({"products": [{"type": "X"}]})),
        400,
    )
    .await;

    expect(
        &s,
        Method::PUT,
        &format!("{path}/type"),
        Some(&json!({"type": "SANDBOX"})),
        200,
    )
    .await;
    expect(&s, Method::DELETE, &path, None, 204).await;
    expect(&s, Method::GET, &path, None, 404).await;
    let under = expect(&s, Method::GET, &format!("{path}/populations"), None, 403).await;
    assert_eq!(under["code"], "ACCESS_FAILED");
}

#[tokio::test]
async fn environment_lists_filter_by_name_license_and_status() {
    let s = Session::start().await;
    new_env(&s, "Team A").await;
    new_env(&s, "Team B").await;
    new_env(&s, "Other").await;
    let filter = format!(
        "name sw \"Team\" and license.id eq \"{}\"",
        s.creds.license_id
    );
    let query = format!("/v1/environments?filter={}", urlencode(&filter));
    let list = expect(&s, Method::GET, &query, None, 200).await;
    assert_eq!(
        list["_embedded"]["environments"].as_array().map(Vec::len),
        Some(2)
    );
    let by_org = format!(
        "/v1/environments?filter={}",
        urlencode(&format!(
            "organization.id eq \"{}\"",
            s.creds.organization_id
        ))
    );
    let all = expect(&s, Method::GET, &by_org, None, 200).await;
    assert_eq!(
        all["_embedded"]["environments"].as_array().map(Vec::len),
        Some(4)
    );
    let bad = expect(
        &s,
        Method::GET,
        &format!("/v1/environments?filter={}", urlencode("type eq \"x\"")),
        None,
        400,
    )
    .await;
    assert_eq!(detail(&bad)["code"], "INVALID_FILTER");
}

#[tokio::test]
async fn roles_are_listed_with_scopes_and_permissions() {
    let s = Session::start().await;
    let roles = expect(&s, Method::GET, "/v1/roles", None, 200).await;
    let list = roles["_embedded"]["roles"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ida = list
        .iter()
        .find(|r| r["name"] == "Identity Data Admin")
        .expect("IDA");
    assert_eq!(ida["applicableTo"], json!(["ENVIRONMENT", "POPULATION"]));
    assert!(
        ida["permissions"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["id"] == "core:create:user"))
    );
    let id = ida["id"].as_str().expect("id");
    let one = expect(&s, Method::GET, &format!("/v1/roles/{id}"), None, 200).await;
    assert_eq!(one["name"], "Identity Data Admin");
    expect(
        &s,
        Method::GET,
        &format!("/v1/roles/{}", uuid::Uuid::new_v4()),
        None,
        404,
    )
    .await;
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

fn users_path(s: &Session) -> String {
    s.env_path("/users")
}

async fn new_user(s: &Session, username: &str) -> Value {
    let body = json!({"username": username, "email": format!("{username}@example.com"), "name": {"given": "G", "family": "F"}});
    expect(s, Method::POST, &users_path(s), Some(&body), 201).await
}

/// A request with an explicit Content-Type and raw body.
async fn send_typed(
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
    support::http::reply(response).await
}

#[tokio::test]
async fn users_crud_uniqueness_and_population_counts() {
    let s = Session::start().await;
    let user = new_user(&s, "alice").await;
    let id = user["id"].as_str().expect("id");
    assert_eq!(
        (user["enabled"].clone(), user["mfaEnabled"].clone()),
        (json!(true), json!(false))
    );
    let pops = expect(&s, Method::GET, &s.env_path("/populations"), None, 200).await;
    let default = &pops["_embedded"]["populations"][0];
    assert_eq!(user["population"]["id"], default["id"]);
    assert_eq!(default["userCount"], 1);

    let dup = json!({"username": "ALICE", "email": "x@example.com"});
    let error = expect(&s, Method::POST, &users_path(&s), Some(&dup), 400).await;
    assert_eq!(
        (error["code"].clone(), detail(&error)["code"].clone()),
        (json!("INVALID_DATA"), json!("UNIQUENESS_VIOLATION"))
    );
    assert_eq!(detail(&error)["innerError"]["existingId"], id);
    let no_email = expect(
        &s,
        Method::POST,
        &users_path(&s),
        Some(&json!({"username": "bob"})),
        400,
    )
    .await;
    assert_eq!(detail(&no_email)["target"], "email");

    let path = format!("{}/{id}", users_path(&s));
    let patched = expect(
        &s,
        Method::PATCH,
        &path,
        Some(&json!({"nickname": "Al", "enabled": false})),
        200,
    )
    .await;
    assert_eq!(
        (
            patched["nickname"].clone(),
            patched["name"]["given"].clone(),
            patched["enabled"].clone()
        ),
        (json!("Al"), json!("G"), json!(true))
    );
    let put = json!({"username": "alice", "email": "alice@example.com", "title": "Dr"});
    let replaced = expect(&s, Method::PUT, &path, Some(&put), 200).await;
    assert!(
        replaced.get("name").is_none() && replaced.get("nickname").is_none(),
        "{replaced}"
    );
    let disabled = expect(
        &s,
        Method::PUT,
        &format!("{path}/enabled"),
        Some(&json!({"enabled": false})),
        200,
    )
    .await;
    assert_eq!(disabled["enabled"], false);
    expect_raw(
        &s,
        Method::PUT,
        &format!("{path}/mfaEnabled"),
        Some(&json!({"mfaEnabled": true})),
        200,
    )
    .await;
    let read = expect(&s, Method::GET, &path, None, 200).await;
    assert_eq!(
        (read["enabled"].clone(), read["mfaEnabled"].clone()),
        (json!(false), json!(true))
    );

    let staff = expect(
        &s,
        Method::POST,
        &s.env_path("/populations"),
        Some(&json!({"name": "Staff"})),
        201,
    )
    .await;
    let staff_id = staff["id"].as_str().expect("id");
    expect(
        &s,
        Method::PUT,
        &format!("{path}/population"),
        Some(&json!({"id": staff_id})),
        200,
    )
    .await;
    let staff_path = s.env_path(&format!("/populations/{staff_id}"));
    assert_eq!(
        expect(&s, Method::GET, &staff_path, None, 200).await["userCount"],
        1
    );
    let busy = expect(&s, Method::DELETE, &staff_path, None, 400).await;
    assert!(
        busy["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("The request could not be completed")
    );
    expect(&s, Method::DELETE, &path, None, 204).await;
    assert_eq!(
        expect(&s, Method::GET, &staff_path, None, 200).await["userCount"],
        0
    );
    expect(&s, Method::DELETE, &staff_path, None, 204).await;
    expect(&s, Method::GET, &path, None, 404).await;
}

#[tokio::test]
async fn passwords_import_account_lock_and_content_types() {
    let s = Session::start().await;
    let import = json!({"username": "imp", "email": "imp@example.com", "password": {"value": "Secr3t!Passw0rd", "forceChange": true}});
    let reply = send_typed(
        &s,
        Method::POST,
        &users_path(&s),
        "application/vnd.pingidentity.user.import+json",
        &import.to_string(),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.body);
    assert!(reply.body.get("password").is_none());
    let path = format!(
        "{}/{}",
        users_path(&s),
        reply.body["id"].as_str().expect("id")
    );
    let state = expect_raw(&s, Method::GET, &format!("{path}/password"), None, 200).await;
    assert_eq!(state["status"], "MUST_CHANGE_PASSWORD");
    assert!(!state.to_string().contains("Secr3t"));

    let set = json!({"value": "An0ther!Password", "forceChange": false}).to_string();
    let wrong = send_typed(
        &s,
        Method::PUT,
        &format!("{path}/password"),
        "application/json",
        &set,
    )
    .await;
    assert_eq!(
        (wrong.status.as_u16(), wrong.body["code"].clone()),
        (415, json!("INVALID_REQUEST"))
    );
    let right = send_typed(
        &s,
        Method::PUT,
        &format!("{path}/password"),
        "application/vnd.pingidentity.password.set+json",
        &set,
    )
    .await;
    assert_eq!(
        (right.status.as_u16(), right.body["status"].clone()),
        (200, json!("OK"))
    );
    let fresh = new_user(&s, "nopw").await;
    let none = expect_raw(
        &s,
        Method::GET,
        &format!(
            "{}/{}/password",
            users_path(&s),
            fresh["id"].as_str().expect("id")
        ),
        None,
        200,
    )
    .await;
    assert_eq!(none["status"], "NO_PASSWORD");

    let locked = send_typed(
        &s,
        Method::POST,
        &path,
        "application/vnd.pingidentity.account.lock+json",
        "",
    )
    .await;
    assert_eq!(
        (
            locked.status.as_u16(),
            locked.body["account"]["status"].clone()
        ),
        (200, json!("LOCKED"))
    );
    let unlocked = send_typed(
        &s,
        Method::POST,
        &path,
        "application/vnd.pingidentity.account.unlock+json",
        "",
    )
    .await;
    assert_eq!(unlocked.body["account"]["status"], "OK");
    let bad = send_typed(&s, Method::POST, &path, "application/json", "{}").await;
    assert_eq!(bad.status.as_u16(), 415);
}

#[tokio::test]
async fn user_lists_page_and_filter() {
    let s = Session::start().await;
    for name in ["ann", "andy", "bob", "carl", "anton"] {
        new_user(&s, name).await;
    }
    let mut seen = Vec::new();
    let mut next = Some(format!("{}?limit=2", users_path(&s)));
    while let Some(path) = next.take() {
        let page = expect(&s, Method::GET, &path, None, 200).await;
        seen.extend(
            page["_embedded"]["users"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|u| u["username"].clone()),
        );
        next = page["_links"]["next"]["href"]
            .as_str()
            .map(|h| h.trim_start_matches(&s.creds.api_url).to_owned());
    }
    assert_eq!(seen, ["ann", "andy", "bob", "carl", "anton"]);
    let filtered = |f: &str| format!("{}?filter={}", users_path(&s), urlencode(f));
    let sw = expect(
        &s,
        Method::GET,
        &filtered("username sw \"an\" and name.given eq \"G\""),
        None,
        200,
    )
    .await;
    assert_eq!(sw["_embedded"]["users"].as_array().map(Vec::len), Some(3));
    let eq = expect(&s, Method::GET, &filtered("username eq \"BOB\""), None, 200).await;
    assert_eq!(eq["_embedded"]["users"][0]["username"], "bob");
    let email = expect(
        &s,
        Method::GET,
        &filtered("email ew \"@example.com\" or enabled eq \"false\""),
        None,
        200,
    )
    .await;
    assert_eq!(
        email["_embedded"]["users"].as_array().map(Vec::len),
        Some(5)
    );
    let bad = expect(&s, Method::GET, &filtered("password eq \"x\""), None, 400).await;
    assert_eq!(detail(&bad)["code"], "INVALID_FILTER");
}

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

/// A token for an application of environment `env` by client_secret_basic.
async fn app_token(s: &Session, env: &str, id: &str, secret: &str) -> Reply {
    let response = s
        .client
        .post(format!("{}/{env}/as/token", s.creds.auth_url))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    support::http::reply(response).await
}

/// A call with another bearer token.
async fn call_as(
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
    support::http::reply(request.send().await.expect("send")).await
}

fn worker_body(name: &str) -> Value {
    json!({"name": name, "enabled": true, "type": "WORKER", "protocol": "OPENID_CONNECT",
           "grantTypes": ["CLIENT_CREDENTIALS"], "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC",
           "assignActorRoles": false})
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

#[tokio::test]
async fn groups_memberships_nesting_and_group_filters() {
    let s = Session::start().await;
    let groups = s.env_path("/groups");
    let staff = expect(
        &s,
        Method::POST,
        &groups,
        Some(&json!({"name": "Staff", "description": "d"})),
        201,
    )
    .await;
    let all = expect(
        &s,
        Method::POST,
        &groups,
        Some(&json!({"name": "Everyone"})),
        201,
    )
    .await;
    let dup = expect(
        &s,
        Method::POST,
        &groups,
        Some(&json!({"name": "staff"})),
        400,
    )
    .await;
    assert_eq!(detail(&dup)["code"], "UNIQUENESS_VIOLATION");
    let staff_id = staff["id"].as_str().expect("id");
    let all_id = all["id"].as_str().expect("id");
    let nesting = format!("{groups}/{staff_id}/memberOfGroups");
    expect(
        &s,
        Method::POST,
        &nesting,
        Some(&json!({"id": all_id})),
        201,
    )
    .await;
    expect(
        &s,
        Method::POST,
        &format!("{groups}/{all_id}/memberOfGroups"),
        Some(&json!({"id": staff_id})),
        400,
    )
    .await;

    let user = new_user(&s, "member").await;
    let user_id = user["id"].as_str().expect("id");
    let member_of = format!("{}/{user_id}/memberOfGroups", users_path(&s));
    let made = expect(
        &s,
        Method::POST,
        &member_of,
        Some(&json!({"id": staff_id})),
        201,
    )
    .await;
    assert_eq!(
        (made["id"].clone(), made["type"].clone()),
        (json!(staff_id), json!("DIRECT"))
    );
    expect(
        &s,
        Method::POST,
        &member_of,
        Some(&json!({"id": staff_id})),
        400,
    )
    .await;
    let list = expect(
        &s,
        Method::GET,
        &format!("{member_of}?expand=group"),
        None,
        200,
    )
    .await;
    let kinds: Vec<_> = list["_embedded"]["groupMemberships"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| (m["name"].clone(), m["type"].clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (json!("Staff"), json!("DIRECT")),
            (json!("Everyone"), json!("INDIRECT"))
        ]
    );
    let with_ids = expect(
        &s,
        Method::GET,
        &format!("{}/{user_id}?include=memberOfGroupIDs", users_path(&s)),
        None,
        200,
    )
    .await;
    assert_eq!(with_ids["memberOfGroupIDs"], json!([staff_id]));
    let filter = urlencode(&format!(
        "memberOfGroups[id eq \"{staff_id}\"] and name.family eq \"F\""
    ));
    let found = expect(
        &s,
        Method::GET,
        &format!("{}?filter={filter}", users_path(&s)),
        None,
        200,
    )
    .await;
    assert_eq!(found["_embedded"]["users"][0]["id"], user_id);
    let counted = expect(
        &s,
        Method::GET,
        &format!("{groups}/{all_id}?include=totalMemberCounts"),
        None,
        200,
    )
    .await;
    assert_eq!(
        (
            counted["directMemberCounts"]["users"].clone(),
            counted["totalMemberCounts"]["users"].clone()
        ),
        (json!(0), json!(1))
    );

    let assignments = format!("{groups}/{staff_id}/roleAssignments");
    let roles = expect(
        &s,
        Method::GET,
        "/v1/roles?filter=name%20eq%20%22Identity%20Data%20Read%20Only%22",
        None,
        200,
    )
    .await;
    let grant = json!({"role": {"id": roles["_embedded"]["roles"][0]["id"]}, "scope": {"type": "ENVIRONMENT", "id": s.creds.environment_id}});
    let assigned = expect(&s, Method::POST, &assignments, Some(&grant), 201).await;
    assert_eq!(assigned["group"]["id"], staff_id);

    expect(
        &s,
        Method::DELETE,
        &format!("{member_of}/{staff_id}"),
        None,
        204,
    )
    .await;
    expect(
        &s,
        Method::DELETE,
        &format!("{member_of}/{staff_id}"),
        None,
        404,
    )
    .await;
    expect(
        &s,
        Method::DELETE,
        &format!("{nesting}/{all_id}"),
        None,
        204,
    )
    .await;
    let renamed = expect(
        &s,
        Method::PUT,
        &format!("{groups}/{staff_id}"),
        Some(&json!({"name": "Staff 2"})),
        200,
    )
    .await;
    assert!(renamed.get("description").is_none());
    expect(
        &s,
        Method::DELETE,
        &format!("{groups}/{staff_id}"),
        None,
        204,
    )
    .await;
    expect(&s, Method::GET, &format!("{groups}/{staff_id}"), None, 404).await;
    let list = expect(
        &s,
        Method::GET,
        &format!("{groups}?filter={}", urlencode("name sw \"Every\"")),
        None,
        200,
    )
    .await;
    assert_eq!(
        list["_embedded"]["groups"].as_array().map(Vec::len),
        Some(1)
    );
}
