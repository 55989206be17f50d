//! Implicit conversions between primitive values, as HCL applies them.
//!
//! HCL converts `"5"` to a number where a number is needed and `true` to `"true"` where a
//! string is needed; operators, templates and functions all go through these helpers so
//! they agree. Callers handle [`Value::Unknown`] before converting.

use crate::eval::value::Value;

/// The number a value converts to: a number, or a string holding a decimal number.
pub(super) fn to_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(*n),
        Value::String(s) => parse_number(s),
        _ => None,
    }
}

/// Parses a decimal number the way HCL writes them (no `inf`, `NaN` or hex).
pub(super) fn parse_number(s: &str) -> Option<f64> {
    let plausible = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if plausible { s.parse().ok() } else { None }
}

/// The bool a value converts to: a bool, or the string `"true"` or `"false"`.
pub(super) fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// The string a primitive value converts to; `None` for null, collections and unknown.
pub(super) fn to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) => Some(v.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An integral, non-negative number as an index.
pub(super) fn to_index(n: f64) -> Option<usize> {
    (n.fract() == 0.0 && n >= 0.0 && n < usize::MAX as f64).then_some(n as usize)
}

/// The article and type name for messages: "a string", "an object".
pub(super) fn a_type(v: &Value) -> String {
    let name = v.type_name();
    match v {
        Value::Object(_) | Value::Unknown => format!("an {name}"),
        Value::Null => "null".to_string(),
        _ => format!("a {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_primitives() {
        assert_eq!(to_number(&Value::from("1.5")), Some(1.5));
        assert_eq!(to_number(&Value::from("inf")), None);
        assert_eq!(to_number(&Value::Bool(true)), None);
        assert_eq!(to_bool(&Value::from("false")), Some(false));
        assert_eq!(to_string(&Value::Number(3.0)).as_deref(), Some("3"));
        assert_eq!(to_string(&Value::Number(0.5)).as_deref(), Some("0.5"));
        assert_eq!(to_string(&Value::Null), None);
        assert_eq!(to_index(2.0), Some(2));
        assert_eq!(to_index(-1.0), None);
        assert_eq!(to_index(1.5), None);
    }
}
