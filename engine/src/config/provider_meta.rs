//! Provider aliases in the syntax: `alias = "eu"` in a `provider` block, and the
//! `provider = pingone.eu` meta-argument of `resource` and `data` blocks.
//!
//! Only the shape is checked here; whether the configuration a resource names
//! is declared, and is of the resource's provider, is `validate`'s business.

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::Attribute;

use super::blocks::FileLoader;
use super::blocks::is_valid_name;
use crate::diagnostics::{Diagnostic, Span};
use crate::provider_config::ProviderConfigRef;

impl FileLoader<'_> {
    /// `alias = "eu"` in a provider block: a literal string that is a valid name.
    pub(super) fn provider_alias(&mut self, attr: &Attribute) -> Option<(String, Span)> {
        let span = self.span(&attr.value);
        let Some(alias) = super::blocks::literal_string(&attr.value) else {
            self.diags.push(
                Diagnostic::error("Invalid provider alias")
                    .with_span(span, "expected a literal string")
                    .with_detail("A provider's `alias` must be a string without interpolations.")
                    .with_help("write `alias = \"eu\"`"),
            );
            return None;
        };
        if !is_valid_name(&alias) {
            self.diags.push(
                Diagnostic::error("Invalid provider alias")
                    .with_span(span, "not a valid name")
                    .with_detail(format!(
                        "The alias `{alias}` is not a valid name: it must start with a letter or \
                         underscore and may contain only letters, digits, underscores and dashes."
                    ))
                    .with_help("write an alias such as `alias = \"eu\"`"),
            );
            return None;
        }
        Some((alias, span))
    }

    /// `provider = pingone` or `provider = pingone.eu` in a resource or data block.
    pub(super) fn provider_meta(&mut self, attr: &Attribute) -> Option<(ProviderConfigRef, Span)> {
        let span = self.span(&attr.value);
        match provider_reference(&attr.value) {
            Some(reference) => Some((reference, span)),
            None => {
                let mut diag = Diagnostic::error("Invalid provider reference")
                    .with_span(span, "expected NAME or NAME.ALIAS")
                    .with_detail(
                        "The `provider` meta-argument names a provider configuration by its \
                         provider name and alias, without quotes.",
                    )
                    .with_help(
                        "write `provider = pingone.eu` (or `provider = pingone` for the default)",
                    );
                if let Some(text) = super::blocks::literal_string(&attr.value)
                    && let Ok(reference) = text.parse::<ProviderConfigRef>()
                {
                    diag = diag.with_help(format!("remove the quotes: `provider = {reference}`"));
                }
                self.diags.push(diag);
                None
            }
        }
    }
}

/// `pingone` or `pingone.eu` as a bare traversal.
fn provider_reference(expr: &Expression) -> Option<ProviderConfigRef> {
    match expr {
        Expression::Variable(name) => Some(ProviderConfigRef::default_for(name.as_str())),
        Expression::Traversal(traversal) => {
            let Expression::Variable(root) = &traversal.expr else {
                return None;
            };
            let [operator] = traversal.operators.as_slice() else {
                return None;
            };
            match operator.value() {
                TraversalOperator::GetAttr(alias) => {
                    Some(ProviderConfigRef::aliased(root.as_str(), alias.as_str()))
                }
                _ => None,
            }
        }
        _ => None,
    }
}
