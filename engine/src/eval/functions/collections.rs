//! Collection functions: `length`, `concat`, `merge`, `lookup`, `contains`, `coalesce`.

use std::collections::BTreeMap;

use super::Call;
use crate::eval::convert;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

/// `length(value)`: elements of a list, attributes of an object, characters of a string.
pub(super) fn length(call: &Call) -> EvalResult {
    let n = match call.arg(0) {
        Value::List(items) => items.len(),
        Value::Object(map) => map.len(),
        Value::String(s) => s.chars().count(),
        v => {
            return Err(call.invalid(
                0,
                format!("{} has no length", convert::a_type(v)),
                "a list, object or string is required.",
            ));
        }
    };
    Ok(Value::Number(n as f64))
}

/// `concat(lists...)`: one list with the elements of each, in order.
pub(super) fn concat(call: &Call) -> EvalResult {
    let mut out = Vec::new();
    for (i, _) in call.rest(0) {
        out.extend(call.list(i)?.iter().cloned());
    }
    Ok(Value::List(out))
}

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
    let Value::Object(map) = call.arg(0) else {
        let v = call.arg(0);
        return Err(call.invalid(
            0,
            format!("{} is not an object", convert::a_type(v)),
            "an object or map is required.",
        ));
    };
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

/// `contains(list, value)`: whether `value` is an element of `list`.
pub(super) fn contains(call: &Call) -> EvalResult {
    let list = call.list(0)?;
    Ok(Value::Bool(list.contains(call.arg(1))))
}

/// `coalesce(vals...)`: the first argument that is neither null nor an empty string.
/// Unknown when an unknown argument comes before the first such value.
pub(super) fn coalesce(call: &Call) -> EvalResult {
    for (_, arg) in call.rest(0) {
        match arg {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            v => return Ok(v.clone()),
        }
    }
    Err(call.failed("no non-null, non-empty-string arguments"))
}
