//! Objects in the managed environments that no configuration manages, so a
//! nightly drift job sees users, groups, populations and applications created
//! by hand. Environments are those the managed objects live in.

use std::collections::BTreeSet;

use engine::Value;
use engine::provider::{ProviderError, UnmanagedObject, UnmanagedRequest};

use crate::client::Client;
use crate::resources::environment_gone;

/// The collections listed in each environment: resource type, collection, label field.
const LISTED: [(&str, &str, &str); 4] = [
    ("pingone_population", "populations", "name"),
    ("pingone_user", "users", "username"),
    ("pingone_group", "groups", "name"),
    ("pingone_application", "applications", "name"),
];

/// Lists every environment the managed objects live in and returns what is not managed.
pub(crate) async fn find(
    client: &Client,
    request: &UnmanagedRequest,
) -> Result<Vec<UnmanagedObject>, ProviderError> {
    let (environments, managed) = scope(request);
    let mut found = Vec::new();
    for environment in &environments {
        for (type_name, plural, label) in LISTED {
            let operation = format!("list {plural} in environment {environment}");
            let items = match client
                .list_all(&["environments", environment, plural], plural)
                .await
            {
                Ok(items) => items,
                Err(error) => {
                    // An environment deleted out of band has nothing left to report.
                    environment_gone(client, environment, error, &operation).await?;
                    break;
                }
            };
            found.extend(
                items
                    .iter()
                    .filter_map(|item| unmanaged(item, type_name, label, environment, &managed)),
            );
        }
    }
    Ok(found)
}

/// The environments to look in, and the ids already managed.
fn scope(request: &UnmanagedRequest) -> (BTreeSet<String>, BTreeSet<String>) {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let mut environments = BTreeSet::new();
    let mut managed = BTreeSet::new();
    for (type_name, attributes) in &request.managed {
        let id = text(attributes, "id");
        if type_name == "pingone_environment" {
            environments.extend(id.clone());
        } else {
            environments.extend(text(attributes, "environment_id"));
        }
        managed.extend(id);
    }
    (environments, managed)
}

fn unmanaged(
    item: &serde_json::Value,
    type_name: &str,
    label_field: &str,
    environment: &str,
    managed: &BTreeSet<String>,
) -> Option<UnmanagedObject> {
    let id = item.get("id")?.as_str()?;
    if managed.contains(id) {
        return None;
    }
    let mut label = item
        .get(label_field)
        .and_then(|v| v.as_str())
        .unwrap_or(id)
        .to_string();
    if type_name == "pingone_population"
        && item.get("default").and_then(|v| v.as_bool()) == Some(true)
    {
        label.push_str(" (the environment's default population)");
    }
    Some(UnmanagedObject {
        type_name: type_name.to_string(),
        id: id.to_string(),
        label,
        location: format!("environment {environment}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_come_from_managed_objects_and_managed_ids_are_skipped() {
        let population = Value::Object(
            [
                ("id".to_string(), Value::from("p1")),
                ("environment_id".to_string(), Value::from("e1")),
            ]
            .into(),
        );
        let environment = Value::Object([("id".to_string(), Value::from("e2"))].into());
        let request = UnmanagedRequest {
            managed: vec![
                ("pingone_population".into(), population),
                ("pingone_environment".into(), environment),
            ],
        };
        let (environments, managed) = scope(&request);
        assert_eq!(environments.into_iter().collect::<Vec<_>>(), ["e1", "e2"]);
        let item = serde_json::json!({"id": "p1", "name": "Staff"});
        assert!(unmanaged(&item, "pingone_population", "name", "e1", &managed).is_none());
        let other = serde_json::json!({"id": "p9", "name": "Default", "default": true});
        let found = unmanaged(&other, "pingone_population", "name", "e1", &managed).unwrap();
        assert!(found.label.starts_with("Default (the environment"));
    }
}
