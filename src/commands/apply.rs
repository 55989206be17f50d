//! `pingform apply` and `pingform destroy`: plan, confirm, then carry the plan out.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use engine::apply::{ApplyRequest, Outcome};
use engine::plan::file::PlanFile;
use engine::plan::{Action, PlanMode};

use crate::Status;
use crate::cli::ApplyArgs;
use crate::observer::ProgressObserver;
use crate::report::{CliError, Ui};
use crate::session::Session;

pub(crate) async fn run(
    dir: &Path,
    ui: &Ui,
    args: ApplyArgs,
    destroy: bool,
) -> Result<Status, CliError> {
    let operation = if destroy { "destroy" } else { "apply" };
    let saved = read_saved(&args, destroy)?;
    let session = Session::open_from(dir, &args.run, operation, saved.as_ref()).await?;
    if let Some(saved) = &saved {
        saved
            .check_state(&session.state.lineage, session.state.serial)
            .map_err(|e| CliError::from_error("the saved plan cannot be applied", &e))?;
    }
    let mode = match &saved {
        Some(saved) => saved.mode(),
        None => super::mode(destroy, args.run.refresh_only)?,
    };
    let destroy = mode == PlanMode::Destroy;
    let selection = match &saved {
        Some(saved) => engine::plan::select::Selection {
            max_deletes: args.run.max_deletes,
            ..saved.selection()
        },
        None => super::selection(&args.run, &session.config)?,
    };
    let plan = super::make_plan(&session, mode, args.run.refresh, &selection).await?;
    if let Some(saved) = &saved {
        saved
            .check_plan(&plan)
            .map_err(|e| CliError::from_error("the saved plan cannot be applied", &e))?;
    }
    super::print_plan(&session, &plan, ui)?;
    if !plan.has_changes() && !plan.refresh_changed_state {
        return Ok(Status::Success);
    }
    // A saved plan was reviewed when it was made; applying it is the approval.
    if plan.has_changes() && !args.auto_approve && saved.is_none() {
        confirm(destroy)?;
    }
    session
        .backend
        .check_writable()
        .map_err(|e| crate::session::state_error("cannot apply: state could not be written", &e))?;
    let total = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp || c.importing.is_some())
        .count();
    let observer = ProgressObserver::new(ui.style, total);
    let ticker = observer.spawn_ticker();
    let interrupt = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let listener = listen_for_interrupt(interrupt.clone());
    let started = std::time::Instant::now();
    let report = engine::apply::apply(ApplyRequest {
        plan: &plan,
        config: &session.config,
        graph: &session.graph,
        variables: &session.variables,
        providers: &session.providers,
        backend: session.backend.as_ref(),
        observer: observer.as_ref(),
        parallelism: usize::from(args.parallelism),
        interrupt: Some(&interrupt),
    })
    .await;
    ticker.abort();
    observer.finish();
    listener.abort();
    let report = report.map_err(|e| crate::session::state_error(&e.to_string(), &e.source))?;
    // What `benches/persist_share.rs` reads (with PINGFORM_LOG=pingform::persist=info).
    tracing::info!(
        target: "pingform::persist",
        objects = report.outcomes.len(),
        apply_ms = started.elapsed().as_secs_f64() * 1e3,
        persisting_ms = report.persisting.as_secs_f64() * 1e3,
        "apply finished"
    );
    let imports: Vec<&engine::ResourceAddress> = plan
        .changes
        .iter()
        .filter(|c| c.importing.is_some())
        .map(|c| &c.address)
        .collect();
    let status = summarize(&report.outcomes, &imports, destroy)?;
    if !destroy {
        print_outputs(&session, &report.state, &report.data).await?;
    }
    std::mem::forget((plan, report));
    session.close();
    Ok(status)
}

/// Prints the `output` values after a successful apply; sensitive ones as `<sensitive>`.
async fn print_outputs(
    session: &Session,
    state: &state::State,
    data: &std::collections::BTreeMap<engine::ResourceAddress, engine::Value>,
) -> Result<(), CliError> {
    // Gathering every resource's values is not free: only when something reads them.
    if session.config.outputs.is_empty() && !session.config.has_checks() {
        return Ok(());
    }
    let resources =
        engine::outputs::resource_values(&session.config, state, data, &session.providers);
    super::report_checks(session, &resources).await;
    let outputs =
        engine::outputs::evaluate_outputs(&session.config, &session.variables, &resources)
            .map_err(|diagnostics| CliError::Diagnostics {
                sources: session.config.sources.clone(),
                diagnostics,
            })?;
    if outputs.is_empty() {
        return Ok(());
    }
    println!("\nOutputs:\n");
    for output in outputs {
        let shown = if output.sensitive {
            "<sensitive>".to_string()
        } else {
            output.value.to_string()
        };
        println!("{} = {shown}", output.name);
    }
    Ok(())
}

/// The first Ctrl-C lets the operations under way finish (their results are
/// persisted) and starts no new one; a second exits at once.
fn listen_for_interrupt(
    flag: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        flag.store(true, std::sync::atomic::Ordering::SeqCst);
        eprintln!(
            "\nInterrupt received: no new operations will start; waiting for those under way to finish and be recorded. \
             Press Ctrl-C again to exit at once."
        );
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!(
                "Second interrupt: exiting now; the state records every operation that finished."
            );
            std::process::exit(130);
        }
    })
}

/// The saved plan named on the command line, if any.
fn read_saved(args: &ApplyArgs, destroy: bool) -> Result<Option<PlanFile>, CliError> {
    let Some(path) = &args.plan_file else {
        return Ok(None);
    };
    if destroy {
        return Err(CliError::msg("`pingform destroy` does not take a plan file")
            .with_hint("save a destroy plan with `pingform plan --destroy --out FILE`, then `pingform apply FILE`"));
    }
    PlanFile::read(path)
        .map(Some)
        .map_err(|e| CliError::from_error("could not read the saved plan", &e))
}

/// Asks for "yes" on a terminal; without one, refuses (use --auto-approve).
fn confirm(destroy: bool) -> Result<(), CliError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CliError::msg(
            "refusing to apply without confirmation: standard input is not a terminal",
        )
        .with_hint("review the plan above, then re-run with `--auto-approve`"));
    }
    let question = if destroy {
        "Do you really want to destroy all the objects pingform manages here?"
    } else {
        "Do you want to perform these actions?"
    };
    print!("\n{question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::from_error("could not read the answer", &e))?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(CliError::msg("apply cancelled: the answer was not 'yes'"))
    }
}

/// `message` with every line after the first indented under the summary's entry.
fn indent_continuation(message: &str) -> String {
    message
        .trim_end()
        .lines()
        .collect::<Vec<_>>()
        .join("\n    ")
}

/// Prints the counts, and on failure what failed (with its error, the only place
/// the error is printed) and what was skipped because it depends on a failure.
fn summarize(
    outcomes: &[(engine::ResourceAddress, Action, Outcome)],
    imports: &[&engine::ResourceAddress],
    destroy: bool,
) -> Result<Status, CliError> {
    let (mut added, mut changed, mut destroyed, mut imported) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for (address, action, outcome) in outcomes {
        if matches!(outcome, Outcome::Succeeded { .. }) && imports.contains(&address) {
            imported += 1;
        }
        match outcome {
            Outcome::Succeeded { .. } => match action {
                Action::Create => added += 1,
                Action::Update => changed += 1,
                Action::Replace | Action::CreateThenDelete => {
                    added += 1;
                    destroyed += 1;
                }
                Action::Delete => destroyed += 1,
                Action::NoOp | Action::Read => {}
            },
            Outcome::Failed { message } => {
                failures.push(format!("  {address}: {}", indent_continuation(message)))
            }
            Outcome::Skipped { because } => {
                failures.push(format!("  {address}: skipped because {because} failed"))
            }
            Outcome::NotStarted => failures.push(format!("  {address}: not started (interrupted)")),
        }
    }
    let what = if destroy { "Destroy" } else { "Apply" };
    let imported = match imported {
        0 => String::new(),
        n => format!("{n} imported, "),
    };
    let counts = format!("{imported}{added} added, {changed} changed, {destroyed} destroyed");
    if failures.is_empty() {
        println!("\n{what} complete! Resources: {counts}.");
        return Ok(Status::Success);
    }
    println!("\n{what} incomplete. Resources: {counts}.");
    Err(CliError::msg(format!(
        "{} operation(s) did not complete:\n{}",
        failures.len(),
        failures.join("\n")
    ))
    .with_hint("state records everything that succeeded; fix the cause and run `pingform apply` again to finish"))
}
