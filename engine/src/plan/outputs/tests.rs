//! Output changes computed from a small configuration, a prior state and a plan.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::config::load_str;
use crate::plan::ResourceChange;
use crate::render::fixture::obj;

const CONFIG: &str = r#"
variable "pw" {
  type      = string
  sensitive = true
}
resource "pingone_population" "new" {
  name = "New"
}
resource "pingone_population" "staff" {
  name = "Staff"
}
output "new_id" {
  value = pingone_population.new.id
}
output "staff_name" {
  value = pingone_population.staff.name
}
output "constant" {
  value = "same"
}
output "password" {
  value     = var.pw
  sensitive = true
}
"#;

fn plan(mode: PlanMode) -> Plan {
    let mut prior = state::State::new();
    prior.upsert(state::ResourceState {
        module: Vec::new(),
        type_name: "pingone_population".into(),
        name: "staff".into(),
        index_key: None,
        provider: "pingone".into(),
        attributes: serde_json::json!({"id": "p-1", "name": "Old"}),
        dependencies: vec![],
    });
    let change = |name: &str, action, before, after| ResourceChange {
        address: ResourceAddress::new("pingone_population", name),
        action,
        before,
        after,
        replace_paths: vec![],
        sensitive: BTreeSet::new(),
        reason: None,
        importing: None,
    };
    Plan {
        prior,
        refresh_changed_state: false,
        drift: vec![],
        changes: vec![
            change(
                "new",
                Action::Create,
                None,
                Some(obj(&[("id", Value::Unknown), ("name", "New".into())])),
            ),
            change(
                "staff",
                Action::Update,
                Some(obj(&[("id", "p-1".into()), ("name", "Old".into())])),
                Some(obj(&[("id", "p-1".into()), ("name", "Staff".into())])),
            ),
        ],
        mode,
        data: Default::default(),
        relocations: Default::default(),
    }
}

fn changes_for(mode: PlanMode) -> Vec<OutputChange> {
    let config = load_str("main.tf", CONFIG).expect("config loads");
    let variables = BTreeMap::from([("pw".to_string(), Value::sensitive("hunter2".into()))]);
    changes(&config, &variables, &plan(mode), &Providers::default()).expect("outputs evaluate")
}

#[test]
fn outputs_are_compared_before_and_after_the_plan() {
    let found = changes_for(PlanMode::Normal);
    let summary: Vec<(&str, Action)> = found.iter().map(|c| (c.name.as_str(), c.action)).collect();
    assert_eq!(
        summary,
        [
            ("new_id", Action::Create),
            ("staff_name", Action::Update),
            ("constant", Action::NoOp),
            ("password", Action::NoOp),
        ]
    );
    assert_eq!(found[0].before, None);
    assert_eq!(found[0].after, Some(Value::Unknown));
    assert_eq!(found[1].before, Some(Value::from("Old")));
    assert_eq!(found[1].after, Some(Value::from("Staff")));
    assert!(found[3].sensitive && !found[1].sensitive);
    assert_eq!(
        found[3].after,
        Some(Value::from("hunter2")),
        "kept, marked by `sensitive`"
    );
}

#[test]
fn a_destroy_plan_deletes_every_output_that_had_a_value() {
    let found = changes_for(PlanMode::Destroy);
    let actions: Vec<Action> = found.iter().map(|c| c.action).collect();
    assert_eq!(
        actions,
        [Action::NoOp, Action::Delete, Action::Delete, Action::Delete]
    );
}

#[test]
fn outputs_of_objects_left_out_of_the_plan_do_not_change() {
    let config = load_str("main.tf", CONFIG).expect("config loads");
    let variables = BTreeMap::from([("pw".to_string(), Value::sensitive("hunter2".into()))]);
    let mut narrowed = plan(PlanMode::Normal);
    narrowed.changes.retain(|c| c.address.name != "new");
    let found = changes(&config, &variables, &narrowed, &Providers::default()).expect("evaluates");
    assert_eq!(found[0].name, "new_id");
    assert_eq!((found[0].action, &found[0].after), (Action::NoOp, &None));
    assert_eq!(found[1].action, Action::Update);
}

#[test]
fn outputs_see_counted_and_keyed_instances_as_references_do() {
    let config = load_str(
        "main.tf",
        r#"
resource "pingone_population" "many" {
  count = 2
  name  = "p${count.index}"
}
resource "pingone_population" "keyed" {
  for_each = toset(["a"])
  name     = each.key
}
output "second" {
  value = pingone_population.many[1].name
}
output "keyed" {
  value = pingone_population.keyed["a"].name
}
"#,
    )
    .expect("config loads");
    let instance = |name: &str, key: InstanceKey, value: &str| ResourceChange {
        address: ResourceAddress::new("pingone_population", name).instance(Some(key)),
        action: Action::Create,
        before: None,
        after: Some(obj(&[("id", Value::Unknown), ("name", value.into())])),
        replace_paths: vec![],
        sensitive: BTreeSet::new(),
        reason: None,
        importing: None,
    };
    let mut plan = plan(PlanMode::Normal);
    plan.changes = vec![
        instance("many", InstanceKey::Int(0), "p0"),
        instance("many", InstanceKey::Int(1), "p1"),
        instance("keyed", InstanceKey::Str("a".into()), "a"),
    ];
    let found =
        changes(&config, &BTreeMap::new(), &plan, &Providers::default()).expect("evaluates");
    assert_eq!(found[0].after, Some(Value::from("p1")));
    assert_eq!(found[1].after, Some(Value::from("a")));
    assert_eq!(found[0].action, Action::Create);
}
