//! `import { to = ADDRESS, id = "..." }`: an existing object to bring under
//! management at the address, planned and applied with everything else.

use hcl_edit::structure::Block;

use super::blocks::FileLoader;
use super::model::{Expr, ImportBlock};
use crate::ResourceAddress;
use crate::diagnostics::Diagnostic;

impl FileLoader<'_> {
    /// Reads one `import` block into the configuration.
    pub(super) fn import(&mut self, block: &Block) {
        let span = self.header_span(block);
        if !block.labels.is_empty() {
            self.diags.push(
                Diagnostic::error("Unexpected label")
                    .with_span(span.clone(), "`import` takes no label")
                    .with_help("write `import { to = TYPE.NAME, id = \"...\" }`"),
            );
        }
        let (mut to, mut id) = (None, None);
        for attr in block.body.attributes() {
            match attr.key.as_str() {
                "to" => to = self.target_address(&attr.value),
                "id" => id = Some(Expr::new(attr.value.clone(), self.file)),
                other => self.unexpected_argument(attr, other, "an `import` block", &["to", "id"]),
            }
        }
        for nested in block.body.blocks() {
            self.unexpected_block(nested, "an `import` block");
        }
        match (to, id) {
            (Some(to), Some(id)) => self.config.imports.push(ImportBlock { to, id, span }),
            (to, _) => {
                let missing = if to.is_none() { "to" } else { "id" };
                self.diags.push(
                    Diagnostic::error("Missing required argument")
                        .with_span(span, format!("`{missing}` is not set"))
                        .with_detail("An `import` block needs `to` (the resource address) and `id` (the import ID)."),
                );
            }
        }
    }

    /// A resource address written as an expression (`TYPE.NAME`, `TYPE.NAME[0]`,
    /// `TYPE.NAME["key"]`), reported where it is not one.
    pub(super) fn target_address(
        &mut self,
        expr: &hcl_edit::expr::Expression,
    ) -> Option<(ResourceAddress, crate::diagnostics::Span)> {
        let span = self.span(expr);
        let text = self
            .config
            .sources
            .text(span.file)
            .get(span.range.clone())?;
        match text.trim().parse::<ResourceAddress>() {
            Ok(address) if !address.is_data() => Some((address, span)),
            Ok(_) | Err(_) => {
                self.diags.push(
                    Diagnostic::error("Invalid resource address")
                        .with_span(span, "not a resource address")
                        .with_detail(
                            "Write the address of a resource or of one instance: `TYPE.NAME`, \
                             `TYPE.NAME[0]` or `TYPE.NAME[\"key\"]`.",
                        ),
                );
                None
            }
        }
    }
}
