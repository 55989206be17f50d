//! Terminal output shared by commands: colour choice and how errors are shown
//! (`error: ...`, then `Caused by:` lines, then `hint:`).

use std::io::IsTerminal;

use engine::diagnostics::{Diagnostics, SourceMap};
use engine::render::Style;

/// Output settings for one run.
pub(crate) struct Ui {
    pub(crate) style: Style,
}

impl Ui {
    pub(crate) fn new(no_color: bool) -> Self {
        let color =
            !no_color && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
        Self {
            style: Style { color },
        }
    }
}

/// A failure of a command, shown to the user and turned into exit code 1.
#[derive(Debug)]
pub(crate) enum CliError {
    /// Configuration problems with source locations.
    Diagnostics {
        sources: SourceMap,
        diagnostics: Diagnostics,
    },
    /// Anything else: a message, its causes, and an optional hint.
    Message {
        message: String,
        causes: Vec<String>,
        hint: Option<String>,
    },
}

impl CliError {
    pub(crate) fn msg(message: impl Into<String>) -> Self {
        CliError::Message {
            message: message.into(),
            causes: Vec::new(),
            hint: None,
        }
    }

    /// An error with the chain of `source()` causes of `error`.
    pub(crate) fn from_error(message: impl Into<String>, error: &dyn std::error::Error) -> Self {
        let mut causes = vec![error.to_string()];
        let mut source = error.source();
        while let Some(cause) = source {
            causes.push(cause.to_string());
            source = cause.source();
        }
        CliError::Message {
            message: message.into(),
            causes,
            hint: None,
        }
    }

    pub(crate) fn with_hint(mut self, text: impl Into<String>) -> Self {
        if let CliError::Message { hint, .. } = &mut self {
            *hint = Some(text.into());
        }
        self
    }
}

/// Prints an error to stderr.
pub(crate) fn error(error: &CliError) {
    match error {
        CliError::Diagnostics {
            sources,
            diagnostics,
        } => {
            for diagnostic in diagnostics.iter() {
                eprintln!("{:?}", diagnostic.to_report(sources));
            }
        }
        CliError::Message {
            message,
            causes,
            hint,
        } => {
            eprintln!("error: {message}");
            for cause in causes.iter().filter(|c| *c != message) {
                eprintln!("  Caused by: {cause}");
            }
            if let Some(hint) = hint {
                eprintln!("\nhint: {hint}");
            }
        }
    }
}

/// Prints warnings (diagnostics that do not stop the run) to stderr.
pub(crate) fn warnings(sources: &SourceMap, diagnostics: &Diagnostics) {
    for diagnostic in diagnostics.iter() {
        eprintln!("{:?}", diagnostic.to_report(sources));
    }
}
