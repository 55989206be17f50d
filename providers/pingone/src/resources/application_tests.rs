//! Unit tests of `pingone_application`'s schema and body conversion.

use super::*;
use crate::values::{object, with_attr};

fn planned() -> Value {
    object([
        ("id", Value::Unknown),
        ("environment_id", "env".into()),
        ("name", "worker".into()),
        ("description", Value::Null),
        ("enabled", true.into()),
        ("tags", Value::Null),
        ("login_page_url", Value::Null),
        ("access_control_role_type", Value::Unknown),
        ("hidden_from_app_portal", false.into()),
        ("icon", Value::Null),
        ("access_control_group_options", Value::Null),
        ("oidc_options", Value::Null),
    ])
}

fn worker() -> Value {
    object([
        ("type", "WORKER".into()),
        (
            "grant_types",
            Value::List(vec!["CLIENT_CREDENTIALS".into()]),
        ),
        ("token_endpoint_auth_method", "CLIENT_SECRET_BASIC".into()),
    ])
}

#[test]
fn schema_matches_the_terraform_provider() {
    let s = schema();
    assert_eq!(s.attributes.len(), 15);
    assert!(s.attributes["oidc_options"].force_new_on_presence);
    assert_eq!(
        s.attributes["oidc_options"].force_new_keys,
        [
            "type",
            "mobile_app.bundle_id",
            "mobile_app.package_name",
            "mobile_app.huawei_app_id",
            "mobile_app.huawei_package_name"
        ]
    );
    assert_eq!(s.attributes["enabled"].default, Some(Value::Bool(false)));
    assert_eq!(
        s.attributes["hidden_from_app_portal"].default,
        Some(Value::Bool(false))
    );
    assert!(s.attributes["environment_id"].force_new);
}

#[test]
fn nested_rules_name_real_attributes_and_required_ones_are_declared() {
    let s = schema();
    for protocol in Protocol::ALL {
        let options = &s.attributes[protocol.attribute()];
        let missing = crate::nested::missing_paths(options, protocol.rules());
        assert!(missing.is_empty(), "{}: {missing:?}", protocol.attribute());
    }
    let oidc = &s.attributes["oidc_options"].nested;
    for name in ["type", "grant_types", "token_endpoint_auth_method"] {
        assert_eq!(oidc[name].presence, Presence::Required, "{name}");
    }
    assert_eq!(oidc["redirect_uris"].presence, Presence::Optional);
    let behavior = &oidc["cors_settings"].nested["behavior"];
    assert_eq!(behavior.presence, Presence::Required);
    assert!(
        behavior
            .format
            .is_some_and(|f| f.accepts("ALLOW_NO_ORIGINS") && !f.accepts("ALLOW"))
    );
    for (attribute, rules) in [
        ("icon", ICON_RULES),
        ("access_control_group_options", GROUP_OPTIONS_RULES),
    ] {
        let missing = crate::nested::missing_paths(&s.attributes[attribute], rules);
        assert!(missing.is_empty(), "{attribute}: {missing:?}");
    }
    let saml = &s.attributes["saml_options"].nested;
    let key_id = &saml["idp_signing_key"].nested["key_id"];
    assert!(
        key_id
            .format
            .is_some_and(|f| f.accepts("0f8bd2c1-2a3b-4c5d-8e9f-0a1b2c3d4e5f"))
    );
    assert!(key_id.format.is_some_and(|f| !f.accepts("key-1")));
}

#[test]
fn worker_body_never_assigns_actor_roles() {
    let v = with_oidc(planned(), worker());
    assert_eq!(
        to_body(&v, true).unwrap(),
        json!({"name": "worker", "enabled": true, "hiddenFromAppPortal": false,
               "type": "WORKER", "protocol": "OPENID_CONNECT",
               "grantTypes": ["CLIENT_CREDENTIALS"], "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC",
               "assignActorRoles": false})
    );
    assert!(
        to_body(&v, false)
            .unwrap()
            .get("assignActorRoles")
            .is_none()
    );
}

#[test]
fn web_app_options_use_pingone_names() {
    let oidc = with_attr(
        with_attr(worker(), "type", "WEB_APP".into()),
        "redirect_uris",
        Value::List(vec!["https://app/cb".into()]),
    );
    let oidc = with_attr(oidc, "par_timeout", Value::Number(60.0));
    let oidc = with_attr(
        oidc,
        "cors_settings",
        object([
            ("behavior", "ALLOW_SPECIFIC_ORIGINS".into()),
            ("origins", Value::List(vec!["https://a".into()])),
        ]),
    );
    let body = to_body(&with_oidc(planned(), oidc), true).unwrap();
    assert_eq!(body["type"], json!("WEB_APP"));
    assert_eq!(body["redirectUris"], json!(["https://app/cb"]));
    assert_eq!(body["parTimeout"], json!(60));
    assert_eq!(
        body["corsSettings"],
        json!({"behavior": "ALLOW_SPECIFIC_ORIGINS", "origins": ["https://a"]})
    );
}

#[test]
fn other_protocols_are_refused() {
    assert!(
        to_body(&planned(), true)
            .unwrap_err()
            .contains("oidc_options")
    );
}

#[test]
fn from_api_shapes_oidc_options_like_the_configuration() {
    let v = with_oidc(planned(), worker());
    let api = json!({"id": "a1", "name": "worker", "enabled": true, "hiddenFromAppPortal": false,
        "type": "WORKER", "protocol": "OPENID_CONNECT", "grantTypes": ["CLIENT_CREDENTIALS"],
        "tokenEndpointAuthMethod": "CLIENT_SECRET_BASIC", "pkceEnforcement": "OPTIONAL",
        "refreshTokenDuration": 2592000, "accessControl": {"role": {"type": "ADMIN_USERS_ONLY"}}});
    let back = from_api(&api, &v).unwrap();
    assert_eq!(back.get("oidc_options"), Some(&worker()));
    assert_eq!(
        back.get("access_control_role_type"),
        Some(&Value::from("ADMIN_USERS_ONLY"))
    );
    assert_eq!(back.get("environment_id"), Some(&Value::from("env")));
    assert!(from_api(&json!({}), &v).is_err());
}
