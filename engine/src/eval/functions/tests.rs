//! Tests for every built-in function: results, unknown and sensitive propagation.

use crate::eval::tests::{Fixture, list, n, obj, ok, s};
use crate::eval::value::Value;

fn b(x: bool) -> Value {
    Value::Bool(x)
}

#[test]
fn strings() {
    assert_eq!(ok(r#"title("hello wide world")"#), s("Hello Wide World"));
    assert_eq!(ok(r#"trim("?!hello?!", "!?")"#), s("hello"));
    assert_eq!(ok(r#"trimprefix("helloworld", "hello")"#), s("world"));
    assert_eq!(ok(r#"trimsuffix("helloworld", "world")"#), s("hello"));
    assert_eq!(ok(r#"startswith("hello", "he")"#), b(true));
    assert_eq!(ok(r#"endswith("hello", "he")"#), b(false));
    assert_eq!(ok(r#"strcontains("hello", "ll")"#), b(true));
    assert_eq!(ok(r#"substr("hello world", 1, 4)"#), s("ello"));
    assert_eq!(ok(r#"substr("🤔🤷", 0, 1)"#), s("🤔"));
    assert_eq!(ok(r#"substr("hello world", -5, -1)"#), s("world"));
    assert_eq!(ok(r#"substr("hello", 2, 99)"#), s("llo"));
    assert_eq!(
        ok(r#"formatlist("%s=%d", ["a", "b"], 1)"#),
        list(&[s("a=1"), s("b=1")])
    );
    assert_eq!(
        ok(r#"regex("(\\d+)-(\\d+)", "v 10-20")"#),
        list(&[s("10"), s("20")])
    );
    assert_eq!(
        ok(r#"regex("(?P<major>\\d+)\\.(?P<minor>\\d+)", "1.2")"#),
        obj(&[("major", s("1")), ("minor", s("2"))])
    );
    assert_eq!(
        ok(r#"regexall("[a-z]+", "a1bc2")"#),
        list(&[s("a"), s("bc")])
    );
}

#[test]
fn collections() {
    assert_eq!(ok("coalescelist([], [1], [2])"), list(&[n(1.0)]));
    assert_eq!(
        ok(r#"compact(["a", "", null, "b"])"#),
        list(&[s("a"), s("b")])
    );
    assert_eq!(ok("distinct([1, 2, 1])"), list(&[n(1.0), n(2.0)]));
    assert_eq!(
        ok("flatten([[1, [2]], [], 3])"),
        list(&[n(1.0), n(2.0), n(3.0)])
    );
    assert_eq!(ok("element([1, 2, 3], 4)"), n(2.0));
    assert_eq!(ok(r#"index(["a", "b"], "b")"#), n(1.0));
    assert_eq!(ok("slice([1, 2, 3, 4], 1, 3)"), list(&[n(2.0), n(3.0)]));
    assert_eq!(ok("reverse([1, 2])"), list(&[n(2.0), n(1.0)]));
    assert_eq!(
        ok(r#"sort(["b", "a", "c"])"#),
        list(&[s("a"), s("b"), s("c")])
    );
    assert_eq!(ok("one([])"), Value::Null);
    assert_eq!(ok("one([7])"), n(7.0));
    assert_eq!(ok("alltrue([true, \"true\"])"), b(true));
    assert_eq!(ok("alltrue([])"), b(true));
    assert_eq!(ok("anytrue([false, true])"), b(true));
    assert_eq!(ok("keys({ b = 1, a = 2 })"), list(&[s("a"), s("b")]));
    assert_eq!(ok("values({ b = 1, a = 2 })"), list(&[n(2.0), n(1.0)]));
    assert_eq!(
        ok(r#"zipmap(["a", "b"], [1, 2])"#),
        obj(&[("a", n(1.0)), ("b", n(2.0))])
    );
    assert_eq!(ok(r#"toset(["b", "a", "b"])"#), list(&[s("a"), s("b")]));
    assert_eq!(ok("tolist([1])"), list(&[n(1.0)]));
    assert_eq!(ok("tomap({ a = 1 })"), obj(&[("a", n(1.0))]));
    assert_eq!(
        ok(r#"setunion(["b"], ["a", "b"])"#),
        list(&[s("a"), s("b")])
    );
    assert_eq!(
        ok(r#"setintersection(["a", "b"], ["b", "c"])"#),
        list(&[s("b")])
    );
    assert_eq!(ok(r#"setsubtract(["a", "b"], ["b"])"#), list(&[s("a")]));
    assert_eq!(
        ok(r#"setproduct(["a"], [1, 2])"#),
        list(&[list(&[s("a"), n(1.0)]), list(&[s("a"), n(2.0)])])
    );
}

#[test]
fn numbers() {
    assert_eq!(ok("abs(-3)"), n(3.0));
    assert_eq!(ok("ceil(1.2)"), n(2.0));
    assert_eq!(ok("floor(-1.2)"), n(-2.0));
    assert_eq!(ok("min(3, 1, 2)"), n(1.0));
    assert_eq!(ok("max([3, 7]...)"), n(7.0));
    assert_eq!(ok(r#"parseint("FF", 16)"#), n(255.0));
    assert_eq!(ok(r#"parseint("-101", 2)"#), n(-5.0));
    assert_eq!(ok("range(3)"), list(&[n(0.0), n(1.0), n(2.0)]));
    assert_eq!(ok("range(1, 7, 3)"), list(&[n(1.0), n(4.0)]));
    assert_eq!(ok("range(3, 1)"), list(&[n(3.0), n(2.0)]));
}

#[test]
fn encodings_and_hashes() {
    assert_eq!(
        ok(r#"jsonencode({ a = [1, "x", null] })"#),
        s(r#"{"a":[1,"x",null]}"#)
    );
    assert_eq!(
        ok(r#"jsondecode("{\"a\": [true]}")"#),
        obj(&[("a", list(&[b(true)]))])
    );
    assert_eq!(
        ok(r#"yamldecode("a: [1, b]")"#),
        obj(&[("a", list(&[n(1.0), s("b")]))])
    );
    assert_eq!(ok(r#"yamlencode({ a = 1 })"#), s("a: 1\n"));
    assert_eq!(ok(r#"base64encode("Hello")"#), s("SGVsbG8="));
    assert_eq!(ok(r#"base64decode("SGVsbG8=")"#), s("Hello"));
    assert_eq!(
        ok(r#"sha256("hello world")"#),
        s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
    );
    assert_eq!(
        ok(r#"md5("hello world")"#),
        s("5eb63bbbe01eeed093cb22bb8f5acdc3")
    );
    assert_eq!(
        ok(r#"uuidv5("dns", "www.terraform.io")"#),
        s("a5008fae-b28c-5ba5-96cd-82b4c53552d6")
    );
}

#[test]
fn dates_and_addresses() {
    assert_eq!(
        ok(r#"timeadd("2017-11-22T00:00:00Z", "10m")"#),
        s("2017-11-22T00:10:00Z")
    );
    assert_eq!(
        ok(r#"formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")"#),
        s("02 Jan 2018 23:12 UTC")
    );
    assert_eq!(
        ok(r#"formatdate("EEEE, H:mmaa 'at' ZZZZZ", "2018-01-02T23:12:01-08:00")"#),
        s("Tuesday, 11:12pm at -08:00")
    );
    // Unknown while planning, as in Terraform; known while applying.
    assert_eq!(ok("timestamp()"), Value::Unknown);
    let fixture = Fixture::new();
    let scope = fixture.scope().with_phase(crate::eval::Phase::Apply);
    let expr = hcl_edit::parser::parse_expr("timestamp()").expect("parses");
    let now = crate::eval::evaluate(
        &crate::config::Expr::new(expr, crate::diagnostics::FileId(0)),
        &scope,
    )
    .expect("evaluates");
    assert!(
        now.as_str()
            .is_some_and(|t| t.ends_with('Z') && t.len() == 20),
        "{now}"
    );
    assert_eq!(ok(r#"cidrhost("10.12.112.0/20", 16)"#), s("10.12.112.16"));
    assert_eq!(ok(r#"cidrhost("10.12.112.0/20", -2)"#), s("10.12.127.254"));
    assert_eq!(
        ok(r#"cidrhost("fd00:fd12:3456:7890::/56", 16)"#),
        s("fd00:fd12:3456:7800::10")
    );
}

#[test]
fn try_and_can() {
    assert_eq!(ok("try(var.tags.nope, \"fallback\")"), s("fallback"));
    assert_eq!(ok("try(var.tags.team, \"fallback\")"), s("iam"));
    assert_eq!(ok("can(var.tags.nope)"), b(false));
    assert_eq!(ok("can(var.tags.team)"), b(true));
    assert_eq!(ok("can(var.later.x)"), Value::Unknown);
    assert_eq!(ok("try(var.later, 1)"), Value::Unknown);
}

#[test]
fn filesystem_functions_resolve_against_the_configuration_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("greeting.txt"), "hi").expect("write");
    std::fs::write(
        dir.path().join("t.tpl"),
        "%{ for u in users }${u}=${upper(role)};%{ endfor }",
    )
    .expect("write");
    let fixture = Fixture::new();
    let mut scope = fixture.scope();
    scope.base_dir = Some(dir.path());
    let eval = |src: &str| {
        let expr = hcl_edit::parser::parse_expr(src).expect("parses");
        crate::eval::evaluate(
            &crate::config::Expr::new(expr, crate::diagnostics::FileId(0)),
            &scope,
        )
        .unwrap_or_else(|d| panic!("`{src}` failed: {d}"))
    };
    assert_eq!(eval(r#"file("greeting.txt")"#), s("hi"));
    assert_eq!(eval(r#"fileexists("greeting.txt")"#), b(true));
    assert_eq!(eval(r#"fileexists("nope.txt")"#), b(false));
    assert_eq!(
        eval(r#"templatefile("t.tpl", { users = ["a", "b"], role = "x" })"#),
        s("a=X;b=X;")
    );
    let abs = eval(r#"abspath("greeting.txt")"#);
    assert!(
        abs.as_str()
            .is_some_and(|p| p.ends_with("/greeting.txt") && p.starts_with('/'))
    );
    assert_eq!(eval(r#"basename("/a/b/c.txt")"#), s("c.txt"));
    assert_eq!(eval(r#"dirname("/a/b/c.txt")"#), s("/a/b"));
    assert_eq!(eval(r#"dirname("c.txt")"#), s("."));
}

#[test]
fn unknown_arguments_give_unknown_results() {
    for src in [
        "title(var.later)",
        "substr(var.later, 0, 1)",
        "sha256(var.later)",
        "jsonencode([var.later])",
        "cidrhost(var.later, 1)",
        "range(var.later)",
        "toset([var.later])",
        "keys(var.later)",
        "regex(\"a\", var.later)",
        "formatdate(\"YYYY\", var.later)",
    ] {
        assert!(ok(src).is_unknown(), "`{src}` should be unknown");
    }
    // Structural functions keep unknown elements where they are.
    assert_eq!(
        ok("reverse([var.later, 1])"),
        list(&[n(1.0), Value::Unknown])
    );
}

#[test]
fn sensitive_arguments_give_sensitive_results() {
    for src in [
        "sensitive(1)",
        "sha256(var.secret)",
        "base64encode(var.secret)",
        "jsonencode({ a = var.secret })",
        "title(var.secret)",
        "length(var.secret)",
        "toset([var.secret])",
        "keys(sensitive({ a = 1 }))",
        "sensitive(var.later)",
        "zipmap([var.secret], [1])",
        "try(var.secret, 1)",
    ] {
        assert!(ok(src).is_sensitive(), "`{src}` should be sensitive");
    }
    assert_eq!(ok("nonsensitive(var.secret)"), s("hunter2"));
    assert_eq!(ok("nonsensitive(\"plain\")"), s("plain"));
    // Element marks travel with their elements through structural functions.
    let v = ok("concat([var.secret], [\"x\"])");
    assert!(!v.is_sensitive() && v.contains_sensitive());
    let v = ok("merge(var.mixed, { extra = 1 })");
    assert!(!v.is_sensitive() && v.get("password").is_some_and(Value::is_sensitive));
    assert!(ok("lookup(var.mixed, \"password\")").is_sensitive());
    assert!(!ok("lookup(var.mixed, \"user\")").is_sensitive());
}

/// Every function, called with every combination of odd arguments, returns a value or a
/// diagnostic: it never panics.
#[test]
fn no_function_panics_on_odd_arguments() {
    const POOL: [&str; 16] = [
        "null",
        "var.later",
        "var.secret",
        "-1",
        "1e300",
        "0.5",
        "\"é\"",
        "\"\"",
        "[1, \"a\", null]",
        "{ a = 1 }",
        "[[var.later]]",
        "\"2017-11-22T00:00:00Z\"",
        "\"10.0.0.0/8\"",
        "true",
        "\"/\"",
        "\"-5\"",
    ];
    let fixture = Fixture::new();
    for name in super::names() {
        let mut calls = vec![format!("{name}()")];
        for a in POOL {
            calls.push(format!("{name}({a})"));
            calls.push(format!("{name}({a}...)"));
            for b in POOL {
                calls.push(format!("{name}({a}, {b})"));
                calls.push(format!("{name}({a}, {b}, {a})"));
            }
        }
        for src in calls {
            // A result or a diagnostic are both fine; reaching the next call is the point.
            let _ = fixture.eval(&src);
        }
    }
}
