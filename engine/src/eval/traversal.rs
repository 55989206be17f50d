//! Traversals: `var.x`, `type.name.attr`, `a[0]`, `a["k"]`, `a.0` and the splats `[*]`, `.*`.
//!
//! A traversal into a sensitive value gives a sensitive value. The head of a traversal is
//! resolved with `references::classify`, the same rule the
//! graph and the validator use. Each error spans the operator that failed (`.idd`, `[3]`),
//! or `var.envv` / `type.name` for a reference that does not resolve.

use std::rc::Rc;

use hcl_edit::Decorated;
use hcl_edit::expr::{Expression, Traversal, TraversalOperator};

use super::convert;
use super::expr::{EvalResult, Evaluator};
use super::messages;
use super::references::{Root, classify};
use crate::diagnostics::{Diagnostic, Span};
use crate::eval::value::Value;

type Op = Decorated<TraversalOperator>;

impl Evaluator<'_> {
    /// Evaluates a traversal: its head, then each operator in turn.
    pub(super) fn traversal(&mut self, t: &Traversal) -> EvalResult {
        let (value, resolved) = self.traversal_head(t)?;
        self.apply_ops(value, &t.operators[resolved..])
    }

    /// The value of the head and how many operators it used: `var.x` and `type.name`
    /// use one, `data.type.name` two, a `for` binding none.
    fn traversal_head(&mut self, t: &Traversal) -> Result<(Value, usize), Diagnostic> {
        let Expression::Variable(root) = &t.expr else {
            return Ok((self.eval(&t.expr)?, 0));
        };
        let root_kind = classify(root.as_str(), &t.operators, |n| self.local(n).is_some());
        let used = root_kind.operators_used();
        let root_span = self.span(root);
        let last = t.operators.get(used.max(1) - 1);
        let head_span = last.map_or(root_span.clone(), |op| root_span.to(&self.span(op)));
        let value = match root_kind {
            Root::Local => self.variable_value(root.as_str()),
            Root::Variable(name) if !self.scope.module.is_empty() => {
                self.module_variable(name, head_span)?
            }
            Root::Variable(name) => match self.scope.variables.get(name) {
                Some(v) => v.clone(),
                None => {
                    return Err(messages::undeclared_variable(
                        name,
                        head_span,
                        self.scope.variables.keys().map(String::as_str),
                    ));
                }
            },
            Root::Resource(address) if !self.scope.module.is_empty() => {
                self.module_resource(address, head_span)?
            }
            Root::Resource(address) => match self.scope.resources.get(&address) {
                Some(v) => v.clone(),
                None => {
                    return Err(messages::undeclared_resource(
                        &address,
                        head_span,
                        self.scope.resources.keys(),
                    ));
                }
            },
            Root::LocalValue(name) => self.local_value(name, head_span)?,
            Root::Module(name) => self.module_value(name, head_span)?,
            Root::SelfObject => match self.scope.self_object {
                Some(object) => object.clone(),
                None => return Err(messages::self_outside_postcondition(root_span)),
            },
            Root::Repeat(root, attr) => {
                let repeat = self.scope.repeat;
                super::repeat::check(root, attr, head_span, repeat.map(|r| r.kind()))?;
                repeat.map_or(Value::Unknown, |r| r.get(attr))
            }
            Root::Invalid => return Err(messages::invalid_reference(root.as_str(), head_span)),
        };
        Ok((value, used))
    }

    /// The value of `local.NAME`, evaluated now in the same scope.
    fn local_value(&self, name: &str, span: Span) -> EvalResult {
        let locals = self.scope.locals;
        let Some(attr) = locals.and_then(|l| l.get(name)) else {
            let declared = locals
                .into_iter()
                .flat_map(|l| l.keys().map(String::as_str));
            return Err(messages::undeclared_local(name, span, declared));
        };
        let mut chain = self.evaluating.clone();
        chain.push(name.to_string());
        if self.evaluating.iter().any(|n| n == name) {
            return Err(messages::local_cycle(&chain, span));
        }
        if let Some(known) = self.local_results.borrow().get(name) {
            return known.clone();
        }
        let mut nested = Evaluator::new(self.scope, attr.expr.file, chain);
        nested.local_results = Rc::clone(&self.local_results);
        let result = nested.eval(&attr.expr.expr);
        self.local_results
            .borrow_mut()
            .insert(name.to_string(), result.clone());
        result
    }

    fn variable_value(&self, name: &str) -> Value {
        self.local(name).cloned().unwrap_or(Value::Null)
    }

    /// Applies traversal operators to `value`, left to right.
    fn apply_ops(&mut self, mut value: Value, ops: &[Op]) -> EvalResult {
        let mut i = 0;
        while i < ops.len() {
            let span = self.span(&ops[i]);
            value = match ops[i].value() {
                TraversalOperator::GetAttr(name) => {
                    let (value, sensitive) = value.unmark();
                    get_attr(value, name.as_str(), span)?.mark_if(sensitive)
                }
                TraversalOperator::Index(key) => {
                    // Which element a sensitive key picks would reveal it.
                    let (key, key_marked) = self.eval(key)?.unmark();
                    let (value, sensitive) = value.unmark();
                    let marked = sensitive || key_marked;
                    index(value, &key, span)
                        .map_err(|d| messages::redact_if(marked, d))?
                        .mark_if(marked)
                }
                TraversalOperator::LegacyIndex(n) => {
                    let (value, sensitive) = value.unmark();
                    index(value, &Value::Number(**n as f64), span)?.mark_if(sensitive)
                }
                // A full splat applies every following operator to each element.
                TraversalOperator::FullSplat(_) => return self.splat(value, &ops[i + 1..]),
                // An attribute splat applies only the attribute accesses right after it.
                TraversalOperator::AttrSplat(_) => {
                    let n = ops[i + 1..]
                        .iter()
                        .take_while(|op| matches!(op.value(), TraversalOperator::GetAttr(_)))
                        .count();
                    let out = self.splat(value, &ops[i + 1..i + 1 + n])?;
                    i += n;
                    out
                }
            };
            i += 1;
        }
        Ok(value)
    }

    /// `value[*]...`: a list of each element traversed by `ops`. Null gives an empty list;
    /// any other single value is treated as a list of one.
    fn splat(&mut self, value: Value, ops: &[Op]) -> EvalResult {
        let (value, sensitive) = value.unmark();
        let items = match value {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::Null => Vec::new(),
            Value::List(items) => items,
            other => vec![other],
        };
        let items = items
            .into_iter()
            .map(|item| self.apply_ops(item, ops))
            .collect::<Result<_, _>>()?;
        Ok(Value::List(items).mark_if(sensitive))
    }
}

/// `value.name`.
fn get_attr(value: Value, name: &str, span: Span) -> EvalResult {
    match value {
        Value::Unknown => Ok(Value::Unknown),
        Value::Object(mut map) => match map.remove(name) {
            Some(v) => Ok(v),
            None => Err(messages::unsupported_attribute(
                name,
                span,
                map.keys().map(String::as_str),
            )),
        },
        Value::Null => Err(
            Diagnostic::error("Attempt to get attribute from null value")
                .with_span(span, "the value is null")
                .with_detail("This value is null, so it does not have any attributes."),
        ),
        Value::List(_) => Err(Diagnostic::error("Unsupported attribute")
            .with_span(span, "a list has no attributes")
            .with_detail(format!(
                "Can't access attributes on a list. Did you mean to access attribute `{name}` \
                 for a specific element of the list, or across all elements of the list?"
            ))
            .with_help(format!("use `[*].{name}` to get it from every element"))),
        other => Err(Diagnostic::error("Unsupported attribute")
            .with_span(
                span,
                format!("{} has no attributes", convert::a_type(&other)),
            )
            .with_detail("This value does not have any attributes.")),
    }
}

/// `value[key]`: lists by number, objects by string.
fn index(value: Value, key: &Value, span: Span) -> EvalResult {
    if *key == Value::Unknown || value == Value::Unknown {
        return Ok(Value::Unknown);
    }
    match value {
        Value::List(mut items) => {
            let len = items.len();
            let i = convert::to_number(key).and_then(convert::to_index);
            match i {
                Some(i) if i < len => Ok(items.swap_remove(i)),
                _ => Err(Diagnostic::error("Invalid index")
                    .with_span(span, "no such element")
                    .with_detail(format!(
                        "The given key does not identify an element in this list: the index is \
                         {key} and the list has {len} element(s)."
                    ))),
            }
        }
        Value::Object(mut map) => {
            let found = convert::to_string(key).and_then(|k| map.remove(&k));
            found.ok_or_else(|| {
                Diagnostic::error("Invalid index")
                    .with_span(span, "no such key")
                    .with_detail(format!(
                        "The given key {key} does not identify an element in this object."
                    ))
            })
        }
        Value::Null => Err(Diagnostic::error("Attempt to index null value")
            .with_span(span, "the value is null")
            .with_detail("This value is null, so it does not have any indices.")),
        other => Err(Diagnostic::error("Invalid index")
            .with_span(
                span,
                format!("{} cannot be indexed", convert::a_type(&other)),
            )
            .with_detail("This value does not have any indices.")),
    }
}
