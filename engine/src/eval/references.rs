//! Finding what an expression refers to, without evaluating it.
//!
//! The graph uses [`references`] to order resources; `config::validate` uses the richer
//! [`walk`] to report undeclared names and unknown functions before anything runs. Both
//! resolve the head of a traversal with [`classify`], which the evaluator uses too, so
//! the three agree on what `a.b.c` means.

use hcl_edit::expr::{Expression, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::template::{Directive, Element, Template};

use crate::address::ResourceAddress;
use crate::config::Expr;
use crate::diagnostics::{FileId, Span};

/// Something an expression refers to.
#[derive(Clone, Debug, PartialEq)]
pub enum Reference {
    /// `var.NAME`; the span covers `var.NAME`.
    Variable {
        /// The variable's name.
        name: String,
        /// Where the reference is.
        span: Span,
    },
    /// `TYPE.NAME` (possibly followed by attributes); the span covers `TYPE.NAME`.
    Resource {
        /// The resource referred to.
        address: ResourceAddress,
        /// Where the reference is.
        span: Span,
    },
    /// `local.NAME`; the span covers `local.NAME`.
    Local {
        /// The local value's name.
        name: String,
        /// Where the reference is.
        span: Span,
    },
    /// `module.NAME`, possibly followed by `.OUTPUT` (after an instance key, if any).
    Module {
        /// The module call's name.
        name: String,
        /// The output read from it, if the reference names one.
        output: Option<String>,
        /// Where the reference is.
        span: Span,
    },
}

/// Every variable and resource an expression refers to, in source order, once per
/// occurrence. Names bound by `for` expressions and `%{for}` directives are not references.
pub fn references(expr: &Expr) -> Vec<Reference> {
    references_bound(expr, &[])
}

/// [`references`] of an expression inside `dynamic` blocks, whose iterator names
/// (`bound`) are not references either.
pub fn references_bound(expr: &Expr, bound: &[String]) -> Vec<Reference> {
    walk_bound(expr, bound)
        .into_iter()
        .filter_map(|r| match r {
            Found::Variable { name, span } => Some(Reference::Variable { name, span }),
            Found::Resource { address, span, .. } => Some(Reference::Resource { address, span }),
            Found::Local { name, span } => Some(Reference::Local { name, span }),
            Found::Module { name, output, span } => Some(Reference::Module {
                name,
                output: output.map(|(o, _)| o),
                span,
            }),
            Found::Invalid { .. }
            | Found::Function { .. }
            | Found::Repeat { .. }
            | Found::SelfObject { .. } => None,
        })
        .collect()
}

/// What [`walk`] finds: references plus the things validation wants to check.
#[derive(Clone, Debug)]
pub(crate) enum Found {
    /// `var.NAME`.
    Variable { name: String, span: Span },
    /// `local.NAME`.
    Local { name: String, span: Span },
    /// `TYPE.NAME`, and the first attribute read from it (`.id`) if any.
    Resource {
        address: ResourceAddress,
        span: Span,
        attr: Option<(String, Span)>,
    },
    /// `module.NAME`, and the output read from it (`.OUTPUT`, after an instance key) if any.
    Module {
        name: String,
        span: Span,
        output: Option<(String, Span)>,
    },
    /// A reference that names nothing (see [`crate::eval::messages::invalid_reference`]).
    Invalid { root: String, span: Span },
    /// A function call, with the span of its name.
    Function { name: String, span: Span },
    /// `self`, with its span.
    SelfObject { span: Span },
    /// `count.ATTR` or `each.ATTR`: an instance's own key or value.
    Repeat {
        root: &'static str,
        attr: String,
        span: Span,
    },
}

/// How the head of a traversal `ROOT.FIRST...` resolves.
pub(crate) enum Root<'a> {
    /// A name bound by an enclosing `for`.
    Local,
    /// `var.NAME`.
    Variable(&'a str),
    /// `local.NAME`.
    LocalValue(&'a str),
    /// `TYPE.NAME`, or `data.TYPE.NAME` (which uses one more operator).
    Resource(ResourceAddress),
    /// `count.ATTR` or `each.ATTR` (the root is `count` or `each`).
    Repeat(&'static str, &'a str),
    /// `module.NAME`: the outputs of a child module's instance(s).
    Module(&'a str),
    /// `self`: the object a postcondition checks.
    SelfObject,
    /// `var`, `local`, `data.x` or a resource type that is not followed by `.NAME`.
    Invalid,
}

impl Root<'_> {
    /// How many traversal operators the head uses: none for a `for` binding, two
    /// for `data.TYPE.NAME`, one otherwise (an invalid head stops after one).
    pub(crate) fn operators_used(&self) -> usize {
        match self {
            Root::Local | Root::SelfObject => 0,
            Root::Resource(address) if address.is_data() => 2,
            _ => 1,
        }
    }
}

/// Resolves `root` followed by the traversal operators `ops`, given the names bound by
/// enclosing `for` expressions.
pub(crate) fn classify<'a>(
    root: &str,
    ops: &'a [hcl_edit::Decorated<TraversalOperator>],
    is_local: impl Fn(&str) -> bool,
) -> Root<'a> {
    if is_local(root) {
        return Root::Local;
    }
    if root == "self" {
        return Root::SelfObject;
    }
    let attr = |i: usize| match ops.get(i).map(|op| op.value()) {
        Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
        _ => None,
    };
    let Some(name) = attr(0) else {
        return Root::Invalid;
    };
    if root == "data" {
        return attr(1).map_or(Root::Invalid, |data_name| {
            Root::Resource(ResourceAddress::data(name, data_name))
        });
    }
    match root {
        "var" => Root::Variable(name),
        "local" => Root::LocalValue(name),
        "count" => Root::Repeat("count", name),
        "each" => Root::Repeat("each", name),
        "module" => Root::Module(name),
        "path" | "terraform" => Root::Invalid,
        _ => Root::Resource(ResourceAddress::new(root, name)),
    }
}

/// The `.OUTPUT` operator after `module.NAME`: the first operator, or the second
/// after an instance key (`module.NAME[0].OUTPUT`).
fn module_output(
    ops: &[hcl_edit::Decorated<TraversalOperator>],
) -> Option<(&str, &hcl_edit::Decorated<TraversalOperator>)> {
    let first = ops.first()?;
    let op = match first.value() {
        TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_) => ops.get(1)?,
        _ => first,
    };
    match op.value() {
        TraversalOperator::GetAttr(name) => Some((name.as_str(), op)),
        _ => None,
    }
}

/// Everything [`Found`] in an expression, in source order.
pub(crate) fn walk(expr: &Expr) -> Vec<Found> {
    walk_bound(expr, &[])
}

/// [`walk`], with `bound` names (the iterators of enclosing `dynamic` blocks) in scope.
pub(crate) fn walk_bound(expr: &Expr, bound: &[String]) -> Vec<Found> {
    let mut walker = Walker {
        file: expr.file,
        bound: bound.to_vec(),
        found: Vec::new(),
    };
    walker.expr(&expr.expr);
    walker.found
}

struct Walker {
    file: FileId,
    /// Names bound by enclosing `for` expressions, innermost last.
    bound: Vec<String>,
    found: Vec<Found>,
}

impl Walker {
    fn span(&self, node: &impl hcl_edit::Span) -> Span {
        Span::new(self.file, node.span().unwrap_or(0..0))
    }

    fn expr(&mut self, e: &Expression) {
        match e {
            Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_) => {}
            Expression::Array(items) => items.iter().for_each(|i| self.expr(i)),
            Expression::Object(object) => {
                for (key, value) in object.iter() {
                    if let ObjectKey::Expression(k) = key {
                        self.expr(k);
                    }
                    self.expr(value.expr());
                }
            }
            Expression::StringTemplate(t) => self.template(t),
            Expression::HeredocTemplate(h) => self.template(&h.template),
            Expression::Parenthesis(p) => self.expr(p.inner()),
            Expression::Variable(v) => {
                if !self.bound.iter().any(|b| b == v.as_str()) {
                    let span = self.span(v);
                    self.found.push(Found::Invalid {
                        root: v.as_str().to_string(),
                        span,
                    });
                }
            }
            Expression::Conditional(c) => {
                self.expr(&c.cond_expr);
                self.expr(&c.true_expr);
                self.expr(&c.false_expr);
            }
            Expression::FuncCall(call) => {
                let name = call
                    .name
                    .namespace
                    .iter()
                    .map(|n| n.as_str())
                    .chain([call.name.name.as_str()])
                    .collect::<Vec<_>>()
                    .join("::");
                let span = self.span(&call.name.name);
                self.found.push(Found::Function { name, span });
                call.args.iter().for_each(|a| self.expr(a));
            }
            Expression::Traversal(t) => self.traversal(t),
            Expression::UnaryOp(op) => self.expr(&op.expr),
            Expression::BinaryOp(op) => {
                self.expr(&op.lhs_expr);
                self.expr(&op.rhs_expr);
            }
            Expression::ForExpr(f) => {
                self.expr(&f.intro.collection_expr);
                let names = [f.intro.key_var.as_ref(), Some(&f.intro.value_var)];
                self.with_bound(names.into_iter().flatten().map(|n| n.as_str()), |w| {
                    if let Some(k) = &f.key_expr {
                        w.expr(k);
                    }
                    w.expr(&f.value_expr);
                    if let Some(c) = &f.cond {
                        w.expr(&c.expr);
                    }
                });
            }
        }
    }

    fn traversal(&mut self, t: &Traversal) {
        let mut skip = 0;
        if let Expression::Variable(root) = &t.expr {
            let is_local = |n: &str| self.bound.iter().any(|b| b == n);
            let kind = classify(root.as_str(), &t.operators, is_local);
            skip = kind.operators_used();
            let root_span = self.span(root);
            let last = t.operators.get(skip.max(1) - 1);
            let head_span = last.map_or(root_span.clone(), |op| root_span.to(&self.span(op)));
            match kind {
                Root::Local => {}
                Root::Variable(name) => {
                    self.found.push(Found::Variable {
                        name: name.to_string(),
                        span: head_span,
                    });
                }
                Root::LocalValue(name) => {
                    self.found.push(Found::Local {
                        name: name.to_string(),
                        span: head_span,
                    });
                }
                Root::Resource(address) => {
                    let attr = match t.operators.get(skip).map(|op| (op.value(), op)) {
                        Some((TraversalOperator::GetAttr(a), op)) => {
                            Some((a.as_str().to_string(), self.span(op)))
                        }
                        _ => None,
                    };
                    self.found.push(Found::Resource {
                        address,
                        span: head_span,
                        attr,
                    });
                }
                Root::Module(name) => {
                    let output = module_output(&t.operators[skip..])
                        .map(|(name, op)| (name.to_string(), self.span(op)));
                    self.found.push(Found::Module {
                        name: name.to_string(),
                        span: head_span,
                        output,
                    });
                }
                Root::SelfObject => self.found.push(Found::SelfObject {
                    span: root_span.clone(),
                }),
                Root::Repeat(root, attr) => self.found.push(Found::Repeat {
                    root,
                    attr: attr.to_string(),
                    span: head_span,
                }),
                Root::Invalid => self.found.push(Found::Invalid {
                    root: root.as_str().to_string(),
                    span: head_span,
                }),
            }
            // Operators not used by the head still have index expressions to walk.
            skip = skip.max(1);
        } else {
            self.expr(&t.expr);
        }
        for op in t.operators.iter().skip(skip) {
            if let TraversalOperator::Index(index) = op.value() {
                self.expr(index);
            }
        }
    }

    fn template(&mut self, t: &Template) {
        for element in t.iter() {
            match element {
                Element::Literal(_) => {}
                Element::Interpolation(i) => self.expr(&i.expr),
                Element::Directive(d) => match &**d {
                    Directive::If(d) => {
                        self.expr(&d.if_expr.cond_expr);
                        self.template(&d.if_expr.template);
                        if let Some(e) = &d.else_expr {
                            self.template(&e.template);
                        }
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        self.expr(&f.collection_expr);
                        let names = [f.key_var.as_ref(), Some(&f.value_var)];
                        self.with_bound(names.into_iter().flatten().map(|n| n.as_str()), |w| {
                            w.template(&f.template);
                        });
                    }
                },
            }
        }
    }

    fn with_bound<'n>(&mut self, names: impl Iterator<Item = &'n str>, f: impl FnOnce(&mut Self)) {
        let before = self.bound.len();
        self.bound.extend(names.map(str::to_string));
        f(self);
        self.bound.truncate(before);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Expr {
        let expr = hcl_edit::parser::parse_expr(src).expect("valid expression");
        Expr::new(expr, FileId(0))
    }

    fn names(src: &str) -> Vec<String> {
        references(&parse(src))
            .into_iter()
            .map(|r| match r {
                Reference::Variable { name, span } => format!("var.{name}@{:?}", span.range),
                Reference::Resource { address, span } => format!("{address}@{:?}", span.range),
                Reference::Local { name, span } => format!("local.{name}@{:?}", span.range),
                Reference::Module { name, output, span } => {
                    format!("module.{name}>{output:?}@{:?}", span.range)
                }
            })
            .collect()
    }

    #[test]
    fn finds_module_outputs_after_an_instance_key() {
        assert_eq!(
            names("module.a.out + module.b[0].x + module.c[\"k\"] + length(module.d)"),
            [
                "module.a>Some(\"out\")@0..8",
                "module.b>Some(\"x\")@15..23",
                "module.c>None@31..39",
                "module.d>None@54..62",
            ]
        );
    }

    #[test]
    fn finds_variables_and_resources_with_spans() {
        assert_eq!(
            names("\"${var.env}-${pingone_population.staff.id}\""),
            ["var.env@3..10", "pingone_population.staff@14..38"]
        );
    }

    #[test]
    fn walks_every_sub_expression() {
        let src = r#"{
  a = [upper(var.a), var.b ? x_y.c.id : -var.d]
  (var.e) = x_y.f[var.g]
  h = "%{ if var.i }${x_y.j.k}%{ endif }"
  l = <<EOT
${var.m}
EOT
  n = (var.o + 1) * 2
  p = x_y.q[*].id
}"#;
        let found: Vec<String> = names(src)
            .into_iter()
            .map(|s| s.split('@').next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            found,
            [
                "var.a", "var.b", "x_y.c", "var.d", "var.e", "x_y.f", "var.g", "var.i", "x_y.j",
                "var.m", "var.o", "x_y.q"
            ]
        );
    }

    #[test]
    fn for_bound_names_are_not_references() {
        let src = "[for k, v in var.m : \"${k}=${v.x}\" if v != pingone_group.g.id]";
        assert_eq!(names(src), ["var.m@13..18", "pingone_group.g@43..58"]);
        let src = "{for v in var.l : v => [for w in v : w.id]}";
        assert_eq!(names(src), ["var.l@10..15"]);
        let src = "\"%{ for x in var.l }${x}${y.z}%{ endfor }\"";
        assert_eq!(names(src), ["var.l@13..18", "y.z@26..29"]);
    }

    #[test]
    fn bound_names_end_with_their_for() {
        let src = "[[for v in var.l : v], v.w]";
        assert_eq!(names(src), ["var.l@11..16", "v.w@23..26"]);
    }

    #[test]
    fn walk_reports_invalid_roots_and_functions() {
        let found = walk(&parse("uper(var, pingone_group, data.x, bare)"));
        let text: Vec<String> = found
            .iter()
            .map(|f| match f {
                Found::Invalid { root, span } => format!("invalid {root}@{:?}", span.range),
                Found::Function { name, .. } => format!("fn {name}"),
                Found::Repeat { root, attr, .. } => format!("{root}.{attr}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            text,
            [
                "fn uper",
                "invalid var@5..8",
                "invalid pingone_group@10..23",
                "invalid data@25..31",
                "invalid bare@33..37"
            ]
        );
    }

    #[test]
    fn walk_records_the_first_attribute_of_a_resource() {
        let found = walk(&parse("pingone_group.g.idd[0]"));
        match &found[..] {
            [Found::Resource { attr, .. }] => {
                assert_eq!(
                    attr.as_ref().map(|(a, s)| (a.as_str(), s.range.clone())),
                    Some(("idd", 15..19))
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
