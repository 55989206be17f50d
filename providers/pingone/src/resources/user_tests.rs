//! Unit tests of `pingone_user`'s schema and body conversion.

use super::*;

const ENV: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

fn planned() -> Value {
    let mut pairs: Vec<(String, Value)> = schema()
        .attributes
        .iter()
        .map(|(name, a)| {
            let v = match a.presence {
                Presence::Computed | Presence::OptionalComputed => Value::Unknown,
                _ => a.default.clone().unwrap_or(Value::Null),
            };
            (name.clone(), v)
        })
        .collect();
    pairs.extend([
        ("environment_id".to_string(), ENV.into()),
        ("username".to_string(), "ada".into()),
        ("email".to_string(), "ada@example.com".into()),
        ("population_id".to_string(), "pop1".into()),
    ]);
    object_from_pairs(pairs)
}

#[test]
fn schema_matches_the_terraform_provider() {
    let s = schema();
    for name in [
        "id",
        "environment_id",
        "username",
        "email",
        "enabled",
        "population_id",
        "account",
        "address",
        "external_id",
        "identity_provider",
        "user_lifecycle",
        "locale",
        "mfa_enabled",
        "mobile_phone",
        "primary_phone",
        "name",
        "nickname",
        "title",
        "type",
        "password",
        "photo",
        "preferred_language",
        "timezone",
        "verify_status",
    ] {
        assert!(s.attributes.contains_key(name), "{name}");
    }
    assert_eq!(s.attributes.len(), 24);
    assert!(s.attributes["environment_id"].force_new);
    assert!(!s.attributes["population_id"].force_new);
    assert!(s.attributes["user_lifecycle"].force_new && s.attributes["verify_status"].force_new);
    assert!(s.attributes["password"].sensitive && s.attributes["password"].write_only);
    assert_eq!(s.attributes["enabled"].default, Some(Value::Bool(true)));
    assert_eq!(s.attributes["mfa_enabled"].default, Some(Value::Bool(true)));
}

#[test]
fn minimal_create_is_one_import_body_with_the_password() {
    let v = with_attr(
        planned(),
        "password",
        object([
            ("initial_value", "S3cret!".into()),
            ("force_change", true.into()),
            ("external", Value::Null),
        ]),
    );
    assert_eq!(
        create_body(&v).unwrap(),
        json!({
            "username": "ada", "email": "ada@example.com", "population": {"id": "pop1"},
            "password": {"value": "S3cret!", "forceChange": true}, "mfaEnabled": true
        })
    );
}

#[test]
fn nested_attributes_use_pingone_names() {
    let v = with_attr(
        with_attr(
            planned(),
            "name",
            object([("given", "Ada".into()), ("honorific_prefix", "Dr".into())]),
        ),
        "address",
        object([
            ("country_code", "GB".into()),
            ("street_address", "1 Rd".into()),
        ]),
    );
    let body = update_body(&v).unwrap();
    assert_eq!(
        body["name"],
        json!({"given": "Ada", "honorificPrefix": "Dr"})
    );
    assert_eq!(
        body["address"],
        json!({"countryCode": "GB", "streetAddress": "1 Rd"})
    );
    // PUT cannot move users or set the password.
    assert!(body.get("population").is_none() && body.get("password").is_none());
}

#[test]
fn from_api_never_returns_the_password_and_fills_defaults() {
    let basis = with_attr(
        planned(),
        "password",
        object([
            ("initial_value", "S3cret!".into()),
            ("force_change", false.into()),
            ("external", Value::Null),
        ]),
    );
    let api = json!({
        "id": "u1", "username": "ada", "email": "ada@example.com",
        "population": {"id": "pop1"}, "enabled": true,
        "name": {"given": "Ada"}
    });
    let v = from_api(&api, &basis).unwrap();
    assert_eq!(v.get("password"), Some(&Value::Null));
    assert!(!format!("{v:?}").contains("S3cret"));
    assert_eq!(v.get("mfa_enabled"), Some(&Value::Bool(true)));
    assert_eq!(
        v.get("account").and_then(|a| a.get("status")),
        Some(&Value::from("OK"))
    );
    assert_eq!(
        v.get("identity_provider").and_then(|a| a.get("type")),
        Some(&Value::from("PING_ONE"))
    );
    assert_eq!(
        v.get("name").and_then(|n| n.get("family")),
        Some(&Value::Null)
    );
    assert_eq!(v.get("environment_id"), Some(&Value::from(ENV)));
    assert!(v.is_wholly_known());
    assert!(from_api(&json!({}), &basis).is_err());
}

#[test]
fn bodies_need_a_username_and_a_known_population() {
    let v = with_attr(planned(), "username", Value::Null);
    assert!(create_body(&v).unwrap_err().contains("username"));
    let v = with_attr(planned(), "population_id", Value::Unknown);
    assert!(create_body(&v).unwrap_err().contains("population_id"));
}

#[test]
fn scim_values_are_escaped() {
    assert_eq!(scim_escape(r#"a"b\c"#), r#"a\"b\\c"#);
}
