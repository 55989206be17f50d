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
fn integrity_detection_for_android_needs_google_play_credentials() {
    let native = |detection: Value| {
        json!({"name": "m", "type": "NATIVE_APP", "protocol": "OPENID_CONNECT",
               "grantTypes": ["CLIENT_CREDENTIALS"], "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC",
               "mobile": {"integrityDetection": detection}})
    };
    let target = json!("mobile.integrityDetection.googlePlay");
    assert!(targets(native(json!({"mode": "ENABLED"}))).contains(&target));
    let without_google = json!({"mode": "ENABLED", "excludedPlatforms": ["GOOGLE"]});
    assert!(ApplicationInput::parse(&body(native(without_google))).is_ok());
    let with_credentials = json!({"mode": "ENABLED",
        "googlePlay": {"verificationType": "GOOGLE", "serviceAccountCredentials": "{\"k\": 1}"}});
    let parsed = ApplicationInput::parse(&body(native(with_credentials))).expect("valid");
    // Write-only: kept nowhere, so never returned.
    let kept = &parsed.attributes["mobile"]["integrityDetection"]["googlePlay"];
    assert_eq!(kept, &json!({"verificationType": "GOOGLE"}));
    assert!(ApplicationInput::parse(&body(native(json!({"mode": "DISABLED"})))).is_ok());
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

fn saml() -> Value {
    json!({"name": "s", "enabled": true, "type": "WEB_APP", "protocol": "SAML",
           "acsUrls": ["https://sp.example.com/acs"], "assertionDuration": 3600,
           "spEntityId": "sp:entity", "assignActorRoles": false})
}

#[test]
fn saml_requires_its_fields_and_fills_defaults() {
    let t = targets(json!({"name": "s", "type": "WEB_APP", "protocol": "SAML"}));
    for name in ["acsUrls", "assertionDuration", "spEntityId"] {
        assert!(t.contains(&json!(name)), "{name}: {t:?}");
    }
    assert!(!t.contains(&json!("tokenEndpointAuthMethod")), "{t:?}");
    let mut empty = saml();
    empty["acsUrls"] = json!([]);
    assert_eq!(targets(empty), vec![json!("acsUrls")]);
    let mut worker = saml();
    worker["type"] = json!("WORKER");
    assert_eq!(targets(worker), vec![json!("type")]);
    let mut window = saml();
    window["sloWindow"] = json!(25);
    window["idpSigning"] = json!({"algorithm": "SHA256withRSA"});
    assert_eq!(
        targets(window),
        vec![json!("sloWindow"), json!("idpSigning.key.id")]
    );
    let input = ApplicationInput::parse(&body(saml())).expect("valid");
    assert_eq!(input.attributes["assertionSigned"], json!(true));
    assert_eq!(input.attributes["responseSigned"], json!(false));
    assert_eq!(input.attributes["sloBinding"], json!("HTTP_POST"));
    assert!(input.grant_types.is_empty() && input.auth_method.is_empty());
}

#[test]
fn wsfed_and_external_links_require_their_fields() {
    let t = targets(json!({"name": "w", "type": "WEB_APP", "protocol": "WS_FED"}));
    for name in ["domainName", "replyUrl", "idpSigning"] {
        assert!(t.contains(&json!(name)), "{name}: {t:?}");
    }
    let wsfed = json!({"name": "w", "type": "WEB_APP", "protocol": "WS_FED",
        "domainName": "corp.example.com", "replyUrl": "https://login.example.com/srf",
        "idpSigning": {"key": {"id": "k1"}, "algorithm": "SHA256withRSA"}});
    let input = ApplicationInput::parse(&body(wsfed)).expect("valid");
    assert_eq!(input.attributes["assertionDuration"], json!(300));
    assert_eq!(
        input.attributes["audienceRestriction"],
        json!("urn:federation:MicrosoftOnline")
    );
    let link = json!({"name": "l", "type": "PORTAL_LINK_APP", "protocol": "EXTERNAL_LINK"});
    assert_eq!(targets(link.clone()), vec![json!("homePageUrl")]);
    let mut link = link;
    link["homePageUrl"] = json!("https://portal.example.com");
    assert!(ApplicationInput::parse(&body(link)).is_ok());
}

#[test]
fn entity_ids_are_unique_and_protocols_fixed() {
    let mut data = seed::tenant().expect("seed");
    let creator = data.admin_application_id.clone();
    let parse = |v: Value| ApplicationInput::parse(&body(v)).expect("input");
    let first = create(&mut data, ENV, parse(saml()), &creator).expect("create");
    let error = create(&mut data, ENV, parse(saml()), &creator).expect_err("duplicate");
    assert_eq!(error.body()["details"][0]["code"], "UNIQUENESS_VIOLATION");
    assert_eq!(
        error.body()["details"][0]["innerError"]["existingId"],
        json!(first.id)
    );
    replace(&mut data, ENV, &first.id, parse(saml())).expect("same entity id on itself");
    let error = replace(&mut data, ENV, &first.id, parse(worker())).expect_err("protocol");
    assert_eq!(error.body()["details"][0]["target"], "protocol");
}
