//! Upgrading state documents written in an older format, one version at a
//! time, before they are parsed into the current model.
//!
//! Versions:
//! - 1: the first format (format version, lineage, serial, resources).
//! - 2: adds `pending_creates`, the create intents of crash recovery. The
//!   document is otherwise the same, but a version-1 reader would drop the
//!   intents it does not know when it rewrote the file, so it must refuse the
//!   file instead, which it does for any newer version.
//! - 3: adds `index_key` to resources and intents (instances of `count` and
//!   `for_each`). Older documents have none; a version-2 reader would merge
//!   the instances of one resource, so it must refuse the file.
//! - 4: adds `module` to resources, intents and journal records (resources of
//!   child modules). Older documents have none; a version-3 reader would take
//!   a module's resource for the root module's, so it must refuse the file.
//!   In the same version a resource's `provider` names the provider
//!   configuration that manages it: `pingone`, or `pingone.eu` for an aliased
//!   `provider` block (older documents only hold `pingone`, the default); a
//!   version-3 reader would send an aliased object's refresh and delete to the
//!   default configuration, so it must refuse the file.

use serde_json::Value;

/// Upgrades `raw` from `from` to the current format; returns the steps taken.
/// `from` must be at least 1 and at most the current version.
pub fn upgrade(raw: &mut Value, from: u64) -> Vec<&'static str> {
    let mut steps = Vec::new();
    if from < 2 {
        v1_to_v2(raw);
        steps.push("1 -> 2: no create intents pending");
    }
    if from < 3 {
        set_version(raw, 3);
        steps.push("2 -> 3: no instance keys");
    }
    if from < 4 {
        set_version(raw, 4);
        steps.push("3 -> 4: every resource in the root module, managed by its provider's default configuration");
    }
    steps
}

fn v1_to_v2(raw: &mut Value) {
    if let Some(doc) = raw.as_object_mut() {
        doc.entry("pending_creates")
            .or_insert_with(|| Value::Array(Vec::new()));
    }
    set_version(raw, 2);
}

fn set_version(raw: &mut Value, version: u32) {
    if let Some(doc) = raw.as_object_mut() {
        doc.insert("format_version".into(), Value::from(version));
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{FORMAT_VERSION, State};

    const V1: &str = include_str!("../tests/fixtures/v1-state.json");

    #[test]
    fn a_version_1_file_loads_upgraded_and_is_written_back_in_the_current_format() {
        let state: State = crate::parse(Path::new("v1.tfstate"), V1).unwrap();
        assert_eq!(state.format_version, FORMAT_VERSION);
        assert_eq!(state.serial, 4);
        assert_eq!(state.lineage, "6f1c2e0a-5d3b-4a8e-9c1f-2b7d8e9a0c11");
        assert_eq!(state.resources.len(), 2);
        assert!(state.pending_creates.is_empty());
        let contractors = state
            .get(&[], "pingone_population", "contractors", None)
            .unwrap();
        assert_eq!(contractors.dependencies, ["pingone_population.staff"]);
        let written = serde_json::to_value(&state).unwrap();
        assert_eq!(written["format_version"], FORMAT_VERSION);
    }

    #[test]
    fn a_version_3_file_keeps_its_objects_on_the_default_provider_configuration() {
        let v3 = r#"{"format_version": 3, "lineage": "l", "serial": 2, "resources": [
            {"type": "pingone_group", "name": "g", "index_key": 0, "provider": "pingone",
             "attributes": {"id": "1"}, "dependencies": []}]}"#;
        let mut raw: serde_json::Value = serde_json::from_str(v3).unwrap();
        let steps = super::upgrade(&mut raw, 3);
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(steps[0].starts_with("3 -> 4"), "{steps:?}");
        let state: State = crate::parse(Path::new("v3.tfstate"), v3).unwrap();
        assert_eq!(state.format_version, 4);
        let group = state.get(&[], "pingone_group", "g", Some(&crate::IndexKey::Int(0)));
        assert_eq!(group.map(|g| g.provider.as_str()), Some("pingone"));
    }

    #[test]
    fn unknown_versions_below_1_are_refused() {
        let err = crate::parse(
            Path::new("s"),
            r#"{"format_version": 0, "lineage": "x", "serial": 1}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("format version 0"), "{err}");
    }
}
