//! `format(spec, args...)`: printf-style formatting as Terraform does it.
//!
//! Supported verbs: `%v` (any value; collections as JSON), `%s`, `%q` (quoted string),
//! `%d`, `%f`, `%t` and `%%`, with the flags `-`, `+`, `0`, a width and a precision.

use std::iter::Peekable;
use std::str::Chars;

use super::Call;
use crate::diagnostics::Diagnostic;
use crate::eval::convert;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

/// One `%...` verb and its flags.
#[derive(Default)]
struct Verb {
    left: bool,
    plus: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
    verb: char,
}

/// `format(spec, args...)`.
pub(super) fn format(call: &Call) -> EvalResult {
    let spec = call.string(0)?;
    let mut out = String::new();
    let mut next_arg = 1;
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let verb = parse_verb(&mut chars)
            .ok_or_else(|| call.failed("the format string ends in the middle of a `%` verb"))?;
        let Some(arg) = call.args.get(next_arg) else {
            return Err(call.failed(format!(
                "not enough arguments for `%{}`: the format string needs argument {next_arg} \
                 but only {} were given",
                verb.verb,
                call.args.len() - 1
            )));
        };
        out.push_str(&render(call, &verb, arg, next_arg)?);
        next_arg += 1;
    }
    if next_arg < call.args.len() {
        return Err(call.invalid(
            next_arg,
            "not used by the format string",
            format!(
                "too many arguments; the format string uses only {}.",
                next_arg - 1
            ),
        ));
    }
    Ok(Value::String(out))
}

/// Parses the flags, width, precision and verb letter after a `%`.
fn parse_verb(chars: &mut Peekable<Chars>) -> Option<Verb> {
    let mut verb = Verb::default();
    while let Some(&c) = chars.peek() {
        match c {
            '-' => verb.left = true,
            '+' => verb.plus = true,
            '0' => verb.zero = true,
            ' ' | '#' => {}
            _ => break,
        }
        chars.next();
    }
    verb.width = digits(chars);
    if chars.peek() == Some(&'.') {
        chars.next();
        verb.precision = Some(digits(chars).unwrap_or(0));
    }
    verb.verb = chars.next()?;
    Some(verb)
}

fn digits(chars: &mut Peekable<Chars>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize));
        chars.next();
    }
    n
}

/// Formats one argument for one verb.
fn render(call: &Call, verb: &Verb, arg: &Value, index: usize) -> Result<String, Diagnostic> {
    let wrong = |required: &str| {
        call.invalid(
            index,
            format!("{} given for `%{}`", convert::a_type(arg), verb.verb),
            format!("`%{}` requires {required}.", verb.verb),
        )
    };
    let text = match verb.verb {
        'v' => match arg {
            Value::String(s) => s.clone(),
            Value::List(_) | Value::Object(_) => arg
                .to_json()
                .map(|j| j.to_string())
                .ok_or_else(|| wrong("a known value"))?,
            other => other.to_string(),
        },
        's' => {
            let s = convert::to_string(arg).ok_or_else(|| wrong("a string"))?;
            match verb.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s,
            }
        }
        'q' => {
            let s = convert::to_string(arg).ok_or_else(|| wrong("a string"))?;
            Value::String(s).to_string()
        }
        'd' => {
            let n = convert::to_number(arg)
                .filter(|n| n.fract() == 0.0)
                .ok_or_else(|| wrong("a whole number"))?;
            signed(format!("{}", n.abs()), n < 0.0, verb)
        }
        'f' | 'F' => {
            let n = convert::to_number(arg).ok_or_else(|| wrong("a number"))?;
            let precision = verb.precision.unwrap_or(6);
            signed(format!("{:.precision$}", n.abs()), n < 0.0, verb)
        }
        't' => convert::to_bool(arg)
            .ok_or_else(|| wrong("a bool"))?
            .to_string(),
        other => {
            return Err(call.failed(format!(
                "unsupported format verb `%{other}`; use %v, %s, %q, %d, %f or %t"
            )));
        }
    };
    Ok(pad(text, verb))
}

/// A number's digits with its sign (and zero padding between sign and digits).
fn signed(digits: String, negative: bool, verb: &Verb) -> String {
    let sign = if negative {
        "-"
    } else if verb.plus {
        "+"
    } else {
        ""
    };
    match verb.width {
        Some(w) if verb.zero && !verb.left => {
            let zeros = w.saturating_sub(sign.len() + digits.chars().count());
            format!("{sign}{}{digits}", "0".repeat(zeros))
        }
        _ => format!("{sign}{digits}"),
    }
}

/// Pads to the verb's width with spaces, on the left unless `-` was given.
fn pad(text: String, verb: &Verb) -> String {
    let len = text.chars().count();
    match verb.width {
        Some(w) if w > len && verb.left => format!("{text}{}", " ".repeat(w - len)),
        Some(w) if w > len => format!("{}{text}", " ".repeat(w - len)),
        _ => text,
    }
}

/// `formatlist(spec, args...)`: `format` applied element-wise. List arguments must all have
/// the same length; other arguments are repeated for every element.
pub(super) fn formatlist(call: &Call) -> EvalResult {
    let mut len: Option<usize> = None;
    for (i, arg) in call.rest(1) {
        if let Value::List(items) = arg {
            match len {
                Some(n) if n != items.len() => {
                    return Err(call.invalid(
                        i,
                        format!("{} elements", items.len()),
                        format!(
                            "all list arguments must have the same length; an earlier one has {n}."
                        ),
                    ));
                }
                _ => len = Some(items.len()),
            }
        }
    }
    let Some(len) = len else {
        return Ok(Value::List(vec![format(call)?]));
    };
    let mut out = Vec::with_capacity(len);
    for n in 0..len {
        let args = call
            .args
            .iter()
            .map(|a| match a {
                Value::List(items) => items[n].clone(),
                other => other.clone(),
            })
            .collect();
        let element = Call {
            scope: call.scope,
            name: call.name,
            params: call.params,
            variadic: call.variadic,
            args,
            spans: call.spans.clone(),
            call_span: call.call_span.clone(),
        };
        out.push(format(&element)?);
    }
    Ok(Value::List(out))
}
