//! Validating `check` blocks: their assertions, and the data sources scoped to them
//! (Terraform 1.5), which only the check's own assertions may read.

use super::{Context, Validator};
use crate::address::ResourceAddress;
use crate::config::model::Config;
use crate::diagnostics::{Diagnostic, SourceMap, Span};

impl Validator<'_> {
    /// Each check's data sources against their schemas, the expressions of both, and
    /// the scoped data sources' addresses (unique across the configuration).
    pub(super) fn checks(&mut self) {
        let config = self.config;
        for check in &config.checks {
            for data in &check.data {
                if let Some(schema) = self.resource_schema(&data.address, &data.span) {
                    self.body(&data.body, schema, &data.span, "data source");
                }
                self.body_exprs(&data.body, Context::Check(check));
                self.duplicate_scoped(&data.address, &data.span);
            }
            for assert in &check.asserts {
                self.expr(&assert.condition, Context::Check(check));
                self.expr(&assert.error_message, Context::Check(check));
            }
        }
    }

    /// A scoped data source whose address is also declared elsewhere.
    fn duplicate_scoped(&mut self, address: &ResourceAddress, span: &Span) {
        let config = self.config;
        let top = config.resource(address).map(|r| &r.span);
        let scoped = config
            .checks
            .iter()
            .flat_map(|c| &c.data)
            .map(|d| (&d.address, &d.span))
            .find(|(a, s)| *a == address && *s != span)
            .map(|(_, s)| s);
        let Some(earlier) = top.or(scoped) else {
            return;
        };
        if top.is_none() && earlier.range.start > span.range.start {
            // Reported once, at the later of the two.
            return;
        }
        self.diags.push(
            Diagnostic::error("Duplicate data source declaration")
                .with_span(span.clone(), "declared again here")
                .with_detail(format!(
                    "`{address}` is already declared at {}. Names must be unique, inside \
                     check blocks too.",
                    self.sources.location(earlier)
                )),
        );
    }
}

/// The error for `data.T.N` read outside the check that declares it, if a check does.
pub(super) fn outside_reference(
    config: &Config,
    sources: &SourceMap,
    address: &ResourceAddress,
    span: Span,
) -> Option<Diagnostic> {
    let (check, data) = config.checks.iter().find_map(|c| {
        c.data
            .iter()
            .find(|d| &d.address == address)
            .map(|d| (c, d))
    })?;
    Some(
        Diagnostic::error("Reference to a check-scoped data source")
            .with_span(span, "declared inside a check")
            .with_detail(format!(
                "`{address}` is declared inside `check \"{}\"` at {}; only that check's \
                 assertions can read it.",
                check.name,
                sources.location(&data.span)
            ))
            .with_help(format!(
                "declare `data \"{}\" \"{}\"` outside the check to use it here",
                address.type_name, address.name
            )),
    )
}

#[cfg(test)]
#[path = "check_data_tests.rs"]
mod tests;
