//! Diagnostics in the JSON shape of `terraform validate -json`, for editors and CI:
//! `format_version`, `valid`, `error_count`, `warning_count`, and `diagnostics[]` with
//! `severity`, `summary`, `detail` and a `range` (file, start and end as line, column and
//! byte offset; lines and columns 1-based, columns in characters).

use serde_json::{Value as Json, json};

use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceMap, Span};

/// The whole `validate --json` document.
pub fn render(diagnostics: &Diagnostics, sources: &SourceMap) -> Json {
    let errors = diagnostics.errors().count();
    let warnings = diagnostics.warnings().count();
    json!({
        "format_version": "1.0",
        "valid": errors == 0,
        "error_count": errors,
        "warning_count": warnings,
        "diagnostics": diagnostics.iter().map(|d| diagnostic(d, sources)).collect::<Vec<_>>(),
    })
}

fn diagnostic(d: &Diagnostic, sources: &SourceMap) -> Json {
    let mut out = json!({
        "severity": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "summary": d.summary,
        "detail": detail(d),
    });
    if let (Some(span), Some(map)) = (&d.span, out.as_object_mut()) {
        map.insert("range".into(), range(span, sources));
    }
    out
}

/// The detail, with the help appended the way Terraform words advice in its details.
fn detail(d: &Diagnostic) -> String {
    match (&d.detail, &d.help) {
        (Some(detail), Some(help)) => format!("{detail}\n\nHint: {help}"),
        (Some(detail), None) => detail.clone(),
        (None, Some(help)) => format!("Hint: {help}"),
        (None, None) => String::new(),
    }
}

fn range(span: &Span, sources: &SourceMap) -> Json {
    let position = |byte: usize| {
        let (line, column) = sources.line_col(&Span::new(span.file, byte..byte));
        json!({ "line": line, "column": column, "byte": byte })
    };
    json!({
        "filename": sources.name(span.file),
        "start": position(span.range.start),
        "end": position(span.range.end),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_terraforms_shape() {
        let mut sources = SourceMap::default();
        let file = sources.add("main.tf".into(), "main.tf".into(), "a = 1\nbé = x\n".into());
        let diags = Diagnostics(vec![
            Diagnostic::error("Unsupported argument")
                .with_span(Span::new(file, 6..9), "here")
                .with_detail("Not expected.")
                .with_help("remove it"),
            Diagnostic::warning("Something odd"),
        ]);
        let json = render(&diags, &sources);
        assert_eq!(
            json,
            json!({
                "format_version": "1.0",
                "valid": false,
                "error_count": 1,
                "warning_count": 1,
                "diagnostics": [
                    {
                        "severity": "error",
                        "summary": "Unsupported argument",
                        "detail": "Not expected.\n\nHint: remove it",
                        "range": {
                            "filename": "main.tf",
                            "start": {"line": 2, "column": 1, "byte": 6},
                            "end": {"line": 2, "column": 3, "byte": 9}
                        }
                    },
                    {"severity": "warning", "summary": "Something odd", "detail": ""}
                ]
            })
        );
    }
}
