//! Configuring providers: one instance per `provider` block, and the default
//! configuration only when something uses it.

use std::sync::Mutex;

use async_trait::async_trait;

use super::*;
use crate::config::load_str;
use crate::provider::{
    CreateRequest, DeleteRequest, ReadManyRequest, ReadManyResponse, UpdateRequest,
};

/// Remembers the `label` it was configured with and refuses a missing one;
/// the instances it makes (when `aliases`) are listed in `made`.
struct Labelled {
    schema: ProviderSchema,
    label: Mutex<Option<String>>,
    aliases: bool,
    made: Arc<Mutex<Vec<Arc<Labelled>>>>,
}

impl Labelled {
    fn new(aliases: bool) -> Self {
        Self {
            schema: ProviderSchema::default(),
            label: Mutex::new(None),
            aliases,
            made: Arc::default(),
        }
    }

    fn label(&self) -> Option<String> {
        self.label.lock().unwrap().clone()
    }
}

#[async_trait]
impl Provider for Labelled {
    fn name(&self) -> &str {
        "mem"
    }

    fn schema(&self) -> &ProviderSchema {
        &self.schema
    }

    async fn configure(&self, config: &Value) -> Result<(), ProviderError> {
        let label = config.get("label").and_then(Value::as_str).ok_or_else(|| {
            ProviderError::new(ProviderErrorKind::Configuration, "`label` is not set")
        })?;
        *self.label.lock().unwrap() = Some(label.to_string());
        Ok(())
    }

    fn new_instance(&self) -> Option<Arc<dyn Provider>> {
        if !self.aliases {
            return None;
        }
        let made = Arc::new(Labelled {
            made: self.made.clone(),
            ..Labelled::new(true)
        });
        self.made.lock().unwrap().push(made.clone());
        Some(made)
    }

    async fn read_many(&self, _: ReadManyRequest) -> Result<ReadManyResponse, ProviderError> {
        Err(ProviderError::new(ProviderErrorKind::Api, "unused"))
    }

    async fn create(&self, _: CreateRequest) -> Result<Value, ProviderError> {
        Err(ProviderError::new(ProviderErrorKind::Api, "unused"))
    }

    async fn update(&self, _: UpdateRequest) -> Result<Value, ProviderError> {
        Err(ProviderError::new(ProviderErrorKind::Api, "unused"))
    }

    async fn delete(&self, _: DeleteRequest) -> Result<(), ProviderError> {
        Err(ProviderError::new(ProviderErrorKind::Api, "unused"))
    }
}

fn registered(aliases: bool) -> (Providers, Arc<Labelled>) {
    let provider = Arc::new(Labelled::new(aliases));
    let mut providers = Providers::default();
    providers.add(provider.clone());
    (providers, provider)
}

/// A run of `configure` with the configuration `text` and an empty state.
async fn configure(providers: &mut Providers, text: &str) -> Result<(), ConfigureError> {
    let config = load_str("main.tf", text).unwrap();
    let state = state::State::new();
    providers.configure(&config, &BTreeMap::new(), &state).await
}

#[tokio::test]
async fn each_block_configures_its_own_instance() {
    let (mut providers, default) = registered(true);
    configure(
        &mut providers,
        r#"provider "mem" { label = "home" }
provider "mem" {
  alias = "eu"
  label = "away"
}
"#,
    )
    .await
    .unwrap();
    assert_eq!(default.label().as_deref(), Some("home"));
    let made = default.made.lock().unwrap().clone();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].label().as_deref(), Some("away"));
    let eu = providers
        .configuration(&ProviderConfigRef::aliased("mem", "eu"))
        .expect("an eu instance");
    let default_dyn: Arc<dyn Provider> = default.clone();
    assert!(!Arc::ptr_eq(eu, &default_dyn), "a separate instance");
    let listed: Vec<String> = providers
        .configurations()
        .map(|(r, _)| r.to_string())
        .collect();
    assert_eq!(listed, ["mem", "mem.eu"]);
}

#[tokio::test]
async fn the_default_without_a_block_is_configured_only_when_used() {
    // Only an aliased block, and only the alias used: the default (which would
    // fail for want of a label) is left alone.
    let (mut providers, default) = registered(true);
    let only_alias = r#"provider "mem" {
  alias = "eu"
  label = "away"
}
resource "mem_thing" "a" {
  provider = mem.eu
}
"#;
    configure(&mut providers, only_alias).await.unwrap();
    assert!(default.label().is_none());
    // A resource on the default configuration needs it: its error names it.
    let (mut providers, _) = registered(true);
    let error = configure(
        &mut providers,
        &format!("{only_alias}resource \"mem_thing\" \"b\" {{}}\n"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&error, ConfigureError::Provider { name, .. } if name == "mem"),
        "{error}"
    );
}

#[tokio::test]
async fn a_provider_without_instances_refuses_aliases() {
    let (mut providers, _) = registered(false);
    let error = configure(
        &mut providers,
        "provider \"mem\" {\n  alias = \"eu\"\n  label = \"x\"\n}\n",
    )
    .await
    .unwrap_err();
    let ConfigureError::Provider { name, source } = &error else {
        panic!("{error}");
    };
    assert_eq!(name, "mem.eu");
    assert!(source.message.contains("cannot have aliases"), "{source}");
}

#[test]
fn state_naming_an_undeclared_alias_says_to_keep_the_block() {
    let (providers, _) = registered(true);
    let error = providers
        .for_state("mem_thing.a", "mem.eu")
        .err()
        .expect("undeclared");
    assert!(
        error
            .to_string()
            .contains("keep its `provider \"mem\" { alias = \"eu\" ... }` block")
    );
    assert!(providers.for_state("mem_thing.a", "mem").is_ok());
    assert!(matches!(
        providers.for_state("x_thing.a", "x"),
        Err(Unavailable::UnknownProvider(_))
    ));
    assert!(matches!(
        providers.for_state("mem_thing.a", "mem..eu"),
        Err(Unavailable::Unreadable { .. })
    ));
}
