//! Type conversion functions: `tostring`, `tonumber`, `tobool`, `tolist`, `toset`,
//! `tomap`. Null converts to null.

use super::Call;
use crate::eval::convert;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

/// `tostring(v)`.
pub(super) fn tostring(call: &Call) -> EvalResult {
    convert_with(call, "string", |v| convert::to_string(v).map(Value::String))
}

/// `tonumber(v)`.
pub(super) fn tonumber(call: &Call) -> EvalResult {
    convert_with(call, "number", |v| convert::to_number(v).map(Value::Number))
}

/// `tobool(v)`.
pub(super) fn tobool(call: &Call) -> EvalResult {
    convert_with(call, "bool", |v| convert::to_bool(v).map(Value::Bool))
}

/// `tolist(v)`: a list (or a set, which is a list here) as a list.
pub(super) fn tolist(call: &Call) -> EvalResult {
    match call.arg(0) {
        Value::Null => Ok(Value::Null),
        v @ Value::List(_) => Ok(v.clone()),
        v => Err(call.invalid(
            0,
            format!("{} is not a list", convert::a_type(v)),
            "cannot convert to list.",
        )),
    }
}

/// `toset(v)`: a list without duplicates, ordered as Terraform orders sets.
pub(super) fn toset(call: &Call) -> EvalResult {
    match call.arg(0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(Value::List(super::sets::normalize(items.iter().cloned()))),
        v => Err(call.invalid(
            0,
            format!("{} is not a list", convert::a_type(v)),
            "cannot convert to set.",
        )),
    }
}

/// `tomap(v)`: an object as a map.
pub(super) fn tomap(call: &Call) -> EvalResult {
    match call.arg(0) {
        Value::Null => Ok(Value::Null),
        v @ Value::Object(_) => Ok(v.clone()),
        v => Err(call.invalid(
            0,
            format!("{} is not an object", convert::a_type(v)),
            "cannot convert to map.",
        )),
    }
}

fn convert_with(call: &Call, target: &str, f: impl Fn(&Value) -> Option<Value>) -> EvalResult {
    let v = call.arg(0);
    if v.is_null() {
        return Ok(Value::Null);
    }
    f(v).ok_or_else(|| {
        let what = match v {
            Value::String(_) => format!("the string {v}"),
            other => convert::a_type(other),
        };
        call.invalid(
            0,
            format!("cannot convert to {target}"),
            format!("cannot convert {what} to {target}."),
        )
    })
}
