//! Saved plans: `plan --out FILE` writes one; `apply FILE` applies exactly it.
//!
//! A plan file holds a snapshot of the configuration files, the input
//! variables (sensitive ones only as a salted hash: they must be given again
//! at apply time and must match), the state's lineage and serial, and per
//! object the action and a fingerprint of the live object it was planned
//! against. Applying re-plans from the snapshot and refuses when the state
//! moved (stale plan) or when any object's fingerprint or action differs.
//! For `show FILE` it also holds what the plan showed besides the changes:
//! drift, moves and removals, and the risks flagged (some need facts only the
//! live tenant had when planning, such as a population's user count).
//!
//! Sensitive values are never written. Each sensitive leaf becomes a marker with
//! a token: a SHA-256 of the value under a random key made for that one change
//! and then forgotten. Equal values give equal tokens, so `show FILE` tells a
//! changed secret from an unchanged one exactly as the live plan did, and
//! without the key nobody can test a guess against a token.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};

use crate::config::{Config, ConfigError, load_files};
use crate::plan::relocate::Relocations;
use crate::plan::risk::Risk;
use crate::plan::select::Selection;
use crate::plan::{Action, Plan, PlanMode, ResourceChange};
use crate::{ResourceAddress, Value};

/// The plan-file format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const FORMAT_NAME: &str = "pingform-plan";
const MARKER: &str = "$pingform";
/// The key of a sensitive marker's token.
const TOKEN: &str = "token";

/// Why a plan file cannot be read or applied.
#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    /// The file could not be read or written.
    #[error("Failed to access plan file `{path}`")]
    Io {
        /// The plan file.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a pingform plan this build reads.
    #[error("`{path}` is not a pingform plan file this version reads: {reason}")]
    Invalid {
        /// The plan file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The state moved since the plan was made.
    #[error("the saved plan is stale: {0}; run `pingform plan` again")]
    Stale(String),
    /// Live objects or the re-made plan differ from what was reviewed.
    #[error("the saved plan no longer matches the live objects; run `pingform plan` again:\n{}", .0.join("\n"))]
    Changed(Vec<String>),
    /// A sensitive variable was not given again, or differs.
    #[error("{0}")]
    Variable(String),
}

/// One configuration file as it was when the plan was made.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedFile {
    /// Its name as shown in diagnostics.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// An input variable's value, or for a sensitive one only a salted hash of it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavedVariable {
    /// The value as JSON.
    Value(Json),
    /// A sensitive value: `sha256(salt || json)`, hex.
    SensitiveHash {
        /// Random salt, hex.
        salt: String,
        /// The hash, hex.
        sha256: String,
    },
}

/// One planned change as saved.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedChange {
    /// `type.name`.
    pub address: String,
    /// The action.
    pub action: SavedAction,
    /// A hash of the live object the change was planned against, if it existed.
    pub fingerprint: Option<String>,
    /// The object before, with unknowns and sensitive values as markers.
    pub before: Json,
    /// The object after.
    pub after: Json,
    /// Changed attributes that force replacement.
    #[serde(default)]
    pub replace_paths: Vec<String>,
    /// Why a delete is planned.
    #[serde(default)]
    pub reason: Option<String>,
    /// The deposed key, for the delete of a deposed object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposed: Option<String>,
    /// The attributes masked in output (from the schema and the configuration).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive: Vec<String>,
    /// The import ID, when the object is being imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importing: Option<String>,
}

impl SavedChange {
    /// The address, followed by `(deposed object KEY)` for a deposed object.
    pub fn label(&self) -> String {
        match &self.deposed {
            Some(key) => format!("{} (deposed object {key})", self.address),
            None => self.address.clone(),
        }
    }
}

/// [`Action`] as saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavedAction {
    /// No change.
    NoOp,
    /// Create.
    Create,
    /// Update in place.
    Update,
    /// Delete, then create.
    Replace,
    /// Create, then delete (`create_before_destroy`).
    CreateThenDelete,
    /// Delete.
    Delete,
    /// Read a data source during apply.
    Read,
}

impl From<Action> for SavedAction {
    fn from(action: Action) -> Self {
        match action {
            Action::NoOp => SavedAction::NoOp,
            Action::Create => SavedAction::Create,
            Action::Update => SavedAction::Update,
            Action::Replace => SavedAction::Replace,
            Action::CreateThenDelete => SavedAction::CreateThenDelete,
            Action::Delete => SavedAction::Delete,
            Action::Read => SavedAction::Read,
        }
    }
}

impl From<SavedAction> for Action {
    fn from(action: SavedAction) -> Self {
        match action {
            SavedAction::NoOp => Action::NoOp,
            SavedAction::Create => Action::Create,
            SavedAction::Update => Action::Update,
            SavedAction::Replace => Action::Replace,
            SavedAction::CreateThenDelete => Action::CreateThenDelete,
            SavedAction::Delete => Action::Delete,
            SavedAction::Read => Action::Read,
        }
    }
}

/// One flagged change as saved (see [`crate::plan::risk`]): what a provider
/// knew when planning (a population's users) is not at hand when showing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRisk {
    /// The resource concerned, `type.name`.
    pub address: String,
    /// What makes it risky.
    pub message: String,
}

/// A saved plan.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanFile {
    /// Always `pingform-plan`.
    pub format: String,
    /// The format version.
    pub format_version: u32,
    /// The pingform that wrote it.
    pub pingform_version: String,
    /// The lineage of the state the plan was made against.
    pub lineage: String,
    /// That state's serial, before refresh.
    pub serial: u64,
    /// Whether it destroys everything.
    pub destroy: bool,
    /// Whether it only accepts drift into state.
    #[serde(default)]
    pub refresh_only: bool,
    /// `--target`, `--exclude` and `--replace` as given when planning (`type.name`).
    #[serde(default)]
    pub targets: Vec<String>,
    /// See `targets`.
    #[serde(default)]
    pub excludes: Vec<String>,
    /// See `targets`.
    #[serde(default)]
    pub replace: Vec<String>,
    /// The configuration snapshot.
    pub files: Vec<SavedFile>,
    /// Input variables.
    pub variables: BTreeMap<String, SavedVariable>,
    /// Every planned change.
    pub changes: Vec<SavedChange>,
    /// The objects changed outside pingform, as the plan showed them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<SavedChange>,
    /// What `moved` blocks moved in state: from, to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<(String, String)>,
    /// What `removed` blocks take out of management.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forgotten: Vec<String>,
    /// The risks flagged when planning; absent from files written before risks were saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risks: Option<Vec<SavedRisk>>,
}

impl PlanFile {
    /// Captures `plan`, made from `config` and `variables` against the state
    /// with `lineage` and `serial` (as loaded, before refresh).
    pub fn new(
        plan: &Plan,
        config: &Config,
        variables: &BTreeMap<String, Value>,
        lineage: &str,
        serial: u64,
        selection: &Selection,
    ) -> Self {
        let names = |list: &[ResourceAddress]| list.iter().map(ToString::to_string).collect();
        let sources = &config.sources;
        let files = sources
            .files()
            .map(|f| SavedFile {
                name: sources.name(f).to_string(),
                text: sources.text(f).to_string(),
            })
            .collect();
        Self {
            format: FORMAT_NAME.to_string(),
            format_version: FORMAT_VERSION,
            pingform_version: env!("CARGO_PKG_VERSION").to_string(),
            lineage: lineage.to_string(),
            serial,
            destroy: plan.mode == PlanMode::Destroy,
            refresh_only: plan.mode == PlanMode::RefreshOnly,
            targets: names(&selection.targets),
            excludes: names(&selection.excludes),
            replace: names(&selection.replace),
            files,
            variables: variables
                .iter()
                .map(|(k, v)| (k.clone(), save_variable(v)))
                .collect(),
            changes: plan.changes.iter().map(save_change).collect(),
            drift: plan.drift.iter().map(save_change).collect(),
            moved: (plan.relocations.moved.iter())
                .map(|(from, to)| (from.to_string(), to.to_string()))
                .collect(),
            forgotten: names(&plan.relocations.forgotten),
            risks: None,
        }
    }

    /// Records the risks flagged for the plan, for `pingform show FILE`.
    pub fn with_risks(mut self, risks: &[Risk]) -> Self {
        let saved = risks
            .iter()
            .map(|r| SavedRisk {
                address: r.address.to_string(),
                message: r.message.clone(),
            })
            .collect();
        self.risks = Some(saved);
        self
    }

    /// The risks flagged when planning, or `None` for a file that predates them.
    pub fn risks(&self) -> Option<Vec<Risk>> {
        let saved = self.risks.as_ref()?;
        Some(
            saved
                .iter()
                .map(|r| Risk {
                    address: parse_address(&r.address),
                    message: r.message.clone(),
                })
                .collect(),
        )
    }

    /// Writes the file atomically, readable only by its owner (it holds configuration).
    pub fn write(&self, path: &Path) -> Result<(), PlanFileError> {
        let io = |source| PlanFileError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| io(e.into()))?;
        bytes.push(b'\n');
        state::backend::local::write_atomically(path, &bytes).map_err(io)
    }

    /// Reads and checks a plan file.
    pub fn read(path: &Path) -> Result<PlanFile, PlanFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| PlanFileError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |reason: String| PlanFileError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        let file: PlanFile = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        if file.format != FORMAT_NAME {
            return Err(invalid(format!("its format is `{}`", file.format)));
        }
        if file.format_version != FORMAT_VERSION {
            return Err(invalid(format!(
                "format version {} (this pingform reads {FORMAT_VERSION})",
                file.format_version
            )));
        }
        Ok(file)
    }

    /// The configuration snapshot, loaded as if from `dir`.
    pub fn config(&self, dir: &Path) -> Result<Config, ConfigError> {
        load_files(
            self.files
                .iter()
                .map(|f| (dir.join(&f.name), f.name.clone(), f.text.clone())),
        )
    }

    /// The saved variables; sensitive ones come from `given` and must match their hash.
    pub fn variables(
        &self,
        given: &BTreeMap<String, Value>,
    ) -> Result<BTreeMap<String, Value>, PlanFileError> {
        let mut values = BTreeMap::new();
        for (name, saved) in &self.variables {
            let value = match saved {
                SavedVariable::Value(json) => decode(json),
                SavedVariable::SensitiveHash { salt, sha256 } => {
                    let value = given.get(name).ok_or_else(|| {
                        PlanFileError::Variable(format!(
                            "the sensitive variable `{name}` is not stored in the plan file; give it again (--var or PINGFORM_VAR_{name})"
                        ))
                    })?;
                    if &hash(salt, value) != sha256 {
                        return Err(PlanFileError::Variable(format!(
                            "the sensitive variable `{name}` differs from the value the plan was made with"
                        )));
                    }
                    Value::sensitive(value.clone())
                }
            };
            values.insert(name.clone(), value);
        }
        Ok(values)
    }

    /// The saved non-sensitive values as variable inputs for `config` (the snapshot),
    /// so that they take precedence over anything given at apply time.
    pub fn given_values(&self, config: &Config) -> Vec<(String, crate::variables::Given)> {
        config
            .variables
            .iter()
            .filter_map(|block| match self.variables.get(&block.name)? {
                SavedVariable::Value(json) => Some((
                    block.name.clone(),
                    crate::variables::Given::Json {
                        value: decode(json),
                        span: block.span.clone(),
                    },
                )),
                SavedVariable::SensitiveHash { .. } => None,
            })
            .collect()
    }

    /// Refuses when `state` is not the state the plan was made against.
    pub fn check_state(&self, lineage: &str, serial: u64) -> Result<(), PlanFileError> {
        // A state that was never written gets a fresh lineage on every load.
        match (self.serial, serial) {
            (0, 0) => return Ok(()),
            (0, now) => {
                return Err(PlanFileError::Stale(format!(
                    "the state was empty when the plan was made and has been written since (serial {now} now)"
                )));
            }
            _ => {}
        }
        if lineage != self.lineage {
            return Err(PlanFileError::Stale(format!(
                "it was made for state lineage {}, but the state's lineage is {lineage}",
                self.lineage
            )));
        }
        if serial != self.serial {
            return Err(PlanFileError::Stale(format!(
                "the state changed since the plan was made (serial {} then, {serial} now)",
                self.serial
            )));
        }
        Ok(())
    }

    /// Refuses when a fresh plan differs from the saved one: an object changed
    /// live, or the action or result for an object is not the same.
    pub fn check_plan(&self, fresh: &Plan) -> Result<(), PlanFileError> {
        let saved: BTreeMap<String, &SavedChange> =
            self.changes.iter().map(|c| (c.label(), c)).collect();
        let mut problems = Vec::new();
        for change in &fresh.changes {
            let address = change.label();
            let now = save_change(change);
            let Some(then) = saved.get(address.as_str()) else {
                if change.action != Action::NoOp {
                    problems.push(format!(
                        "  `{address}`: not in the saved plan, now planned to {:?}",
                        change.action
                    ));
                }
                continue;
            };
            if then.fingerprint != now.fingerprint {
                problems.push(format!(
                    "  `{address}`: the live object changed since the plan was made{}",
                    describe_drift(&then.before, &now.before)
                ));
            } else if then.action != now.action
                || without_tokens(&then.after) != without_tokens(&now.after)
            {
                problems.push(format!(
                    "  `{address}`: planned to {:?} then, {:?} now",
                    Action::from(then.action),
                    change.action
                ));
            }
        }
        for address in saved.keys() {
            if !fresh.changes.iter().any(|c| c.label() == *address) {
                problems.push(format!("  `{address}`: in the saved plan but gone now"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(PlanFileError::Changed(problems))
        }
    }

    /// The saved changes as a plan, for `pingform show`.
    pub fn plan(&self) -> Plan {
        let relocations = Relocations {
            moved: (self.moved.iter())
                .map(|(from, to)| (parse_address(from), parse_address(to)))
                .collect(),
            forgotten: self.forgotten.iter().map(|a| parse_address(a)).collect(),
        };
        Plan {
            prior: state::State::default(),
            refresh_changed_state: false,
            drift: self.drift.iter().map(restore_change).collect(),
            changes: self.changes.iter().map(restore_change).collect(),
            mode: self.mode(),
            data: Default::default(),
            relocations,
        }
    }

    /// The selection the plan was made with.
    pub fn selection(&self) -> Selection {
        let addresses = |list: &[String]| list.iter().filter_map(|a| a.parse().ok()).collect();
        Selection {
            targets: addresses(&self.targets),
            excludes: addresses(&self.excludes),
            replace: addresses(&self.replace),
            max_deletes: None,
        }
    }

    /// The mode the plan was made in.
    pub fn mode(&self) -> PlanMode {
        match (self.destroy, self.refresh_only) {
            (true, _) => PlanMode::Destroy,
            (false, true) => PlanMode::RefreshOnly,
            (false, false) => PlanMode::Normal,
        }
    }
}

/// An address as saved; one this build cannot parse keeps its text as the type.
fn parse_address(text: &str) -> ResourceAddress {
    text.parse()
        .unwrap_or_else(|_| ResourceAddress::new(text, ""))
}

/// A saved change as a change to render (sensitive leaves stand in by their tokens).
fn restore_change(c: &SavedChange) -> ResourceChange {
    let side = |json: &Json| (!json.is_null()).then(|| decode(json));
    ResourceChange {
        importing: c.importing.clone(),
        deposed: c.deposed.clone(),
        address: parse_address(&c.address),
        action: c.action.into(),
        before: side(&c.before),
        after: side(&c.after),
        replace_paths: c.replace_paths.clone(),
        sensitive: c.sensitive.iter().cloned().collect(),
        reason: c.reason.clone(),
    }
}

fn save_change(change: &ResourceChange) -> SavedChange {
    // One key per change: tokens compare a value with its own before, nothing else.
    let key = random_key();
    let side = |v: &Option<Value>| {
        v.as_ref()
            .map_or(Json::Null, |v| encode(v, &change.sensitive, Some(&key)))
    };
    SavedChange {
        address: change.address.to_string(),
        action: change.action.into(),
        fingerprint: change.before.as_ref().map(fingerprint),
        before: side(&change.before),
        after: side(&change.after),
        replace_paths: change.replace_paths.clone(),
        reason: change.reason.clone(),
        deposed: change.deposed.clone(),
        sensitive: change.sensitive.iter().cloned().collect(),
        importing: change.importing.clone(),
    }
}

/// 244 random bits (two v4 UUIDs), hex.
fn random_key() -> String {
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    format!("{}{}", a.simple(), b.simple())
}

/// A hash of the whole live object, sensitive parts included (they are not stored).
fn fingerprint(value: &Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(raw_json(value).to_string().as_bytes());
    hex(&hasher.finalize())
}

/// The value as JSON with marks dropped and unknowns as markers.
fn raw_json(value: &Value) -> Json {
    value
        .to_json()
        .unwrap_or_else(|| encode(&value.clone().unmark_deep().0, &Default::default(), None))
}

/// JSON with unknowns and sensitive values (marked, or named in `sensitive` at
/// the top level) replaced by markers, so no secret is written. With a `key`,
/// each sensitive marker carries the value's token under it.
fn encode(value: &Value, sensitive: &BTreeSet<String>, key: Option<&str>) -> Json {
    let none = BTreeSet::new();
    match value {
        Value::Unknown => json!({ MARKER: "unknown" }),
        Value::Sensitive(_) => sensitive_marker(value, key),
        Value::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| {
                    let hidden = sensitive.contains(k) && !v.is_null() && !v.is_unknown();
                    let encoded = if hidden {
                        sensitive_marker(v, key)
                    } else {
                        encode(v, &none, key)
                    };
                    (k.clone(), encoded)
                })
                .collect(),
        ),
        Value::List(items) => Json::Array(items.iter().map(|v| encode(v, &none, key)).collect()),
        other => other.to_json().unwrap_or(Json::Null),
    }
}

/// `{"$pingform": "sensitive"}`, with `"token"` when there is a `key`.
fn sensitive_marker(value: &Value, key: Option<&str>) -> Json {
    match key {
        Some(key) => json!({ MARKER: "sensitive", TOKEN: hash(key, value) }),
        None => json!({ MARKER: "sensitive" }),
    }
}

/// The marker object's name (`sensitive`, `unknown`), if `map` is one.
fn marker(map: &serde_json::Map<String, Json>) -> Option<&str> {
    let kind = map.get(MARKER)?.as_str()?;
    map.keys()
        .all(|k| k == MARKER || k == TOKEN)
        .then_some(kind)
}

/// `json` with the tokens taken out of its sensitive markers: tokens of two
/// saves of one value differ (each has its own key), so comparisons ignore them.
fn without_tokens(json: &Json) -> Json {
    match json {
        Json::Object(map) if marker(map).is_some() => Json::Object(
            map.iter()
                .filter(|(k, _)| *k != TOKEN)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), without_tokens(v)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().map(without_tokens).collect()),
        other => other.clone(),
    }
}

fn decode(json: &Json) -> Value {
    match json {
        Json::Object(map) if marker(map).is_some() => match (marker(map), map.get(TOKEN)) {
            (Some("unknown"), _) => Value::Unknown,
            // The token stands in for the value: equal tokens, equal values.
            (_, Some(Json::String(token))) => Value::sensitive(Value::String(token.clone())),
            _ => Value::sensitive(Value::Null),
        },
        Json::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), decode(v))).collect())
        }
        Json::Array(items) => Value::List(items.iter().map(decode).collect()),
        other => Value::from_json(other),
    }
}

fn save_variable(value: &Value) -> SavedVariable {
    if value.contains_sensitive() {
        let salt = hex(uuid::Uuid::new_v4().as_bytes());
        let sha256 = hash(&salt, value);
        SavedVariable::SensitiveHash { salt, sha256 }
    } else {
        SavedVariable::Value(encode(value, &Default::default(), None))
    }
}

fn hash(salt: &str, value: &Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(raw_json(value).to_string().as_bytes());
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Names the attributes whose live value moved, without showing sensitive ones.
fn describe_drift(then: &Json, now: &Json) -> String {
    let (then, now) = (without_tokens(then), without_tokens(now));
    let (Some(a), Some(b)) = (then.as_object(), now.as_object()) else {
        return String::new();
    };
    let mut changed: Vec<String> = Vec::new();
    for (key, old) in a {
        let new = b.get(key).unwrap_or(&Json::Null);
        if new != old {
            let sensitive = old.get(MARKER).is_some() || new.get(MARKER).is_some();
            changed.push(if sensitive {
                format!("{key} (sensitive)")
            } else {
                format!("{key}: {old} -> {new}")
            });
        }
    }
    if changed.is_empty() {
        String::new()
    } else {
        format!(" ({})", changed.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn change(action: Action, before: Option<Value>, after: Option<Value>) -> ResourceChange {
        ResourceChange {
            deposed: None,
            importing: None,
            address: ResourceAddress::new("pingone_population", "staff"),
            action,
            before,
            after,
            replace_paths: vec![],
            sensitive: BTreeSet::from(["secret".to_string()]),
            reason: None,
        }
    }

    fn plan_of(changes: Vec<ResourceChange>) -> Plan {
        Plan {
            prior: state::State::new(),
            refresh_changed_state: false,
            drift: Vec::new(),
            changes,
            mode: PlanMode::Normal,
            data: Default::default(),
            relocations: Default::default(),
        }
    }

    fn live(description: &str) -> Value {
        obj(&[
            ("id", "p-1".into()),
            ("description", description.into()),
            ("secret", "top-secret-value".into()),
        ])
    }

    fn saved(plan: &Plan, variables: &BTreeMap<String, Value>) -> PlanFile {
        let config = load_str("main.tf", "variable \"x\" {\n  default = 1\n}\n").unwrap();
        PlanFile::new(
            plan,
            &config,
            variables,
            "lineage-1",
            7,
            &Selection::default(),
        )
    }

    #[test]
    fn round_trips_through_a_private_file_without_secrets() {
        let plan = plan_of(vec![change(
            Action::Update,
            Some(live("a")),
            Some(live("b")),
        )]);
        let variables = BTreeMap::from([
            ("plain".to_string(), Value::from("visible")),
            (
                "token".to_string(),
                Value::sensitive(Value::from("hunter2-token")),
            ),
        ]);
        let file = saved(&plan, &variables);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        file.write(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("top-secret-value"), "{text}");
        assert!(!text.contains("hunter2-token"), "{text}");
        assert!(text.contains("visible"));
        let back = PlanFile::read(&path).unwrap();
        assert!(back.config(dir.path()).unwrap().variables.len() == 1);
        assert_eq!(back.plan().changes[0].action, Action::Update);
        back.check_plan(&plan).unwrap();
    }

    /// `plan` drawn as text and as JSON (without its timestamp), as `plan` and `show` draw it.
    fn renderings(plan: &Plan, risks: &[Risk]) -> (String, Json) {
        use crate::render::{Context, Style, fixture, human, json};
        let schemas = fixture::schemas();
        let outputs = fixture::outputs();
        let context = Context {
            schemas: &schemas,
            outputs: &outputs,
            risks,
            ..Context::default()
        };
        let mut text = Vec::new();
        human::render_plan(plan, &context, &mut text, Style::default()).unwrap();
        let mut doc = json::plan_json(plan, &context);
        doc["timestamp"] = Json::Null;
        (String::from_utf8(text).unwrap(), doc)
    }

    /// `plan` saved with `risks`, written, read back and turned into a plan again.
    fn through_a_file(plan: &Plan, risks: &[Risk]) -> (String, PlanFile) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviewed.plan");
        saved(plan, &BTreeMap::new())
            .with_risks(risks)
            .write(&path)
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        (text, PlanFile::read(&path).unwrap())
    }

    #[test]
    fn a_saved_plan_renders_exactly_as_the_live_plan_did() {
        use crate::render::fixture;
        let mut live = fixture::every_kind();
        live.relocations.moved.push((
            ResourceAddress::new("pingone_group", "team"),
            ResourceAddress::new("pingone_group", "crew"),
        ));
        let kept = ResourceAddress::new("pingone_population", "legacy");
        live.relocations.forgotten.push(kept);
        let risks = fixture::risks();
        let (text, file) = through_a_file(&live, &risks);
        fixture::assert_no_secret(&text);
        assert_eq!(file.risks().as_deref(), Some(risks.as_slice()));
        let (live_text, live_json) = renderings(&live, &risks);
        let (shown_text, shown_json) = renderings(&file.plan(), &risks);
        for shown in [
            "~ client_secret",
            "has moved to",
            "will be imported",
            "changed outside",
        ] {
            assert!(live_text.contains(shown), "{shown}: {live_text}");
        }
        assert_eq!(shown_text, live_text);
        assert_eq!(shown_json, live_json);
    }

    #[test]
    fn secrets_inside_lists_and_objects_compare_as_in_the_live_plan() {
        let secret = |s: &str| Value::sensitive(s.into());
        let side = |third: &str, pin: &str| {
            obj(&[
                ("id", "p-1".into()),
                (
                    "keys",
                    Value::List(vec!["plain".into(), secret("k-1"), secret(third)]),
                ),
                ("nested", obj(&[("pin", secret(pin)), ("note", "x".into())])),
            ])
        };
        let mut rotated = change(
            Action::Update,
            Some(side("k-2", "1234")),
            Some(side("k-3", "1234")),
        );
        rotated.sensitive.clear();
        let mut pinned = rotated.clone();
        pinned.address = ResourceAddress::new("pingone_population", "pinned");
        pinned.after = Some(side("k-2", "9999"));
        let live = plan_of(vec![rotated, pinned]);
        let (text, file) = through_a_file(&live, &[]);
        for secret in ["k-1", "k-2", "k-3", "1234", "9999"] {
            assert!(
                !text.contains(&format!("\"{secret}\"")),
                "{secret} in {text}"
            );
        }
        let (live_text, live_json) = renderings(&live, &[]);
        let (shown_text, shown_json) = renderings(&file.plan(), &[]);
        assert_eq!(shown_text, live_text);
        assert_eq!(shown_json, live_json);
    }

    #[test]
    fn tokens_match_within_one_change_only() {
        let same_secret = change(Action::Update, Some(live("a")), Some(live("b")));
        let once = save_change(&same_secret);
        let again = save_change(&same_secret);
        let token = |side: &Json| side["secret"][TOKEN].as_str().map(str::to_string);
        assert!(token(&once.before).is_some());
        assert_eq!(token(&once.before), token(&once.after));
        assert_ne!(
            token(&once.before),
            token(&again.before),
            "each change has its own key"
        );
        assert_eq!(without_tokens(&once.after), without_tokens(&again.after));
        // A file written before tokens: the secret reads as masked and unchanged.
        assert_eq!(
            decode(&json!({ MARKER: "sensitive" })),
            Value::sensitive(Value::Null)
        );
    }

    #[test]
    fn a_file_without_risks_says_so_and_one_with_none_has_none() {
        let plan = plan_of(vec![]);
        let (_, file) = through_a_file(&plan, &[]);
        assert_eq!(file.risks(), Some(Vec::new()));
        let mut older = serde_json::to_value(saved(&plan, &BTreeMap::new())).unwrap();
        older.as_object_mut().unwrap().remove("risks");
        let older: PlanFile = serde_json::from_value(older).unwrap();
        assert_eq!(older.risks(), None);
    }

    #[test]
    fn refuses_another_lineage_or_a_moved_serial() {
        let file = saved(&plan_of(vec![]), &BTreeMap::new());
        assert!(file.check_state("lineage-1", 7).is_ok());
        let moved = file.check_state("lineage-1", 8).unwrap_err().to_string();
        assert!(
            moved.contains("stale") && moved.contains("serial 7 then, 8 now"),
            "{moved}"
        );
        let other = file.check_state("lineage-2", 7).unwrap_err().to_string();
        assert!(other.contains("lineage"), "{other}");
    }

    #[test]
    fn refuses_an_object_that_changed_live_naming_it_and_the_change() {
        let file = saved(
            &plan_of(vec![change(
                Action::Update,
                Some(live("a")),
                Some(live("b")),
            )]),
            &BTreeMap::new(),
        );
        let fresh = plan_of(vec![change(
            Action::Update,
            Some(live("edited")),
            Some(live("b")),
        )]);
        let message = file.check_plan(&fresh).unwrap_err().to_string();
        assert!(message.contains("`pingone_population.staff`"), "{message}");
        assert!(
            message.contains("description: \"a\" -> \"edited\""),
            "{message}"
        );
    }

    #[test]
    fn a_changed_secret_is_detected_but_not_shown() {
        let mut other = live("a");
        if let Value::Object(map) = &mut other {
            map.insert("secret".into(), "rotated-secret".into());
        }
        let file = saved(
            &plan_of(vec![change(
                Action::Update,
                Some(live("a")),
                Some(live("b")),
            )]),
            &BTreeMap::new(),
        );
        let fresh = plan_of(vec![change(Action::Update, Some(other), Some(live("b")))]);
        let message = file.check_plan(&fresh).unwrap_err().to_string();
        assert!(
            !message.contains("rotated-secret") && !message.contains("top-secret"),
            "{message}"
        );
    }

    #[test]
    fn sensitive_variables_must_be_given_again_and_match() {
        let variables =
            BTreeMap::from([("token".to_string(), Value::sensitive(Value::from("t1")))]);
        let file = saved(&plan_of(vec![]), &variables);
        assert!(file.variables(&BTreeMap::new()).is_err());
        let wrong = BTreeMap::from([("token".to_string(), Value::from("t2"))]);
        assert!(
            file.variables(&wrong)
                .unwrap_err()
                .to_string()
                .contains("differs")
        );
        let right = BTreeMap::from([("token".to_string(), Value::from("t1"))]);
        let values = file.variables(&right).unwrap();
        assert!(values["token"].is_sensitive());
    }
}
