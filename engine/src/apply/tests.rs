//! Plan and apply end to end against an in-memory provider.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use super::*;
use crate::config::load_dir;
use crate::plan::{PlanMode, PlanRequest, plan};
use crate::provider::{
    AttrType, AttributeSchema, BlockSchema, CreateRequest, DeleteRequest, Presence, Provider,
    ProviderError, ProviderErrorKind, ProviderSchema, ReadDataRequest, ReadManyRequest,
    ReadManyResponse, UpdateRequest,
};
use crate::provider::{FindRequest, Found};

/// Objects kept in a map; names containing "fail" are refused on create, and
/// names containing "unique" when another object has the same name (as
/// PingOne refuses a duplicate group name).
struct MemoryProvider {
    schema: ProviderSchema,
    objects: Mutex<BTreeMap<String, Value>>,
    next_id: Mutex<u32>,
    /// Creates under way now, and the most seen at once.
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// Every create, update and delete, as `create NAME` and so on.
    calls: Mutex<Vec<String>>,
    /// When set, deletes fail.
    fail_deletes: AtomicBool,
}

impl MemoryProvider {
    fn new() -> Self {
        let thing = BlockSchema::default()
            .attr(
                "id",
                AttributeSchema::new(AttrType::String, Presence::Computed, ""),
            )
            .attr(
                "name",
                AttributeSchema::new(AttrType::String, Presence::Required, ""),
            )
            .attr(
                "parent",
                AttributeSchema::new(AttrType::String, Presence::Optional, "").force_new(),
            )
            .attr(
                "note",
                AttributeSchema::new(AttrType::String, Presence::Optional, ""),
            );
        // Looks an object up by name; its `secret` is sensitive.
        let lookup = BlockSchema::default()
            .attr(
                "name",
                AttributeSchema::new(AttrType::String, Presence::Required, ""),
            )
            .attr(
                "id",
                AttributeSchema::new(AttrType::String, Presence::Computed, ""),
            )
            .attr(
                "secret",
                AttributeSchema::new(AttrType::String, Presence::Computed, "").sensitive(),
            );
        Self {
            schema: ProviderSchema {
                provider: BlockSchema::default(),
                resources: BTreeMap::from([("mem_thing".to_string(), thing)]),
                data_sources: BTreeMap::from([("mem_lookup".to_string(), lookup)]),
            },
            objects: Mutex::default(),
            next_id: Mutex::new(0),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            calls: Mutex::default(),
            fail_deletes: AtomicBool::new(false),
        }
    }

    fn log(&self, call: &str, object: &Value) {
        let name = object
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        self.calls.lock().unwrap().push(format!("{call} {name}"));
    }

    fn ids(&self) -> Vec<String> {
        self.objects.lock().unwrap().keys().cloned().collect()
    }
}

fn id_of(value: &Value) -> String {
    value
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

#[async_trait]
impl Provider for MemoryProvider {
    fn name(&self) -> &str {
        "mem"
    }

    fn schema(&self) -> &ProviderSchema {
        &self.schema
    }

    async fn configure(&self, _config: &Value) -> Result<(), ProviderError> {
        Ok(())
    }

    async fn read_many(&self, request: ReadManyRequest) -> Result<ReadManyResponse, ProviderError> {
        let objects = self.objects.lock().unwrap();
        Ok(ReadManyResponse {
            objects: request
                .objects
                .iter()
                .map(|o| objects.get(&id_of(&o.prior)).cloned())
                .collect(),
        })
    }

    async fn create(&self, request: CreateRequest) -> Result<Value, ProviderError> {
        let name = request
            .planned
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        // Long enough for independent creates to overlap when the walk runs them in parallel.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        if name.contains("fail") {
            return Err(ProviderError::new(
                ProviderErrorKind::Api,
                format!("create {}: refused", request.address),
            ));
        }
        let taken = |o: &Value| o.get("name").and_then(Value::as_str) == Some(name);
        if name.contains("unique") && self.objects.lock().unwrap().values().any(taken) {
            return Err(ProviderError::new(
                ProviderErrorKind::Api,
                format!(
                    "create {}: UNIQUENESS_VIOLATION: name must be unique",
                    request.address
                ),
            ));
        }
        self.log("create", &request.planned);
        let mut next = self.next_id.lock().unwrap();
        *next += 1;
        let id = format!("id-{next}");
        let mut attrs = request.planned.as_object().cloned().unwrap_or_default();
        attrs.insert("id".into(), Value::String(id.clone()));
        let value = Value::Object(attrs);
        self.objects.lock().unwrap().insert(id, value.clone());
        if name.contains("lost") {
            // Created, but the answer never arrives (a dropped connection).
            return Err(ProviderError::new(
                ProviderErrorKind::Connection,
                "connection reset",
            ));
        }
        Ok(value)
    }

    async fn find(&self, request: FindRequest) -> Result<Found, ProviderError> {
        let name = request.planned.get("name").cloned();
        let objects = self.objects.lock().unwrap();
        Ok(
            match objects.values().find(|o| o.get("name").cloned() == name) {
                Some(found) => Found::Object(found.clone()),
                None => Found::Nothing,
            },
        )
    }

    async fn update(&self, request: UpdateRequest) -> Result<Value, ProviderError> {
        self.log("update", &request.planned);
        let mut attrs = request.planned.as_object().cloned().unwrap_or_default();
        attrs.insert(
            "id".into(),
            request.prior.get("id").cloned().unwrap_or(Value::Null),
        );
        let value = Value::Object(attrs);
        self.objects
            .lock()
            .unwrap()
            .insert(id_of(&request.prior), value.clone());
        Ok(value)
    }

    async fn read_data(&self, request: ReadDataRequest) -> Result<Value, ProviderError> {
        let name = request
            .config
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let objects = self.objects.lock().unwrap();
        let found = objects
            .values()
            .find(|o| o.get("name").and_then(Value::as_str) == Some(name))
            .ok_or_else(|| {
                ProviderError::new(ProviderErrorKind::Api, format!("no object named `{name}`"))
            })?;
        let mut attrs = request.config.as_object().cloned().unwrap_or_default();
        attrs.insert("id".into(), Value::String(id_of(found)));
        attrs.insert("secret".into(), Value::String(format!("secret of {name}")));
        Ok(Value::Object(attrs))
    }

    async fn delete(&self, request: DeleteRequest) -> Result<(), ProviderError> {
        if self.fail_deletes.load(Ordering::SeqCst) {
            return Err(ProviderError::new(
                ProviderErrorKind::Api,
                format!("delete {}: refused", request.address),
            ));
        }
        self.log("delete", &request.prior);
        self.objects.lock().unwrap().remove(&id_of(&request.prior));
        Ok(())
    }
}

#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl ApplyObserver for Recorder {
    fn started(&self, _address: &ResourceAddress, _action: Action) {}

    fn finished(&self, address: &ResourceAddress, action: Action, outcome: &Outcome) {
        let word = match outcome {
            Outcome::Succeeded { .. } => "ok",
            Outcome::Failed { .. } => "failed",
            Outcome::Skipped { .. } => "skipped",
            Outcome::NotStarted => "not started",
        };
        self.0
            .lock()
            .unwrap()
            .push(format!("{address} {action:?} {word}"));
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    provider: Arc<MemoryProvider>,
    providers: Providers,
    backend: state::LocalBackend,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let provider = Arc::new(MemoryProvider::new());
        let mut providers = Providers::default();
        providers.add(provider.clone());
        let backend = state::LocalBackend::new(dir.path().join("state.json"));
        Self {
            dir,
            provider,
            providers,
            backend,
        }
    }

    fn write(&self, config: &str) {
        std::fs::write(self.dir.path().join("main.tf"), config).unwrap();
    }

    /// Plans without refreshing, against the stored state.
    async fn plan_only(&self) -> Result<crate::plan::Plan, crate::plan::PlanError> {
        self.plan_with(false).await
    }

    /// Plans without applying, refreshing first when `refresh` is set.
    async fn plan_with(&self, refresh: bool) -> Result<crate::plan::Plan, crate::plan::PlanError> {
        use state::Backend as _;
        let config = load_dir(self.dir.path()).unwrap();
        let graph = Graph::from_config(&config).unwrap();
        let prior = self.backend.load().unwrap().unwrap_or_default();
        plan(PlanRequest {
            config: &config,
            graph: &graph,
            prior: &prior,
            providers: &self.providers,
            variables: &BTreeMap::new(),
            mode: PlanMode::Normal,
            refresh,
            selection: &Default::default(),
        })
        .await
    }

    /// Plans and applies; returns the plan's actions and the observer's lines.
    async fn converge(&self, mode: PlanMode) -> (Vec<(String, Action)>, Vec<String>) {
        self.converge_with(mode, 1, None).await
    }

    async fn converge_with(
        &self,
        mode: PlanMode,
        parallelism: usize,
        interrupt: Option<&AtomicBool>,
    ) -> (Vec<(String, Action)>, Vec<String>) {
        let (plan, _, log) = self.plan_and_apply(mode, parallelism, interrupt).await;
        let actions = plan
            .changes
            .iter()
            .filter(|c| c.action != Action::NoOp)
            .map(|c| (c.address.to_string(), c.action))
            .collect();
        (actions, log)
    }

    /// Plans (with refresh) and applies; returns the plan, the report and the observer's lines.
    async fn plan_and_apply(
        &self,
        mode: PlanMode,
        parallelism: usize,
        interrupt: Option<&AtomicBool>,
    ) -> (crate::plan::Plan, ApplyReport, Vec<String>) {
        use state::Backend as _;
        let config = load_dir(self.dir.path()).unwrap();
        let graph = Graph::from_config(&config).unwrap();
        let variables = BTreeMap::new();
        let prior = self.backend.load().unwrap().unwrap_or_default();
        let plan = plan(PlanRequest {
            config: &config,
            graph: &graph,
            prior: &prior,
            providers: &self.providers,
            variables: &variables,
            mode,
            refresh: true,
            selection: &Default::default(),
        })
        .await
        .unwrap();
        let recorder = Recorder::default();
        let report = apply(ApplyRequest {
            plan: &plan,
            config: &config,
            graph: &graph,
            variables: &variables,
            providers: &self.providers,
            backend: &self.backend,
            observer: &recorder,
            parallelism,
            interrupt,
        })
        .await
        .unwrap();
        (plan, report, recorder.0.into_inner().unwrap())
    }
}

const TWO: &str = r#"
resource "mem_thing" "child" {
  name   = "child of ${mem_thing.parent.name}"
  parent = mem_thing.parent.id
}
resource "mem_thing" "parent" {
  name = "parent"
}
"#;

#[tokio::test]
async fn creates_in_dependency_order_then_converges() {
    let f = Fixture::new();
    f.write(TWO);
    let (actions, log) = f.converge(PlanMode::Normal).await;
    assert_eq!(actions.len(), 2);
    assert_eq!(
        log,
        ["mem_thing.parent Create ok", "mem_thing.child Create ok"]
    );
    let (actions, log) = f.converge(PlanMode::Normal).await;
    assert!(
        actions.is_empty(),
        "second plan has no changes: {actions:?}"
    );
    assert!(log.is_empty());
}

#[tokio::test]
async fn refresh_finds_objects_changed_and_deleted_outside_pingform() {
    let f = Fixture::new();
    f.write(&format!(
        "{TWO}\nresource \"mem_thing\" \"other\" {{\n  name = \"other\"\n}}\n"
    ));
    f.converge(PlanMode::Normal).await;
    {
        let mut objects = f.provider.objects.lock().unwrap();
        let named = |name: &str| {
            let found = objects
                .iter()
                .find(|(_, o)| o.get("name").and_then(Value::as_str) == Some(name));
            found.map(|(id, _)| id.clone()).unwrap()
        };
        let (parent, other) = (named("parent"), named("other"));
        objects.remove(&other);
        if let Some(Value::Object(edited)) = objects.get_mut(&parent) {
            edited.insert("note".into(), Value::String("edited by hand".into()));
        }
    }
    let plan = f.plan_with(true).await.unwrap();
    let drift: Vec<(String, Action, Option<&str>)> = plan
        .drift
        .iter()
        .map(|d| (d.address.to_string(), d.action, d.reason.as_deref()))
        .collect();
    assert_eq!(
        drift,
        [
            (
                "mem_thing.other".to_string(),
                Action::Delete,
                Some(crate::plan::drift::DELETED)
            ),
            (
                "mem_thing.parent".to_string(),
                Action::Update,
                Some(crate::plan::drift::CHANGED)
            ),
        ]
    );
    let edited = plan.drift[1].after.as_ref().and_then(|a| a.get("note"));
    assert_eq!(edited, Some(&Value::String("edited by hand".into())));
    assert!(plan.refresh_changed_state);
    assert_eq!(
        plan.prior.resources.len(),
        2,
        "the deleted object left the refreshed state"
    );
}

#[tokio::test]
async fn edits_update_in_place_and_force_new_replaces() {
    let f = Fixture::new();
    f.write(TWO);
    f.converge(PlanMode::Normal).await;
    let noted = TWO.replace("name = \"parent\"", "name = \"parent\"\n  note = \"hi\"");
    f.write(&noted);
    let (actions, _) = f.converge(PlanMode::Normal).await;
    assert_eq!(actions, [("mem_thing.parent".to_string(), Action::Update)]);
    f.write(&noted.replace("parent = mem_thing.parent.id", "parent = \"elsewhere\""));
    let (actions, _) = f.converge(PlanMode::Normal).await;
    assert_eq!(actions, [("mem_thing.child".to_string(), Action::Replace)]);
    assert_eq!(f.provider.ids().len(), 2, "the replaced object was deleted");
}

#[tokio::test]
async fn failure_skips_dependents_and_next_run_finishes() {
    let f = Fixture::new();
    f.write(&TWO.replace("name = \"parent\"", "name = \"fail parent\""));
    let (_, log) = f.converge(PlanMode::Normal).await;
    assert_eq!(
        log,
        [
            "mem_thing.parent Create failed",
            "mem_thing.child Create skipped"
        ]
    );
    f.write(TWO);
    let (actions, log) = f.converge(PlanMode::Normal).await;
    assert_eq!(actions.len(), 2);
    assert_eq!(
        log,
        ["mem_thing.parent Create ok", "mem_thing.child Create ok"]
    );
}

#[tokio::test]
async fn out_of_band_delete_is_recreated_and_destroy_removes_all_in_reverse() {
    let f = Fixture::new();
    f.write(TWO);
    f.converge(PlanMode::Normal).await;
    let child_id = f.provider.ids().into_iter().max().unwrap();
    f.provider.objects.lock().unwrap().remove(&child_id);
    let (actions, _) = f.converge(PlanMode::Normal).await;
    assert_eq!(actions, [("mem_thing.child".to_string(), Action::Create)]);
    let (_, log) = f.converge(PlanMode::Destroy).await;
    assert_eq!(
        log,
        ["mem_thing.child Delete ok", "mem_thing.parent Delete ok"]
    );
    assert!(f.provider.ids().is_empty());
}

#[tokio::test]
async fn removed_resource_is_deleted_as_not_in_configuration() {
    let f = Fixture::new();
    f.write(TWO);
    f.converge(PlanMode::Normal).await;
    f.write("resource \"mem_thing\" \"parent\" {\n  name = \"parent\"\n}\n");
    let (actions, _) = f.converge(PlanMode::Normal).await;
    assert_eq!(actions, [("mem_thing.child".to_string(), Action::Delete)]);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_adopted_not_duplicated() {
    use state::Backend as _;
    let f = Fixture::new();
    f.write(&TWO.replace("name = \"parent\"", "name = \"lost parent\""));
    let (_, log) = f.converge(PlanMode::Normal).await;
    assert_eq!(
        log,
        [
            "mem_thing.parent Create failed",
            "mem_thing.child Create skipped"
        ]
    );
    let mut state = f.backend.load().unwrap().unwrap();
    assert_eq!(
        state.pending_creates.len(),
        1,
        "the intent outlives the failure"
    );
    assert_eq!(state.pending_creates[0].planned["name"], "lost parent");

    let settled = crate::recover::settle_pending(&state, &f.providers)
        .await
        .unwrap();
    assert!(matches!(
        settled[0].settled,
        crate::recover::Settled::Adopted { .. }
    ));
    settled[0].operation.apply_to(&mut state);
    f.backend.store(&state).unwrap();
    let (actions, _) = f.converge(PlanMode::Normal).await;
    assert_eq!(
        actions,
        [("mem_thing.child".to_string(), Action::Create)],
        "the parent is not created again"
    );
    assert_eq!(f.provider.ids().len(), 2);
}

/// Ten independent objects and one that depends on all of them.
fn fan_in() -> String {
    let mut text = String::new();
    for i in 0..10 {
        text.push_str(&format!(
            "resource \"mem_thing\" \"leaf{i}\" {{\n  name = \"leaf {i}\"\n}}\n"
        ));
    }
    text.push_str("resource \"mem_thing\" \"root\" {\n  name = \"root\"\n  depends_on = [");
    let leaves: Vec<String> = (0..10).map(|i| format!("mem_thing.leaf{i}")).collect();
    text.push_str(&leaves.join(", "));
    text.push_str("]\n}\n");
    text
}

#[tokio::test]
async fn independent_objects_are_created_in_parallel_and_dependents_wait() {
    let f = Fixture::new();
    f.write(&fan_in());
    let (_, log) = f.converge_with(PlanMode::Normal, 4, None).await;
    let max = f.provider.max_in_flight.load(Ordering::SeqCst);
    assert!(
        max > 1 && max <= 4,
        "at most 4 at once, and more than one: {max}"
    );
    assert_eq!(log.len(), 11);
    assert_eq!(
        log.last().map(String::as_str),
        Some("mem_thing.root Create ok"),
        "{log:?}"
    );
}

#[tokio::test]
async fn an_interrupt_starts_nothing_new_and_the_next_run_finishes() {
    let f = Fixture::new();
    f.write(&fan_in());
    let stop = AtomicBool::new(true);
    let (_, log) = f.converge_with(PlanMode::Normal, 4, Some(&stop)).await;
    assert!(log.iter().all(|l| l.ends_with("not started")), "{log:?}");
    assert!(f.provider.ids().is_empty());
    let (actions, _) = f.converge_with(PlanMode::Normal, 4, None).await;
    assert_eq!(
        actions.len(),
        11,
        "the next plan has exactly the remaining work"
    );
}

/// Counts what apply persists, to check how intents are batched.
#[derive(Default)]
struct Counting {
    /// The operation kinds, per call: one entry per `record`, one per `record_all`.
    calls: Mutex<Vec<Vec<&'static str>>>,
}

impl state::Backend for Counting {
    fn lock(
        &self,
        _: &str,
        _: std::time::Duration,
    ) -> Result<Option<state::LockInfo>, state::Error> {
        Ok(None)
    }
    fn load(&self) -> Result<Option<state::State>, state::Error> {
        Ok(None)
    }
    fn store(&self, _: &state::State) -> Result<(), state::Error> {
        Ok(())
    }
    fn record(
        &self,
        after: &state::State,
        operation: &state::Operation,
    ) -> Result<(), state::Error> {
        self.record_all(after, std::slice::from_ref(operation))
    }
    fn record_all(
        &self,
        _: &state::State,
        operations: &[state::Operation],
    ) -> Result<(), state::Error> {
        let kinds = operations
            .iter()
            .map(|o| match o {
                state::Operation::BeginCreate { .. } => "intent",
                state::Operation::Upsert { .. } => "upsert",
                _ => "other",
            })
            .collect();
        self.calls.lock().unwrap().push(kinds);
        Ok(())
    }
    fn describe(&self) -> String {
        "counting".into()
    }
}

#[tokio::test]
async fn intents_known_at_plan_time_are_recorded_together_up_front() {
    let f = Fixture::new();
    f.write(TWO);
    let config = load_dir(f.dir.path()).unwrap();
    let graph = Graph::from_config(&config).unwrap();
    let variables = BTreeMap::new();
    let prior = state::State::new();
    let plan = plan(PlanRequest {
        config: &config,
        graph: &graph,
        prior: &prior,
        providers: &f.providers,
        variables: &variables,
        mode: PlanMode::Normal,
        refresh: true,
        selection: &Default::default(),
    })
    .await
    .unwrap();
    let backend = Counting::default();
    let report = apply(ApplyRequest {
        plan: &plan,
        config: &config,
        graph: &graph,
        variables: &variables,
        providers: &f.providers,
        backend: &backend,
        observer: &Recorder::default(),
        parallelism: 1,
        interrupt: None,
    })
    .await
    .unwrap();
    assert!(report.succeeded());
    // The parent's key is known when planning; the child's name depends on the parent's.
    assert_eq!(
        backend.calls.into_inner().unwrap(),
        [
            vec!["intent"],
            vec!["upsert"],
            vec!["intent"],
            vec!["upsert"]
        ]
    );
    assert!(report.state.pending_creates.is_empty());
}

/// `count` and `for_each` instances referring to each other, and a `for_each`
/// whose values are known only after apply.
const REPEATED: &str = r#"
locals {
  teams = { red = "R", blue = "B" }
}
resource "mem_thing" "team" {
  for_each = local.teams
  name     = "team ${each.key} (${each.value})"
}
resource "mem_thing" "member" {
  count  = 3
  name   = "member ${count.index}"
  parent = mem_thing.team[count.index % 2 == 0 ? "red" : "blue"].id
}
resource "mem_thing" "badge" {
  for_each = { for k, t in mem_thing.team : k => t.id }
  name     = "badge of ${each.value}"
  note     = join(",", mem_thing.member[*].name)
}
"#;

#[tokio::test]
async fn count_and_for_each_create_every_instance_and_then_converge() {
    let f = Fixture::new();
    f.write(REPEATED);
    let (actions, log) = f.converge(PlanMode::Normal).await;
    let mut created: Vec<_> = actions.iter().map(|(a, _)| a.as_str()).collect();
    created.sort();
    assert_eq!(
        created,
        [
            r#"mem_thing.badge["blue"]"#,
            r#"mem_thing.badge["red"]"#,
            "mem_thing.member[0]",
            "mem_thing.member[1]",
            "mem_thing.member[2]",
            r#"mem_thing.team["blue"]"#,
            r#"mem_thing.team["red"]"#,
        ]
    );
    assert!(log.iter().all(|l| l.ends_with("Create ok")), "{log:?}");
    let objects = f.provider.objects.lock().unwrap().clone();
    let by_name = |name: &str| {
        objects
            .values()
            .find(|o| o.get("name").and_then(Value::as_str) == Some(name))
            .cloned()
            .unwrap_or_else(|| panic!("no object named {name}: {objects:?}"))
    };
    let red = id_of(&by_name("team red (R)"));
    assert_eq!(
        by_name("member 2").get("parent"),
        Some(&Value::String(red.clone()))
    );
    // each.value was unknown when planning and is the created team's id at apply.
    let badge = by_name(&format!("badge of {red}"));
    assert_eq!(
        badge.get("note"),
        Some(&Value::String("member 0,member 1,member 2".into()))
    );
    let (actions, _) = f.converge(PlanMode::Normal).await;
    assert!(
        actions.is_empty(),
        "second plan has no changes: {actions:?}"
    );
}

#[tokio::test]
async fn fewer_instances_delete_the_rest_with_the_reason() {
    let f = Fixture::new();
    f.write(REPEATED);
    f.converge(PlanMode::Normal).await;
    let fewer = REPEATED.replace("count  = 3", "count  = 1").replace(
        "teams = { red = \"R\", blue = \"B\" }",
        "teams = { red = \"R\" }",
    );
    f.write(&fewer);
    let (actions, log) = f.converge(PlanMode::Normal).await;
    let deleted: Vec<_> = actions
        .iter()
        .filter(|(_, a)| *a == Action::Delete)
        .map(|(a, _)| a.as_str())
        .collect();
    assert_eq!(
        deleted,
        [
            r#"mem_thing.badge["blue"]"#,
            "mem_thing.member[1]",
            "mem_thing.member[2]",
            r#"mem_thing.team["blue"]"#,
        ]
    );
    // The badge that stays is updated (its note lists fewer members); dependents go first.
    let position = |line: &str| log.iter().position(|l| l == line).unwrap();
    assert!(
        position(r#"mem_thing.badge["blue"] Delete ok"#)
            < position(r#"mem_thing.team["blue"] Delete ok"#)
    );
    let (_, log) = f.converge(PlanMode::Destroy).await;
    assert_eq!(log.len(), 3, "{log:?}");
    assert!(f.provider.ids().is_empty());
}

#[tokio::test]
async fn orphaned_instances_say_why_they_are_deleted() {
    let f = Fixture::new();
    f.write(REPEATED);
    f.converge(PlanMode::Normal).await;
    f.write(&REPEATED.replace("count  = 3", "count  = 2"));
    let plan = f.plan_only().await.unwrap();
    let gone = plan
        .changes
        .iter()
        .find(|c| c.action == Action::Delete)
        .unwrap();
    assert_eq!(gone.address.to_string(), "mem_thing.member[2]");
    assert_eq!(gone.reason.as_deref(), Some("out of range for `count`"));
}

#[tokio::test]
async fn a_count_known_only_after_apply_is_an_error_with_a_way_out() {
    let f = Fixture::new();
    f.write(
        r#"
resource "mem_thing" "a" {
  name = "a"
}
resource "mem_thing" "b" {
  count = length(mem_thing.a.id)
  name  = "b"
}
"#,
    );
    let error = f.plan_only().await.unwrap_err();
    let crate::plan::PlanError::Invalid(diagnostics) = error else {
        panic!("{error:?}")
    };
    assert_eq!(diagnostics.0[0].summary, "Invalid count argument");
    assert!(
        diagnostics.0[0]
            .help
            .as_deref()
            .unwrap()
            .contains("--target")
    );
}

#[tokio::test]
async fn data_sources_are_read_when_planning_or_during_apply_and_never_stored() {
    const CONFIG: &str = r#"
resource "mem_thing" "base" {
  name = "base"
}
data "mem_lookup" "now" {
  name       = "base"
  depends_on = [mem_thing.base]
}
data "mem_lookup" "later" {
  name = mem_thing.base.name
}
resource "mem_thing" "user" {
  name   = "user"
  parent = data.mem_lookup.later.id
  note   = nonsensitive(data.mem_lookup.later.secret)
}
"#;
    let f = Fixture::new();
    f.write(CONFIG);
    // Something `now` depends on will change, so it is read during apply.
    let plan = f.plan_only().await.unwrap();
    let deferred: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.action == Action::Read)
        .collect();
    assert_eq!(deferred.len(), 2, "{deferred:?}");
    assert_eq!(
        deferred[0].reason.as_deref(),
        Some("waiting for a resource with changes pending")
    );
    // Nothing it depends on changes, and the object is not there: an error naming it.
    f.write("data \"mem_lookup\" \"missing\" {\n  name = \"nobody\"\n}\n");
    let error = f.plan_only().await.unwrap_err();
    assert!(
        format!("{error:?}").contains("Failed to read `data.mem_lookup.missing`"),
        "{error:?}"
    );
    f.write(CONFIG);
    let (_, log) = f.converge(PlanMode::Normal).await;
    assert!(
        log.contains(&"data.mem_lookup.later Read ok".to_string()),
        "{log:?}"
    );
    assert!(
        log.contains(&"data.mem_lookup.now Read ok".to_string()),
        "{log:?}"
    );
    let objects = f.provider.objects.lock().unwrap().clone();
    let user = objects
        .values()
        .find(|o| o.get("name").and_then(Value::as_str) == Some("user"))
        .unwrap();
    let base = objects
        .values()
        .find(|o| o.get("name").and_then(Value::as_str) == Some("base"))
        .unwrap();
    assert_eq!(user.get("parent"), base.get("id"));
    assert_eq!(
        user.get("note"),
        Some(&Value::String("secret of base".into()))
    );

    // Now known at plan time: read while planning, nothing to do, nothing in state.
    let plan = f.plan_only().await.unwrap();
    assert!(!plan.has_changes(), "{:?}", plan.changes);
    assert!(
        plan.data
            .contains_key(&ResourceAddress::data("mem_lookup", "later"))
    );
    assert!(
        plan.data
            .contains_key(&ResourceAddress::data("mem_lookup", "now"))
    );
    let stored = std::fs::read_to_string(f.dir.path().join("state.json")).unwrap();
    let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let types: Vec<_> = stored["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["mem_thing", "mem_thing"],
        "data never reaches state"
    );
}

#[path = "alias_tests.rs"]
mod aliases;
#[path = "deposed_tests.rs"]
mod deposed;
