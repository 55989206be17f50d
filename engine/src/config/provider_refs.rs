//! Checks of provider configurations across the whole configuration: one block
//! per configuration (name and alias), and every `provider = NAME.ALIAS`
//! meta-argument naming a declared configuration of the resource's own provider.

use std::collections::BTreeMap;

use super::model::{Config, ResourceBlock};
use crate::diagnostics::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::provider_config::ProviderConfigRef;

/// Reports duplicate provider configurations and references that name no
/// declared configuration, or one of another provider.
pub(super) fn check(config: &Config, diags: &mut Diagnostics) {
    duplicates(config, diags);
    // A module's resources are already in the root's names (see `module_providers`).
    for block in config.all_resources() {
        if let Some((reference, span)) = &block.provider {
            check_reference(config, block, reference, span, diags);
        }
    }
}

/// Two blocks declaring the same configuration (the same name and alias).
fn duplicates(config: &Config, diags: &mut Diagnostics) {
    let mut first: BTreeMap<ProviderConfigRef, &Span> = BTreeMap::new();
    for block in &config.providers {
        let reference = block.config_ref();
        let Some(earlier) = first.get(&reference) else {
            first.insert(reference, &block.span);
            continue;
        };
        let help = match &reference.alias {
            Some(_) => "give each block of the same provider a different `alias`".to_string(),
            None => format!(
                "to configure `{}` a second time, give the second block an alias: \
                 `alias = \"eu\"`, and select it with `provider = {}.eu`",
                reference.name, reference.name
            ),
        };
        diags.push(
            Diagnostic::error("Duplicate provider configuration")
                .with_span(block.span.clone(), "declared again here")
                .with_detail(format!(
                    "The provider configuration `{reference}` was already declared at {}. Each \
                     configuration of a provider needs its own alias.",
                    config.sources.location(earlier)
                ))
                .with_help(help),
        );
    }
}

/// One `provider` meta-argument: of the resource's provider, and declared.
fn check_reference(
    config: &Config,
    block: &ResourceBlock,
    reference: &ProviderConfigRef,
    span: &Span,
    diags: &mut Diagnostics,
) {
    let own = block.address.provider_name();
    if reference.name != own {
        diags.push(
            Diagnostic::error("Provider of the wrong type")
                .with_span(
                    span.clone(),
                    format!("a configuration of `{}`", reference.name),
                )
                .with_detail(format!(
                    "`{}` is a resource type of the provider `{own}`, so it cannot be managed by \
                     the provider configuration `{reference}`.",
                    block.address.type_name
                ))
                .with_help(format!(
                    "name a configuration of `{own}`, such as `provider = {own}`"
                )),
        );
        return;
    }
    if reference.is_default() || config.provider_block(reference).is_some() {
        return;
    }
    let declared: Vec<String> = config
        .providers
        .iter()
        .filter(|p| p.name == reference.name)
        .filter_map(|p| p.alias.as_ref().map(|(alias, _)| alias.clone()))
        .collect();
    let alias = reference.alias.as_deref().unwrap_or_default();
    let help = match did_you_mean(alias, declared.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{}.{near}`?", reference.name),
        None => format!(
            "declare it with `provider \"{}\" {{ alias = \"{alias}\" ... }}`, or use one of the \
             declared configurations: {}",
            reference.name,
            declared_list(&reference.name, &declared)
        ),
    };
    diags.push(
        Diagnostic::error("Reference to undeclared provider configuration")
            .with_span(span.clone(), "no such provider configuration")
            .with_detail(format!(
                "There is no `provider \"{}\"` block with `alias = \"{alias}\"` for `{}` to use.",
                reference.name, block.address
            ))
            .with_help(help),
    );
}

/// `pingone`, `pingone.eu` and `pingone.us`: the configurations one can name.
fn declared_list(name: &str, aliases: &[String]) -> String {
    std::iter::once(format!("`{name}`"))
        .chain(aliases.iter().map(|alias| format!("`{name}.{alias}`")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use crate::config::load_str;
    use crate::diagnostics::Diagnostics;

    fn problems(text: &str) -> Diagnostics {
        let config = load_str("main.tf", text).expect("loads");
        let mut diags = Diagnostics::default();
        super::check(&config, &mut diags);
        diags
    }

    fn summaries(diags: &Diagnostics) -> Vec<String> {
        diags.iter().map(|d| d.summary.clone()).collect()
    }

    #[test]
    fn declared_aliases_and_the_default_are_accepted() {
        let found = problems(
            r#"provider "pingone" {}
provider "pingone" { alias = "eu" }
resource "pingone_group" "a" { provider = pingone.eu }
resource "pingone_group" "b" { provider = pingone }
data "pingone_role" "r" { provider = pingone.eu }
"#,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn an_undeclared_alias_is_an_error_with_a_suggestion() {
        let found = problems(
            r#"provider "pingone" { alias = "europe" }
resource "pingone_group" "a" { provider = pingone.eurpoe }
"#,
        );
        assert_eq!(
            summaries(&found),
            ["Reference to undeclared provider configuration"]
        );
        let diag = &found.iter().next().expect("one");
        assert_eq!(diag.help.as_deref(), Some("did you mean `pingone.europe`?"));
        assert!(
            diag.detail
                .as_deref()
                .unwrap_or("")
                .contains("pingone_group.a")
        );
    }

    #[test]
    fn an_alias_with_no_near_match_lists_the_declared_ones() {
        let found = problems(
            r#"provider "pingone" { alias = "eu" }
resource "pingone_group" "a" { provider = pingone.nope }
"#,
        );
        let help = found.iter().next().and_then(|d| d.help.clone());
        let help = help.unwrap_or_default();
        assert!(help.contains("`pingone`, `pingone.eu`"), "{help}");
        assert!(help.contains("alias = \"nope\""), "{help}");
    }

    #[test]
    fn duplicate_configurations_and_wrong_provider_types_are_errors() {
        let found = problems(
            r#"provider "pingone" {}
provider "pingone" {}
provider "pingone" { alias = "eu" }
provider "pingone" { alias = "eu" }
provider "other" { alias = "eu" }
resource "pingone_group" "a" { provider = other.eu }
"#,
        );
        assert_eq!(
            summaries(&found),
            [
                "Duplicate provider configuration",
                "Duplicate provider configuration",
                "Provider of the wrong type"
            ]
        );
        let first = found.iter().next().and_then(|d| d.help.clone());
        assert!(first.unwrap_or_default().contains("alias = \"eu\""));
    }
}
