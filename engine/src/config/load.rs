//! Reading configuration files from disk and parsing them with hcl-edit.
//!
//! Every file is parsed even when an earlier one fails, so one run reports every
//! syntax error. The block-by-block translation into the model lives in `blocks`.

use std::path::{Path, PathBuf};

use hcl_edit::parser::Error as ParseError;

use super::ConfigError;
use super::blocks::FileLoader;
use super::model::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Span};

/// Loads every `*.tf` and `*.hcl` file in `dir` (not recursive, sorted by name),
/// and the modules it calls.
pub fn load_dir(dir: &Path) -> Result<Config, ConfigError> {
    let files = read_config_files(dir)?;
    if files.is_empty() {
        return Err(ConfigError::Empty(dir.to_path_buf()));
    }
    load(files, dir)
}

/// The configuration files of `dir` with their display names and texts.
pub(super) fn read_config_files(dir: &Path) -> Result<Vec<(PathBuf, String, String)>, ConfigError> {
    let mut files = Vec::new();
    for path in config_files(dir)? {
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::ReadFile {
            path: path.clone(),
            source,
        })?;
        let name = display_name(&path);
        files.push((path, name, text));
    }
    Ok(files)
}

/// Loads configuration from texts already in memory: `(path, display name, text)` per file.
///
/// This is what [`load_dir`] does after reading the files; tests and tools that hold
/// configuration in memory call it directly. Modules they call are read from
/// directories relative to the current one.
pub fn load_files(
    files: impl IntoIterator<Item = (PathBuf, String, String)>,
) -> Result<Config, ConfigError> {
    load(files.into_iter().collect(), Path::new(""))
}

/// Parses the root module's files, then the modules they call.
fn load(files: Vec<(PathBuf, String, String)>, dir: &Path) -> Result<Config, ConfigError> {
    let mut config = Config {
        dir: dir.to_path_buf(),
        ..Config::default()
    };
    let mut diagnostics = Diagnostics::new();
    parse_into(&mut config, files, &mut diagnostics);
    if !config.modules.is_empty() {
        let mut sources = std::mem::take(&mut config.sources);
        let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        super::module::load_children(&mut config, &mut sources, &mut diagnostics, &mut vec![root]);
        config.sources = sources;
    }
    super::module::resolve_dependencies(&mut config, &mut diagnostics);
    config.index();
    if diagnostics.has_errors() {
        return Err(ConfigError::Invalid {
            sources: config.sources,
            diagnostics,
        });
    }
    config.warnings = diagnostics;
    Ok(config)
}

/// Parses each file and loads its blocks into `config`.
pub(super) fn parse_into(
    config: &mut Config,
    files: Vec<(PathBuf, String, String)>,
    diagnostics: &mut Diagnostics,
) {
    for (path, name, text) in files {
        let file = config.sources.add(path, name, text);
        match hcl_edit::parser::parse_body(config.sources.text(file)) {
            Ok(mut body) => {
                let text = config.sources.text(file);
                super::legacy::check(&mut body, file, text, diagnostics);
                FileLoader::new(file, config, diagnostics).load(&body);
            }
            Err(e) => diagnostics.push(parse_error(&e, file, config.sources.text(file))),
        }
    }
}

/// Loads one configuration file given as a string, named `name` in diagnostics.
pub fn load_str(name: &str, text: &str) -> Result<Config, ConfigError> {
    load_files([(PathBuf::from(name), name.to_string(), text.to_string())])
}

/// The configuration files of `dir`, sorted by file name.
fn config_files(dir: &Path) -> Result<Vec<PathBuf>, ConfigError> {
    let read_dir_error = |source| ConfigError::ReadDir {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_dir_error)? {
        let entry = entry.map_err(read_dir_error)?;
        let path = entry.path();
        let is_config = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("tf" | "hcl")
        );
        // `metadata` follows symlinks, so a linked file counts and a linked directory does not.
        if is_config && std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            paths.push(path);
        }
    }
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(paths)
}

/// The path as the user typed it: `main.tf` for the current directory, else `dir/main.tf`.
fn display_name(path: &Path) -> String {
    let path = path.strip_prefix(".").unwrap_or(path);
    path.display().to_string()
}

/// A diagnostic for a syntax error, underlining at least one character at the error.
pub(crate) fn parse_error(e: &ParseError, file: FileId, text: &str) -> Diagnostic {
    let start = e.location().offset().min(text.len());
    let end = text[start..]
        .chars()
        .next()
        .filter(|c| *c != '\n')
        .map_or(start, |c| start + c.len_utf8());
    Diagnostic::error("Invalid syntax").with_span(Span::new(file, start..end), e.message())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::tests::render_all;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).expect("write fixture");
    }

    fn invalid(result: Result<Config, ConfigError>) -> String {
        match result {
            Err(ConfigError::Invalid {
                sources,
                diagnostics,
            }) => render_all(&diagnostics, &sources),
            Err(e) => panic!("expected invalid configuration, got {e}"),
            Ok(_) => panic!("expected invalid configuration, got a valid one"),
        }
    }

    #[test]
    fn loads_every_config_file_sorted_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "variables.tf",
            "variable \"env\" {\n  default = \"dev\"\n}\n",
        );
        write(
            dir.path(),
            "main.tf",
            "resource \"pingone_population\" \"staff\" {\n  name = var.env\n}\n",
        );
        write(
            dir.path(),
            "provider.hcl",
            "provider \"pingone\" {\n  region = \"EU\"\n}\n",
        );
        write(dir.path(), "notes.txt", "not configuration {");
        std::fs::create_dir(dir.path().join("sub.tf")).expect("mkdir");

        let config = load_dir(dir.path()).expect("valid configuration");
        let names: Vec<_> = config
            .sources
            .files()
            .map(|f| {
                config
                    .sources
                    .name(f)
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["main.tf", "provider.hcl", "variables.tf"]);
        assert_eq!(config.variables[0].name, "env");
        assert_eq!(config.providers[0].name, "pingone");
        assert_eq!(
            config.resources[0].address.to_string(),
            "pingone_population.staff"
        );
    }

    #[test]
    fn empty_directory_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "README.md", "# nothing");
        assert!(matches!(load_dir(dir.path()), Err(ConfigError::Empty(_))));
    }

    #[test]
    fn missing_directory_is_a_read_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = load_dir(&dir.path().join("nope")).expect_err("missing directory");
        assert!(matches!(err, ConfigError::ReadDir { .. }));
    }

    #[test]
    fn parse_errors_in_several_files_are_all_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "main.tf",
            "resource \"pingone_group\" \"g\" {\n  names = [\"a\",\n  description = \"x\"\n}\n",
        );
        write(
            dir.path(),
            "other.tf",
            "variable \"x\" {\n  default = 1 +\n}\n",
        );
        let report = invalid(load_dir(dir.path()));
        let report = report.replace(&dir.path().display().to_string(), "DIR");
        assert!(report.contains("DIR/main.tf:3:15"), "{report}");
        assert!(report.contains("DIR/other.tf:2:16"), "{report}");
        insta::assert_snapshot!(report);
    }

    #[test]
    fn parse_error_in_current_directory_names_the_file_alone() {
        let report = invalid(load_str("main.tf", "a = {\n  b = 1\n  c = \n}\n"));
        assert!(report.contains("main.tf:3:7"), "{report}");
        insta::assert_snapshot!(report);
    }

    #[test]
    fn parse_error_position_matches_hcl_edit() {
        let text = "resource \"a\" \"b\" {\n  x = [1,\n}\n";
        let e = hcl_edit::parser::parse_body(text).expect_err("syntax error");
        let mut sources = crate::diagnostics::SourceMap::default();
        let file = sources.add("main.tf".into(), "main.tf".into(), text.into());
        let diag = parse_error(&e, file, text);
        let span = diag.span.expect("span");
        assert_eq!(
            sources.line_col(&span),
            (e.location().line(), e.location().column())
        );
        assert_eq!(span.range.len(), 1);
    }

    #[test]
    fn display_name_drops_leading_dot() {
        assert_eq!(display_name(Path::new("./main.tf")), "main.tf");
        assert_eq!(
            display_name(Path::new("examples/q/main.tf")),
            "examples/q/main.tf"
        );
    }
}
