//! A small PingOne-like provider schema for configuration tests (the real one lives in
//! `providers/pingone`, which the engine does not depend on).

use std::collections::BTreeMap;

use crate::provider::{AttrType, AttributeSchema, BlockSchema, Presence, ProviderSchema};

/// `pingone` with `pingone_population`, `pingone_group`, and `pingone_application` and
/// `pingone_environment` with nested attributes.
pub(crate) fn schemas() -> BTreeMap<String, ProviderSchema> {
    let attr = |presence| AttributeSchema::new(AttrType::String, presence, "");
    let provider = BlockSchema::default()
        .attr("client_id", attr(Presence::Optional))
        .attr("region", attr(Presence::Optional));
    let population = BlockSchema::default()
        .attr("id", attr(Presence::Computed))
        .attr("environment_id", attr(Presence::Required).force_new())
        .attr("name", attr(Presence::Required))
        .attr("description", attr(Presence::Optional))
        .attr("password_policy_id", attr(Presence::OptionalComputed));
    let group = BlockSchema::default()
        .attr("id", attr(Presence::Computed))
        .attr("environment_id", attr(Presence::Required))
        .attr("name", attr(Presence::Required));
    let role = BlockSchema::default()
        .attr(
            "name",
            AttributeSchema::new(AttrType::String, Presence::Required, ""),
        )
        .attr(
            "id",
            AttributeSchema::new(AttrType::String, Presence::Computed, ""),
        );
    let schema = ProviderSchema {
        provider,
        resources: BTreeMap::from([
            ("pingone_population".to_string(), population),
            ("pingone_group".to_string(), group),
            ("pingone_application".to_string(), application()),
            ("pingone_environment".to_string(), environment()),
        ]),
        data_sources: BTreeMap::from([("pingone_role".to_string(), role)]),
    };
    BTreeMap::from([("pingone".to_string(), schema)])
}

fn object(attributes: &[(&str, AttrType)]) -> AttrType {
    AttrType::Object(
        attributes
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect(),
    )
}

fn strings() -> AttrType {
    AttrType::Set(Box::new(AttrType::String))
}

/// An application with `oidc_options` (required nested attributes, enums, an object
/// inside) and `icon` (a UUID).
fn application() -> BlockSchema {
    let nested = |ty, presence| AttributeSchema::new(ty, presence, "");
    let cors = object(&[("behavior", AttrType::String), ("origins", strings())]);
    let oidc = object(&[
        ("type", AttrType::String),
        ("grant_types", strings()),
        ("token_endpoint_auth_method", AttrType::String),
        ("par_timeout", AttrType::Number),
        ("cors_settings", cors.clone()),
    ]);
    let oidc_options = nested(oidc, Presence::Optional)
        .nested(
            "type",
            nested(AttrType::String, Presence::Required).one_of(&["WORKER", "WEB_APP"]),
        )
        .nested(
            "grant_types",
            nested(strings(), Presence::Required)
                .one_of(&["CLIENT_CREDENTIALS", "AUTHORIZATION_CODE"]),
        )
        .nested(
            "token_endpoint_auth_method",
            nested(AttrType::String, Presence::Required),
        )
        .nested(
            "cors_settings",
            nested(cors, Presence::Optional).nested(
                "behavior",
                nested(AttrType::String, Presence::Required)
                    .one_of(&["ALLOW_NO_ORIGINS", "ALLOW_SPECIFIC_ORIGINS"]),
            ),
        );
    let icon = nested(
        object(&[("id", AttrType::String), ("href", AttrType::String)]),
        Presence::Optional,
    )
    .nested("id", nested(AttrType::String, Presence::Required).uuid())
    .nested("href", nested(AttrType::String, Presence::Required));
    BlockSchema::default()
        .attr("id", nested(AttrType::String, Presence::Computed))
        .attr(
            "environment_id",
            nested(AttrType::String, Presence::Required),
        )
        .attr("name", nested(AttrType::String, Presence::Required))
        .attr("enabled", nested(AttrType::Bool, Presence::Optional))
        .attr("oidc_options", oidc_options)
        .attr("icon", icon)
}

/// An environment with `services`, a set of objects with a list of objects inside.
fn environment() -> BlockSchema {
    let nested = |ty, presence| AttributeSchema::new(ty, presence, "");
    let bookmark = object(&[("name", AttrType::String), ("url", AttrType::String)]);
    let service = object(&[
        ("type", AttrType::String),
        ("console_url", AttrType::String),
        ("bookmarks", AttrType::List(Box::new(bookmark.clone()))),
        ("deployment", object(&[("id", AttrType::String)])),
    ]);
    let services = nested(AttrType::Set(Box::new(service)), Presence::Required)
        .nested(
            "type",
            nested(AttrType::String, Presence::Required).one_of(&["SSO", "MFA", "DaVinci"]),
        )
        .nested(
            "bookmarks",
            nested(AttrType::List(Box::new(bookmark)), Presence::Optional)
                .nested("name", nested(AttrType::String, Presence::Required))
                .nested("url", nested(AttrType::String, Presence::Required)),
        )
        .nested(
            "deployment",
            nested(object(&[("id", AttrType::String)]), Presence::Computed),
        );
    BlockSchema::default()
        .attr("id", nested(AttrType::String, Presence::Computed))
        .attr("name", nested(AttrType::String, Presence::Required))
        .attr("services", services)
}
