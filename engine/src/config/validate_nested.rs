//! Checking attribute values against their schema, down through nested objects.
//!
//! For each attribute a body sets (directly or with nested blocks), the value is
//! checked against the attribute's type with Terraform's conversions (a number or bool
//! is a fine string, `"5"` a fine number, `"true"` a fine bool), its format (enum
//! values, UUIDs), and, inside objects and lists, sets or maps of objects, the nested
//! attributes: unknown names (with "did you mean"), attributes only the provider sets,
//! missing required ones, and each nested value in turn. Every problem is reported at
//! the span of the offending key or value.
//!
//! `validate` checks what is written literally ([`check_body`]); plan checks the
//! evaluated values ([`check_values`]) so values computed from variables are caught
//! before apply too.

use std::collections::BTreeMap;

use super::literal::{Entry, Lit, LitKind, block_entries};
use super::model::Body;
use crate::diagnostics::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::eval::Value;
use crate::provider::{AttrType, AttributeSchema, BlockSchema, Format, Presence};

/// Checks the literal values of a body's attributes (and of its nested blocks).
pub(crate) fn check_body(body: &Body, schema: &BlockSchema, diags: &mut Diagnostics) {
    let mut checker = Checker { diags };
    for attr in body.attributes.values() {
        if let Some(attr_schema) = schema.attributes.get(&attr.name) {
            let value = Lit::of_expr(&attr.expr);
            checker.value(&value, &attr_schema.ty, attr_schema, &attr.name);
        }
    }
    for entry in block_entries(&body.blocks) {
        let name = entry.name.as_deref().unwrap_or_default();
        if let Some(attr_schema) = schema.attributes.get(name) {
            checker.value(&entry.value, &attr_schema.ty, attr_schema, name);
        }
    }
}

/// Checks a body's evaluated value (an object of attributes), reporting each problem
/// at the span of the attribute (or block) that set it.
pub(crate) fn check_values(body: &Body, schema: &BlockSchema, value: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut checker = Checker { diags: &mut diags };
    let Value::Object(values) = value else {
        return diags;
    };
    for (name, value) in values {
        let Some(attr_schema) = schema.attributes.get(name) else {
            continue;
        };
        let span = match body.attributes.get(name) {
            Some(attr) => attr.span.clone(),
            None => match body.blocks.iter().find(|b| &b.attribute == name) {
                Some(block) => block.span.clone(),
                None => continue,
            },
        };
        let lit = Lit::of_value(value, &span);
        checker.value(&lit, &attr_schema.ty, attr_schema, name);
    }
    diags
}

struct Checker<'d> {
    diags: &'d mut Diagnostics,
}

impl Checker<'_> {
    /// Checks `lit` against the type `ty` of (a part of) the attribute `schema`, at `path`.
    fn value(&mut self, lit: &Lit, ty: &AttrType, schema: &AttributeSchema, path: &str) {
        match (&lit.kind, ty) {
            (LitKind::Opaque | LitKind::Null, _) => {}
            (LitKind::String(s), AttrType::String) => self.format(s, lit, schema, path),
            (LitKind::Number | LitKind::Bool, AttrType::String) => {}
            (LitKind::Number, AttrType::Number) => {}
            (LitKind::String(s), AttrType::Number) if s.trim().parse::<f64>().is_ok() => {}
            (LitKind::Bool, AttrType::Bool) => {}
            (LitKind::String(s), AttrType::Bool) if s == "true" || s == "false" => {}
            (LitKind::List(items), AttrType::List(element) | AttrType::Set(element)) => {
                for (i, item) in items.iter().enumerate() {
                    self.value(item, element, schema, &format!("{path}[{i}]"));
                }
            }
            (LitKind::Object(entries), AttrType::Map(element)) => {
                for entry in entries {
                    let key = entry.name.as_deref().unwrap_or("...");
                    self.value(&entry.value, element, schema, &format!("{path}[\"{key}\"]"));
                }
            }
            (LitKind::Object(entries), AttrType::Object(types)) => {
                self.object(entries, &lit.span, types, schema, path);
            }
            (kind, ty) => self.wrong_type(kind, ty, &lit.span, path),
        }
    }

    /// The attributes of an object: each known and settable, each value checked, and
    /// every required one present (when all keys are literal names).
    fn object(
        &mut self,
        entries: &[Entry],
        span: &Span,
        types: &BTreeMap<String, AttrType>,
        schema: &AttributeSchema,
        path: &str,
    ) {
        for entry in entries {
            let Some(name) = &entry.name else {
                continue;
            };
            let Some(ty) = types.get(name) else {
                self.unknown(name, &entry.name_span, types, schema, path);
                continue;
            };
            let inner = schema.nested.get(name);
            if inner.is_some_and(|s| s.presence == Presence::Computed) {
                self.computed(name, &entry.name_span, path);
                continue;
            }
            let unconstrained;
            let inner = match inner {
                Some(inner) => inner,
                None => {
                    unconstrained = AttributeSchema::new(ty.clone(), Presence::Optional, "");
                    &unconstrained
                }
            };
            self.value(&entry.value, ty, inner, &format!("{path}.{name}"));
        }
        if entries.iter().any(|e| e.name.is_none()) {
            return;
        }
        for (name, inner) in &schema.nested {
            let set = entries.iter().any(|e| e.name.as_deref() == Some(name));
            if inner.presence == Presence::Required && !set {
                self.diags.push(
                    Diagnostic::error("Missing required attribute")
                        .with_span(span.clone(), format!("`{name}` is not set"))
                        .with_detail(format!(
                            "`{path}` needs the attribute `{name}`{}.",
                            describe_inner(inner)
                        ))
                        .with_help(format!("add `{name} = ...` to `{path}`")),
                );
            }
        }
    }

    fn format(&mut self, value: &str, lit: &Lit, schema: &AttributeSchema, path: &str) {
        let Some(format) = schema.format else {
            return;
        };
        if format.accepts(value) {
            return;
        }
        let diag = match format {
            Format::OneOf(values) => {
                let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                let diag = Diagnostic::error("Invalid attribute value")
                    .with_span(lit.span.clone(), "not an allowed value")
                    .with_detail(format!(
                        "`{path}` must be one of {}; `{value}` is not.",
                        listed.join(", ")
                    ));
                let same_letters = values.iter().find(|v| v.eq_ignore_ascii_case(value));
                match same_letters.copied().or_else(|| did_you_mean(value, values.iter().copied())) {
                    Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                    None => diag,
                }
            }
            Format::Uuid => Diagnostic::error("Invalid attribute value")
                .with_span(lit.span.clone(), "not a PingOne ID")
                .with_detail(format!(
                    "`{path}` must be a PingOne ID: a UUID such as \
                     `4a3b1c2d-0e9f-4a8b-9c7d-6e5f4a3b2c1d`; `{value}` is not."
                ))
                .with_help("refer to the object instead of writing its ID, such as `pingone_group.admins.id`"),
        };
        self.diags.push(diag);
    }

    fn unknown(
        &mut self,
        name: &str,
        span: &Span,
        types: &BTreeMap<String, AttrType>,
        schema: &AttributeSchema,
        path: &str,
    ) {
        let settable = types.keys().map(String::as_str).filter(|n| {
            schema
                .nested
                .get(*n)
                .is_none_or(|s| s.presence != Presence::Computed)
        });
        let mut diag = Diagnostic::error("Unsupported attribute")
            .with_span(span.clone(), "not expected here")
            .with_detail(format!("`{path}` has no attribute named `{name}`."));
        if let Some(s) = did_you_mean(name, settable) {
            diag = diag.with_help(format!("did you mean `{s}`?"));
        }
        self.diags.push(diag);
    }

    fn computed(&mut self, name: &str, span: &Span, path: &str) {
        self.diags.push(
            Diagnostic::error("Value for unconfigurable attribute")
                .with_span(span.clone(), "set by the provider")
                .with_detail(format!(
                    "Can't configure `{path}.{name}`: its value is decided by the provider."
                ))
                .with_help("remove this attribute"),
        );
    }

    fn wrong_type(&mut self, kind: &LitKind, ty: &AttrType, span: &Span, path: &str) {
        let expected = describe(ty);
        self.diags.push(
            Diagnostic::error("Incorrect attribute value type")
                .with_span(span.clone(), format!("{expected} is required"))
                .with_detail(format!(
                    "`{path}` must be {expected}, not {}.",
                    kind_name(kind)
                )),
        );
    }
}

/// ", one of `A`, `B`" or nothing: what to write for a missing attribute.
fn describe_inner(schema: &AttributeSchema) -> String {
    match schema.format {
        Some(Format::OneOf(values)) => {
            let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            format!(" ({}: {})", describe(&schema.ty), listed.join(", "))
        }
        _ => format!(" ({})", describe(&schema.ty)),
    }
}

/// "a string", "a list of strings", "an object", ...
fn describe(ty: &AttrType) -> String {
    match ty {
        AttrType::String => "a string".to_string(),
        AttrType::Bool => "a bool".to_string(),
        AttrType::Number => "a number".to_string(),
        AttrType::List(t) => format!("a list of {}", plural(t)),
        AttrType::Set(t) => format!("a set of {}", plural(t)),
        AttrType::Map(t) => format!("a map of {}", plural(t)),
        AttrType::Object(_) => "an object".to_string(),
    }
}

fn plural(ty: &AttrType) -> String {
    match ty {
        AttrType::String => "strings".to_string(),
        AttrType::Bool => "bools".to_string(),
        AttrType::Number => "numbers".to_string(),
        AttrType::Object(_) => "objects".to_string(),
        other => format!("({})", describe(other)),
    }
}

fn kind_name(kind: &LitKind) -> &'static str {
    match kind {
        LitKind::Opaque => "a computed value",
        LitKind::Null => "null",
        LitKind::String(_) => "a string",
        LitKind::Number => "a number",
        LitKind::Bool => "a bool",
        LitKind::List(_) => "a list",
        LitKind::Object(_) => "an object",
    }
}

#[cfg(test)]
#[path = "validate_nested_tests.rs"]
mod tests;
