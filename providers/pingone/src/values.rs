//! Reading typed attributes out of engine [`Value`]s, and reading PingOne JSON back.
//!
//! Errors are plain strings naming the attribute; callers prefix the operation.

use std::collections::BTreeMap;

use engine::Value;

/// How to treat an attribute that is not known yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IfUnknown {
    /// Leave it out: PingOne will choose it (optional-computed attributes).
    Omit,
    /// Refuse: configuration must know it by the time it is applied.
    Refuse,
}

/// A string attribute; `None` when absent or null (or unknown, with [`IfUnknown::Omit`]).
pub(crate) fn opt_string(
    obj: &Value,
    name: &str,
    unknown: IfUnknown,
) -> Result<Option<String>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Unknown) => unknown_attr(name, unknown),
        Some(other) => Err(wrong_type(name, "a string", other)),
    }
}

/// A string attribute that must be present.
pub(crate) fn required_string(obj: &Value, name: &str) -> Result<String, String> {
    opt_string(obj, name, IfUnknown::Refuse)?
        .ok_or_else(|| format!("{name} is required but not set"))
}

/// The `id` inside an object attribute such as `password_policy = { id = "..." }`.
pub(crate) fn nested_id(
    obj: &Value,
    name: &str,
    unknown: IfUnknown,
) -> Result<Option<String>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Unknown) => unknown_attr(name, unknown),
        Some(inner @ Value::Object(_)) => {
            opt_string(inner, "id", unknown).map_err(|e| format!("{name}.{e}"))
        }
        Some(other) => Err(wrong_type(name, "an object with an id", other)),
    }
}

/// A list or set of strings.
pub(crate) fn string_list(obj: &Value, name: &str) -> Result<Option<Vec<String>>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Unknown) => unknown_attr(name, IfUnknown::Refuse),
        Some(Value::List(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                Value::Unknown => Err(format!("{name} contains a value that is not known yet")),
                other => Err(wrong_type(
                    &format!("each element of {name}"),
                    "a string",
                    other,
                )),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(wrong_type(name, "a set of strings", other)),
    }
}

/// True when the attribute is set to something other than null.
pub(crate) fn is_set(obj: &Value, name: &str) -> bool {
    obj.get(name).is_some_and(|v| !v.is_null())
}

fn unknown_attr<T>(name: &str, unknown: IfUnknown) -> Result<Option<T>, String> {
    match unknown {
        IfUnknown::Omit => Ok(None),
        IfUnknown::Refuse => Err(format!(
            "{name} is not known yet; it must be known to apply"
        )),
    }
}

fn wrong_type(name: &str, expected: &str, got: &Value) -> String {
    format!("{name} must be {expected}, not a {}", got.type_name())
}

/// A JSON string field as a value (null when absent or not a string).
pub(crate) fn json_string(json: &serde_json::Value, pointer: &str) -> Value {
    json.pointer(pointer)
        .and_then(serde_json::Value::as_str)
        .map_or(Value::Null, Value::from)
}

/// `{ id = <json id> }`, or null when PingOne gave no id.
pub(crate) fn json_id_object(json: &serde_json::Value, pointer: &str) -> Value {
    match json_string(json, pointer) {
        Value::Null => Value::Null,
        id => object([("id", id)]),
    }
}

/// A JSON array of strings as a list (null when absent).
pub(crate) fn json_string_list(json: &serde_json::Value, pointer: &str) -> Value {
    match json.pointer(pointer).and_then(serde_json::Value::as_array) {
        Some(items) => Value::List(
            items
                .iter()
                .filter_map(serde_json::Value::as_str)
                .map(Value::from)
                .collect(),
        ),
        None => Value::Null,
    }
}

/// An object value from owned attribute pairs.
pub(crate) fn object_from_pairs(pairs: Vec<(String, Value)>) -> Value {
    Value::Object(pairs.into_iter().collect())
}

/// A boolean attribute; `None` when absent, null or unknown.
pub(crate) fn opt_bool(obj: &Value, name: &str) -> Result<Option<bool>, String> {
    match obj.get(name) {
        None | Some(Value::Null | Value::Unknown) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(wrong_type(name, "a bool", other)),
    }
}

/// A JSON boolean field as a value (null when absent).
pub(crate) fn json_bool(json: &serde_json::Value, pointer: &str) -> Value {
    json.pointer(pointer)
        .and_then(serde_json::Value::as_bool)
        .map_or(Value::Null, Value::Bool)
}

/// `value` with attribute `name` set (no change when `value` is not an object).
pub(crate) fn with_attr(mut value: Value, name: &str, attr: Value) -> Value {
    if let Value::Object(map) = &mut value {
        map.insert(name.to_string(), attr);
    }
    value
}

/// A live nested-object value shaped like the configuration wrote it.
///
/// The engine compares objects key by key and does not fill the keys a configuration
/// leaves out of a nested object (`name = { given = "Ada" }`), so a live value with
/// every key would differ forever. When `basis` (planned or prior) is an object, only
/// its keys are kept, recursively (also in lists of objects of the same length); when it
/// is null and PingOne's object holds nothing,
/// the result is null; otherwise (unknown: not configured) the live value is kept.
pub(crate) fn conform(live: Value, basis: Option<&Value>) -> Value {
    match (live, basis) {
        (Value::Object(live), Some(Value::Object(basis))) => Value::Object(
            basis
                .iter()
                .map(|(k, b)| {
                    let v = live.get(k).cloned().unwrap_or(Value::Null);
                    (k.clone(), conform(v, Some(b)))
                })
                .collect(),
        ),
        (Value::Object(live), Some(Value::Null) | None) if live.values().all(Value::is_null) => {
            Value::Null
        }
        // Lists of objects (`virtual_server_ids`): element by element, in order.
        (Value::List(live), Some(Value::List(basis))) if live.len() == basis.len() => Value::List(
            live.into_iter()
                .zip(basis)
                .map(|(v, b)| conform(v, Some(b)))
                .collect(),
        ),
        (live, _) => live,
    }
}

/// An object value from attribute pairs.
pub(crate) fn object<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_nulls_and_unknowns() {
        let v = object([
            ("a", "x".into()),
            ("b", Value::Null),
            ("c", Value::Unknown),
            ("d", true.into()),
        ]);
        assert_eq!(opt_string(&v, "a", IfUnknown::Refuse), Ok(Some("x".into())));
        assert_eq!(opt_string(&v, "b", IfUnknown::Refuse), Ok(None));
        assert_eq!(opt_string(&v, "missing", IfUnknown::Refuse), Ok(None));
        assert_eq!(opt_string(&v, "c", IfUnknown::Omit), Ok(None));
        assert!(
            opt_string(&v, "c", IfUnknown::Refuse)
                .unwrap_err()
                .contains("not known")
        );
        assert_eq!(
            opt_string(&v, "d", IfUnknown::Refuse).unwrap_err(),
            "d must be a string, not a bool"
        );
        assert!(required_string(&v, "b").unwrap_err().contains("required"));
    }

    #[test]
    fn nested_ids_and_lists() {
        let v = object([
            ("p", object([("id", "pid".into())])),
            ("l", Value::List(vec!["a".into(), "b".into()])),
            ("bad", Value::List(vec![Value::Number(1.0)])),
        ]);
        assert_eq!(
            nested_id(&v, "p", IfUnknown::Refuse),
            Ok(Some("pid".into()))
        );
        assert_eq!(string_list(&v, "l"), Ok(Some(vec!["a".into(), "b".into()])));
        assert!(
            string_list(&v, "bad")
                .unwrap_err()
                .contains("each element of bad")
        );
        assert!(is_set(&v, "p") && !is_set(&v, "q"));
    }

    #[test]
    fn live_objects_take_the_configured_shape() {
        let live = object([("given", "Ada".into()), ("family", "L".into())]);
        let basis = object([("given", "x".into())]);
        assert_eq!(
            conform(live.clone(), Some(&basis)),
            object([("given", "Ada".into())])
        );
        assert_eq!(conform(live.clone(), Some(&Value::Unknown)), live);
        let empty = object([("given", Value::Null)]);
        assert_eq!(conform(empty, Some(&Value::Null)), Value::Null);
    }

    #[test]
    fn reads_json_back() {
        let json = serde_json::json!({"a": "x", "t": {"id": "tid"}, "l": ["u", "v"]});
        assert_eq!(json_string(&json, "/a"), Value::from("x"));
        assert_eq!(json_string(&json, "/zz"), Value::Null);
        assert_eq!(
            json_id_object(&json, "/t/id"),
            object([("id", "tid".into())])
        );
        assert_eq!(json_id_object(&json, "/x/id"), Value::Null);
        assert_eq!(
            json_string_list(&json, "/l"),
            Value::List(vec!["u".into(), "v".into()])
        );
    }
}
