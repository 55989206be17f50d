//! Map and object functions: `merge`, `lookup`, `keys`, `values`, `zipmap`.

use std::collections::BTreeMap;

use super::Call;
use crate::eval::convert;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

/// `merge(maps...)`: one object with the attributes of each; later ones win, nulls are skipped.
pub(super) fn merge(call: &Call) -> EvalResult {
    let mut out = BTreeMap::new();
    for (i, arg) in call.rest(0) {
        match arg {
            Value::Null => {}
            Value::Object(map) => out.extend(map.clone()),
            v => {
                return Err(call.invalid(
                    i,
                    format!("{} is not an object", convert::a_type(v)),
                    "an object or map is required.",
                ));
            }
        }
    }
    Ok(Value::Object(out))
}

/// `lookup(map, key, default)`: the value at `key`, else `default` (an error without one).
pub(super) fn lookup(call: &Call) -> EvalResult {
    let map = call.object(0)?;
    let key = call.string(1)?;
    match (map.get(&key), call.args.get(2)) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(call.invalid(
            1,
            "no such key",
            format!(
                "the map has no key {}; give a default as the third argument.",
                Value::String(key)
            ),
        )),
    }
}

/// `keys(map)`: the keys, in lexical order.
pub(super) fn keys(call: &Call) -> EvalResult {
    let map = call.object(0)?;
    Ok(Value::List(
        map.keys().map(|k| Value::from(k.as_str())).collect(),
    ))
}

/// `values(map)`: the values, in the lexical order of their keys.
pub(super) fn values(call: &Call) -> EvalResult {
    let map = call.object(0)?;
    Ok(Value::List(map.values().cloned().collect()))
}

/// `zipmap(keys, values)`: a map from each key to the value at the same position.
pub(super) fn zipmap(call: &Call) -> EvalResult {
    let keys = call.list(0)?;
    let values = call.list(1)?;
    if keys.len() != values.len() {
        return Err(call.failed(format!(
            "number of keys ({}) does not match number of values ({})",
            keys.len(),
            values.len()
        )));
    }
    if keys.iter().any(Value::is_unknown) {
        return Ok(Value::Unknown);
    }
    // A sensitive key would show in the map's keys, so it marks the whole map.
    let sensitive = keys.iter().any(Value::is_sensitive);
    let mut out = BTreeMap::new();
    for (n, (k, v)) in keys.iter().zip(values).enumerate() {
        let key = convert::to_string(k.unmarked()).ok_or_else(|| {
            call.invalid(
                0,
                format!("element {n} is {}", convert::a_type(k)),
                "every key must be a string.",
            )
        })?;
        out.insert(key, v.clone());
    }
    Ok(Value::Object(out).mark_if(sensitive))
}
