//! What can stop a benchmark run, each with what to do about it.

use std::path::PathBuf;

/// A benchmark run failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BenchError {
    /// The command line was not understood.
    #[error(
        "{0}\nusage: pingform-bench [--quick] [--users N,...] [--only refresh,apply,engine] [--out DIR] [--pingform PATH]"
    )]
    Usage(String),
    /// A file or directory could not be read or written.
    #[error("{what} `{}`: {source}", path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A program could not be started.
    #[error("could not run `{program}`: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Building the `pingform` binary failed.
    #[error(
        "`cargo build --release -p pingform` failed (exit {0:?}); fix the build, or pass --pingform PATH"
    )]
    Build(Option<i32>),
    /// The in-process emulator failed.
    #[error("the emulator: {0}")]
    Emulator(String),
    /// Seeding the emulator over HTTP failed.
    #[error("seeding the emulator: {0}")]
    Seed(String),
    /// A measured `pingform` run failed where it must succeed.
    #[error("`pingform {args}` failed (exit {code:?}):\n{stderr}")]
    Run {
        /// Its arguments.
        args: String,
        /// Its exit code.
        code: Option<i32>,
        /// The end of its standard error.
        stderr: String,
    },
}

impl BenchError {
    /// An I/O error on `path` while doing `what`.
    pub(crate) fn io(
        what: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| BenchError::Io { what, path, source }
    }
}
