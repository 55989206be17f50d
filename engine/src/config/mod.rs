//! The configuration: loading `*.tf` / `*.hcl` files into a typed model, and checking it.
//!
//! `load` reads and parses files with hcl-edit (keeping byte spans), `blocks` turns the
//! syntax into the model in `model`, and `validate` checks the model against provider
//! schemas. Expressions are kept unevaluated; evaluating them is the job of `eval`.

mod blocks;
mod check;
mod dynamic;
mod import;
mod legacy;
mod lifecycle;
mod literal;
mod load;
mod model;
mod module;
mod module_providers;
mod nested;
mod provider_meta;
mod provider_refs;
mod relocate;
mod triggers;
mod validate;
mod validate_nested;

#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
pub(crate) mod test_schema;
#[cfg(test)]
pub(crate) mod test_support;

use std::path::PathBuf;

pub(crate) use blocks::is_valid_name;
pub(crate) use load::parse_error as syntax_error;
pub use load::{load_dir, load_files, load_str};
pub use model::{
    Attr, BackendBlock, Body, CheckBlock, Config, Expr, ImportBlock, Lifecycle, ModuleCall,
    MovedBlock, OutputBlock, ProviderBlock, RemovedBlock, Repetition, ResourceBlock, Trigger,
    Validation, VariableBlock,
};
pub use nested::{BlockSource, DynamicBlock, NestedBlock, Nesting};
pub use validate::validate;
pub(crate) use validate_nested::check_values;

use crate::diagnostics::{Diagnostics, SourceMap};

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The directory could not be listed.
    #[error("Failed to read configuration directory `{path}`")]
    ReadDir {
        /// The directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be read.
    #[error("Failed to read `{path}`")]
    ReadFile {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The directory holds no configuration files.
    #[error("no configuration files (*.tf, *.hcl) in `{0}`")]
    Empty(PathBuf),
    /// The files could be read but are not a valid configuration.
    #[error("the configuration is invalid")]
    Invalid {
        /// The files' texts, for rendering the diagnostics.
        sources: SourceMap,
        /// Every problem found (at least one error).
        diagnostics: Diagnostics,
    },
}
