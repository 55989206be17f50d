//! Diagnostics: errors and warnings a user can cause, each pointing into a source file.
//!
//! The loader (`config`), the validator and the evaluator (`eval`) report problems as
//! [`Diagnostic`] values that own a [`Span`] (file id plus byte range) instead of
//! borrowing the source. [`SourceMap`] keeps the file texts so that
//! [`Diagnostic::to_report`] can turn a diagnostic into a miette report showing
//! `file.tf:LINE:COL` with the span underlined. The engine never prints: rendering the
//! report is the caller's job.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Identifies one file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId(pub usize);

/// A byte range in one source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// Zero-based byte offsets, end exclusive.
    pub range: Range<usize>,
}

impl Span {
    /// A span of `range` in `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Self { file, range }
    }

    /// The smallest span covering both `self` and `other` (which must be in the same file).
    pub fn to(&self, other: &Span) -> Span {
        Span::new(
            self.file,
            self.range.start.min(other.range.start)..self.range.end.max(other.range.end),
        )
    }
}

/// One loaded source file.
#[derive(Clone, Debug)]
struct SourceFile {
    path: PathBuf,
    name: String,
    text: String,
}

/// The texts of every loaded configuration file, so diagnostics can quote them.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a file; `display_name` is the path as the user knows it (e.g. `main.tf`).
    pub fn add(&mut self, path: PathBuf, display_name: String, text: String) -> FileId {
        self.files.push(SourceFile {
            path,
            name: display_name,
            text,
        });
        FileId(self.files.len() - 1)
    }

    /// The display name of a file.
    pub fn name(&self, f: FileId) -> &str {
        self.files.get(f.0).map_or("<unknown>", |file| &file.name)
    }

    /// The path a file was read from.
    pub fn path(&self, f: FileId) -> &Path {
        self.files
            .get(f.0)
            .map_or(Path::new("<unknown>"), |file| &file.path)
    }

    /// The full text of a file.
    pub fn text(&self, f: FileId) -> &str {
        self.files.get(f.0).map_or("", |file| &file.text)
    }

    /// The ids of every file, in the order they were added.
    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len()).map(FileId)
    }

    /// The 1-based line and column (in characters) where `span` starts.
    pub fn line_col(&self, span: &Span) -> (usize, usize) {
        let text = self.text(span.file);
        let start = clamp_to_char_boundary(text, span.range.start);
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }

    /// `name:LINE:COL` for the start of `span`, as used in messages that mention another location.
    pub fn location(&self, span: &Span) -> String {
        let (line, col) = self.line_col(span);
        format!("{}:{line}:{col}", self.name(span.file))
    }
}

/// The largest char boundary at or before `offset` (and within `text`).
fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The operation cannot go on.
    Error,
    /// Worth telling the user; the operation goes on.
    Warning,
}

/// One problem found in the configuration, with where it is and how to fix it.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// One line saying what is wrong, such as "Unsupported attribute".
    pub summary: String,
    /// A longer explanation, shown after the source excerpt.
    pub detail: Option<String>,
    /// Where the problem is.
    pub span: Option<Span>,
    /// A short text shown under the underlined span.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with a summary and nothing else yet.
    pub fn error(summary: impl Into<String>) -> Self {
        Self::new(Severity::Error, summary)
    }

    /// A warning with a summary and nothing else yet.
    pub fn warning(summary: impl Into<String>) -> Self {
        Self::new(Severity::Warning, summary)
    }

    fn new(severity: Severity, summary: impl Into<String>) -> Self {
        Self {
            severity,
            summary: summary.into(),
            detail: None,
            span: None,
            label: None,
            help: None,
        }
    }

    /// Points the diagnostic at `span`, labelled with `label`.
    pub fn with_span(mut self, span: Span, label: impl Into<String>) -> Self {
        self.span = Some(span);
        self.label = Some(label.into());
        self
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a longer explanation.
    pub fn with_detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A miette report that shows the summary with the detail as its cause, then
    /// `file.tf:LINE:COL` with the span underlined and labelled, then the help.
    pub fn to_report(&self, sources: &SourceMap) -> miette::Report {
        miette::Report::new(Rendered::new(self, sources))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

/// A diagnostic with its source attached, in the shape miette renders.
#[derive(Debug)]
struct Rendered {
    message: String,
    severity: miette::Severity,
    source: Option<miette::NamedSource<String>>,
    label: Option<miette::LabeledSpan>,
    /// Shown as the cause (`╰─▶ detail`), the way uv and the style guide put "Caused by".
    detail: Option<Detail>,
    help: Option<String>,
}

/// The detail paragraph of a diagnostic, as an error so miette prints it as the cause.
#[derive(Debug)]
struct Detail(String);

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Detail {}

impl Rendered {
    fn new(diag: &Diagnostic, sources: &SourceMap) -> Self {
        let source = diag.span.as_ref().map(|span| {
            miette::NamedSource::new(sources.name(span.file), sources.text(span.file).to_string())
        });
        let label = diag.span.as_ref().map(|span| {
            let text = sources.text(span.file);
            let start = clamp_to_char_boundary(text, span.range.start);
            let end = clamp_to_char_boundary(text, span.range.end.max(start));
            miette::LabeledSpan::new_primary_with_span(diag.label.clone(), start..end)
        });
        Self {
            message: diag.summary.clone(),
            severity: match diag.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            source,
            label,
            detail: diag.detail.clone().map(Detail),
            help: diag.help.clone(),
        }
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.detail
            .as_ref()
            .map(|d| d as &(dyn std::error::Error + 'static))
    }
}

impl miette::Diagnostic for Rendered {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.label
            .clone()
            .map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = _>>)
    }
}

/// A list of diagnostics, collected so the user sees every problem at once.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// The entries without repeats: the same problem found again (say, in a `local` value
    /// that several resources use) is reported once.
    pub fn deduplicated(self) -> Diagnostics {
        let mut seen = Vec::new();
        self.0
            .into_iter()
            .filter(|d| {
                let key = (d.summary.clone(), d.span.clone(), d.detail.clone());
                let new = !seen.contains(&key);
                if new {
                    seen.push(key);
                }
                new
            })
            .collect()
    }

    /// True if any entry is an error (warnings alone do not stop anything).
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// True when there are no entries at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The entries in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// One miette report per entry, in order.
    pub fn to_reports(&self, sources: &SourceMap) -> Vec<miette::Report> {
        self.0.iter().map(|d| d.to_report(sources)).collect()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Self(vec![d])
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.0.extend(iter);
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// The candidate closest to `name`, if it is close enough to be a likely typo.
///
/// Used for "did you mean" hints on attribute, variable, resource type and function names.
/// "Close enough" is at most one edit (insertion, deletion, substitution or transposition)
/// per three characters, so `nmae` finds `name` but `zzz` finds nothing.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::osa_distance(name, c), c))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Renders a diagnostic without colours, the way snapshots store it.
    pub(crate) fn render(diag: &Diagnostic, sources: &SourceMap) -> String {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100);
        let mut out = String::new();
        let report = diag.to_report(sources);
        match handler.render_report(&mut out, report.as_ref()) {
            Ok(()) => out,
            Err(e) => format!("render failed: {e}"),
        }
    }

    /// Renders every diagnostic, separated by blank lines.
    pub(crate) fn render_all(diags: &Diagnostics, sources: &SourceMap) -> String {
        diags
            .iter()
            .map(|d| render(d, sources))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn one_file(text: &str) -> (SourceMap, FileId) {
        let mut sources = SourceMap::default();
        let id = sources.add("/x/main.tf".into(), "main.tf".into(), text.into());
        (sources, id)
    }

    #[test]
    fn line_col_is_one_based_and_counts_chars() {
        let (sources, f) = one_file("a = 1\nbé = \"x\"\n");
        assert_eq!(sources.line_col(&Span::new(f, 0..1)), (1, 1));
        assert_eq!(sources.line_col(&Span::new(f, 6..7)), (2, 1));
        // `=` on line 2 follows a two-byte `é`.
        assert_eq!(sources.line_col(&Span::new(f, 10..11)), (2, 4));
        assert_eq!(sources.location(&Span::new(f, 10..11)), "main.tf:2:4");
    }

    #[test]
    fn report_shows_location_label_detail_and_help() {
        let (sources, f) = one_file("resource \"a\" \"b\" {\n  name = var.envv\n}\n");
        let diag = Diagnostic::error("Reference to undeclared input variable")
            .with_span(Span::new(f, 28..36), "not declared")
            .with_detail("An input variable with the name `envv` has not been declared.")
            .with_help("Did you mean `env`?");
        insta::assert_snapshot!(render(&diag, &sources));
    }

    #[test]
    fn report_without_span_is_just_the_message() {
        let sources = SourceMap::default();
        let diag = Diagnostic::warning("Something odd").with_help("Look again");
        insta::assert_snapshot!(render(&diag, &sources));
    }

    #[test]
    fn deduplicates_repeated_problems() {
        let (_, f) = one_file("a = 1\n");
        let d = || Diagnostic::error("e").with_span(Span::new(f, 0..1), "x");
        let diags = Diagnostics(vec![d(), Diagnostic::error("other"), d()]).deduplicated();
        assert_eq!(diags.len(), 2);
    }

    #[test]
    fn counts_errors_not_warnings() {
        let mut diags = Diagnostics::new();
        diags.push(Diagnostic::warning("w"));
        assert!(!diags.has_errors());
        diags.extend([Diagnostic::error("e")]);
        assert!(diags.has_errors());
        assert_eq!(diags.errors().count(), 1);
        assert_eq!(diags.warnings().count(), 1);
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["name", "description", "environment_id"];
        assert_eq!(did_you_mean("nmae", names), Some("name"));
        assert_eq!(did_you_mean("environment", names), Some("environment_id"));
        assert_eq!(did_you_mean("zzz", names), None);
    }
}
