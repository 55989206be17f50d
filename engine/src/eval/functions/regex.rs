//! Regular expression functions: `regex`, `regexall` (RE2 syntax, as Terraform uses).
//!
//! With no capture groups a match is the matched string; with unnamed groups, a list of
//! the groups; with named groups, an object of them.

use std::collections::BTreeMap;

use super::Call;
use crate::diagnostics::Diagnostic;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

fn compile(call: &Call) -> Result<::regex::Regex, Diagnostic> {
    let pattern = call.string(0)?;
    ::regex::Regex::new(&pattern).map_err(|e| {
        call.invalid(
            0,
            "invalid regular expression",
            format!("invalid regular expression pattern: {e}"),
        )
    })
}

fn captures_value(re: &::regex::Regex, caps: &::regex::Captures) -> Value {
    let group = |i: usize| caps.get(i).map_or(Value::Null, |m| Value::from(m.as_str()));
    if re.captures_len() == 1 {
        return group(0);
    }
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.iter().any(Option::is_some) {
        let map: BTreeMap<String, Value> = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.map(|n| (n.to_string(), group(i + 1))))
            .collect();
        return Value::Object(map);
    }
    Value::List((1..re.captures_len()).map(group).collect())
}

/// `regex(pattern, string)`: the first match; an error when nothing matches.
pub(super) fn regex(call: &Call) -> EvalResult {
    let re = compile(call)?;
    let text = call.string(1)?;
    let caps = re
        .captures(&text)
        .ok_or_else(|| call.failed("pattern did not match any part of the given string"))?;
    Ok(captures_value(&re, &caps))
}

/// `regexall(pattern, string)`: every match, as a list (empty when nothing matches).
pub(super) fn regexall(call: &Call) -> EvalResult {
    let re = compile(call)?;
    let text = call.string(1)?;
    Ok(Value::List(
        re.captures_iter(&text)
            .map(|c| captures_value(&re, &c))
            .collect(),
    ))
}
