//! `moved { from, to }` and `removed { from, lifecycle { destroy = false } }`:
//! refactoring without recreating objects, and letting go of objects without
//! deleting them.

use hcl_edit::structure::Block;

use super::blocks::FileLoader;
use super::model::{MovedBlock, RemovedBlock};
use crate::diagnostics::Diagnostic;

impl FileLoader<'_> {
    /// Reads one `moved` block.
    pub(super) fn moved(&mut self, block: &Block) {
        let span = self.header_span(block);
        let (mut from, mut to) = (None, None);
        for attr in block.body.attributes() {
            match attr.key.as_str() {
                "from" => from = self.target_address(&attr.value),
                "to" => to = self.target_address(&attr.value),
                other => self.unexpected_argument(attr, other, "a `moved` block", &["from", "to"]),
            }
        }
        for nested in block.body.blocks() {
            self.unexpected_block(nested, "a `moved` block");
        }
        match (from, to) {
            (Some(from), Some(to)) => self.config.moved.push(MovedBlock { from, to, span }),
            _ => self.missing(span, "a `moved` block", "`from` and `to`"),
        }
    }

    /// Reads one `removed` block.
    pub(super) fn removed(&mut self, block: &Block) {
        let span = self.header_span(block);
        let mut from = None;
        for attr in block.body.attributes() {
            match attr.key.as_str() {
                "from" => from = self.target_address(&attr.value),
                other => self.unexpected_argument(attr, other, "a `removed` block", &["from"]),
            }
        }
        let mut destroy = true;
        for nested in block.body.blocks() {
            if nested.ident.as_str() != "lifecycle" {
                self.unexpected_block(nested, "a `removed` block");
                continue;
            }
            for attr in nested.body.attributes() {
                match attr.key.as_str() {
                    "destroy" => destroy = self.literal_bool(&attr.value).unwrap_or(true),
                    other => self.unexpected_argument(
                        attr,
                        other,
                        "a `removed` block's `lifecycle`",
                        &["destroy"],
                    ),
                }
            }
        }
        match from {
            Some(from) => self.config.removed.push(RemovedBlock {
                from,
                destroy,
                span,
            }),
            None => self.missing(span, "a `removed` block", "`from`"),
        }
    }

    fn missing(&mut self, span: crate::diagnostics::Span, place: &str, what: &str) {
        self.diags.push(
            Diagnostic::error("Missing required argument")
                .with_span(span, "incomplete")
                .with_detail(format!("{place} needs {what}, each a resource address.")),
        );
    }
}
