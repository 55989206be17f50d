//! Loading nested blocks, static and `dynamic`, where pingform accepts them: the
//! provider block's `global_options { population { ... } }` and `service_endpoints { ... }`,
//! and the v0 list blocks that `legacy` accepts (`service`, `data_filter`).
//!
//! `dynamic "TYPE" { for_each = EXPR, iterator = NAME, content { ... } }` follows Terraform:
//! `iterator` defaults to the block type, `content` may itself hold nested (and dynamic)
//! blocks, and `labels` is only for block types that take labels (none of these do).
//! Expansion happens when the body is evaluated (`eval::blocks`), never by rewriting text.

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body as HclBody};

use super::blocks::FileLoader;
use super::model::{Attr, Body};
use super::nested::{BlockSource, DynamicBlock, NestedBlock, Nesting};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// A nested block type that a place accepts, and the attribute its blocks make.
#[derive(Debug)]
pub(super) struct BlockKind {
    /// The block type, such as `service`.
    pub name: &'static str,
    /// The attribute the blocks make, such as `services`.
    pub attribute: &'static str,
    /// One object, or a list of them.
    pub nesting: Nesting,
    /// The block types accepted inside this one.
    pub nested: &'static [BlockKind],
}

/// The nested blocks of `provider "pingone"` (TERRAFORM-PROVIDER.md §1).
pub(super) const PROVIDER_BLOCKS: &[BlockKind] = &[
    BlockKind {
        name: "global_options",
        attribute: "global_options",
        nesting: Nesting::Single,
        nested: &[BlockKind {
            name: "population",
            attribute: "population",
            nesting: Nesting::Single,
            nested: &[],
        }],
    },
    BlockKind {
        name: "service_endpoints",
        attribute: "service_endpoints",
        nesting: Nesting::Single,
        nested: &[],
    },
];

/// The arguments a `dynamic` block takes.
const DYNAMIC_ARGUMENTS: [&str; 3] = ["for_each", "iterator", "labels"];

/// Whether `block` is one of `kinds`, written out or as `dynamic "TYPE"`.
pub(super) fn accepts(kinds: &[BlockKind], block: &Block) -> bool {
    let name = match block.ident.as_str() {
        "dynamic" => block.labels.first().map_or("", |l| l.as_str()),
        other => other,
    };
    kinds.iter().any(|k| k.name == name)
}

impl FileLoader<'_> {
    /// Adds the nested blocks of `hcl` to `body`: those of `kinds` (static or dynamic);
    /// any other is reported as not expected in `place`.
    pub(super) fn nested_blocks(
        &mut self,
        hcl: &HclBody,
        kinds: &'static [BlockKind],
        place: &str,
        body: &mut Body,
    ) {
        for block in hcl.blocks() {
            self.nested_block(block, kinds, place, body);
        }
    }

    /// Adds one nested block to `body`, or reports why it cannot be there.
    pub(super) fn nested_block(
        &mut self,
        block: &Block,
        kinds: &'static [BlockKind],
        place: &str,
        body: &mut Body,
    ) {
        let loaded = if block.ident.as_str() == "dynamic" {
            self.dynamic_block(block, kinds, place)
        } else {
            self.static_block(block, kinds, place)
        };
        let Some(nested) = loaded else {
            return;
        };
        if let Some(attr) = body.attributes.get(&nested.attribute) {
            let diag = Diagnostic::error(format!("`{}` is set twice", nested.attribute))
                .with_span(nested.span.clone(), "also set here")
                .with_detail(format!(
                    "`{}` is set as an argument at {} and by `{}` blocks.",
                    nested.attribute,
                    self.config.sources.location(&attr.name_span),
                    nested.kind
                ))
                .with_help("keep one of the two");
            self.diags.push(diag);
            return;
        }
        let earlier = body.blocks.iter().find(|b| b.kind == nested.kind);
        if let (Nesting::Single, Some(earlier), BlockSource::Static(_)) =
            (nested.nesting, earlier, &nested.source)
        {
            let diag = Diagnostic::error(format!("Duplicate `{}` block", nested.kind))
                .with_span(nested.span.clone(), "second block")
                .with_detail(format!(
                    "At most one `{}` block is allowed here; the first is at {}.",
                    nested.kind,
                    self.config.sources.location(&earlier.span)
                ));
            self.diags.push(diag);
            return;
        }
        body.blocks.push(nested);
    }

    /// `TYPE { ... }`.
    fn static_block(
        &mut self,
        block: &Block,
        kinds: &'static [BlockKind],
        place: &str,
    ) -> Option<NestedBlock> {
        let name = block.ident.as_str();
        let Some(kind) = kinds.iter().find(|k| k.name == name) else {
            self.unknown_nested(name, self.span(&block.ident), kinds, place);
            return None;
        };
        if let Some(label) = block.labels.first() {
            let diag = Diagnostic::error("Unexpected label")
                .with_span(self.span(label), "not expected here")
                .with_detail(format!("A `{name}` block has no labels."))
                .with_help(format!("write `{name} {{ ... }}`"));
            self.diags.push(diag);
        }
        let body = self.nested_body(&block.body, kind, &format!("a `{name}` block"));
        Some(NestedBlock {
            kind: name.to_string(),
            attribute: kind.attribute.to_string(),
            nesting: kind.nesting,
            source: BlockSource::Static(body),
            span: self.span(&block.ident),
        })
    }

    /// The attributes and nested blocks of one block of type `kind`.
    fn nested_body(&mut self, hcl: &HclBody, kind: &BlockKind, place: &str) -> Body {
        let mut body = Body::default();
        for attr in hcl.attributes() {
            self.add_attr(&mut body, attr);
        }
        self.nested_blocks(hcl, kind.nested, place, &mut body);
        body
    }

    /// `dynamic "TYPE" { for_each = ..., iterator = ..., content { ... } }`.
    fn dynamic_block(
        &mut self,
        block: &Block,
        kinds: &'static [BlockKind],
        place: &str,
    ) -> Option<NestedBlock> {
        let header = self.header_span(block);
        let [label] = block.labels.as_slice() else {
            let diag = Diagnostic::error("Wrong number of labels for `dynamic` block")
                .with_span(header, "expected one label")
                .with_detail("A `dynamic` block has one label: the type of the blocks it makes.")
                .with_help("write `dynamic \"TYPE\" { for_each = ..., content { ... } }`");
            self.diags.push(diag);
            return None;
        };
        let name = label.as_str();
        let Some(kind) = kinds.iter().find(|k| k.name == name) else {
            self.unknown_nested(name, self.span(label), kinds, place);
            return None;
        };
        let mut for_each: Option<Attr> = None;
        let mut iterator = name.to_string();
        for attr in block.body.attributes() {
            match attr.key.as_str() {
                "for_each" => for_each = Some(self.attr(attr)),
                "iterator" => iterator = self.iterator_name(&attr.value).unwrap_or(iterator),
                "labels" => {
                    let diag = Diagnostic::error("Unsupported argument")
                        .with_span(self.span(&attr.key), "not expected here")
                        .with_detail(format!(
                            "Blocks of type `{name}` take no labels, so this `dynamic` block \
                             cannot set `labels`."
                        ))
                        .with_help("remove `labels`");
                    self.diags.push(diag);
                }
                other => {
                    self.unexpected_argument(attr, other, "a `dynamic` block", &DYNAMIC_ARGUMENTS)
                }
            }
        }
        let content = self.dynamic_content(block, kind);
        let missing = |what: &str, example: &str| {
            Diagnostic::error(format!("Missing `{what}` in `dynamic` block"))
                .with_span(header.clone(), format!("no `{what}`"))
                .with_detail(format!("A `dynamic \"{name}\"` block needs {example}."))
        };
        if for_each.is_none() {
            self.diags.push(
                missing(
                    "for_each",
                    "a `for_each` argument: the list, set or map to repeat over",
                )
                .with_help("add `for_each = ...`"),
            );
        }
        if content.is_none() {
            self.diags.push(
                missing(
                    "content",
                    "a `content { ... }` block: the body of each block it makes",
                )
                .with_help(format!(
                    "add `content {{ ... }}`, reading each element as `{iterator}.value`"
                )),
            );
        }
        Some(NestedBlock {
            kind: name.to_string(),
            attribute: kind.attribute.to_string(),
            nesting: kind.nesting,
            source: BlockSource::Dynamic(Box::new(DynamicBlock {
                for_each: for_each?,
                iterator,
                content: content?,
            })),
            span: header,
        })
    }

    /// The one `content` block of a `dynamic` block, reporting extra or other blocks.
    fn dynamic_content(&mut self, block: &Block, kind: &BlockKind) -> Option<Body> {
        let mut content = None;
        for nested in block.body.blocks() {
            if nested.ident.as_str() != "content" {
                self.unexpected_block(nested, "a `dynamic` block (only `content`)");
                continue;
            }
            if content.is_some() {
                let diag = Diagnostic::error("Duplicate `content` block")
                    .with_span(self.span(&nested.ident), "second `content`")
                    .with_detail("A `dynamic` block has exactly one `content` block.");
                self.diags.push(diag);
                continue;
            }
            if let Some(label) = nested.labels.first() {
                let diag = Diagnostic::error("Unexpected label")
                    .with_span(self.span(label), "not expected here")
                    .with_detail("A `content` block has no labels.");
                self.diags.push(diag);
            }
            let place = format!("the `content` of a `dynamic \"{}\"` block", kind.name);
            content = Some(self.nested_body(&nested.body, kind, &place));
        }
        content
    }

    /// `iterator = NAME`: a bare name.
    fn iterator_name(&mut self, expr: &Expression) -> Option<String> {
        if let Expression::Variable(name) = expr {
            return Some(name.as_str().to_string());
        }
        let diag = Diagnostic::error("Invalid `iterator`")
            .with_span(self.span(expr), "expected a name")
            .with_detail("`iterator` names the variable the `content` reads each element by.")
            .with_help("write a bare name, such as `iterator = item`");
        self.diags.push(diag);
        None
    }

    /// `dynamic "NAME"` in a resource, where v1 declares `NAME` as a nested attribute:
    /// an error whose help is the `for` expression to write instead.
    pub(super) fn dynamic_for_attribute(&mut self, block: &Block) {
        let Some(label) = block.labels.first() else {
            self.dynamic_block(block, &[], "a resource");
            return;
        };
        let name = label.as_str();
        let iterator = block
            .body
            .get_attribute("iterator")
            .and_then(|a| a.value.as_variable().map(|v| v.as_str().to_string()))
            .unwrap_or_else(|| name.to_string());
        let collection = block
            .body
            .get_attribute("for_each")
            .map_or_else(|| "EXPR".to_string(), |a| self.source(&a.value));
        let diag = Diagnostic::error("`dynamic` block for a nested attribute")
            .with_span(self.span(label), "a nested attribute, not a block")
            .with_detail(format!(
                "Version 1 of the PingOne provider declares `{name}` as a nested attribute, \
                 written with `=`; a `dynamic` block only generates blocks."
            ))
            .with_help(format!(
                "write `{name} = [for k, v in {collection} : {{ ... }}]` with the `content` \
                 arguments inside the braces, reading `{iterator}.key` as `k` and \
                 `{iterator}.value` as `v` (for a single object: `{name} = {{ ... }}`)"
            ));
        self.diags.push(diag);
    }

    /// The source text of an expression, trimmed.
    fn source(&self, expr: &Expression) -> String {
        let span = self.span(expr);
        self.config
            .sources
            .text(self.file)
            .get(span.range)
            .map_or_else(|| "EXPR".to_string(), |s| s.trim().to_string())
    }

    fn unknown_nested(
        &mut self,
        name: &str,
        span: crate::diagnostics::Span,
        kinds: &[BlockKind],
        place: &str,
    ) {
        let mut diag = Diagnostic::error("Unsupported block type")
            .with_span(span, "not expected here")
            .with_detail(format!(
                "Blocks of type `{name}` are not expected in {place}."
            ));
        if let Some(s) = did_you_mean(name, kinds.iter().map(|k| k.name)) {
            diag = diag.with_help(format!("did you mean `{s}`?"));
        } else if !kinds.is_empty() {
            let names: Vec<String> = kinds.iter().map(|k| format!("`{}`", k.name)).collect();
            diag = diag.with_help(format!("the blocks allowed here are {}", names.join(", ")));
        }
        self.diags.push(diag);
    }
}

#[cfg(test)]
#[path = "dynamic_tests.rs"]
mod tests;
