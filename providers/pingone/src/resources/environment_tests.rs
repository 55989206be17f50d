//! Unit tests of `pingone_environment`'s schema and body conversion.

use super::*;

fn planned(services: Value) -> Value {
    object([
        ("id", Value::Unknown),
        ("name", "dev".into()),
        ("description", Value::Null),
        ("type", "SANDBOX".into()),
        ("region", Value::Unknown),
        ("license_id", "lic".into()),
        ("organization_id", Value::Unknown),
        ("solution", Value::Null),
        ("services", services),
    ])
}

fn sso() -> Value {
    Value::List(vec![object([("type", "SSO".into())])])
}

#[test]
fn schema_matches_the_terraform_provider() {
    let s = schema();
    assert_eq!(s.attributes.len(), 9);
    assert!(s.attributes["region"].force_new && s.attributes["solution"].force_new);
    assert!(!s.attributes["license_id"].force_new);
    assert_eq!(s.attributes["type"].default, Some(Value::from("SANDBOX")));
    assert_eq!(s.attributes["organization_id"].presence, Presence::Computed);
}

#[test]
fn services_become_bill_of_materials_products() {
    let services = Value::List(vec![
        object([("type", "SSO".into())]),
        object([
            ("type", "MFA".into()),
            ("console_url", "https://c".into()),
            (
                "bookmarks",
                Value::List(vec![object([
                    ("name", "b".into()),
                    ("url", "https://b".into()),
                ])]),
            ),
        ]),
        object([
            ("type", "DaVinci".into()),
            ("tags", Value::List(vec!["DAVINCI_MINIMAL".into()])),
        ]),
    ]);
    assert_eq!(
        bill_of_materials(&planned(services)).unwrap(),
        json!({"products": [
            {"type": "PING_ONE_BASE"},
            {"type": "PING_ONE_MFA", "console": {"href": "https://c"}, "bookmarks": [{"name": "b", "href": "https://b"}]},
            {"type": "PING_ONE_DAVINCI", "tags": ["DAVINCI_MINIMAL"]}
        ]})
    );
    let bad_tags = Value::List(vec![object([
        ("type", "SSO".into()),
        ("tags", Value::List(vec!["X".into()])),
    ])]);
    assert!(
        bill_of_materials(&planned(bad_tags))
            .unwrap_err()
            .contains("DaVinci")
    );
    let unknown = Value::List(vec![object([("type", "Nope".into())])]);
    assert!(
        bill_of_materials(&planned(unknown))
            .unwrap_err()
            .contains("unknown type")
    );
    assert!(bill_of_materials(&planned(Value::List(vec![]))).is_err());
}

#[test]
fn create_body_names_region_and_license() {
    assert_eq!(
        to_body(&planned(sso()), "EU").unwrap(),
        json!({"name": "dev", "type": "SANDBOX", "region": "EU", "license": {"id": "lic"}})
    );
}

#[test]
fn from_api_maps_products_back_to_services() {
    let api = json!({"id": "e1", "name": "dev", "type": "SANDBOX", "region": "NA",
        "license": {"id": "lic"}, "organization": {"id": "org"}});
    let bom = json!({"products": [{"type": "PING_ONE_BASE", "bookmarks": []},
        {"type": "PING_ONE_MFA", "console": {"href": "https://c"}}], "solutionType": "CUSTOMER"});
    let v = from_api(&api, &bom).unwrap();
    assert_eq!(
        v.get("services"),
        Some(&Value::List(vec![
            object([("type", "SSO".into())]),
            object([("type", "MFA".into()), ("console_url", "https://c".into())]),
        ]))
    );
    assert_eq!(v.get("solution"), Some(&Value::from("CUSTOMER")));
    assert_eq!(v.get("organization_id"), Some(&Value::from("org")));
    assert!(from_api(&json!({}), &bom).is_err());
}

#[test]
fn service_names_round_trip() {
    for (service, product) in SERVICES {
        assert_eq!(product_type(service).unwrap(), *product);
        assert_eq!(service_name(product), *service);
    }
    assert_eq!(service_name("PING_CENTRAL_X"), "PING_CENTRAL_X");
}
