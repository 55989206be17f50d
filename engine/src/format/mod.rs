//! `pingform fmt`: rewriting configuration files in the canonical layout `terraform fmt`
//! produces.
//!
//! The text is first parsed with hcl-edit, so a file with a syntax error is reported and
//! left alone. It is then split into tokens (`token`) and lines (`lines`); each line is
//! indented by its bracket depth (`indent`), the tokens within it are spaced by
//! Terraform's rules (`spacing`), and the `=` signs and trailing comments of consecutive
//! lines are aligned (`alignment`). Only whitespace changes, apart from runs of blank
//! lines, which shrink to one, a missing final newline, which is added, and Terraform's
//! two value rewrites (`cleanup`: `"${var.x}"` to `var.x`, `type = "string"` to
//! `type = string`). The result is parsed again before it is returned, so formatting
//! never breaks a file.

mod alignment;
mod cleanup;
mod indent;
mod lines;
mod spacing;
mod token;

#[cfg(test)]
mod tests;

use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Span};
use lines::Line;
use token::Token;

/// Formats the text of one configuration or variables file; `file` names it in the
/// diagnostic returned for a syntax error (one error, the first hcl-edit finds).
pub fn format(text: &str, file: FileId) -> Result<String, Diagnostics> {
    let body = match hcl_edit::parser::parse_body(text) {
        Ok(body) => body,
        Err(e) => return Err(crate::config::syntax_error(&e, file, text).into()),
    };
    let text = &cleanup::cleanup(text, &body);
    let mut tokens = token::tokenize(text).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error("Cannot format this file")
                .with_span(Span::new(file, e.offset..e.offset), e.message)
                .with_detail(
                    "pingform fmt could not read this construct; the file is left unchanged.",
                ),
        )
    })?;
    let formatted = layout(&mut tokens);
    if hcl_edit::parser::parse_body(&formatted).is_err() {
        return Err(Diagnostic::error("Cannot format this file")
            .with_span(Span::new(file, 0..0), "left unchanged")
            .with_detail(
                "Formatting would have produced invalid syntax, which is a bug in pingform; \
                 the file is left unchanged.",
            )
            .into());
    }
    Ok(formatted)
}

/// Lays out the tokens and renders them as text.
fn layout(tokens: &mut [Token]) -> String {
    let lines = lines::split(tokens);
    indent::indent(&lines, tokens);
    for line in &lines {
        space_cell(tokens, line.lead.clone());
        if let Some(assign) = line.assign.clone() {
            tokens[assign.start].spaces_before = 1;
            space_cell(tokens, assign);
        }
    }
    alignment::align(&lines, tokens);
    render(&lines, tokens)
}

/// Sets the spaces between the tokens of one cell.
fn space_cell(tokens: &mut [Token], cell: std::ops::Range<usize>) {
    for i in cell.start..cell.end.saturating_sub(1) {
        let before = (i > cell.start).then(|| &tokens[i - 1]);
        let space = spacing::space_after(&tokens[i], before, Some(&tokens[i + 1]));
        tokens[i + 1].spaces_before = usize::from(space);
    }
}

/// The text of the lines, with at most one blank line in a row, none at the start or
/// the end, and a final newline.
fn render(lines: &[Line], tokens: &[Token]) -> String {
    let mut out = String::new();
    let mut previous_blank = true;
    for line in lines {
        let blank = line.is_blank(tokens);
        if blank && previous_blank {
            continue;
        }
        previous_blank = blank;
        for token in &tokens[line.all()] {
            out.extend(std::iter::repeat_n(' ', token.spaces_before));
            out.push_str(token.text);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}
