//! Tests for the evaluator: every expression form, unknown propagation, and error spans.

use std::collections::BTreeMap;

use super::*;
use crate::address::ResourceAddress;
use crate::config::{Expr, load_str};
use crate::diagnostics::tests::render;
use crate::diagnostics::{Diagnostic, FileId, SourceMap};

pub(super) fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

pub(super) fn list(items: &[Value]) -> Value {
    Value::List(items.to_vec())
}

pub(super) fn s(text: &str) -> Value {
    Value::from(text)
}

pub(super) fn n(x: f64) -> Value {
    Value::Number(x)
}

pub(super) struct Fixture {
    variables: BTreeMap<String, Value>,
    resources: BTreeMap<ResourceAddress, Value>,
}

impl Fixture {
    pub(super) fn new() -> Self {
        let variables = BTreeMap::from([
            ("env".to_string(), s("dev")),
            ("count".to_string(), n(3.0)),
            ("flag".to_string(), Value::Bool(true)),
            ("names".to_string(), list(&[s("a"), s("b"), s("c")])),
            (
                "tags".to_string(),
                obj(&[("team", s("iam")), ("tier", s("1"))]),
            ),
            (
                "users".to_string(),
                list(&[
                    obj(&[("name", s("ann")), ("admin", Value::Bool(true))]),
                    obj(&[("name", s("bob")), ("admin", Value::Bool(false))]),
                ]),
            ),
            ("nothing".to_string(), Value::Null),
            ("later".to_string(), Value::Unknown),
            ("secret".to_string(), Value::sensitive(s("hunter2"))),
            (
                "mixed".to_string(),
                obj(&[("user", s("ann")), ("password", Value::sensitive(s("pw")))]),
            ),
        ]);
        let resources = BTreeMap::from([
            (
                ResourceAddress::new("pingone_population", "staff"),
                obj(&[("id", s("pop-1")), ("name", s("Staff"))]),
            ),
            (
                ResourceAddress::new("pingone_population", "new"),
                Value::Unknown,
            ),
            (
                ResourceAddress::new("pingone_group", "partial"),
                obj(&[("id", Value::Unknown), ("name", s("Admins"))]),
            ),
        ]);
        Self {
            variables,
            resources,
        }
    }

    pub(super) fn scope(&self) -> Scope<'_> {
        Scope::new(&self.variables, &self.resources)
    }

    pub(super) fn eval(&self, src: &str) -> Result<Value, Diagnostic> {
        let expr = hcl_edit::parser::parse_expr(src)
            .unwrap_or_else(|e| panic!("cannot parse `{src}`: {e}"));
        evaluate(&Expr::new(expr, FileId(0)), &self.scope())
    }
}

#[track_caller]
pub(super) fn ok(src: &str) -> Value {
    Fixture::new()
        .eval(src)
        .unwrap_or_else(|d| panic!("`{src}` failed: {d}"))
}

/// The error for `src`, and the text its span covers.
#[track_caller]
pub(super) fn err(src: &str) -> (Diagnostic, String) {
    let d = match Fixture::new().eval(src) {
        Ok(v) => panic!("`{src}` should fail but gave {v}"),
        Err(d) => d,
    };
    let span = d.span.clone().expect("error has a span");
    (d, src[span.range].to_string())
}

/// The rendered report for the error of `src`.
pub(super) fn report(src: &str) -> String {
    let (d, _) = err(src);
    let mut sources = SourceMap::default();
    sources.add("expr.tf".into(), "expr.tf".into(), src.to_string());
    render(&d, &sources)
}

#[test]
fn literals() {
    assert_eq!(ok("null"), Value::Null);
    assert_eq!(ok("true"), Value::Bool(true));
    assert_eq!(ok("1.5"), n(1.5));
    assert_eq!(ok("1e3"), n(1000.0));
    assert_eq!(ok(r#""a\tb\"c""#), s("a\tb\"c"));
}

#[test]
fn templates_interpolate_and_convert() {
    assert_eq!(ok(r#""admins-${var.env}""#), s("admins-dev"));
    assert_eq!(
        ok(r#""${var.count} users, ${var.flag}""#),
        s("3 users, true")
    );
    assert_eq!(
        ok(r#""literal $${x} and %%{y}""#),
        s("literal ${x} and %{y}")
    );
    // A lone interpolation keeps the value's type.
    assert_eq!(ok(r#""${var.names}""#), list(&[s("a"), s("b"), s("c")]));
}

#[test]
fn template_directives_and_strip_markers() {
    assert_eq!(ok(r#""%{ if var.flag }on%{ else }off%{ endif }""#), s("on"));
    assert_eq!(
        ok(r#""%{ if !var.flag }on%{ else }off%{ endif }""#),
        s("off")
    );
    assert_eq!(ok(r#""%{ if false }on%{ endif }!""#), s("!"));
    assert_eq!(
        ok(r#""%{ for n in var.names }${n},%{ endfor }""#),
        s("a,b,c,")
    );
    assert_eq!(
        ok(r#""%{ for i, n in var.names }${i}=${n} %{ endfor }""#),
        s("0=a 1=b 2=c ")
    );
    assert_eq!(
        ok(r#""%{ for k, v in var.tags }${k}:${v};%{ endfor }""#),
        s("team:iam;tier:1;")
    );
    assert_eq!(ok(r#""a ${~ "b" ~} c""#), s("abc"));
    assert_eq!(ok(r#""[ %{~ if true ~} x %{~ endif ~} ]""#), s("[x]"));
    assert_eq!(
        ok(r#""%{ for n in var.names ~} ${n} %{~ endfor }""#),
        s("abc")
    );
}

#[test]
fn heredocs() {
    assert_eq!(ok("<<EOT\nhello ${var.env}\nEOT"), s("hello dev\n"));
    assert_eq!(ok("<<-EOT\n    a\n      b\n    EOT"), s("a\n  b\n"));
}

#[test]
fn arrays_and_objects() {
    assert_eq!(
        ok("[1, \"two\", [true]]"),
        list(&[n(1.0), s("two"), list(&[Value::Bool(true)])])
    );
    assert_eq!(
        ok(r#"{ a = 1, "b c" = 2, (var.env) = 3, "${var.env}x" = 4 }"#),
        obj(&[
            ("a", n(1.0)),
            ("b c", n(2.0)),
            ("dev", n(3.0)),
            ("devx", n(4.0))
        ])
    );
    assert_eq!(
        ok("{\n  a = 1\n  b = { c = [] }\n}"),
        obj(&[("a", n(1.0)), ("b", obj(&[("c", list(&[]))]))])
    );
}

#[test]
fn traversals() {
    assert_eq!(ok("var.env"), s("dev"));
    assert_eq!(ok("var.tags.team"), s("iam"));
    assert_eq!(ok(r#"var.tags["tier"]"#), s("1"));
    assert_eq!(ok("var.names[1]"), s("b"));
    assert_eq!(ok(r#"var.names["2"]"#), s("c"));
    assert_eq!(ok("var.names.0"), s("a"));
    assert_eq!(ok("var.users[1].name"), s("bob"));
    assert_eq!(ok("pingone_population.staff.id"), s("pop-1"));
    assert_eq!(
        ok("pingone_population.staff").get("name"),
        Some(&s("Staff"))
    );
    assert_eq!(ok("(var.tags).team"), s("iam"));
    assert_eq!(ok("[10, 20][var.count - 2]"), n(20.0));
}

#[test]
fn splats() {
    assert_eq!(ok("var.users[*].name"), list(&[s("ann"), s("bob")]));
    assert_eq!(ok("var.users.*.name"), list(&[s("ann"), s("bob")]));
    let nested = "[{ a = [1, 2] }, { a = [3] }]";
    assert_eq!(ok(&format!("{nested}[*].a[0]")), list(&[n(1.0), n(3.0)]));
    // An attribute splat applies only the attributes; the index applies to the result.
    assert_eq!(ok(&format!("{nested}.*.a[0]")), list(&[n(1.0), n(2.0)]));
    assert_eq!(ok("var.users.*.name[0]"), s("ann"));
    assert_eq!(ok("var.nothing[*]"), list(&[]));
    assert_eq!(ok("var.tags[*].team"), list(&[s("iam")]));
    assert_eq!(ok("var.later[*].id"), Value::Unknown);
}

#[test]
fn operators() {
    assert_eq!(ok("1 + 2 * 3"), n(7.0));
    assert_eq!(ok("(1 + 2) * 3"), n(9.0));
    assert_eq!(ok("7 % 4 - 10 / 4"), n(0.5));
    assert_eq!(ok("-var.count"), n(-3.0));
    assert_eq!(ok(r#""1" + 2"#), n(3.0));
    assert_eq!(ok("var.count >= 3 && var.count < 4"), Value::Bool(true));
    assert_eq!(ok("1 > 2 || !true"), Value::Bool(false));
    assert_eq!(
        ok(r#"var.tags == { team = "iam", tier = "1" }"#),
        Value::Bool(true)
    );
    assert_eq!(ok("[1, 2] != [1, 2]"), Value::Bool(false));
    assert_eq!(ok(r#"1 == "1""#), Value::Bool(false));
    assert_eq!(ok("null == var.nothing"), Value::Bool(true));
}

#[test]
fn conditionals() {
    assert_eq!(ok(r#"var.env == "dev" ? "small" : "large""#), s("small"));
    assert_eq!(ok("var.flag ? 1 : var.missing_is_not_evaluated"), n(1.0));
    assert_eq!(ok(r#"var.count > 5 ? "big" : "small""#), s("small"));
}

#[test]
fn for_expressions() {
    assert_eq!(
        ok("[for n in var.names : upper(n)]"),
        list(&[s("A"), s("B"), s("C")])
    );
    assert_eq!(
        ok("[for i, n in var.names : i if n != \"b\"]"),
        list(&[n(0.0), n(2.0)])
    );
    assert_eq!(
        ok("{for u in var.users : u.name => u.admin}"),
        obj(&[("ann", Value::Bool(true)), ("bob", Value::Bool(false))])
    );
    assert_eq!(
        ok("{for k, v in var.tags : v => k}"),
        obj(&[("1", s("tier")), ("iam", s("team"))])
    );
    assert_eq!(
        ok("{for u in var.users : u.admin => u.name...}"),
        obj(&[("false", list(&[s("bob")])), ("true", list(&[s("ann")]))])
    );
    assert_eq!(ok("[for n in [] : n]"), list(&[]));
    // A bound name shadows nothing outside its `for`.
    assert_eq!(ok("[for var in [1] : var]"), list(&[n(1.0)]));
}

#[test]
fn functions() {
    assert_eq!(ok("length(var.names)"), n(3.0));
    assert_eq!(ok("length(var.tags)"), n(2.0));
    assert_eq!(ok(r#"length("héllo")"#), n(5.0));
    assert_eq!(ok(r#"lower("AbC")"#), s("abc"));
    assert_eq!(ok(r#"upper("AbC")"#), s("ABC"));
    assert_eq!(ok("trimspace(\"  a b \\n\")"), s("a b"));
    assert_eq!(ok(r#"join(", ", var.names)"#), s("a, b, c"));
    assert_eq!(ok(r#"join("-", ["x"], [1, true])"#), s("x-1-true"));
    assert_eq!(
        ok(r#"split(",", "a,b,,c")"#),
        list(&[s("a"), s("b"), s(""), s("c")])
    );
    assert_eq!(ok(r#"split("", "ab")"#), list(&[s("a"), s("b")]));
    assert_eq!(
        ok("concat(var.names, [1], [])"),
        list(&[s("a"), s("b"), s("c"), n(1.0)])
    );
    assert_eq!(
        ok("merge(var.tags, { tier = 2 }, null)"),
        obj(&[("team", s("iam")), ("tier", n(2.0))])
    );
    assert_eq!(ok(r#"lookup(var.tags, "team")"#), s("iam"));
    assert_eq!(ok(r#"lookup(var.tags, "nope", "dflt")"#), s("dflt"));
    assert_eq!(ok(r#"contains(var.names, "b")"#), Value::Bool(true));
    assert_eq!(ok("contains([[1]], [1])"), Value::Bool(true));
    assert_eq!(ok(r#"coalesce(null, "", "x", "y")"#), s("x"));
    assert_eq!(ok(r#"replace("a-b-c", "-", "+")"#), s("a+b+c"));
    assert_eq!(
        ok(r#"replace("v1.2.3", "/v(\\d+)\\..*/", "major $1")"#),
        s("major 1")
    );
    assert_eq!(ok("tostring(12)"), s("12"));
    assert_eq!(ok("tostring(null)"), Value::Null);
    assert_eq!(ok(r#"tonumber("1.25")"#), n(1.25));
    assert_eq!(ok(r#"tobool("true")"#), Value::Bool(true));
    assert_eq!(
        ok("join(\",\", concat([var.names, [\"d\"]]...))"),
        s("a,b,c,d")
    );
}

#[test]
fn format_verbs() {
    assert_eq!(ok(r#"format("%s-%d", "a", 7)"#), s("a-7"));
    assert_eq!(
        ok(r#"format("%v|%v|%v", "s", 1.5, [1, "x"])"#),
        s(r#"s|1.5|[1,"x"]"#)
    );
    assert_eq!(ok(r#"format("%q", "a\"b")"#), s(r#""a\"b""#));
    assert_eq!(ok(r#"format("100%% %t", true)"#), s("100% true"));
    assert_eq!(
        ok(r#"format("[%5s][%-4d][%03d][%.2f][%+d]", "ab", 7, -5, 3.14159, 2)"#),
        s("[   ab][7   ][-05][3.14][+2]")
    );
}

#[test]
fn unknown_propagates() {
    let unknown = [
        "var.later",
        "var.later.id",
        "var.later[0]",
        "var.names[var.later]",
        "pingone_population.new.id",
        "pingone_group.partial.id",
        r#""id-${pingone_population.new.id}""#,
        r#""%{ if var.later }x%{ endif }""#,
        r#""%{ for x in var.later }x%{ endfor }""#,
        "var.later + 1",
        "-var.later",
        "!var.later",
        "var.later == 1",
        "[var.later] == [1]",
        "true && var.later",
        "var.later ? 1 : 2",
        "[for x in var.later : x]",
        "[for x in var.names : x if var.later]",
        "{for x in var.names : var.later => x}",
        "{ (var.later) = 1 }",
        "upper(var.later)",
        "join(\",\", [\"a\", var.later])",
        "format(\"%s\", var.later)",
        "coalesce(null, var.later, \"x\")",
        "merge(var.later)",
        "concat(var.later...)",
    ];
    for src in unknown {
        assert_eq!(ok(src), Value::Unknown, "{src}");
    }
}

#[test]
fn unknown_inside_known_values_stays_inside() {
    assert_eq!(ok("[var.later, 1]"), list(&[Value::Unknown, n(1.0)]));
    assert_eq!(ok("length([var.later, 1])"), n(2.0));
    assert_eq!(ok("pingone_group.partial.name"), s("Admins"));
    assert_eq!(ok("false && var.later"), Value::Bool(false));
    assert_eq!(ok("var.later || true"), Value::Bool(true));
    assert_eq!(ok("coalesce(\"x\", var.later)"), s("x"));
    assert_eq!(ok("lookup({ a = var.later }, \"a\")"), Value::Unknown);
    assert_eq!(ok("var.flag ? var.later : 1"), Value::Unknown);
    assert_eq!(ok("var.flag ? 1 : var.later"), n(1.0));
}

#[test]
fn errors_span_the_exact_sub_expression() {
    let cases = [
        (
            r#""admins-${var.envv}""#,
            "Reference to undeclared input variable",
            "var.envv",
        ),
        (
            "pingone_population.staff.idd",
            "Unsupported attribute",
            ".idd",
        ),
        (
            "pingone_population.nope.id",
            "Reference to undeclared resource",
            "pingone_population.nope",
        ),
        (r#""a" + 1"#, "Invalid operand", r#""a""#),
        ("1 + var.tags", "Invalid operand", "var.tags"),
        ("!var.count", "Invalid operand", "var.count"),
        (
            "upper(var.env) + uper(var.env)",
            "Call to unknown function",
            "uper",
        ),
        ("var.names[5]", "Invalid index", "[5]"),
        (r#"var.tags["x"]"#, "Invalid index", r#"["x"]"#),
        (
            "var.nothing.x",
            "Attempt to get attribute from null value",
            ".x",
        ),
        ("var.users.name", "Unsupported attribute", ".name"),
        (
            r#""x${var.names}""#,
            "Invalid template interpolation value",
            "var.names",
        ),
        (
            r#""x${var.nothing}""#,
            "Invalid template interpolation value",
            "var.nothing",
        ),
        ("var.count ? 1 : 2", "Incorrect condition type", "var.count"),
        ("[for x in 5 : x]", "Iteration over non-iterable value", "5"),
        (
            "{for x in var.names : \"k\" => x}",
            "Duplicate object key",
            "\"k\"",
        ),
        ("length(5)", "Invalid function argument", "5"),
        ("lower()", "Not enough function arguments", "lower()"),
        (
            "lower(\"a\", \"b\")",
            "Too many function arguments",
            "\"b\"",
        ),
        ("tonumber(\"x1\")", "Invalid function argument", "\"x1\""),
        (
            "format(\"%s %s\", \"a\")",
            "Error in function call `format`",
            "format(\"%s %s\", \"a\")",
        ),
        ("1 / (var.count - 3)", "Division by zero", "(var.count - 3)"),
        ("var", "Invalid reference", "var"),
        ("local.x", "Reference to undeclared local value", "local.x"),
        (
            "pingone_population",
            "Invalid reference",
            "pingone_population",
        ),
        ("x", "Invalid reference", "x"),
        (
            "{ (var.env) = 1, dev = 2 }",
            "Duplicate object attribute",
            "dev",
        ),
    ];
    for (src, summary, spanned) in cases {
        let (d, text) = err(src);
        assert_eq!(
            (d.summary.as_str(), text.as_str()),
            (summary, spanned),
            "{src}"
        );
    }
}

#[test]
fn undeclared_variable_report() {
    insta::assert_snapshot!(report(r#""admins-${var.envv}""#));
}

#[test]
fn unsupported_attribute_report() {
    insta::assert_snapshot!(report("pingone_population.staff.nmae"));
}

#[test]
fn unknown_function_report() {
    insta::assert_snapshot!(report("uper(var.env)"));
}

#[test]
fn invalid_operand_report() {
    insta::assert_snapshot!(report(r#"var.count + "many""#));
}

#[test]
fn evaluate_body_collects_every_error() {
    let config = load_str(
        "main.tf",
        "resource \"pingone_group\" \"g\" {\n  name = var.nope\n  description = \"${var.env}\"\n  x = 1 + true\n}\n",
    )
    .expect("valid syntax");
    let fixture = Fixture::new();
    let body = &config.resources[0].body;
    let errors = evaluate_body(body, &fixture.scope()).expect_err("two errors");
    let summaries: Vec<_> = errors.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(
        summaries,
        ["Reference to undeclared input variable", "Invalid operand"]
    );

    let config = load_str(
        "main.tf",
        "resource \"a_b\" \"c\" {\n  n = var.count\n  d = var.env\n}\n",
    )
    .expect("valid syntax");
    let value = evaluate_body(&config.resources[0].body, &fixture.scope()).expect("valid body");
    assert_eq!(value, obj(&[("d", s("dev")), ("n", n(3.0))]));
}
