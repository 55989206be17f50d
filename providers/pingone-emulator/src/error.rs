//! The emulator's public error type: what can go wrong when opening, persisting or serving.

use std::path::PathBuf;

/// Errors from opening the emulator's data file, generating its keys, or serving HTTP.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading, writing or syncing the data file (or its directory) failed.
    #[error("I/O error on emulator data file {}: {source}", path.display())]
    Io {
        /// The file or directory the operation was on.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The data file exists but is not a valid emulator data file.
    #[error("emulator data file {} is corrupt: {source}", path.display())]
    Corrupt {
        /// The data file.
        path: PathBuf,
        /// What the JSON parser objected to.
        #[source]
        source: serde_json::Error,
    },
    /// The data file was written by an emulator with a data format this one does not read.
    #[error(
        "emulator data file {} has format version {found}; this emulator reads version {expected}",
        path.display()
    )]
    UnsupportedFormat {
        /// The data file.
        path: PathBuf,
        /// The version found in the file.
        found: u32,
        /// The version this emulator reads and writes.
        expected: u32,
    },
    /// The token-signing key in the data file could not be used.
    #[error("emulator signing key is invalid: {reason}")]
    InvalidKey {
        /// Why the key was rejected.
        reason: String,
    },
    /// Generating the token-signing key failed.
    #[error("could not generate the emulator's RSA signing key")]
    KeyGeneration,
    /// The tenant could not be serialized (should not happen).
    #[error("could not serialize the emulator's tenant data: {0}")]
    Serialize(#[source] serde_json::Error),
    /// Binding the listening socket failed.
    #[error("could not bind the emulator to {addr}: {source}")]
    Bind {
        /// The address that was asked for.
        addr: String,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The HTTP server stopped with an I/O error.
    #[error("emulator HTTP server failed: {0}")]
    Serve(#[source] std::io::Error),
}
