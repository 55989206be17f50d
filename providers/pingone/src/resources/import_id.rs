//! Import ID formats, as the Terraform provider documents them
//! (TERRAFORM-PROVIDER.md §2.5 and each resource's "Import"): the attributes
//! an ID names, in order, joined by `/`; every part is a PingOne UUID.

/// The attributes the import ID of `type_name` names; empty when it has none.
pub(crate) fn format(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "pingone_environment" => &["id"],
        "pingone_population_default" => &["environment_id"],
        "pingone_population" | "pingone_user" | "pingone_group" | "pingone_application" => {
            &["environment_id", "id"]
        }
        "pingone_group_nesting" => &["environment_id", "group_id", "nested_group_id"],
        "pingone_user_group_assignment" => &["environment_id", "user_id", "group_id"],
        "pingone_user_role_assignment" => &["environment_id", "user_id", "id"],
        "pingone_group_role_assignment" => &["environment_id", "group_id", "id"],
        "pingone_application_role_assignment" => &["environment_id", "application_id", "id"],
        "pingone_application_secret" => &["environment_id", "application_id"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_type_can_be_imported_by_attributes_it_has() {
        let registry = crate::resources::Registry::new();
        for (type_name, schema) in registry.schemas() {
            let parts = format(&type_name);
            assert!(!parts.is_empty(), "{type_name} has no import ID");
            for part in parts {
                assert!(schema.attributes.contains_key(*part), "{type_name}: {part}");
            }
            assert_eq!(schema.import_id, parts, "{type_name}");
        }
    }
}
