//! Vertical alignment: in a run of consecutive lines that each assign a single-line
//! value, the `=` signs line up one space after the longest name; in a run of lines
//! with trailing comments, the comments line up one space after the longest code.
//! Any line without such a cell (blank, comment-only, a block header, a multi-line
//! value) ends the run.

use std::ops::Range;

use super::lines::Line;
use super::token::Token;

/// Aligns the `=` cells, then the comment cells.
pub(super) fn align(lines: &[Line], tokens: &mut [Token]) {
    let assign_runs = runs(lines, |l| l.assign.is_some());
    for run in assign_runs {
        let run = &lines[run];
        let width = |line: &Line, tokens: &[Token]| columns(tokens, &line.lead);
        pad_run(run, tokens, width, |l| l.assign.as_ref().map(|a| a.start));
    }
    let comment_runs = runs(lines, |l| l.comment.is_some());
    for run in comment_runs {
        let run = &lines[run];
        let width = |line: &Line, tokens: &[Token]| {
            columns(tokens, &line.lead) + line.assign.as_ref().map_or(0, |a| columns(tokens, a))
        };
        pad_run(run, tokens, width, |l| l.comment.as_ref().map(|c| c.start));
    }
}

/// Sets the spaces before each line's cell so they all start one column after the widest
/// text before them.
fn pad_run(
    run: &[Line],
    tokens: &mut [Token],
    width: impl Fn(&Line, &[Token]) -> usize,
    cell: impl Fn(&Line) -> Option<usize>,
) {
    let widest = run.iter().map(|l| width(l, tokens)).max().unwrap_or(0);
    for line in run {
        let before = width(line, tokens);
        if let Some(first) = cell(line) {
            tokens[first].spaces_before = widest - before + 1;
        }
    }
}

/// Ranges of consecutive lines for which `has_cell` holds.
fn runs(lines: &[Line], has_cell: impl Fn(&Line) -> bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, line) in lines.iter().enumerate() {
        match (has_cell(line), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..lines.len());
    }
    out
}

/// The width of a cell with its leading spaces.
fn columns(tokens: &[Token], cell: &Range<usize>) -> usize {
    tokens[cell.clone()].iter().map(Token::columns).sum()
}
