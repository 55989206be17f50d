//! `pingone_application`: WORKER and OIDC web, native and single-page applications
//! through `oidc_options`, SAML applications through `saml_options`, WS-Fed ones through
//! `wsfed_options` and portal links through `external_link_options`
//! (TERRAFORM-PROVIDER.md §3.9; API.md §7; the four kinds in [`super::application_options`]).
//!
//! PingOne's application is one flat JSON object: the options' attributes are top-level
//! keys there, and `*_options.type` is the application's `type`. Creates always send
//! `assignActorRoles: false`, so a new application does not inherit the worker's admin
//! roles (as the official provider does).
//!
//! Not offered: `oidc_options.mobile_app.integrity_detection.google_play` (its keys are
//! secrets PingOne does not return; see [`super::application_options`]).

use async_trait::async_trait;
use engine::Value;
use engine::provider::{AttributeSchema, BlockSchema, Found, ObjectRef, Presence, ProviderError};
use serde_json::{Map, json};

use super::application_options::{self as options, Protocol};
use super::common::{
    api_shape_error, attr, boolean, create_in_environment, delete_in_environment, id_attr,
    link_attr, read_in_environment, replace_in_environment, string,
};
use super::{Resource, environment_gone, invalid};
use crate::client::Client;
use crate::fields::{Field, Kind, attr_type, field, from_json, to_json};
use crate::nested::{self, Rule};
use crate::values::{IfUnknown, conform, is_set, json_string, object_from_pairs, required_string};

/// The resource type's name.
pub const TYPE_NAME: &str = "pingone_application";

const PLURAL: &str = "applications";

const ICON: &[Field] = &[
    field("id", "id", Kind::Str),
    field("href", "href", Kind::Str),
];

const GROUP_OPTIONS: &[Field] = &[
    field("type", "type", Kind::Str),
    field("groups", "groups", Kind::Strings),
];

/// Top-level attributes that are plain renames.
const PLAIN: &[Field] = &[
    field("name", "name", Kind::Str),
    field("description", "description", Kind::Str),
    field("enabled", "enabled", Kind::Bool),
    field("tags", "tags", Kind::Strings),
    field("login_page_url", "loginPageUrl", Kind::Str),
    field("hidden_from_app_portal", "hiddenFromAppPortal", Kind::Bool),
    field("icon", "icon", Kind::Obj(ICON)),
];

/// `icon = { id, href }`: both required, `id` a PingOne image ID.
pub(crate) const ICON_RULES: &[(&str, Rule)] = &[
    ("id", Rule::Required),
    ("id", Rule::Uuid),
    ("href", Rule::Required),
];

/// `access_control_group_options = { type, groups }`: both required, groups by ID.
pub(crate) const GROUP_OPTIONS_RULES: &[(&str, Rule)] = &[
    ("type", Rule::Required),
    ("type", Rule::OneOf(&["ALL_GROUPS", "ANY_GROUP"])),
    ("groups", Rule::Required),
    ("groups", Rule::Uuid),
];

/// `schema` with the nested schemas of `fields`, refined by `rules`.
fn nested_object(
    mut schema: AttributeSchema,
    fields: &[Field],
    rules: &[(&str, Rule)],
) -> AttributeSchema {
    schema.nested = nested::of_fields(fields);
    nested::refine(schema, rules)
}

/// The schema, following the official Terraform provider.
pub fn schema() -> BlockSchema {
    use Presence::{Optional, OptionalComputed, Required};
    let group_options = attr_type(Kind::Obj(GROUP_OPTIONS));
    let schema = BlockSchema::default()
        .attr(
            "id",
            id_attr("The application's ID, which is also its OAuth client_id."),
        )
        .attr(
            "environment_id",
            link_attr("The environment that holds the application."),
        )
        .attr("name", string(Required, "The application's name."))
        .attr("description", string(Optional, "A description."))
        .attr(
            "enabled",
            boolean(Optional, "Whether the application is enabled.").default_value(false.into()),
        )
        .attr(
            "tags",
            attr(
                attr_type(Kind::Strings),
                Optional,
                "Tags such as PING_FED_CONNECTION_INTEGRATION.",
            ),
        )
        .attr(
            "login_page_url",
            string(Optional, "A custom sign-on page URL."),
        )
        .attr(
            "access_control_role_type",
            string(
                OptionalComputed,
                "ADMIN_USERS_ONLY to restrict sign-on to admins.",
            ),
        )
        .attr(
            "hidden_from_app_portal",
            boolean(
                Optional,
                "Whether the application is hidden from the portal.",
            )
            .default_value(false.into()),
        )
        .attr(
            "icon",
            nested_object(
                attr(
                    attr_type(Kind::Obj(ICON)),
                    Optional,
                    "The icon: { id, href }.",
                ),
                ICON,
                ICON_RULES,
            ),
        )
        .attr(
            "access_control_group_options",
            nested_object(
                attr(
                    group_options,
                    Optional,
                    "Group access control: { type = ALL_GROUPS | ANY_GROUP, groups }.",
                ),
                GROUP_OPTIONS,
                GROUP_OPTIONS_RULES,
            ),
        );
    Protocol::ALL
        .into_iter()
        .fold(schema, |schema, p| schema.attr(p.attribute(), p.schema()))
}

/// The body of POST (`create` true: with `assignActorRoles: false`) and the full-replace PUT.
pub fn to_body(planned: &Value, create: bool) -> Result<serde_json::Value, String> {
    required_string(planned, "name")?;
    let (protocol, options) = options::chosen(planned)?;
    check_conflicts(planned, protocol)?;
    let mut body = Map::new();
    to_json(planned, PLAIN, IfUnknown::Refuse, &mut body)?;
    options::to_body(protocol, options, &mut body)?;
    if let Some(access) = access_control(planned)? {
        body.insert("accessControl".into(), access);
    }
    if create && protocol == Protocol::Oidc {
        body.insert("assignActorRoles".into(), json!(false));
    }
    Ok(serde_json::Value::Object(body))
}

/// The Terraform provider's ConflictsWith rules between top-level attributes and kinds.
fn check_conflicts(planned: &Value, protocol: Protocol) -> Result<(), String> {
    let conflicts: &[&str] = match protocol {
        Protocol::Oidc => &[],
        Protocol::Saml | Protocol::WsFed => &["tags"],
        Protocol::ExternalLink => &["tags", "login_page_url", "access_control_role_type"],
    };
    // Unknown is not "set": an unconfigured optional-computed attribute is unknown.
    let configured = |name: &&&str| {
        let name: &str = name;
        is_set(planned, name) && planned.get(name) != Some(&Value::Unknown)
    };
    match conflicts.iter().find(configured) {
        Some(name) => Err(format!(
            "{name} cannot be set with {}; remove one of them",
            protocol.attribute()
        )),
        None => Ok(()),
    }
}

/// `accessControl` from `access_control_role_type` and `access_control_group_options`.
fn access_control(planned: &Value) -> Result<Option<serde_json::Value>, String> {
    let mut access = Map::new();
    if let Some(Value::String(role)) = planned.get("access_control_role_type") {
        access.insert("role".into(), json!({ "type": role }));
    }
    if let Some(g @ Value::Object(_)) = planned.get("access_control_group_options") {
        let kind =
            required_string(g, "type").map_err(|e| format!("access_control_group_options.{e}"))?;
        let groups = crate::values::string_list(g, "groups")?.unwrap_or_default();
        let groups: Vec<_> = groups.iter().map(|id| json!({ "id": id })).collect();
        access.insert("group".into(), json!({ "type": kind, "groups": groups }));
    }
    Ok((!access.is_empty()).then_some(serde_json::Value::Object(access)))
}

/// The application's attributes from PingOne's JSON, nested objects shaped like `basis`.
pub fn from_api(api: &serde_json::Value, basis: &Value) -> Result<Value, String> {
    let id = json_string(api, "/id");
    if id.is_null() {
        return Err("PingOne's answer has no application id".to_string());
    }
    let mut pairs = from_json(api, PLAIN);
    let groups = api.pointer("/accessControl/group").map(|g| {
        let ids: Vec<Value> = g
            .get("groups")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .map(|x| json_string(x, "/id"))
            .collect();
        crate::values::object([
            ("type", json_string(g, "/type")),
            ("groups", Value::List(ids)),
        ])
    });
    pairs.extend([
        ("id".to_string(), id),
        (
            "environment_id".to_string(),
            super::group::environment_id(api, basis),
        ),
        (
            "access_control_role_type".to_string(),
            json_string(api, "/accessControl/role/type"),
        ),
        (
            "access_control_group_options".to_string(),
            groups.unwrap_or(Value::Null),
        ),
    ]);
    pairs.extend(options::from_api(api));
    let shaped = pairs
        .into_iter()
        .map(|(k, v)| {
            let v = conform(v, basis.get(&k));
            (k, v)
        })
        .collect();
    Ok(object_from_pairs(shaped))
}

/// The `pingone_application` resource type.
pub(crate) struct Application;

#[async_trait]
impl Resource for Application {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> BlockSchema {
        schema()
    }

    async fn read_many(
        &self,
        client: &Client,
        objects: &[ObjectRef],
    ) -> Result<Vec<Option<Value>>, ProviderError> {
        read_in_environment(client, TYPE_NAME, objects, PLURAL, from_api).await
    }

    async fn create(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let body = |p: &Value| to_body(p, true);
        create_in_environment(client, address, planned, PLURAL, body, from_api).await
    }

    async fn update(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let body = |p: &Value| to_body(p, false);
        replace_in_environment(client, address, prior, planned, PLURAL, body, from_api).await
    }

    async fn delete(
        &self,
        client: &Client,
        address: &str,
        prior: &Value,
    ) -> Result<(), ProviderError> {
        delete_in_environment(client, address, prior, PLURAL).await
    }

    /// Applications have no unique key in PingOne; the name is used, and only a single
    /// match is adopted (two applications with one name is ambiguous: nothing is found).
    async fn find(
        &self,
        client: &Client,
        address: &str,
        planned: &Value,
    ) -> Result<Found, ProviderError> {
        let operation = format!("find {address} by name");
        let env = required_string(planned, "environment_id").map_err(|e| invalid(&operation, e))?;
        let name = required_string(planned, "name").map_err(|e| invalid(&operation, e))?;
        let items = match client
            .list_all(&["environments", &env, PLURAL], PLURAL)
            .await
        {
            Ok(items) => items,
            Err(e) => {
                return environment_gone(client, &env, e, &operation)
                    .await
                    .map(|()| Found::Nothing);
            }
        };
        let named: Vec<_> = items
            .iter()
            .filter(|a| a.get("name").and_then(serde_json::Value::as_str) == Some(name.as_str()))
            .collect();
        match named.as_slice() {
            [one] => from_api(one, planned)
                .map(Found::Object)
                .map_err(|e| api_shape_error(&operation, e)),
            _ => Ok(Found::Nothing),
        }
    }
}

/// `planned` with `oidc_options` replaced, for tests.
#[cfg(test)]
pub(crate) fn with_oidc(planned: Value, oidc: Value) -> Value {
    crate::values::with_attr(planned, "oidc_options", oidc)
}

#[cfg(test)]
#[path = "application_tests.rs"]
mod tests;
