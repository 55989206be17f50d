//! `pingform validate`: load and check the configuration without contacting PingOne.

use std::path::Path;

use crate::Status;
use crate::report::{CliError, Ui};
use crate::session;

pub(crate) async fn run(dir: &Path, ui: &Ui) -> Result<Status, CliError> {
    let providers = session::providers(pingone::Settings::default());
    let (config, _graph) = session::load(dir, &providers)?;
    let resources = config.resources.len();
    println!(
        "{} The configuration is valid ({resources} resource{}).",
        ui.style.paint_bold("Success!"),
        if resources == 1 { "" } else { "s" }
    );
    Ok(Status::Success)
}
