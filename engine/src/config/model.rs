//! The typed model of the configuration files: variables, providers, resources.
//!
//! Built by `load` from hcl-edit syntax trees; expressions stay unevaluated
//! ([`Expr`] keeps the hcl-edit tree and its file) so that `eval` can evaluate them
//! later with spans for its errors.

use std::path::PathBuf;

use hcl_edit::Span as _;
use indexmap::IndexMap;

use crate::address::{ModuleStep, ResourceAddress};
use crate::diagnostics::{Diagnostics, FileId, SourceMap, Span};
use crate::provider_config::ProviderConfigRef;

/// A whole configuration: every block of every file in a directory.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The texts of the files, for diagnostics.
    pub sources: SourceMap,
    /// `variable` blocks, in file order.
    pub variables: Vec<VariableBlock>,
    /// `provider` blocks, in file order.
    pub providers: Vec<ProviderBlock>,
    /// `resource` blocks, in file order.
    pub resources: Vec<ResourceBlock>,
    /// Every attribute of every `locals` block, by name.
    pub locals: IndexMap<String, Attr>,
    /// `output` blocks, in file order.
    pub outputs: Vec<OutputBlock>,
    /// `import` blocks, in file order.
    pub imports: Vec<ImportBlock>,
    /// `moved` blocks, in file order (a chain of moves is followed in order).
    pub moved: Vec<MovedBlock>,
    /// `removed` blocks, in file order.
    pub removed: Vec<RemovedBlock>,
    /// `check` blocks, in file order.
    pub checks: Vec<CheckBlock>,
    /// `module` blocks: calls of child modules, each with the child's configuration.
    pub modules: Vec<ModuleCall>,
    /// Where this configuration sits: empty for the root module, else the
    /// `module.NAME` steps (without keys) that lead to it.
    pub module_path: Vec<ModuleStep>,
    /// `terraform { backend "<kind>" { ... } }`: where state is kept, when not in
    /// the local file.
    pub backend: Option<BackendBlock>,
    /// The directory the files were read from; `file()` and `templatefile()` resolve
    /// relative paths against it. Empty (the current directory) for in-memory configurations.
    pub dir: PathBuf,
    /// Warnings found while loading (such as an ignored `lifecycle` block).
    pub warnings: Diagnostics,
    /// `depends_on = [module.NAME]` entries, until the modules are loaded and
    /// each becomes a dependency on every resource of the module.
    pub(crate) module_dependencies: Vec<ModuleDependency>,
    /// Where each resource block is in `resources`, so that finding one by
    /// address does not grow with the configuration (built by [`Config::index`];
    /// ignored while it does not cover every block).
    pub(crate) resource_index: std::collections::HashMap<ResourceAddress, usize>,
}

/// A `depends_on` entry that names a module call.
#[derive(Clone, Debug)]
pub(crate) struct ModuleDependency {
    /// The block whose `depends_on` it is.
    pub(crate) owner: Owner,
    /// The module call's name.
    pub(crate) module: String,
    /// The entry, for errors.
    pub(crate) span: Span,
}

/// A block with `depends_on`, by its position in the configuration's lists.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Owner {
    /// `resources[i]`.
    Resource(usize),
    /// `outputs[i]`.
    Output(usize),
    /// `modules[i]`.
    Module(usize),
}

impl Config {
    /// The variable block named `name`.
    pub fn variable(&self, name: &str) -> Option<&VariableBlock> {
        self.variables.iter().find(|v| v.name == name)
    }

    /// The resource block at `address` (a block address: see
    /// [`ResourceAddress::block`]), in this module or a child module.
    pub fn resource(&self, address: &ResourceAddress) -> Option<&ResourceBlock> {
        let relative = &address.module[self.module_path.len().min(address.module.len())..];
        let module = self.module_config(relative)?;
        if module.resource_index.len() == module.resources.len() {
            let found = module.resources.get(*module.resource_index.get(address)?);
            return found.filter(|r| &r.address == address);
        }
        module.resources.iter().find(|r| &r.address == address)
    }

    /// Indexes the resource blocks of this module and of the modules below it
    /// by address (done once loading is complete).
    pub(crate) fn index(&mut self) {
        self.resource_index = self
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.address.clone(), i))
            .collect();
        for call in &mut self.modules {
            call.config.index();
        }
    }

    /// The configuration of the module that `path` (module steps, keys ignored)
    /// leads to from this one; this one for an empty path.
    pub fn module_config(&self, path: &[ModuleStep]) -> Option<&Config> {
        let mut config = self;
        for step in path {
            config = &config.module_call(&step.name)?.config;
        }
        Some(config)
    }

    /// The `module` block named `name`.
    pub fn module_call(&self, name: &str) -> Option<&ModuleCall> {
        self.modules.iter().find(|m| m.name == name)
    }

    /// Every resource and data block of this module and of every module below
    /// it, this module's first.
    pub fn all_resources(&self) -> Vec<&ResourceBlock> {
        let mut found: Vec<&ResourceBlock> = self.resources.iter().collect();
        for call in &self.modules {
            found.extend(call.config.all_resources());
        }
        found
    }

    /// Whether this module or any module below it has a `check` block.
    pub fn has_checks(&self) -> bool {
        !self.checks.is_empty() || self.modules.iter().any(|call| call.config.has_checks())
    }

    /// Whether this is a child module's configuration.
    pub fn is_child(&self) -> bool {
        !self.module_path.is_empty()
    }

    /// The default (unaliased) provider block named `name`.
    pub fn provider(&self, name: &str) -> Option<&ProviderBlock> {
        self.provider_block(&ProviderConfigRef::default_for(name))
    }

    /// The provider block that declares the configuration `reference`.
    pub fn provider_block(&self, reference: &ProviderConfigRef) -> Option<&ProviderBlock> {
        self.providers.iter().find(|p| &p.config_ref() == reference)
    }
}

/// `module "name" { source = "./dir" ... }`: a call of a child module.
#[derive(Clone, Debug)]
pub struct ModuleCall {
    /// The block's label.
    pub name: String,
    /// The `source`: a local directory, relative to the calling module's.
    pub source: String,
    /// The arguments: values for the child module's variables.
    pub inputs: Body,
    /// `count` or `for_each`, when the module is called several times.
    pub repetition: Option<Repetition>,
    /// The resources listed in `depends_on`: every resource of the module waits for them.
    pub depends_on: Vec<(ResourceAddress, Span)>,
    /// `providers = { ... }`, if given.
    pub providers: Option<Attr>,
    /// The block header, `module "name"`.
    pub span: Span,
    /// The child module's configuration.
    pub config: Config,
}

/// `variable "name" { ... }`.
#[derive(Clone, Debug)]
pub struct VariableBlock {
    /// The variable's name.
    pub name: String,
    /// The `default` expression, if any.
    pub default: Option<Expr>,
    /// The `description`, if given as a literal string.
    pub description: Option<String>,
    /// The `type` constraint, kept unevaluated (type checking comes later).
    pub type_expr: Option<Expr>,
    /// `sensitive = true`.
    pub sensitive: bool,
    /// `nullable` (true unless set to false).
    pub nullable: bool,
    /// `validation { condition, error_message }` blocks, in order.
    pub validations: Vec<Validation>,
    /// The block header, `variable "name"`.
    pub span: Span,
}

/// One `validation` block of a variable.
#[derive(Clone, Debug)]
pub struct Validation {
    /// The `condition`, which refers to the variable as `var.NAME`.
    pub condition: Expr,
    /// The `error_message` expression.
    pub error_message: Expr,
    /// The `validation` keyword, for errors about the block itself.
    pub span: Span,
}

/// `output "name" { ... }`.
#[derive(Clone, Debug)]
pub struct OutputBlock {
    /// The output's name.
    pub name: String,
    /// The `value` expression.
    pub value: Expr,
    /// `sensitive = true`.
    pub sensitive: bool,
    /// The `description`, if given as a literal string.
    pub description: Option<String>,
    /// The resources listed in `depends_on`, each with the span of its reference.
    pub depends_on: Vec<(ResourceAddress, Span)>,
    /// The block header, `output "name"`.
    pub span: Span,
}

/// `import { to = ADDRESS, id = "..." }`.
#[derive(Clone, Debug)]
pub struct ImportBlock {
    /// Where the object goes, with the span of the address.
    pub to: (ResourceAddress, Span),
    /// The import ID (an expression: it may use variables and locals).
    pub id: Expr,
    /// The block header, `import`.
    pub span: Span,
}

/// `check "name" { data "T" "N" { ... } assert { condition, error_message } ... }`.
#[derive(Clone, Debug)]
pub struct CheckBlock {
    /// The check's name.
    pub name: String,
    /// Data sources scoped to the check: read while planning, seen only by its
    /// assertions (as `data.T.N`), never stored; a failed read is a warning.
    pub data: Vec<ResourceBlock>,
    /// Its assertions, in order.
    pub asserts: Vec<Validation>,
    /// The block header, `check "name"`.
    pub span: Span,
}

/// `moved { from = OLD, to = NEW }`: the object recorded at OLD is now NEW's.
#[derive(Clone, Debug)]
pub struct MovedBlock {
    /// The old address, with its span.
    pub from: (ResourceAddress, Span),
    /// The new address, with its span.
    pub to: (ResourceAddress, Span),
    /// The block header, `moved`.
    pub span: Span,
}

/// `removed { from = ADDRESS, lifecycle { destroy = false } }`.
#[derive(Clone, Debug)]
pub struct RemovedBlock {
    /// The address no longer in the configuration, with its span.
    pub from: (ResourceAddress, Span),
    /// Whether to delete the object (true, the default) or only forget it.
    pub destroy: bool,
    /// The block header, `removed`.
    pub span: Span,
}

/// `backend "kind" { ... }` inside a `terraform` block.
#[derive(Clone, Debug)]
pub struct BackendBlock {
    /// The backend type, such as `pg`.
    pub kind: String,
    /// Its settings (literals: they are read before variables exist).
    pub body: Body,
    /// The block header, `backend "kind"`.
    pub span: Span,
}

/// `provider "name" { ... }`.
#[derive(Clone, Debug)]
pub struct ProviderBlock {
    /// The provider's name, such as `pingone`.
    pub name: String,
    /// `alias = "eu"`, with the span of its value: a further configuration of the
    /// provider, which resources select with `provider = pingone.eu`.
    pub alias: Option<(String, Span)>,
    /// The provider's settings.
    pub body: Body,
    /// The block header, `provider "name"`.
    pub span: Span,
}

impl ProviderBlock {
    /// The configuration this block declares: `pingone` or `pingone.eu`.
    pub fn config_ref(&self) -> ProviderConfigRef {
        ProviderConfigRef {
            name: self.name.clone(),
            alias: self.alias.as_ref().map(|(alias, _)| alias.clone()),
        }
    }
}

/// `resource "type" "name" { ... }`.
#[derive(Clone, Debug)]
pub struct ResourceBlock {
    /// `type.name`.
    pub address: ResourceAddress,
    /// The resource's arguments (without meta-arguments such as `depends_on`).
    pub body: Body,
    /// The resources listed in `depends_on`, each with the span of its reference.
    pub depends_on: Vec<(ResourceAddress, Span)>,
    /// The block header, e.g. `resource "pingone_population" "staff"`.
    pub span: Span,
    /// The `lifecycle` settings.
    pub lifecycle: Lifecycle,
    /// `count` or `for_each`, when the block declares several instances.
    pub repetition: Option<Repetition>,
    /// The `provider` meta-argument (`provider = pingone.eu`), with its span;
    /// `None` uses the type's default configuration. Resolve it with
    /// [`ProviderConfigRef::for_resource`].
    pub provider: Option<(ProviderConfigRef, Span)>,
}

/// How a resource block repeats: `count = N` or `for_each = map or set`.
#[derive(Clone, Debug)]
pub enum Repetition {
    /// `count = N`: instances `[0]` to `[N-1]`, each with `count.index`.
    Count(Attr),
    /// `for_each = {...}` or a set of strings: one instance per key, each with
    /// `each.key` and `each.value`.
    ForEach(Attr),
}

impl Repetition {
    /// The `count` or `for_each` argument.
    pub fn attr(&self) -> &Attr {
        match self {
            Repetition::Count(attr) | Repetition::ForEach(attr) => attr,
        }
    }
}

/// A resource's `lifecycle` block.
#[derive(Clone, Debug, Default)]
pub struct Lifecycle {
    /// `prevent_destroy = true`, with the span of the setting.
    pub prevent_destroy: Option<Span>,
    /// `ignore_changes = [attr, ...]`: attributes whose configured value is not
    /// enforced once the object exists, each with its span.
    pub ignore_changes: Vec<(String, Span)>,
    /// `precondition { condition, error_message }`: checked before planning the
    /// instance's change; a false condition stops the plan.
    pub preconditions: Vec<Validation>,
    /// `postcondition { condition, error_message }`: checked on the instance's
    /// planned and applied values, which the condition reads as `self`.
    pub postconditions: Vec<Validation>,
    /// `create_before_destroy = true`: a replacement creates the new object
    /// before it deletes the old one, with the span of the setting.
    pub create_before_destroy: Option<Span>,
    /// `replace_triggered_by = [...]`: references whose change replaces the instance.
    pub replace_triggered_by: Vec<Trigger>,
}

/// One `replace_triggered_by` entry: a managed resource, an instance of one, or an
/// attribute of either.
#[derive(Clone, Debug)]
pub struct Trigger {
    /// The whole reference (an index in it may use `count.index` and `each.*`).
    pub expr: Expr,
    /// The resource block it names.
    pub resource: ResourceAddress,
}

/// The arguments of a block, in source order.
#[derive(Clone, Debug, Default)]
pub struct Body {
    /// Attributes by name.
    pub attributes: IndexMap<String, Attr>,
    /// Nested blocks, static and `dynamic`, in source order (see [`super::NestedBlock`]).
    pub blocks: Vec<super::NestedBlock>,
}

/// One `name = expression` argument.
#[derive(Clone, Debug)]
pub struct Attr {
    /// The argument's name.
    pub name: String,
    /// Its (unevaluated) value.
    pub expr: Expr,
    /// The span of the name alone.
    pub name_span: Span,
    /// The span of the whole `name = expression`.
    pub span: Span,
}

/// An unevaluated expression and the file it came from.
#[derive(Clone, Debug)]
pub struct Expr {
    /// The hcl-edit syntax tree, with byte spans into the file.
    pub expr: hcl_edit::expr::Expression,
    /// The file the spans refer to.
    pub file: FileId,
}

impl Expr {
    /// Wraps a parsed expression.
    pub fn new(expr: hcl_edit::expr::Expression, file: FileId) -> Self {
        Self { expr, file }
    }

    /// The span of the whole expression (empty at 0 for expressions not made by the parser).
    pub fn span(&self) -> Span {
        Span::new(self.file, self.expr.span().unwrap_or(0..0))
    }
}
