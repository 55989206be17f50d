//! `pingform validate`: load and check the configuration without contacting PingOne;
//! `--json` prints the result in the shape of `terraform validate -json`.

use std::path::Path;

use engine::config::{self, ConfigError};
use engine::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use engine::graph::Graph;

use crate::Status;
use crate::cli::ValidateArgs;
use crate::report::{CliError, Ui};
use crate::session;

pub(crate) async fn run(dir: &Path, ui: &Ui, args: ValidateArgs) -> Result<Status, CliError> {
    if args.json {
        return json(dir);
    }
    let providers = session::providers(pingone::Settings::default());
    let (config, _graph) = session::load(dir, &providers)?;
    // The loader's own warnings (such as v0 provider syntax it accepted).
    crate::report::warnings(&config.sources, &config.warnings);
    let resources = config.all_resources().len();
    println!(
        "{} The configuration is valid ({resources} resource{}).",
        ui.style.paint_bold("Success!"),
        if resources == 1 { "" } else { "s" }
    );
    Ok(Status::Success)
}

/// Every problem, warnings included, as one JSON document on stdout; exit 1 if invalid.
fn json(dir: &Path) -> Result<Status, CliError> {
    let (sources, diagnostics) = check(dir);
    let document = engine::render::validate_json::render(&diagnostics, &sources);
    let text = serde_json::to_string_pretty(&document)
        .map_err(|e| CliError::from_error("could not write the result", &e))?;
    println!("{text}");
    Ok(if diagnostics.has_errors() {
        Status::Failed
    } else {
        Status::Success
    })
}

/// Loads, validates and builds the graph, collecting every diagnostic.
fn check(dir: &Path) -> (SourceMap, Diagnostics) {
    let providers = session::providers(pingone::Settings::default());
    match config::load_dir(dir) {
        Ok(config) => {
            let mut diagnostics = config.warnings.clone();
            diagnostics.extend(config::validate(&config, &providers.schemas()));
            if !diagnostics.has_errors()
                && let Err(cycles) = Graph::from_config(&config)
            {
                diagnostics.extend(cycles);
            }
            (config.sources, diagnostics)
        }
        Err(ConfigError::Invalid {
            sources,
            diagnostics,
        }) => (sources, diagnostics),
        Err(other) => {
            let message = match &other {
                ConfigError::Empty(dir) => {
                    format!(
                        "No configuration files (*.tf, *.hcl) in `{}`",
                        dir.display()
                    )
                }
                other => other.to_string(),
            };
            let diagnostic = Diagnostic::error(message);
            (SourceMap::default(), Diagnostics::from(diagnostic))
        }
    }
}
