//! Objects nobody manages: what exists beside the managed objects (created by
//! hand, or by another tool), for `plan --refresh-only --report-unmanaged`.

use crate::Value;
use crate::provider::{ProviderError, UnmanagedObject, UnmanagedRequest};
use crate::providers::Providers;

/// Asks every provider that can list for the objects beside those `state` manages.
/// Providers that cannot list are skipped.
pub async fn report(
    state: &state::State,
    providers: &Providers,
) -> Result<Vec<UnmanagedObject>, ProviderError> {
    let mut found = Vec::new();
    for name in providers.names() {
        let Some(provider) = providers.get(name) else {
            continue;
        };
        let managed = state
            .resources
            .iter()
            .filter(|r| r.provider == name)
            .map(|r| (r.type_name.clone(), Value::from_json(&r.attributes)))
            .collect();
        if let Some(objects) = provider.unmanaged(UnmanagedRequest { managed }).await? {
            found.extend(objects);
        }
    }
    found.sort_by(|a, b| (&a.type_name, &a.label, &a.id).cmp(&(&b.type_name, &b.label, &b.id)));
    Ok(found)
}
