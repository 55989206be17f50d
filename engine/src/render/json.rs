//! The plan as JSON in the shape of Terraform's `terraform show -json` plan
//! (`format_version`, `resource_changes[].change.{actions, before, after,
//! after_unknown, before_sensitive, after_sensitive}`), so tools that read
//! Terraform plans read ours. Unlike Terraform, sensitive values are never
//! written: they become `null`, with `true` in the matching `*_sensitive` tree.

use std::io::{self, Write};

use serde_json::{Map, Value as Json, json};

use crate::Value;
use crate::plan::{Action, Plan, ResourceChange};

/// The Terraform plan-JSON format version this output follows.
pub const FORMAT_VERSION: &str = "1.2";

/// Writes the plan as one JSON document.
pub fn render_plan(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &plan_json(plan))?;
    writeln!(out)
}

/// The plan as a JSON value.
pub fn plan_json(plan: &Plan) -> Json {
    json!({
        "format_version": FORMAT_VERSION,
        "pingform_version": env!("CARGO_PKG_VERSION"),
        "applyable": plan.has_changes(),
        "complete": true,
        "errored": false,
        "resource_changes": plan.changes.iter().map(resource_change).collect::<Vec<_>>(),
        "resource_drift": plan.drift.iter().map(resource_change).collect::<Vec<_>>(),
        "output_changes": {},
    })
}

fn actions(action: Action) -> Vec<&'static str> {
    match action {
        Action::NoOp => vec!["no-op"],
        Action::Create => vec!["create"],
        Action::Update => vec!["update"],
        Action::Replace => vec!["delete", "create"],
        Action::Delete => vec!["delete"],
    }
}

fn resource_change(change: &ResourceChange) -> Json {
    let address = &change.address;
    let mut body = Map::new();
    body.insert("address".into(), json!(address.to_string()));
    body.insert("mode".into(), json!("managed"));
    body.insert("type".into(), json!(address.type_name));
    body.insert("name".into(), json!(address.name));
    body.insert("provider_name".into(), json!(address.provider_name()));
    let side = |v: &Option<Value>| v.as_ref().map(|v| masked(v, change, true));
    let sensitive = |v: &Option<Value>| {
        v.as_ref()
            .map_or(json!(false), |v| sensitivity(v, change, true))
    };
    let mut inner = Map::new();
    inner.insert("actions".into(), json!(actions(change.action)));
    inner.insert("before".into(), side(&change.before).unwrap_or(Json::Null));
    inner.insert("after".into(), side(&change.after).unwrap_or(Json::Null));
    inner.insert(
        "after_unknown".into(),
        change.after.as_ref().map_or(json!(false), unknowns),
    );
    inner.insert("before_sensitive".into(), sensitive(&change.before));
    inner.insert("after_sensitive".into(), sensitive(&change.after));
    if !change.replace_paths.is_empty() {
        let paths: Vec<Json> = change.replace_paths.iter().map(|p| json!([p])).collect();
        inner.insert("replace_paths".into(), Json::Array(paths));
    }
    body.insert("change".into(), Json::Object(inner));
    if let Some(reason) = action_reason(change) {
        body.insert("action_reason".into(), json!(reason));
    }
    Json::Object(body)
}

/// Terraform's `action_reason` values for the cases pingform plans.
fn action_reason(change: &ResourceChange) -> Option<&'static str> {
    match (change.action, change.reason.as_deref()) {
        (Action::Delete, Some("not in configuration")) => Some("delete_because_no_resource_config"),
        (Action::Replace, _) => Some("replace_because_cannot_update"),
        _ => None,
    }
}

/// Is the top-level attribute `name` sensitive by schema?
fn schema_sensitive(change: &ResourceChange, name: &str) -> bool {
    change.sensitive.contains(name)
}

/// The value with sensitive parts and unknowns replaced by `null`.
fn masked(value: &Value, change: &ResourceChange, top: bool) -> Json {
    match value {
        Value::Sensitive(_) | Value::Unknown => Json::Null,
        Value::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| {
                    let hidden = top && schema_sensitive(change, k) && !v.is_null();
                    (
                        k.clone(),
                        if hidden {
                            Json::Null
                        } else {
                            masked(v, change, false)
                        },
                    )
                })
                .collect(),
        ),
        Value::List(items) => Json::Array(items.iter().map(|v| masked(v, change, false)).collect()),
        other => other.to_json().unwrap_or(Json::Null),
    }
}

/// `true` where the value is sensitive, mirroring its shape (Terraform's convention:
/// objects and lists keep their shape, non-sensitive leaves are omitted or `false`).
fn sensitivity(value: &Value, change: &ResourceChange, top: bool) -> Json {
    match value {
        Value::Sensitive(_) => json!(true),
        Value::Object(map) => Json::Object(
            map.iter()
                .filter_map(|(k, v)| {
                    let marked = if top && schema_sensitive(change, k) && !v.is_null() {
                        json!(true)
                    } else {
                        sensitivity(v, change, false)
                    };
                    (marked != json!(false) && marked != json!({}) && marked != json!([]))
                        .then(|| (k.clone(), marked))
                })
                .collect(),
        ),
        Value::List(items) => Json::Array(
            items
                .iter()
                .map(|v| sensitivity(v, change, false))
                .collect(),
        ),
        _ => json!(false),
    }
}

/// `true` where the value is unknown, mirroring its shape.
fn unknowns(value: &Value) -> Json {
    match value {
        Value::Unknown => json!(true),
        Value::Sensitive(m) => unknowns(m.value()),
        Value::Object(map) => Json::Object(
            map.iter()
                .filter_map(|(k, v)| {
                    let u = unknowns(v);
                    (u != json!(false) && u != json!({})).then(|| (k.clone(), u))
                })
                .collect(),
        ),
        Value::List(items) => Json::Array(items.iter().map(unknowns).collect()),
        _ => json!(false),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::ResourceAddress;
    use crate::plan::PlanMode;
    use crate::render::fixture::obj;

    #[test]
    fn create_update_replace_delete_in_terraform_shape() {
        let mut secret = BTreeSet::new();
        secret.insert("client_secret".to_string());
        let before = obj(&[
            ("id", "p-1".into()),
            ("name", "Staff".into()),
            ("client_secret", "s3cr3t-value".into()),
        ]);
        let changes = vec![
            ResourceChange {
                address: ResourceAddress::new("pingone_population", "new"),
                action: Action::Create,
                before: None,
                after: Some(obj(&[("id", Value::Unknown), ("name", "New".into())])),
                replace_paths: vec![],
                sensitive: BTreeSet::new(),
                reason: None,
            },
            ResourceChange {
                address: ResourceAddress::new("pingone_application", "app"),
                action: Action::Replace,
                before: Some(before.clone()),
                after: Some(obj(&[
                    ("id", Value::Unknown),
                    ("name", "Staff".into()),
                    ("client_secret", Value::Unknown),
                ])),
                replace_paths: vec!["name".into()],
                sensitive: secret.clone(),
                reason: None,
            },
            ResourceChange {
                address: ResourceAddress::new("pingone_application", "old"),
                action: Action::Delete,
                before: Some(before),
                after: None,
                replace_paths: vec![],
                sensitive: secret,
                reason: Some("not in configuration".into()),
            },
        ];
        let plan = Plan {
            prior: state::State::new(),
            refresh_changed_state: false,
            drift: Vec::new(),
            changes,
            mode: PlanMode::Normal,
        };
        let mut out = Vec::new();
        render_plan(&plan, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("s3cr3t-value"), "no secret in JSON");
        let text = text.replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(text);
    }
}
