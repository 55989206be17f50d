//! Schema shorthands for data sources: arguments, lookup keys, results, and the result
//! attributes of a resource type turned into a data source's.

use engine::provider::{AttrType, AttributeSchema, BlockSchema, Presence};

/// A required string argument, such as `environment_id`.
pub(crate) fn required(description: &'static str) -> AttributeSchema {
    AttributeSchema::new(AttrType::String, Presence::Required, description)
}

/// An optional string argument that is also read back, such as a lookup key (`name`,
/// `role_id`): set it to look up by it, or read what PingOne has.
pub(crate) fn lookup_key(description: &'static str) -> AttributeSchema {
    AttributeSchema::new(AttrType::String, Presence::OptionalComputed, description)
}

/// A result of type `ty`.
pub(crate) fn computed(ty: AttrType, description: &'static str) -> AttributeSchema {
    AttributeSchema::new(ty, Presence::Computed, description)
}

/// A string result.
pub(crate) fn computed_string(description: &'static str) -> AttributeSchema {
    computed(AttrType::String, description)
}

/// The `ids` result of a plural data source: the selected objects' IDs, in PingOne's order.
pub(crate) fn ids(description: &'static str) -> AttributeSchema {
    computed(AttrType::List(Box::new(AttrType::String)), description)
}

/// The `scim_filter` argument of a plural data source.
pub(crate) fn scim_filter(presence: Presence, description: &'static str) -> AttributeSchema {
    AttributeSchema::new(AttrType::String, presence, description)
}

/// The `data_filters` argument: a list of `{ name, values }` (Terraform v1's nested
/// attribute; v0 wrote `data_filter {}` blocks).
pub(crate) fn data_filters(description: &'static str) -> AttributeSchema {
    let filter = AttrType::Object(
        [
            ("name".to_string(), AttrType::String),
            (
                "values".to_string(),
                AttrType::List(Box::new(AttrType::String)),
            ),
        ]
        .into(),
    );
    AttributeSchema::new(
        AttrType::List(Box::new(filter)),
        Presence::Optional,
        description,
    )
}

/// A resource type's attributes as a data source's results: same names, types and
/// descriptions, all computed, without the resource-only properties (replacement,
/// write-only, defaults). `leave_out` names attributes the data source does not read.
pub(crate) fn results_of(resource: BlockSchema, leave_out: &[&str]) -> BlockSchema {
    let mut out = BlockSchema::default();
    for (name, attr) in resource.attributes {
        if leave_out.contains(&name.as_str()) {
            continue;
        }
        let mut result = computed(attr.ty, attr.description);
        result.sensitive = attr.sensitive;
        out = out.attr(&name, result);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_attributes_become_plain_results() {
        let resource = BlockSchema::default()
            .attr(
                "name",
                AttributeSchema::new(AttrType::String, Presence::Required, "n").force_new(),
            )
            .attr(
                "secret",
                AttributeSchema::new(AttrType::String, Presence::Optional, "s")
                    .sensitive()
                    .write_only()
                    .default_value("x".into()),
            )
            .attr(
                "gone",
                AttributeSchema::new(AttrType::Bool, Presence::Optional, "g"),
            );
        let data = results_of(resource, &["gone"]);
        assert_eq!(data.attributes.len(), 2);
        let name = &data.attributes["name"];
        assert_eq!(name.presence, Presence::Computed);
        assert!(!name.force_new && name.description == "n");
        let secret = &data.attributes["secret"];
        assert!(secret.sensitive && !secret.write_only && secret.default.is_none());
    }
}
