//! `pingform plan`: refresh, compare with the configuration, show the difference.

use std::path::Path;

use engine::plan::PlanMode;

use crate::Status;
use crate::cli::PlanArgs;
use crate::report::{CliError, Ui};
use crate::session::Session;

pub(crate) async fn run(dir: &Path, ui: &Ui, args: PlanArgs) -> Result<Status, CliError> {
    let session = Session::open(dir, &args.run, "plan").await?;
    let mode = if args.destroy {
        PlanMode::Destroy
    } else {
        PlanMode::Normal
    };
    let plan = super::make_plan(&session, mode, args.run.refresh).await?;
    super::print_plan(&plan, ui)?;
    Ok(if args.detailed_exitcode && plan.has_changes() {
        Status::Changes
    } else {
        Status::Success
    })
}
