//! A resource's `lifecycle` block: `prevent_destroy`, `ignore_changes`,
//! `create_before_destroy`, `replace_triggered_by` (see `triggers`),
//! `precondition` and `postcondition`. Any other nested block is accepted with
//! a warning that it does nothing yet.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;

use super::blocks::FileLoader;
use super::model::Lifecycle;
use crate::diagnostics::Diagnostic;

impl FileLoader<'_> {
    /// Reads `lifecycle { ... }`.
    pub(super) fn lifecycle(&mut self, block: &Block) -> Lifecycle {
        let mut lifecycle = Lifecycle::default();
        for attr in block.body.attributes() {
            match attr.key.as_str() {
                "prevent_destroy" => {
                    if self.literal_bool(&attr.value) == Some(true) {
                        lifecycle.prevent_destroy =
                            Some(self.span(&attr.key).to(&self.span(&attr.value)));
                    }
                }
                "ignore_changes" => lifecycle.ignore_changes = self.ignore_changes(&attr.value),
                "create_before_destroy" => {
                    if self.literal_bool(&attr.value) == Some(true) {
                        lifecycle.create_before_destroy =
                            Some(self.span(&attr.key).to(&self.span(&attr.value)));
                    }
                }
                "replace_triggered_by" => {
                    lifecycle.replace_triggered_by = self.replace_triggered_by(&attr.value)
                }
                other => {
                    let diag = Diagnostic::error("Unsupported `lifecycle` argument")
                        .with_span(self.span(&attr.key), "not a lifecycle setting")
                        .with_detail(format!("`{other}` is not a `lifecycle` setting."))
                        .with_help(
                            "lifecycle takes prevent_destroy, ignore_changes, \
                             create_before_destroy and replace_triggered_by",
                        );
                    self.diags.push(diag);
                }
            }
        }
        for nested in block.body.blocks() {
            match nested.ident.as_str() {
                "precondition" => lifecycle.preconditions.extend(self.validation(nested)),
                "postcondition" => lifecycle.postconditions.extend(self.validation(nested)),
                other => self.later(other, &nested.ident),
            }
        }
        lifecycle
    }

    fn later(&mut self, name: &str, node: &impl hcl_edit::Span) {
        let diag = Diagnostic::warning(format!("`lifecycle` setting `{name}` has no effect yet"))
            .with_span(self.span(node), "ignored")
            .with_detail(format!(
                "This version of pingform accepts `{name}` but does not act on it."
            ));
        self.diags.push(diag);
    }

    /// `ignore_changes = [name, ...]`: bare attribute names, as in Terraform.
    fn ignore_changes(&mut self, expr: &Expression) -> Vec<(String, crate::diagnostics::Span)> {
        let Expression::Array(items) = expr else {
            let diag = Diagnostic::error("Invalid `ignore_changes`")
                .with_span(self.span(expr), "expected a list of attribute names")
                .with_help("write `ignore_changes = [description]`");
            self.diags.push(diag);
            return Vec::new();
        };
        let mut names = Vec::new();
        for item in items.iter() {
            match item {
                Expression::Variable(name) => {
                    names.push((name.as_str().to_string(), self.span(item)))
                }
                Expression::String(name) => {
                    names.push((name.as_str().to_string(), self.span(item)))
                }
                _ => {
                    let diag = Diagnostic::error("Invalid `ignore_changes` entry")
                        .with_span(self.span(item), "expected an attribute name")
                        .with_detail(
                            "List the names of this resource's attributes, such as `description`.",
                        );
                    self.diags.push(diag);
                }
            }
        }
        names
    }
}
