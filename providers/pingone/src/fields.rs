//! Declarative attribute ↔ PingOne JSON mappings for the simple parts of a resource.
//!
//! Most attributes are a straight rename (`external_id` ↔ `externalId`), possibly inside
//! a nested object (`name.given` ↔ `name.given`). A table of [`Field`]s describes them
//! once; [`to_json`] builds the request body part and [`from_json`] reads the answer back,
//! so each resource file only writes the attributes with special rules.

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
}

/// One attribute and where PingOne keeps it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    /// The attribute name in the Terraform schema.
    pub tf: &'static str,
    /// The JSON key in PingOne's object.
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
            body.insert(f.api.to_string(), json);
        }
    }
    Ok(())
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
        Kind::Bool => "a bool",
        Kind::Int => "a whole number",
        Kind::Strings => "a set of strings",
        Kind::StrMap => "a map of strings",
        Kind::Obj(_) => "an object",
    }
}

/// Reads every field from PingOne's `json` into `(attribute, value)` pairs; absent
/// keys become null, as do nested objects PingOne leaves out.
pub(crate) fn from_json(json: &serde_json::Value, fields: &[Field]) -> Vec<(String, Value)> {
    fields
        .iter()
        .map(|f| (f.tf.to_string(), one_from_json(json.get(f.api), f)))
        .collect()
}

fn one_from_json(json: Option<&serde_json::Value>, f: &Field) -> Value {
    let Some(json) = json else {
        return Value::Null;
    };
    match f.kind {
        Kind::Str => json.as_str().map_or(Value::Null, Value::from),
        Kind::Bool => json.as_bool().map_or(Value::Null, Value::Bool),
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
    }
}

/// The attribute type of a field table, for schemas.
pub(crate) fn attr_type(kind: Kind) -> engine::provider::AttrType {
    use engine::provider::AttrType;
    match kind {
        Kind::Str => AttrType::String,
        Kind::Bool => AttrType::Bool,
        Kind::Int => AttrType::Number,
        Kind::Strings => AttrType::Set(Box::new(AttrType::String)),
        Kind::StrMap => AttrType::Map(Box::new(AttrType::String)),
        Kind::Obj(inner) => AttrType::Object(
            inner
                .iter()
                .map(|f| (f.tf.to_string(), attr_type(f.kind)))
                .collect(),
        ),
    }
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

    #[test]
    fn absent_json_is_null() {
        let back = object_from_pairs(from_json(&json!({}), FIELDS));
        assert_eq!(back.get("name"), Some(&Value::Null));
        assert_eq!(back.get("uris"), Some(&Value::Null));
    }
}
