//! What the attributes inside nested objects accept: which are required, which take
//! one of an enum's values, which are PingOne IDs. `pingform validate` checks
//! configurations against these declarations (TERRAFORM-PROVIDER.md §3), so that a typo
//! inside `oidc_options` is caught before any API call.
//!
//! Nested schemas start from a resource's [`Field`] table (every attribute optional and
//! unconstrained) and are refined by dotted path (`cors_settings.behavior`).

use std::collections::BTreeMap;

use engine::provider::{AttributeSchema, Presence};

use crate::fields::{Field, Kind, attr_type};

/// Optional, unconstrained schemas for the attributes of an object made of `fields`
/// (with the same for the objects inside).
pub(crate) fn of_fields(fields: &[Field]) -> BTreeMap<String, AttributeSchema> {
    fields
        .iter()
        .map(|f| {
            let mut schema = AttributeSchema::new(attr_type(f.kind), Presence::Optional, "");
            if let Kind::Obj(inner) | Kind::Objs(inner) = f.kind {
                schema.nested = of_fields(inner);
            }
            (f.tf.to_string(), schema)
        })
        .collect()
}

/// One refinement of a nested attribute.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rule {
    /// Configuration must set it.
    Required,
    /// One of these values (each element's, for a set of strings).
    OneOf(&'static [&'static str]),
    /// A PingOne ID (each element's, for a set of IDs).
    Uuid,
}

/// `schema` with `rule` applied to each nested attribute at its dotted path.
/// A path that names nothing is a programming error, caught by this crate's tests
/// ([`missing_paths`]); it is ignored here.
pub(crate) fn refine(mut schema: AttributeSchema, rules: &[(&str, Rule)]) -> AttributeSchema {
    for (path, rule) in rules {
        if let Some(target) = at_path(&mut schema, path) {
            apply(target, *rule);
        }
    }
    schema
}

/// The paths of `rules` that name no nested attribute of `schema`.
#[cfg(test)]
pub(crate) fn missing_paths(schema: &AttributeSchema, rules: &[(&str, Rule)]) -> Vec<String> {
    let mut schema = schema.clone();
    rules
        .iter()
        .filter(|(path, _)| at_path(&mut schema, path).is_none())
        .map(|(path, _)| path.to_string())
        .collect()
}

fn at_path<'s>(schema: &'s mut AttributeSchema, path: &str) -> Option<&'s mut AttributeSchema> {
    let (head, rest) = match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    };
    let inner = schema.nested.get_mut(head)?;
    match rest {
        Some(rest) => at_path(inner, rest),
        None => Some(inner),
    }
}

fn apply(target: &mut AttributeSchema, rule: Rule) {
    match rule {
        Rule::Required => target.presence = Presence::Required,
        Rule::OneOf(values) => *target = target.clone().one_of(values),
        Rule::Uuid => *target = target.clone().uuid(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::provider::{AttrType, Format};

    const INNER: &[Field] = &[crate::fields::field("behavior", "behavior", Kind::Str)];
    const FIELDS: &[Field] = &[
        crate::fields::field("type", "type", Kind::Str),
        crate::fields::field("cors", "cors", Kind::Obj(INNER)),
    ];

    #[test]
    fn rules_reach_nested_attributes_by_dotted_path() {
        let mut schema = AttributeSchema::new(AttrType::Bool, Presence::Optional, "");
        schema.nested = of_fields(FIELDS);
        let rules = [
            ("type", Rule::OneOf(&["A", "B"])),
            ("cors.behavior", Rule::Required),
            ("cors.nope", Rule::Uuid),
        ];
        assert_eq!(missing_paths(&schema, &rules), ["cors.nope"]);
        let schema = refine(schema, &rules);
        assert_eq!(
            schema.nested["type"].format,
            Some(Format::OneOf(&["A", "B"]))
        );
        assert_eq!(schema.nested["type"].presence, Presence::Optional);
        let behavior = &schema.nested["cors"].nested["behavior"];
        assert_eq!(behavior.presence, Presence::Required);
    }
}
