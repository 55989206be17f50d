//! Date and time functions: `timestamp`, `timeadd`, `formatdate`, on RFC 3339 strings.
//!
//! `timestamp()` is unknown while planning and known while applying, as in Terraform, so
//! a plan never shows a time that apply would not use.

use chrono::{DateTime, Datelike, FixedOffset, SecondsFormat, Timelike, Utc};

use super::Call;
use crate::diagnostics::Diagnostic;
use crate::eval::expr::{EvalResult, Phase};
use crate::eval::value::Value;

/// `timestamp()`: the current UTC time in RFC 3339 form, known only at apply.
pub(super) fn timestamp(call: &Call) -> EvalResult {
    Ok(match call.scope.phase {
        Phase::Plan => Value::Unknown,
        Phase::Apply => Value::String(Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)),
    })
}

fn parse_time(call: &Call, i: usize) -> Result<DateTime<FixedOffset>, Diagnostic> {
    let text = call.string(i)?;
    DateTime::parse_from_rfc3339(&text).map_err(|e| {
        call.invalid(
            i,
            "not an RFC 3339 timestamp",
            format!("not a valid RFC3339 timestamp: {e}; write it like \"2024-01-31T15:04:05Z\"."),
        )
    })
}

/// `timeadd(timestamp, duration)`: the time moved by a Go-style duration such as `"1h30m"`.
pub(super) fn timeadd(call: &Call) -> EvalResult {
    let time = parse_time(call, 0)?;
    let text = call.string(1)?;
    let nanos = parse_duration(&text).ok_or_else(|| {
        call.invalid(1, "not a duration", format!("invalid duration {}; use a number and a unit (ns, us, ms, s, m, h), as in \"1h30m\".", Value::String(text.clone())))
    })?;
    let moved = time
        .checked_add_signed(chrono::Duration::nanoseconds(nanos))
        .ok_or_else(|| call.invalid(1, "out of range", "the resulting time is out of range."))?;
    let secs = if moved.nanosecond() == 0 {
        SecondsFormat::Secs
    } else {
        SecondsFormat::AutoSi
    };
    Ok(Value::String(moved.to_rfc3339_opts(secs, true)))
}

/// A Go duration (`300ms`, `-1.5h`, `2h45m`) in nanoseconds.
fn parse_duration(text: &str) -> Option<i64> {
    let (sign, mut rest) = match text.strip_prefix('-') {
        Some(r) => (-1.0, r),
        None => (1.0, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Some(0);
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..u] {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[u..];
        total += number * unit;
    }
    Some((sign * total) as i64)
}

/// `formatdate(spec, timestamp)`: the time written with Terraform's format tokens
/// (`YYYY-MM-DD hh:mm:ss ZZZ`, `EEEE`, `MMM`, `aa`, `'literal'`...).
pub(super) fn formatdate(call: &Call) -> EvalResult {
    let spec = call.string(0)?;
    let time = parse_time(call, 1)?;
    let chars: Vec<char> = spec.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let close = chars[i + 1..]
                .iter()
                .position(|&q| q == '\'')
                .ok_or_else(|| {
                    call.invalid(
                        0,
                        "unterminated literal",
                        "a literal in the format string is missing its closing quote.",
                    )
                })?;
            let literal: String = chars[i + 1..i + 1 + close].iter().collect();
            out.push_str(if literal.is_empty() { "'" } else { &literal });
            i += close + 2;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&d| d == c).count();
        let token: String = chars[i..i + run].iter().collect();
        out.push_str(&date_token(&token, &time).ok_or_else(|| {
            call.invalid(
                0,
                "invalid format token",
                format!("invalid date format verb {token:?}; quote literal letters, as in 'T'."),
            )
        })?);
        i += run;
    }
    Ok(Value::String(out))
}

fn date_token(token: &str, t: &DateTime<FixedOffset>) -> Option<String> {
    let offset = t.offset().local_minus_utc();
    let (sign, h, m) = (
        if offset < 0 { '-' } else { '+' },
        offset.abs() / 3600,
        offset.abs() % 3600 / 60,
    );
    Some(match token {
        "YYYY" => format!("{:04}", t.year()),
        "YY" => format!("{:02}", t.year() % 100),
        "MMMM" => t.format("%B").to_string(),
        "MMM" => t.format("%b").to_string(),
        "MM" => format!("{:02}", t.month()),
        "M" => t.month().to_string(),
        "DD" => format!("{:02}", t.day()),
        "D" => t.day().to_string(),
        "EEEE" => t.format("%A").to_string(),
        "EEE" => t.format("%a").to_string(),
        "hh" => format!("{:02}", t.hour()),
        "h" => t.hour().to_string(),
        "HH" => format!("{:02}", (t.hour() + 11) % 12 + 1),
        "H" => ((t.hour() + 11) % 12 + 1).to_string(),
        "AA" => if t.hour() < 12 { "AM" } else { "PM" }.to_string(),
        "aa" => if t.hour() < 12 { "am" } else { "pm" }.to_string(),
        "mm" => format!("{:02}", t.minute()),
        "m" => t.minute().to_string(),
        "ss" => format!("{:02}", t.second()),
        "s" => t.second().to_string(),
        "ZZZZZ" => format!("{sign}{h:02}:{m:02}"),
        "ZZZZ" => format!("{sign}{h:02}{m:02}"),
        "ZZZ" if offset == 0 => "UTC".to_string(),
        "ZZZ" => format!("{sign}{h:02}{m:02}"),
        "Z" if offset == 0 => "Z".to_string(),
        "Z" => format!("{sign}{h:02}:{m:02}"),
        _ => return None,
    })
}
