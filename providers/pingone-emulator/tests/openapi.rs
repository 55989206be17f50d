//! Fidelity: every body the emulator's endpoints answer matches the response schema of its
//! operation in PingOne's OpenAPI specification, and the harness catches misnamed or mistyped
//! fields. Skipped (with a message) when the specification is not found.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use support::http::Session;
use support::openapi::{assert_matches_component, assert_matches_spec, available, check};

/// Calls `path` and checks the answer has `status` and matches the spec.
async fn checked(
    s: &Session,
    method: Method,
    path: &str,
    body: Option<&Value>,
    status: u16,
) -> Value {
    let reply = s.call(method.clone(), path, body).await;
    assert_eq!(
        reply.status.as_u16(),
        status,
        "{method} {path}: {}",
        reply.body
    );
    if !reply.body.is_null() {
        assert_matches_spec(method.as_str(), path, status, &reply.body);
    }
    reply.body
}

#[tokio::test]
async fn environments_organizations_and_licenses_match_the_spec() {
    let s = Session::start().await;
    let list = checked(&s, Method::GET, "/v1/environments", None, 200).await;
    checked(&s, Method::GET, "/v1/environments?limit=1", None, 200).await;
    checked(&s, Method::GET, &s.env_path(""), None, 200).await;
    let missing = format!("/v1/environments/{}", uuid::Uuid::new_v4());
    checked(&s, Method::GET, &missing, None, 404).await;
    checked(
        &s,
        Method::GET,
        "/v1/environments?filter=bogus%20eq%20%22x%22",
        None,
        400,
    )
    .await;

    let orgs = checked(&s, Method::GET, "/v1/organizations", None, 200).await;
    let org_id = orgs["_embedded"]["organizations"][0]["id"]
        .as_str()
        .expect("org id");
    assert_eq!(
        list["_embedded"]["environments"][0]["organization"]["id"],
        org_id
    );
    checked(
        &s,
        Method::GET,
        &format!("/v1/organizations/{org_id}"),
        None,
        200,
    )
    .await;
    let licenses_path = format!("/v1/organizations/{org_id}/licenses");
    let licenses = checked(&s, Method::GET, &licenses_path, None, 200).await;
    let license_id = licenses["_embedded"]["licenses"][0]["id"]
        .as_str()
        .expect("license");
    checked(
        &s,
        Method::GET,
        &format!("{licenses_path}/{license_id}"),
        None,
        200,
    )
    .await;
    s.running.shutdown().await;
}

#[tokio::test]
async fn populations_and_their_errors_match_the_spec() {
    let s = Session::start().await;
    let list_path = s.env_path("/populations");
    checked(&s, Method::GET, &list_path, None, 200).await;
    let input = json!({ "name": "Staff", "description": "people" });
    let created = checked(&s, Method::POST, &list_path, Some(&input), 201).await;
    let one_path = format!("{list_path}/{}", created["id"].as_str().expect("id"));
    checked(&s, Method::GET, &one_path, None, 200).await;
    checked(&s, Method::GET, &format!("{list_path}?limit=1"), None, 200).await;
    checked(
        &s,
        Method::PUT,
        &one_path,
        Some(&json!({ "name": "Staff 2" })),
        200,
    )
    .await;
    // Errors: uniqueness (innerError.existingId), validation, unknown ids and environments.
    checked(
        &s,
        Method::POST,
        &list_path,
        Some(&json!({ "name": "Staff 2" })),
        400,
    )
    .await;
    checked(
        &s,
        Method::POST,
        &list_path,
        Some(&json!({ "name": 7 })),
        400,
    )
    .await;
    checked(
        &s,
        Method::GET,
        &format!("{list_path}/{}", uuid::Uuid::new_v4()),
        None,
        404,
    )
    .await;
    let elsewhere = format!("/v1/environments/{}/populations", uuid::Uuid::new_v4());
    checked(&s, Method::GET, &elsewhere, None, 403).await;
    checked(&s, Method::DELETE, &one_path, None, 204).await;
    let unauthenticated = s.client.get(s.url(&list_path)).send().await.expect("send");
    let reply = support::http::reply(unauthenticated).await;
    assert_eq!(reply.status, 401);
    assert_matches_spec("GET", &list_path, 401, &reply.body);
    s.running.shutdown().await;
}

#[tokio::test]
async fn unknown_routes_answer_the_error_schema() {
    let s = Session::start().await;
    let reply = s.call(Method::GET, "/v1/nothing/here", None).await;
    assert_eq!(reply.status, 404);
    assert_matches_component("P1Error", &reply.body);
    s.running.shutdown().await;
}

/// A population as the emulator renders it, for the negative checks below.
fn population() -> Value {
    json!({
        "_links": { "self": { "href": "http://127.0.0.1:1/v1/environments/e/populations/p" } },
        "id": "p", "environment": { "id": "e" }, "name": "Staff", "default": false,
        "userCount": 0, "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:00.000Z"
    })
}

fn errors_of(method: &str, path: &str, status: u16, body: &Value) -> Vec<String> {
    match check(method, path, status, body) {
        Some(Err(errors)) => errors,
        Some(Ok(())) => Vec::new(),
        None => vec!["skipped".to_owned()],
    }
}

#[test]
fn misnamed_and_mistyped_fields_fail_validation() {
    if !available() {
        return;
    }
    let path = "/v1/environments/e/populations/p";
    assert_eq!(
        errors_of("GET", path, 200, &population()),
        Vec::<String>::new()
    );

    let mut misnamed = population();
    let count = misnamed["userCount"].take();
    misnamed
        .as_object_mut()
        .expect("object")
        .remove("userCount");
    misnamed["usersCount"] = count;
    let errors = errors_of("GET", path, 200, &misnamed);
    assert!(
        errors.iter().any(|e| e.contains("usersCount")),
        "{errors:?}"
    );

    let mut mistyped = population();
    mistyped["userCount"] = json!("0");
    let errors = errors_of("GET", path, 200, &mistyped);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("$.userCount: expected integer")),
        "{errors:?}"
    );

    let mut nested = population();
    nested["environment"] = json!({ "id": 5 });
    assert!(!errors_of("GET", path, 200, &nested).is_empty());

    let mut missing = population();
    missing.as_object_mut().expect("object").remove("name");
    let errors = errors_of("GET", path, 200, &missing);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("missing required property `name`")),
        "{errors:?}"
    );

    let mut link = population();
    link["_links"]["self"] = json!({ "hrf": "x" });
    assert!(!errors_of("GET", path, 200, &link).is_empty());
}

#[test]
fn enums_arrays_and_one_of_are_checked() {
    if !available() {
        return;
    }
    let env = json!({
        "id": "e", "name": "Admin", "type": "SANDBOX", "region": "NA",
        "license": { "id": "l" }, "organization": { "id": "o" },
        "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:00.000Z"
    });
    let path = "/v1/environments/e";
    assert_eq!(errors_of("GET", path, 200, &env), Vec::<String>::new());
    let mut bad_type = env.clone();
    bad_type["type"] = json!("SANDBOXX");
    assert!(!errors_of("GET", path, 200, &bad_type).is_empty());
    // region is oneOf [EnumRegionCode, string]: any string, but not a number.
    let mut region = env.clone();
    region["region"] = json!(1);
    assert!(!errors_of("GET", path, 200, &region).is_empty());

    let list =
        json!({ "_embedded": { "environments": [env, { "name": 3 }] }, "count": 2, "size": 2 });
    let errors = errors_of("GET", "/v1/environments", 200, &list);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("$._embedded.environments[1]")),
        "{errors:?}"
    );

    let error = json!({ "id": "x", "code": "INVALID_DATA", "message": "m",
        "details": [{ "code": "UNIQUENESS_VIOLATION", "innerError": { "existingId": 4 } }] });
    assert!(!errors_of("POST", "/v1/environments/e/populations", 400, &error).is_empty());
    assert!(
        !errors_of("GET", path, 418, &env).is_empty(),
        "undeclared status"
    );
    assert!(
        !errors_of("GET", "/v1/nowhere", 200, &env).is_empty(),
        "unknown path"
    );
}
