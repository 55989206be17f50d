//! `pingform fmt`: rewrite configuration files in the canonical layout, list the files
//! it changed, and with `--check` change nothing and exit 3 if any file needs it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use engine::diagnostics::SourceMap;

use crate::Status;
use crate::cli::FmtArgs;
use crate::report::{self, CliError};

/// The file types `fmt` picks up in a directory.
const EXTENSIONS: [&str; 3] = ["tf", "tfvars", "hcl"];

/// What happened to the files of one run.
#[derive(Default)]
struct Outcome {
    /// Some file needed formatting.
    changed: bool,
    /// Some file could not be read, parsed or written.
    failed: bool,
}

pub(crate) fn run(dir: &Path, args: FmtArgs) -> Result<Status, CliError> {
    let mut outcome = Outcome::default();
    let paths = if args.paths.is_empty() {
        vec![dir.to_path_buf()]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if path.as_os_str() == "-" {
            stdin(&args, &mut outcome)?;
            continue;
        }
        let files = match files(path, args.recursive) {
            Ok(files) => files,
            Err(message) => {
                eprintln!("error: {message}");
                outcome.failed = true;
                continue;
            }
        };
        for file in files {
            one_file(&file, &args, &mut outcome);
        }
    }
    Ok(if outcome.failed {
        Status::Failed
    } else if args.check && outcome.changed {
        Status::Unformatted
    } else {
        Status::Success
    })
}

/// The files to format for one argument: the file itself, or a directory's configuration
/// files (hidden ones such as `.terraform/` skipped), sorted.
fn files(path: &Path, recursive: bool) -> Result<Vec<PathBuf>, String> {
    let metadata =
        std::fs::metadata(path).map_err(|e| format!("cannot format `{}`: {e}", display(path)))?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    collect(path, recursive, &mut out)?;
    Ok(out)
}

fn collect(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let listing_error = |e: std::io::Error| format!("cannot list `{}`: {e}", display(dir));
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(listing_error)? {
        let entry = entry.map_err(listing_error)?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            entries.push(entry.path());
        }
    }
    entries.sort();
    let mut subdirs = Vec::new();
    for path in entries {
        let Ok(metadata) = std::fs::metadata(&path) else {
            continue;
        };
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if metadata.is_dir() {
            subdirs.push(path);
        } else if EXTENSIONS.contains(&extension) {
            out.push(path);
        }
    }
    if recursive {
        for subdir in subdirs {
            collect(&subdir, recursive, out)?;
        }
    }
    Ok(())
}

/// Formats one file: reports it if it is invalid, lists (and unless `--check` rewrites)
/// it if it changes.
fn one_file(path: &Path, args: &FmtArgs, outcome: &mut Outcome) {
    let name = display(path);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read `{name}`: {e}");
            outcome.failed = true;
            return;
        }
    };
    let Some(formatted) = format(&name, path, &text, outcome) else {
        return;
    };
    if formatted == text {
        return;
    }
    outcome.changed = true;
    println!("{name}");
    if args.diff {
        print!("{}", diff(&name, &text, &formatted));
    }
    if !args.check
        && let Err(e) = write_atomically(path, &formatted)
    {
        eprintln!("error: cannot write `{name}`: {e}");
        outcome.failed = true;
    }
}

/// `-`: standard input formatted to standard output (or, with `--check`/`--diff`, only
/// reported).
fn stdin(args: &FmtArgs, outcome: &mut Outcome) -> Result<(), CliError> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| CliError::from_error("cannot read standard input", &e))?;
    let Some(formatted) = format("<stdin>", Path::new("-"), &text, outcome) else {
        return Ok(());
    };
    outcome.changed |= formatted != text;
    if args.diff {
        print!("{}", diff("<stdin>", &text, &formatted));
    } else if !args.check {
        print!("{formatted}");
    }
    Ok(())
}

/// The formatted text, or `None` after reporting why the file cannot be formatted.
fn format(name: &str, path: &Path, text: &str, outcome: &mut Outcome) -> Option<String> {
    let mut sources = SourceMap::default();
    let file = sources.add(path.to_path_buf(), name.to_string(), text.to_string());
    match engine::format::format(text, file) {
        Ok(formatted) => Some(formatted),
        Err(diagnostics) => {
            report::warnings(&sources, &diagnostics);
            outcome.failed = true;
            None
        }
    }
}

/// A unified diff from the file as it is to the file formatted.
fn diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("old/{name}"), &format!("new/{name}"))
        .to_string()
}

/// Replaces the file (the target, if it is a symlink) by writing a temporary file beside
/// it and renaming it over, keeping its permissions: a crash leaves the old or the new
/// text, never a mix.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".pingform-fmt-")
        .tempfile_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file()
        .set_permissions(std::fs::metadata(&target)?.permissions())?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// The path as the user knows it: `main.tf` rather than `./main.tf`.
fn display(path: &Path) -> String {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.display().to_string(),
        _ => path.display().to_string(),
    }
}
