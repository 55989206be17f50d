//! Cutting the token stream into lines, and each line into Terraform's three cells:
//! the lead, the assignment (from a top-level `=` whose right side closes on the same
//! line) and a trailing comment.

use std::ops::Range;

use super::token::{Kind, Token};

/// One source line as token indices: `lead`, then optionally `assign` and `comment`.
#[derive(Clone, Debug)]
pub(super) struct Line {
    /// Everything up to the assignment or comment.
    pub(super) lead: Range<usize>,
    /// From the `=` of a single-line attribute to the end of its value.
    pub(super) assign: Option<Range<usize>>,
    /// A trailing `#`/`//` comment after code.
    pub(super) comment: Option<Range<usize>>,
}

impl Line {
    /// True for a line with nothing but its line break.
    pub(super) fn is_blank(&self, tokens: &[Token]) -> bool {
        self.assign.is_none()
            && self.comment.is_none()
            && self.lead.len() == 1
            && tokens[self.lead.start].kind == Kind::Newline
    }

    /// Every token of the line, in order.
    pub(super) fn all(&self) -> Range<usize> {
        let end = [&self.comment, &self.assign]
            .into_iter()
            .flatten()
            .map(|r| r.end)
            .next()
            .unwrap_or(self.lead.end);
        self.lead.start..end
    }
}

/// Splits `tokens` into lines (a heredoc stays in the line that opens it).
pub(super) fn split(tokens: &[Token]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.ends_line() {
            lines.push(cells(tokens, start..i + 1));
            start = i + 1;
        }
    }
    if start < tokens.len() {
        lines.push(cells(tokens, start..tokens.len()));
    }
    lines
}

/// Finds the comment and assignment cells of one line.
fn cells(tokens: &[Token], range: Range<usize>) -> Line {
    let mut lead = range.clone();
    let mut comment = None;
    if lead.len() > 1 && tokens[lead.end - 1].kind == Kind::Comment {
        comment = Some(lead.end - 1..lead.end);
        lead.end -= 1;
    }
    let mut assign = None;
    if let Some(eq) = (lead.start + 1..lead.end).find(|&i| tokens[i].kind == Kind::Equal)
        && net_brackets(&tokens[eq..lead.end]) == 0
    {
        assign = Some(eq..lead.end);
        lead.end = eq;
    }
    Line {
        lead,
        assign,
        comment,
    }
}

/// Opened minus closed brackets, not counting past a heredoc's opening marker.
pub(super) fn net_brackets(tokens: &[Token]) -> i32 {
    let mut net = 0;
    for token in tokens {
        net += token.kind.bracket_change();
        if token.kind == Kind::OHeredoc {
            break;
        }
    }
    net
}
