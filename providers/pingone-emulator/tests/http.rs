//! End-to-end tests of the emulator over real HTTP on 127.0.0.1, with reqwest.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pingone_emulator::{Credentials, Emulator, RunningEmulator, spawn};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

async fn start() -> (RunningEmulator, Client) {
    let emulator = Emulator::open(None).expect("open");
    let running = spawn(emulator, "127.0.0.1:0").await.expect("spawn");
    (running, Client::new())
}

fn token_url(creds: &Credentials) -> String {
    format!("{}/{}/as/token", creds.auth_url, creds.environment_id)
}

async fn token(client: &Client, creds: &Credentials) -> String {
    let response = client
        .post(token_url(creds))
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token request");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("token json");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// The status and JSON body of a response, checking errors are application/json.
async fn parts(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("body");
    if text.is_empty() {
        return (status, Value::Null);
    }
    assert_eq!(content_type, "application/json", "{status} {text}");
    (status, serde_json::from_str(&text).expect("json body"))
}

fn populations_url(creds: &Credentials) -> String {
    format!(
        "{}/v1/environments/{}/populations",
        creds.api_url, creds.environment_id
    )
}

fn assert_p1_error(body: &Value, code: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert!(body["message"].is_string(), "{body}");
    let id = body["id"].as_str().unwrap_or_default();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{body}");
}

fn jwt_part(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).expect("jwt part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64")).expect("json")
}

#[tokio::test]
async fn basic_auth_token_is_an_rs256_jwt_matching_the_jwks() {
    let (running, client) = start().await;
    let creds = running.credentials();
    let response = client
        .post(token_url(&creds))
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("send");
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let (status, body) = parts(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (body["token_type"].clone(), body["expires_in"].clone()),
        (json!("Bearer"), json!(3600))
    );
    let token = body["access_token"].as_str().expect("token");
    let (header, claims) = (jwt_part(token, 0), jwt_part(token, 1));
    assert_eq!(header["alg"], "RS256");
    assert_eq!(
        claims["iss"],
        format!("{}/{}/as", creds.auth_url, creds.environment_id)
    );
    assert_eq!(claims["client_id"], creds.client_id.as_str());
    assert_eq!(claims["env"], creds.environment_id.as_str());
    assert_eq!(claims["org"], creds.organization_id.as_str());
    for claim in ["aud", "exp", "iat", "sub", "jti"] {
        assert!(!claims[claim].is_null(), "missing {claim}");
    }
    let jwks_url = format!("{}/{}/as/jwks", creds.auth_url, creds.environment_id);
    let (status, jwks) = parts(client.get(jwks_url).send().await.expect("jwks")).await;
    assert_eq!(status, StatusCode::OK);
    let key = &jwks["keys"][0];
    assert_eq!(
        (key["kid"].clone(), key["kty"].clone(), key["use"].clone()),
        (header["kid"].clone(), json!("RSA"), json!("sig"))
    );
    running.shutdown().await;
}

#[tokio::test]
async fn token_endpoint_refuses_bad_clients_and_requests() {
    let (running, client) = start().await;
    let creds = running.credentials();
    let url = token_url(&creds);
    let grant = [("grant_type", "client_credentials")];

    let bad_secret = client
        .post(&url)
        .basic_auth(&creds.client_id, Some("wrong"))
        .form(&grant);
    let response = bad_secret.send().await.expect("send");
    assert!(response.headers().contains_key("www-authenticate"));
    let (status, body) = parts(response).await;
    assert_eq!(
        (status, body["error"].clone()),
        (StatusCode::UNAUTHORIZED, json!("invalid_client"))
    );

    // The seeded worker is CLIENT_SECRET_BASIC: credentials in the body are refused.
    let post_form = [
        ("grant_type", "client_credentials"),
        ("client_id", creds.client_id.as_str()),
        ("client_secret", creds.client_secret.as_str()),
    ];
    let (status, body) = parts(
        client
            .post(&url)
            .form(&post_form)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(
        (status, body["error"].clone()),
        (StatusCode::UNAUTHORIZED, json!("invalid_client"))
    );

    let basic = |form: &'static [(&'static str, &'static str)]| {
        client
            .post(&url)
            .basic_auth(&creds.client_id, Some(&creds.client_secret))
            .form(form)
    };
    let (status, body) = parts(
        basic(&[("grant_type", "password")])
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(
        (status, body["error"].clone()),
        (StatusCode::BAD_REQUEST, json!("unsupported_grant_type"))
    );
    let (status, body) = parts(basic(&[("scope", "x")]).send().await.expect("send")).await;
    assert_eq!(
        (status, body["error"].clone()),
        (StatusCode::BAD_REQUEST, json!("invalid_request"))
    );

    let unknown_env = format!("{}/{}/as/token", creds.auth_url, uuid::Uuid::new_v4());
    let request = client
        .post(unknown_env)
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&grant);
    let (status, body) = parts(request.send().await.expect("send")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body["error"].is_string() && body["code"] == "NOT_FOUND",
        "{body}"
    );
    running.shutdown().await;
}

#[tokio::test]
async fn management_calls_need_a_valid_bearer_token() {
    let (running, client) = start().await;
    let creds = running.credentials();
    let url = populations_url(&creds);

    let (status, body) = parts(client.get(&url).send().await.expect("send")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_p1_error(&body, "ACCESS_FAILED");
    assert_eq!(body["details"][0]["code"], "INVALID_TOKEN");

    let token = token(&client, &creds).await;
    let mut tampered: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut claims = jwt_part(&token, 1);
    claims["exp"] = json!(claims["exp"].as_i64().unwrap_or_default() + 86_400);
    tampered[1] = URL_SAFE_NO_PAD.encode(claims.to_string());
    let (status, body) = parts(
        client
            .get(&url)
            .bearer_auth(tampered.join("."))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_p1_error(&body, "ACCESS_FAILED");

    let (status, _) = parts(
        client
            .get(&url)
            .bearer_auth("garbage")
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = parts(
        client
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    running.shutdown().await;
}

#[tokio::test]
async fn environments_and_organizations() {
    let (running, client) = start().await;
    let creds = running.credentials();
    let token = token(&client, &creds).await;
    let get = |path: String| {
        client
            .get(format!("{}{path}", creds.api_url))
            .bearer_auth(&token)
            .send()
    };

    let (status, env) = parts(
        get(format!("/v1/environments/{}", creds.environment_id))
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            env["name"].clone(),
            env["type"].clone(),
            env["region"].clone()
        ),
        (json!("Administrators"), json!("PRODUCTION"), json!("NA"))
    );
    assert_eq!(env["license"]["id"], creds.license_id.as_str());
    assert_eq!(env["organization"]["id"], creds.organization_id.as_str());
    assert_eq!(
        env["_links"]["self"]["href"],
        format!("{}/v1/environments/{}", creds.api_url, creds.environment_id)
    );

    let missing = uuid::Uuid::new_v4().to_string();
    let (status, body) = parts(
        get(format!("/v1/environments/{missing}"))
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_p1_error(&body, "NOT_FOUND");
    assert_eq!(
        body["message"],
        format!("Unable to find environment with ID: '{missing}'")
    );

    let (status, body) = parts(
        get(format!("/v1/environments/{missing}/populations"))
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_p1_error(&body, "ACCESS_FAILED");

    let (status, list) = parts(get("/v1/environments".into()).await.expect("send")).await;
    assert_eq!((status, list["count"].clone()), (StatusCode::OK, json!(1)));
    let (_, orgs) = parts(get("/v1/organizations".into()).await.expect("send")).await;
    assert_eq!(
        orgs["_embedded"]["organizations"][0]["id"],
        creds.organization_id.as_str()
    );
    let licenses = format!("/v1/organizations/{}/licenses", creds.organization_id);
    let (_, licenses) = parts(get(licenses).await.expect("send")).await;
    assert_eq!(
        licenses["_embedded"]["licenses"][0]["environments"]["allowProduction"],
        true
    );
    running.shutdown().await;
}

#[tokio::test]
async fn population_crud_round_trip() {
    let (running, client) = start().await;
    let creds = running.credentials();
    let token = token(&client, &creds).await;
    let url = populations_url(&creds);

    let create = json!({"name": "Staff", "description": "People", "passwordPolicy": {"id": "p"}, "alternativeIdentifiers": ["s"]});
    let (status, created) = parts(
        client
            .post(&url)
            .bearer_auth(&token)
            .json(&create)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(
        (created["default"].clone(), created["userCount"].clone()),
        (json!(false), json!(0))
    );
    assert_eq!(created["environment"]["id"], creds.environment_id.as_str());
    assert_eq!(created["passwordPolicy"]["id"], "p");
    assert!(created["createdAt"].is_string() && created["updatedAt"].is_string());
    let one = format!("{url}/{id}");
    assert_eq!(created["_links"]["self"]["href"], one.as_str());

    let (status, read) = parts(
        client
            .get(&one)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(
        (status, read["name"].clone()),
        (StatusCode::OK, json!("Staff"))
    );

    let replace = json!({"name": "Employees", "id": "ignored", "userCount": 9});
    let (status, replaced) = parts(
        client
            .put(&one)
            .bearer_auth(&token)
            .json(&replace)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            replaced["id"].clone(),
            replaced["name"].clone(),
            replaced["userCount"].clone()
        ),
        (json!(id), json!("Employees"), json!(0))
    );
    assert!(
        replaced.get("description").is_none() && replaced.get("passwordPolicy").is_none(),
        "{replaced}"
    );
    assert_eq!(replaced["createdAt"], created["createdAt"]);

    let (status, body) = parts(
        client
            .delete(&one)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = parts(
        client
            .get(&one)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_p1_error(&body, "NOT_FOUND");
    let (status, _) = parts(
        client
            .put(&one)
            .bearer_auth(&token)
            .json(&replace)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    running.shutdown().await;
}

#[tokio::test]
async fn population_validation_uniqueness_and_delete_rules() {
    let (running, client) = start().await;
    let creds = running.credentials();
    let token = token(&client, &creds).await;
    let url = populations_url(&creds);
    let post = |body: Value| client.post(&url).bearer_auth(&token).json(&body).send();

    let (status, body) = parts(post(json!({"description": "no name"})).await.expect("send")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_p1_error(&body, "INVALID_DATA");
    assert_eq!(
        (
            body["details"][0]["code"].clone(),
            body["details"][0]["target"].clone()
        ),
        (json!("REQUIRED_VALUE"), json!("name"))
    );

    let (_, list) = parts(
        client
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    let default = list["_embedded"]["populations"][0].clone();
    assert_eq!(
        (default["name"].clone(), default["default"].clone()),
        (json!("Default"), json!(true))
    );
    assert_eq!(default["description"], "Automatically created population.");

    let (status, body) = parts(post(json!({"name": "Default"})).await.expect("send")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_p1_error(&body, "INVALID_DATA");
    let detail = &body["details"][0];
    assert_eq!(
        (detail["code"].clone(), detail["target"].clone()),
        (json!("UNIQUENESS_VIOLATION"), json!("name"))
    );
    assert_eq!(detail["innerError"]["existingId"], default["id"]);

    let default_url = format!("{url}/{}", default["id"].as_str().unwrap_or_default());
    let (status, body) = parts(
        client
            .delete(&default_url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["details"][0]["code"], "CONSTRAINT_VIOLATION");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("The request could not be completed")
    );

    let (status, new_default) = parts(
        post(json!({"name": "Staff", "default": true}))
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(
        (status, new_default["default"].clone()),
        (StatusCode::CREATED, json!(true))
    );
    let (_, old) = parts(
        client
            .get(&default_url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(old["default"], false);
    let (status, _) = parts(
        client
            .delete(&default_url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    running.shutdown().await;
}

#[tokio::test]
async fn paging_follows_next_links_and_filters_apply() {
    let (running, client) = start().await;
    let creds = running.credentials();
    let token = token(&client, &creds).await;
    let url = populations_url(&creds);
    for name in ["Alpha", "Beta", "Alpine"] {
        let response = client
            .post(&url)
            .bearer_auth(&token)
            .json(&json!({"name": name}))
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), StatusCode::CREATED);
    }

    let mut names = Vec::new();
    let mut next = Some(format!("{url}?limit=1"));
    while let Some(href) = next.take() {
        let (status, page) = parts(
            client
                .get(&href)
                .bearer_auth(&token)
                .send()
                .await
                .expect("send"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (page["size"].clone(), page["count"].clone()),
            (json!(1), json!(4))
        );
        assert_eq!(page["_links"]["self"]["href"], href.as_str());
        names.push(
            page["_embedded"]["populations"][0]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
        next = page["_links"]["next"]["href"].as_str().map(str::to_owned);
        assert!(names.len() <= 4, "paging does not end");
    }
    assert_eq!(names, ["Default", "Alpha", "Beta", "Alpine"]);

    let filtered = |filter: &str| {
        client
            .get(&url)
            .bearer_auth(&token)
            .query(&[("filter", filter)])
            .send()
    };
    let (_, page) = parts(filtered(r#"name eq "Beta""#).await.expect("send")).await;
    assert_eq!(page["_embedded"]["populations"][0]["name"], "Beta");
    assert_eq!(page["count"], 1);
    let (_, page) = parts(
        filtered(r#"name sw "Alp" or name eq "Default""#)
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(page["count"], 3);
    let id = names_id(&page, "Alpine");
    let (_, page) = parts(filtered(&format!(r#"id eq "{id}""#)).await.expect("send")).await;
    assert_eq!(page["_embedded"]["populations"][0]["name"], "Alpine");

    let (status, body) = parts(filtered(r#"description eq "x""#).await.expect("send")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_p1_error(&body, "INVALID_DATA");
    assert_eq!(body["details"][0]["code"], "INVALID_FILTER");
    assert_eq!(
        body["details"][0]["innerError"]["supportedAttributes"],
        json!(["id", "name"])
    );
    running.shutdown().await;
}

fn names_id(page: &Value, name: &str) -> String {
    let items = page["_embedded"]["populations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let item = items.iter().find(|p| p["name"] == name).expect("item");
    item["id"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn malformed_requests_and_unknown_routes_get_pingone_error_bodies() {
    let (running, client) = start().await;
    let creds = running.credentials();
    let token = token(&client, &creds).await;
    let url = populations_url(&creds);

    let malformed = client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"name\": ");
    let (status, body) = parts(malformed.send().await.expect("send")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_p1_error(&body, "INVALID_DATA");

    let not_json = client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("name=x");
    let (status, body) = parts(not_json.send().await.expect("send")).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_p1_error(&body, "INVALID_REQUEST");

    let (status, body) = parts(
        client
            .get(format!("{}/v1/nothing", creds.api_url))
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_p1_error(&body, "NOT_FOUND");

    let (status, body) = parts(
        client
            .patch(&url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_p1_error(&body, "METHOD_NOT_ALLOWED");

    let (status, body) = parts(
        client
            .get(format!("{url}?limit=0"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_p1_error(&body, "INVALID_DATA");
    running.shutdown().await;
}

#[tokio::test]
async fn data_file_keeps_the_tenant_and_its_tokens_across_restarts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("emulator.json");
    let client = Client::new();

    let first = spawn(Emulator::open(Some(&path)).expect("open"), "127.0.0.1:0")
        .await
        .expect("spawn");
    let creds = first.credentials();
    let token = token(&client, &creds).await;
    let created = client
        .post(populations_url(&creds))
        .bearer_auth(&token)
        .json(&json!({"name": "Kept"}))
        .send()
        .await
        .expect("send");
    assert_eq!(created.status(), StatusCode::CREATED);
    first.shutdown().await;

    let second = spawn(Emulator::open(Some(&path)).expect("reopen"), "127.0.0.1:0")
        .await
        .expect("spawn");
    let creds2 = second.credentials();
    assert_eq!(
        (creds2.client_id.as_str(), creds2.client_secret.as_str()),
        (creds.client_id.as_str(), creds.client_secret.as_str())
    );
    let url = format!("{}?filter=name%20eq%20%22Kept%22", populations_url(&creds2));
    let (status, page) = parts(
        client
            .get(url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a token from the first process works on the second"
    );
    assert_eq!(page["count"], 1);
    second.shutdown().await;
}

#[tokio::test]
async fn credentials_debug_hides_the_secret_and_env_lines_export_it() {
    let (running, _) = start().await;
    let creds = running.credentials();
    assert!(!format!("{creds:?}").contains(&creds.client_secret));
    assert!(creds.env_lines().contains(&format!(
        "export PINGONE_CLIENT_SECRET={}\n",
        creds.client_secret
    )));
    assert_eq!(creds.api_url, running.base_url());
    assert_eq!(running.local_addr().ip().to_string(), "127.0.0.1");
}
