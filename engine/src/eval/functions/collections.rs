//! List functions: `length`, `concat`, `contains`, `coalesce`, `coalescelist`, `compact`,
//! `distinct`, `flatten`, `element`, `index`, `slice`, `reverse`, `sort`, `one`,
//! `alltrue`, `anytrue`.
//!
//! `structural` functions receive arguments whose own marks are removed but whose elements
//! may still be sensitive (or unknown); they move elements without looking inside them.

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

/// `contains(list, value)`: whether `value` is an element of `list`.
pub(super) fn contains(call: &Call) -> EvalResult {
    let list = call.list(0)?;
    Ok(Value::Bool(list.contains(call.arg(1))))
}

/// `coalesce(vals...)`: the first argument that is neither null nor an empty string.
/// Unknown when an unknown argument comes before the first such value.
pub(super) fn coalesce(call: &Call) -> EvalResult {
    for (_, arg) in call.rest(0) {
        match arg.unmarked() {
            Value::Unknown => return Ok(arg.clone()),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            _ => return Ok(arg.clone()),
        }
    }
    Err(call.failed("no non-null, non-empty-string arguments"))
}

/// `coalescelist(lists...)`: the first argument that is a non-empty list.
pub(super) fn coalescelist(call: &Call) -> EvalResult {
    for (i, arg) in call.rest(0) {
        match arg.unmarked() {
            Value::Unknown => return Ok(Value::Unknown),
            Value::List(items) if items.is_empty() => {}
            Value::List(_) => return Ok(arg.clone()),
            _ => {
                call.list(i)?;
            }
        }
    }
    Err(call.failed("no non-empty lists among the arguments"))
}

/// `compact(list)`: the list without null and empty-string elements.
pub(super) fn compact(call: &Call) -> EvalResult {
    let items = call.list(0)?;
    let kept = items
        .iter()
        .filter(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
        .cloned()
        .collect();
    Ok(Value::List(kept))
}

/// `distinct(list)`: the list without repeated elements, first occurrences kept.
pub(super) fn distinct(call: &Call) -> EvalResult {
    let mut out: Vec<Value> = Vec::new();
    for item in call.list(0)? {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    Ok(Value::List(out))
}

/// `flatten(list)`: nested lists replaced by their elements, recursively.
pub(super) fn flatten(call: &Call) -> EvalResult {
    fn walk(items: &[Value], out: &mut Vec<Value>) {
        for item in items {
            match item {
                Value::List(inner) => walk(inner, out),
                other => out.push(other.clone()),
            }
        }
    }
    let mut out = Vec::new();
    walk(call.list(0)?, &mut out);
    Ok(Value::List(out))
}

/// `element(list, index)`: the element at `index`, wrapping around past the end.
pub(super) fn element(call: &Call) -> EvalResult {
    let items = call.list(0)?;
    let index = call.integer(1)?;
    if items.is_empty() {
        return Err(call.invalid(
            0,
            "empty list",
            "cannot use element function with an empty list.",
        ));
    }
    if index < 0 {
        return Err(call.invalid(
            1,
            "negative index",
            "cannot use element function with a negative index.",
        ));
    }
    Ok(items[(index as usize) % items.len()].clone())
}

/// `index(list, value)`: the position of the first element equal to `value`.
pub(super) fn index(call: &Call) -> EvalResult {
    let items = call.list(0)?;
    match items.iter().position(|v| v == call.arg(1)) {
        Some(i) => Ok(Value::Number(i as f64)),
        None => Err(call.failed(format!("item {} not found", call.arg(1)))),
    }
}

/// `slice(list, start, end)`: elements from `start` up to (not including) `end`.
pub(super) fn slice(call: &Call) -> EvalResult {
    let items = call.list(0)?;
    let start = call.integer(1)?;
    let end = call.integer(2)?;
    let len = items.len() as i64;
    if start < 0 || start > len {
        return Err(call.invalid(
            1,
            "out of range",
            format!("start index {start} is outside a list of {len} element(s)."),
        ));
    }
    if end < start || end > len {
        return Err(call.invalid(
            2,
            "out of range",
            format!("end index {end} must be between the start index and {len}."),
        ));
    }
    Ok(Value::List(items[start as usize..end as usize].to_vec()))
}

/// `reverse(list)`.
pub(super) fn reverse(call: &Call) -> EvalResult {
    let mut items = call.list(0)?.to_vec();
    items.reverse();
    Ok(Value::List(items))
}

/// `sort(list)`: strings in lexical order (numbers and bools are converted to strings).
pub(super) fn sort(call: &Call) -> EvalResult {
    let mut strings = Vec::new();
    for (n, item) in call.list(0)?.iter().enumerate() {
        let s = convert::to_string(item).ok_or_else(|| {
            call.invalid(
                0,
                format!("element {n} is {}", convert::a_type(item)),
                "every element must be a string.",
            )
        })?;
        strings.push(s);
    }
    strings.sort();
    Ok(Value::List(
        strings.into_iter().map(Value::String).collect(),
    ))
}

/// `one(list)`: null for an empty list, the element of a one-element list, else an error.
pub(super) fn one(call: &Call) -> EvalResult {
    match call.list(0)? {
        [] => Ok(Value::Null),
        [only] => Ok(only.clone()),
        items => Err(call.invalid(
            0,
            format!("{} elements", items.len()),
            "must be a list, set, or tuple value with either zero or one elements.",
        )),
    }
}

/// `alltrue(list)`: true when every element is true (also for an empty list).
pub(super) fn alltrue(call: &Call) -> EvalResult {
    Ok(Value::Bool(bools(call)?.iter().all(|b| *b)))
}

/// `anytrue(list)`: true when some element is true.
pub(super) fn anytrue(call: &Call) -> EvalResult {
    Ok(Value::Bool(bools(call)?.iter().any(|b| *b)))
}

fn bools(call: &Call) -> Result<Vec<bool>, crate::diagnostics::Diagnostic> {
    call.list(0)?
        .iter()
        .enumerate()
        .map(|(n, v)| {
            convert::to_bool(v).ok_or_else(|| {
                call.invalid(
                    0,
                    format!("element {n} is {}", convert::a_type(v)),
                    "every element must be a bool.",
                )
            })
        })
        .collect()
}
