//! SAML, WS-Fed, external-link and native (mobile) applications against the in-process
//! emulator: create,
//! refresh, update in place, replace when the kind changes (the engine's decision, then
//! delete + create), out-of-band changes seen, delete.

mod support;

use engine::Value;
use engine::plan::Action;
use engine::plan::diff::decide;
use engine::provider::Provider;
use serde_json::json;
use support::{Harness, obj, s, start, with};

const APP: &str = "pingone_application";
const KEY: &str = "0f8bd2c1-2a3b-4c5d-8e9f-0a1b2c3d4e5f";

fn saml_options(entity: &str, acs: &str) -> Value {
    obj(&[
        ("acs_urls", Value::List(vec![acs.into()])),
        ("assertion_duration", Value::Number(3600.0)),
        ("sp_entity_id", entity.into()),
        (
            "idp_signing_key",
            obj(&[
                ("key_id", KEY.into()),
                ("algorithm", "SHA256withRSA".into()),
            ]),
        ),
        (
            "virtual_server_id_settings",
            obj(&[
                ("enabled", true.into()),
                (
                    "virtual_server_ids",
                    Value::List(vec![
                        obj(&[("vs_id", "vs-1".into())]),
                        obj(&[("vs_id", "vs-2".into()), ("default", true.into())]),
                    ]),
                ),
            ]),
        ),
    ])
}

fn wsfed_options() -> Value {
    obj(&[
        ("type", "WEB_APP".into()),
        ("domain_name", "corp.example.com".into()),
        ("reply_url", "https://login.example.com/login.srf".into()),
        (
            "idp_signing_key",
            obj(&[
                ("key_id", KEY.into()),
                ("algorithm", "SHA384withRSA".into()),
            ]),
        ),
    ])
}

/// What a plan from `prior` to `planned` would do.
fn action(h: &Harness, prior: &Value, planned: &Value) -> (Action, Vec<String>) {
    decide(&h.provider.schema().resources[APP], Some(prior), planned)
}

#[tokio::test]
async fn saml_applications_round_trip_and_replace_when_the_kind_changes() {
    let h = start().await;
    let config = [
        ("environment_id", h.env()),
        ("name", "Payroll SAML".into()),
        ("enabled", true.into()),
        (
            "saml_options",
            saml_options("sp:payroll", "https://payroll/acs"),
        ),
    ];
    let app = h.create(APP, &config).await.expect("create saml app");
    assert!(app.is_wholly_known(), "{app}");
    assert_eq!(
        app.get("saml_options"),
        Some(&saml_options("sp:payroll", "https://payroll/acs"))
    );
    assert_eq!(app.get("oidc_options"), Some(&Value::Null));
    assert_eq!(h.read_one(APP, &app).await, Some(app.clone()));

    // PingOne's JSON: protocol SAML, the default type, the signing key nested.
    let env = s(&app, "environment_id").to_string();
    let id = s(&app, "id").to_string();
    let client = h.client();
    let live = client
        .get(&["environments", &env, "applications", &id])
        .await
        .expect("get");
    assert_eq!(live["protocol"], json!("SAML"));
    assert_eq!(live["type"], json!("WEB_APP"));
    assert_eq!(live["idpSigning"]["key"]["id"], json!(KEY));
    assert_eq!(live["assertionSigned"], json!(true));

    // Changing attributes inside saml_options updates in place.
    let planned = with(
        &app,
        "saml_options",
        saml_options("sp:payroll", "https://payroll/acs2"),
    );
    assert_eq!(action(&h, &app, &planned).0, Action::Update);
    let updated = h.update(APP, &app, &planned).await.expect("update");
    assert_eq!(updated.get("id"), app.get("id"));
    assert_eq!(h.read_one(APP, &updated).await, Some(updated.clone()));

    // Out of band: another tool changes the assertion duration; refresh sees it.
    let mut body = live.clone();
    for key in ["_links", "id", "environment", "createdAt", "updatedAt"] {
        body.as_object_mut().map(|m| m.remove(key));
    }
    body["assertionDuration"] = json!(60);
    body["acsUrls"] = json!(["https://payroll/acs2"]);
    client
        .put(&["environments", &env, "applications", &id], &body)
        .await
        .expect("out-of-band put");
    let drifted = h.read_one(APP, &updated).await.expect("still there");
    assert_eq!(
        drifted
            .get("saml_options")
            .and_then(|o| o.get("assertion_duration")),
        Some(&Value::Number(60.0))
    );

    // Switching to WS-Fed replaces: the engine plans it, the provider deletes and creates.
    let planned = with(
        &with(&drifted, "saml_options", Value::Null),
        "wsfed_options",
        wsfed_options(),
    );
    let (decision, paths) = action(&h, &drifted, &planned);
    assert_eq!(decision, Action::Replace);
    assert_eq!(paths, ["saml_options", "wsfed_options"]);
    h.delete(APP, &drifted).await.expect("delete saml");
    let config = [
        ("environment_id", h.env()),
        ("name", "Payroll SAML".into()),
        ("enabled", true.into()),
        ("wsfed_options", wsfed_options()),
    ];
    let wsfed = h.create(APP, &config).await.expect("create wsfed app");
    assert_ne!(wsfed.get("id"), drifted.get("id"));
    assert_eq!(wsfed.get("wsfed_options"), Some(&wsfed_options()));
    assert_eq!(wsfed.get("saml_options"), Some(&Value::Null));
    assert_eq!(h.read_one(APP, &drifted).await, None);

    // Changing the type inside the object replaces too.
    let custom = with(&wsfed_options(), "type", "CUSTOM_APP".into());
    let planned = with(&wsfed, "wsfed_options", custom);
    assert_eq!(action(&h, &wsfed, &planned).0, Action::Replace);

    h.delete(APP, &wsfed).await.expect("delete wsfed");
    assert_eq!(h.read_one(APP, &wsfed).await, None);
    h.running.shutdown().await;
}

#[tokio::test]
async fn external_links_round_trip_and_kinds_are_checked_before_any_call() {
    let h = start().await;
    let link = obj(&[("home_page_url", "https://intranet.example.com/".into())]);
    let config = [
        ("environment_id", h.env()),
        ("name", "Intranet".into()),
        ("external_link_options", link.clone()),
    ];
    let app = h.create(APP, &config).await.expect("create link");
    assert_eq!(app.get("external_link_options"), Some(&link));
    assert_eq!(h.read_one(APP, &app).await, Some(app.clone()));
    let moved = obj(&[("home_page_url", "https://intranet.example.org/".into())]);
    let planned = with(&app, "external_link_options", moved.clone());
    assert_eq!(action(&h, &app, &planned).0, Action::Update);
    let updated = h.update(APP, &app, &planned).await.expect("update");
    assert_eq!(updated.get("external_link_options"), Some(&moved));

    // Out of band deletion reads as gone.
    h.client()
        .delete(&[
            "environments",
            s(&app, "environment_id"),
            "applications",
            s(&app, "id"),
        ])
        .await
        .expect("out-of-band delete");
    assert_eq!(h.read_one(APP, &updated).await, None);

    // Two kinds, none, a missing required attribute, a conflicting one: refused with
    // the attribute named.
    let both = [
        ("environment_id", h.env()),
        ("name", "Both".into()),
        ("external_link_options", link.clone()),
        ("wsfed_options", wsfed_options()),
    ];
    let err = h.create(APP, &both).await.expect_err("two kinds");
    assert!(err.message.contains("exactly one of"), "{}", err.message);
    let none = [("environment_id", h.env()), ("name", "None".into())];
    assert!(h.create(APP, &none).await.is_err());
    let incomplete = [
        ("environment_id", h.env()),
        ("name", "Half".into()),
        (
            "saml_options",
            with(&saml_options("sp:x", "https://x"), "acs_urls", Value::Null),
        ),
    ];
    let err = h.create(APP, &incomplete).await.expect_err("acs_urls");
    assert!(
        err.message.contains("saml_options.acs_urls is required"),
        "{}",
        err.message
    );
    let conflicting = [
        ("environment_id", h.env()),
        ("name", "Link".into()),
        ("login_page_url", "https://login.example.com".into()),
        ("external_link_options", link),
    ];
    let err = h.create(APP, &conflicting).await.expect_err("conflict");
    assert!(
        err.message
            .contains("login_page_url cannot be set with external_link_options"),
        "{}",
        err.message
    );
    h.running.shutdown().await;
}

#[tokio::test]
async fn pingone_refusals_of_saml_fields_are_reported_with_their_details() {
    let h = start().await;
    let config = |name: &str| {
        [
            ("environment_id", h.env()),
            ("name", Value::from(name)),
            ("saml_options", saml_options("sp:shared", "https://a/acs")),
        ]
    };
    h.create(APP, &config("first")).await.expect("first");
    let err = h
        .create(APP, &config("second"))
        .await
        .expect_err("duplicate");
    assert!(
        err.message.contains("UNIQUENESS_VIOLATION"),
        "{}",
        err.message
    );
    assert!(err.message.contains("spEntityId"), "{}", err.message);
    h.running.shutdown().await;
}

fn native_options(bundle: &str, refresh_seconds: f64) -> Value {
    obj(&[
        ("type", "NATIVE_APP".into()),
        (
            "grant_types",
            Value::List(vec!["AUTHORIZATION_CODE".into(), "REFRESH_TOKEN".into()]),
        ),
        ("response_types", Value::List(vec!["CODE".into()])),
        (
            "redirect_uris",
            Value::List(vec!["com.example.app://cb".into()]),
        ),
        ("token_endpoint_auth_method", "NONE".into()),
        (
            "certificate_based_authentication",
            obj(&[("key_id", KEY.into())]),
        ),
        ("signing", obj(&[("key_rotation_policy_id", KEY.into())])),
        (
            "mobile_app",
            obj(&[
                ("bundle_id", bundle.into()),
                ("package_name", "com.example.app".into()),
                ("passcode_refresh_seconds", Value::Number(refresh_seconds)),
                ("universal_app_link", "https://app.example.com".into()),
                (
                    "integrity_detection",
                    obj(&[
                        ("enabled", true.into()),
                        ("excluded_platforms", Value::List(vec!["GOOGLE".into()])),
                        (
                            "cache_duration",
                            obj(&[("amount", Value::Number(30.0)), ("units", "MINUTES".into())]),
                        ),
                    ]),
                ),
            ]),
        ),
    ])
}

/// The value at a dotted path of `value`.
fn at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, k| v.get(k))
}

#[tokio::test]
async fn native_apps_round_trip_mobile_settings_and_replace_when_an_app_id_changes() {
    let h = start().await;
    let config = [
        ("environment_id", h.env()),
        ("name", "Field app".into()),
        ("enabled", true.into()),
        ("oidc_options", native_options("com.example.ios", 30.0)),
    ];
    let app = h.create(APP, &config).await.expect("create native app");
    assert_eq!(h.read_one(APP, &app).await, Some(app.clone()));
    let options = app.get("oidc_options").cloned().unwrap_or(Value::Null);
    assert_eq!(
        at(&options, "mobile_app.integrity_detection.enabled"),
        Some(&Value::Bool(true))
    );
    assert_eq!(
        at(&options, "certificate_based_authentication.key_id"),
        Some(&Value::from(KEY))
    );

    // PingOne's JSON: `mobile` with the passcode period in seconds, `mode`, `kerberos.key`.
    let env = s(&app, "environment_id").to_string();
    let id = s(&app, "id").to_string();
    let live = h
        .client()
        .get(&["environments", &env, "applications", &id])
        .await
        .expect("get");
    assert_eq!(
        live["mobile"]["passcodeRefreshDuration"],
        json!({"duration": 30, "timeUnit": "SECONDS"})
    );
    assert_eq!(
        live["mobile"]["integrityDetection"]["mode"],
        json!("ENABLED")
    );
    assert_eq!(
        live["mobile"]["uriPrefix"],
        json!("https://app.example.com")
    );
    assert_eq!(live["kerberos"]["key"]["id"], json!(KEY));
    assert_eq!(live["signing"]["keyRotationPolicy"]["id"], json!(KEY));

    // The passcode period updates in place; a new bundle id replaces the application.
    let planned = with(
        &app,
        "oidc_options",
        native_options("com.example.ios", 45.0),
    );
    assert_eq!(action(&h, &app, &planned).0, Action::Update);
    let updated = h.update(APP, &app, &planned).await.expect("update");
    assert_eq!(h.read_one(APP, &updated).await, Some(updated.clone()));
    let planned = with(
        &updated,
        "oidc_options",
        native_options("com.example.other", 45.0),
    );
    assert_eq!(action(&h, &updated, &planned).0, Action::Replace);

    // Mobile settings on a web app are refused before any call.
    let web = with(
        &native_options("com.example.web", 30.0),
        "type",
        "WEB_APP".into(),
    );
    let refused = h
        .create(
            APP,
            &[
                ("environment_id", h.env()),
                ("name", "Web".into()),
                ("oidc_options", web),
            ],
        )
        .await
        .expect_err("certificate-based authentication on a web app");
    assert!(
        refused
            .message
            .contains("applies only to native applications"),
        "{}",
        refused.message
    );
    h.delete(APP, &updated).await.expect("delete");
    h.running.shutdown().await;
}
