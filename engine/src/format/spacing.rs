//! The spaces between two tokens on one line: Terraform's `spaceAfterToken` rules.
//!
//! Spaces around binary operators, `=`, `?`, `:` and `=>`, after commas and inside
//! braces (`{ a = 1 }`); none inside other brackets, around dots, before commas, between
//! a function name and its `(`, after a unary `-` or `!`, or anywhere inside a string.

use super::token::{Kind, Token};

/// Whether one space goes between `subject` and `after`; `before` is the token before
/// `subject` (`None` at the start of a cell).
pub(super) fn space_after(subject: &Token, before: Option<&Token>, after: Option<&Token>) -> bool {
    let Some(after) = after else {
        return false;
    };
    let before = before.map(|b| b.kind);
    let is_in_keyword = subject.text == "in" && before == Some(Kind::Ident);
    match (subject.kind, after.kind) {
        (_, Kind::Newline) => false,
        (Kind::Ident, Kind::OParen) => false,
        (Kind::Ident, Kind::DoubleColon) | (Kind::DoubleColon, Kind::Ident) => false,
        (Kind::Dot, _) | (_, Kind::Dot) => false,
        (_, Kind::Comma | Kind::Ellipsis) => false,
        (Kind::Comma, _) => true,
        (s, a) if inside_template(s, a) => false,
        (Kind::Ident, _) if is_in_keyword => true,
        (Kind::Ident, Kind::OBrack) | (Kind::Number, Kind::OBrack) => false,
        (s, Kind::OBrack) if s.bracket_change() < 0 => false,
        (Kind::Minus, _) => !is_negation(before),
        (Kind::Bang, _) => false,
        (Kind::OBrace, Kind::CBrace) => false,
        (Kind::OBrace, _) | (_, Kind::CBrace) => true,
        (Kind::TemplateInterp | Kind::TemplateControl, Kind::OBrace) => true,
        (Kind::CBrace, Kind::TemplateSeqEnd) => true,
        (Kind::TemplateSeqEnd, Kind::TemplateInterp | Kind::TemplateControl) => false,
        (s, _) if s.bracket_change() > 0 => false,
        (_, a) if a.bracket_change() < 0 => false,
        _ => true,
    }
}

/// Literal parts of strings and heredocs are never padded, nor is anything next to them.
fn inside_template(subject: Kind, after: Kind) -> bool {
    matches!(
        subject,
        Kind::QuotedLit | Kind::StringLit | Kind::OQuote | Kind::OHeredoc
    ) || matches!(
        after,
        Kind::QuotedLit | Kind::StringLit | Kind::CQuote | Kind::CHeredoc
    )
}

/// A `-` is a negation (no space after it) when what precedes it cannot end an operand.
fn is_negation(before: Option<Kind>) -> bool {
    match before {
        None => true,
        Some(kind) => matches!(
            kind,
            Kind::OParen
                | Kind::OBrace
                | Kind::OBrack
                | Kind::Equal
                | Kind::Colon
                | Kind::Comma
                | Kind::Question
                | Kind::FatArrow
                | Kind::Operator
                | Kind::Minus
                | Kind::Bang
                | Kind::TemplateInterp
                | Kind::TemplateControl
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(kind: Kind) -> Token<'static> {
        Token {
            kind,
            text: "x",
            spaces_before: 0,
        }
    }

    fn space(subject: Kind, before: Option<Kind>, after: Kind) -> bool {
        space_after(&tok(subject), before.map(tok).as_ref(), Some(&tok(after)))
    }

    #[test]
    fn minus_after_an_operand_is_subtraction() {
        assert!(space(Kind::Minus, Some(Kind::Ident), Kind::Number));
        assert!(space(Kind::Minus, Some(Kind::CParen), Kind::Number));
    }

    #[test]
    fn minus_after_a_separator_is_negation() {
        for before in [
            None,
            Some(Kind::Equal),
            Some(Kind::Comma),
            Some(Kind::Operator),
        ] {
            assert!(!space(Kind::Minus, before, Kind::Number), "{before:?}");
        }
    }

    #[test]
    fn braces_are_padded_but_empty_ones_are_not() {
        assert!(space(Kind::OBrace, None, Kind::Ident));
        assert!(space(Kind::Number, None, Kind::CBrace));
        assert!(!space(Kind::OBrace, None, Kind::CBrace));
        assert!(!space(Kind::OBrack, None, Kind::Number));
        assert!(!space(Kind::Number, None, Kind::CBrack));
    }

    #[test]
    fn nothing_is_padded_inside_a_string() {
        assert!(!space(Kind::OQuote, None, Kind::TemplateInterp));
        assert!(!space(Kind::TemplateSeqEnd, None, Kind::QuotedLit));
        assert!(!space(Kind::TemplateSeqEnd, None, Kind::CQuote));
    }
}
