//! The plan as JSON in the shape of Terraform's `terraform show -json` plan, so tools that
//! read Terraform plans read ours: `format_version`, `terraform_version` (pingform's),
//! `variables`, `planned_values`, `resource_drift`, `resource_changes` (each
//! `change.{actions, before, after, after_unknown, before_sensitive, after_sensitive,
//! replace_paths}`), `output_changes`, `prior_state`, `configuration` (resources and
//! outputs, without expressions), `timestamp`, `applyable`, `complete` and `errored`.
//!
//! Unlike Terraform, sensitive values are never written: they become `null`, with `true`
//! in the matching `*_sensitive` tree (and a sensitive variable's value is `null`).
//!
//! Two extensions beside Terraform's fields (readers of Terraform plans ignore them):
//! `change.sensitive_changed`, which says of each sensitive leaf of `after` whether it
//! differs from `before` (a rotated secret from an unchanged one), and a top-level
//! `risks` array of `{address, message}`, the changes a reviewer must not miss.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde_json::{Map, Value as Json, json};

use super::Context;
use crate::plan::diff::sensitive_attributes;
use crate::plan::outputs::OutputChange;
use crate::plan::{Action, Plan, ResourceChange};
use crate::{ProviderConfigRef, Value};

/// The Terraform plan-JSON format version this output follows.
pub const FORMAT_VERSION: &str = "1.2";

/// The format version of the `prior_state` document (Terraform's state JSON).
const STATE_FORMAT_VERSION: &str = "1.0";

/// Writes the plan as one JSON document.
pub fn render_plan(plan: &Plan, context: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &plan_json(plan, context))?;
    writeln!(out)
}

/// The plan as a JSON value.
pub fn plan_json(plan: &Plan, context: &Context<'_>) -> Json {
    let mut doc = json!({
        "format_version": FORMAT_VERSION,
        "terraform_version": env!("CARGO_PKG_VERSION"),
        "pingform_version": env!("CARGO_PKG_VERSION"),
        "variables": variables(context),
        "planned_values": planned_values(plan, context),
        "resource_drift": plan.drift.iter().map(resource_change).collect::<Vec<_>>(),
        "resource_changes": plan.changes.iter().map(resource_change).collect::<Vec<_>>(),
        "output_changes": output_changes(context.outputs),
        "prior_state": prior_state(plan, context),
        "risks": risks(context),
    });
    if let Some(configuration) = configuration(context) {
        doc["configuration"] = configuration;
    }
    doc["timestamp"] = json!(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    doc["applyable"] = json!(plan.has_changes());
    doc["complete"] = json!(true);
    doc["errored"] = json!(false);
    doc
}

fn actions(action: Action) -> Vec<&'static str> {
    match action {
        Action::NoOp => vec!["no-op"],
        Action::Create => vec!["create"],
        Action::Update => vec!["update"],
        Action::Replace => vec!["delete", "create"],
        Action::CreateThenDelete => vec!["create", "delete"],
        Action::Delete => vec!["delete"],
        Action::Read => vec!["read"],
    }
}

/// `address`, `mode`, `type`, `name` and `provider_name` of a resource.
fn identity(address: &crate::ResourceAddress) -> Map<String, Json> {
    let mut body = Map::new();
    body.insert("address".into(), json!(address.to_string()));
    let mode = if address.is_data() { "data" } else { "managed" };
    body.insert("mode".into(), json!(mode));
    body.insert("type".into(), json!(address.type_name));
    body.insert("name".into(), json!(address.name));
    match &address.key {
        Some(crate::InstanceKey::Int(i)) => body.insert("index".into(), json!(i)),
        Some(crate::InstanceKey::Str(k)) => body.insert("index".into(), json!(k)),
        None => None,
    };
    body.insert("provider_name".into(), json!(address.provider_name()));
    if address.in_child_module() {
        body.insert(
            "module_address".into(),
            json!(crate::address::module_path(&address.module)),
        );
    }
    body
}

fn resource_change(change: &ResourceChange) -> Json {
    let names = &change.sensitive;
    let side = |v: &Option<Value>| v.as_ref().map_or(Json::Null, |v| masked(v, names, true));
    let sensitive = |v: &Option<Value>| {
        v.as_ref()
            .map_or(json!(false), |v| sensitivity(v, names, true))
    };
    let mut inner = Map::new();
    inner.insert("actions".into(), json!(actions(change.action)));
    inner.insert("before".into(), side(&change.before));
    inner.insert("after".into(), side(&change.after));
    inner.insert(
        "after_unknown".into(),
        change.after.as_ref().map_or(json!({}), unknowns),
    );
    inner.insert("before_sensitive".into(), sensitive(&change.before));
    inner.insert("after_sensitive".into(), sensitive(&change.after));
    if let Some(changed) = change
        .after
        .as_ref()
        .and_then(|after| sensitive_changes(change.before.as_ref(), after, names, true))
    {
        inner.insert("sensitive_changed".into(), changed);
    }
    if !change.replace_paths.is_empty() {
        let paths: Vec<Json> = change.replace_paths.iter().map(|p| json!([p])).collect();
        inner.insert("replace_paths".into(), Json::Array(paths));
    }
    if let Some(id) = &change.importing {
        inner.insert("importing".into(), json!({ "id": id }));
    }
    let mut body = identity(&change.address);
    if let Some(key) = &change.deposed {
        body.insert("deposed".into(), json!(key));
    }
    body.insert("change".into(), Json::Object(inner));
    if let Some(reason) = action_reason(change) {
        body.insert("action_reason".into(), json!(reason));
    }
    Json::Object(body)
}

/// Terraform's `action_reason` values for the cases pingform plans.
fn action_reason(change: &ResourceChange) -> Option<&'static str> {
    let replaces = change.action.replaces();
    match (change.action, change.reason.as_deref()) {
        (Action::Delete, Some("not in configuration")) => Some("delete_because_no_resource_config"),
        (Action::Delete, Some(reason)) if reason.starts_with("in module.") => {
            Some("delete_because_no_module")
        }
        (_, Some(reason)) if replaces && crate::plan::triggers::is_reason(reason) => {
            Some("replace_by_triggers")
        }
        (_, Some(_)) if replaces && change.replace_paths.is_empty() => Some("replace_by_request"),
        _ if replaces => Some("replace_because_cannot_update"),
        _ => None,
    }
}

/// `[{"address", "message"}]`, in the plan's order.
fn risks(context: &Context<'_>) -> Json {
    context
        .risks
        .iter()
        .map(|r| json!({ "address": r.address.to_string(), "message": r.message }))
        .collect()
}

/// `{"NAME": {"value": ...}}`; sensitive values as `null`.
fn variables(context: &Context<'_>) -> Json {
    let variables: Map<String, Json> = context
        .variables
        .iter()
        .map(|(name, value)| {
            let value = if value.contains_sensitive() {
                Json::Null
            } else {
                value.to_json().unwrap_or(Json::Null)
            };
            (name.clone(), json!({ "value": value }))
        })
        .collect();
    Json::Object(variables)
}

/// The objects and outputs as they will be after apply. Unknown values are left out, as
/// Terraform does (`resource_changes[].change.after_unknown` says where they are).
fn planned_values(plan: &Plan, context: &Context<'_>) -> Json {
    let resources = plan.changes.iter().filter_map(|change| {
        let after = change.after.as_ref()?;
        let values = resource_values(&change.address, after, &change.sensitive);
        Some((change.address.module.as_slice(), values))
    });
    let outputs: Map<String, Json> = context
        .outputs
        .iter()
        .filter_map(|o| Some((o.name.clone(), output_value(o.after.as_ref()?, o.sensitive))))
        .collect();
    json!({ "outputs": outputs, "root_module": module_tree(resources) })
}

/// The refreshed state the plan was made against, in Terraform's state-JSON shape.
fn prior_state(plan: &Plan, context: &Context<'_>) -> Json {
    let resources = plan.prior.resources.iter().map(|r| {
        let address = crate::ResourceAddress::of_state(r);
        let names = sensitive_names(plan, context, &address);
        let value = Value::from_json(&r.attributes);
        let values = match names {
            Some(names) => resource_values(&address, &value, &names),
            // Which attributes are secret is unknown: show none of them.
            None => resource_values(
                &address,
                &Value::Object(Default::default()),
                &BTreeSet::new(),
            ),
        };
        (r.module.as_slice(), values)
    });
    let resources = module_tree(resources);
    let outputs: Map<String, Json> = context
        .outputs
        .iter()
        .filter_map(|o| {
            Some((
                o.name.clone(),
                output_value(o.before.as_ref()?, o.sensitive),
            ))
        })
        .collect();
    json!({
        "format_version": STATE_FORMAT_VERSION,
        "terraform_version": env!("CARGO_PKG_VERSION"),
        "values": { "outputs": outputs, "root_module": resources },
    })
}

/// Terraform's module tree: the root module's `resources`, and each module
/// instance under `child_modules` with its `address`, nested as the modules are.
fn module_tree<'a>(
    resources: impl Iterator<Item = (&'a [crate::address::ModuleStep], Json)>,
) -> Json {
    let mut by_module: std::collections::BTreeMap<&[crate::address::ModuleStep], Vec<Json>> =
        std::collections::BTreeMap::new();
    for (module, values) in resources {
        by_module.entry(module).or_default().push(values);
    }
    tree_at(&[], &by_module)
}

fn tree_at(
    path: &[crate::address::ModuleStep],
    by_module: &std::collections::BTreeMap<&[crate::address::ModuleStep], Vec<Json>>,
) -> Json {
    let resources = by_module.get(path).cloned().unwrap_or_default();
    let mut children: Vec<&[crate::address::ModuleStep]> = by_module
        .keys()
        .filter(|m| m.len() > path.len() && m.starts_with(path))
        .map(|m| &m[..path.len() + 1])
        .collect();
    children.dedup();
    let mut body = Map::new();
    if !path.is_empty() {
        body.insert("address".into(), json!(crate::address::module_path(path)));
    }
    body.insert("resources".into(), Json::Array(resources));
    if !children.is_empty() {
        let nested: Vec<Json> = children.iter().map(|c| tree_at(c, by_module)).collect();
        body.insert("child_modules".into(), Json::Array(nested));
    }
    Json::Object(body)
}

/// The sensitive attributes of `address`: from its planned change, else from its schema.
fn sensitive_names(
    plan: &Plan,
    context: &Context<'_>,
    address: &crate::ResourceAddress,
) -> Option<BTreeSet<String>> {
    let from_plan = plan
        .changes
        .iter()
        .chain(&plan.drift)
        .find(|c| &c.address == address)
        .map(|c| c.sensitive.clone());
    from_plan.or_else(|| {
        context
            .schemas
            .resource_schema(&address.type_name)
            .map(sensitive_attributes)
    })
}

/// One resource in `planned_values` or `prior_state`.
fn resource_values(
    address: &crate::ResourceAddress,
    value: &Value,
    names: &BTreeSet<String>,
) -> Json {
    let mut body = identity(address);
    body.insert("schema_version".into(), json!(0));
    body.insert("values".into(), known(masked(value, names, true), value));
    let sensitive = sensitivity(value, names, true);
    body.insert(
        "sensitive_values".into(),
        if sensitive == json!(false) {
            json!({})
        } else {
            sensitive
        },
    );
    Json::Object(body)
}

/// `masked` with the attributes that are unknown in `value` left out.
fn known(masked: Json, value: &Value) -> Json {
    match (masked, value.unmarked()) {
        (Json::Object(map), Value::Object(values)) => Json::Object(
            map.into_iter()
                .filter(|(k, _)| !values.get(k).is_some_and(Value::is_unknown))
                .collect(),
        ),
        (other, _) => other,
    }
}

fn output_value(value: &Value, sensitive: bool) -> Json {
    let mut body = Map::new();
    body.insert("sensitive".into(), json!(sensitive));
    if value.is_wholly_known() {
        let shown = if sensitive {
            Json::Null
        } else {
            value.to_json().unwrap_or(Json::Null)
        };
        body.insert("value".into(), shown);
    }
    Json::Object(body)
}

/// `{"NAME": {"actions", "before", "after", "after_unknown", "before_sensitive",
/// "after_sensitive"}}`; a sensitive output's values are `null`.
fn output_changes(outputs: &[OutputChange]) -> Json {
    let changes: Map<String, Json> = outputs
        .iter()
        .map(|o| {
            let side = |v: &Option<Value>| match v {
                Some(v) if !o.sensitive => masked(v, &BTreeSet::new(), false),
                _ => Json::Null,
            };
            let change = json!({
                "actions": actions(o.action),
                "before": side(&o.before),
                "after": side(&o.after),
                "after_unknown": o.after.as_ref().map_or(json!(false), unknowns),
                "before_sensitive": o.sensitive && o.before.is_some(),
                "after_sensitive": o.sensitive && o.after.is_some(),
            });
            (o.name.clone(), change)
        })
        .collect();
    Json::Object(changes)
}

/// One entry of `provider_config`: the provider's name and, for an aliased
/// configuration (keyed `pingone.eu`), its alias.
fn provider_config(reference: &ProviderConfigRef) -> Json {
    match &reference.alias {
        Some(alias) => json!({ "name": reference.name, "alias": alias }),
        None => json!({ "name": reference.name }),
    }
}

/// The configuration's providers, resources, outputs and module calls
/// (expressions are not rendered).
fn configuration(context: &Context<'_>) -> Option<Json> {
    let config = context.config?;
    let providers: Map<String, Json> = config
        .all_resources()
        .into_iter()
        .map(ProviderConfigRef::for_resource)
        .chain(config.providers.iter().map(|p| p.config_ref()))
        .map(|reference| (reference.to_string(), provider_config(&reference)))
        .collect();
    Some(json!({
        "provider_config": providers,
        "root_module": module_configuration(config),
    }))
}

/// One module's `resources`, `outputs` and `module_calls` (each with its `source`
/// and the called module's own configuration).
fn module_configuration(config: &crate::config::Config) -> Json {
    let resources: Vec<Json> = config
        .resources
        .iter()
        .map(|r| {
            // Addresses in a module's configuration are relative to it, as in Terraform.
            let relative = r.address.clone().in_module(&[]);
            let mut body = identity(&relative);
            body.remove("provider_name");
            let key = ProviderConfigRef::for_resource(r).to_string();
            body.insert("provider_config_key".into(), json!(key));
            body.insert("schema_version".into(), json!(0));
            if !r.depends_on.is_empty() {
                let on: Vec<String> = r.depends_on.iter().map(|(a, _)| a.to_string()).collect();
                body.insert("depends_on".into(), json!(on));
            }
            Json::Object(body)
        })
        .collect();
    let outputs: Map<String, Json> = config
        .outputs
        .iter()
        .map(|o| {
            let mut body = Map::new();
            if o.sensitive {
                body.insert("sensitive".into(), json!(true));
            }
            if let Some(description) = &o.description {
                body.insert("description".into(), json!(description));
            }
            (o.name.clone(), Json::Object(body))
        })
        .collect();
    let mut body = Map::new();
    body.insert("resources".into(), Json::Array(resources));
    body.insert("outputs".into(), Json::Object(outputs));
    if !config.modules.is_empty() {
        let calls: Map<String, Json> = config
            .modules
            .iter()
            .map(|call| {
                let call_body = json!({
                    "source": call.source,
                    "module": module_configuration(&call.config),
                });
                (call.name.clone(), call_body)
            })
            .collect();
        body.insert("module_calls".into(), Json::Object(calls));
    }
    Json::Object(body)
}

/// The value with sensitive parts and unknowns replaced by `null`. At the top level,
/// the attributes in `names` are sensitive too.
fn masked(value: &Value, names: &BTreeSet<String>, top: bool) -> Json {
    match value {
        Value::Sensitive(_) | Value::Unknown => Json::Null,
        Value::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| {
                    let hidden = top && names.contains(k) && !v.is_null();
                    let shown = if hidden {
                        Json::Null
                    } else {
                        masked(v, names, false)
                    };
                    (k.clone(), shown)
                })
                .collect(),
        ),
        Value::List(items) => Json::Array(items.iter().map(|v| masked(v, names, false)).collect()),
        other => other.to_json().unwrap_or(Json::Null),
    }
}

/// `true` where the value is sensitive, mirroring its shape (Terraform's convention:
/// objects and lists keep their shape, non-sensitive leaves are omitted or `false`).
fn sensitivity(value: &Value, names: &BTreeSet<String>, top: bool) -> Json {
    match value {
        Value::Sensitive(_) => json!(true),
        Value::Object(map) => Json::Object(
            map.iter()
                .filter_map(|(k, v)| {
                    let marked = if top && names.contains(k) && !v.is_null() {
                        json!(true)
                    } else {
                        sensitivity(v, names, false)
                    };
                    (marked != json!(false) && marked != json!({}) && marked != json!([]))
                        .then(|| (k.clone(), marked))
                })
                .collect(),
        ),
        Value::List(items) => {
            Json::Array(items.iter().map(|v| sensitivity(v, names, false)).collect())
        }
        _ => json!(false),
    }
}

/// For each sensitive leaf of `after` (at the top level, also the attributes in `names`),
/// `true` when it differs from `before` at the same place and `false` when not; objects
/// keep only the attributes that hold such a leaf, lists keep their places with `null`
/// for elements that hold none. `None` when `after` holds no sensitive leaf.
fn sensitive_changes(
    before: Option<&Value>,
    after: &Value,
    names: &BTreeSet<String>,
    top: bool,
) -> Option<Json> {
    let before = before.map(Value::unmarked);
    match after {
        Value::Sensitive(_) => Some(json!(differs(before, after))),
        Value::Object(map) => {
            let leaves: Map<String, Json> = map
                .iter()
                .filter_map(|(k, v)| {
                    let old = before.and_then(|b| b.get(k));
                    let changed = if top && names.contains(k) && !v.is_null() {
                        Some(json!(differs(old, v)))
                    } else {
                        sensitive_changes(old, v, names, false)
                    };
                    Some((k.clone(), changed?))
                })
                .collect();
            (!leaves.is_empty()).then_some(Json::Object(leaves))
        }
        Value::List(items) => {
            let old = match before {
                Some(Value::List(old)) => old.as_slice(),
                _ => &[],
            };
            let leaves: Vec<Option<Json>> = items
                .iter()
                .enumerate()
                .map(|(i, v)| sensitive_changes(old.get(i), v, names, false))
                .collect();
            leaves
                .iter()
                .any(Option::is_some)
                .then(|| leaves.into_iter().map(Option::unwrap_or_default).collect())
        }
        _ => None,
    }
}

/// Whether `new` differs from `old` (absent is null), marks aside.
fn differs(old: Option<&Value>, new: &Value) -> bool {
    let plain = |v: &Value| v.clone().unmark_deep().0;
    old.map_or(Value::Null, plain) != plain(new)
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
                deposed: None,
                importing: None,
                address: ResourceAddress::new("pingone_population", "new"),
                action: Action::Create,
                before: None,
                after: Some(obj(&[("id", Value::Unknown), ("name", "New".into())])),
                replace_paths: vec![],
                sensitive: BTreeSet::new(),
                reason: None,
            },
            ResourceChange {
                deposed: None,
                importing: None,
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
                deposed: None,
                importing: None,
                address: ResourceAddress::new("pingone_application", "old"),
                action: Action::Delete,
                before: Some(before),
                after: None,
                replace_paths: vec![],
                sensitive: secret,
                reason: Some("not in configuration".into()),
            },
        ];
        let plan = Plan::of_changes(changes);
        let mut out = Vec::new();
        render_plan(&plan, &Context::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("s3cr3t-value"), "no secret in JSON");
        insta::assert_snapshot!(stable(&text));
    }

    #[test]
    fn create_before_destroy_deposed_and_triggered_replacements() {
        let mut changes = crate::render::human::tests::replacements_created_first();
        let mut requested = changes[0].clone();
        requested.address = ResourceAddress::new("pingone_population", "other");
        requested.action = Action::Replace;
        requested.reason = Some("replacement requested with --replace".into());
        changes.push(requested);
        let plan = Plan::of_changes(changes);
        let mut out = Vec::new();
        render_plan(&plan, &Context::default(), &mut out).unwrap();
        let doc: Json = serde_json::from_slice(&out).unwrap();
        let changes = doc["resource_changes"].as_array().unwrap();
        assert_eq!(changes[0]["change"]["actions"], json!(["create", "delete"]));
        assert_eq!(changes[0]["action_reason"], "replace_by_triggers");
        assert!(changes[0].get("deposed").is_none());
        assert_eq!(changes[1]["change"]["actions"], json!(["delete"]));
        assert_eq!(changes[1]["deposed"], "abcd1234");
        assert_eq!(changes[1]["address"], "pingone_population.staff");
        assert!(changes[1].get("action_reason").is_none());
        assert_eq!(changes[2]["change"]["actions"], json!(["delete", "create"]));
        assert_eq!(changes[2]["action_reason"], "replace_by_request");
    }

    #[test]
    fn sensitive_changed_marks_each_sensitive_leaf_nested_or_named() {
        let names = BTreeSet::from(["token".to_string()]);
        let secret = |s: &str| Value::sensitive(s.into());
        let before = obj(&[
            ("token", "t-1".into()),
            (
                "keys",
                Value::List(vec!["plain".into(), secret("k-1"), secret("k-2")]),
            ),
            (
                "nested",
                obj(&[("pin", secret("1234")), ("note", "x".into())]),
            ),
            ("plain", "p".into()),
        ]);
        let after = obj(&[
            ("token", "t-1".into()),
            (
                "keys",
                Value::List(vec!["plain".into(), secret("k-1"), secret("k-3")]),
            ),
            (
                "nested",
                obj(&[("pin", secret("9999")), ("note", "y".into())]),
            ),
            ("plain", "q".into()),
        ]);
        let changed = sensitive_changes(Some(&before), &after, &names, true);
        assert_eq!(
            changed,
            Some(json!({
                "token": false,
                "keys": [null, false, true],
                "nested": {"pin": true},
            }))
        );
        let created = sensitive_changes(None, &after, &names, true).unwrap();
        assert_eq!(created["token"], json!(true), "a new secret is a change");
        let plain = obj(&[("plain", "q".into())]);
        assert_eq!(sensitive_changes(None, &plain, &names, true), None);
    }

    /// The text with what changes from run to run or release to release replaced.
    fn stable(text: &str) -> String {
        let timestamp = regex::Regex::new(r#""timestamp": "[^"]+""#).expect("valid pattern");
        let text = timestamp.replace(text, r#""timestamp": "[timestamp]""#);
        text.replace(env!("CARGO_PKG_VERSION"), "[version]")
    }

    #[test]
    fn every_kind_of_change_with_outputs_variables_and_configuration() {
        use crate::render::fixture;
        let config = crate::config::load_str(
            "main.tf",
            "resource \"pingone_population\" \"new\" {\n  name = \"New\"\n}\n\
             output \"secret\" {\n  value     = \"x\"\n  sensitive = true\n}\n",
        )
        .expect("config loads");
        let schemas = fixture::schemas();
        let outputs = fixture::outputs();
        let variables = std::collections::BTreeMap::from([
            ("region".to_string(), Value::from("EU")),
            ("pw".to_string(), Value::sensitive("hunter2".into())),
        ]);
        let mut plan = fixture::every_kind();
        plan.prior.upsert(state::ResourceState {
            module: Vec::new(),
            type_name: "pingone_application".into(),
            name: "portal".into(),
            index_key: None,
            provider: "pingone".into(),
            attributes: serde_json::json!({"id": "app-1", "client_secret": "s3cr3t-old"}),
            dependencies: vec![],
        });
        let risks = fixture::risks();
        let context = Context {
            schemas: &schemas,
            outputs: &outputs,
            variables: &variables,
            config: Some(&config),
            risks: &risks,
        };
        let mut out = Vec::new();
        render_plan(&plan, &context, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        fixture::assert_no_secret(&text);
        let doc: Json = serde_json::from_str(&text).expect("valid JSON");
        for key in [
            "planned_values",
            "prior_state",
            "configuration",
            "output_changes",
            "risks",
        ] {
            assert!(doc.get(key).is_some(), "{key} missing");
        }
        assert_eq!(
            doc["risks"][1],
            json!({
                "address": "pingone_population.old",
                "message": "will be destroyed (not in configuration)"
            })
        );
        let portal = &doc["resource_changes"][3];
        assert_eq!(portal["address"], "pingone_application.portal");
        assert_eq!(
            portal["change"]["sensitive_changed"],
            json!({"api_key": false, "client_secret": true}),
            "a rotated secret is told from an unchanged one"
        );
        insta::assert_snapshot!(stable(&text));
    }
}
