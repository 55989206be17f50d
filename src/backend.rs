//! Choosing where state lives: the local file (default) or the backend that
//! `terraform { backend "pg" { ... } }` names, in the selected workspace.
//!
//! The workspace is `PINGFORM_WORKSPACE` when set, else the name saved in
//! `.pingform/environment` by `pingform workspace select`, else `default`.
//! Local workspaces other than `default` keep their state in
//! `pingform.tfstate.d/<name>/pingform.tfstate`, as Terraform lays them out.
//!
//! Either backend encrypts state with `PINGFORM_STATE_PASSPHRASE` when it is
//! set, and reads with `PINGFORM_STATE_PASSPHRASE_PREVIOUS` too (rotation).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use engine::Value;
use engine::config::{BackendBlock, Config};
use engine::eval::{Scope, evaluate_body};
use state::backend::postgres::{DEFAULT_WORKSPACE, PgSettings, check_workspace};
use state::{Backend, Encryption, LocalBackend, PostgresBackend};

use crate::report::CliError;
use crate::session::{STATE_FILE, state_error};

/// The schema used when `schema_name` is not set.
const DEFAULT_SCHEMA: &str = "pingform_remote_state";

/// The directory holding local workspaces other than `default`.
const WORKSPACES_DIR: &str = "pingform.tfstate.d";

/// The configured backend, opened on one workspace.
pub(crate) enum Chosen {
    /// The local state file.
    Local(LocalBackend),
    /// A PostgreSQL database.
    Postgres(PostgresBackend),
}

impl Chosen {
    /// The backend as the engine uses it.
    pub(crate) fn into_backend(self) -> Box<dyn Backend> {
        match self {
            Chosen::Local(b) => Box::new(b),
            Chosen::Postgres(b) => Box::new(b),
        }
    }
}

/// Opens the backend `config` names (local when none) on `workspace`.
pub(crate) fn open(dir: &Path, config: &Config, workspace: &str) -> Result<Chosen, CliError> {
    check_workspace(workspace).map_err(|e| state_error("invalid workspace", &e))?;
    match &config.backend {
        None => open_local(dir, workspace),
        Some(block) if block.kind == "local" => open_local(dir, workspace),
        Some(block) if block.kind == "pg" => {
            let settings = pg_settings(config, block, workspace)?;
            PostgresBackend::connect(settings)
                .map(|pg| Chosen::Postgres(pg.with_encryption(encryption())))
                .map_err(|e| state_error("could not open the PostgreSQL state backend", &e))
        }
        Some(block) => Err(CliError::msg(format!(
            "backend \"{}\" is not supported; pingform stores state locally or in PostgreSQL (\"pg\")",
            block.kind
        ))
        .with_hint("use `backend \"pg\" { conn_str = \"...\" }`, or remove the backend block to keep state in pingform.tfstate")),
    }
}

fn open_local(dir: &Path, workspace: &str) -> Result<Chosen, CliError> {
    if workspace != DEFAULT_WORKSPACE && !local_workspace_dir(dir, workspace).is_dir() {
        return Err(
            CliError::msg(format!("workspace \"{workspace}\" does not exist")).with_hint(format!(
                "create it with `pingform workspace new {workspace}`, or select another"
            )),
        );
    }
    Ok(Chosen::Local(local(local_state_path(dir, workspace))))
}

/// The passphrases from the environment, read once per backend.
pub(crate) fn encryption() -> Arc<Encryption> {
    Arc::new(Encryption::from_env())
}

/// The local backend for the state file at `path`, with the environment's passphrases.
pub(crate) fn local(path: PathBuf) -> LocalBackend {
    LocalBackend::new(path).with_encryption(encryption())
}

/// The state file of a local workspace.
pub(crate) fn local_state_path(dir: &Path, workspace: &str) -> PathBuf {
    if workspace == DEFAULT_WORKSPACE {
        dir.join(STATE_FILE)
    } else {
        dir.join(WORKSPACES_DIR).join(workspace).join(STATE_FILE)
    }
}

/// `conn_str` and `schema_name` from the block (literals only: backends are set up
/// before variables exist), `PINGFORM_PG_CONN_STR` when `conn_str` is not set.
fn pg_settings(
    config: &Config,
    block: &BackendBlock,
    workspace: &str,
) -> Result<PgSettings, CliError> {
    let (variables, resources) = (BTreeMap::new(), BTreeMap::new());
    let values =
        evaluate_body(&block.body, &Scope::new(&variables, &resources)).map_err(|diagnostics| {
            CliError::Diagnostics {
                sources: config.sources.clone(),
                diagnostics,
            }
        })?;
    let text = |name: &str| -> Result<Option<String>, CliError> {
        match values.get(name).map(Value::unmarked) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(CliError::msg(format!(
                "backend \"pg\": `{name}` must be a string, not {}",
                other.type_name()
            ))),
        }
    };
    if let Some(unknown) = block
        .body
        .attributes
        .keys()
        .find(|k| !["conn_str", "schema_name"].contains(&k.as_str()))
    {
        return Err(
            CliError::msg(format!("backend \"pg\" has no setting `{unknown}`"))
                .with_hint("its settings are `conn_str` and `schema_name`"),
        );
    }
    let conn_str = match text("conn_str")? {
        Some(c) => c,
        None => std::env::var("PINGFORM_PG_CONN_STR").map_err(|_| {
            CliError::msg("backend \"pg\" needs a connection string")
                .with_hint("set `conn_str` in the backend block, or the PINGFORM_PG_CONN_STR environment variable")
        })?,
    };
    Ok(PgSettings {
        conn_str,
        schema: text("schema_name")?.unwrap_or_else(|| DEFAULT_SCHEMA.to_string()),
        workspace: workspace.to_string(),
    })
}

/// The file that remembers the selected workspace.
fn selection_file(dir: &Path) -> PathBuf {
    dir.join(".pingform").join("environment")
}

/// The selected workspace.
pub(crate) fn current_workspace(dir: &Path) -> String {
    if let Ok(name) = std::env::var("PINGFORM_WORKSPACE")
        && !name.is_empty()
    {
        return name;
    }
    std::fs::read_to_string(selection_file(dir))
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_WORKSPACE.to_string())
}

/// Remembers `name` as the selected workspace.
pub(crate) fn select_workspace(dir: &Path, name: &str) -> Result<(), CliError> {
    let file = selection_file(dir);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(file.parent().expect("has a parent"))?;
        std::fs::write(&file, format!("{name}\n"))
    };
    write().map_err(|e| CliError::from_error(format!("could not write `{}`", file.display()), &e))
}

/// The local workspaces: `default` and each directory under `pingform.tfstate.d`.
pub(crate) fn local_workspaces(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join(WORKSPACES_DIR))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    names.insert(0, DEFAULT_WORKSPACE.to_string());
    names
}

/// The directory of a local workspace other than `default`.
pub(crate) fn local_workspace_dir(dir: &Path, name: &str) -> PathBuf {
    dir.join(WORKSPACES_DIR).join(name)
}
