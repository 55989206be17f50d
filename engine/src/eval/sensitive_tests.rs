//! Tests that sensitive marks survive every expression form and function call.

use super::Value;
use super::tests::{ok, s};

/// `src` evaluates to a sensitive value wrapping `expected`.
#[track_caller]
fn sensitive(src: &str, expected: Value) {
    let v = ok(src);
    assert!(v.is_sensitive(), "`{src}` lost its mark: {v:?}");
    assert_eq!(v.unmark().0, expected, "`{src}`");
}

#[test]
fn marks_propagate_through_every_expression_form() {
    sensitive("var.secret", s("hunter2"));
    sensitive("\"pw=${var.secret}\"", s("pw=hunter2"));
    sensitive("\"${var.secret}\"", s("hunter2"));
    sensitive("var.secret == \"hunter2\"", Value::Bool(true));
    sensitive("[var.secret] == [\"x\"]", Value::Bool(false));
    sensitive("var.secret != \"\" ? \"set\" : \"unset\"", s("set"));
    sensitive("!(var.secret == \"\")", Value::Bool(true));
    sensitive("length(var.secret) + 1", Value::Number(8.0));
    sensitive("upper(var.secret)", s("HUNTER2"));
    sensitive("var.names[length(var.secret) - 7]", s("a"));
    sensitive("var.mixed.password", s("pw"));
    sensitive("{ (var.secret) = 1 }.hunter2", Value::Number(1.0));
    sensitive(
        "[for c in split(\"\", var.secret) : c if c == \"h\"]",
        Value::List(vec![s("h")]),
    );
    sensitive(
        "\"%{ if var.secret == \"x\" }a%{ else }b%{ endif }\"",
        s("b"),
    );
    sensitive("join(\"-\", [var.secret, \"x\"])", s("hunter2-x"));
}

#[test]
fn marks_stay_on_the_elements_that_carry_them() {
    let v = ok("[var.secret, \"plain\"]");
    assert!(!v.is_sensitive() && v.contains_sensitive());
    assert!(!ok("var.mixed.user").is_sensitive());
    assert_eq!(ok("var.secret").to_string(), "(sensitive value)");
    assert_eq!(ok("[var.secret]").to_string(), "[(sensitive value)]");
}

#[test]
fn unknown_sensitive_values_stay_sensitive() {
    let v = ok("upper(var.later) == var.secret ? 1 : 2");
    assert!(v.is_sensitive() && v.is_unknown(), "{v:?}");
}

#[test]
fn errors_do_not_quote_sensitive_values() {
    for src in [
        "var.secret + 1",
        "-var.secret",
        "var.names[var.secret]",
        "index([\"a\"], var.secret)",
        "tonumber(var.secret)",
    ] {
        let (d, _) = super::tests::err(src);
        let text = format!("{d} {:?} {:?}", d.label, d.help);
        assert!(!text.contains("hunter2"), "`{src}` leaks: {text}");
    }
}
