//! A small PingOne-like provider schema for configuration tests (the real one lives in
//! `providers/pingone`, which the engine does not depend on).

use std::collections::BTreeMap;

use crate::provider::{AttrType, AttributeSchema, BlockSchema, Presence, ProviderSchema};

/// `pingone` with `pingone_population` and `pingone_group`.
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
        ]),
        data_sources: BTreeMap::from([("pingone_role".to_string(), role)]),
    };
    BTreeMap::from([("pingone".to_string(), schema)])
}
