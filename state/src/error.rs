//! Errors of loading and storing state.

use std::path::PathBuf;

/// A failure to load or store state.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The state file exists but could not be read.
    #[error("Failed to read state file at `{path}`")]
    Read {
        /// The state file.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// The state file is not valid state JSON.
    #[error("State file at `{path}` is not valid pingform state: {source}")]
    Parse {
        /// The state file.
        path: PathBuf,
        /// What the JSON parser found.
        #[source]
        source: serde_json::Error,
    },
    /// The state was written by a newer pingform.
    #[error(
        "State file at `{path}` has format version {found}, but this pingform reads only up to {supported}; upgrade pingform"
    )]
    UnsupportedVersion {
        /// The state file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The state could not be written.
    #[error("Failed to write state file at `{path}`")]
    Write {
        /// The state file.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
}
