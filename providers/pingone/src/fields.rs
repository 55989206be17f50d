//! Declarative attribute ↔ PingOne JSON mappings for the simple parts of a resource.
//!
//! Most attributes are a straight rename (`external_id` ↔ `externalId`), possibly inside
//! a nested object (`name.given` ↔ `name.given`). A table of [`Field`]s describes them
//! once; [`to_json`] builds the request body part and [`from_json`] reads the answer back,
//! so each resource file only writes the attributes with special rules.
//!
//! An API key may be a dotted path (`key.id`): the attribute `key_id` then lives in a
//! nested object PingOne's JSON has and the schema flattens.

use engine::Value;
use serde_json::{Map, json};

use crate::values::{IfUnknown, object_from_pairs};

/// The kind of value an attribute holds.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// A whole number.
    Int,
    /// A set or list of strings.
    Strings,
    /// A map of strings (sent as a JSON object).
    StrMap,
    /// A nested object with its own fields.
    Obj(&'static [Field]),
    /// A list of nested objects with the same fields.
    Objs(&'static [Field]),
    /// A set of IDs, sent as `[{"id": ...}]`.
    Ids,
    /// A boolean PingOne spells as one of two strings (`true` is `on`, `false` is `off`),
    /// such as `integrity_detection.enabled` ↔ `mode: ENABLED | DISABLED`.
    Switch {
        /// PingOne's word for `true`.
        on: &'static str,
        /// PingOne's word for `false`.
        off: &'static str,
    },
}

/// One attribute and where PingOne keeps it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    /// The attribute name in the Terraform schema.
    pub tf: &'static str,
    /// The JSON key in PingOne's object, or a dotted path into nested objects.
    pub api: &'static str,
    /// The value's kind.
    pub kind: Kind,
}

/// Shorthand for a [`Field`].
pub(crate) const fn field(tf: &'static str, api: &'static str, kind: Kind) -> Field {
    Field { tf, api, kind }
}

/// Adds every set field of `value` to `body`. Null attributes are left out; unknown
/// ones are left out with [`IfUnknown::Omit`] (PingOne chooses) or refused.
pub(crate) fn to_json(
    value: &Value,
    fields: &[Field],
    unknown: IfUnknown,
    body: &mut Map<String, serde_json::Value>,
) -> Result<(), String> {
    for f in fields {
        if let Some(json) = one_to_json(value.get(f.tf), f, unknown)? {
            insert_at(body, f.api, json);
        }
    }
    Ok(())
}

/// Inserts `json` at the dotted `path` of `body`, creating the objects on the way.
fn insert_at(body: &mut Map<String, serde_json::Value>, path: &str, json: serde_json::Value) {
    match path.split_once('.') {
        None => {
            body.insert(path.to_string(), json);
        }
        Some((head, rest)) => {
            let inner = body
                .entry(head.to_string())
                .or_insert_with(|| serde_json::Value::Object(Map::new()));
            if !inner.is_object() {
                *inner = serde_json::Value::Object(Map::new());
            }
            if let serde_json::Value::Object(inner) = inner {
                insert_at(inner, rest, json);
            }
        }
    }
}

fn one_to_json(
    value: Option<&Value>,
    f: &Field,
    unknown: IfUnknown,
) -> Result<Option<serde_json::Value>, String> {
    let value = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Unknown) if unknown == IfUnknown::Omit => return Ok(None),
        Some(Value::Unknown) => {
            return Err(format!(
                "{} is not known yet; it must be known to apply",
                f.tf
            ));
        }
        Some(v) => v,
    };
    let wrong = || {
        format!(
            "{} must be {}, not a {}",
            f.tf,
            kind_name(f.kind),
            value.type_name()
        )
    };
    let json = match (f.kind, value) {
        (Kind::Str, Value::String(s)) => json!(s),
        (Kind::Bool, Value::Bool(b)) => json!(b),
        (Kind::Switch { on, off }, Value::Bool(b)) => json!(if *b { on } else { off }),
        (Kind::Int, Value::Number(n)) if n.fract() == 0.0 => json!(*n as i64),
        (Kind::Strings, Value::List(items)) => json!(strings(items, f.tf)?),
        (Kind::StrMap, Value::Object(map)) => {
            let mut out = Map::new();
            for (k, v) in map {
                match v {
                    Value::String(s) => out.insert(k.clone(), json!(s)),
                    _ => return Err(format!("{}.{k} must be a string", f.tf)),
                };
            }
            serde_json::Value::Object(out)
        }
        (Kind::Obj(inner), Value::Object(_)) => {
            let mut out = Map::new();
            to_json(value, inner, unknown, &mut out).map_err(|e| format!("{}.{e}", f.tf))?;
            serde_json::Value::Object(out)
        }
        (Kind::Objs(inner), Value::List(items)) => {
            let mut list = Vec::with_capacity(items.len());
            for item in items {
                let mut out = Map::new();
                to_json(item, inner, unknown, &mut out).map_err(|e| format!("{}.{e}", f.tf))?;
                list.push(serde_json::Value::Object(out));
            }
            serde_json::Value::Array(list)
        }
        (Kind::Ids, Value::List(items)) => {
            let ids = strings(items, f.tf)?;
            json!(ids.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>())
        }
        _ => return Err(wrong()),
    };
    Ok(Some(json))
}

fn strings(items: &[Value], name: &str) -> Result<Vec<String>, String> {
    items
        .iter()
        .map(|item| match item {
            Value::String(s) => Ok(s.clone()),
            Value::Unknown => Err(format!("{name} contains a value that is not known yet")),
            other => Err(format!(
                "each element of {name} must be a string, not a {}",
                other.type_name()
            )),
        })
        .collect()
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Str => "a string",
        Kind::Bool | Kind::Switch { .. } => "a bool",
        Kind::Int => "a whole number",
        Kind::Strings => "a set of strings",
        Kind::StrMap => "a map of strings",
        Kind::Obj(_) => "an object",
        Kind::Objs(_) => "a list of objects",
        Kind::Ids => "a set of IDs",
    }
}

/// Reads every field from PingOne's `json` into `(attribute, value)` pairs; absent
/// keys become null, as do nested objects PingOne leaves out.
pub(crate) fn from_json(json: &serde_json::Value, fields: &[Field]) -> Vec<(String, Value)> {
    fields
        .iter()
        .map(|f| (f.tf.to_string(), one_from_json(lookup(json, f.api), f)))
        .collect()
}

/// The value at a key or dotted path.
fn lookup<'j>(json: &'j serde_json::Value, path: &str) -> Option<&'j serde_json::Value> {
    path.split('.').try_fold(json, |at, key| at.get(key))
}

fn one_from_json(json: Option<&serde_json::Value>, f: &Field) -> Value {
    let Some(json) = json else {
        return Value::Null;
    };
    match f.kind {
        Kind::Str => json.as_str().map_or(Value::Null, Value::from),
        Kind::Bool => json.as_bool().map_or(Value::Null, Value::Bool),
        Kind::Switch { on, off } => match json.as_str() {
            Some(word) if word == on => Value::Bool(true),
            Some(word) if word == off => Value::Bool(false),
            _ => Value::Null,
        },
        Kind::Int => json.as_f64().map_or(Value::Null, Value::Number),
        Kind::Strings => match json.as_array() {
            Some(items) => Value::List(
                items
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .map(Value::from)
                    .collect(),
            ),
            None => Value::Null,
        },
        Kind::StrMap => match json.as_object() {
            Some(map) => Value::Object(
                map.iter()
                    .filter_map(|(k, v)| Some((k.clone(), Value::from(v.as_str()?))))
                    .collect(),
            ),
            None => Value::Null,
        },
        Kind::Obj(inner) if json.is_object() => object_from_pairs(from_json(json, inner)),
        Kind::Obj(_) => Value::Null,
        Kind::Objs(inner) => match json.as_array() {
            Some(items) => Value::List(
                items
                    .iter()
                    .map(|item| object_from_pairs(from_json(item, inner)))
                    .collect(),
            ),
            None => Value::Null,
        },
        Kind::Ids => match json.as_array() {
            Some(items) => Value::List(
                items
                    .iter()
                    .filter_map(|item| item.get("id")?.as_str())
                    .map(Value::from)
                    .collect(),
            ),
            None => Value::Null,
        },
    }
}

/// The attribute type of a field table, for schemas.
pub(crate) fn attr_type(kind: Kind) -> engine::provider::AttrType {
    use engine::provider::AttrType;
    match kind {
        Kind::Str => AttrType::String,
        Kind::Bool | Kind::Switch { .. } => AttrType::Bool,
        Kind::Int => AttrType::Number,
        Kind::Strings => AttrType::Set(Box::new(AttrType::String)),
        Kind::StrMap => AttrType::Map(Box::new(AttrType::String)),
        Kind::Obj(inner) => object_type(inner),
        Kind::Objs(inner) => AttrType::List(Box::new(object_type(inner))),
        Kind::Ids => AttrType::Set(Box::new(AttrType::String)),
    }
}

fn object_type(fields: &[Field]) -> engine::provider::AttrType {
    engine::provider::AttrType::Object(
        fields
            .iter()
            .map(|f| (f.tf.to_string(), attr_type(f.kind)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::object;

    const NAME: &[Field] = &[
        field("given", "given", Kind::Str),
        field("family", "family", Kind::Str),
    ];
    const FIELDS: &[Field] = &[
        field("external_id", "externalId", Kind::Str),
        field("enabled", "enabled", Kind::Bool),
        field("timeout", "timeout", Kind::Int),
        field("uris", "redirectUris", Kind::Strings),
        field("name", "name", Kind::Obj(NAME)),
    ];

    #[test]
    fn round_trips_renamed_and_nested_fields() {
        let v = object([
            ("external_id", "x".into()),
            ("enabled", true.into()),
            ("timeout", Value::Number(60.0)),
            ("uris", Value::List(vec!["https://a".into()])),
            (
                "name",
                object([("given", "Ada".into()), ("family", Value::Null)]),
            ),
        ]);
        let mut body = Map::new();
        to_json(&v, FIELDS, IfUnknown::Refuse, &mut body).unwrap();
        let body = serde_json::Value::Object(body);
        assert_eq!(
            body,
            json!({"externalId": "x", "enabled": true, "timeout": 60,
                   "redirectUris": ["https://a"], "name": {"given": "Ada"}})
        );
        let back = object_from_pairs(from_json(&body, FIELDS));
        assert_eq!(back, v);
    }

    #[test]
    fn switches_are_booleans_spelled_as_words() {
        const MODE: &[Field] = &[field(
            "enabled",
            "mode",
            Kind::Switch {
                on: "ENABLED",
                off: "DISABLED",
            },
        )];
        for (flag, word) in [(true, "ENABLED"), (false, "DISABLED")] {
            let v = object([("enabled", flag.into())]);
            let mut body = Map::new();
            to_json(&v, MODE, IfUnknown::Refuse, &mut body).unwrap();
            let body = serde_json::Value::Object(body);
            assert_eq!(body, json!({ "mode": word }));
            assert_eq!(object_from_pairs(from_json(&body, MODE)), v);
        }
        let odd = object_from_pairs(from_json(&json!({"mode": "MAYBE"}), MODE));
        assert_eq!(odd, object([("enabled", Value::Null)]));
    }

    #[test]
    fn unknowns_are_omitted_or_refused_and_types_checked() {
        let v = object([("enabled", Value::Unknown), ("timeout", "x".into())]);
        let mut body = Map::new();
        let err = to_json(&v, FIELDS, IfUnknown::Omit, &mut body).unwrap_err();
        assert!(err.contains("timeout must be a whole number"), "{err}");
        let v = object([("enabled", Value::Unknown)]);
        to_json(&v, FIELDS, IfUnknown::Omit, &mut body).unwrap();
        assert!(body.is_empty());
        assert!(to_json(&v, FIELDS, IfUnknown::Refuse, &mut body).is_err());
    }

    const KEY: &[Field] = &[
        field("key_id", "key.id", Kind::Str),
        field("algorithm", "algorithm", Kind::Str),
    ];
    const SERVER: &[Field] = &[field("vs_id", "vsId", Kind::Str)];
    const NESTED: &[Field] = &[
        field("signing", "idpSigning", Kind::Obj(KEY)),
        field("certificate_ids", "certificates", Kind::Ids),
        field("servers", "virtualServerIds", Kind::Objs(SERVER)),
    ];

    #[test]
    fn dotted_paths_id_sets_and_object_lists_round_trip() {
        let v = object([
            (
                "signing",
                object([
                    ("key_id", "k1".into()),
                    ("algorithm", "SHA256withRSA".into()),
                ]),
            ),
            ("certificate_ids", Value::List(vec!["c1".into()])),
            (
                "servers",
                Value::List(vec![object([("vs_id", "vs1".into())])]),
            ),
        ]);
        let mut body = Map::new();
        to_json(&v, NESTED, IfUnknown::Refuse, &mut body).unwrap();
        let body = serde_json::Value::Object(body);
        assert_eq!(
            body,
            json!({"idpSigning": {"key": {"id": "k1"}, "algorithm": "SHA256withRSA"},
                   "certificates": [{"id": "c1"}], "virtualServerIds": [{"vsId": "vs1"}]})
        );
        assert_eq!(object_from_pairs(from_json(&body, NESTED)), v);
    }

    #[test]
    fn absent_json_is_null() {
        let back = object_from_pairs(from_json(&json!({}), FIELDS));
        assert_eq!(back.get("name"), Some(&Value::Null));
        assert_eq!(back.get("uris"), Some(&Value::Null));
    }
}
