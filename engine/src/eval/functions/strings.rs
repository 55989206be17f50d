//! String functions: `lower`, `upper`, `title`, `trimspace`, `trim`, `trimprefix`,
//! `trimsuffix`, `join`, `split`, `replace`, `startswith`, `endswith`, `strcontains`,
//! `substr`. Lengths and offsets count characters, as Terraform's do.

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
    let regex = ::regex::Regex::new(source).map_err(|e| {
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

/// `title(str)`: the first letter of each word in upper case.
pub(super) fn title(call: &Call) -> EvalResult {
    let text = call.string(0)?;
    let mut out = String::with_capacity(text.len());
    let mut start_of_word = true;
    for c in text.chars() {
        if start_of_word && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start_of_word = !c.is_alphanumeric() && c != '\'' && c != '_';
    }
    Ok(Value::String(out))
}

/// `trim(str, cutset)`: removes every character of `cutset` from both ends.
pub(super) fn trim(call: &Call) -> EvalResult {
    let text = call.string(0)?;
    let cutset = call.string(1)?;
    Ok(Value::String(
        text.trim_matches(|c| cutset.contains(c)).to_string(),
    ))
}

/// `trimprefix(str, prefix)`.
pub(super) fn trimprefix(call: &Call) -> EvalResult {
    let text = call.string(0)?;
    let prefix = call.string(1)?;
    Ok(Value::String(
        text.strip_prefix(prefix.as_str())
            .unwrap_or(&text)
            .to_string(),
    ))
}

/// `trimsuffix(str, suffix)`.
pub(super) fn trimsuffix(call: &Call) -> EvalResult {
    let text = call.string(0)?;
    let suffix = call.string(1)?;
    Ok(Value::String(
        text.strip_suffix(suffix.as_str())
            .unwrap_or(&text)
            .to_string(),
    ))
}

/// `startswith(str, prefix)`.
pub(super) fn startswith(call: &Call) -> EvalResult {
    Ok(Value::Bool(call.string(0)?.starts_with(&call.string(1)?)))
}

/// `endswith(str, suffix)`.
pub(super) fn endswith(call: &Call) -> EvalResult {
    Ok(Value::Bool(call.string(0)?.ends_with(&call.string(1)?)))
}

/// `strcontains(str, substr)`.
pub(super) fn strcontains(call: &Call) -> EvalResult {
    Ok(Value::Bool(call.string(0)?.contains(&call.string(1)?)))
}

/// `substr(str, offset, length)`: a negative offset counts from the end; a length of -1
/// means "to the end"; both are clamped to the string like Terraform does.
pub(super) fn substr(call: &Call) -> EvalResult {
    let chars: Vec<char> = call.string(0)?.chars().collect();
    let len = chars.len() as i64;
    let mut offset = call.integer(1)?;
    let length = call.integer(2)?;
    if offset < 0 {
        offset += len;
    }
    if offset < 0 || offset > len {
        return Err(call.invalid(
            1,
            "out of range",
            format!("offset {offset} is outside a string of {len} character(s)."),
        ));
    }
    let end = if length < 0 {
        len
    } else {
        (offset + length).min(len)
    };
    let start = offset as usize;
    let end = (end.max(offset)) as usize;
    Ok(Value::String(chars[start..end].iter().collect()))
}
