//! `pingform providers`: the provider configurations (the default one and each
//! alias), where each is declared, and what uses it in the configuration and in
//! the state, without contacting PingOne.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use engine::ProviderConfigRef;
use engine::config::Config;

use crate::Status;
use crate::report::CliError;
use crate::session::{self, state_error};

pub(crate) fn run(dir: &Path) -> Result<Status, CliError> {
    let providers = session::providers(pingone::Settings::default());
    let (config, _graph) = session::load(dir, &providers)?;
    let workspace = crate::backend::current_workspace(dir);
    let backend = crate::backend::open(dir, &config, &workspace)?.into_backend();
    let state = backend
        .recover()
        .map_err(|e| state_error("could not load state", &e))?
        .unwrap_or_default();
    std::io::stdout()
        .write_all(report(&config, &state).as_bytes())
        .map_err(|e| CliError::from_error("could not write the provider list", &e))?;
    Ok(Status::Success)
}

/// Each configuration the configuration declares or uses, with the blocks that
/// use it, then the configurations state records objects under.
fn report(config: &Config, state: &state::State) -> String {
    let mut used: BTreeMap<ProviderConfigRef, Vec<String>> = config
        .providers
        .iter()
        .map(|p| (p.config_ref(), Vec::new()))
        .collect();
    for block in &config.resources {
        let reference = ProviderConfigRef::for_resource(block);
        used.entry(reference)
            .or_default()
            .push(block.address.to_string());
    }
    let mut out = String::from("Provider configurations in the configuration:\n");
    if used.is_empty() {
        out.push_str("  (none)\n");
    }
    for (reference, users) in &used {
        let declared = match config.provider_block(reference) {
            Some(block) => format!("declared at {}", config.sources.location(&block.span)),
            None => {
                "no provider block: settings from the PINGONE_* environment variables".to_string()
            }
        };
        let _ = writeln!(out, "  {reference}  ({declared})");
        for user in users {
            let _ = writeln!(out, "    {user}");
        }
    }
    let mut stored: BTreeMap<&str, usize> = BTreeMap::new();
    for resource in &state.resources {
        *stored.entry(resource.provider.as_str()).or_default() += 1;
    }
    out.push_str("\nProvider configurations in the state:\n");
    if stored.is_empty() {
        out.push_str("  (no objects)\n");
    }
    for (reference, count) in stored {
        let noun = if count == 1 { "object" } else { "objects" };
        let _ = writeln!(out, "  {reference}  ({count} {noun})");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_each_configuration_with_its_users_and_stored_objects() {
        let config = engine::config::load_str(
            "main.tf",
            r#"provider "pingone" {
  alias = "eu"
}
resource "pingone_group" "home" {}
resource "pingone_group" "away" {
  provider = pingone.eu
}
"#,
        )
        .unwrap();
        let mut state = state::State::new();
        let away = engine::ResourceAddress::new("pingone_group", "away");
        let eu = ProviderConfigRef::aliased("pingone", "eu");
        state.upsert(away.to_state_managed_by(&eu, serde_json::json!({"id": "1"}), vec![]));
        let text = report(&config, &state);
        assert_eq!(
            text,
            "Provider configurations in the configuration:\n  pingone  (no provider block: \
             settings from the PINGONE_* environment variables)\n    pingone_group.home\n  \
             pingone.eu  (declared at main.tf:1:1)\n    pingone_group.away\n\nProvider \
             configurations in the state:\n  pingone.eu  (1 object)\n"
        );
    }
}
