//! String functions: `lower`, `upper`, `trimspace`, `join`, `split`, `replace`.

use super::Call;
use crate::eval::convert;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

/// `lower(str)`.
pub(super) fn lower(call: &Call) -> EvalResult {
    Ok(Value::String(call.string(0)?.to_lowercase()))
}

/// `upper(str)`.
pub(super) fn upper(call: &Call) -> EvalResult {
    Ok(Value::String(call.string(0)?.to_uppercase()))
}

/// `trimspace(str)`: removes leading and trailing whitespace.
pub(super) fn trimspace(call: &Call) -> EvalResult {
    Ok(Value::String(call.string(0)?.trim().to_string()))
}

/// `join(separator, lists...)`: the elements of every list, joined by `separator`.
pub(super) fn join(call: &Call) -> EvalResult {
    let separator = call.string(0)?;
    if call.args.len() < 2 {
        return Err(call.failed("at least one list is required"));
    }
    let mut parts = Vec::new();
    for (i, _) in call.rest(1) {
        for (n, item) in call.list(i)?.iter().enumerate() {
            let part = convert::to_string(item).ok_or_else(|| {
                call.invalid(
                    i,
                    format!("element {n} is {}", convert::a_type(item)),
                    format!(
                        "element {n} is {}; every element must be a string.",
                        convert::a_type(item)
                    ),
                )
            })?;
            parts.push(part);
        }
    }
    Ok(Value::String(parts.join(&separator)))
}

/// `split(separator, str)`: the parts of `str` between separators.
pub(super) fn split(call: &Call) -> EvalResult {
    let separator = call.string(0)?;
    let text = call.string(1)?;
    let parts: Vec<Value> = if separator.is_empty() {
        // Like Terraform (Go's strings.Split): an empty separator splits into characters.
        text.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        text.split(separator.as_str()).map(Value::from).collect()
    };
    Ok(Value::List(parts))
}

/// `replace(str, substr, replace)`: every occurrence replaced; a `substr` written as
/// `/pattern/` is a regular expression, and `replace` may then use `$1` for groups.
pub(super) fn replace(call: &Call) -> EvalResult {
    let text = call.string(0)?;
    let pattern = call.string(1)?;
    let replacement = call.string(2)?;
    let regex_source = pattern
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix('/'))
        .filter(|_| pattern.len() >= 2);
    let Some(source) = regex_source else {
        return Ok(Value::String(text.replace(&pattern, &replacement)));
    };
    let regex = regex::Regex::new(source).map_err(|e| {
        call.invalid(
            1,
            "invalid regular expression",
            format!("invalid regular expression: {e}"),
        )
    })?;
    Ok(Value::String(
        regex.replace_all(&text, replacement.as_str()).into_owned(),
    ))
}
