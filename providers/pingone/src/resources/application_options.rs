//! The four kinds of `pingone_application` (TERRAFORM-PROVIDER.md §3.9): the attributes of
//! `oidc_options`, `saml_options`, `wsfed_options` and `external_link_options`, where
//! PingOne's flat application JSON keeps them, and which one an application uses.
//!
//! Exactly one of the four is set. Adding or removing one replaces the application, as
//! does changing its `type`; the other attributes update in place. PingOne's `protocol`
//! follows from the object used (`OPENID_CONNECT`, `SAML`, `WS_FED`, `EXTERNAL_LINK`);
//! an external link's `type` is always `PORTAL_LINK_APP`, a SAML application's defaults
//! to `WEB_APP`.

use engine::Value;
use engine::provider::{AttributeSchema, Presence};
use serde_json::{Map, json};

use super::common::attr;
use crate::fields::{Field, Kind, attr_type, field, from_json, to_json};
use crate::nested::{self, Rule};
use crate::values::{IfUnknown, is_set, object_from_pairs};

/// One kind of application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// OpenID Connect / OAuth (workers, web, native and single-page apps).
    Oidc,
    /// SAML 2.0.
    Saml,
    /// WS-Federation.
    WsFed,
    /// A link in the application portal.
    ExternalLink,
}

impl Protocol {
    /// Every kind, in schema order.
    pub(crate) const ALL: [Protocol; 4] = [
        Protocol::Oidc,
        Protocol::Saml,
        Protocol::WsFed,
        Protocol::ExternalLink,
    ];

    /// The attribute holding this kind's settings.
    pub(crate) fn attribute(self) -> &'static str {
        match self {
            Protocol::Oidc => "oidc_options",
            Protocol::Saml => "saml_options",
            Protocol::WsFed => "wsfed_options",
            Protocol::ExternalLink => "external_link_options",
        }
    }

    /// PingOne's `protocol` value.
    pub(crate) fn api_name(self) -> &'static str {
        match self {
            Protocol::Oidc => "OPENID_CONNECT",
            Protocol::Saml => "SAML",
            Protocol::WsFed => "WS_FED",
            Protocol::ExternalLink => "EXTERNAL_LINK",
        }
    }

    fn fields(self) -> &'static [Field] {
        match self {
            Protocol::Oidc => OIDC,
            Protocol::Saml => SAML,
            Protocol::WsFed => WSFED,
            Protocol::ExternalLink => EXTERNAL_LINK,
        }
    }

    /// Attributes configuration must set inside the object.
    fn required(self) -> &'static [&'static str] {
        match self {
            Protocol::Oidc => &["type", "grant_types", "token_endpoint_auth_method"],
            Protocol::Saml => &[
                "acs_urls",
                "assertion_duration",
                "idp_signing_key",
                "sp_entity_id",
            ],
            Protocol::WsFed => &["domain_name", "idp_signing_key", "reply_url", "type"],
            Protocol::ExternalLink => &["home_page_url"],
        }
    }

    /// The application `type` PingOne gets when the object does not say.
    fn default_type(self) -> Option<&'static str> {
        match self {
            Protocol::Saml => Some("WEB_APP"),
            Protocol::ExternalLink => Some("PORTAL_LINK_APP"),
            Protocol::Oidc | Protocol::WsFed => None,
        }
    }

    /// The object attribute's schema.
    pub(crate) fn schema(self) -> AttributeSchema {
        let (description, keys): (&'static str, &[&'static str]) = match self {
            Protocol::Oidc => (
                "OIDC/OAuth settings: { type = WORKER | WEB_APP | ..., grant_types, ... }.",
                // PingOne's mobile app identifiers are immutable once defined.
                &[
                    "type",
                    "mobile_app.bundle_id",
                    "mobile_app.package_name",
                    "mobile_app.huawei_app_id",
                    "mobile_app.huawei_package_name",
                ],
            ),
            Protocol::Saml => (
                "SAML settings: { acs_urls, assertion_duration, sp_entity_id, idp_signing_key, ... }.",
                &["type"],
            ),
            Protocol::WsFed => (
                "WS-Fed settings: { type, domain_name, reply_url, idp_signing_key, ... }.",
                &["type"],
            ),
            Protocol::ExternalLink => ("External link settings: { home_page_url }.", &[]),
        };
        let mut schema = attr(
            attr_type(Kind::Obj(self.fields())),
            Presence::Optional,
            description,
        )
        .force_new_on_presence()
        .force_new_keys(keys);
        if self == Protocol::Oidc {
            schema = schema.write_only_keys(GOOGLE_PLAY_SECRETS);
        }
        schema.nested = nested::of_fields(self.fields());
        let required: Vec<(&str, Rule)> = self
            .required()
            .iter()
            .map(|name| (*name, Rule::Required))
            .collect();
        nested::refine(nested::refine(schema, &required), self.rules())
    }

    /// Enums and IDs inside the object (TERRAFORM-PROVIDER.md §3.9 and the provider's
    /// documentation).
    pub(crate) fn rules(self) -> &'static [(&'static str, Rule)] {
        match self {
            Protocol::Oidc => OIDC_RULES,
            Protocol::Saml => SAML_RULES,
            Protocol::WsFed => WSFED_RULES,
            Protocol::ExternalLink => &[],
        }
    }
}

const CORS_BEHAVIORS: &[&str] = &["ALLOW_NO_ORIGINS", "ALLOW_SPECIFIC_ORIGINS"];

const OIDC_RULES: &[(&str, Rule)] = &[
    (
        "type",
        Rule::OneOf(&[
            "WEB_APP",
            "NATIVE_APP",
            "SINGLE_PAGE_APP",
            "WORKER",
            "SERVICE",
            "CUSTOM_APP",
        ]),
    ),
    (
        "grant_types",
        Rule::OneOf(&[
            "AUTHORIZATION_CODE",
            "CIBA",
            "CLIENT_CREDENTIALS",
            "DEVICE_CODE",
            "IMPLICIT",
            "REFRESH_TOKEN",
            "TOKEN_EXCHANGE",
        ]),
    ),
    (
        "token_endpoint_auth_method",
        Rule::OneOf(&[
            "CLIENT_SECRET_BASIC",
            "CLIENT_SECRET_JWT",
            "CLIENT_SECRET_POST",
            "NONE",
            "PRIVATE_KEY_JWT",
        ]),
    ),
    (
        "response_types",
        Rule::OneOf(&["CODE", "ID_TOKEN", "TOKEN"]),
    ),
    (
        "pkce_enforcement",
        Rule::OneOf(&["OPTIONAL", "REQUIRED", "S256_REQUIRED"]),
    ),
    ("par_requirement", Rule::OneOf(&["OPTIONAL", "REQUIRED"])),
    (
        "refresh_token_type",
        Rule::OneOf(&["JSON_WEB_TOKEN", "OPAQUE_TOKEN"]),
    ),
    ("cors_settings.behavior", Rule::Required),
    ("cors_settings.behavior", Rule::OneOf(CORS_BEHAVIORS)),
    ("certificate_based_authentication.key_id", Rule::Required),
    ("certificate_based_authentication.key_id", Rule::Uuid),
    ("signing.key_rotation_policy_id", Rule::Uuid),
    (
        "mobile_app.integrity_detection.excluded_platforms",
        Rule::OneOf(&["GOOGLE", "IOS"]),
    ),
    (
        "mobile_app.integrity_detection.cache_duration.amount",
        Rule::Required,
    ),
    (
        "mobile_app.integrity_detection.cache_duration.units",
        Rule::OneOf(&["MINUTES", "HOURS"]),
    ),
    (
        "mobile_app.integrity_detection.google_play.verification_type",
        Rule::Required,
    ),
    (
        "mobile_app.integrity_detection.google_play.verification_type",
        Rule::OneOf(&["GOOGLE", "INTERNAL"]),
    ),
];

const SAML_RULES: &[(&str, Rule)] = &[
    ("cors_settings.behavior", Rule::Required),
    ("cors_settings.behavior", Rule::OneOf(CORS_BEHAVIORS)),
    ("idp_signing_key.key_id", Rule::Required),
    ("idp_signing_key.key_id", Rule::Uuid),
    ("idp_signing_key.algorithm", Rule::Required),
    ("slo_binding", Rule::OneOf(&["HTTP_POST", "HTTP_REDIRECT"])),
    ("sp_encryption.certificate.id", Rule::Uuid),
    ("sp_verification.certificate_ids", Rule::Uuid),
];

const WSFED_RULES: &[(&str, Rule)] = &[
    ("cors_settings.behavior", Rule::Required),
    ("cors_settings.behavior", Rule::OneOf(CORS_BEHAVIORS)),
    ("idp_signing_key.key_id", Rule::Required),
    ("idp_signing_key.key_id", Rule::Uuid),
    ("idp_signing_key.algorithm", Rule::Required),
];

const CORS: &[Field] = &[
    field("behavior", "behavior", Kind::Str),
    field("origins", "origins", Kind::Strings),
];

const IDP_SIGNING_KEY: &[Field] = &[
    field("key_id", "key.id", Kind::Str),
    field("algorithm", "algorithm", Kind::Str),
];

/// `oidc_options`' attributes and their top-level keys in PingOne's application.
const OIDC: &[Field] = &[
    field("type", "type", Kind::Str),
    field("grant_types", "grantTypes", Kind::Strings),
    field(
        "token_endpoint_auth_method",
        "tokenEndpointAuthMethod",
        Kind::Str,
    ),
    field("response_types", "responseTypes", Kind::Strings),
    field("redirect_uris", "redirectUris", Kind::Strings),
    field(
        "allow_wildcard_in_redirect_uris",
        "allowWildcardInRedirectUris",
        Kind::Bool,
    ),
    field(
        "post_logout_redirect_uris",
        "postLogoutRedirectUris",
        Kind::Strings,
    ),
    field("home_page_url", "homePageUrl", Kind::Str),
    field("initiate_login_uri", "initiateLoginUri", Kind::Str),
    field("target_link_uri", "targetLinkUri", Kind::Str),
    field("jwks", "jwks", Kind::Str),
    field("jwks_url", "jwksUrl", Kind::Str),
    field("pkce_enforcement", "pkceEnforcement", Kind::Str),
    field("par_requirement", "parRequirement", Kind::Str),
    field("par_timeout", "parTimeout", Kind::Int),
    field("refresh_token_duration", "refreshTokenDuration", Kind::Int),
    field(
        "refresh_token_rolling_duration",
        "refreshTokenRollingDuration",
        Kind::Int,
    ),
    field(
        "refresh_token_rolling_grace_period_duration",
        "refreshTokenRollingGracePeriodDuration",
        Kind::Int,
    ),
    field("refresh_token_type", "refreshTokenType", Kind::Str),
    field(
        "additional_refresh_token_replay_protection_enabled",
        "additionalRefreshTokenReplayProtectionEnabled",
        Kind::Bool,
    ),
    field(
        "support_unsigned_request_object",
        "supportUnsignedRequestObject",
        Kind::Bool,
    ),
    field(
        "require_signed_request_object",
        "requireSignedRequestObject",
        Kind::Bool,
    ),
    field("idp_signoff", "idpSignoff", Kind::Bool),
    field("include_x5t", "includeX5t", Kind::Bool),
    field(
        "op_session_check_enabled",
        "opSessionCheckEnabled",
        Kind::Bool,
    ),
    field(
        "request_scopes_for_multiple_resources_enabled",
        "requestScopesForMultipleResourcesEnabled",
        Kind::Bool,
    ),
    field("device_path_id", "devicePathId", Kind::Str),
    field(
        "device_custom_verification_uri",
        "deviceCustomVerificationUri",
        Kind::Str,
    ),
    field("device_timeout", "deviceTimeout", Kind::Int),
    field(
        "device_polling_interval",
        "devicePollingInterval",
        Kind::Int,
    ),
    field("cors_settings", "corsSettings", Kind::Obj(CORS)),
    field(
        "certificate_based_authentication",
        "kerberos",
        Kind::Obj(CERTIFICATE_BASED_AUTHENTICATION),
    ),
    field("signing", "signing", Kind::Obj(SIGNING)),
    field("mobile_app", "mobile", Kind::Obj(MOBILE_APP)),
];

/// PingOne keeps a native app's certificate issuer (the root CA of the certificates its
/// users present) as `kerberos.key`: "a Relationship object containing the certificate
/// issuer (root CA)" (the management OpenAPI specification).
const CERTIFICATE_BASED_AUTHENTICATION: &[Field] = &[field("key_id", "key.id", Kind::Str)];

const SIGNING: &[Field] = &[field(
    "key_rotation_policy_id",
    "keyRotationPolicy.id",
    Kind::Str,
)];

/// `mobile_app` (TERRAFORM-PROVIDER.md §3.9), PingOne's `mobile`. The passcode refresh
/// period is in seconds, PingOne's only `passcodeRefreshDuration.timeUnit`
/// ([`to_body`] adds it). The Google Play credentials (`google_play`) are secrets
/// PingOne never returns: [`from_api`] leaves them null, and state keeps sealed copies.
const MOBILE_APP: &[Field] = &[
    field("bundle_id", "bundleId", Kind::Str),
    field("package_name", "packageName", Kind::Str),
    field("huawei_app_id", "huaweiAppId", Kind::Str),
    field("huawei_package_name", "huaweiPackageName", Kind::Str),
    field("passcode_grace_period", "passcodeGracePeriod", Kind::Int),
    field(
        "passcode_refresh_seconds",
        "passcodeRefreshDuration.duration",
        Kind::Int,
    ),
    field("universal_app_link", "uriPrefix", Kind::Str),
    field(
        "integrity_detection",
        "integrityDetection",
        Kind::Obj(INTEGRITY_DETECTION),
    ),
];

const INTEGRITY_DETECTION: &[Field] = &[
    field(
        "enabled",
        "mode",
        Kind::Switch {
            on: "ENABLED",
            off: "DISABLED",
        },
    ),
    field("excluded_platforms", "excludedPlatforms", Kind::Strings),
    field("cache_duration", "cacheDuration", Kind::Obj(CACHE_DURATION)),
    field("google_play", "googlePlay", Kind::Obj(GOOGLE_PLAY)),
];

/// Google Play Integrity API credentials: `verification_type` `GOOGLE` with the service
/// account's JSON, or `INTERNAL` with the decryption and verification keys.
const GOOGLE_PLAY: &[Field] = &[
    field("verification_type", "verificationType", Kind::Str),
    field("decryption_key", "decryptionKey", Kind::Str),
    field("verification_key", "verificationKey", Kind::Str),
    field(
        "service_account_credentials_json",
        "serviceAccountCredentials",
        Kind::Str,
    ),
];

/// The Google Play credentials inside `oidc_options`: secrets PingOne never returns,
/// so state keeps only sealed copies (`AttributeSchema::write_only_keys`).
const GOOGLE_PLAY_SECRETS: &[&str] = &[
    "mobile_app.integrity_detection.google_play.decryption_key",
    "mobile_app.integrity_detection.google_play.verification_key",
    "mobile_app.integrity_detection.google_play.service_account_credentials_json",
];

const CACHE_DURATION: &[Field] = &[
    field("amount", "amount", Kind::Int),
    field("units", "units", Kind::Str),
];

const SP_ENCRYPTION_CERTIFICATE: &[Field] = &[field("id", "id", Kind::Str)];
const SP_ENCRYPTION: &[Field] = &[
    field("algorithm", "algorithm", Kind::Str),
    field(
        "certificate",
        "certificate",
        Kind::Obj(SP_ENCRYPTION_CERTIFICATE),
    ),
];
const SP_VERIFICATION: &[Field] = &[
    field("certificate_ids", "certificates", Kind::Ids),
    field("authn_request_signed", "authnRequestSigned", Kind::Bool),
];
const VIRTUAL_SERVER: &[Field] = &[
    field("vs_id", "vsId", Kind::Str),
    field("default", "default", Kind::Bool),
];
const VIRTUAL_SERVERS: &[Field] = &[
    field("enabled", "enabled", Kind::Bool),
    field(
        "virtual_server_ids",
        "virtualServerIds",
        Kind::Objs(VIRTUAL_SERVER),
    ),
];

/// `saml_options`' attributes (the Terraform provider's names) and PingOne's keys.
const SAML: &[Field] = &[
    field("type", "type", Kind::Str),
    field("acs_urls", "acsUrls", Kind::Strings),
    field("assertion_duration", "assertionDuration", Kind::Int),
    field("assertion_signed_enabled", "assertionSigned", Kind::Bool),
    field("cors_settings", "corsSettings", Kind::Obj(CORS)),
    field("default_target_url", "defaultTargetUrl", Kind::Str),
    field(
        "enable_requested_authn_context",
        "enableRequestedAuthnContext",
        Kind::Bool,
    ),
    field("home_page_url", "homePageUrl", Kind::Str),
    field("idp_signing_key", "idpSigning", Kind::Obj(IDP_SIGNING_KEY)),
    field("nameid_format", "nameIdFormat", Kind::Str),
    field("response_is_signed", "responseSigned", Kind::Bool),
    field(
        "session_not_on_or_after_duration",
        "sessionNotOnOrAfterDuration",
        Kind::Int,
    ),
    field("slo_binding", "sloBinding", Kind::Str),
    field("slo_endpoint", "sloEndpoint", Kind::Str),
    field("slo_response_endpoint", "sloResponseEndpoint", Kind::Str),
    field("slo_window", "sloWindow", Kind::Int),
    field("sp_encryption", "spEncryption", Kind::Obj(SP_ENCRYPTION)),
    field("sp_entity_id", "spEntityId", Kind::Str),
    field(
        "sp_verification",
        "spVerification",
        Kind::Obj(SP_VERIFICATION),
    ),
    field(
        "virtual_server_id_settings",
        "virtualServerIdSettings",
        Kind::Obj(VIRTUAL_SERVERS),
    ),
];

const USER_TYPE: &[Field] = &[field("id", "id", Kind::Str)];
const GATEWAY: &[Field] = &[
    field("id", "id", Kind::Str),
    field("type", "type", Kind::Str),
    field("user_type", "userType", Kind::Obj(USER_TYPE)),
];
const KERBEROS: &[Field] = &[field("gateways", "gateways", Kind::Objs(GATEWAY))];

/// `wsfed_options`' attributes and PingOne's keys.
const WSFED: &[Field] = &[
    field("type", "type", Kind::Str),
    field("audience_restriction", "audienceRestriction", Kind::Str),
    field("cors_settings", "corsSettings", Kind::Obj(CORS)),
    field("domain_name", "domainName", Kind::Str),
    field("idp_signing_key", "idpSigning", Kind::Obj(IDP_SIGNING_KEY)),
    field("kerberos", "kerberos", Kind::Obj(KERBEROS)),
    field("reply_url", "replyUrl", Kind::Str),
    field("slo_endpoint", "sloEndpoint", Kind::Str),
    field(
        "subject_name_identifier_format",
        "subjectNameIdentifierFormat",
        Kind::Str,
    ),
];

/// `external_link_options`' one attribute.
const EXTERNAL_LINK: &[Field] = &[field("home_page_url", "homePageUrl", Kind::Str)];

/// The kind of application `planned` configures and its options object: exactly one of
/// the four attributes must be set.
pub(crate) fn chosen(planned: &Value) -> Result<(Protocol, &Value), String> {
    let set: Vec<Protocol> = Protocol::ALL
        .into_iter()
        .filter(|p| is_set(planned, p.attribute()))
        .collect();
    match set.as_slice() {
        [one] => match planned.get(one.attribute()) {
            Some(options @ Value::Object(_)) => Ok((*one, options)),
            _ => Err(format!(
                "{} must be an object, or not known yet; it must be known to apply",
                one.attribute()
            )),
        },
        _ => Err(format!(
            "exactly one of oidc_options, saml_options, wsfed_options or external_link_options \
             must be set, not {}",
            match set.as_slice() {
                [] => "none".to_string(),
                many => many
                    .iter()
                    .map(|p| p.attribute())
                    .collect::<Vec<_>>()
                    .join(" and "),
            }
        )),
    }
}

/// Adds `protocol`, `type` and the options' attributes to a request body.
pub(crate) fn to_body(
    protocol: Protocol,
    options: &Value,
    body: &mut Map<String, serde_json::Value>,
) -> Result<(), String> {
    let prefix = |e: String| format!("{}.{e}", protocol.attribute());
    check_required(protocol, options).map_err(prefix)?;
    check_native_only(protocol, options).map_err(prefix)?;
    check_integrity_detection(options).map_err(prefix)?;
    to_json(options, protocol.fields(), IfUnknown::Omit, body).map_err(prefix)?;
    if let Some(refresh) = body
        .get_mut("mobile")
        .and_then(|m| m.get_mut("passcodeRefreshDuration"))
        .and_then(serde_json::Value::as_object_mut)
    {
        refresh.insert("timeUnit".into(), json!("SECONDS"));
    }
    body.insert("protocol".into(), json!(protocol.api_name()));
    if let Some(kind) = protocol.default_type() {
        body.entry("type").or_insert_with(|| json!(kind));
    }
    Ok(())
}

/// The required attributes, and the required keys of `idp_signing_key`.
fn check_required(protocol: Protocol, options: &Value) -> Result<(), String> {
    for name in protocol.required() {
        if !is_set(options, name) {
            return Err(format!("{name} is required but not set"));
        }
    }
    if let Some(key @ Value::Object(_)) = options.get("idp_signing_key") {
        for name in ["key_id", "algorithm"] {
            if !is_set(key, name) {
                return Err(format!("idp_signing_key.{name} is required but not set"));
            }
        }
    }
    Ok(())
}

/// Certificate-based authentication and mobile app settings belong to native apps
/// (the official provider validates the first; PingOne's `mobile` serves native apps).
fn check_native_only(protocol: Protocol, options: &Value) -> Result<(), String> {
    let kind = options.get("type").and_then(Value::as_str);
    if protocol != Protocol::Oidc || kind == Some("NATIVE_APP") {
        return Ok(());
    }
    match ["certificate_based_authentication", "mobile_app"]
        .into_iter()
        .find(|name| is_set(options, name) && options.get(name) != Some(&Value::Unknown))
    {
        Some(name) => Err(format!(
            "{name} applies only to native applications (type = \"NATIVE_APP\"), not to {}",
            kind.map_or("this application".to_string(), |k| format!(
                "type = \"{k}\""
            ))
        )),
        None => Ok(()),
    }
}

/// PingOne requires Google Play Integrity credentials when integrity detection is on
/// for Android (MGMT-SPEC: `googlePlay` is "required if `excludedPlatforms` does not
/// contain `GOOGLE`"): say so before PingOne refuses the request.
fn check_integrity_detection(options: &Value) -> Result<(), String> {
    let Some(detection) = options
        .get("mobile_app")
        .and_then(|m| m.get("integrity_detection"))
    else {
        return Ok(());
    };
    let enabled = detection.get("enabled") == Some(&Value::Bool(true));
    let excluded = match detection.get("excluded_platforms") {
        Some(Value::List(platforms)) => platforms.iter().any(|p| p.as_str() == Some("GOOGLE")),
        Some(Value::Unknown) => true, // Known at apply; PingOne checks it then.
        _ => false,
    };
    let credentials = detection.get("google_play").is_some_and(|g| !g.is_null());
    if enabled && !excluded && !credentials {
        return Err(
            "mobile_app.integrity_detection: with integrity detection enabled for Android, PingOne \
             needs Google Play Integrity credentials: set google_play = { verification_type = \
             \"GOOGLE\", service_account_credentials_json = ... } (or \"INTERNAL\" with \
             decryption_key and verification_key), or add \"GOOGLE\" to excluded_platforms"
                .to_string(),
        );
    }
    Ok(())
}

/// Nulls the Google Play secrets in OIDC options read from PingOne, whatever it
/// answered: they are never read back (state keeps sealed copies of what was sent).
fn forget_secrets(options: &mut Value) {
    for path in GOOGLE_PLAY_SECRETS {
        let (parents, key) = path.rsplit_once('.').unwrap_or(("", path));
        let parent = parents
            .split('.')
            .try_fold(&mut *options, |v, step| match v {
                Value::Object(map) => map.get_mut(step),
                _ => None,
            });
        if let Some(Value::Object(parent)) = parent {
            parent.insert(key.to_string(), Value::Null);
        }
    }
}

/// The four options attributes from PingOne's JSON: the one matching its `protocol`
/// filled, the others null (an application of another kind, such as PingOne's own
/// portal, has none).
pub(crate) fn from_api(api: &serde_json::Value) -> Vec<(String, Value)> {
    let protocol = api.get("protocol").and_then(serde_json::Value::as_str);
    Protocol::ALL
        .into_iter()
        .map(|p| {
            let value = if protocol == Some(p.api_name()) {
                let mut options = object_from_pairs(from_json(api, p.fields()));
                if p == Protocol::Oidc {
                    forget_secrets(&mut options);
                }
                options
            } else {
                Value::Null
            };
            (p.attribute().to_string(), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::object;

    fn saml() -> Value {
        object([
            ("acs_urls", Value::List(vec!["https://sp/acs".into()])),
            ("assertion_duration", Value::Number(3600.0)),
            ("sp_entity_id", "sp:1".into()),
            (
                "idp_signing_key",
                object([
                    ("key_id", "k1".into()),
                    ("algorithm", "SHA256withRSA".into()),
                ]),
            ),
            (
                "sp_verification",
                object([
                    ("certificate_ids", Value::List(vec!["c1".into()])),
                    ("authn_request_signed", true.into()),
                ]),
            ),
        ])
    }

    #[test]
    fn saml_bodies_use_pingone_names_and_the_default_type() {
        let mut body = Map::new();
        to_body(Protocol::Saml, &saml(), &mut body).unwrap();
        assert_eq!(
            serde_json::Value::Object(body),
            json!({"protocol": "SAML", "type": "WEB_APP", "acsUrls": ["https://sp/acs"],
                   "assertionDuration": 3600, "spEntityId": "sp:1",
                   "idpSigning": {"key": {"id": "k1"}, "algorithm": "SHA256withRSA"},
                   "spVerification": {"certificates": [{"id": "c1"}], "authnRequestSigned": true}})
        );
    }

    #[test]
    fn required_attributes_are_named_with_their_object() {
        let missing = crate::values::with_attr(saml(), "sp_entity_id", Value::Null);
        let err = to_body(Protocol::Saml, &missing, &mut Map::new()).unwrap_err();
        assert_eq!(err, "saml_options.sp_entity_id is required but not set");
        let keyless =
            crate::values::with_attr(saml(), "idp_signing_key", object([("key_id", "k".into())]));
        let err = to_body(Protocol::Saml, &keyless, &mut Map::new()).unwrap_err();
        assert!(err.contains("idp_signing_key.algorithm"), "{err}");
        let err = to_body(Protocol::WsFed, &object([]), &mut Map::new()).unwrap_err();
        assert!(err.starts_with("wsfed_options.domain_name"), "{err}");
    }

    #[test]
    fn exactly_one_kind_is_chosen() {
        let none = object([("oidc_options", Value::Null)]);
        assert!(chosen(&none).unwrap_err().contains("not none"));
        let two = object([("saml_options", saml()), ("wsfed_options", object([]))]);
        assert!(
            chosen(&two)
                .unwrap_err()
                .contains("saml_options and wsfed_options")
        );
        let one = object([("saml_options", saml())]);
        assert_eq!(chosen(&one).unwrap().0, Protocol::Saml);
    }

    #[test]
    fn reads_fill_only_the_object_of_the_protocol() {
        let api = json!({"protocol": "EXTERNAL_LINK", "type": "PORTAL_LINK_APP",
                         "homePageUrl": "https://portal"});
        let read: std::collections::BTreeMap<_, _> = from_api(&api).into_iter().collect();
        assert_eq!(
            read["external_link_options"],
            object([("home_page_url", "https://portal".into())])
        );
        assert_eq!(read["oidc_options"], Value::Null);
        assert_eq!(read["saml_options"], Value::Null);
        let schema = Protocol::Saml.schema();
        assert!(schema.force_new_on_presence && schema.force_new_keys == ["type"]);
    }

    #[test]
    fn integrity_detection_for_android_needs_credentials_or_google_excluded() {
        let native = |excluded: Vec<Value>| {
            let detection = object([
                ("enabled", true.into()),
                ("excluded_platforms", Value::List(excluded)),
            ]);
            object([
                ("type", "NATIVE_APP".into()),
                (
                    "grant_types",
                    Value::List(vec!["CLIENT_CREDENTIALS".into()]),
                ),
                ("token_endpoint_auth_method", "CLIENT_SECRET_BASIC".into()),
                ("mobile_app", object([("integrity_detection", detection)])),
            ])
        };
        let err = to_body(Protocol::Oidc, &native(vec!["IOS".into()]), &mut Map::new());
        let err = err.unwrap_err();
        assert!(
            err.starts_with("oidc_options.mobile_app.integrity_detection")
                && err.contains("\"GOOGLE\""),
            "{err}"
        );
        let mut body = Map::new();
        to_body(Protocol::Oidc, &native(vec!["GOOGLE".into()]), &mut body).unwrap();
        assert_eq!(
            body["mobile"]["integrityDetection"]["mode"],
            json!("ENABLED")
        );
    }
}
