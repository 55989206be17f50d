//! Where variable values come from: environment variables, `.tfvars` / `.tfvars.json`
//! files, `--var-file` and `--var`, gathered in Terraform's precedence (later wins).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::types::{self, Type};
use crate::Value;
use crate::config::{Config, Expr};
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Span};
use crate::eval::{Scope, evaluate};

/// One given value, not yet converted to the variable's type.
#[derive(Clone, Debug)]
pub enum Given {
    /// Text from the environment or `--var`: taken literally for primitive types (and
    /// variables without a type), parsed as an HCL expression otherwise, as Terraform does.
    Text {
        /// The text.
        text: String,
        /// Where it came from, for messages (`--var`, `environment variable TF_VAR_x`).
        origin: String,
    },
    /// An expression from a `.tfvars` file (whose text is in the configuration's sources).
    Expr(Expr),
    /// A value from a `.tfvars.json` file.
    Json {
        /// The value.
        value: Value,
        /// The file's span, for messages.
        span: Span,
    },
}

impl Given {
    /// The value, and the span to blame for a bad one (the variable's block for text).
    pub(super) fn value(
        &self,
        scope: &Scope,
        ty: Option<&Type>,
        declared: &Span,
    ) -> Result<(Value, Span), Diagnostic> {
        match self {
            Given::Expr(expr) => Ok((evaluate(expr, scope)?, expr.span())),
            Given::Json { value, span } => Ok((value.clone(), span.clone())),
            Given::Text { text, origin } => {
                if types::takes_literal_text(ty) {
                    return Ok((Value::String(text.clone()), declared.clone()));
                }
                let parsed = hcl_edit::parser::parse_expr(text).map_err(|e| {
                    Diagnostic::error("Invalid value for input variable")
                        .with_span(declared.clone(), "declared here")
                        .with_detail(format!(
                            "The value given by {origin} is not a valid expression: {}.",
                            e.message()
                        ))
                        .with_help("non-string values are written as HCL, e.g. `[\"a\", \"b\"]` or `{ key = \"value\" }`")
                })?;
                let value =
                    evaluate(&Expr::new(parsed, FileId(usize::MAX)), scope).map_err(|d| {
                        Diagnostic::error("Invalid value for input variable")
                            .with_span(declared.clone(), "declared here")
                            .with_detail(format!(
                                "The value given by {origin} does not evaluate: {d}."
                            ))
                    })?;
                Ok((value, declared.clone()))
            }
        }
    }
}

/// Everything that can give variable values, besides the defaults.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// The process environment (`PINGFORM_VAR_name`, `TF_VAR_name`).
    pub env: Vec<(String, String)>,
    /// `--var-file` paths, in command-line order. Relative paths are relative to the
    /// configuration directory, as with Terraform's `-chdir`.
    pub var_files: Vec<PathBuf>,
    /// `--var NAME=VALUE` flags, in command-line order.
    pub vars: Vec<String>,
}

/// Gathers the given values in precedence order. The files read are added to
/// `config.sources` (so diagnostics can quote them); values for undeclared variables are
/// warnings from files (added to `config.warnings`) and errors from `--var`.
pub fn collect(
    config: &mut Config,
    sources: &Sources,
) -> Result<BTreeMap<String, Given>, Diagnostics> {
    let mut given = BTreeMap::new();
    let mut diags = Diagnostics::new();
    for prefix in ["TF_VAR_", "PINGFORM_VAR_"] {
        for (key, value) in &sources.env {
            if let Some(name) = key.strip_prefix(prefix) {
                let origin = format!("the environment variable {key}");
                given.insert(
                    name.to_string(),
                    Given::Text {
                        text: value.clone(),
                        origin,
                    },
                );
            }
        }
    }
    for path in auto_files(&config.dir) {
        read_file(config, &path, &mut given, &mut diags);
    }
    for path in &sources.var_files {
        let path = &config.dir.join(path);
        if !path.exists() {
            diags.push(
                Diagnostic::error(format!(
                    "Failed to read variables file `{}`",
                    path.display()
                ))
                .with_detail("The file given with `--var-file` does not exist."),
            );
            continue;
        }
        read_file(config, path, &mut given, &mut diags);
    }
    for flag in &sources.vars {
        let Some((name, value)) = flag.split_once('=') else {
            diags.push(
                Diagnostic::error(format!("Invalid `--var` option `{flag}`"))
                    .with_detail("The option must be of the form NAME=VALUE.")
                    .with_help("write it as `--var name=value`"),
            );
            continue;
        };
        let name = name.trim();
        if config.variable(name).is_none() {
            diags.push(Diagnostic::error(format!("Value for undeclared variable `{name}`"))
                .with_detail(format!("A variable named `{name}` was assigned with `--var`, but the configuration does not declare it."))
                .with_help(format!("declare it with a `variable \"{name}\" {{}}` block")));
            continue;
        }
        let origin = "`--var`".to_string();
        given.insert(
            name.to_string(),
            Given::Text {
                text: value.to_string(),
                origin,
            },
        );
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(given)
    }
}

/// `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars(.json)` in lexical order.
fn auto_files(dir: &Path) -> Vec<PathBuf> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut files: Vec<PathBuf> = ["terraform.tfvars", "terraform.tfvars.json"]
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .collect();
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json")) && p.is_file()
        })
        .collect();
    auto.sort();
    files.extend(auto);
    files
}

fn read_file(
    config: &mut Config,
    path: &Path,
    given: &mut BTreeMap<String, Given>,
    diags: &mut Diagnostics,
) {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::error(format!(
                    "Failed to read variables file `{}`",
                    path.display()
                ))
                .with_detail(e.to_string()),
            );
            return;
        }
    };
    let name = path.strip_prefix(".").unwrap_or(path).display().to_string();
    let file = config.sources.add(path.to_path_buf(), name, text.clone());
    let whole = Span::new(file, 0..text.len().min(1));
    let mut found: Vec<(String, Given, Span)> = Vec::new();
    if path.extension().is_some_and(|e| e == "json") {
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(map)) => {
                for (k, v) in map {
                    found.push((
                        k,
                        Given::Json {
                            value: Value::from_json(&v),
                            span: whole.clone(),
                        },
                        whole.clone(),
                    ));
                }
            }
            Ok(_) => diags.push(
                Diagnostic::error("Invalid variables file")
                    .with_span(whole, "not an object")
                    .with_detail("A `.tfvars.json` file must hold one JSON object."),
            ),
            Err(e) => diags.push(
                Diagnostic::error("Invalid variables file")
                    .with_span(whole, "not valid JSON")
                    .with_detail(e.to_string()),
            ),
        }
    } else {
        match hcl_edit::parser::parse_body(&text) {
            Ok(body) => {
                for attr in body.attributes() {
                    let span = Span::new(file, hcl_edit::Span::span(&attr.key).unwrap_or(0..0));
                    found.push((
                        attr.key.as_str().to_string(),
                        Given::Expr(Expr::new(attr.value.clone(), file)),
                        span,
                    ));
                }
                if let Some(block) = body.blocks().next() {
                    let span = Span::new(file, hcl_edit::Span::span(&block.ident).unwrap_or(0..0));
                    diags.push(
                        Diagnostic::error("Invalid variables file")
                            .with_span(span, "blocks are not allowed")
                            .with_detail("A `.tfvars` file holds only `name = value` assignments."),
                    );
                }
            }
            Err(e) => {
                let at = e.location().offset().min(text.len());
                diags.push(
                    Diagnostic::error("Invalid syntax")
                        .with_span(Span::new(file, at..at), e.message()),
                );
            }
        }
    }
    for (name, value, span) in found {
        if config.variable(&name).is_none() {
            config.warnings.push(
                Diagnostic::warning("Value for undeclared variable")
                    .with_span(span, "not declared")
                    .with_detail(format!("The file assigns `{name}`, but the configuration declares no variable of that name; the value is ignored.")),
            );
            continue;
        }
        given.insert(name, value);
    }
}
