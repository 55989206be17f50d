//! A module call's `providers = { pingone = pingone.eu }`: which of the
//! caller's provider configurations each configuration the module uses stands
//! for. Without an entry a module uses its caller's default configuration of
//! the same provider, as in Terraform; an aliased configuration must be passed.
//!
//! Applied once the child is loaded: every resource of the child (and of the
//! modules below it, already expressed in the child's names) is rewritten into
//! the caller's names, so the rest of pingform only knows root configurations.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};

use super::model::{Config, ModuleCall};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap, Span};
use crate::provider_config::ProviderConfigRef;

/// Rewrites the provider configurations of `call`'s module into the caller's.
pub(super) fn apply(call: &mut ModuleCall, sources: &SourceMap, diags: &mut Diagnostics) {
    let map = match &call.providers {
        Some(attr) => parse(&attr.expr.expr, attr.expr.file, sources, diags),
        None => BTreeMap::new(),
    };
    let name = call.name.clone();
    let at = sources.location(&call.span);
    rewrite(&mut call.config, &map, &name, &at, diags);
}

fn rewrite(
    config: &mut Config,
    map: &BTreeMap<ProviderConfigRef, (ProviderConfigRef, Span)>,
    call: &str,
    at: &str,
    diags: &mut Diagnostics,
) {
    for block in &mut config.resources {
        let own = ProviderConfigRef::for_resource(block);
        match (map.get(&own), &block.provider) {
            (Some((outer, span)), _) => block.provider = Some((outer.clone(), span.clone())),
            // The caller's default configuration, implicitly.
            (None, _) if own.is_default() => {}
            (None, Some((_, span))) => diags.push(
                Diagnostic::error("Provider configuration not passed to the module")
                    .with_span(span.clone(), "not passed in")
                    .with_detail(format!(
                        "This resource uses `{own}`, but the call `module.{call}` does not pass a \
                         configuration for it."
                    ))
                    .with_help(format!(
                        "add `providers = {{ {own} = {}.ALIAS }}` to the `module \"{call}\"` block \
                         at {at}",
                        own.name
                    )),
            ),
            (None, None) => {}
        }
    }
    for child in &mut config.modules {
        rewrite(&mut child.config, map, call, at, diags);
    }
}

/// `{ pingone = pingone.eu, pingone.west = pingone }`: the module's name on the
/// left, the caller's on the right.
fn parse(
    expr: &Expression,
    file: crate::diagnostics::FileId,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> BTreeMap<ProviderConfigRef, (ProviderConfigRef, Span)> {
    let span_of = |node: &dyn hcl_edit::Span| Span::new(file, node.span().unwrap_or(0..0));
    let text_of = |span: &Span| {
        sources
            .text(file)
            .get(span.range.clone())
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let mut map = BTreeMap::new();
    let Expression::Object(object) = expr else {
        diags.push(invalid(span_of(expr)));
        return map;
    };
    for (key, value) in object.iter() {
        let key_span = match key {
            ObjectKey::Ident(ident) => span_of(ident),
            ObjectKey::Expression(e) => span_of(e),
        };
        let value_span = span_of(value.expr());
        let parsed = (
            text_of(&key_span).parse::<ProviderConfigRef>(),
            text_of(&value_span).parse::<ProviderConfigRef>(),
        );
        match parsed {
            (Ok(inner), Ok(outer)) => {
                map.insert(inner, (outer, value_span));
            }
            _ => diags.push(invalid(key_span.to(&value_span))),
        }
    }
    map
}

fn invalid(span: Span) -> Diagnostic {
    Diagnostic::error("Invalid `providers` argument")
        .with_span(span, "expected NAME or NAME.ALIAS on both sides")
        .with_detail(
            "`providers` maps the module's provider configurations to the caller's, such as \
             `providers = { pingone = pingone.eu }`.",
        )
}
