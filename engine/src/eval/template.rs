//! String templates: `"a-${x}"`, heredocs, and the `%{if}` / `%{for}` directives.
//!
//! A template that is a single interpolation (`"${var.list}"`) yields the value itself,
//! unconverted, as in Terraform. Strip markers (`~`) remove the whitespace of the literal
//! text next to them. Any unknown part makes the whole string unknown; any sensitive part
//! makes it sensitive.

use hcl_edit::template::{Directive, Element, ForDirective, IfDirective, Template};

use super::convert;
use super::expr::{EvalResult, Evaluator};
use crate::diagnostics::Diagnostic;
use crate::eval::value::Value;

/// The text rendered so far, and whether some part of it is unknown.
#[derive(Default)]
struct Output {
    text: String,
    unknown: bool,
    /// Some interpolated value or directive condition was sensitive.
    sensitive: bool,
}

impl Evaluator<'_> {
    /// Evaluates a template to a string (or the value of its only interpolation).
    pub(super) fn template(&mut self, t: &Template) -> EvalResult {
        if let Some(Element::Interpolation(only)) = t.as_single_element() {
            return self.eval(&only.expr);
        }
        let mut out = Output::default();
        self.render(t, (false, false), &mut out)?;
        let value = if out.unknown {
            Value::Unknown
        } else {
            Value::String(out.text)
        };
        Ok(value.mark_if(out.sensitive))
    }

    /// Renders `t` into `out`. `strip` says whether the enclosing directive's markers strip
    /// the whitespace at the start and at the end of `t`.
    fn render(
        &mut self,
        t: &Template,
        strip: (bool, bool),
        out: &mut Output,
    ) -> Result<(), Diagnostic> {
        let elements: Vec<&Element> = t.iter().collect();
        for (i, element) in elements.iter().enumerate() {
            match element {
                Element::Literal(text) => {
                    let strip_start = match i.checked_sub(1) {
                        Some(prev) => strips_after(elements[prev]),
                        None => strip.0,
                    };
                    let strip_end = match elements.get(i + 1) {
                        Some(next) => strips_before(next),
                        None => strip.1,
                    };
                    let mut text = text.value().as_str();
                    if strip_start {
                        text = text.trim_start();
                    }
                    if strip_end {
                        text = text.trim_end();
                    }
                    out.text.push_str(text);
                }
                Element::Interpolation(interp) => {
                    let (value, sensitive) = self.eval(&interp.expr)?.unmark();
                    out.sensitive |= sensitive;
                    self.interpolate(&value, &interp.expr, out)?;
                }
                Element::Directive(d) => match &**d {
                    Directive::If(d) => self.if_directive(d, out)?,
                    Directive::For(d) => self.for_directive(d, out)?,
                },
            }
        }
        Ok(())
    }

    fn interpolate(
        &self,
        value: &Value,
        expr: &hcl_edit::expr::Expression,
        out: &mut Output,
    ) -> Result<(), Diagnostic> {
        if *value == Value::Unknown {
            out.unknown = true;
            return Ok(());
        }
        let Some(text) = convert::to_string(value) else {
            let (label, detail) = match value {
                Value::Null => (
                    "the value is null".to_string(),
                    "The expression result is null. Cannot include a null value in a string template.",
                ),
                other => (
                    format!("{} is not a string", convert::a_type(other)),
                    "Cannot include the given value in a string template: string required.",
                ),
            };
            return Err(Diagnostic::error("Invalid template interpolation value")
                .with_span(self.span(expr), label)
                .with_detail(detail));
        };
        out.text.push_str(&text);
        Ok(())
    }

    fn if_directive(&mut self, d: &IfDirective, out: &mut Output) -> Result<(), Diagnostic> {
        let (cond, sensitive) = self.eval(&d.if_expr.cond_expr)?.unmark();
        out.sensitive |= sensitive;
        if cond == Value::Unknown {
            out.unknown = true;
            return Ok(());
        }
        let Some(cond) = convert::to_bool(&cond) else {
            return Err(Diagnostic::error("Invalid `%{if}` condition")
                .with_span(
                    self.span(&d.if_expr.cond_expr),
                    format!("{} is not a bool", convert::a_type(&cond)),
                )
                .with_detail("The condition of an `%{if}` directive must be `true` or `false`."));
        };
        let endif_strips = d.endif_expr.strip.strip_start();
        match (&d.else_expr, cond) {
            (Some(else_expr), false) => {
                let strip = (else_expr.strip.strip_end(), endif_strips);
                self.render(&else_expr.template, strip, out)
            }
            (None, false) => Ok(()),
            (else_expr, true) => {
                let end = else_expr
                    .as_ref()
                    .map_or(endif_strips, |e| e.strip.strip_start());
                self.render(&d.if_expr.template, (d.if_expr.strip.strip_end(), end), out)
            }
        }
    }

    fn for_directive(&mut self, d: &ForDirective, out: &mut Output) -> Result<(), Diagnostic> {
        let f = &d.for_expr;
        let (collection, sensitive) = self.eval(&f.collection_expr)?.unmark();
        out.sensitive |= sensitive;
        let Some(pairs) = self.iteration_pairs(&collection, self.span(&f.collection_expr))? else {
            out.unknown = true;
            return Ok(());
        };
        let strip = (f.strip.strip_end(), d.endfor_expr.strip.strip_start());
        for (key, value) in pairs {
            let key_binding = f.key_var.as_ref().map(|k| (k.as_str().to_string(), key));
            let bindings = key_binding
                .into_iter()
                .chain([(f.value_var.as_str().to_string(), value)]);
            self.with_locals(bindings, |ev| ev.render(&f.template, strip, out))?;
        }
        Ok(())
    }
}

/// Whether `element` strips the whitespace of the literal after it (`~}`).
fn strips_after(element: &Element) -> bool {
    match element {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
    }
}

/// Whether `element` strips the whitespace of the literal before it (`${~`).
fn strips_before(element: &Element) -> bool {
    match element {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
    }
}
