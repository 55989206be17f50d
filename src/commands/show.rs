//! `pingform show FILE`: print a saved plan, as text or JSON.

use engine::plan::file::PlanFile;

use crate::Status;
use crate::cli::ShowArgs;
use crate::report::{CliError, Ui};

pub(crate) fn run(ui: &Ui, args: ShowArgs) -> Result<Status, CliError> {
    let saved = PlanFile::read(&args.file)
        .map_err(|e| CliError::from_error("could not read the saved plan", &e))?;
    let plan = saved.plan();
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        engine::render::json::render_plan(&plan, &mut out)
    } else {
        let providers = crate::session::providers(Default::default());
        let context = engine::render::Context {
            schemas: &providers,
            outputs: &[],
        };
        engine::render::human::render_plan(&plan, &context, &mut out, ui.style)
    };
    written.map_err(|e| CliError::from_error("could not write the plan", &e))?;
    Ok(Status::Success)
}
