//! Diagnostics about references and names, shared by the evaluator and `config::validate`.
//!
//! Validation finds most of these before anything is evaluated; the evaluator reports the
//! same problems with the same words when it meets them at run time.

use crate::diagnostics::{Diagnostic, Span, did_you_mean};

/// `var.NAME` where no `variable "NAME"` is declared.
pub(crate) fn undeclared_variable<'a>(
    name: &str,
    span: Span,
    declared: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let diag = Diagnostic::error("Reference to undeclared input variable")
        .with_span(span, "not declared")
        .with_detail(format!(
            "An input variable with the name `{name}` has not been declared."
        ));
    match did_you_mean(name, declared) {
        Some(s) => diag.with_help(format!("did you mean `var.{s}`?")),
        None => diag.with_help(format!(
            "declare it with a `variable \"{name}\" {{}}` block"
        )),
    }
}

/// `TYPE.NAME` where no such resource is declared.
pub(crate) fn undeclared_resource<'a>(
    address: &str,
    span: Span,
    declared: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let diag = Diagnostic::error("Reference to undeclared resource")
        .with_span(span, "not declared")
        .with_detail(format!(
            "A managed resource `{address}` has not been declared in the configuration."
        ));
    match did_you_mean(address, declared) {
        Some(s) => diag.with_help(format!("did you mean `{s}`?")),
        None => diag,
    }
}

/// `.NAME` on an object (or resource) that has no attribute `NAME`.
pub(crate) fn unsupported_attribute<'a>(
    name: &str,
    span: Span,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let diag = Diagnostic::error("Unsupported attribute")
        .with_span(span, "no such attribute")
        .with_detail(format!(
            "This object does not have an attribute named `{name}`."
        ));
    match did_you_mean(name, known) {
        Some(s) => diag.with_help(format!("did you mean `{s}`?")),
        None => diag,
    }
}

/// A call to a function that does not exist.
pub(crate) fn unknown_function(name: &str, span: Span, known: &[&str]) -> Diagnostic {
    let diag = Diagnostic::error("Call to unknown function")
        .with_span(span, "no such function")
        .with_detail(format!("There is no function named `{name}`."));
    match did_you_mean(name, known.iter().copied()) {
        Some(s) => diag.with_help(format!("did you mean `{s}`?")),
        None => diag.with_help(format!("the available functions are {}", known.join(", "))),
    }
}

/// A reference that names nothing: `var` alone, a resource type without a name, an
/// unknown bare identifier, or a reference kind pingform does not support yet.
pub(crate) fn invalid_reference(root: &str, span: Span) -> Diagnostic {
    let diag = Diagnostic::error("Invalid reference").with_span(span, "not a valid reference");
    match root {
        "var" => diag
            .with_detail("The `var` object cannot be used alone.")
            .with_help("name a variable: `var.NAME`"),
        "local" | "data" | "module" | "each" | "count" | "self" | "path" | "terraform" => diag
            .with_detail(format!(
                "References to `{root}` are not supported by this version of pingform."
            )),
        _ => diag
            .with_detail(format!(
                "A reference to a resource type must be followed by the resource name, as in \
                 `{root}.NAME`; `{root}` alone is not a value."
            ))
            .with_help("input variables are referenced as `var.NAME`"),
    }
}
