//! HTTP tests of SAML, WS-Fed and external-link applications: created, read, listed,
//! replaced and deleted over plain HTTP, with PingOne's defaults filled in and its 400s
//! for missing fields. Every body is checked against the OpenAPI specification.

mod helpers;
mod support;

use helpers::*;
use reqwest::Method;
use serde_json::{Value, json};
use support::http::Session;

const KEY: &str = "0f8bd2c1-2a3b-4c5d-8e9f-0a1b2c3d4e5f";

fn saml(entity: &str) -> Value {
    json!({"name": "SAML app", "enabled": true, "type": "WEB_APP", "protocol": "SAML",
           "acsUrls": ["https://sp.example.com/acs"], "assertionDuration": 3600,
           "spEntityId": entity, "sloEndpoint": "https://sp.example.com/slo",
           "idpSigning": {"key": {"id": KEY}, "algorithm": "SHA256withRSA"},
           "spVerification": {"certificates": [{"id": KEY}], "authnRequestSigned": true},
           "virtualServerIdSettings": {"enabled": true, "virtualServerIds": [{"vsId": "vs1", "default": true}]}})
}

fn wsfed() -> Value {
    json!({"name": "WS-Fed app", "enabled": true, "type": "WEB_APP", "protocol": "WS_FED",
           "domainName": "corp.example.com", "replyUrl": "https://login.example.com/login.srf",
           "subjectNameIdentifierFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
           "idpSigning": {"key": {"id": KEY}, "algorithm": "SHA384withRSA"}})
}

fn external_link() -> Value {
    json!({"name": "Portal link", "enabled": true, "type": "PORTAL_LINK_APP",
           "protocol": "EXTERNAL_LINK", "homePageUrl": "https://intranet.example.com/"})
}

#[tokio::test]
async fn saml_applications_round_trip_with_defaults() {
    let s = Session::start().await;
    let apps = s.env_path("/applications");
    let made = expect(&s, Method::POST, &apps, Some(&saml("sp:one")), 201).await;
    assert_eq!(made["protocol"], "SAML");
    assert_eq!(made["assertionSigned"], true);
    assert_eq!(made["responseSigned"], false);
    assert_eq!(made["sloBinding"], "HTTP_POST");
    assert!(made.get("grantTypes").is_none() && made.get("tokenEndpointAuthMethod").is_none());
    assert!(made["_links"].get("secret").is_none());
    let path = format!("{apps}/{}", made["id"].as_str().expect("id"));
    let read = expect(&s, Method::GET, &path, None, 200).await;
    assert_eq!(read["spEntityId"], "sp:one");
    assert_eq!(read["idpSigning"]["key"]["id"], KEY);

    let mut changed = saml("sp:one");
    changed["acsUrls"] = json!(["https://sp.example.com/acs2"]);
    changed["responseSigned"] = json!(true);
    let replaced = expect(&s, Method::PUT, &path, Some(&changed), 200).await;
    assert_eq!(replaced["acsUrls"], json!(["https://sp.example.com/acs2"]));
    assert_eq!(replaced["responseSigned"], true);

    let clash = expect(&s, Method::POST, &apps, Some(&saml("sp:one")), 400).await;
    assert_eq!(detail(&clash)["code"], "UNIQUENESS_VIOLATION");
    let switched = expect(&s, Method::PUT, &path, Some(&wsfed()), 400).await;
    assert_eq!(detail(&switched)["target"], "protocol");

    let list = expect(
        &s,
        Method::GET,
        &format!("{apps}?filter=protocol%20eq%20%22SAML%22"),
        None,
        200,
    )
    .await;
    assert_eq!(
        list["_embedded"]["applications"].as_array().map(Vec::len),
        Some(1)
    );
    expect(&s, Method::DELETE, &path, None, 204).await;
    expect(&s, Method::GET, &path, None, 404).await;
    s.running.shutdown().await;
}

#[tokio::test]
async fn wsfed_and_external_link_applications_round_trip() {
    let s = Session::start().await;
    let apps = s.env_path("/applications");
    let made = expect(&s, Method::POST, &apps, Some(&wsfed()), 201).await;
    assert_eq!(made["assertionDuration"], 300);
    assert_eq!(
        made["audienceRestriction"],
        "urn:federation:MicrosoftOnline"
    );
    let path = format!("{apps}/{}", made["id"].as_str().expect("id"));
    let mut changed = wsfed();
    changed["replyUrl"] = json!("https://login.example.com/other.srf");
    changed["assertionDuration"] = json!(600);
    let replaced = expect(&s, Method::PUT, &path, Some(&changed), 200).await;
    assert_eq!(replaced["assertionDuration"], 600);
    assert_eq!(replaced["replyUrl"], "https://login.example.com/other.srf");

    let link = expect(&s, Method::POST, &apps, Some(&external_link()), 201).await;
    assert_eq!(link["homePageUrl"], "https://intranet.example.com/");
    let link_path = format!("{apps}/{}", link["id"].as_str().expect("id"));
    expect(&s, Method::GET, &link_path, None, 200).await;
    expect(&s, Method::GET, &apps, None, 200).await;
    expect(&s, Method::DELETE, &link_path, None, 204).await;
    expect(&s, Method::DELETE, &path, None, 204).await;
    s.running.shutdown().await;
}

#[tokio::test]
async fn missing_protocol_fields_are_invalid_data_with_details() {
    let s = Session::start().await;
    let apps = s.env_path("/applications");
    let cases = [
        (
            json!({"name": "s", "type": "WEB_APP", "protocol": "SAML"}),
            vec!["acsUrls", "assertionDuration", "spEntityId"],
        ),
        (
            json!({"name": "w", "type": "WEB_APP", "protocol": "WS_FED"}),
            vec!["domainName", "replyUrl", "idpSigning"],
        ),
        (
            json!({"name": "l", "type": "PORTAL_LINK_APP", "protocol": "EXTERNAL_LINK"}),
            vec!["homePageUrl"],
        ),
        (
            json!({"name": "l", "type": "WORKER", "protocol": "EXTERNAL_LINK", "homePageUrl": "https://x.example.com"}),
            vec!["type"],
        ),
    ];
    for (body, wanted) in cases {
        let error = expect(&s, Method::POST, &apps, Some(&body), 400).await;
        assert_eq!(error["code"], "INVALID_DATA");
        let targets: Vec<&str> = error["details"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["target"].as_str())
            .collect();
        assert_eq!(targets, wanted, "{body}");
    }
    s.running.shutdown().await;
}
