//! Translating one parsed file's top-level blocks into the configuration model.
//!
//! Checks here are the ones that need only the syntax: which block types exist, how many
//! labels they take, which meta-arguments are supported. Checks that need the provider
//! schemas or the whole configuration live in `validate`.

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Attribute, Block, Body as HclBody, Structure};

use super::model::{
    Attr, BackendBlock, Body, Config, Expr, Lifecycle, ModuleDependency, OutputBlock, Owner,
    ProviderBlock, Repetition, ResourceBlock, Validation, VariableBlock,
};
use crate::address::{Mode, ResourceAddress};
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Span, did_you_mean};

/// The top-level block types this version understands.
const BLOCK_TYPES: [&str; 12] = [
    "resource",
    "module",
    "check",
    "data",
    "import",
    "moved",
    "removed",
    "variable",
    "provider",
    "terraform",
    "locals",
    "output",
];

/// Block types Terraform has that pingform does not support yet.
const LATER_BLOCK_TYPES: [&str; 0] = [];

/// Loads the blocks of one file into a [`Config`], reporting problems as it goes.
pub(super) struct FileLoader<'a> {
    pub(super) file: FileId,
    pub(super) config: &'a mut Config,
    pub(super) diags: &'a mut Diagnostics,
    /// `module.NAME` entries of the `depends_on` being read, resolved once the
    /// modules are loaded (see [`ModuleDependency`]).
    pub(super) module_refs: Vec<(String, Span)>,
}

impl<'a> FileLoader<'a> {
    /// A loader for the file `file` that adds to `config` and `diags`.
    pub(super) fn new(file: FileId, config: &'a mut Config, diags: &'a mut Diagnostics) -> Self {
        Self {
            file,
            config,
            diags,
            module_refs: Vec::new(),
        }
    }

    /// Loads every top-level structure of the file's body.
    pub(super) fn load(&mut self, body: &HclBody) {
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let diag = Diagnostic::error("Unsupported argument")
                        .with_span(self.span(&attr.key), "not expected here")
                        .with_detail(format!(
                            "An argument named `{}` is not expected at the top level of a file.",
                            attr.key.as_str()
                        ))
                        .with_help("arguments belong inside a block such as `resource`");
                    self.diags.push(diag);
                }
                Structure::Block(block) => self.block(block),
            }
        }
    }

    fn block(&mut self, block: &Block) {
        match block.ident.as_str() {
            "resource" => self.resource(block, Mode::Managed),
            "data" => self.resource(block, Mode::Data),
            "module" => self.module_call(block),
            "import" => self.import(block),
            "moved" => self.moved(block),
            "removed" => self.removed(block),
            "check" => self.check(block),
            "variable" => self.variable(block),
            "provider" => self.provider(block),
            "locals" => self.locals(block),
            "output" => self.output(block),
            "terraform" => self.terraform(block),
            other => self.unsupported_block(block, other),
        }
    }

    fn unsupported_block(&mut self, block: &Block, ident: &str) {
        let span = self.span(&block.ident);
        let later = LATER_BLOCK_TYPES.contains(&ident);
        let (label, detail) = if later {
            (
                "not supported yet",
                format!("`{ident}` blocks are not supported by this version of pingform."),
            )
        } else {
            (
                "unknown block type",
                format!("Blocks of type `{ident}` are not expected here."),
            )
        };
        let help = match did_you_mean(ident, BLOCK_TYPES).filter(|_| !later) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "the supported block types are `resource`, `data`, `import`, `moved`, \
                     `removed`, `check`, `module`, `variable`, `provider`, `locals`, `output` \
                     and `terraform`"
                .to_string(),
        };
        let diag = Diagnostic::error("Unsupported block type")
            .with_span(span, label)
            .with_detail(detail)
            .with_help(help);
        self.diags.push(diag);
    }

    /// A `resource` or `data` block (they share their meta-arguments).
    fn resource(&mut self, block: &Block, mode: Mode) {
        if let Some(resource) = self.resource_block(block, mode) {
            self.record_module_refs(Owner::Resource(self.config.resources.len()));
            self.config.resources.push(resource);
        }
    }

    /// The model of a `resource` or `data` block.
    pub(super) fn resource_block(&mut self, block: &Block, mode: Mode) -> Option<ResourceBlock> {
        let labels = self.labels(block, &["type", "name"])?;
        let mut body = Body::default();
        let mut depends_on = Vec::new();
        let mut repetition: Option<Repetition> = None;
        let mut provider = None;
        for attr in block.body.attributes() {
            match attr.key.as_str() {
                "depends_on" => depends_on = self.depends_on(&attr.value),
                "count" | "for_each" => self.repetition(&mut repetition, attr),
                "provider" => provider = self.provider_meta(attr),
                _ => self.add_attr(&mut body, attr),
            }
        }
        let mut lifecycle = Lifecycle::default();
        let v0_blocks = super::legacy::accepted_blocks(mode, &labels[0]);
        for nested in block.body.blocks() {
            if nested.ident.as_str() == "lifecycle" {
                lifecycle = self.lifecycle(nested);
            } else if super::dynamic::accepts(v0_blocks, nested) {
                self.nested_block(nested, v0_blocks, "a resource", &mut body);
            } else {
                self.resource_nested_block(nested);
            }
        }
        let address = match mode {
            Mode::Managed => ResourceAddress::new(&labels[0], &labels[1]),
            Mode::Data => ResourceAddress::data(&labels[0], &labels[1]),
        };
        Some(ResourceBlock {
            address,
            body,
            depends_on,
            span: self.header_span(block),
            lifecycle,
            repetition,
            provider,
        })
    }

    /// `count = N` or `for_each = ...`; a block may have one of them.
    pub(super) fn repetition(&mut self, repetition: &mut Option<Repetition>, attr: &Attribute) {
        let parsed = self.attr(attr);
        if let Some(earlier) = repetition {
            let diag = Diagnostic::error("Invalid combination of `count` and `for_each`")
                .with_span(parsed.name_span.clone(), "second repetition argument")
                .with_detail(format!(
                    "A resource may use `count` or `for_each`, not both; `{}` is already set at {}.",
                    earlier.attr().name,
                    self.config.sources.location(&earlier.attr().name_span)
                ));
            self.diags.push(diag);
            return;
        }
        *repetition = Some(match attr.key.as_str() {
            "count" => Repetition::Count(parsed),
            _ => Repetition::ForEach(parsed),
        });
    }

    fn resource_nested_block(&mut self, nested: &Block) {
        if nested.ident.as_str() == "dynamic" {
            return self.dynamic_for_attribute(nested);
        }
        let span = self.span(&nested.ident);
        let other = nested.ident.as_str();
        let diag = Diagnostic::error("Unsupported block type")
            .with_span(span, "blocks are not expected here")
            .with_detail(format!(
                "Blocks of type `{other}` are not expected in a resource."
            ))
            .with_help(format!(
                "PingOne resources use nested attributes: write `{other} = {{ ... }}`"
            ));
        self.diags.push(diag);
    }

    /// `depends_on = [type.name, ...]`.
    pub(super) fn depends_on(&mut self, expr: &Expression) -> Vec<(ResourceAddress, Span)> {
        let Expression::Array(items) = expr else {
            let diag = Diagnostic::error("Invalid `depends_on`")
                .with_span(self.span(expr), "expected a list")
                .with_help("write a list of resources: `depends_on = [pingone_population.staff]`");
            self.diags.push(diag);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            if let Some(name) = module_name(item) {
                self.module_refs.push((name, self.span(item)));
                continue;
            }
            match resource_address(item) {
                Some(address) => out.push((address, self.span(item))),
                None => {
                    let diag = Diagnostic::error("Invalid `depends_on` reference")
                        .with_span(self.span(item), "not a resource")
                        .with_detail(
                            "`depends_on` may only name resources (`TYPE.NAME`) and modules \
                             (`module.NAME`).",
                        );
                    self.diags.push(diag);
                }
            }
        }
        out
    }

    fn variable(&mut self, block: &Block) {
        let Some(labels) = self.labels(block, &["name"]) else {
            return;
        };
        let mut variable = VariableBlock {
            name: labels[0].clone(),
            default: None,
            description: None,
            type_expr: None,
            sensitive: false,
            nullable: true,
            validations: Vec::new(),
            span: self.header_span(block),
        };
        for attr in block.body.attributes() {
            self.variable_attr(&mut variable, attr);
        }
        for nested in block.body.blocks() {
            let span = self.span(&nested.ident);
            if nested.ident.as_str() == "validation" {
                if let Some(v) = self.validation(nested) {
                    variable.validations.push(v);
                }
                continue;
            }
            let diag = Diagnostic::error("Unsupported block type")
                .with_span(span, "not expected here")
                .with_detail(format!(
                    "Blocks of type `{}` are not expected in a variable.",
                    nested.ident.as_str()
                ));
            self.diags.push(diag);
        }
        self.config.variables.push(variable);
    }

    /// `validation { condition = ..., error_message = ... }`.
    /// A `validation` or `assert` block: a `condition` and its `error_message`.
    pub(super) fn validation(&mut self, block: &Block) -> Option<Validation> {
        let kind = format!("a `{}` block", block.ident.as_str());
        let mut condition = None;
        let mut error_message = None;
        for attr in block.body.attributes() {
            let expr = Expr::new(attr.value.clone(), self.file);
            match attr.key.as_str() {
                "condition" => condition = Some(expr),
                "error_message" => error_message = Some(expr),
                other => {
                    self.unexpected_argument(attr, other, &kind, &["condition", "error_message"])
                }
            }
        }
        let span = self.span(&block.ident);
        for (name, value) in [("condition", &condition), ("error_message", &error_message)] {
            if value.is_none() {
                self.diags.push(
                    Diagnostic::error("Missing required argument")
                        .with_span(span.clone(), format!("`{name}` is not set"))
                        .with_detail(format!("{kind} needs a `{name}`.")),
                );
            }
        }
        Some(Validation {
            condition: condition?,
            error_message: error_message?,
            span,
        })
    }

    /// `locals { name = expr ... }`: every attribute becomes a local value.
    fn locals(&mut self, block: &Block) {
        if let Some(label) = block.labels.first() {
            self.diags.push(
                Diagnostic::error("Unexpected label")
                    .with_span(self.span(label), "not expected here")
                    .with_detail("A `locals` block has no labels.")
                    .with_help("write `locals { name = value }`"),
            );
        }
        for attr in block.body.attributes() {
            let name = attr.key.as_str();
            if let Some(first) = self.config.locals.get(name) {
                let diag = Diagnostic::error("Duplicate local value definition")
                    .with_span(self.span(&attr.key), "defined again here")
                    .with_detail(format!(
                        "A local value named `{name}` was already defined at {}. Local value \
                         names must be unique within a configuration.",
                        self.config.sources.location(&first.name_span)
                    ));
                self.diags.push(diag);
                continue;
            }
            let local = self.attr(attr);
            self.config.locals.insert(name.to_string(), local);
        }
        for nested in block.body.blocks() {
            self.unexpected_block(nested, "a `locals` block");
        }
    }

    /// `output "name" { value = ..., sensitive, description, depends_on }`.
    fn output(&mut self, block: &Block) {
        let Some(labels) = self.labels(block, &["name"]) else {
            return;
        };
        let span = self.header_span(block);
        let mut value = None;
        let mut sensitive = false;
        let mut description = None;
        let mut depends_on = Vec::new();
        for attr in block.body.attributes() {
            match attr.key.as_str() {
                "value" => value = Some(Expr::new(attr.value.clone(), self.file)),
                "sensitive" => sensitive = self.literal_bool(&attr.value).unwrap_or(false),
                "description" => description = self.literal_string(&attr.value),
                "depends_on" => depends_on = self.depends_on(&attr.value),
                other => self.unexpected_argument(
                    attr,
                    other,
                    "an output",
                    &["value", "sensitive", "description", "depends_on"],
                ),
            }
        }
        for nested in block.body.blocks() {
            self.unexpected_block(nested, "an output");
        }
        let Some(value) = value else {
            self.diags.push(
                Diagnostic::error("Missing required argument")
                    .with_span(span, "`value` is not set")
                    .with_detail("An output needs a `value`."),
            );
            self.module_refs.clear();
            return;
        };
        self.record_module_refs(Owner::Output(self.config.outputs.len()));
        self.config.outputs.push(OutputBlock {
            name: labels[0].clone(),
            value,
            sensitive,
            description,
            depends_on,
            span,
        });
    }

    pub(super) fn unexpected_argument(
        &mut self,
        attr: &Attribute,
        name: &str,
        place: &str,
        known: &[&str],
    ) {
        let mut diag = Diagnostic::error("Unsupported argument")
            .with_span(self.span(&attr.key), "not expected here")
            .with_detail(format!(
                "An argument named `{name}` is not expected in {place}."
            ));
        if let Some(s) = did_you_mean(name, known.iter().copied()) {
            diag = diag.with_help(format!("did you mean `{s}`?"));
        }
        self.diags.push(diag);
    }

    pub(super) fn unexpected_block(&mut self, block: &Block, place: &str) {
        let diag = Diagnostic::error("Unsupported block type")
            .with_span(self.span(&block.ident), "not expected here")
            .with_detail(format!(
                "Blocks of type `{}` are not expected in {place}.",
                block.ident.as_str()
            ));
        self.diags.push(diag);
    }

    fn variable_attr(&mut self, variable: &mut VariableBlock, attr: &Attribute) {
        let expr = Expr::new(attr.value.clone(), self.file);
        match attr.key.as_str() {
            "default" => variable.default = Some(expr),
            "type" => variable.type_expr = Some(expr),
            "description" => variable.description = self.literal_string(&attr.value),
            "sensitive" => variable.sensitive = self.literal_bool(&attr.value).unwrap_or(false),
            "nullable" => variable.nullable = self.literal_bool(&attr.value).unwrap_or(true),
            other => {
                const ARGS: [&str; 5] = ["default", "description", "type", "sensitive", "nullable"];
                let mut diag = Diagnostic::error("Unsupported argument")
                    .with_span(self.span(&attr.key), "not expected here")
                    .with_detail(format!(
                        "An argument named `{other}` is not expected in a variable."
                    ));
                if let Some(s) = did_you_mean(other, ARGS) {
                    diag = diag.with_help(format!("did you mean `{s}`?"));
                }
                self.diags.push(diag);
            }
        }
    }

    /// Reads the `backend` block; other settings such as `required_providers` and
    /// `required_version` are accepted so that Terraform configurations load
    /// unchanged, and ignored.
    fn terraform(&mut self, block: &Block) {
        for nested in block
            .body
            .blocks()
            .filter(|b| b.ident.as_str() == "backend")
        {
            let Some(labels) = self.labels(nested, &["type"]) else {
                continue;
            };
            if let Some(first) = &self.config.backend {
                let diag = Diagnostic::error("Duplicate backend configuration")
                    .with_span(self.header_span(nested), "second backend")
                    .with_detail(format!(
                        "A configuration has at most one `backend` block; a `backend \"{}\"` block \
                         is already declared.",
                        first.kind
                    ));
                self.diags.push(diag);
                continue;
            }
            let mut body = Body::default();
            for attr in nested.body.attributes() {
                self.add_attr(&mut body, attr);
            }
            self.config.backend = Some(BackendBlock {
                kind: labels[0].clone(),
                body,
                span: self.header_span(nested),
            });
        }
    }

    fn provider(&mut self, block: &Block) {
        let Some(labels) = self.labels(block, &["name"]) else {
            return;
        };
        let mut body = Body::default();
        let mut alias = None;
        for attr in block.body.attributes() {
            if attr.key.as_str() == "alias" {
                alias = self.provider_alias(attr);
            } else {
                self.add_attr(&mut body, attr);
            }
        }
        let kinds = super::dynamic::PROVIDER_BLOCKS;
        self.nested_blocks(&block.body, kinds, "a provider", &mut body);
        self.config.providers.push(ProviderBlock {
            name: labels[0].clone(),
            alias,
            body,
            span: self.header_span(block),
        });
    }

    /// Records the `module.NAME` entries of the `depends_on` just read for the
    /// block `owner`, which is about to be added.
    pub(super) fn record_module_refs(&mut self, owner: Owner) {
        for (module, span) in std::mem::take(&mut self.module_refs) {
            self.config.module_dependencies.push(ModuleDependency {
                owner,
                module,
                span,
            });
        }
    }

    /// Adds an attribute to a body, reporting a second definition of the same name.
    pub(super) fn add_attr(&mut self, body: &mut Body, attr: &Attribute) {
        let name = attr.key.as_str().to_string();
        let name_span = self.span(&attr.key);
        if let Some(first) = body.attributes.get(&name) {
            let diag = Diagnostic::error("Duplicate argument")
                .with_span(name_span, "defined again here")
                .with_detail(format!(
                    "The argument `{name}` was already set at {}.",
                    self.config.sources.location(&first.name_span)
                ));
            self.diags.push(diag);
            return;
        }
        body.attributes.insert(name, self.attr(attr));
    }

    /// The model of one attribute.
    pub(super) fn attr(&self, attr: &Attribute) -> Attr {
        Attr {
            name: attr.key.as_str().to_string(),
            expr: Expr::new(attr.value.clone(), self.file),
            name_span: self.span(&attr.key),
            span: self.span(attr),
        }
    }

    /// The block's labels, if there are exactly as many as `names` and each is a valid name.
    pub(super) fn labels(&mut self, block: &Block, names: &[&str]) -> Option<Vec<String>> {
        let kind = block.ident.as_str();
        if block.labels.len() != names.len() {
            let example = names
                .iter()
                .map(|n| format!("\"{}\"", n.to_uppercase()))
                .collect::<Vec<_>>()
                .join(" ");
            let diag = Diagnostic::error(format!("Wrong number of labels for `{kind}` block"))
                .with_span(
                    self.header_span(block),
                    format!("expected {}", names.join(" and ")),
                )
                .with_detail(format!(
                    "A `{kind}` block has {} label(s): {}.",
                    names.len(),
                    names.join(", ")
                ))
                .with_help(format!("write `{kind} {example} {{ ... }}`"));
            self.diags.push(diag);
            return None;
        }
        let mut valid = true;
        for label in &block.labels {
            if !is_valid_name(label.as_str()) {
                valid = false;
                let diag = Diagnostic::error("Invalid name")
                    .with_span(self.span(label), "not a valid name")
                    .with_detail(
                        "A name must start with a letter or underscore and may contain only \
                         letters, digits, underscores and dashes.",
                    );
                self.diags.push(diag);
            }
        }
        valid.then(|| {
            block
                .labels
                .iter()
                .map(|l| l.as_str().to_string())
                .collect()
        })
    }

    pub(super) fn literal_string(&mut self, expr: &Expression) -> Option<String> {
        if let Some(s) = literal_string(expr) {
            return Some(s);
        }
        let diag = Diagnostic::error("Invalid value")
            .with_span(self.span(expr), "expected a literal string")
            .with_detail("This argument must be a string without interpolations.");
        self.diags.push(diag);
        None
    }

    pub(super) fn literal_bool(&mut self, expr: &Expression) -> Option<bool> {
        if let Expression::Bool(b) = expr {
            return Some(*b.value());
        }
        let diag = Diagnostic::error("Invalid value")
            .with_span(self.span(expr), "expected `true` or `false`");
        self.diags.push(diag);
        None
    }

    pub(super) fn span(&self, node: &impl hcl_edit::Span) -> Span {
        Span::new(self.file, node.span().unwrap_or(0..0))
    }

    /// `resource "type" "name"`: the keyword and labels, without the body.
    pub(super) fn header_span(&self, block: &Block) -> Span {
        let start = self.span(&block.ident);
        match block.labels.last() {
            Some(label) => start.to(&self.span(label)),
            None => start,
        }
    }
}

/// `module.NAME`, for `depends_on` entries.
fn module_name(expr: &Expression) -> Option<String> {
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    match (root.as_str(), traversal.operators.as_slice()) {
        ("module", [op]) => match op.value() {
            TraversalOperator::GetAttr(name) => Some(name.as_str().to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// `type.name` as an address, for `depends_on` entries.
fn resource_address(expr: &Expression) -> Option<ResourceAddress> {
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let names: Option<Vec<&str>> = traversal
        .operators
        .iter()
        .map(|op| match op.value() {
            TraversalOperator::GetAttr(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    match (root.as_str(), names?.as_slice()) {
        ("data", [type_name, name]) => Some(ResourceAddress::data(*type_name, *name)),
        ("var" | "local" | "data", _) => None,
        (type_name, [name]) => Some(ResourceAddress::new(type_name, *name)),
        _ => None,
    }
}

/// A string literal, or a template made only of literal text (such as a heredoc).
pub(super) fn literal_string(expr: &Expression) -> Option<String> {
    let template = match expr {
        Expression::String(s) => return Some(s.value().clone()),
        Expression::StringTemplate(t) => &**t,
        Expression::HeredocTemplate(h) => &h.template,
        _ => return None,
    };
    template
        .iter()
        .map(|e| e.as_literal().map(|l| l.value().as_str()))
        .collect()
}

/// Terraform's rule for block names (and provider aliases): a letter or `_`, then
/// letters, digits, `_` and `-`.
pub(crate) fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
#[path = "blocks_tests.rs"]
mod tests;
