//! The expression evaluator: hcl-edit expressions to [`Value`]s, with spans on every error.
//!
//! Unknown values ("known after apply") propagate: any operation on an unknown operand
//! gives an unknown result unless the result is decidable without it. Sensitive marks
//! propagate the same way: each operation removes its operands' marks, computes, and marks
//! the result if any operand was marked. Traversals live in
//! `traversal`, operators in `operators`, templates in `template`, function calls in
//! `call`; this module holds the entry points and the remaining expression forms.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use hcl_edit::expr::{Conditional, Expression, ForExpr, Object, ObjectKey};
use indexmap::IndexMap;

use super::convert;
use crate::address::{ModuleStep, ResourceAddress};
use crate::config::{Attr, Body, Config, Expr};
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Span};
use crate::eval::repeat::Repeat;
use crate::eval::value::Value;

/// When an expression is evaluated: some functions (`timestamp`) only know their result
/// while applying.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    /// Validating or planning: `timestamp()` is unknown.
    #[default]
    Plan,
    /// Applying (or evaluating outputs after apply): everything is known.
    Apply,
}

/// What expressions can refer to.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    /// Input variable values by name.
    pub variables: &'a BTreeMap<String, Value>,
    /// Resource values by address: an object of attributes, or [`Value::Unknown`] when the
    /// resource is not created yet.
    pub resources: &'a BTreeMap<ResourceAddress, Value>,
    /// `locals` definitions by name, evaluated on demand where `local.NAME` is used.
    pub locals: Option<&'a IndexMap<String, Attr>>,
    /// The configuration directory, which `file()` and friends resolve paths against
    /// (the current directory when `None`).
    pub base_dir: Option<&'a Path>,
    /// Planning or applying.
    pub phase: Phase,
    /// `count.index` or `each.*` of the instance being evaluated.
    pub repeat: Option<&'a Repeat>,
    /// `self`: the object a postcondition checks.
    pub self_object: Option<&'a Value>,
    /// The root module's configuration, through which `module.NAME` and a child
    /// module's `var.NAME` are found.
    pub root: Option<&'a Config>,
    /// The module instance being evaluated (empty: the root module). Its
    /// `var.NAME` are the module call's arguments, its `TYPE.NAME` are the
    /// resources of this module instance.
    pub module: &'a [ModuleStep],
}

impl<'a> Scope<'a> {
    /// A scope of variables and resources, with no locals, the current directory as the
    /// base for paths, at plan time.
    pub fn new(
        variables: &'a BTreeMap<String, Value>,
        resources: &'a BTreeMap<ResourceAddress, Value>,
    ) -> Self {
        Self {
            variables,
            resources,
            locals: None,
            base_dir: None,
            phase: Phase::Plan,
            repeat: None,
            self_object: None,
            root: None,
            module: &[],
        }
    }

    /// Evaluates in the module instance `module` of the configuration `root`:
    /// its locals, its directory, its variables and resources.
    pub fn in_module(mut self, root: &'a Config, module: &'a [ModuleStep]) -> Self {
        self = self.with_config(root);
        if let Some(config) = root.module_config(module) {
            self.locals = Some(&config.locals);
            self.base_dir = Some(&config.dir);
        }
        self.module = module;
        self
    }

    /// Evaluates with `self` bound to `object` (a postcondition).
    pub fn with_self(mut self, object: &'a Value) -> Self {
        self.self_object = Some(object);
        self
    }

    /// Evaluates as the instance `repeat` of a repeated resource.
    pub fn with_repeat(mut self, repeat: Option<&'a Repeat>) -> Self {
        self.repeat = repeat;
        self
    }

    /// Adds what the configuration defines: its `locals` and its directory.
    pub fn with_config(mut self, config: &'a Config) -> Self {
        self.locals = Some(&config.locals);
        self.base_dir = Some(&config.dir);
        self.root = Some(config);
        self.module = &[];
        self
    }

    /// Sets the phase.
    pub fn with_phase(mut self, phase: Phase) -> Self {
        self.phase = phase;
        self
    }
}

/// Evaluates one expression.
///
/// `var.x` reads `scope.variables`, `TYPE.NAME` reads `scope.resources`; an attribute of an
/// unknown value is unknown, a missing attribute of a known object is an error.
pub fn evaluate(expr: &Expr, scope: &Scope) -> Result<Value, Diagnostic> {
    Evaluator::new(scope, expr.file, Vec::new()).eval(&expr.expr)
}

/// Evaluates one expression with extra names bound (a `dynamic` block's iterator).
pub(super) fn evaluate_bound(
    expr: &Expr,
    scope: &Scope,
    bound: &[(String, Value)],
) -> Result<Value, Diagnostic> {
    let mut evaluator = Evaluator::new(scope, expr.file, Vec::new());
    evaluator.with_locals(bound.iter().cloned(), |ev| ev.eval(&expr.expr))
}

/// Evaluates every attribute of a body, and the attributes its nested blocks (static and
/// `dynamic`) make, into a [`Value::Object`], collecting all errors.
pub fn evaluate_body(body: &Body, scope: &Scope) -> Result<Value, Diagnostics> {
    let mut diags = Diagnostics::new();
    let value = super::blocks::body_value(body, scope, &mut Vec::new(), &mut diags);
    if diags.is_empty() {
        Ok(value)
    } else {
        // A mistake inside a `dynamic` block's content is found once per element.
        Err(diags.deduplicated())
    }
}

/// The result of evaluating one (sub-)expression.
pub(super) type EvalResult = Result<Value, Diagnostic>;

/// Evaluation state: the scope, the file spans refer to, and `for` bindings.
pub(super) struct Evaluator<'s> {
    pub(super) scope: &'s Scope<'s>,
    file: FileId,
    /// Names bound by enclosing `for` expressions and directives, innermost last.
    locals: Vec<(String, Value)>,
    /// The `local.NAME` values being evaluated, outermost first, to stop a cycle.
    pub(super) evaluating: Vec<String>,
    /// `local.NAME` results already computed in this evaluation, shared with the
    /// evaluators of nested locals, so a local used many times is evaluated once (without
    /// this, `a = b + b`, `b = c + c`, ... takes exponential time).
    pub(super) local_results: Rc<RefCell<BTreeMap<String, EvalResult>>>,
}

impl<'s> Evaluator<'s> {
    pub(super) fn new(scope: &'s Scope<'s>, file: FileId, evaluating: Vec<String>) -> Self {
        Self {
            scope,
            file,
            locals: Vec::new(),
            evaluating,
            local_results: Rc::default(),
        }
    }

    /// The span of a syntax node in the file being evaluated.
    pub(super) fn span(&self, node: &impl hcl_edit::Span) -> Span {
        Span::new(self.file, node.span().unwrap_or(0..0))
    }

    /// The value bound to `name` by the innermost enclosing `for`.
    pub(super) fn local(&self, name: &str) -> Option<&Value> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// Runs `f` with `bindings` added to the `for` bindings.
    pub(super) fn with_locals<T>(
        &mut self,
        bindings: impl IntoIterator<Item = (String, Value)>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let before = self.locals.len();
        self.locals.extend(bindings);
        let out = f(self);
        self.locals.truncate(before);
        out
    }

    /// Evaluates a sub-expression.
    pub(super) fn eval(&mut self, e: &Expression) -> EvalResult {
        match e {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            Expression::Number(n) => Ok(Value::Number(n.value().as_f64().unwrap_or(f64::NAN))),
            Expression::String(s) => Ok(Value::String(s.value().clone())),
            Expression::Array(items) => items
                .iter()
                .map(|i| self.eval(i))
                .collect::<Result<_, _>>()
                .map(Value::List),
            Expression::Object(object) => self.object(object),
            Expression::StringTemplate(t) => self.template(t),
            Expression::HeredocTemplate(h) => self.template(&h.template),
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(v) => self.variable(v.as_str(), self.span(v)),
            Expression::Conditional(c) => self.conditional(c),
            Expression::FuncCall(call) => self.call(call),
            Expression::Traversal(t) => self.traversal(t),
            Expression::UnaryOp(op) => self.unary(op),
            Expression::BinaryOp(op) => self.binary(op),
            Expression::ForExpr(f) => self.for_expr(f),
        }
    }

    /// A bare name: only `for` bindings are values on their own.
    fn variable(&self, name: &str, span: Span) -> EvalResult {
        self.local(name)
            .cloned()
            .ok_or_else(|| super::messages::invalid_reference(name, span))
    }

    fn object(&mut self, object: &Object) -> EvalResult {
        let mut map = BTreeMap::new();
        let mut unknown = false;
        // A sensitive key would show in the object's keys, so it marks the whole object.
        let mut sensitive = false;
        for (key, value) in object.iter() {
            let (name, key_span) = match key {
                ObjectKey::Ident(ident) => (Some(ident.as_str().to_string()), self.span(ident)),
                ObjectKey::Expression(k) => {
                    let (name, marked) = self.object_key(k)?;
                    sensitive |= marked;
                    (name, self.span(k))
                }
            };
            let value = self.eval(value.expr())?;
            let Some(name) = name else {
                unknown = true;
                continue;
            };
            if map.insert(name.clone(), value).is_some() {
                return Err(Diagnostic::error("Duplicate object attribute")
                    .with_span(key_span, "set again here")
                    .with_detail(format!("The attribute `{name}` is set more than once.")));
            }
        }
        let value = if unknown {
            Value::Unknown
        } else {
            Value::Object(map)
        };
        Ok(value.mark_if(sensitive))
    }

    /// An object key given as an expression (`None` when it is unknown), and whether it
    /// was sensitive.
    fn object_key(&mut self, k: &Expression) -> Result<(Option<String>, bool), Diagnostic> {
        let (value, sensitive) = self.eval(k)?.unmark();
        if value == Value::Unknown {
            return Ok((None, sensitive));
        }
        let name = convert::to_string(&value).ok_or_else(|| {
            Diagnostic::error("Invalid object key")
                .with_span(
                    self.span(k),
                    format!("{} is not a valid key", convert::a_type(&value)),
                )
                .with_detail("Object keys must be strings.")
        })?;
        Ok((Some(name), sensitive))
    }

    /// `cond ? a : b`. A sensitive condition makes the result sensitive: which branch was
    /// taken would reveal it.
    fn conditional(&mut self, c: &Conditional) -> EvalResult {
        let (cond, sensitive) = self.eval(&c.cond_expr)?.unmark();
        if cond == Value::Unknown {
            // Still evaluate both branches so their errors are not hidden until apply.
            self.eval(&c.true_expr)?;
            self.eval(&c.false_expr)?;
            return Ok(Value::Unknown.mark_if(sensitive));
        }
        match convert::to_bool(&cond) {
            Some(true) => Ok(self.eval(&c.true_expr)?.mark_if(sensitive)),
            Some(false) => Ok(self.eval(&c.false_expr)?.mark_if(sensitive)),
            None => Err(Diagnostic::error("Incorrect condition type")
                .with_span(
                    self.span(&c.cond_expr),
                    format!("{} is not a bool", convert::a_type(&cond)),
                )
                .with_detail("The condition expression must be `true` or `false`.")),
        }
    }

    /// `[for k, v in coll : value if cond]` and `{for k, v in coll : key => value if cond}`.
    fn for_expr(&mut self, f: &ForExpr) -> EvalResult {
        let (collection, sensitive) = self.eval(&f.intro.collection_expr)?.unmark();
        let Some(pairs) = self.iteration_pairs(&collection, self.span(&f.intro.collection_expr))?
        else {
            return Ok(Value::Unknown.mark_if(sensitive));
        };
        let key_name = f.intro.key_var.as_ref().map(|k| k.as_str().to_string());
        let value_name = f.intro.value_var.as_str().to_string();
        let mut out = ForOutput::new(f.key_expr.is_some(), f.grouping);
        for (key, value) in pairs {
            let bindings = key_name
                .clone()
                .map(|k| (k, key))
                .into_iter()
                .chain([(value_name.clone(), value)]);
            self.with_locals(bindings, |ev| ev.for_item(f, &mut out))?;
        }
        Ok(out.finish()?.mark_if(sensitive))
    }

    /// Evaluates one element of a `for` expression into `out`.
    fn for_item(&mut self, f: &ForExpr, out: &mut ForOutput) -> Result<(), Diagnostic> {
        if let Some(cond) = &f.cond {
            let (keep, sensitive) = self.eval(&cond.expr)?.unmark();
            // Which elements were kept would reveal a sensitive condition.
            out.sensitive |= sensitive;
            match (&keep, convert::to_bool(&keep)) {
                (Value::Unknown, _) => {
                    out.unknown = true;
                    return Ok(());
                }
                (_, Some(true)) => {}
                (_, Some(false)) => return Ok(()),
                (_, None) => {
                    return Err(Diagnostic::error("Invalid `for` condition")
                        .with_span(
                            self.span(&cond.expr),
                            format!("{} is not a bool", convert::a_type(&keep)),
                        )
                        .with_detail("The `if` clause of a `for` expression must be a bool."));
                }
            }
        }
        let key = match &f.key_expr {
            Some(k) => {
                let (name, sensitive) = self.object_key(k)?;
                out.sensitive |= sensitive;
                Some((name, self.span(k)))
            }
            None => None,
        };
        let value = self.eval(&f.value_expr)?;
        out.push(key, value)
    }

    /// The (key, value) pairs a `for` iterates: index and element of a list, key and value
    /// of an object. `None` when the collection is unknown. The caller removes the
    /// collection's own mark first.
    pub(super) fn iteration_pairs(
        &self,
        collection: &Value,
        span: Span,
    ) -> Result<Option<Vec<(Value, Value)>>, Diagnostic> {
        match collection {
            Value::Unknown => Ok(None),
            Value::List(items) => Ok(Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (Value::Number(i as f64), v.clone()))
                    .collect(),
            )),
            Value::Object(map) => Ok(Some(
                map.iter()
                    .map(|(k, v)| (Value::String(k.clone()), v.clone()))
                    .collect(),
            )),
            other => Err(Diagnostic::error("Iteration over non-iterable value")
                .with_span(
                    span,
                    format!("{} cannot be iterated", convert::a_type(other)),
                )
                .with_detail("A `for` expression iterates over a list or an object.")),
        }
    }
}

/// The result of a `for` expression under construction.
struct ForOutput {
    object: bool,
    grouping: bool,
    unknown: bool,
    /// A sensitive condition or key was seen: the whole result is sensitive.
    sensitive: bool,
    items: Vec<Value>,
    map: BTreeMap<String, Value>,
}

impl ForOutput {
    fn new(object: bool, grouping: bool) -> Self {
        Self {
            object,
            grouping,
            unknown: false,
            sensitive: false,
            items: Vec::new(),
            map: BTreeMap::new(),
        }
    }

    fn push(
        &mut self,
        key: Option<(Option<String>, Span)>,
        value: Value,
    ) -> Result<(), Diagnostic> {
        let Some((key, span)) = key else {
            self.items.push(value);
            return Ok(());
        };
        let Some(key) = key else {
            self.unknown = true;
            return Ok(());
        };
        match self.map.entry(key) {
            Entry::Occupied(mut group) if self.grouping => {
                if let Value::List(items) = group.get_mut() {
                    items.push(value);
                }
            }
            Entry::Vacant(slot) if self.grouping => {
                slot.insert(Value::List(vec![value]));
            }
            Entry::Vacant(slot) => {
                slot.insert(value);
            }
            Entry::Occupied(taken) => {
                return Err(Diagnostic::error("Duplicate object key")
                    .with_span(span, "produces a key twice")
                    .with_detail(format!("Two elements produce the key `{}`.", taken.key()))
                    .with_help("add `...` after the value expression to group values by key"));
            }
        }
        Ok(())
    }

    fn finish(self) -> EvalResult {
        let value = if self.unknown {
            Value::Unknown
        } else if self.object {
            Value::Object(self.map)
        } else {
            Value::List(self.items)
        };
        Ok(value.mark_if(self.sensitive))
    }
}
