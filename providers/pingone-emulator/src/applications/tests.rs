//! Unit tests of the application rules.

use super::*;
use crate::seed::ADMIN_ENVIRONMENT_ID as ENV;

fn body(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

fn worker() -> Value {
    json!({"name": "w", "enabled": true, "type": "WORKER", "protocol": "OPENID_CONNECT",
           "grantTypes": ["CLIENT_CREDENTIALS"], "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC"})
}

fn targets(value: Value) -> Vec<Value> {
    let error = ApplicationInput::parse(&body(value)).expect_err("invalid");
    error.body()["details"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|d| d["target"].clone())
        .collect()
}

#[test]
fn required_fields_and_combinations() {
    let t = targets(json!({}));
    for name in [
        "name",
        "type",
        "protocol",
        "tokenEndpointAuthMethod",
        "grantTypes",
    ] {
        assert!(t.contains(&json!(name)), "{name}: {t:?}");
    }
    let mut w = worker();
    w["grantTypes"] = json!(["AUTHORIZATION_CODE"]);
    assert!(targets(w).contains(&json!("grantTypes")));
    let web = json!({"name": "web", "type": "WEB_APP", "protocol": "OPENID_CONNECT", "grantTypes": ["AUTHORIZATION_CODE"],
                     "responseTypes": ["CODE"], "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC"});
    assert!(targets(web.clone()).contains(&json!("redirectUris")));
    let mut wild = web;
    wild["redirectUris"] = json!(["https://*.example.com/cb"]);
    let error = ApplicationInput::parse(&body(wild.clone())).expect_err("wildcard");
    assert!(
        error.body()["details"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Wildcards are not allowed in redirect URIs.")
    );
    wild["allowWildcardInRedirectUris"] = json!(true);
    assert!(ApplicationInput::parse(&body(wild)).is_ok());
}

#[test]
fn workers_inherit_the_creators_roles_unless_told_not_to() {
    let mut data = seed::tenant().expect("seed");
    let creator = data.admin_application_id.clone();
    let app = create(
        &mut data,
        ENV,
        ApplicationInput::parse(&body(worker())).expect("input"),
        &creator,
    )
    .expect("create");
    assert_eq!(
        data.role_assignments.count_in(&app.id),
        data.role_assignments.count_in(&creator)
    );
    let mut no = worker();
    no["assignActorRoles"] = json!(false);
    let bare = create(
        &mut data,
        ENV,
        ApplicationInput::parse(&body(no)).expect("input"),
        &creator,
    )
    .expect("create");
    assert_eq!(data.role_assignments.count_in(&bare.id), 0);
    assert!(app.secret.0.len() >= 64);
    delete(&mut data, ENV, &app.id).expect("delete");
    assert_eq!(data.role_assignments.count_in(&app.id), 0);
}

#[test]
fn secrets_regenerate_keeping_the_previous_one_for_a_while() {
    let mut data = seed::tenant().expect("seed");
    let id = data.admin_application_id.clone();
    let at = Utc::now();
    let too_soon =
        body(json!({"previous": {"expiresAt": (at + Duration::seconds(10)).to_rfc3339()}}));
    assert!(previous_expiry(&too_soon, at).is_err());
    let too_late = body(json!({"previous": {"expiresAt": (at + Duration::days(31)).to_rfc3339()}}));
    assert!(previous_expiry(&too_late, at).is_err());
    let ok = body(json!({"previous": {"expiresAt": (at + Duration::hours(1)).to_rfc3339()}}));
    let keep = previous_expiry(&ok, at).expect("ok");
    let old = data.applications.get(&id).map(|a| a.secret.clone());
    let app = regenerate(&mut data, ENV, &id, keep).expect("regenerate");
    assert_eq!(app.previous_secret.map(|p| p.secret), old);
    delete_previous(&mut data, ENV, &id).expect("delete previous");
    assert!(delete_previous(&mut data, ENV, &id).is_err());
}
