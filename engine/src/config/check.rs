//! `check "name" { assert { condition, error_message } ... }`: assertions about
//! the configured objects, reported as warnings after plan and after apply
//! (they never stop a run, as in Terraform).

use hcl_edit::structure::Block;

use super::blocks::FileLoader;
use super::model::CheckBlock;
use crate::diagnostics::Diagnostic;

impl FileLoader<'_> {
    /// Reads one `check` block.
    pub(super) fn check(&mut self, block: &Block) {
        let span = self.header_span(block);
        let [label] = block.labels.as_slice() else {
            self.diags.push(
                Diagnostic::error("Wrong number of labels for `check` block")
                    .with_span(span, "expected one label")
                    .with_help("write `check \"NAME\" { assert { condition = ..., error_message = \"...\" } }`"),
            );
            return;
        };
        for attr in block.body.attributes() {
            self.unexpected_argument(attr, attr.key.as_str(), "a `check` block", &[]);
        }
        let mut asserts = Vec::new();
        for nested in block.body.blocks() {
            match nested.ident.as_str() {
                "assert" => asserts.extend(self.validation(nested)),
                _ => self.unexpected_block(nested, "a `check` block (only `assert` blocks)"),
            }
        }
        if asserts.is_empty() {
            self.diags.push(
                Diagnostic::error("Missing `assert` block")
                    .with_span(span.clone(), "nothing to check")
                    .with_detail(
                        "A `check` block needs at least one `assert { condition, error_message }`.",
                    ),
            );
        }
        let name = label.as_str().to_string();
        self.config.checks.push(CheckBlock {
            name,
            asserts,
            span,
        });
    }
}
