//! Formatter tests: before/after snapshots of the fixtures in `tests/fixtures/fmt/`,
//! idempotence on every fixture and every file under `examples/`, and error handling.

use std::path::{Path, PathBuf};

use super::format;
use crate::diagnostics::tests::render_all;
use crate::diagnostics::{FileId, SourceMap};

fn fmt(text: &str) -> String {
    format(text, FileId(0)).unwrap_or_else(|d| panic!("cannot format: {:?}\n{text}", d.0))
}

fn files_in(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot list {}", dir.display());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && recursive {
            files_in(&path, recursive, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("tf" | "tfvars" | "hcl")
        ) {
            out.push(path);
        }
    }
    out.sort();
}

fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt");
    files_in(&dir, false, &mut out);
    assert!(out.len() >= 8, "fixtures missing in {}", dir.display());
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn fixtures_format_as_snapshotted() {
    for path in fixtures() {
        let before = read(&path);
        let after = fmt(&before);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default().replace('.', "_");
        insta::assert_snapshot!(
            format!("fmt_{name}"),
            format!("{before}\n----- formatted -----\n{after}")
        );
    }
}

#[test]
fn formatting_is_idempotent_on_fixtures_and_examples() {
    let mut paths = fixtures();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    files_in(&examples, true, &mut paths);
    let configs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config/valid");
    files_in(&configs, true, &mut paths);
    assert!(paths.len() > 12, "{paths:?}");
    for path in paths {
        let once = fmt(&read(&path));
        let twice = fmt(&once);
        assert_eq!(once, twice, "{} is not stable", path.display());
    }
}

#[test]
fn already_formatted_text_is_unchanged() {
    let text = read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt/already_formatted.tf"),
    );
    assert_eq!(fmt(&text), text);
}

#[test]
fn equals_align_within_a_run_only() {
    let text = "a = 1\nbbb = 2\n\ncc = 3\n# note\nd = 4\neeeee = {\n  f = 1\n}\ng = 5\n";
    assert_eq!(
        fmt(text),
        "a   = 1\nbbb = 2\n\ncc = 3\n# note\nd = 4\neeeee = {\n  f = 1\n}\ng = 5\n"
    );
}

#[test]
fn trailing_comments_align() {
    assert_eq!(
        fmt("a = 1 # x\nbbb = \"two\" # y\n"),
        "a   = 1     # x\nbbb = \"two\" # y\n"
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n"), "");
    assert_eq!(fmt("# only\n"), "# only\n");
    assert_eq!(fmt("  # only"), "# only\n");
}

#[test]
fn string_contents_are_never_touched() {
    let text = "a = \"  x  =  y  \"\nb = \"${ x }  ${y}\"\n";
    assert_eq!(fmt(text), "a = \"  x  =  y  \"\nb = \"${x}  ${y}\"\n");
}

#[test]
fn crlf_line_endings_are_understood() {
    assert_eq!(fmt("a=1\r\nbb=2\r\n"), "a  = 1\r\nbb = 2\r\n");
}

#[test]
fn in_keyword_keeps_its_space_before_a_tuple() {
    assert_eq!(
        fmt("x = [for v in[1, 2]: v]\n"),
        "x = [for v in [1, 2] : v]\n"
    );
}

#[test]
fn syntax_errors_are_diagnostics_with_locations() {
    let text = "resource \"a\" \"b\" {\n  name = \n}\n";
    let diagnostic = format(text, FileId(0)).expect_err("syntax error");
    let mut sources = SourceMap::default();
    sources.add("main.tf".into(), "main.tf".into(), text.into());
    let report = render_all(&diagnostic, &sources);
    assert!(report.contains("main.tf:2:10"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn line_breaks_inside_quoted_strings_are_kept() {
    // hcl-edit accepts them, so the formatter must too, and leave them alone.
    assert_eq!(fmt("a  =  \"x\n  y\"\n"), "a = \"x\n  y\"\n");
}

#[test]
fn redundant_interpolation_is_unwrapped_in_arguments_only() {
    let text = "resource \"a\" \"b\" {\n  name = \"${var.name}\"\n  both = \"${var.a}${var.b}\"\n  text = \"x-${var.a}\"\n  strip = \"${~var.a}\"\n  obj = { k = \"${var.k}\" }\n  nested {\n    v = \"${ upper(\"${var.x}\") }\"\n  }\n}\n";
    assert_eq!(
        fmt(text),
        "resource \"a\" \"b\" {\n  name  = var.name\n  both  = \"${var.a}${var.b}\"\n  text  = \"x-${var.a}\"\n  strip = \"${~var.a}\"\n  obj   = { k = \"${var.k}\" }\n  nested {\n    v = upper(\"${var.x}\")\n  }\n}\n"
    );
}

#[test]
fn nested_redundant_interpolations_unwrap_in_one_run() {
    assert_eq!(fmt("a = \"${\"${true}\"}\"\n"), "a = true\n");
}

#[test]
fn multi_line_interpolation_is_parenthesized() {
    assert_eq!(
        fmt("a = \"${\n  var.x ?\n  1 : 2\n}\"\n"),
        "a = (var.x ?\n1 : 2)\n"
    );
}

#[test]
fn legacy_variable_types_become_type_expressions() {
    let text = "variable \"a\" {\n  type = \"string\"\n}\nvariable \"b\" {\n  type = \"list\"\n}\nvariable \"c\" {\n  type = map\n}\nvariable \"d\" {\n  type = \"other\"\n}\n";
    assert_eq!(
        fmt(text),
        "variable \"a\" {\n  type = string\n}\nvariable \"b\" {\n  type = list(string)\n}\nvariable \"c\" {\n  type = map(any)\n}\nvariable \"d\" {\n  type = \"other\"\n}\n"
    );
}

#[test]
fn escaped_template_sequences_are_literal() {
    assert_eq!(fmt("a = \"$$${x}\"\n"), "a = \"$$${x}\"\n");
    assert_eq!(fmt("a = \"$${ x }%%{ y }\"\n"), "a = \"$${ x }%%{ y }\"\n");
    assert_eq!(fmt("a = \"$$$${ x }\"\n"), "a = \"$$$${ x }\"\n");
    let parsed = hcl_edit::parser::parse_body("a = \"$$$${ x }\"\n").map(|b| {
        b.attributes()
            .map(|a| matches!(a.value, hcl_edit::expr::Expression::String(_)))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        parsed.ok(),
        Some(vec![true]),
        "hcl-edit reads it as a plain string too"
    );
}
