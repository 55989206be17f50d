//! Schema-driven diffing: what configuration plus prior state propose for an
//! object, and which action that needs. Pure functions, generic over schemas.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::Value;
use crate::plan::Action;
use crate::provider::{AttrType, AttributeSchema, BlockSchema, Presence};

/// The object the configuration asks for: configured values, defaults for
/// unset optional attributes, and for computed ones the prior value (or
/// unknown when there is no prior object).
///
/// The result carries no sensitive marks: it is what providers receive and state records.
/// [`sensitive_in_config`] tells which attributes the configuration marked.
pub fn proposed(schema: &BlockSchema, config: &Value, prior: Option<&Value>) -> Value {
    let config = unmarked(config);
    let config = config.as_ref();
    let prior = prior.map(unmarked);
    let prior = prior.as_deref();
    let attrs = schema
        .attributes
        .iter()
        .map(|(name, attr)| {
            let configured = config.get(name).filter(|v| !v.is_null());
            let from_prior = || prior.and_then(|p| p.get(name)).cloned();
            // Write-only values (initial passwords) are never read back: state holds a
            // sealed copy, and the configured value is sent again only when it changed.
            if attr.write_only && prior.is_some() {
                let stored = from_prior().unwrap_or(Value::Null);
                let unchanged = match configured {
                    None => true,
                    Some(v) => super::sealed::matches(&stored, v),
                };
                let value = if unchanged {
                    stored
                } else {
                    configured.cloned().unwrap_or(Value::Null)
                };
                return (name.clone(), value);
            }
            let value = match (attr.presence, configured) {
                (Presence::Computed, _) => from_prior().unwrap_or(Value::Unknown),
                (_, Some(v)) => v.clone(),
                (Presence::OptionalComputed, None) => from_prior().unwrap_or(Value::Unknown),
                (Presence::Required | Presence::Optional, None) => {
                    attr.default.clone().unwrap_or(Value::Null)
                }
            };
            (name.clone(), value)
        })
        .collect();
    Value::Object(attrs)
}

/// `value` without sensitive marks, copied only when it has some (most objects have none,
/// and planning ten thousand of them should not copy each one).
fn unmarked(value: &Value) -> Cow<'_, Value> {
    if value.contains_sensitive() {
        Cow::Owned(value.clone().unmark_deep().0)
    } else {
        Cow::Borrowed(value)
    }
}

/// The attributes whose proposed value differs from the prior one.
pub fn changed_attributes(schema: &BlockSchema, prior: &Value, proposed: &Value) -> Vec<String> {
    schema
        .attributes
        .iter()
        .filter(|(name, attr)| {
            let before = prior.get(name).unwrap_or(&Value::Null);
            let after = proposed.get(name).unwrap_or(&Value::Null);
            let after = super::secret_leaves::comparable(attr, before, after);
            !equal(&attr.ty, before, &after)
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The action for one object, and the changed attributes that force replacement.
pub fn decide(
    schema: &BlockSchema,
    prior: Option<&Value>,
    proposed: &Value,
) -> (Action, Vec<String>) {
    let Some(prior) = prior else {
        return (Action::Create, Vec::new());
    };
    let changed = changed_attributes(schema, prior, proposed);
    if changed.is_empty() {
        return (Action::NoOp, Vec::new());
    }
    let forcing: Vec<String> = changed
        .into_iter()
        .filter(|name| {
            schema
                .attributes
                .get(name)
                .is_some_and(|a| forces_replacement(a, prior.get(name), proposed.get(name)))
        })
        .collect();
    if forcing.is_empty() {
        (Action::Update, forcing)
    } else {
        (Action::Replace, forcing)
    }
}

/// Whether a change of one attribute from `before` to `after` needs a new object.
fn forces_replacement(
    attr: &AttributeSchema,
    before: Option<&Value>,
    after: Option<&Value>,
) -> bool {
    if attr.force_new {
        return true;
    }
    let before = before.unwrap_or(&Value::Null);
    let after = after.unwrap_or(&Value::Null);
    if before.is_null() || after.is_null() {
        return attr.force_new_on_presence && before.is_null() != after.is_null();
    }
    attr.force_new_keys.iter().any(|key| {
        // A key may be a dotted path into nested objects (`mobile_app.bundle_id`).
        let at = |value: &Value| key.split('.').try_fold(value, |v, k| v.get(k)).cloned();
        let was = at(before).unwrap_or(Value::Null);
        let now = at(after).unwrap_or(Value::Null);
        !(was.is_wholly_known() && now.is_wholly_known() && was == now)
    })
}

/// The names of the schema's sensitive attributes.
pub fn sensitive_attributes(schema: &BlockSchema) -> BTreeSet<String> {
    schema
        .attributes
        .iter()
        .filter(|(_, a)| a.sensitive || a.write_only)
        .map(|(n, _)| n.clone())
        .collect()
}

/// The top-level attributes of an evaluated configuration that hold a sensitive value.
pub fn sensitive_in_config(config: &Value) -> BTreeSet<String> {
    let marked_whole = config.is_sensitive();
    config
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| marked_whole || v.contains_sensitive())
        .map(|(n, _)| n.clone())
        .collect()
}

/// `value` (an object) with the named attributes marked sensitive, for references to it.
pub fn mark_attributes(value: Value, names: &BTreeSet<String>) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let marked = names.contains(&k);
                    (k, v.mark_if(marked))
                })
                .collect(),
        ),
        other => other,
    }
}

/// Equality under the attribute's type: sets ignore order; unknown equals nothing.
fn equal(ty: &AttrType, a: &Value, b: &Value) -> bool {
    if !a.is_wholly_known() || !b.is_wholly_known() {
        return false;
    }
    match (ty, a, b) {
        (AttrType::Set(_), Value::List(x), Value::List(y)) => {
            let set = |v: &[Value]| v.iter().map(ToString::to_string).collect::<BTreeSet<_>>();
            set(x) == set(y)
        }
        // An empty collection and null mean the same to PingOne.
        (AttrType::Set(_) | AttrType::List(_), Value::List(x), Value::Null)
        | (AttrType::Set(_) | AttrType::List(_), Value::Null, Value::List(x)) => x.is_empty(),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn schema() -> BlockSchema {
        BlockSchema::default()
            .attr(
                "id",
                AttributeSchema::new(AttrType::String, Presence::Computed, ""),
            )
            .attr(
                "environment_id",
                AttributeSchema::new(AttrType::String, Presence::Required, "").force_new(),
            )
            .attr(
                "name",
                AttributeSchema::new(AttrType::String, Presence::Required, ""),
            )
            .attr(
                "description",
                AttributeSchema::new(AttrType::String, Presence::Optional, ""),
            )
            .attr(
                "tags",
                AttributeSchema::new(
                    AttrType::Set(Box::new(AttrType::String)),
                    Presence::Optional,
                    "",
                ),
            )
            .attr(
                "theme",
                AttributeSchema::new(AttrType::String, Presence::OptionalComputed, ""),
            )
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn prior() -> Value {
        obj(&[
            ("id", "p1".into()),
            ("environment_id", "e1".into()),
            ("name", "Staff".into()),
            ("description", Value::Null),
            ("tags", Value::List(vec!["a".into(), "b".into()])),
            ("theme", "t1".into()),
        ])
    }

    #[test]
    fn create_has_unknown_computed_attributes() {
        let config = obj(&[("environment_id", "e1".into()), ("name", "Staff".into())]);
        let p = proposed(&schema(), &config, None);
        assert_eq!(p.get("id"), Some(&Value::Unknown));
        assert_eq!(p.get("theme"), Some(&Value::Unknown));
        assert_eq!(p.get("description"), Some(&Value::Null));
        assert_eq!(decide(&schema(), None, &p).0, Action::Create);
    }

    #[test]
    fn same_values_and_reordered_set_are_no_op() {
        let config = obj(&[
            ("environment_id", "e1".into()),
            ("name", "Staff".into()),
            ("tags", Value::List(vec!["b".into(), "a".into()])),
        ]);
        let p = proposed(&schema(), &config, Some(&prior()));
        assert_eq!(
            decide(&schema(), Some(&prior()), &p),
            (Action::NoOp, vec![])
        );
    }

    #[test]
    fn changed_description_updates_in_place() {
        let config = obj(&[
            ("environment_id", "e1".into()),
            ("name", "Staff".into()),
            ("description", "new".into()),
            ("tags", Value::List(vec!["a".into(), "b".into()])),
        ]);
        let p = proposed(&schema(), &config, Some(&prior()));
        assert_eq!(changed_attributes(&schema(), &prior(), &p), ["description"]);
        assert_eq!(decide(&schema(), Some(&prior()), &p).0, Action::Update);
    }

    #[test]
    fn proposed_drops_marks_and_reports_where_they_were() {
        let config = obj(&[
            ("environment_id", "e1".into()),
            ("name", Value::sensitive("Staff".into())),
            (
                "tags",
                Value::List(vec![Value::sensitive("a".into()), "b".into()]),
            ),
        ]);
        let p = proposed(&schema(), &config, Some(&prior()));
        assert!(!p.contains_sensitive());
        assert_eq!(p.get("name"), Some(&Value::from("Staff")));
        assert_eq!(decide(&schema(), Some(&prior()), &p).0, Action::NoOp);
        let marked: Vec<String> = sensitive_in_config(&config).into_iter().collect();
        assert_eq!(marked, ["name", "tags"]);
        let again = mark_attributes(p, &BTreeSet::from(["name".to_string()]));
        assert!(again.as_object().is_some_and(|m| m["name"].is_sensitive()));
    }

    #[test]
    fn changed_force_new_attribute_replaces() {
        let config = obj(&[
            ("environment_id", Value::Unknown),
            ("name", "Staff".into()),
            ("tags", Value::List(vec!["a".into(), "b".into()])),
        ]);
        let p = proposed(&schema(), &config, Some(&prior()));
        assert_eq!(
            decide(&schema(), Some(&prior()), &p),
            (Action::Replace, vec!["environment_id".to_string()])
        );
    }

    #[test]
    fn adding_or_removing_an_options_object_or_changing_its_key_replaces() {
        let options = AttrType::Object(BTreeMap::from([
            ("type".to_string(), AttrType::String),
            ("url".to_string(), AttrType::String),
        ]));
        let schema = schema()
            .attr(
                "a_options",
                AttributeSchema::new(options.clone(), Presence::Optional, "")
                    .force_new_on_presence()
                    .force_new_keys(&["type"]),
            )
            .attr(
                "b_options",
                AttributeSchema::new(options, Presence::Optional, "").force_new_on_presence(),
            );
        let a = |kind: &str, url: &str| obj(&[("type", kind.into()), ("url", url.into())]);
        let state = |a_opts: Value, b_opts: Value| {
            let Value::Object(mut map) = prior() else {
                unreachable!("prior is an object")
            };
            map.insert("a_options".into(), a_opts);
            map.insert("b_options".into(), b_opts);
            Value::Object(map)
        };
        let before = state(a("WEB", "https://x"), Value::Null);
        let decided = |after: Value| decide(&schema, Some(&before), &after);
        assert_eq!(
            decided(state(a("WEB", "https://y"), Value::Null)).0,
            Action::Update
        );
        assert_eq!(
            decided(state(a("NATIVE", "https://x"), Value::Null)),
            (Action::Replace, vec!["a_options".to_string()])
        );
        assert_eq!(
            decided(state(Value::Null, a("WEB", "https://x"))),
            (
                Action::Replace,
                vec!["a_options".to_string(), "b_options".to_string()]
            )
        );
    }

    #[test]
    fn write_only_values_are_sent_on_create_then_compared_by_their_sealed_copy() {
        let schema = schema().attr(
            "password",
            AttributeSchema::new(AttrType::String, Presence::Optional, "").write_only(),
        );
        let config = |password: &str| {
            obj(&[
                ("environment_id", "e1".into()),
                ("name", "Staff".into()),
                ("tags", Value::List(vec!["a".into(), "b".into()])),
                ("password", password.into()),
            ])
        };
        let created = proposed(&schema, &config("initial-secret"), None);
        assert_eq!(
            created.get("password"),
            Some(&Value::from("initial-secret"))
        );
        let mut stored = prior();
        if let Value::Object(map) = &mut stored {
            map.insert(
                "password".into(),
                super::super::sealed::seal(&"initial-secret".into()),
            );
        }
        let same = proposed(&schema, &config("initial-secret"), Some(&stored));
        assert_eq!(decide(&schema, Some(&stored), &same).0, Action::NoOp);
        let changed = proposed(&schema, &config("new-secret"), Some(&stored));
        assert_eq!(decide(&schema, Some(&stored), &changed).0, Action::Update);
        assert!(sensitive_attributes(&schema).contains("password"));
    }
}
