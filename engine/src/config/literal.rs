//! A configured value as far as it is known without evaluating anything, with spans.
//!
//! `validate` checks attribute values against their schema before variables exist, so
//! it reads what is written literally: strings, numbers, bools, lists and objects, and
//! nested blocks as the objects they make. Anything else (a reference, a call, a `for`)
//! is [`LitKind::Opaque`] and left for plan, which checks the evaluated value: it builds
//! the same tree from a [`Value`], every node spanning the attribute.

use hcl_edit::expr::{Expression, ObjectKey};

use super::model::{Body, Expr};
use super::nested::{BlockSource, NestedBlock, Nesting};
use crate::diagnostics::{FileId, Span};
use crate::eval::Value;

/// A value and where it is written.
#[derive(Clone, Debug)]
pub(crate) struct Lit {
    /// What it is.
    pub kind: LitKind,
    /// The value's text (or, for a value from plan, its attribute's).
    pub span: Span,
}

/// The kinds of literal value.
#[derive(Clone, Debug)]
pub(crate) enum LitKind {
    /// Not known without evaluating (or sensitive, at plan).
    Opaque,
    /// `null`.
    Null,
    /// A string without interpolations.
    String(String),
    /// A number.
    Number,
    /// A bool.
    Bool,
    /// A list, set or tuple.
    List(Vec<Lit>),
    /// An object or map.
    Object(Vec<Entry>),
}

/// One `key = value` of an object.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// The key, when it is a literal name.
    pub name: Option<String>,
    /// The key's text.
    pub name_span: Span,
    /// The value.
    pub value: Lit,
}

impl Lit {
    /// The literal form of a configuration expression.
    pub(crate) fn of_expr(expr: &Expr) -> Lit {
        literal(&expr.expr, expr.file)
    }

    /// The object a block body makes: its attributes and the attributes its nested
    /// blocks make (the content of a `dynamic` block stands for each object it makes).
    pub(crate) fn of_body(body: &Body, span: Span) -> Lit {
        let mut entries: Vec<Entry> = body
            .attributes
            .values()
            .map(|attr| Entry {
                name: Some(attr.name.clone()),
                name_span: attr.name_span.clone(),
                value: Lit::of_expr(&attr.expr),
            })
            .collect();
        entries.extend(block_entries(&body.blocks));
        Lit {
            kind: LitKind::Object(entries),
            span,
        }
    }

    /// The form of an evaluated value, every node spanning `span`.
    pub(crate) fn of_value(value: &Value, span: &Span) -> Lit {
        let kind = match value {
            Value::Unknown | Value::Sensitive(_) => LitKind::Opaque,
            Value::Null => LitKind::Null,
            Value::Bool(_) => LitKind::Bool,
            Value::Number(_) => LitKind::Number,
            Value::String(s) => LitKind::String(s.clone()),
            Value::List(items) => {
                LitKind::List(items.iter().map(|i| Lit::of_value(i, span)).collect())
            }
            Value::Object(map) => LitKind::Object(
                map.iter()
                    .map(|(k, v)| Entry {
                        name: Some(k.clone()),
                        name_span: span.clone(),
                        value: Lit::of_value(v, span),
                    })
                    .collect(),
            ),
        };
        Lit {
            kind,
            span: span.clone(),
        }
    }
}

/// One entry per attribute that nested blocks make, at the first block of its type.
pub(crate) fn block_entries(blocks: &[NestedBlock]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for block in blocks {
        let object = match &block.source {
            BlockSource::Static(body) => Lit::of_body(body, block.span.clone()),
            BlockSource::Dynamic(dynamic) => Lit::of_body(&dynamic.content, block.span.clone()),
        };
        let existing = entries
            .iter_mut()
            .find(|e| e.name.as_deref() == Some(block.attribute.as_str()));
        match (existing, block.nesting) {
            (Some(entry), Nesting::List) => {
                if let LitKind::List(items) = &mut entry.value.kind {
                    items.push(object);
                }
            }
            // A second single block is the loader's error (or the evaluator's).
            (Some(_), Nesting::Single) => {}
            (None, nesting) => {
                let value = match nesting {
                    Nesting::Single => object,
                    Nesting::List => Lit {
                        kind: LitKind::List(vec![object]),
                        span: block.span.clone(),
                    },
                };
                entries.push(Entry {
                    name: Some(block.attribute.clone()),
                    name_span: block.span.clone(),
                    value,
                });
            }
        }
    }
    entries
}

fn literal(expr: &Expression, file: FileId) -> Lit {
    let span = Span::new(file, hcl_edit::Span::span(expr).unwrap_or(0..0));
    let kind = match expr {
        Expression::Null(_) => LitKind::Null,
        Expression::Bool(_) => LitKind::Bool,
        Expression::Number(_) => LitKind::Number,
        Expression::String(s) => LitKind::String(s.value().clone()),
        Expression::StringTemplate(t) => template(t.iter()),
        Expression::HeredocTemplate(h) => template(h.template.iter()),
        Expression::Parenthesis(p) => return literal(p.inner(), file),
        Expression::Array(items) => LitKind::List(items.iter().map(|i| literal(i, file)).collect()),
        Expression::Object(object) => LitKind::Object(
            object
                .iter()
                .map(|(key, value)| Entry {
                    name: key_name(key),
                    name_span: Span::new(file, hcl_edit::Span::span(key).unwrap_or(0..0)),
                    value: literal(value.expr(), file),
                })
                .collect(),
        ),
        _ => LitKind::Opaque,
    };
    Lit { kind, span }
}

/// A template made only of literal text, as a string.
fn template<'t>(mut elements: impl Iterator<Item = &'t hcl_edit::template::Element>) -> LitKind {
    elements
        .try_fold(String::new(), |mut text, e| {
            text.push_str(e.as_literal()?.value());
            Some(text)
        })
        .map_or(LitKind::Opaque, LitKind::String)
}

/// An object key that names an attribute: `name`, or `"name"`.
fn key_name(key: &ObjectKey) -> Option<String> {
    match key {
        ObjectKey::Ident(ident) => Some(ident.as_str().to_string()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.value().clone()),
        ObjectKey::Expression(Expression::Variable(v)) => Some(v.as_str().to_string()),
        ObjectKey::Expression(_) => None,
    }
}
