//! `pingform graph`: the resource dependency graph in Graphviz DOT, without contacting PingOne.

use std::io::Write;
use std::path::Path;

use crate::Status;
use crate::report::CliError;
use crate::session;

pub(crate) fn run(dir: &Path) -> Result<Status, CliError> {
    let providers = session::providers(pingone::Settings::default());
    let (_config, graph) = session::load(dir, &providers)?;
    std::io::stdout()
        .write_all(graph.to_dot().as_bytes())
        .map_err(|e| CliError::from_error("could not write the graph", &e))?;
    Ok(Status::Success)
}
