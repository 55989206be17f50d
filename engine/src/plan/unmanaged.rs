//! Objects nobody manages: what exists beside the managed objects (created by
//! hand, or by another tool), for `plan --refresh-only --report-unmanaged`.

use crate::Value;
use crate::provider::{ProviderError, UnmanagedObject, UnmanagedRequest};
use crate::providers::Providers;

/// Asks every provider configuration that can list for the objects beside those
/// `state` records it manages (each configuration looks in its own organization).
/// Providers that cannot list are skipped.
pub async fn report(
    state: &state::State,
    providers: &Providers,
) -> Result<Vec<UnmanagedObject>, ProviderError> {
    let mut found = Vec::new();
    for (reference, provider) in providers.configurations() {
        let recorded = reference.to_string();
        let managed = state
            .resources
            .iter()
            .filter(|r| r.provider == recorded)
            .map(|r| (r.type_name.clone(), Value::from_json(&r.attributes)))
            .collect();
        if let Some(objects) = provider.unmanaged(UnmanagedRequest { managed }).await? {
            found.extend(objects);
        }
    }
    // Two configurations may reach the same organization: what one manages is not
    // unmanaged for the other.
    let ids: std::collections::BTreeSet<&str> = state
        .resources
        .iter()
        .filter_map(|r| r.attributes.get("id")?.as_str())
        .collect();
    found.retain(|o| !ids.contains(o.id.as_str()));
    found.sort_by(|a, b| (&a.type_name, &a.label, &a.id).cmp(&(&b.type_name, &b.label, &b.id)));
    Ok(found)
}
