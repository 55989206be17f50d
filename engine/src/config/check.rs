//! `check "name" { data "T" "N" { ... } assert { condition, error_message } ... }`:
//! assertions about the configured objects, reported as warnings after plan and after
//! apply (they never stop a run, as in Terraform), and the data sources scoped to the
//! check (Terraform 1.5), which only its assertions may read.

use hcl_edit::structure::Block;

use super::blocks::FileLoader;
use super::model::{CheckBlock, ResourceBlock};
use crate::address::Mode;
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
        let mut data = Vec::new();
        for nested in block.body.blocks() {
            match nested.ident.as_str() {
                "assert" => asserts.extend(self.validation(nested)),
                "data" => data.extend(self.scoped_data(nested)),
                _ => self
                    .unexpected_block(nested, "a `check` block (only `assert` and `data` blocks)"),
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
            data,
            asserts,
            span,
        });
    }

    /// A `data` block inside a check: one instance (no `count` or `for_each`).
    fn scoped_data(&mut self, block: &Block) -> Option<ResourceBlock> {
        let data = self.resource_block(block, Mode::Data);
        // A scoped data source is not in the graph: `depends_on = [module.NAME]` orders nothing.
        self.module_refs.clear();
        let data = data?;
        if let Some(repetition) = &data.repetition {
            let name = &repetition.attr().name;
            self.diags.push(
                Diagnostic::error("Invalid meta-argument in a check-scoped data source")
                    .with_span(repetition.attr().name_span.clone(), "not allowed here")
                    .with_detail(format!(
                        "A data source inside a `check` block reads one object; `{name}` is \
                         not supported there."
                    ))
                    .with_help("declare the data source outside the check to repeat it"),
            );
            return None;
        }
        Some(data)
    }
}
