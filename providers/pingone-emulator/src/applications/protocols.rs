//! The protocol-specific attributes of SAML, WS-Fed and external-link applications
//! (MGMT-SPEC `ApplicationSAML`, `ApplicationWSFED`, `ApplicationExternalLink`).
//!
//! - SAML: `acsUrls` (at least one), `assertionDuration` and `spEntityId` are required;
//!   `type` is `WEB_APP` or `CUSTOM_APP`; `assertionSigned` defaults to true,
//!   `responseSigned` to false and `sloBinding` to `HTTP_POST`; `sloWindow` is 0–24 hours.
//!   `spEntityId` is unique within an environment (checked in [`super::create`]).
//! - WS-Fed: `domainName`, `replyUrl` and `idpSigning` (`key.id` and `algorithm`) are
//!   required; `type` is `WEB_APP` or `CUSTOM_APP`; `assertionDuration` (300–3932100)
//!   defaults to 300 and `audienceRestriction` to `urn:federation:MicrosoftOnline`.
//! - External link: `homePageUrl` is required and `type` is `PORTAL_LINK_APP`.
//!
//! Each parser records every problem in the shared [`Fields`] (one 400 `INVALID_DATA`
//! lists them all) and returns the attributes to store, defaults filled in.

use serde_json::{Map, Value, json};

use crate::api_error::Detail;
use crate::environments::check_enum;
use crate::fields::Fields;

/// The application types each non-OIDC protocol allows.
pub(crate) fn types(protocol: &str) -> &'static [&'static str] {
    match protocol {
        "SAML" | "WS_FED" => &["WEB_APP", "CUSTOM_APP"],
        "EXTERNAL_LINK" => &["PORTAL_LINK_APP"],
        _ => &[],
    }
}

const SIGNING_ALGORITHMS: &[&str] = &[
    "SHA256withRSA",
    "SHA384withRSA",
    "SHA512withRSA",
    "SHA256withECDSA",
    "SHA384withECDSA",
    "SHA512withECDSA",
];
const ENCRYPTION_ALGORITHMS: &[&str] = &["AES_128", "AES_256", "TRIPLEDES"];
const SLO_BINDINGS: &[&str] = &["HTTP_POST", "HTTP_REDIRECT"];
const NAME_ID_FORMATS: &[&str] = &[
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
];
const CORS_BEHAVIORS: &[&str] = &["ALLOW_NO_ORIGINS", "ALLOW_SPECIFIC_ORIGINS"];

/// SAML attributes kept as sent once validated.
const SAML_KEPT: &[&str] = &[
    "homePageUrl",
    "defaultTargetUrl",
    "enableRequestedAuthnContext",
    "enableAlwaysAcceptAcsUrlInSignedAuthnRequest",
    "nameIdFormat",
    "sessionNotOnOrAfterDuration",
    "sloEndpoint",
    "sloResponseEndpoint",
    "sloWindow",
    "spEncryption",
    "spVerification",
    "virtualServerIdSettings",
    "corsSettings",
    "idpSigning",
];

/// WS-Fed attributes kept as sent once validated.
const WSFED_KEPT: &[&str] = &[
    "corsSettings",
    "idpSigning",
    "kerberos",
    "sloEndpoint",
    "subjectNameIdentifierFormat",
    "wsTrustVersion",
];

/// The stored attributes of a SAML application.
pub(crate) fn saml(f: &mut Fields<'_>, body: &Map<String, Value>) -> Map<String, Value> {
    let mut out = kept(body, SAML_KEPT);
    if let Some(urls) = required_urls(f, body, "acsUrls") {
        out.insert("acsUrls".into(), json!(urls));
    }
    if let Some(seconds) = integer(f, body, "assertionDuration", true, (1, i64::from(i32::MAX))) {
        out.insert("assertionDuration".into(), json!(seconds));
    }
    if let Some(id) = f.required_string("spEntityId") {
        out.insert("spEntityId".into(), json!(id));
    }
    integer(f, body, "sloWindow", false, (0, 24));
    integer(
        f,
        body,
        "sessionNotOnOrAfterDuration",
        false,
        (1, i64::from(i32::MAX)),
    );
    let signed = f.optional_bool("assertionSigned").unwrap_or(true);
    let response_signed = f.optional_bool("responseSigned").unwrap_or(false);
    out.insert("assertionSigned".into(), json!(signed));
    out.insert("responseSigned".into(), json!(response_signed));
    let binding = f.optional_string("sloBinding");
    check_enum(f, "sloBinding", binding.as_deref(), SLO_BINDINGS);
    out.insert(
        "sloBinding".into(),
        json!(binding.as_deref().unwrap_or("HTTP_POST")),
    );
    f.optional_string("nameIdFormat");
    signing(f, body, false);
    encryption(f, body);
    verification(f, body);
    cors(f, body);
    out
}

/// The stored attributes of a WS-Fed application.
pub(crate) fn wsfed(f: &mut Fields<'_>, body: &Map<String, Value>) -> Map<String, Value> {
    let mut out = kept(body, WSFED_KEPT);
    for name in ["domainName", "replyUrl"] {
        if let Some(value) = f.required_string(name) {
            out.insert(name.into(), json!(value));
        }
    }
    let duration = integer(f, body, "assertionDuration", false, (300, 3_932_100));
    out.insert("assertionDuration".into(), json!(duration.unwrap_or(300)));
    let audience = f
        .optional_string("audienceRestriction")
        .unwrap_or_else(|| "urn:federation:MicrosoftOnline".into());
    out.insert("audienceRestriction".into(), json!(audience));
    let format = f.optional_string("subjectNameIdentifierFormat");
    check_enum(
        f,
        "subjectNameIdentifierFormat",
        format.as_deref(),
        NAME_ID_FORMATS,
    );
    let version = f.optional_string("wsTrustVersion");
    check_enum(f, "wsTrustVersion", version.as_deref(), &["1.2", "1.3"]);
    signing(f, body, true);
    cors(f, body);
    out
}

/// The stored attributes of an external-link application.
pub(crate) fn external_link(f: &mut Fields<'_>, body: &Map<String, Value>) -> Map<String, Value> {
    let mut out = kept(body, &["externalId"]);
    f.optional_string("externalId");
    if let Some(url) = f.required_string("homePageUrl") {
        out.insert("homePageUrl".into(), json!(url));
    }
    out
}

/// The non-null attributes of `body` named in `names`, as sent.
pub(crate) fn kept(body: &Map<String, Value>, names: &[&str]) -> Map<String, Value> {
    names
        .iter()
        .filter_map(|k| {
            body.get(*k)
                .filter(|v| !v.is_null())
                .map(|v| ((*k).to_owned(), v.clone()))
        })
        .collect()
}

/// A required array of at least one string.
fn required_urls(f: &mut Fields<'_>, body: &Map<String, Value>, name: &str) -> Option<Vec<String>> {
    if body.get(name).is_none_or(Value::is_null) {
        f.problem(Detail::new("REQUIRED_VALUE", format!("{name} is required.")).target(name));
        return None;
    }
    let urls = f.optional_strings(name)?;
    if urls.is_empty() {
        f.problem(
            Detail::new(
                "EMPTY_VALUE",
                format!("{name} must contain at least one URL."),
            )
            .target(name),
        );
        return None;
    }
    Some(urls)
}

/// An integer within `range` (inclusive); `required` records its absence as a problem.
fn integer(
    f: &mut Fields<'_>,
    body: &Map<String, Value>,
    name: &str,
    required: bool,
    (min, max): (i64, i64),
) -> Option<i64> {
    let value = body.get(name).filter(|v| !v.is_null());
    let Some(value) = value else {
        if required {
            f.problem(Detail::new("REQUIRED_VALUE", format!("{name} is required.")).target(name));
        }
        return None;
    };
    let Some(n) = value.as_i64() else {
        f.problem(Detail::new("INVALID_VALUE", format!("{name} must be an integer.")).target(name));
        return None;
    };
    if n < min || n > max {
        f.problem(
            Detail::new(
                "OUT_OF_RANGE",
                format!("{name} must be between {min} and {max}."),
            )
            .target(name)
            .inner("rangeMinimumValue", json!(min))
            .inner("rangeMaximumValue", json!(max)),
        );
        return None;
    }
    Some(n)
}

/// `idpSigning`: `{key: {id}, algorithm}`; WS-Fed requires it and its algorithm.
fn signing(f: &mut Fields<'_>, body: &Map<String, Value>, required: bool) {
    let target = "idpSigning";
    let Some(signing) = object(f, body, target, required) else {
        return;
    };
    reference(f, signing, "idpSigning.key");
    match signing.get("algorithm").and_then(Value::as_str) {
        Some(algorithm) => check_enum(
            f,
            "idpSigning.algorithm",
            Some(algorithm),
            SIGNING_ALGORITHMS,
        ),
        None if required => f.problem(
            Detail::new("REQUIRED_VALUE", "idpSigning.algorithm is required.")
                .target("idpSigning.algorithm"),
        ),
        None => {}
    }
}

/// `spEncryption`: `{algorithm, certificate: {id}}`, both required when sent.
fn encryption(f: &mut Fields<'_>, body: &Map<String, Value>) {
    let Some(encryption) = object(f, body, "spEncryption", false) else {
        return;
    };
    let algorithm = encryption.get("algorithm").and_then(Value::as_str);
    if algorithm.is_none() {
        f.problem(
            Detail::new("REQUIRED_VALUE", "spEncryption.algorithm is required.")
                .target("spEncryption.algorithm"),
        );
    }
    check_enum(
        f,
        "spEncryption.algorithm",
        algorithm,
        ENCRYPTION_ALGORITHMS,
    );
    reference(f, encryption, "spEncryption.certificate");
}

/// `spVerification`: `{certificates: [{id}], authnRequestSigned}`.
fn verification(f: &mut Fields<'_>, body: &Map<String, Value>) {
    let Some(verification) = object(f, body, "spVerification", false) else {
        return;
    };
    let certificates = verification.get("certificates").and_then(Value::as_array);
    let valid = certificates.is_some_and(|list| {
        list.iter()
            .all(|c| c.get("id").and_then(Value::as_str).is_some())
    });
    if !valid {
        f.problem(
            Detail::new(
                "REQUIRED_VALUE",
                "spVerification.certificates is required: an array of {\"id\": ...} objects.",
            )
            .target("spVerification.certificates"),
        );
    }
}

/// `corsSettings`: `{behavior, origins}`.
fn cors(f: &mut Fields<'_>, body: &Map<String, Value>) {
    let Some(cors) = object(f, body, "corsSettings", false) else {
        return;
    };
    let behavior = cors.get("behavior").and_then(Value::as_str);
    if behavior.is_none() {
        f.problem(
            Detail::new("REQUIRED_VALUE", "corsSettings.behavior is required.")
                .target("corsSettings.behavior"),
        );
    }
    check_enum(f, "corsSettings.behavior", behavior, CORS_BEHAVIORS);
}

/// The object attribute `name`, recording a problem when it is required and absent or
/// when it is not an object.
fn object<'b>(
    f: &mut Fields<'_>,
    body: &'b Map<String, Value>,
    name: &str,
    required: bool,
) -> Option<&'b Map<String, Value>> {
    match body.get(name).filter(|v| !v.is_null()) {
        Some(Value::Object(object)) => Some(object),
        Some(_) => {
            f.problem(
                Detail::new("INVALID_VALUE", format!("{name} must be an object.")).target(name),
            );
            None
        }
        None => {
            if required {
                f.problem(
                    Detail::new("REQUIRED_VALUE", format!("{name} is required.")).target(name),
                );
            }
            None
        }
    }
}

/// A required `{"id": "..."}` at `path` (`idpSigning.key`) inside `parent`.
fn reference(f: &mut Fields<'_>, parent: &Map<String, Value>, path: &str) {
    let key = path.rsplit('.').next().unwrap_or(path);
    let id = parent
        .get(key)
        .and_then(|k| k.get("id"))
        .and_then(Value::as_str);
    if id.is_none_or(|id| id.trim().is_empty()) {
        f.problem(
            Detail::new("REQUIRED_VALUE", format!("{path}.id is required."))
                .target(format!("{path}.id")),
        );
    }
}
