//! Provider aliases end to end in the engine: each object is created, read,
//! refreshed and deleted by the provider configuration that manages it.

use super::*;
use crate::ProviderConfigRef;
use crate::providers::Unavailable;

/// A fixture whose `mem.eu` configuration is a second, separate provider instance.
fn with_alias() -> (Fixture, Arc<MemoryProvider>) {
    let mut f = Fixture::new();
    let eu = Arc::new(MemoryProvider::new());
    f.providers
        .insert(ProviderConfigRef::aliased("mem", "eu"), eu.clone());
    (f, eu)
}

fn names(provider: &MemoryProvider) -> Vec<String> {
    let objects = provider.objects.lock().unwrap();
    let mut names: Vec<String> = objects
        .values()
        .filter_map(|o| o.get("name").and_then(Value::as_str).map(str::to_string))
        .collect();
    names.sort();
    names
}

fn recorded_providers(f: &Fixture) -> Vec<(String, String)> {
    use state::Backend as _;
    let state = f.backend.load().unwrap().unwrap_or_default();
    state
        .resources
        .iter()
        .map(|r| (r.address(), r.provider.clone()))
        .collect()
}

const BOTH: &str = r#"
provider "mem" {
  alias = "eu"
}
resource "mem_thing" "home" {
  name = "home"
}
resource "mem_thing" "away" {
  provider = mem.eu
  name     = "away"
}
data "mem_lookup" "found" {
  provider   = mem.eu
  name       = "away"
  depends_on = [mem_thing.away]
}
resource "mem_thing" "copy" {
  provider = mem.eu
  name     = "copy of ${data.mem_lookup.found.id}"
}
"#;

#[tokio::test]
async fn each_object_lands_in_the_configuration_its_block_names() {
    let (f, eu) = with_alias();
    f.write(BOTH);
    let (actions, log) = f.converge(PlanMode::Normal).await;
    assert_eq!(actions.len(), 4, "{actions:?}");
    assert!(log.iter().all(|l| l.ends_with(" ok")), "{log:?}");
    assert_eq!(names(&f.provider), ["home"]);
    // The data source read the eu instance, where `away` is `id-1`.
    assert_eq!(names(&eu), ["away", "copy of id-1"]);
    assert_eq!(
        recorded_providers(&f),
        [
            ("mem_thing.away".to_string(), "mem.eu".to_string()),
            ("mem_thing.copy".to_string(), "mem.eu".to_string()),
            ("mem_thing.home".to_string(), "mem".to_string()),
        ]
    );
    // Refreshed through the same configurations: nothing to do.
    let (again, _) = f.converge(PlanMode::Normal).await;
    assert!(again.is_empty(), "{again:?}");
}

#[tokio::test]
async fn an_orphan_is_deleted_by_the_configuration_recorded_in_state() {
    let (f, eu) = with_alias();
    f.write(BOTH);
    f.converge(PlanMode::Normal).await;
    f.write(
        r#"
provider "mem" {
  alias = "eu"
}
resource "mem_thing" "home" {
  name = "home"
}
"#,
    );
    let (actions, _) = f.converge(PlanMode::Normal).await;
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert!(actions.iter().all(|(_, a)| *a == Action::Delete));
    assert!(eu.ids().is_empty());
    assert_eq!(names(&f.provider), ["home"]);
}

#[tokio::test]
async fn moving_a_resource_to_another_configuration_replaces_it_across_them() {
    let (f, eu) = with_alias();
    f.write(BOTH);
    f.converge(PlanMode::Normal).await;
    f.write(&BOTH.replace(
        "resource \"mem_thing\" \"home\" {\n",
        "resource \"mem_thing\" \"home\" {\n  provider = mem.eu\n",
    ));
    let plan = f.plan_only().await.unwrap();
    let home = plan
        .changes
        .iter()
        .find(|c| c.address.name == "home")
        .unwrap();
    assert_eq!(home.action, Action::Replace);
    assert_eq!(
        home.reason.as_deref(),
        Some("its provider configuration changed from `mem` to `mem.eu`")
    );
    f.converge(PlanMode::Normal).await;
    assert!(f.provider.ids().is_empty(), "deleted where it was");
    assert_eq!(names(&eu), ["away", "copy of id-1", "home"]);
}

#[tokio::test]
async fn removing_a_provider_block_that_still_manages_objects_stops_the_plan() {
    let (f, _eu) = with_alias();
    f.write(BOTH);
    f.converge(PlanMode::Normal).await;
    f.write("resource \"mem_thing\" \"home\" {\n  name = \"home\"\n}\n");
    // The CLI configures only the declared blocks: no `mem.eu` instance now.
    let mut without = Providers::default();
    without.add(f.provider.clone());
    let f = Fixture {
        providers: without,
        ..f
    };
    let error = f.plan_only().await.unwrap_err();
    let crate::plan::PlanError::Unavailable(Unavailable::Undeclared { reference, .. }) = &error
    else {
        panic!("{error}");
    };
    assert_eq!(reference.to_string(), "mem.eu");
    let message = error.to_string();
    assert!(
        message.contains("keep its `provider \"mem\" { alias = \"eu\" ... }` block"),
        "{message}"
    );
}

#[tokio::test]
async fn a_lost_create_is_looked_up_by_the_configuration_that_made_it() {
    use state::Backend as _;
    let (f, eu) = with_alias();
    f.write(&BOTH.replace("name     = \"away\"", "name     = \"lost away\""));
    f.converge(PlanMode::Normal).await;
    let mut state = f.backend.load().unwrap().unwrap();
    let intent = &state.pending_creates[0];
    assert_eq!(
        (intent.name.as_str(), intent.provider.as_str()),
        ("away", "mem.eu")
    );
    let settled = crate::recover::settle_pending(&state, &f.providers)
        .await
        .unwrap();
    assert!(matches!(
        settled[0].settled,
        crate::recover::Settled::Adopted { .. }
    ));
    settled[0].operation.apply_to(&mut state);
    let adopted = state.get(&[], "mem_thing", "away", None).unwrap();
    assert_eq!(adopted.provider, "mem.eu");
    assert_eq!(names(&eu), ["lost away"]);
}
