//! `lifecycle { replace_triggered_by = [...] }`: which references are allowed.
//!
//! As in Terraform, each entry refers to a managed resource (`pingone_group.x`),
//! one of its instances (`pingone_user.z[0]`, `pingone_user.z[each.key]`) or an
//! attribute of one (`pingone_user.y.name`). Variables, locals, data sources and
//! computed expressions are refused here, with the span of the entry; whether the
//! resource is declared is checked by `validate`.

use hcl_edit::expr::{Expression, TraversalOperator};

use super::blocks::FileLoader;
use super::model::{Expr, Trigger};
use crate::diagnostics::Diagnostic;
use crate::eval::references::{Found, Root, classify, walk};

impl FileLoader<'_> {
    /// Reads `replace_triggered_by = [reference, ...]`.
    pub(super) fn replace_triggered_by(&mut self, expr: &Expression) -> Vec<Trigger> {
        let Expression::Array(items) = expr else {
            let diag = Diagnostic::error("Invalid `replace_triggered_by`")
                .with_span(self.span(expr), "expected a list of references")
                .with_help("write `replace_triggered_by = [pingone_group.admins]`");
            self.diags.push(diag);
            return Vec::new();
        };
        let mut triggers = Vec::new();
        for item in items.iter() {
            match self.trigger(item) {
                Ok(trigger) => triggers.push(trigger),
                Err(problem) => {
                    let diag = Diagnostic::error("Invalid `replace_triggered_by` reference")
                        .with_span(self.span(item), problem)
                        .with_detail(
                            "`replace_triggered_by` takes references to managed resources, their \
                             instances or their attributes only (as in Terraform), such as \
                             `pingone_group.admins`, `pingone_group.admins.name` or \
                             `pingone_user.staff[each.key]`.",
                        )
                        .with_help(
                            "to replace this resource when a value changes, reference the \
                             resource that uses that value",
                        );
                    self.diags.push(diag);
                }
            }
        }
        triggers
    }

    /// One entry, or what is wrong with it.
    fn trigger(&self, item: &Expression) -> Result<Trigger, &'static str> {
        let Expression::Traversal(traversal) = item else {
            return Err("not a reference to a resource");
        };
        let Expression::Variable(root) = &traversal.expr else {
            return Err("not a reference to a resource");
        };
        let resource = match classify(root.as_str(), &traversal.operators, |_| false) {
            Root::Resource(address) if !address.is_data() => address,
            Root::Resource(_) => return Err("a data source cannot trigger a replacement"),
            Root::Variable(_) => return Err("a variable cannot trigger a replacement"),
            Root::LocalValue(_) => return Err("a local value cannot trigger a replacement"),
            _ => return Err("not a reference to a resource"),
        };
        for op in traversal.operators.iter().skip(1) {
            match op.value() {
                TraversalOperator::GetAttr(_) | TraversalOperator::LegacyIndex(_) => {}
                TraversalOperator::Index(index) => self.trigger_index(index)?,
                _ => return Err("splat expressions cannot trigger a replacement"),
            }
        }
        Ok(Trigger {
            expr: Expr::new(item.clone(), self.file),
            resource,
        })
    }

    /// An index may be a literal or use `count.index` and `each.*` only.
    fn trigger_index(&self, index: &Expression) -> Result<(), &'static str> {
        let found = walk(&Expr::new(index.clone(), self.file));
        match found.iter().all(|f| matches!(f, Found::Repeat { .. })) {
            true => Ok(()),
            false => Err("the index may use only literals, `count.index` and `each.*`"),
        }
    }
}
