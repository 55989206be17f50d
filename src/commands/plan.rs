//! `pingform plan`: refresh, compare with the configuration, show the difference,
//! optionally save it for `pingform apply FILE`.

use std::path::Path;

use engine::plan::Plan;
use engine::plan::file::PlanFile;

use crate::Status;
use crate::cli::PlanArgs;
use crate::report::{CliError, Ui};
use crate::session::Session;

pub(crate) async fn run(dir: &Path, ui: &Ui, args: PlanArgs) -> Result<Status, CliError> {
    let session = Session::open(dir, &args.run, "plan").await?;
    let mode = super::mode(args.destroy, args.run.refresh_only)?;
    let selection = super::selection(&args.run);
    let plan = super::make_plan(&session, mode, args.run.refresh, &selection).await?;
    print(&session, &plan, ui, &args)?;
    if let Some(out) = &args.out {
        let saved = PlanFile::new(
            &plan,
            &session.config,
            &session.variables,
            &session.state.lineage,
            session.state.serial,
            &selection,
        );
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
    Ok(if args.detailed_exitcode && plan.has_changes() {
        Status::Changes
    } else {
        Status::Success
    })
}

fn print(session: &Session, plan: &Plan, ui: &Ui, args: &PlanArgs) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        engine::render::json::render_plan(plan, &mut out)
    } else if args.markdown {
        let risks = engine::plan::risk::assess(plan, &session.providers);
        engine::render::markdown::render_plan(plan, &risks, &mut out)
    } else {
        drop(out);
        return super::print_plan(plan, ui);
    };
    written.map_err(|e| CliError::from_error("could not write the plan", &e))
}
