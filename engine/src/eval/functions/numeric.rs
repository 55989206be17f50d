//! Numeric functions: `abs`, `ceil`, `floor`, `min`, `max`, `parseint`, `range`.

use super::Call;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

/// `abs(num)`.
pub(super) fn abs(call: &Call) -> EvalResult {
    Ok(Value::Number(call.number(0)?.abs()))
}

/// `ceil(num)`.
pub(super) fn ceil(call: &Call) -> EvalResult {
    Ok(Value::Number(call.number(0)?.ceil()))
}

/// `floor(num)`.
pub(super) fn floor(call: &Call) -> EvalResult {
    Ok(Value::Number(call.number(0)?.floor()))
}

/// `min(numbers...)`.
pub(super) fn min(call: &Call) -> EvalResult {
    extreme(call, f64::min)
}

/// `max(numbers...)`.
pub(super) fn max(call: &Call) -> EvalResult {
    extreme(call, f64::max)
}

fn extreme(call: &Call, pick: fn(f64, f64) -> f64) -> EvalResult {
    if call.args.is_empty() {
        return Err(call.failed("must pass at least one number"));
    }
    let mut best: Option<f64> = None;
    for (i, _) in call.rest(0) {
        let n = call.number(i)?;
        best = Some(best.map_or(n, |b| pick(b, n)));
    }
    Ok(best.map_or(Value::Null, Value::Number))
}

/// `parseint(number, base)`: a string of digits in `base` (2 to 62) as a number.
pub(super) fn parseint(call: &Call) -> EvalResult {
    let text = call.string(0)?;
    let base = call.integer(1)?;
    if !(2..=62).contains(&base) {
        return Err(call.invalid(
            1,
            "not between 2 and 62",
            "base must be a whole number between 2 and 62 inclusive.",
        ));
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let mut value: f64 = 0.0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => base,
        };
        if d >= base {
            return Err(call.invalid(
                0,
                "not a number in this base",
                format!(
                    "cannot parse {} as a base {base} integer.",
                    Value::String(text.clone())
                ),
            ));
        }
        value = value * base as f64 + d as f64;
    }
    if digits.is_empty() {
        return Err(call.invalid(0, "empty", "cannot parse an empty string as an integer."));
    }
    Ok(Value::Number(if negative { -value } else { value }))
}

/// `range(end)`, `range(start, end)`, `range(start, end, step)`.
pub(super) fn range(call: &Call) -> EvalResult {
    let (start, end, step) = match call.args.len() {
        1 => (0.0, call.number(0)?, 1.0),
        2 => {
            let (start, end) = (call.number(0)?, call.number(1)?);
            (start, end, if end < start { -1.0 } else { 1.0 })
        }
        3 => (call.number(0)?, call.number(1)?, call.number(2)?),
        n => return Err(call.failed(format!("must have one, two, or three arguments, not {n}"))),
    };
    if step == 0.0 {
        return Err(call.failed("step must not be zero"));
    }
    if (step > 0.0 && end < start) || (step < 0.0 && end > start) {
        return Err(call.failed("the step must move from the start towards the end"));
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
        if out.len() >= 1024 {
            return Err(call.failed("more than 1024 values were generated; either decrease the difference between start and end or use a smaller step"));
        }
        out.push(Value::Number(x));
        x += step;
    }
    Ok(Value::List(out))
}
