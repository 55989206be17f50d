//! HTTP tests of environments, their automatic content and lifecycle rules, and the built-in roles. Every body is checked against the OpenAPI specification.

mod helpers;
mod support;

use helpers::*;
use reqwest::Method;
use serde_json::json;
use support::http::Session;

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
