//! One command's working set: the loaded configuration, its graph, input
//! variables, providers, and the state backend, prepared in that order.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use engine::Value;
use engine::config::{self, Config, ConfigError};
use engine::diagnostics::{Diagnostics, Severity};
use engine::graph::Graph;
use engine::plan::file::PlanFile;
use engine::providers::{ConfigureError, Providers};
use engine::recover::{Settled, settle_pending};
use state::{Backend, State};

use crate::cli::RunArgs;
use crate::report::CliError;

/// The state file's name in the working directory.
pub(crate) const STATE_FILE: &str = "pingform.tfstate";

/// A loaded and validated configuration with what it needs to plan.
pub(crate) struct Session {
    pub(crate) config: Config,
    pub(crate) graph: Graph,
    pub(crate) variables: BTreeMap<String, Value>,
    pub(crate) providers: Providers,
    pub(crate) backend: Box<dyn Backend>,
    pub(crate) state: State,
    /// Kept alive for the command's duration when `--emulator` is given.
    _emulator: Option<pingone_emulator::RunningEmulator>,
}

/// Loads and validates the configuration in `dir`; no network.
pub(crate) fn load(dir: &Path, providers: &Providers) -> Result<(Config, Graph), CliError> {
    load_config(config::load_dir(dir), providers)
}

/// Validates a loaded configuration and builds its graph.
fn load_config(
    loaded: Result<Config, ConfigError>,
    providers: &Providers,
) -> Result<(Config, Graph), CliError> {
    let config = loaded.map_err(config_error)?;
    let diagnostics = config::validate(&config, &providers.schemas());
    check(&config, diagnostics)?;
    let graph = Graph::from_config(&config).map_err(|diagnostics| CliError::Diagnostics {
        sources: config.sources.clone(),
        diagnostics,
    })?;
    Ok((config, graph))
}

/// Errors stop the command; warnings are printed and the command goes on.
fn check(config: &Config, diagnostics: Diagnostics) -> Result<(), CliError> {
    if diagnostics.has_errors() {
        return Err(CliError::Diagnostics {
            sources: config.sources.clone(),
            diagnostics,
        });
    }
    let warnings = Diagnostics(
        diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .cloned()
            .collect(),
    );
    crate::report::warnings(&config.sources, &warnings);
    Ok(())
}

fn config_error(error: ConfigError) -> CliError {
    match error {
        ConfigError::Invalid {
            sources,
            diagnostics,
        } => CliError::Diagnostics {
            sources,
            diagnostics,
        },
        ConfigError::Empty(dir) => CliError::msg(format!(
            "no configuration files (*.tf, *.hcl) in `{}`",
            dir.display()
        ))
        .with_hint("run pingform in the directory that holds your configuration, or pass `-C DIR`"),
        other => CliError::from_error("could not load the configuration", &other),
    }
}

/// The providers pingform ships, with connection overrides when `--emulator` is used.
pub(crate) fn providers(overrides: pingone::Settings) -> Providers {
    let mut providers = Providers::default();
    providers.add(Arc::new(pingone::PingOneProvider::new(overrides)));
    providers
}

impl Session {
    /// Prepares everything a plan needs, connecting providers. The state lock is
    /// taken for `operation` and held until the session is dropped; creates a
    /// previous run left unfinished are settled, and persisted when `operation`
    /// writes state (`apply`, `destroy`).
    pub(crate) async fn open(
        dir: &Path,
        run: &RunArgs,
        operation: &str,
    ) -> Result<Session, CliError> {
        Self::open_from(dir, run, operation, None).await
    }

    /// Like [`Session::open`], with the configuration and variables of a saved plan
    /// instead of the files in `dir` when `saved` is given.
    pub(crate) async fn open_from(
        dir: &Path,
        run: &RunArgs,
        operation: &str,
        saved: Option<&PlanFile>,
    ) -> Result<Session, CliError> {
        let emulator = if run.emulator {
            Some(crate::embedded::start(dir).await?)
        } else {
            None
        };
        let overrides = emulator
            .as_ref()
            .map(crate::embedded::settings)
            .unwrap_or_default();
        let mut providers = providers(overrides);
        let (config, graph) = match saved {
            Some(plan) => load_config(plan.config(dir), &providers)?,
            None => load(dir, &providers)?,
        };
        let (config, variables) = variables(config, run, saved)?;
        let workspace = crate::backend::current_workspace(dir);
        let backend = crate::backend::open(dir, &config, &workspace)?.into_backend();
        let state = lock_and_load(backend.as_ref(), operation, run.lock_timeout)?;
        providers
            .configure(&config, &variables, &state)
            .await
            .map_err(|e| match e {
                ConfigureError::Invalid(diagnostics) => CliError::Diagnostics {
                    sources: config.sources.clone(),
                    diagnostics,
                },
                ConfigureError::Provider { name, source } => {
                    CliError::msg(format!("provider `{name}`: {source}"))
                        .with_hint(provider_hint(source.kind))
                }
            })?;
        let mut session = Session {
            config,
            graph,
            variables,
            providers,
            backend,
            state,
            _emulator: emulator,
        };
        session.settle_pending(operation != "plan").await?;
        Ok(session)
    }

    /// Ends a command: the lock and the embedded emulator are released now; the large
    /// configuration and state are left to the process exit, which frees them at once
    /// (freeing tens of thousands of objects piece by piece only delays the exit).
    pub(crate) fn close(self) {
        let Session {
            config,
            graph,
            variables,
            providers,
            backend,
            state,
            _emulator,
        } = self;
        drop(backend);
        drop(_emulator);
        std::mem::forget((config, graph, variables, providers, state));
    }

    /// Adopts what creates of a run that died made, or forgets their intents.
    async fn settle_pending(&mut self, persist: bool) -> Result<(), CliError> {
        if self.state.pending_creates.is_empty() {
            return Ok(());
        }
        let settlements = settle_pending(&self.state, &self.providers).await.map_err(|e| {
            CliError::from_error("could not settle the creates a previous run left unfinished", &e).with_hint(
                "pingform must know whether those objects exist before planning, or it could create duplicates; \
                 fix the cause above and run the command again",
            )
        })?;
        for settlement in settlements {
            note_settlement(&settlement.address, &settlement.settled);
            settlement.operation.apply_to(&mut self.state);
            if persist {
                self.state.serial += 1;
                self.backend
                    .record(&self.state, &settlement.operation)
                    .map_err(|e| state_error("could not record the adopted object", &e))?;
            }
        }
        if persist {
            // Compact now: the command may find nothing else to do and never store again.
            self.backend
                .store(&self.state)
                .map_err(|e| state_error("could not store state after adopting objects", &e))?;
        }
        Ok(())
    }
}

/// The configuration, variables and stored state, without contacting PingOne or
/// taking the lock: for commands that only read, such as `pingform output`.
pub(crate) fn offline(
    dir: &Path,
    run: &RunArgs,
) -> Result<(Config, BTreeMap<String, Value>, Providers, State), CliError> {
    let providers = providers(pingone::Settings::default());
    let (config, _graph) = load(dir, &providers)?;
    let (config, variables) = variables(config, run, None)?;
    let workspace = crate::backend::current_workspace(dir);
    let backend = crate::backend::open(dir, &config, &workspace)?.into_backend();
    let state = backend
        .recover()
        .map_err(|e| state_error("could not load state", &e))?
        .unwrap_or_default();
    Ok((config, variables, providers, state))
}

/// Locks the state, reports a previous holder that died, and loads the state
/// with any journal a crashed run left folded in.
fn lock_and_load(
    backend: &dyn Backend,
    operation: &str,
    timeout: std::time::Duration,
) -> Result<State, CliError> {
    let abandoned = backend
        .lock(operation, timeout)
        .map_err(|e| state_error("could not lock the state", &e))?;
    if let Some(previous) = abandoned {
        eprintln!(
            "note: the previous run holding the state lock ended without releasing it ({}); \
             the operating system released its lock, so this run took it over",
            previous.describe()
        );
    }
    Ok(backend
        .recover()
        .map_err(|e| state_error("could not load state", &e))?
        .unwrap_or_default())
}

/// A state error with its causes and the backend's advice.
pub(crate) fn state_error(message: &str, error: &state::Error) -> CliError {
    let cli = CliError::from_error(message, error);
    match error.hint() {
        Some(hint) => cli.with_hint(hint),
        None => cli,
    }
}

fn note_settlement(address: &str, settled: &Settled) {
    match settled {
        Settled::Adopted { id } => eprintln!(
            "note: {address} was being created when a previous run stopped; it exists{}, so it is adopted \
             into state instead of being created again",
            id.as_deref()
                .map(|id| format!(" (id {id})"))
                .unwrap_or_default()
        ),
        Settled::NotCreated => eprintln!(
            "note: {address} was being created when a previous run stopped; it does not exist, so it will be \
             created"
        ),
        Settled::Unverifiable => eprintln!(
            "warning: {address} was being created when a previous run stopped, and its provider cannot look it \
             up; if it was created, remove the duplicate by hand"
        ),
    }
}

pub(crate) fn provider_hint(kind: engine::provider::ProviderErrorKind) -> &'static str {
    use engine::provider::ProviderErrorKind::*;
    match kind {
        Configuration => {
            "set PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET, PINGONE_ENVIRONMENT_ID and PINGONE_REGION_CODE (or the same attributes in the `provider \"pingone\"` block), or pass `--emulator` to try pingform against a local emulator"
        }
        Connection => {
            "check PINGONE_API_URL / PINGONE_AUTH_URL (or PINGONE_REGION_CODE) and that the service is reachable"
        }
        Api => "PingOne refused the request; its code and message are above",
    }
}

/// Input variables from the environment, `.tfvars` files, `--var-file` and `--var` (in
/// Terraform's precedence), asking on a terminal for required ones that are still missing.
fn variables(
    mut config: Config,
    run: &RunArgs,
    saved: Option<&PlanFile>,
) -> Result<(Config, BTreeMap<String, Value>), CliError> {
    let sources = engine::variables::Sources {
        env: std::env::vars().collect(),
        var_files: run.var_files.clone(),
        vars: run.vars.clone(),
    };
    let invalid = |config: &Config, diagnostics| CliError::Diagnostics {
        sources: config.sources.clone(),
        diagnostics,
    };
    let mut given =
        engine::variables::collect(&mut config, &sources).map_err(|d| invalid(&config, d))?;
    if let Some(plan) = saved {
        // The saved plan's values win: apply exactly what was reviewed.
        given.extend(plan.given_values(&config));
    }
    crate::report::warnings(&config.sources, &config.warnings);
    if std::io::stdin().is_terminal() {
        for variable in engine::variables::missing(&config, &given) {
            let text = prompt(&variable.name, variable.description.as_deref())?;
            let origin = "the terminal".to_string();
            given.insert(
                variable.name.clone(),
                engine::variables::Given::Text { text, origin },
            );
        }
    }
    let variables = engine::variables::resolve(&config, &given).map_err(|d| invalid(&config, d))?;
    let variables = match saved {
        Some(plan) => plan
            .variables(&variables)
            .map_err(|e| CliError::from_error("the saved plan cannot be applied", &e))?,
        None => variables,
    };
    Ok((config, variables))
}

/// Asks for a variable's value the way Terraform does.
fn prompt(name: &str, description: Option<&str>) -> Result<String, CliError> {
    println!("var.{name}");
    if let Some(description) = description {
        println!("  {description}");
    }
    print!("\n  Enter a value: ");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::from_error("could not read the value", &e))?;
    println!();
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
