//! The two rewrites `terraform fmt` makes besides layout, on the parsed file: an argument
//! whose whole value is one interpolation loses the redundant quotes
//! (`name = "${var.name}"` becomes `name = var.name`), and a variable's legacy quoted
//! type becomes a type expression (`type = "string"` becomes `type = string`, `"list"`
//! `list(string)`, a bare `list` `list(any)`).
//!
//! Only arguments of blocks are touched (not values nested in objects), as in Terraform.

use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use hcl_edit::template::{Element, Strip};

/// `text` with the rewrites applied.
pub(super) fn cleanup(text: &str, body: &Body) -> String {
    let mut edits = Vec::new();
    collect(text, body, false, &mut edits);
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = text.to_string();
    for (range, replacement) in edits {
        if out.get(range.clone()).is_some() {
            out.replace_range(range, &replacement);
        }
    }
    out
}

fn collect(text: &str, body: &Body, in_variable: bool, edits: &mut Vec<(Range<usize>, String)>) {
    for attr in body.attributes() {
        let edit = if in_variable && attr.key.as_str() == "type" {
            type_expression(&attr.value)
        } else {
            unwrapped_interpolation(text, &attr.value)
        };
        if let (Some(range), Some(replacement)) = (attr.value.span(), edit) {
            edits.push((range, replacement));
        }
    }
    for block in body.blocks() {
        let is_variable = block.ident.as_str() == "variable";
        collect(text, &block.body, is_variable, edits);
    }
}

/// `"${expr}"` as `expr` (in parentheses if it spans lines).
fn unwrapped_interpolation(text: &str, value: &Expression) -> Option<String> {
    let Expression::StringTemplate(template) = value else {
        return None;
    };
    let elements: Vec<&Element> = template.iter().collect();
    let [Element::Interpolation(interpolation)] = elements.as_slice() else {
        return None;
    };
    if interpolation.strip != Strip::None {
        return None;
    }
    // `"${"${x}"}"` unwraps all the way, so that a second run changes nothing.
    if let Some(deeper) = unwrapped_interpolation(text, &interpolation.expr) {
        return Some(deeper);
    }
    let inner = text.get(interpolation.expr.span()?)?.trim();
    let wrapped = inner.starts_with('(') && inner.ends_with(')');
    Some(if inner.contains('\n') && !wrapped {
        format!("({inner})")
    } else {
        inner.to_string()
    })
}

/// A legacy quoted (or bare collection) type as a type expression.
fn type_expression(value: &Expression) -> Option<String> {
    let rewritten = match value {
        Expression::String(s) => match s.value().as_str() {
            "string" => "string",
            "list" => "list(string)",
            "map" => "map(string)",
            _ => return None,
        },
        Expression::Variable(v) => match v.as_str() {
            "list" => "list(any)",
            "map" => "map(any)",
            _ => return None,
        },
        _ => return None,
    };
    Some(rewritten.to_string())
}
