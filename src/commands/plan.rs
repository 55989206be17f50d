//! `pingform plan`: refresh, compare with the configuration, show the difference,
//! optionally save it for `pingform apply FILE`.

use std::path::Path;

use engine::plan::Plan;
use engine::plan::file::PlanFile;
use engine::plan::risk::Risk;
use engine::provider::UnmanagedObject;
use engine::render::Context;

use crate::Status;
use crate::cli::PlanArgs;
use crate::report::{CliError, Ui};
use crate::session::Session;

pub(crate) async fn run(dir: &Path, ui: &Ui, args: PlanArgs) -> Result<Status, CliError> {
    let session = Session::open(dir, &args.run, "plan").await?;
    let mode = super::mode(args.destroy, args.run.refresh_only)?;
    let selection = super::selection(&args.run, &session.config)?;
    let plan = super::make_plan(&session, mode, args.run.refresh, &selection).await?;
    let unmanaged = if args.report_unmanaged {
        Some(unmanaged(&session, &plan).await?)
    } else {
        None
    };
    let risks = engine::plan::risk::assess(&plan, &session.providers);
    print(&session, &plan, &risks, ui, &args, unmanaged.as_deref())?;
    if !args.json && session.config.has_checks() {
        let planned =
            engine::plan::outputs::planned_resources(&session.config, &plan, &session.providers);
        super::report_checks(&session, &planned).await;
    }
    if let Some(out) = &args.out {
        let saved = PlanFile::new(
            &plan,
            &session.config,
            &session.variables,
            &session.state.lineage,
            session.state.serial,
            &selection,
        )
        .with_risks(&risks);
        saved
            .write(out)
            .map_err(|e| CliError::from_error("could not save the plan", &e))?;
        if !args.json && !args.markdown {
            println!(
                "\nSaved the plan to {0}. To apply exactly this plan: pingform apply {0}",
                out.display()
            );
        }
    }
    let found_unmanaged = unmanaged.is_some_and(|u| !u.is_empty());
    let status = if args.detailed_exitcode && (plan.has_changes() || found_unmanaged) {
        Status::Changes
    } else {
        Status::Success
    };
    // The process ends next: freeing a large plan piece by piece (tens of thousands of
    // objects) would only delay the exit. It holds no lock or file.
    std::mem::forget(plan);
    session.close();
    Ok(status)
}

/// The objects beside the managed ones that nothing manages.
async fn unmanaged(session: &Session, plan: &Plan) -> Result<Vec<UnmanagedObject>, CliError> {
    engine::plan::unmanaged::report(&plan.prior, &session.providers)
        .await
        .map_err(|e| {
            CliError::msg(format!("listing unmanaged objects: {e}"))
                .with_hint(crate::session::provider_hint(e.kind))
        })
}

fn print(
    session: &Session,
    plan: &Plan,
    risks: &[Risk],
    ui: &Ui,
    args: &PlanArgs,
    unmanaged: Option<&[UnmanagedObject]>,
) -> Result<(), CliError> {
    let failed = |e: std::io::Error| CliError::from_error("could not write the plan", &e);
    let outputs = super::output_changes(session, plan)?;
    let context = Context {
        schemas: &session.providers,
        outputs: &outputs,
        variables: &session.variables,
        config: Some(&session.config),
        risks,
    };
    if args.json {
        let mut doc = engine::render::json::plan_json(plan, &context);
        if let Some(found) = unmanaged {
            doc["pingform_unmanaged"] = found.iter().map(unmanaged_json).collect();
        }
        let text = serde_json::to_string_pretty(&doc).map_err(|e| failed(e.into()))?;
        println!("{text}");
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    if args.markdown {
        engine::render::markdown::render_plan(plan, &context, &mut out).map_err(failed)?;
    } else {
        engine::render::human::render_plan(plan, &context, &mut out, ui.style).map_err(failed)?;
    }
    drop(out);
    if let Some(found) = unmanaged {
        print_unmanaged(found);
    }
    Ok(())
}

fn unmanaged_json(object: &UnmanagedObject) -> serde_json::Value {
    serde_json::json!({
        "type": object.type_name,
        "id": object.id,
        "label": object.label,
        "location": object.location,
    })
}

fn print_unmanaged(found: &[UnmanagedObject]) {
    if found.is_empty() {
        println!(
            "\nNo unmanaged objects: everything in the managed environments is in the configuration."
        );
        return;
    }
    println!(
        "\n{} object(s) in the managed environments that no configuration manages:",
        found.len()
    );
    for object in found {
        println!(
            "  {} \"{}\" (id {}) in {}",
            object.type_name, object.label, object.id, object.location
        );
    }
}
