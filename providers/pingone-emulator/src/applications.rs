//! Application rules (API.md §7): OIDC applications of type WORKER, WEB_APP, NATIVE_APP and
//! SINGLE_PAGE_APP, SAML, WS-Fed and external-link applications, and secrets.
//!
//! - `name`, `type` and `protocol` (`OPENID_CONNECT`, `SAML`, `WS_FED` or `EXTERNAL_LINK`)
//!   are required; `enabled` defaults to false. The other rules depend on the protocol:
//!   OIDC ones here, the others in [`protocols`].
//! - OIDC: `tokenEndpointAuthMethod` and `grantTypes` are required; a WORKER's
//!   `grantTypes` must include `CLIENT_CREDENTIALS`; `AUTHORIZATION_CODE` and `IMPLICIT`
//!   need `redirectUris`; a SINGLE_PAGE_APP authenticates with `NONE`.
//! - A redirect URI with `*` needs `allowWildcardInRedirectUris: true` (else a detail message
//!   starting "Wildcards are not allowed in redirect URIs.").
//! - A SAML application's `spEntityId` is unique within its environment (400
//!   `UNIQUENESS_VIOLATION` with `existingId`).
//! - `protocol` cannot change on PUT (the official provider replaces the application).
//! - `assignActorRoles` (POST only, default true for workers as PingOne documents) gives a new
//!   WORKER the creating actor's role assignments.
//! - Secrets have 72 characters (PingOne's are at least 64). Regenerating may keep the previous
//!   secret valid until `previous.expiresAt`, 1 minute to 30 days ahead; the token endpoint
//!   accepts it until then.

mod protocols;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use crate::api_error::{ApiError, Detail, NOT_FOUND_MESSAGE};
use crate::environments::check_enum;
use crate::fields::Fields;
use crate::model::{Application, PreviousSecret, TenantData, new_id, now};
use crate::seed;

const TYPES: &[&str] = &["WEB_APP", "NATIVE_APP", "SINGLE_PAGE_APP", "WORKER"];
const PROTOCOLS: &[&str] = &["OPENID_CONNECT", "SAML", "WS_FED", "EXTERNAL_LINK"];
/// Attributes every protocol keeps as sent.
const COMMON_KEPT: &[&str] = &[
    "loginPageUrl",
    "accessControl",
    "hiddenFromAppPortal",
    "icon",
];
const AUTH_METHODS: &[&str] = &[
    "NONE",
    "CLIENT_SECRET_BASIC",
    "CLIENT_SECRET_POST",
    "PRIVATE_KEY_JWT",
    "CLIENT_SECRET_JWT",
];
const GRANT_TYPES: &[&str] = &[
    "AUTHORIZATION_CODE",
    "IMPLICIT",
    "REFRESH_TOKEN",
    "CLIENT_CREDENTIALS",
    "DEVICE_CODE",
    "TOKEN_EXCHANGE",
    "CIBA",
];
const RESPONSE_TYPES: &[&str] = &["TOKEN", "ID_TOKEN", "CODE"];
const PKCE: &[&str] = &["OPTIONAL", "REQUIRED", "S256_REQUIRED"];
/// OIDC attributes kept as sent, beyond the typed ones.
const OIDC_KEPT: &[&str] = &[
    "responseTypes",
    "redirectUris",
    "postLogoutRedirectUris",
    "allowWildcardInRedirectUris",
    "pkceEnforcement",
    "refreshTokenDuration",
    "refreshTokenRollingDuration",
    "refreshTokenRollingGracePeriodDuration",
    "additionalRefreshTokenReplayProtectionEnabled",
    "homePageUrl",
    "initiateLoginUri",
    "targetLinkUri",
    "jwks",
    "jwksUrl",
    "parRequirement",
    "parTimeout",
    "devicePathId",
    "deviceTimeout",
    "devicePollingInterval",
    "signing",
    "tags",
    "mobile",
    "kerberos",
    "corsSettings",
    "requestScopesForMultipleResourcesEnabled",
    "requireSignedRequestObject",
    "supportUnsignedRequestObject",
    "includeX5t",
    "idpSignoff",
    "opSessionCheckEnabled",
];

/// A validated application body.
#[derive(Debug, Clone)]
pub(crate) struct ApplicationInput {
    name: String,
    description: Option<String>,
    enabled: bool,
    kind: String,
    protocol: String,
    auth_method: String,
    grant_types: Vec<String>,
    assign_actor_roles: bool,
    attributes: Map<String, Value>,
}

impl ApplicationInput {
    /// Validates a POST or PUT body.
    pub(crate) fn parse(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut f = Fields::new(body);
        let name = f.required_string("name").unwrap_or_default();
        let kind = f.required_string("type");
        let protocol = f.required_string("protocol");
        check_enum(&mut f, "protocol", protocol.as_deref(), PROTOCOLS);
        let protocol = protocol.unwrap_or_default();
        let allowed = match protocols::types(&protocol) {
            [] => TYPES,
            other => other,
        };
        check_enum(&mut f, "type", kind.as_deref(), allowed);
        let mut input = ApplicationInput {
            name,
            description: f.optional_string("description"),
            enabled: f.optional_bool("enabled").unwrap_or(false),
            kind: kind.unwrap_or_default(),
            protocol,
            auth_method: String::new(),
            grant_types: Vec::new(),
            assign_actor_roles: f.optional_bool("assignActorRoles").unwrap_or(true),
            attributes: protocols::kept(body, COMMON_KEPT),
        };
        match input.protocol.as_str() {
            "SAML" => input.attributes.extend(protocols::saml(&mut f, body)),
            "WS_FED" => input.attributes.extend(protocols::wsfed(&mut f, body)),
            "EXTERNAL_LINK" => input
                .attributes
                .extend(protocols::external_link(&mut f, body)),
            // OIDC, and the rules reported when the protocol is missing or invalid.
            _ => input.oidc(&mut f, body),
        }
        f.finish()?;
        Ok(input)
    }

    /// The OIDC rules and attributes.
    fn oidc(&mut self, f: &mut Fields<'_>, body: &Map<String, Value>) {
        let auth_method = f.required_string("tokenEndpointAuthMethod");
        check_enum(
            f,
            "tokenEndpointAuthMethod",
            auth_method.as_deref(),
            AUTH_METHODS,
        );
        let grant_types = f.optional_strings("grantTypes");
        if body.get("grantTypes").is_none_or(Value::is_null) {
            f.problem(
                Detail::new("REQUIRED_VALUE", "grantTypes is required.").target("grantTypes"),
            );
        }
        self.grant_types = grant_types.unwrap_or_default();
        for g in &self.grant_types {
            check_enum(f, "grantTypes", Some(g), GRANT_TYPES);
        }
        let responses = f.optional_strings("responseTypes").unwrap_or_default();
        for r in &responses {
            check_enum(f, "responseTypes", Some(r), RESPONSE_TYPES);
        }
        let pkce = f.optional_string("pkceEnforcement");
        check_enum(f, "pkceEnforcement", pkce.as_deref(), PKCE);
        self.auth_method = auth_method.unwrap_or_default();
        self.attributes.extend(protocols::kept(body, OIDC_KEPT));
        self.check_combinations(f, &responses);
        self.forget_google_play_secrets();
    }

    /// The Google Play credentials are write-only (`format: password`): PingOne never
    /// returns them, so they are not kept.
    fn forget_google_play_secrets(&mut self) {
        let google_play = self
            .attributes
            .get_mut("mobile")
            .and_then(|m| m.get_mut("integrityDetection"))
            .and_then(|d| d.get_mut("googlePlay"))
            .and_then(Value::as_object_mut);
        if let Some(google_play) = google_play {
            for key in [
                "decryptionKey",
                "verificationKey",
                "serviceAccountCredentials",
            ] {
                google_play.remove(key);
            }
        }
    }

    fn check_combinations(&self, f: &mut Fields<'_>, responses: &[String]) {
        let has = |g: &str| self.grant_types.iter().any(|x| x == g);
        if self.kind == "WORKER" && !has("CLIENT_CREDENTIALS") {
            f.problem(
                Detail::new(
                    "INVALID_VALUE",
                    "A WORKER application's grantTypes must include CLIENT_CREDENTIALS.",
                )
                .target("grantTypes"),
            );
        }
        if self.kind == "SINGLE_PAGE_APP"
            && !self.auth_method.is_empty()
            && self.auth_method != "NONE"
        {
            f.problem(
                Detail::new(
                    "INVALID_VALUE",
                    "A SINGLE_PAGE_APP application's tokenEndpointAuthMethod must be NONE.",
                )
                .target("tokenEndpointAuthMethod")
                .inner("allowedValues", json!(["NONE"])),
            );
        }
        if has("AUTHORIZATION_CODE") && !responses.iter().any(|r| r == "CODE") {
            f.problem(
                Detail::new(
                    "INVALID_VALUE",
                    "The AUTHORIZATION_CODE grant type requires the CODE response type.",
                )
                .target("responseTypes"),
            );
        }
        let uris = self
            .attributes
            .get("redirectUris")
            .and_then(Value::as_array);
        if (has("AUTHORIZATION_CODE") || has("IMPLICIT")) && uris.is_none_or(Vec::is_empty) {
            f.problem(
                Detail::new(
                    "REQUIRED_VALUE",
                    "redirectUris is required for the AUTHORIZATION_CODE and IMPLICIT grant types.",
                )
                .target("redirectUris"),
            );
        }
        let wildcard_allowed = self
            .attributes
            .get("allowWildcardInRedirectUris")
            .and_then(Value::as_bool)
            == Some(true);
        let wildcard = uris
            .into_iter()
            .flatten()
            .any(|u| u.as_str().is_some_and(|u| u.contains('*')));
        if wildcard && !wildcard_allowed {
            f.problem(Detail::new(
                "INVALID_VALUE",
                "Wildcards are not allowed in redirect URIs. Set allowWildcardInRedirectUris to true to use them.",
            ).target("redirectUris"));
        }
        if uris.into_iter().flatten().any(|u| !u.is_string()) {
            f.problem(
                Detail::new("INVALID_VALUE", "redirectUris must be an array of strings.")
                    .target("redirectUris"),
            );
        }
        self.check_integrity_detection(f);
    }

    /// MGMT-SPEC `ApplicationOIDC_allOf_mobile_integrityDetection_googlePlay`: "Required if
    /// `excludedPlatforms` does not contain `GOOGLE`" (when integrity detection is on).
    fn check_integrity_detection(&self, f: &mut Fields<'_>) {
        let Some(detection) = self
            .attributes
            .get("mobile")
            .and_then(|m| m.get("integrityDetection"))
        else {
            return;
        };
        let enabled = detection.get("mode").and_then(Value::as_str) == Some("ENABLED");
        let google_excluded = detection
            .get("excludedPlatforms")
            .and_then(Value::as_array)
            .is_some_and(|p| p.iter().any(|p| p == "GOOGLE"));
        if enabled && !google_excluded && detection.get("googlePlay").is_none_or(Value::is_null) {
            f.problem(
                Detail::new(
                    "REQUIRED_VALUE",
                    "googlePlay is required when integrity detection is enabled and \
                     excludedPlatforms does not contain GOOGLE.",
                )
                .target("mobile.integrityDetection.googlePlay"),
            );
        }
    }
}

/// 404 for an application that is not in the environment.
pub(crate) fn not_found(env_id: &str, id: &str) -> ApiError {
    ApiError::not_found(format!(
        "Unable to find Application with ID: '{id}' in Environment {env_id}"
    ))
}

/// Creates an application for `creator`; a worker inherits its roles if asked.
pub(crate) fn create(
    data: &mut TenantData,
    env_id: &str,
    input: ApplicationInput,
    creator: &str,
) -> Result<Application, ApiError> {
    check_unique_entity_id(data, env_id, &input, None)?;
    let secret = seed::new_secret().map_err(|_| ApiError::unexpected())?;
    let at = now();
    let app = Application {
        id: new_id(),
        environment_id: env_id.to_owned(),
        name: input.name,
        description: input.description,
        enabled: input.enabled,
        kind: input.kind,
        protocol: input.protocol,
        token_endpoint_auth_method: input.auth_method,
        grant_types: input.grant_types,
        secret,
        previous_secret: None,
        attributes: input.attributes,
        created_at: at,
        updated_at: at,
    };
    if input.assign_actor_roles && app.kind == "WORKER" {
        let inherited: Vec<_> = data
            .role_assignments
            .iter_in(creator, None)
            .map(|a| {
                seed::assignment(
                    &app.id,
                    env_id,
                    &a.role_id,
                    &a.scope_type,
                    &a.scope_id,
                    false,
                )
            })
            .collect();
        for assignment in inherited {
            data.role_assignments.insert(assignment);
        }
    }
    data.applications.insert(app.clone());
    Ok(app)
}

/// Replaces an application's writable attributes (`assignActorRoles` is ignored on PUT).
pub(crate) fn replace(
    data: &mut TenantData,
    env_id: &str,
    id: &str,
    input: ApplicationInput,
) -> Result<Application, ApiError> {
    check_unique_entity_id(data, env_id, &input, Some(id))?;
    let app = data
        .applications
        .get_mut_in(env_id, id)
        .ok_or_else(|| not_found(env_id, id))?;
    if app.protocol != input.protocol {
        return Err(ApiError::invalid_data(vec![
            Detail::new(
                "INVALID_VALUE",
                format!(
                    "protocol cannot be changed from {} to {}; create a new application instead.",
                    app.protocol, input.protocol
                ),
            )
            .target("protocol"),
        ]));
    }
    app.name = input.name;
    app.description = input.description;
    app.enabled = input.enabled;
    app.kind = input.kind;
    app.protocol = input.protocol;
    app.token_endpoint_auth_method = input.auth_method;
    app.grant_types = input.grant_types;
    app.attributes = input.attributes;
    app.updated_at = now();
    Ok(app.clone())
}

/// A SAML application's `spEntityId` must be unique within its environment.
fn check_unique_entity_id(
    data: &TenantData,
    env_id: &str,
    input: &ApplicationInput,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let entity = |attributes: &Map<String, Value>| {
        attributes
            .get("spEntityId")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let Some(wanted) = entity(&input.attributes).filter(|_| input.protocol == "SAML") else {
        return Ok(());
    };
    let clash = data.applications.iter_in(env_id, None).find(|a| {
        Some(a.id.as_str()) != except
            && a.protocol == "SAML"
            && entity(&a.attributes).as_deref() == Some(wanted.as_str())
    });
    match clash {
        None => Ok(()),
        Some(existing) => Err(ApiError::invalid_data(vec![
            Detail::new(
                "UNIQUENESS_VIOLATION",
                format!("An application with spEntityId '{wanted}' already exists; spEntityId must be unique within an environment."),
            )
            .target("spEntityId")
            .inner("existingId", json!(existing.id)),
        ])),
    }
}

/// Deletes an application, its role assignments and assignments scoped to it.
pub(crate) fn delete(data: &mut TenantData, env_id: &str, id: &str) -> Result<(), ApiError> {
    data.applications
        .get_in(env_id, id)
        .ok_or_else(|| not_found(env_id, id))?;
    data.applications.remove(id);
    data.role_assignments.remove_in(id);
    let scoped: Vec<String> = data
        .role_assignments
        .iter()
        .filter(|a| a.scope_type == "APPLICATION" && a.scope_id == id)
        .map(|a| a.id.clone())
        .collect();
    for assignment in scoped {
        data.role_assignments.remove(&assignment);
    }
    Ok(())
}

/// Parses an optional `{"previous": {"expiresAt": "..."}}` regeneration body.
pub(crate) fn previous_expiry(
    body: &Map<String, Value>,
    at: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(previous) = body.get("previous").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let target = "previous.expiresAt";
    let invalid = |message: &str| {
        ApiError::invalid_data(vec![Detail::new("INVALID_VALUE", message).target(target)])
    };
    let text = previous
        .get("expiresAt")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ApiError::invalid_data(vec![
                Detail::new("REQUIRED_VALUE", "previous.expiresAt is required.").target(target),
            ])
        })?;
    let expires = DateTime::parse_from_rfc3339(text)
        .map_err(|_| invalid("previous.expiresAt must be an RFC 3339 date-time."))?
        .with_timezone(&Utc);
    let (min, max) = (at + Duration::minutes(1), at + Duration::days(30));
    if expires < min || expires > max {
        return Err(ApiError::invalid_data(vec![
            Detail::new(
                "OUT_OF_RANGE",
                "previous.expiresAt must be between 1 minute and 30 days from now.",
            )
            .target(target)
            // In seconds from now: the specification types these bounds as integers.
            .inner("rangeMinimumValue", json!(60))
            .inner("rangeMaximumValue", json!(2_592_000)),
        ]));
    }
    Ok(Some(expires))
}

/// Regenerates the secret, keeping the old one until `keep_until` if given.
pub(crate) fn regenerate(
    data: &mut TenantData,
    env_id: &str,
    id: &str,
    keep_until: Option<DateTime<Utc>>,
) -> Result<Application, ApiError> {
    let secret = seed::new_secret().map_err(|_| ApiError::unexpected())?;
    let app = data
        .applications
        .get_mut_in(env_id, id)
        .ok_or_else(|| not_found(env_id, id))?;
    let old = std::mem::replace(&mut app.secret, secret);
    app.previous_secret = keep_until.map(|expires_at| PreviousSecret {
        secret: old,
        expires_at,
        last_used: None,
    });
    app.updated_at = now();
    Ok(app.clone())
}

/// Deletes the previous secret; 404 if there is none (or it has expired).
pub(crate) fn delete_previous(
    data: &mut TenantData,
    env_id: &str,
    id: &str,
) -> Result<(), ApiError> {
    let app = data
        .applications
        .get_mut_in(env_id, id)
        .ok_or_else(|| not_found(env_id, id))?;
    match app.previous_secret.take() {
        Some(previous) if previous.expires_at > Utc::now() => Ok(()),
        _ => Err(ApiError::not_found(NOT_FOUND_MESSAGE)),
    }
}

#[cfg(test)]
mod tests;
