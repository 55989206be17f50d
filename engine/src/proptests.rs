//! Property tests: no configuration text makes the loader, the validator, the graph
//! builder, the evaluator or the formatter panic.
//!
//! Inputs are the examples and test fixtures mutated at random (bytes replaced, inserted
//! or deleted; HCL tokens inserted; slices deleted or duplicated), generated expressions
//! over the functions, and the examples and fixtures with an attribute's value replaced
//! by a generated expression. The formatter must also be idempotent on whatever it
//! accepts. Case counts are capped so the whole file runs in a few seconds.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;

use crate::config::test_schema::schemas;
use crate::config::{Config, load_str, validate};
use crate::diagnostics::FileId;
use crate::eval::{Phase, Scope, Value, evaluate, evaluate_body};
use crate::graph::Graph;

/// Configuration texts to start from: the examples and the fixtures (read once).
fn seeds() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(read_seeds)
}

fn read_seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        root.join("../examples"),
        root.join("tests/fixtures/config"),
        root.join("tests/fixtures/fmt"),
    ] {
        collect(&dir, &mut out);
    }
    assert!(out.len() > 10, "too few seeds: {}", out.len());
    out
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("tf" | "tfvars" | "hcl")
        ) && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push(text);
        }
    }
}

/// Pieces of HCL that mutations insert.
const TOKENS: [&str; 40] = [
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "${",
    "%{",
    "=",
    "==",
    ",",
    ".",
    "...",
    "*",
    "?",
    ":",
    "=>",
    "-",
    "!",
    "&&",
    "\n",
    "#",
    "//",
    "/*",
    "*/",
    "<<EOT\n",
    "\nEOT\n",
    "for",
    "in",
    "if",
    "var.x",
    "local.y",
    "count.index",
    "each.value",
    "null",
    "1e308",
    "-0",
    "\"\\u{0}\"",
    "dynamic \"service\" {",
];

/// One random change to a text.
#[derive(Clone, Debug)]
enum Mutation {
    Replace(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Token(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 1..40usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Token(at, t)),
        (any::<usize>(), 1..80usize).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
    ]
}

/// Applies the mutations to the bytes of `text`; invalid UTF-8 is replaced.
fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for m in mutations {
        let len = bytes.len();
        let at = |i: usize| if len == 0 { 0 } else { i % (len + 1) };
        match *m {
            Mutation::Replace(i, b) if len > 0 => bytes[i % len] = b,
            Mutation::Replace(..) => {}
            Mutation::Insert(i, b) => bytes.insert(at(i), b),
            Mutation::Delete(i, n) => {
                let start = at(i);
                bytes.drain(start..(start + n).min(len));
            }
            Mutation::Token(i, t) => {
                let start = at(i);
                bytes.splice(start..start, TOKENS[t].bytes());
            }
            Mutation::Duplicate(i, n) => {
                let start = at(i);
                let slice = bytes[start..(start + n).min(len)].to_vec();
                bytes.splice(start..start, slice);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Runs every stage on `text`; the test fails only by panicking.
fn exercise(text: &str) {
    match crate::format::format(text, FileId(0)) {
        Ok(formatted) => {
            let again = crate::format::format(&formatted, FileId(0));
            assert_eq!(
                again.ok().as_deref(),
                Some(formatted.as_str()),
                "fmt not idempotent"
            );
        }
        Err(e) => assert!(
            hcl_edit::parser::parse_body(text).is_err(),
            "fmt refused valid syntax: {:?}\n{text}",
            e.0
        ),
    }
    let Ok(config) = load_str("main.tf", text) else {
        return;
    };
    let _ = validate(&config, &schemas());
    let _ = Graph::from_config(&config);
    let no_values = BTreeMap::new();
    let no_resources = BTreeMap::new();
    let empty = Scope::new(&no_values, &no_resources);
    let variables: BTreeMap<String, Value> = config
        .variables
        .iter()
        .filter_map(|v| Some((v.name.clone(), evaluate(v.default.as_ref()?, &empty).ok()?)))
        .collect();
    let resources = config
        .resources
        .iter()
        .map(|r| (r.address.clone(), Value::Unknown))
        .collect();
    // As given, then every variable sensitive, then every variable unknown at apply time.
    let sensitive = variables
        .iter()
        .map(|(k, v)| (k.clone(), Value::sensitive(v.clone())))
        .collect();
    let unknown = variables
        .keys()
        .map(|k| (k.clone(), Value::Unknown))
        .collect();
    for (variables, phase) in [
        (&variables, Phase::Plan),
        (&sensitive, Phase::Plan),
        (&unknown, Phase::Apply),
    ] {
        let scope = Scope::new(variables, &resources)
            .with_config(&config)
            .with_phase(phase);
        evaluate_everything(&config, &scope);
    }
}

fn evaluate_everything(config: &Config, scope: &Scope) {
    for resource in &config.resources {
        let _ = evaluate_body(&resource.body, scope);
    }
    for local in config.locals.values() {
        let _ = evaluate(&local.expr, scope);
    }
    for output in &config.outputs {
        let _ = evaluate(&output.value, scope);
    }
}

/// Functions the generator calls (not those reading files).
const FUNCTIONS: [&str; 40] = [
    "length",
    "lower",
    "upper",
    "title",
    "trimspace",
    "trim",
    "replace",
    "split",
    "join",
    "format",
    "formatlist",
    "concat",
    "merge",
    "lookup",
    "contains",
    "keys",
    "values",
    "toset",
    "tolist",
    "tomap",
    "tostring",
    "tonumber",
    "tobool",
    "coalesce",
    "flatten",
    "element",
    "index",
    "range",
    "zipmap",
    "slice",
    "sort",
    "try",
    "can",
    "jsondecode",
    "yamldecode",
    "substr",
    "regex",
    "parseint",
    "cidrhost",
    "formatdate",
];

/// HCL expressions, built recursively from literals and references.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (-1e6f64..1e6).prop_map(|n| n.to_string()),
        Just("1e400".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        "[a-z%$\\\\{}\"]{0,6}".prop_map(|s| format!("{s:?}")),
        Just("var.list".to_string()),
        Just("var.map".to_string()),
        Just("var.unknown".to_string()),
        Just("var.secret".to_string()),
        Just("local.self".to_string()),
        Just("pingone_group.g.id".to_string()),
    ];
    leaf.prop_recursive(4, 48, 4, |inner| {
        let args = prop::collection::vec(inner.clone(), 0..4);
        prop_oneof![
            (0..FUNCTIONS.len(), args.clone()).prop_map(|(f, a)| format!(
                "{}({})",
                FUNCTIONS[f],
                a.join(", ")
            )),
            args.clone().prop_map(|a| format!("[{}]", a.join(", "))),
            args.prop_map(|a| {
                let items: Vec<String> = a
                    .iter()
                    .enumerate()
                    .map(|(i, v)| format!("k{i} = {v}"))
                    .collect();
                format!("{{ {} }}", items.join(", "))
            }),
            (inner.clone(), 0..12usize, inner.clone()).prop_map(|(a, op, b)| {
                let ops = [
                    "+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||", "<=",
                ];
                format!("({a} {} {b})", ops[op])
            }),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            (inner.clone(), inner.clone())
                .prop_map(|(list, body)| format!("[for i, v in {list} : {body} if v != null]")),
            (inner.clone(), inner.clone())
                .prop_map(|(map, body)| format!("{{ for k, v in {map} : k => {body}... }}")),
            (inner.clone(), inner.clone()).prop_map(|(a, i)| format!("{a}[{i}]")),
            inner.clone().prop_map(|a| format!("{a}[*].id")),
            inner.clone().prop_map(|a| format!("-{a}")),
            inner.clone().prop_map(|a| format!("!{a}")),
            inner
                .clone()
                .prop_map(|a| format!("\"x${{{a}}}%{{ if {a} }}y%{{ endif }}\"")),
            inner.clone().prop_map(|a| format!("\"${{{a}}}\"")),
            inner.prop_map(|a| format!("sensitive({a})")),
        ]
    })
}

/// `text` with the value of its `line`-th single-line attribute (counting round) replaced
/// by `expr`.
fn replace_value(text: &str, line: usize, expr: &str) -> String {
    let single_line = |l: &&str| {
        l.split_once(" = ").is_some_and(|(_, v)| {
            let opens = v.matches(['{', '[', '(']).count();
            let closes = v.matches(['}', ']', ')']).count();
            opens == closes && !v.contains("<<")
        })
    };
    let candidates = text.lines().filter(single_line).count();
    if candidates == 0 {
        return text.to_string();
    }
    let target = line % candidates;
    let mut seen = 0;
    let mut out = String::new();
    for l in text.lines() {
        if single_line(&l) {
            if seen == target
                && let Some((name, _)) = l.split_once(" = ")
            {
                out.push_str(&format!("{name} = {expr}\n"));
                seen += 1;
                continue;
            }
            seen += 1;
        }
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// A configuration that uses `expr` in a local, an output and a resource.
fn with_expression(expr: &str) -> String {
    format!(
        "variable \"list\" {{\n  default = [1, \"a\", null]\n}}\n\
         variable \"map\" {{\n  default = {{ a = 1, b = [true] }}\n}}\n\
         variable \"unknown\" {{}}\n\
         variable \"secret\" {{\n  sensitive = true\n  default = \"s\"\n}}\n\
         locals {{\n  self = 1\n  x    = {expr}\n}}\n\
         resource \"pingone_group\" \"g\" {{\n  environment_id = \"e\"\n  name = {expr}\n}}\n\
         output \"o\" {{\n  value = {expr}\n}}\n"
    )
}

/// 192 cases from a fixed seed by default, so the suite is fast and repeatable; with
/// `PROPTEST_CASES=20000` (a longer hunt) the seed is random unless `PROPTEST_RNG_SEED`
/// gives one.
fn config() -> ProptestConfig {
    let defaults = ProptestConfig::default();
    let hunting = std::env::var_os("PROPTEST_CASES").is_some();
    let seeded = std::env::var_os("PROPTEST_RNG_SEED").is_some();
    ProptestConfig {
        cases: if hunting { defaults.cases } else { 192 },
        rng_seed: if hunting || seeded {
            defaults.rng_seed
        } else {
            proptest::test_runner::RngSeed::Fixed(0x5eed_f0a7)
        },
        failure_persistence: None,
        ..defaults
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_configurations_never_panic(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        let text = mutate(&seeds[seed.index(seeds.len())], &mutations);
        exercise(&text);
    }

    #[test]
    fn generated_expressions_never_panic(expr in expression()) {
        exercise(&with_expression(&expr));
    }

    #[test]
    fn generated_expressions_in_real_configurations_never_panic(
        seed in any::<prop::sample::Index>(),
        line in any::<usize>(),
        expr in expression(),
    ) {
        let seeds = seeds();
        exercise(&replace_value(&seeds[seed.index(seeds.len())], line, &expr));
    }
}
