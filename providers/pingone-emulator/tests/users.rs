//! HTTP tests of users, their passwords and lists, and groups with memberships and nesting. Every body is checked against the OpenAPI specification.

mod helpers;
mod support;

use helpers::*;
use reqwest::Method;
use serde_json::json;
use support::http::Session;

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

#[tokio::test]
async fn the_data_file_keeps_users_and_only_password_hashes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tenant.json");
    let s = Session::with(pingone_emulator::Emulator::open(Some(&file)).expect("open")).await;
    let import = json!({"username": "kept", "email": "kept@example.com", "password": {"value": "Plain-Text-Pw-1!", "forceChange": false}});
    let made = send_typed(
        &s,
        Method::POST,
        &s.env_path("/users"),
        "application/vnd.pingidentity.user.import+json",
        &import.to_string(),
    )
    .await;
    assert_eq!(made.status.as_u16(), 201, "{}", made.body);
    let text = std::fs::read_to_string(&file).expect("data file");
    assert!(text.contains("kept@example.com") && !text.contains("Plain-Text-Pw-1!"));
    s.running.shutdown().await;

    let again = Session::with(pingone_emulator::Emulator::open(Some(&file)).expect("reopen")).await;
    let filter = urlencode("username eq \"kept\"");
    let found = expect(
        &again,
        Method::GET,
        &again.env_path(&format!("/users?filter={filter}")),
        None,
        200,
    )
    .await;
    assert_eq!(found["_embedded"]["users"][0]["id"], made.body["id"]);
    let dup = json!({"username": "KEPT", "email": "x@example.com"});
    expect(
        &again,
        Method::POST,
        &again.env_path("/users"),
        Some(&dup),
        400,
    )
    .await;
}
