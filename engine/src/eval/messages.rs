//! Diagnostics about references and names, shared by the evaluator and `config::validate`.
//!
//! Validation finds most of these before anything is evaluated; the evaluator reports the
//! same problems with the same words when it meets them at run time.

use crate::address::ResourceAddress;
use crate::diagnostics::{Diagnostic, Span, did_you_mean};

/// `d` without the detail, which may quote values, when an operand was sensitive.
pub(crate) fn redact_if(sensitive: bool, d: Diagnostic) -> Diagnostic {
    if sensitive {
        d.with_detail("The details are hidden because they would reveal a sensitive value.")
    } else {
        d
    }
}

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

/// `module.NAME` where no `module "NAME"` block is declared.
pub(crate) fn undeclared_module<'a>(
    name: &str,
    span: Span,
    declared: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let diag = Diagnostic::error("Reference to undeclared module")
        .with_span(span, "not declared")
        .with_detail(format!(
            "No module call named `{name}` is declared in this module."
        ));
    match did_you_mean(name, declared) {
        Some(s) => diag.with_help(format!("did you mean `module.{s}`?")),
        None => diag.with_help(format!(
            "declare it with a `module \"{name}\" {{ source = \"./modules/{name}\" }}` block"
        )),
    }
}

/// `local.NAME` where no `locals` block defines `NAME`.
pub(crate) fn undeclared_local<'a>(
    name: &str,
    span: Span,
    declared: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let diag = Diagnostic::error("Reference to undeclared local value")
        .with_span(span, "not declared")
        .with_detail(format!(
            "A local value with the name `{name}` has not been declared."
        ));
    match did_you_mean(name, declared) {
        Some(s) => diag.with_help(format!("did you mean `local.{s}`?")),
        None => diag.with_help(format!("declare it in a `locals {{ {name} = ... }}` block")),
    }
}

/// `self` where no object is being checked.
pub(crate) fn self_outside_postcondition(span: Span) -> Diagnostic {
    Diagnostic::error("Invalid `self` reference")
        .with_span(span, "`self` is not available here")
        .with_detail(
            "`self` means the object a resource's `postcondition` checks; it can only be used there.",
        )
        .with_help("refer to the resource by its address, such as `TYPE.NAME.ATTRIBUTE`")
}

/// `local.NAME` whose value depends on itself.
pub(crate) fn local_cycle(chain: &[String], span: Span) -> Diagnostic {
    let path = chain
        .iter()
        .map(|n| format!("local.{n}"))
        .collect::<Vec<_>>()
        .join(" -> ");
    Diagnostic::error("Cycle in local values")
        .with_span(span, "refers back to a local value being evaluated")
        .with_detail(format!(
            "The local values refer to each other in a cycle: `{path}`."
        ))
        .with_help("break the cycle by removing one of the references")
}

/// `TYPE.NAME` where no such resource is declared.
pub(crate) fn undeclared_resource<'a>(
    address: &ResourceAddress,
    span: Span,
    declared: impl IntoIterator<Item = &'a ResourceAddress>,
) -> Diagnostic {
    let diag = Diagnostic::error("Reference to undeclared resource")
        .with_span(span, "not declared")
        .with_detail(format!(
            "A managed resource `{address}` has not been declared in the configuration."
        ));
    match similar_resource(address, declared) {
        Some(s) => diag.with_help(format!("did you mean `{s}`?")),
        None => diag,
    }
}

/// A declared resource whose name is a likely typo of `address`'s name (same type), or
/// whose type is a likely typo of its type (same name). Comparing whole addresses would
/// find `pingone_population.p` for `pingone_population.missing` by their long shared prefix.
fn similar_resource<'a>(
    address: &ResourceAddress,
    declared: impl IntoIterator<Item = &'a ResourceAddress>,
) -> Option<&'a ResourceAddress> {
    let declared: Vec<&ResourceAddress> = declared.into_iter().collect();
    let same_type = declared.iter().filter(|d| d.type_name == address.type_name);
    let names: Vec<&str> = same_type.map(|d| d.name.as_str()).collect();
    if let Some(name) = did_you_mean(&address.name, names) {
        return declared
            .into_iter()
            .find(|d| d.type_name == address.type_name && d.name == name);
    }
    let same_name = declared.iter().filter(|d| d.name == address.name);
    let types: Vec<&str> = same_name.map(|d| d.type_name.as_str()).collect();
    let type_name = did_you_mean(&address.type_name, types)?;
    declared
        .into_iter()
        .find(|d| d.type_name == type_name && d.name == address.name)
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

/// `.NAME` on a resource whose attribute `NAME` is a secret state keeps only as a
/// fingerprint (see `AttributeSchema::sealed`).
pub(crate) fn sealed_attribute(
    address: &crate::ResourceAddress,
    name: &str,
    span: Span,
    read_live: &str,
) -> Diagnostic {
    Diagnostic::error("Secret not available")
        .with_span(span, "kept in state only as a fingerprint")
        .with_detail(format!(
            "`{address}.{name}` is a secret: pingform never stores it, only a salted \
             fingerprint that tells when it changes, so the configuration cannot read it."
        ))
        .with_help(read_live.to_string())
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
        "local" => diag
            .with_detail("The `local` object cannot be used alone.")
            .with_help("name a local value: `local.NAME`"),
        "data" | "module" | "each" | "count" | "self" | "path" | "terraform" => diag.with_detail(
            format!("References to `{root}` are not supported by this version of pingform."),
        ),
        _ => diag
            .with_detail(format!(
                "A reference to a resource type must be followed by the resource name, as in \
                 `{root}.NAME`; `{root}` alone is not a value."
            ))
            .with_help("input variables are referenced as `var.NAME`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::FileId;

    fn suggestion(address: (&str, &str), declared: &[(&str, &str)]) -> Option<String> {
        let declared: Vec<ResourceAddress> = declared
            .iter()
            .map(|(t, n)| ResourceAddress::new(*t, *n))
            .collect();
        let span = Span::new(FileId(0), 0..1);
        undeclared_resource(&ResourceAddress::new(address.0, address.1), span, &declared).help
    }

    #[test]
    fn suggests_resources_by_name_within_a_type_or_by_type_with_the_same_name() {
        let declared = [("pingone_group", "admins"), ("pingone_population", "p")];
        assert_eq!(
            suggestion(("pingone_group", "admin"), &declared).as_deref(),
            Some("did you mean `pingone_group.admins`?")
        );
        assert_eq!(
            suggestion(("pingone_gruop", "admins"), &declared).as_deref(),
            Some("did you mean `pingone_group.admins`?")
        );
        assert_eq!(
            suggestion(("pingone_population", "missing"), &declared),
            None
        );
    }
}
