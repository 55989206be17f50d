//! Helpers shared by the configuration tests: loading that must succeed or fail, and
//! diagnostics as (summary, spanned text) pairs.

use crate::config::{Config, ConfigError, load_str};
use crate::diagnostics::tests::render_all;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};

/// Loads `text` as `main.tf`, panicking with the rendered diagnostics if it fails.
pub(crate) fn load(text: &str) -> Config {
    match load_str("main.tf", text) {
        Ok(config) => config,
        Err(failure) => panic!("{}", rendered_failure(failure)),
    }
}

/// The diagnostics of loading `text` as `main.tf`, which must fail.
pub(crate) fn load_failure(text: &str) -> (Diagnostics, SourceMap) {
    match load_str("main.tf", text) {
        Err(ConfigError::Invalid {
            sources,
            diagnostics,
        }) => (diagnostics, sources),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("expected errors"),
    }
}

/// The (summary, spanned text) of each diagnostic, the span read from `text`.
pub(crate) fn spanned<'d>(
    diagnostics: impl Iterator<Item = &'d Diagnostic>,
    text: &str,
) -> Vec<(String, String)> {
    diagnostics
        .map(|d| {
            let spanned = d.span.as_ref().map_or("", |s| &text[s.range.clone()]);
            (d.summary.clone(), spanned.to_string())
        })
        .collect()
}

/// Expected (summary, spanned text) pairs.
pub(crate) fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn rendered_failure(failure: ConfigError) -> String {
    match failure {
        ConfigError::Invalid {
            sources,
            diagnostics,
        } => render_all(&diagnostics, &sources),
        other => other.to_string(),
    }
}
