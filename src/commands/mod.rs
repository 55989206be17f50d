//! One module per command; each resolves settings, calls the engine, renders, and returns a status.

pub(crate) mod apply;
pub(crate) mod emulator;
pub(crate) mod fmt;
pub(crate) mod graph;
pub(crate) mod import;
pub(crate) mod output;
pub(crate) mod plan;
pub(crate) mod providers;
pub(crate) mod show;
pub(crate) mod state;
pub(crate) mod unlock;
pub(crate) mod validate;
pub(crate) mod workspace;

use engine::plan::outputs::OutputChange;
use engine::plan::select::Selection;
use engine::plan::{Plan, PlanError, PlanMode, PlanRequest};
use engine::render::Context;

use crate::cli::RunArgs;

use crate::report::CliError;
use crate::session::{Session, provider_hint};

/// The plan mode the flags ask for.
pub(crate) fn mode(destroy: bool, refresh_only: bool) -> Result<PlanMode, CliError> {
    match (destroy, refresh_only) {
        (true, true) => Err(
            CliError::msg("--destroy and --refresh-only cannot be used together")
                .with_hint("a refresh-only plan changes no object; drop one of the two"),
        ),
        (true, false) => Ok(PlanMode::Destroy),
        (false, true) => Ok(PlanMode::RefreshOnly),
        (false, false) => Ok(PlanMode::Normal),
    }
}

/// The `--target`, `--exclude`, `--replace` and `--max-deletes` flags, a module
/// standing for every resource in it.
pub(crate) fn selection(
    run: &RunArgs,
    config: &engine::config::Config,
) -> Result<Selection, CliError> {
    let resolve = |flag: &str, given: &[engine::address::Selector]| {
        let mut found = Vec::new();
        for selector in given {
            let addresses = selector.resolve(config).ok_or_else(|| {
                CliError::msg(format!(
                    "`{flag} {selector}`: there is no such module in the configuration"
                ))
                .with_hint("`pingform graph` shows every resource and the module it is in")
            })?;
            found.extend(addresses);
        }
        Ok::<_, CliError>(found)
    };
    Ok(Selection {
        targets: resolve("--target", &run.targets)?,
        excludes: resolve("--exclude", &run.excludes)?,
        replace: resolve("--replace", &run.replace)?,
        max_deletes: run.max_deletes,
    })
}

/// Refreshes and plans, turning engine errors into user-facing ones.
pub(crate) async fn make_plan(
    session: &Session,
    mode: PlanMode,
    refresh: bool,
    selection: &Selection,
) -> Result<Plan, CliError> {
    if !selection.is_everything() {
        eprintln!(
            "warning: the plan is narrowed by --target/--exclude, so it may not show every change the \
             configuration needs; use this for exceptional cases, not routinely"
        );
    }
    engine::plan::plan(PlanRequest {
        config: &session.config,
        graph: &session.graph,
        prior: &session.state,
        providers: &session.providers,
        variables: &session.variables,
        mode,
        refresh,
        selection,
    })
    .await
    .map_err(|e| match e {
        PlanError::Invalid(diagnostics) => CliError::Diagnostics {
            sources: session.config.sources.clone(),
            diagnostics,
        },
        PlanError::Refresh(engine::plan::refresh::RefreshError::Provider { type_name, source }) => {
            CliError::msg(format!("refreshing {type_name}: {source}"))
                .with_hint(provider_hint(source.kind))
        }
        PlanError::Unavailable(unavailable)
        | PlanError::Refresh(engine::plan::refresh::RefreshError::Unavailable(unavailable)) => {
            CliError::msg(format!("cannot plan: {unavailable}"))
        }
        PlanError::Refresh(other) => {
            CliError::from_error("could not refresh the managed objects", &other)
        }
        PlanError::Selection(error) => CliError::msg(error.to_string()),
    })
}

/// The changes the plan makes to the configuration's output values.
pub(crate) fn output_changes(
    session: &Session,
    plan: &Plan,
) -> Result<Vec<OutputChange>, CliError> {
    engine::plan::outputs::changes(
        &session.config,
        &session.variables,
        plan,
        &session.providers,
    )
    .map_err(|diagnostics| CliError::Diagnostics {
        sources: session.config.sources.clone(),
        diagnostics,
    })
}

/// Writes the plan to stdout, with its risks and the changes to outputs.
pub(crate) fn print_plan(
    session: &Session,
    plan: &Plan,
    ui: &crate::report::Ui,
) -> Result<(), CliError> {
    let outputs = output_changes(session, plan)?;
    let risks = engine::plan::risk::assess(plan, &session.providers);
    let context = Context {
        schemas: &session.providers,
        outputs: &outputs,
        config: Some(&session.config),
        risks: &risks,
        ..Context::default()
    };
    let mut out = std::io::stdout().lock();
    engine::render::human::render_plan(plan, &context, &mut out, ui.style)
        .map_err(|e| CliError::from_error("could not write the plan", &e))
}

/// `check` blocks' failed assertions and failed reads of their data sources, as
/// warnings on stderr (they never stop a run).
pub(crate) async fn report_checks(
    session: &Session,
    resources: &std::collections::BTreeMap<engine::ResourceAddress, engine::Value>,
) {
    let config = &session.config;
    let warnings =
        engine::checks::run(config, &session.providers, &session.variables, resources).await;
    crate::report::warnings(&session.config.sources, &warnings);
}
