//! Version 0 syntax of the PingOne Terraform provider, still found in published modules.
//!
//! Each construct is either accepted with a warning naming the v1 spelling (where the
//! translation is exact), or rejected with an error whose help is the exact v1 text to
//! write, built from the user's own expressions:
//!
//! | v0 | v1 | here |
//! |---|---|---|
//! | `service { ... }` / `dynamic "service"` in `pingone_environment` | `services = [{ ... }]` | warning; read as `services` |
//! | `oidc_options { ... }` (and the other option blocks) in `pingone_application` | `oidc_options = { ... }` | error with the rewrite |
//! | `data_filter { ... }` in data sources | `data_filters = [{ ... }]` | warning; read as `data_filters` |
//! | `resource "pingone_role_assignment_user"` | `pingone_user_role_assignment` | error with the rewrite |
//! | provider `region = "NorthAmerica"` | `region_code = "NA"` | warning; read as `region_code` |
//! | provider `force_delete_production_type` | (removed) | warning; ignored |
//!
//! The check runs on the parsed file before the loader turns it into the model, and
//! removes what it rejected so that the loader does not report it a second time. The
//! accepted list blocks stay: the loader reads them (static or `dynamic`) as the nested
//! blocks [`accepted_blocks`] names, and evaluation makes the v1 list from them.

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body};
use hcl_edit::{Ident, Span as _};

use super::dynamic::BlockKind;
use super::nested::Nesting;
use crate::address::Mode;
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Span};

/// v0 `service { ... bookmark { ... } }` blocks of `pingone_environment`: v1's `services`.
const SERVICE_BLOCKS: &[BlockKind] = &[BlockKind {
    name: "service",
    attribute: "services",
    nesting: Nesting::List,
    nested: &[BlockKind {
        name: "bookmark",
        attribute: "bookmarks",
        nesting: Nesting::List,
        nested: &[],
    }],
}];

/// v0 `data_filter { ... }` blocks of data sources: v1's `data_filters`.
const DATA_FILTER_BLOCKS: &[BlockKind] = &[BlockKind {
    name: "data_filter",
    attribute: "data_filters",
    nesting: Nesting::List,
    nested: &[],
}];

/// The v0 nested blocks accepted (with a warning) in a resource or data source of a type.
pub(super) fn accepted_blocks(mode: Mode, type_name: &str) -> &'static [BlockKind] {
    match (mode, type_name) {
        (Mode::Managed, "pingone_environment") => SERVICE_BLOCKS,
        (Mode::Data, _) => DATA_FILTER_BLOCKS,
        _ => &[],
    }
}

/// v0 region names and the v1 region codes they became.
const REGIONS: [(&str, &str); 6] = [
    ("NorthAmerica", "NA"),
    ("Europe", "EU"),
    ("AsiaPacific", "AP"),
    ("Canada", "CA"),
    ("Australia-AsiaPacific", "AU"),
    ("Singapore", "SG"),
];

/// Blocks of `pingone_application` that v1 made nested object attributes.
const APPLICATION_OPTIONS: [&str; 6] = [
    "oidc_options",
    "saml_options",
    "wsfed_options",
    "external_link_options",
    "icon",
    "access_control_group_options",
];

/// Repeated v0 blocks that became a list attribute with a plural name.
const LIST_RENAMES: [(&str, &str); 3] = [
    ("service", "services"),
    ("bookmark", "bookmarks"),
    ("data_filter", "data_filters"),
];

/// Reports (and removes) the v0 constructs in one parsed file.
pub(super) fn check(body: &mut Body, file: FileId, text: &str, diags: &mut Diagnostics) {
    let mut legacy = Legacy { file, text, diags };
    for block in body.blocks_mut() {
        let kind = block.labels.first().map(|l| l.as_str().to_string());
        match (block.ident.as_str(), kind.as_deref()) {
            ("resource", Some("pingone_role_assignment_user")) => legacy.renamed_resource(block),
            ("resource", Some("pingone_environment")) => legacy.nested_list(block, "service"),
            ("resource", Some("pingone_application")) => {
                for name in APPLICATION_OPTIONS {
                    legacy.nested_object(block, name);
                }
            }
            ("data", Some(_)) => legacy.nested_list(block, "data_filter"),
            ("provider", Some("pingone")) => legacy.provider(&mut block.body),
            _ => {}
        }
    }
}

struct Legacy<'a> {
    file: FileId,
    text: &'a str,
    diags: &'a mut Diagnostics,
}

/// One element of a list built from repeated blocks.
enum Element {
    /// A `name { ... }` block, as an object.
    Static(String),
    /// A `dynamic "name" { ... }` block, as a `for` expression producing a list.
    Dynamic(String),
}

impl Legacy<'_> {
    fn span(&self, node: &impl hcl_edit::Span) -> Span {
        Span::new(self.file, node.span().unwrap_or(0..0))
    }

    /// The source text of an expression.
    fn source(&self, expr: &Expression) -> String {
        expr.span()
            .and_then(|range| self.text.get(range))
            .map_or_else(|| "...".to_string(), |s| s.trim().to_string())
    }

    /// `resource "pingone_role_assignment_user" "x"`: renamed in v1.
    fn renamed_resource(&mut self, block: &Block) {
        let name = block.labels.get(1).map_or("NAME", |l| l.as_str());
        let Some(label) = block.labels.first() else {
            return;
        };
        let diag = Diagnostic::error("Resource type renamed in version 1 of the PingOne provider")
            .with_span(self.span(label), "v0 resource type")
            .with_detail(
                "`pingone_role_assignment_user` is the v0 name of `pingone_user_role_assignment` \
                 (same arguments); pingform reads v1 configurations.",
            )
            .with_help(format!(
                "write `resource \"pingone_user_role_assignment\" \"{name}\"` and change every \
                 reference `pingone_role_assignment_user.{name}` to \
                 `pingone_user_role_assignment.{name}`"
            ));
        self.diags.push(diag);
    }

    /// Repeated `name { }` (and `dynamic "name" { }`) blocks that v1 made one list
    /// attribute: accepted with a warning showing the v1 spelling (the loader reads them).
    fn nested_list(&mut self, block: &mut Block, name: &str) {
        let Some(first) = first_block(&block.body, name) else {
            return;
        };
        let span = self.span(&first.ident);
        let plural = plural(name);
        let list = self.list(&self.elements(&block.body, name));
        let kind = block.labels.first().map_or("", |l| l.as_str());
        let diag = Diagnostic::warning(format!("`{name}` blocks are v0 provider syntax"))
            .with_span(span, "v0 syntax")
            .with_detail(format!(
                "Version 1 of the PingOne provider replaced the `{name}` blocks of `{kind}` with \
                 the attribute `{plural}`; pingform reads these blocks as `{plural}`, in \
                 source order."
            ))
            .with_help(format!(
                "write `{plural} = {list}` instead of the `{name}` blocks"
            ));
        self.diags.push(diag);
    }

    /// A `name { }` block that v1 made an object attribute.
    /// (`dynamic "name"` is left to the loader, which shows the v1 `for` expression.)
    fn nested_object(&mut self, block: &mut Block, name: &str) {
        let Some(nested) = block.body.blocks().find(|b| b.ident.as_str() == name) else {
            return;
        };
        let object = self.object(&nested.body);
        let diag = Diagnostic::error(format!("`{name}` block is v0 provider syntax"))
            .with_span(self.span(&nested.ident), "v0 syntax")
            .with_detail(format!(
                "Version 1 of the PingOne provider made `{name}` a nested attribute, written \
                 with `=`; pingform reads v1 configurations."
            ))
            .with_help(format!("write `{name} = {object}`"));
        self.diags.push(diag);
        remove_blocks(&mut block.body, |b| b.ident.as_str() == name);
    }

    /// The blocks named `name` (static and dynamic) in `body`, in order.
    fn elements(&self, body: &Body, name: &str) -> Vec<Element> {
        body.blocks()
            .filter_map(|b| match b.ident.as_str() {
                ident if ident == name => Some(Element::Static(self.object(&b.body))),
                "dynamic" if is_dynamic(b, name) => Some(Element::Dynamic(self.dynamic(b, name))),
                _ => None,
            })
            .collect()
    }

    /// A list expression from elements: `[a, b]`, a single `for`, or a `concat(...)`.
    fn list(&self, elements: &[Element]) -> String {
        if let [Element::Dynamic(for_expr)] = elements {
            return for_expr.clone();
        }
        if elements.iter().all(|e| matches!(e, Element::Static(_))) {
            let items: Vec<&str> = elements
                .iter()
                .filter_map(|e| match e {
                    Element::Static(s) => Some(s.as_str()),
                    Element::Dynamic(_) => None,
                })
                .collect();
            return format!("[{}]", items.join(", "));
        }
        let parts: Vec<String> = elements
            .iter()
            .map(|e| match e {
                Element::Static(s) => format!("[{s}]"),
                Element::Dynamic(d) => d.clone(),
            })
            .collect();
        format!("concat({})", parts.join(", "))
    }

    /// A block body as an object expression: attributes, then nested blocks as objects
    /// (or lists of objects, under the v1 plural name where there is one).
    fn object(&self, body: &Body) -> String {
        let mut items: Vec<String> = body
            .attributes()
            .map(|a| format!("{} = {}", a.key.as_str(), self.source(&a.value)))
            .collect();
        let mut seen: Vec<String> = Vec::new();
        for nested in body.blocks() {
            let name = match nested.ident.as_str() {
                "dynamic" => nested.labels.first().map_or("", |l| l.as_str()),
                other => other,
            };
            if name.is_empty() || seen.iter().any(|s| s == name) {
                continue;
            }
            seen.push(name.to_string());
            let elements = self.elements(body, name);
            let value = match elements.as_slice() {
                [Element::Static(single)] if plural(name) == name => single.clone(),
                _ => self.list(&elements),
            };
            items.push(format!("{} = {value}", plural(name)));
        }
        if items.is_empty() {
            "{}".to_string()
        } else {
            format!("{{ {} }}", items.join(", "))
        }
    }

    /// `dynamic "name" { for_each = X, iterator = it, content { ... } }` as
    /// `[for key, it in X : { ... }]`, with `it.value` and `it.key` rewritten.
    fn dynamic(&self, block: &Block, name: &str) -> String {
        let body = &block.body;
        let iterator = body
            .get_attribute("iterator")
            .map_or_else(|| name.to_string(), |a| self.source(&a.value));
        let collection = body
            .get_attribute("for_each")
            .map_or_else(|| "...".to_string(), |a| self.source(&a.value));
        let content = body
            .blocks()
            .find(|b| b.ident.as_str() == "content")
            .map_or_else(|| "{}".to_string(), |c| self.object(&c.body));
        let content = content
            .replace(&format!("{iterator}.value"), &iterator)
            .replace(&format!("{iterator}.key"), "key");
        format!("[for key, {iterator} in {collection} : {content}]")
    }

    /// Provider `region` (read as `region_code`) and `force_delete_production_type` (ignored).
    fn provider(&mut self, body: &mut Body) {
        if let Some(attr) = body.get_attribute("force_delete_production_type") {
            let diag = Diagnostic::warning("Removed provider setting")
                .with_span(self.span(&attr.key), "ignored")
                .with_detail(
                    "Version 1 of the PingOne provider removed `force_delete_production_type`: \
                     an environment of type PRODUCTION is never deleted. pingform ignores it.",
                )
                .with_help(
                    "remove the line; protect other objects with `lifecycle { prevent_destroy = true }`",
                );
            self.diags.push(diag);
            body.remove_attribute("force_delete_production_type");
        }
        if let Some(attr) = body.get_attribute("region") {
            let has_code = body.has_attribute("region_code");
            if let Some(code) = self.region(attr, has_code) {
                body.remove_attribute("region");
                body.push(Attribute::new(
                    Ident::new("region_code"),
                    Expression::from(code),
                ));
            }
        }
    }

    /// Checks a `region` naming a v0 region; the v1 code to read it as, if it can be.
    /// Other values are left to the schema check, which suggests `region_code`.
    fn region(&mut self, attr: &Attribute, has_code: bool) -> Option<&'static str> {
        let Expression::String(given) = &attr.value else {
            return None;
        };
        let code = region_code(given.value())?;
        let span = self.span(&attr.key);
        let diag = if has_code {
            Diagnostic::error("Both `region` and `region_code` are set")
                .with_span(span, "v0 setting")
                .with_detail("`region` is the v0 spelling of `region_code`.")
                .with_help("remove `region`")
        } else {
            Diagnostic::warning("Deprecated provider setting `region`")
                .with_span(span, "v0 setting")
                .with_detail(format!(
                    "Version 1 of the PingOne provider replaced `region` with `region_code`; \
                     pingform reads this as `region_code = \"{code}\"`."
                ))
                .with_help(format!("write `region_code = \"{code}\"`"))
        };
        let accepted = !diag.is_error();
        self.diags.push(diag);
        accepted.then_some(code)
    }
}

/// The v1 code for a v0 region name.
fn region_code(value: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|(name, _)| *name == value)
        .map(|(_, code)| *code)
}

/// The v1 attribute name for blocks named `name`.
fn plural(name: &str) -> &str {
    LIST_RENAMES
        .iter()
        .find(|(v0, _)| *v0 == name)
        .map_or(name, |(_, v1)| v1)
}

fn is_dynamic(block: &Block, name: &str) -> bool {
    block.ident.as_str() == "dynamic" && block.labels.first().is_some_and(|l| l.as_str() == name)
}

/// The first block named `name`, static or dynamic.
fn first_block<'b>(body: &'b Body, name: &str) -> Option<&'b Block> {
    body.blocks()
        .find(|b| b.ident.as_str() == name || is_dynamic(b, name))
}

/// Removes the blocks that `matches`.
fn remove_blocks(body: &mut Body, matches: impl Fn(&Block) -> bool) {
    for index in (0..body.len()).rev() {
        let matches = body
            .get(index)
            .and_then(|s| s.as_block())
            .is_some_and(&matches);
        if matches {
            body.remove(index);
        }
    }
}

#[cfg(test)]
#[path = "legacy_tests.rs"]
mod tests;
