//! Type conversion functions: `tostring`, `tonumber`, `tobool`. Null converts to null.

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
