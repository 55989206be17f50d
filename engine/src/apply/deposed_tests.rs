//! `create_before_destroy` and deposed objects, planned and applied against
//! the in-memory provider.

use super::*;

/// Plans (with refresh) and applies; returns the plan and the report.
async fn run(f: &Fixture) -> (crate::plan::Plan, ApplyReport) {
    let (plan, report, _) = f.plan_and_apply(PlanMode::Normal, 4, None).await;
    (plan, report)
}

fn stored(f: &Fixture) -> state::State {
    use state::Backend as _;
    f.backend.load().unwrap().unwrap()
}

fn calls(f: &Fixture) -> Vec<String> {
    std::mem::take(&mut *f.provider.calls.lock().unwrap())
}

fn actions(plan: &crate::plan::Plan) -> Vec<(String, Action)> {
    let changed = plan.changes.iter().filter(|c| c.action != Action::NoOp);
    changed.map(|c| (c.label(), c.action)).collect()
}

const CBD: &str = r#"
resource "mem_thing" "a" {
  name   = "NAME"
  parent = "p1"
  lifecycle {
    create_before_destroy = true
  }
}
resource "mem_thing" "b" {
  name = "b"
  note = mem_thing.a.id
}
"#;

#[tokio::test]
async fn the_replacement_is_created_and_dependents_updated_before_the_old_object_is_deleted() {
    let f = Fixture::new();
    f.write(&CBD.replace("NAME", "a"));
    run(&f).await;
    let old_id = stored(&f)
        .get(&[], "mem_thing", "a", None)
        .unwrap()
        .attributes["id"]
        .clone();
    calls(&f);
    f.write(&CBD.replace("NAME", "a").replace("p1", "p2"));
    let (plan, report) = run(&f).await;
    assert_eq!(
        actions(&plan),
        [
            ("mem_thing.a".to_string(), Action::CreateThenDelete),
            ("mem_thing.b".to_string(), Action::Update)
        ]
    );
    assert!(report.succeeded(), "{:?}", report.outcomes);
    assert_eq!(calls(&f), ["create a", "update b", "delete a"]);
    let state = stored(&f);
    assert!(state.deposed.is_empty(), "{:?}", state.deposed);
    let new_id = state.get(&[], "mem_thing", "a", None).unwrap().attributes["id"].clone();
    assert_ne!(new_id, old_id);
    let b = state.get(&[], "mem_thing", "b", None).unwrap();
    assert_eq!(b.attributes["note"], new_id, "b points to the new object");
    assert_eq!(f.provider.ids().len(), 2, "the old object is gone");
    let (plan, _) = run(&f).await;
    assert!(actions(&plan).is_empty(), "{:?}", actions(&plan));
}

#[tokio::test]
async fn a_replacement_with_the_same_unique_name_fails_clearly_and_keeps_the_old_object() {
    let f = Fixture::new();
    f.write(&CBD.replace("NAME", "unique a"));
    run(&f).await;
    let before = stored(&f).get(&[], "mem_thing", "a", None).unwrap().clone();
    f.write(&CBD.replace("NAME", "unique a").replace("p1", "p2"));
    let (_, report) = run(&f).await;
    let (address, action, outcome) = &report.outcomes[0];
    assert_eq!(
        (address.to_string(), *action),
        ("mem_thing.a".to_string(), Action::CreateThenDelete)
    );
    let Outcome::Failed { message } = outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        message.contains("has `lifecycle { create_before_destroy = true }`"),
        "{message}"
    );
    assert!(message.contains("same unique name"), "{message}");
    assert!(message.contains("Change the name"), "{message}");
    assert!(
        message.contains("remove create_before_destroy"),
        "{message}"
    );
    assert!(
        message.contains("UNIQUENESS_VIOLATION"),
        "the provider's error is kept: {message}"
    );
    let state = stored(&f);
    assert!(state.deposed.is_empty(), "the old object is current again");
    assert_eq!(state.get(&[], "mem_thing", "a", None), Some(&before));
    assert_eq!(f.provider.ids().len(), 2, "nothing was deleted or created");
}

#[tokio::test]
async fn a_failed_delete_leaves_a_deposed_object_that_the_next_plan_deletes() {
    let f = Fixture::new();
    f.write(&CBD.replace("NAME", "a"));
    run(&f).await;
    f.write(&CBD.replace("NAME", "a").replace("p1", "p2"));
    f.provider.fail_deletes.store(true, Ordering::SeqCst);
    let (_, report) = run(&f).await;
    let failed: Vec<String> = report
        .outcomes
        .iter()
        .filter_map(|(a, _, o)| match o {
            Outcome::Failed { message } => Some(format!("{a}: {message}")),
            _ => None,
        })
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(
        failed[0].contains(
            "mem_thing.a: the replacement was created, but deleting the old object (deposed object"
        ),
        "{failed:?}"
    );
    let state = stored(&f);
    assert_eq!(state.deposed.len(), 1);
    let key = state.deposed[0].key.clone();
    assert_eq!(f.provider.ids().len(), 3, "old and new coexist");

    f.provider.fail_deletes.store(false, Ordering::SeqCst);
    let (plan, report) = run(&f).await;
    assert_eq!(
        actions(&plan),
        [(
            format!("mem_thing.a (deposed object {key})"),
            Action::Delete
        )]
    );
    assert!(report.succeeded(), "{:?}", report.outcomes);
    assert!(stored(&f).deposed.is_empty());
    assert_eq!(f.provider.ids().len(), 2);
}

#[tokio::test]
async fn a_create_that_fails_restores_the_old_object() {
    let f = Fixture::new();
    f.write(&CBD.replace("NAME", "a"));
    run(&f).await;
    f.write(&CBD.replace("NAME", "fail a").replace("p1", "p2"));
    let (_, report) = run(&f).await;
    assert!(!report.succeeded());
    let state = stored(&f);
    assert!(state.deposed.is_empty());
    assert_eq!(
        state.get(&[], "mem_thing", "a", None).unwrap().attributes["name"],
        "a"
    );
    assert_eq!(
        calls(&f),
        ["create a", "create b"],
        "nothing deleted, b skipped"
    );
}

#[tokio::test]
async fn a_run_that_died_after_deposing_leaves_a_deposed_object_the_next_apply_deletes() {
    use state::Backend as _;
    let f = Fixture::new();
    f.write(&CBD.replace("NAME", "a"));
    run(&f).await;
    // What a run killed between deposing and creating leaves behind.
    let mut state = stored(&f);
    assert!(state.depose(&[], "mem_thing", "a", None, "dead0001"));
    let old = state.deposed[0].resource.attributes["id"].clone();
    state.begin_create(state::PendingCreate {
        module: Vec::new(),
        type_name: "mem_thing".into(),
        name: "a".into(),
        index_key: None,
        provider: "mem".into(),
        planned: serde_json::json!({"name": "a"}),
        dependencies: vec![],
    });
    f.backend.store(&state).unwrap();
    // The intent finds the old object by name: it must not be adopted as the new one.
    let settled = crate::recover::settle_pending(&state, &f.providers)
        .await
        .unwrap();
    assert_eq!(settled[0].settled, crate::recover::Settled::NotCreated);
    for settlement in &settled {
        settlement.operation.apply_to(&mut state);
    }
    f.backend.store(&state).unwrap();
    let (plan, report) = run(&f).await;
    assert_eq!(
        actions(&plan),
        [
            ("mem_thing.a".to_string(), Action::Create),
            (
                "mem_thing.a (deposed object dead0001)".to_string(),
                Action::Delete
            ),
            ("mem_thing.b".to_string(), Action::Update),
        ]
    );
    assert!(report.succeeded(), "{:?}", report.outcomes);
    let state = stored(&f);
    assert!(state.deposed.is_empty());
    assert_ne!(
        state.get(&[], "mem_thing", "a", None).unwrap().attributes["id"],
        old
    );
    assert_eq!(f.provider.ids().len(), 2);
}

const TRIGGERS: &str = r#"
resource "mem_thing" "a" {
  name = "a"
  note = "NOTE"
}
resource "mem_thing" "whole" {
  name = "whole"
  lifecycle {
    replace_triggered_by = [mem_thing.a]
  }
}
resource "mem_thing" "by_name" {
  name = "by_name"
  lifecycle {
    replace_triggered_by = [mem_thing.a.name]
  }
}
resource "mem_thing" "e" {
  for_each = toset(["x", "y"])
  name     = "e${each.key}"
  note     = each.key == "x" ? "NOTE" : "fixed"
}
resource "mem_thing" "d" {
  for_each = toset(["x", "y"])
  name     = "d${each.key}"
  lifecycle {
    replace_triggered_by = [mem_thing.e[each.key]]
  }
}
"#;

#[tokio::test]
async fn replace_triggered_by_replaces_when_the_referenced_resource_or_attribute_changes() {
    let f = Fixture::new();
    f.write(&TRIGGERS.replace("NOTE", "1"));
    run(&f).await;
    f.write(&TRIGGERS.replace("NOTE", "2"));
    let (plan, report) = run(&f).await;
    assert!(report.succeeded(), "{:?}", report.outcomes);
    assert_eq!(
        actions(&plan),
        [
            ("mem_thing.a".to_string(), Action::Update),
            (r#"mem_thing.d["x"]"#.to_string(), Action::Replace),
            (r#"mem_thing.e["x"]"#.to_string(), Action::Update),
            ("mem_thing.whole".to_string(), Action::Replace),
        ]
    );
    let reason = |label: &str| {
        let change = plan.changes.iter().find(|c| c.label() == label).unwrap();
        change.reason.clone().unwrap_or_default()
    };
    assert_eq!(
        reason("mem_thing.whole"),
        "replaced because mem_thing.a changed"
    );
    assert_eq!(
        reason(r#"mem_thing.d["x"]"#),
        r#"replaced because mem_thing.e["x"] changed"#
    );
    f.write(
        &TRIGGERS
            .replace("NOTE", "2")
            .replace("name = \"a\"", "name = \"a2\""),
    );
    let plan = f.plan_only().await.unwrap();
    let by_name = plan
        .changes
        .iter()
        .find(|c| c.label() == "mem_thing.by_name")
        .unwrap();
    assert_eq!(by_name.action, Action::Replace);
    assert_eq!(
        by_name.reason.as_deref(),
        Some("replaced because mem_thing.a.name changed")
    );
}
