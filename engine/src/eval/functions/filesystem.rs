//! Filesystem functions: `file`, `fileexists`, `templatefile`, `abspath`, `basename`,
//! `dirname`. Relative paths resolve against the configuration directory, not the
//! process's current directory, so a configuration reads the same files wherever
//! pingform is started from.

use std::path::{Path, PathBuf};

use super::Call;
use crate::diagnostics::{FileId, Span};
use crate::eval::expr::{EvalResult, Evaluator, Scope};
use crate::eval::value::Value;

/// `path` resolved against the configuration directory.
fn resolve(call: &Call, path: &str) -> PathBuf {
    let path = Path::new(path);
    match call.scope.base_dir {
        Some(base) if path.is_relative() => base.join(path),
        _ => path.to_path_buf(),
    }
}

/// Reads a UTF-8 file named by argument 0.
fn read(call: &Call) -> Result<String, crate::diagnostics::Diagnostic> {
    let path = call.string(0)?;
    let full = resolve(call, &path);
    let bytes = std::fs::read(&full).map_err(|e| {
        call.invalid(
            0,
            "cannot read this file",
            format!("cannot read {}: {e}.", full.display()),
        )
    })?;
    String::from_utf8(bytes).map_err(|_| {
        call.invalid(0, "not UTF-8 text", format!("the contents of {} are not valid UTF-8; use the filebase64 function to read binary files.", full.display()))
    })
}

/// `file(path)`: the contents of a text file.
pub(super) fn file(call: &Call) -> EvalResult {
    read(call).map(Value::String)
}

/// `fileexists(path)`: whether a regular file exists there.
pub(super) fn fileexists(call: &Call) -> EvalResult {
    let path = resolve(call, &call.string(0)?);
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => Ok(Value::Bool(true)),
        Ok(_) => Err(call.invalid(
            0,
            "not a regular file",
            format!("{} is not a regular file.", path.display()),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Value::Bool(false)),
        Err(e) => Err(call.invalid(
            0,
            "cannot check this file",
            format!("cannot stat {}: {e}.", path.display()),
        )),
    }
}

/// `abspath(path)`: the absolute form of `path` (the file need not exist).
pub(super) fn abspath(call: &Call) -> EvalResult {
    let path = resolve(call, &call.string(0)?);
    let absolute = std::path::absolute(&path)
        .map_err(|e| call.invalid(0, "cannot make absolute", format!("{e}.")))?;
    Ok(Value::String(absolute.to_string_lossy().replace('\\', "/")))
}

/// `basename(path)`: the last element of a path.
pub(super) fn basename(call: &Call) -> EvalResult {
    let path = call.string(0)?;
    let trimmed = path.trim_end_matches('/');
    let base = match trimmed.rsplit_once('/') {
        _ if path.is_empty() => ".",
        _ if trimmed.is_empty() => "/",
        Some((_, last)) => last,
        None => trimmed,
    };
    Ok(Value::from(base))
}

/// `dirname(path)`: everything but the last element of a path.
pub(super) fn dirname(call: &Call) -> EvalResult {
    let path = call.string(0)?;
    let dir = match path.rsplit_once('/') {
        Some(("", _)) => "/".to_string(),
        Some((dir, _)) => dir.trim_end_matches('/').to_string(),
        None => ".".to_string(),
    };
    Ok(Value::String(if dir.is_empty() { "/".into() } else { dir }))
}

/// `templatefile(path, vars)`: the file rendered as a template in which only `vars` (and
/// functions) are in scope.
pub(super) fn templatefile(call: &Call) -> EvalResult {
    let text = read(call)?;
    let Value::Object(vars) = call.arg(1) else {
        return Err(call.invalid(1, "not an object", "the vars must be an object or map."));
    };
    let template = hcl_edit::parser::parse_template(&text).map_err(|e| {
        call.failed(format!(
            "{}:{}:{}: {}",
            call.string(0).unwrap_or_default(),
            e.location().line(),
            e.location().column(),
            e.message()
        ))
    })?;
    let no_vars = Default::default();
    let no_resources = Default::default();
    let mut scope = Scope::new(&no_vars, &no_resources);
    scope.base_dir = call.scope.base_dir;
    scope.phase = call.scope.phase;
    // Spans inside the template file have no file of their own: errors are reported on
    // the call, naming the position in the template.
    let mut evaluator = Evaluator::new(&scope, FileId(usize::MAX), Vec::new());
    let bindings = vars
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect::<Vec<_>>();
    evaluator
        .with_locals(bindings, |ev| ev.template(&template))
        .map_err(|d| {
            let position = d.span.as_ref().map_or(String::new(), |s: &Span| {
                let start = s.range.start.min(text.len());
                let lines = text.as_bytes()[..start]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                format!(" at line {}", lines + 1)
            });
            call.failed(format!("in the template{position}: {d}"))
        })
}
