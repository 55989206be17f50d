//! Set functions: `setunion`, `setintersection`, `setsubtract`, `setproduct`.
//!
//! pingform has no separate set value: a set is a list without duplicates. Results of set
//! functions are ordered like Terraform orders sets of strings (lexically), so plans are
//! stable.

use super::Call;
use crate::diagnostics::Diagnostic;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

/// `values` as a set: duplicates removed, in a stable order.
pub(crate) fn normalize(values: impl IntoIterator<Item = Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out.sort_by_key(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_json().map(|j| j.to_string()).unwrap_or_default(),
    });
    out
}

fn sets<'a>(call: &'a Call) -> Result<Vec<&'a [Value]>, Diagnostic> {
    call.rest(0).map(|(i, _)| call.list(i)).collect()
}

/// `setunion(sets...)`: every element of any set.
pub(super) fn setunion(call: &Call) -> EvalResult {
    let all = sets(call)?.into_iter().flatten().cloned();
    Ok(Value::List(normalize(all)))
}

/// `setintersection(sets...)`: the elements in every set.
pub(super) fn setintersection(call: &Call) -> EvalResult {
    let sets = sets(call)?;
    let (first, rest) = sets
        .split_first()
        .ok_or_else(|| call.failed("at least one set is required"))?;
    let common = first
        .iter()
        .filter(|v| rest.iter().all(|s| s.contains(v)))
        .cloned();
    Ok(Value::List(normalize(common)))
}

/// `setsubtract(a, b)`: the elements of `a` that are not in `b`.
pub(super) fn setsubtract(call: &Call) -> EvalResult {
    let a = call.list(0)?;
    let b = call.list(1)?;
    Ok(Value::List(normalize(
        a.iter().filter(|v| !b.contains(v)).cloned(),
    )))
}

/// `setproduct(sets...)`: every combination of one element from each set, as lists.
pub(super) fn setproduct(call: &Call) -> EvalResult {
    let sets = sets(call)?;
    if sets.len() < 2 {
        return Err(call.failed("at least two arguments are required"));
    }
    let mut product: Vec<Vec<Value>> = vec![Vec::new()];
    for set in sets {
        product = product
            .into_iter()
            .flat_map(|prefix| {
                set.iter().map(move |v| {
                    let mut combo = prefix.clone();
                    combo.push(v.clone());
                    combo
                })
            })
            .collect();
    }
    Ok(Value::List(product.into_iter().map(Value::List).collect()))
}
