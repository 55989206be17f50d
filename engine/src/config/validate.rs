//! Checking a loaded configuration against the provider schemas, before anything runs.
//!
//! Every problem is collected (not just the first), each with its span: unknown resource
//! types and attributes (with "did you mean"), missing required and set computed-only
//! attributes, duplicate declarations, undeclared variables and resources in expressions
//! and `depends_on`, and calls to unknown functions. Evaluation errors that depend on
//! values are left to `eval`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::model::{Body, CheckBlock, Config, Expr, ModuleCall, Repetition, ResourceBlock};
use crate::address::{Mode, ResourceAddress};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap, Span, did_you_mean};
use crate::eval::RepeatKind;
use crate::eval::functions;
use crate::eval::messages;
use crate::eval::references::{Found, walk, walk_bound};
use crate::provider::{BlockSchema, Presence, ProviderSchema};

/// Checks the configuration against the provider schemas (by provider name, e.g.
/// `"pingone"`) and returns every problem found.
pub fn validate(config: &Config, schemas: &BTreeMap<String, ProviderSchema>) -> Diagnostics {
    validate_module(config, &config.sources, schemas)
}

/// Validates one module and, through [`Validator::module_calls`], the modules it calls.
fn validate_module(
    config: &Config,
    sources: &SourceMap,
    schemas: &BTreeMap<String, ProviderSchema>,
) -> Diagnostics {
    let mut v = Validator {
        config,
        sources,
        schemas,
        diags: Diagnostics::new(),
    };
    v.module_calls();
    v.duplicates();
    v.providers();
    v.resources();
    v.variables();
    v.locals_and_outputs();
    v.imports();
    v.relocations();
    v.checks();
    v.diags
}

/// Where an expression appears, which decides what it may refer to.
#[derive(Clone, Copy)]
enum Context<'a> {
    /// In a resource's arguments: anything but the resource itself, and
    /// `count.index` or `each.*` as the block repeats.
    Resource(&'a ResourceBlock),
    /// In a resource's `count` or `for_each`: anything but the resource itself.
    Repetition(&'a ResourceBlock),
    /// In a resource's `postcondition`: as in its arguments, plus `self`.
    Postcondition(&'a ResourceBlock),
    /// In a provider block: variables and resources.
    Provider,
    /// A variable's default: constants only.
    VariableDefault,
    /// A variable's validation rule: only that variable (as `var.NAME`).
    VariableValidation(&'a str),
    /// A local value or output: anything declared.
    Anywhere,
    /// In a `check` block: anything declared, and the check's own data sources.
    Check(&'a CheckBlock),
    /// A module call's argument: anything declared in the calling module, and
    /// `count.index` or `each.*` as the call repeats.
    ModuleInput(&'a ModuleCall),
}

struct Validator<'a> {
    config: &'a Config,
    /// The texts of every file (a child module's configuration has none of its own).
    sources: &'a SourceMap,
    schemas: &'a BTreeMap<String, ProviderSchema>,
    diags: Diagnostics,
}

impl<'a> Validator<'a> {
    fn duplicates(&mut self) {
        let variables = self
            .config
            .variables
            .iter()
            .map(|v| (v.name.clone(), &v.span));
        self.report_duplicates("variable", variables);
        if !self.config.is_child() {
            super::provider_refs::check(self.config, &mut self.diags);
        }
        let resources = self
            .config
            .resources
            .iter()
            .map(|r| (r.address.to_string(), &r.span));
        self.report_duplicates("resource", resources);
    }

    fn report_duplicates<'s>(
        &mut self,
        kind: &str,
        items: impl Iterator<Item = (String, &'s Span)>,
    ) {
        let mut first: HashMap<String, &Span> = HashMap::new();
        for (name, span) in items {
            if let Some(earlier) = first.get(&name) {
                let diag = Diagnostic::error(format!("Duplicate {kind} declaration"))
                    .with_span(span.clone(), "declared again here")
                    .with_detail(format!(
                        "A {kind} `{name}` was already declared at {}. Names must be unique.",
                        self.sources.location(earlier)
                    ));
                self.diags.push(diag);
            } else {
                first.insert(name, span);
            }
        }
    }

    fn providers(&mut self) {
        for block in &self.config.providers {
            match self.schemas.get(&block.name) {
                Some(schema) => {
                    self.body(&block.body, &schema.provider, &block.span, "provider");
                }
                None => {
                    let diag = Diagnostic::error("Unknown provider")
                        .with_span(block.span.clone(), "no such provider")
                        .with_detail(format!("There is no provider named `{}`.", block.name));
                    let diag =
                        match did_you_mean(&block.name, self.schemas.keys().map(String::as_str)) {
                            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                            None => diag.with_help(format!(
                                "the available providers are {}",
                                self.provider_list()
                            )),
                        };
                    self.diags.push(diag);
                }
            }
            self.body_exprs(&block.body, Context::Provider);
        }
    }

    fn resources(&mut self) {
        for block in &self.config.resources {
            if let Some(schema) = self.resource_schema(&block.address, &block.span) {
                let kind = if block.address.is_data() {
                    "data source"
                } else {
                    "resource"
                };
                self.body(&block.body, schema, &block.span, kind);
            }
            self.body_exprs(&block.body, Context::Resource(block));
            if let Some(repetition) = &block.repetition {
                self.expr(&repetition.attr().expr, Context::Repetition(block));
            }
            for condition in &block.lifecycle.preconditions {
                self.expr(&condition.condition, Context::Resource(block));
                self.expr(&condition.error_message, Context::Resource(block));
            }
            for condition in &block.lifecycle.postconditions {
                self.expr(&condition.condition, Context::Postcondition(block));
                self.expr(&condition.error_message, Context::Postcondition(block));
            }
            for trigger in &block.lifecycle.replace_triggered_by {
                self.expr(&trigger.expr, Context::Resource(block));
            }
            for (address, span) in &block.depends_on {
                if address == &block.address {
                    self.diags.push(self_reference(address, span.clone()));
                } else if self.config.resource(address).is_none() {
                    self.diags
                        .push(self.undeclared_resource(address, span.clone()));
                }
            }
        }
    }

    /// Each `import` goes to a configured resource, once; its ID may use
    /// anything declared.
    fn imports(&mut self) {
        let mut seen: BTreeMap<&ResourceAddress, &Span> = BTreeMap::new();
        for import in &self.config.imports {
            let (to, span) = &import.to;
            self.expr(&import.id, Context::Anywhere);
            if let Some(earlier) = seen.insert(to, span) {
                let diag = Diagnostic::error("Duplicate import target")
                    .with_span(span.clone(), "imported again here")
                    .with_detail(format!(
                        "`{to}` is already the target of the import at {}; an object can be \
                         imported to one address only once.",
                        self.sources.location(earlier)
                    ));
                self.diags.push(diag);
            }
            let Some(block) = self.config.resource(&to.block()) else {
                let diag = self
                    .undeclared_resource(&to.block(), span.clone())
                    .with_help(format!(
                        "add a `resource` block for `{}` so the imported object has a configuration",
                        to.block()
                    ));
                self.diags.push(diag);
                continue;
            };
            let keyed = to.key.is_some();
            if keyed != block.repetition.is_some() {
                let detail = if keyed {
                    format!(
                        "`{}` sets neither `count` nor `for_each`: import to `{}`.",
                        block.address,
                        to.block()
                    )
                } else {
                    format!(
                        "`{}` has several instances: import to one, such as `{}[0]` or `{}[\"key\"]`.",
                        block.address, block.address, block.address
                    )
                };
                self.diags.push(
                    Diagnostic::error("Invalid import target")
                        .with_span(span.clone(), "no such instance")
                        .with_detail(detail),
                );
            }
        }
    }

    /// `moved` goes from an address the configuration no longer declares to one it
    /// does, of the same type; `removed` names what the configuration no longer has.
    fn relocations(&mut self) {
        for moved in &self.config.moved {
            let ((from, from_span), (to, to_span)) = (&moved.from, &moved.to);
            if from.type_name != to.type_name {
                self.diags.push(
                    Diagnostic::error("Resource type mismatch")
                        .with_span(to_span.clone(), format!("a `{}`", to.type_name))
                        .with_detail(format!(
                            "`moved` cannot change an object's type: `{from}` is a `{}`.",
                            from.type_name
                        )),
                );
            }
            if self.config.resource(&to.block()).is_none() {
                self.diags
                    .push(self.undeclared_resource(&to.block(), to_span.clone()));
            }
            if from.block() != to.block() && self.config.resource(&from.block()).is_some() {
                self.diags.push(
                    Diagnostic::error("Moved object still exists")
                        .with_span(from_span.clone(), "still declared")
                        .with_detail(format!(
                            "This moves `{from}` to `{to}`, but `{}` is still declared in the \
                             configuration.",
                            from.block()
                        ))
                        .with_help("remove or rename the old resource block"),
                );
            }
        }
        for removed in &self.config.removed {
            let (from, span) = &removed.from;
            if self.config.resource(&from.block()).is_some() {
                self.diags.push(
                    Diagnostic::error("Removed resource still in configuration")
                        .with_span(span.clone(), "still declared")
                        .with_detail(format!(
                            "`{}` has a `resource` block and a `removed` block; keep one.",
                            from.block()
                        )),
                );
            }
        }
    }

    fn variables(&mut self) {
        for variable in &self.config.variables {
            let well_formed = self.diags.len();
            if let Some(default) = &variable.default {
                self.expr(default, Context::VariableDefault);
            }
            for rule in &variable.validations {
                let context = Context::VariableValidation(&variable.name);
                self.expr(&rule.condition, context);
                self.expr(&rule.error_message, context);
            }
            // Only evaluate the default and rules when their references are sound.
            if self.diags.len() == well_formed {
                self.diags.extend(crate::variables::check_declaration(
                    variable,
                    &self.config.dir,
                ));
            }
        }
    }

    fn locals_and_outputs(&mut self) {
        for local in self.config.locals.values() {
            self.expr(&local.expr, Context::Anywhere);
        }
        self.local_cycles();
        for output in &self.config.outputs {
            self.expr(&output.value, Context::Anywhere);
            for (address, span) in &output.depends_on {
                if self.config.resource(address).is_none() {
                    self.diags
                        .push(self.undeclared_resource(address, span.clone()));
                }
            }
        }
        let outputs = self
            .config
            .outputs
            .iter()
            .map(|o| (o.name.clone(), &o.span));
        self.report_duplicates("output", outputs);
    }

    /// Reports each cycle among `local` values once, at the reference that closes it.
    fn local_cycles(&mut self) {
        let mut reported: Vec<Vec<String>> = Vec::new();
        for start in self.config.locals.keys() {
            let mut chain = vec![start.clone()];
            let mut explored = BTreeSet::new();
            if let Some(span) = self.find_local_cycle(&mut chain, &mut explored) {
                let mut members = chain.clone();
                members.pop();
                members.sort();
                if !reported.contains(&members) {
                    reported.push(members);
                    self.diags.push(messages::local_cycle(&chain, span));
                }
            }
        }
    }

    /// Extends `chain` (local names, each referring to the next) until it returns to its
    /// first name; the span is that last reference. `explored` holds names already known
    /// not to lead back, so each name is searched once (no exponential blow-up).
    fn find_local_cycle(
        &self,
        chain: &mut Vec<String>,
        explored: &mut BTreeSet<String>,
    ) -> Option<Span> {
        let current = chain.last()?.clone();
        let local = self.config.locals.get(&current)?;
        for found in walk(&local.expr) {
            let Found::Local { name, span } = found else {
                continue;
            };
            if name == chain[0] {
                chain.push(name);
                return Some(span);
            }
            if chain.contains(&name)
                || explored.contains(&name)
                || !self.config.locals.contains_key(&name)
            {
                continue;
            }
            chain.push(name);
            if let Some(span) = self.find_local_cycle(chain, explored) {
                return Some(span);
            }
            if let Some(done) = chain.pop() {
                explored.insert(done);
            }
        }
        None
    }

    /// The schema of a resource type, reporting an unknown type at the type label.
    fn resource_schema(
        &mut self,
        address: &ResourceAddress,
        header: &Span,
    ) -> Option<&'a BlockSchema> {
        let schemas = self.schemas;
        let provider = schemas.get(address.provider_name());
        if let Some(schema) = provider.and_then(|p| p.block(address.mode, &address.type_name)) {
            return Some(schema);
        }
        let span = self.label_span(header, &address.type_name);
        let all_types = schemas
            .values()
            .flat_map(|p| match address.mode {
                Mode::Managed => p.resources.keys(),
                Mode::Data => p.data_sources.keys(),
            })
            .map(String::as_str);
        let kind = match address.mode {
            Mode::Managed => "resource type",
            Mode::Data => "data source",
        };
        let mut diag = Diagnostic::error(format!("Unknown {kind}"))
            .with_span(span, format!("no such {kind}"))
            .with_detail(match provider {
                Some(_) => format!(
                    "The provider `{}` does not have a {kind} named `{}`.",
                    address.provider_name(),
                    address.type_name
                ),
                None => format!(
                    "No provider named `{}` is available for the {kind} `{}` (a resource \
                     type begins with its provider's name); the available providers are {}.",
                    address.provider_name(),
                    address.type_name,
                    self.provider_list()
                ),
            });
        if let Some(s) = did_you_mean(&address.type_name, all_types) {
            diag = diag.with_help(format!("did you mean `{s}`?"));
        }
        self.diags.push(diag);
        None
    }

    /// Checks a body's attribute names against a schema.
    fn body(&mut self, body: &Body, schema: &BlockSchema, header: &Span, kind: &str) {
        for attr in body.attributes.values() {
            match schema.attributes.get(&attr.name).map(|a| a.presence) {
                None => {
                    let settable = schema
                        .attributes
                        .iter()
                        .filter(|(_, a)| a.presence != Presence::Computed)
                        .map(|(n, _)| n.as_str());
                    let mut diag = Diagnostic::error("Unsupported argument")
                        .with_span(attr.name_span.clone(), "not expected here")
                        .with_detail(format!(
                            "An argument named `{}` is not expected in this {kind}.",
                            attr.name
                        ));
                    if let Some(s) = did_you_mean(&attr.name, settable) {
                        diag = diag.with_help(format!("did you mean `{s}`?"));
                    }
                    self.diags.push(diag);
                }
                Some(Presence::Computed) => {
                    let diag = Diagnostic::error("Value for unconfigurable attribute")
                        .with_span(attr.name_span.clone(), "set by the provider")
                        .with_detail(format!(
                            "Can't configure a value for `{}`: its value is decided by the \
                             provider when the configuration is applied.",
                            attr.name
                        ))
                        .with_help("remove this argument");
                    self.diags.push(diag);
                }
                Some(_) => {}
            }
        }
        for (name, attr) in &schema.attributes {
            if attr.presence == Presence::Required && !body.sets(name) {
                let diag = Diagnostic::error("Missing required argument")
                    .with_span(header.clone(), format!("`{name}` is not set"))
                    .with_detail(format!(
                        "The argument `{name}` is required, but no definition was found."
                    ));
                self.diags.push(diag);
            }
        }
        super::validate_nested::check_body(body, schema, &mut self.diags);
    }

    /// [`Self::expr`] for every expression of a body, nested blocks included (where a
    /// `dynamic` block's iterator is a bound name).
    fn body_exprs(&mut self, body: &Body, context: Context) {
        let mut found = Vec::new();
        body.each_expr(&mut |expr, bound| found.extend(walk_bound(expr, bound)));
        for found in found {
            if let Some(diag) = self.check_found(found, context) {
                self.diags.push(diag);
            }
        }
    }

    /// Checks what an expression refers to and the functions it calls.
    fn expr(&mut self, expr: &Expr, context: Context) {
        for found in walk(expr) {
            if let Some(diag) = self.check_found(found, context) {
                self.diags.push(diag);
            }
        }
    }

    fn check_found(&self, found: Found, context: Context) -> Option<Diagnostic> {
        match found {
            Found::Variable { name, span } if matches!(context, Context::VariableValidation(own) if own != name) => {
                Some(
                    Diagnostic::error("Invalid reference in variable validation")
                        .with_span(span, "another variable")
                        .with_detail("The condition for a variable may only refer to the variable itself."),
                )
            }
            Found::Resource { span, .. } | Found::Local { span, .. }
                if matches!(context, Context::VariableValidation(_)) =>
            {
                Some(
                    Diagnostic::error("Invalid reference in variable validation")
                        .with_span(span, "not the variable")
                        .with_detail("The condition for a variable may only refer to the variable itself."),
                )
            }
            Found::Variable { span, .. } | Found::Resource { span, .. } | Found::Local { span, .. }
                if matches!(context, Context::VariableDefault) =>
            {
                Some(
                    Diagnostic::error("Variables not allowed")
                        .with_span(span, "not a constant")
                        .with_detail("A variable's default must be a constant: it may not refer to variables or resources."),
                )
            }
            Found::Variable { name, span } => self.config.variable(&name).is_none().then(|| {
                let declared = self.config.variables.iter().map(|v| v.name.as_str());
                messages::undeclared_variable(&name, span, declared)
            }),
            Found::Resource {
                address,
                span,
                attr,
            } => {
                let address = address.in_module(&self.config.module_path);
                self.check_resource_ref(&address, span, attr, context)
            }
            Found::Module { name, span, output } => self.check_module_ref(&name, span, output),
            Found::Local { name, span } => (!self.config.locals.contains_key(&name)).then(|| {
                messages::undeclared_local(&name, span, self.config.locals.keys().map(String::as_str))
            }),
            Found::Invalid { root, span } => Some(messages::invalid_reference(&root, span)),
            Found::Repeat { root, attr, span } => {
                let available = match context {
                    Context::Resource(block) | Context::Postcondition(block) => {
                        block.repetition.as_ref().map(repeat_kind)
                    }
                    Context::ModuleInput(call) => call.repetition.as_ref().map(repeat_kind),
                    _ => None,
                };
                crate::eval::repeat::check(root, &attr, span, available).err()
            }
            Found::SelfObject { span } => (!matches!(context, Context::Postcondition(_)))
                .then(|| messages::self_outside_postcondition(span)),
            Found::Function { name, span } => (!functions::exists(&name))
                .then(|| messages::unknown_function(&name, span, &functions::names())),
        }
    }

    fn check_resource_ref(
        &self,
        address: &ResourceAddress,
        span: Span,
        attr: Option<(String, Span)>,
        context: Context,
    ) -> Option<Diagnostic> {
        if matches!(context, Context::Resource(own) | Context::Repetition(own) | Context::Postcondition(own) if &own.address == address)
        {
            return Some(self_reference(address, span));
        }
        let scoped = match context {
            Context::Check(check) => check.data.iter().find(|d| &d.address == address),
            _ => None,
        };
        let Some(target) = self.config.resource(address).or(scoped) else {
            return Some(
                check_data::outside_reference(self.config, self.sources, address, span.clone())
                    .unwrap_or_else(|| self.undeclared_resource(address, span)),
            );
        };
        let (name, attr_span) = attr?;
        if let Some(repetition) = &target.repetition {
            return Some(missing_instance_key(
                address,
                repetition,
                &name,
                span.to(&attr_span),
            ));
        }
        let schema = self
            .schemas
            .get(address.provider_name())
            .and_then(|p| p.block(address.mode, &address.type_name))?;
        match schema.attributes.get(&name) {
            None => Some(messages::unsupported_attribute(
                &name,
                attr_span,
                schema.attributes.keys().map(String::as_str),
            )),
            Some(attribute) => attribute
                .sealed
                .map(|read_live| messages::sealed_attribute(address, &name, attr_span, read_live)),
        }
    }

    /// `module.NAME` or `module.NAME.OUTPUT`: a declared call, and an output its module declares.
    fn check_module_ref(
        &self,
        name: &str,
        span: Span,
        output: Option<(String, Span)>,
    ) -> Option<Diagnostic> {
        let Some(call) = self.config.module_call(name) else {
            let declared = self.config.modules.iter().map(|m| m.name.as_str());
            return Some(messages::undeclared_module(name, span, declared));
        };
        let (output, output_span) = output?;
        if call.config.outputs.iter().any(|o| o.name == output) {
            return None;
        }
        let declared: Vec<&str> = call
            .config
            .outputs
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        let diag = Diagnostic::error("Unsupported attribute")
            .with_span(output_span, "no such output")
            .with_detail(format!(
                "The module `{name}` (source `{}`) declares no output `{output}`.",
                call.source
            ));
        Some(match did_you_mean(&output, declared.iter().copied()) {
            Some(s) => diag.with_help(format!("did you mean `module.{name}.{s}`?")),
            None if declared.is_empty() => diag.with_help("the module declares no outputs"),
            None => diag.with_help(format!(
                "the module's outputs are {}",
                declared
                    .iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        })
    }

    /// Each module call: its arguments against the child's variables, what the
    /// arguments refer to, then the child module itself.
    fn module_calls(&mut self) {
        for call in &self.config.modules {
            for attr in call.inputs.attributes.values() {
                self.expr(&attr.expr, Context::ModuleInput(call));
                if call.config.variable(&attr.name).is_none() {
                    let declared = call.config.variables.iter().map(|v| v.name.as_str());
                    let diag = Diagnostic::error("Unsupported argument")
                        .with_span(attr.name_span.clone(), "not a variable of the module")
                        .with_detail(format!(
                            "The module `{}` (source `{}`) declares no variable `{}`.",
                            call.name, call.source, attr.name
                        ));
                    let diag = match did_you_mean(&attr.name, declared) {
                        Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                        None => diag,
                    };
                    self.diags.push(diag);
                }
            }
            for variable in &call.config.variables {
                if variable.default.is_none()
                    && !call.inputs.attributes.contains_key(&variable.name)
                {
                    self.diags.push(
                        Diagnostic::error("Missing required argument")
                            .with_span(call.span.clone(), format!("`{}` is not set", variable.name))
                            .with_detail(format!(
                                "The module `{}` has a variable `{}` without a default, so the \
                                 call must set it.",
                                call.name, variable.name
                            ))
                            .with_help(format!(
                                "add `{} = ...` to the module block",
                                variable.name
                            )),
                    );
                }
            }
            if let Some(repetition) = &call.repetition {
                self.expr(&repetition.attr().expr, Context::Anywhere);
            }
            for (address, span) in &call.depends_on {
                if self.config.resource(address).is_none() {
                    self.diags
                        .push(self.undeclared_resource(address, span.clone()));
                }
            }
            let child = validate_module(&call.config, self.sources, self.schemas);
            self.diags.extend(child);
        }
    }

    fn undeclared_resource(&self, address: &ResourceAddress, span: Span) -> Diagnostic {
        let declared = self.config.resources.iter().map(|r| &r.address);
        messages::undeclared_resource(address, span, declared)
    }

    /// The span of `label` within a block header, or the whole header if it is not found.
    fn label_span(&self, header: &Span, label: &str) -> Span {
        let text = self.sources.text(header.file);
        text.get(header.range.clone())
            .and_then(|h| h.find(label))
            .map_or(header.clone(), |at| {
                let start = header.range.start + at;
                Span::new(header.file, start..start + label.len())
            })
    }

    fn provider_list(&self) -> String {
        let names: Vec<String> = self.schemas.keys().map(|k| format!("`{k}`")).collect();
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    }
}

fn self_reference(address: &ResourceAddress, span: Span) -> Diagnostic {
    Diagnostic::error("Self-referential block")
        .with_span(span, "refers to its own resource")
        .with_detail(format!(
            "Configuration for `{address}` may not refer to itself."
        ))
}

#[path = "check_data.rs"]
mod check_data;

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;

/// The kind of `count.*`/`each.*` a block's repetition offers.
fn repeat_kind(repetition: &Repetition) -> RepeatKind {
    match repetition {
        Repetition::Count(_) => RepeatKind::Count,
        Repetition::ForEach(_) => RepeatKind::ForEach,
    }
}

/// `type.name.attr` where `type.name` has `count` or `for_each`: which instance?
fn missing_instance_key(
    address: &ResourceAddress,
    repetition: &Repetition,
    attr: &str,
    span: Span,
) -> Diagnostic {
    let (argument, example) = match repetition {
        Repetition::Count(_) => (
            "count",
            format!("{address}[count.index].{attr}` or `{address}[0].{attr}"),
        ),
        Repetition::ForEach(_) => (
            "for_each",
            format!("{address}[each.key].{attr}` or `{address}[\"key\"].{attr}"),
        ),
    };
    Diagnostic::error("Missing resource instance key")
        .with_span(span, "which instance?")
        .with_detail(format!(
            "`{address}` has `{argument}` set, so its attributes must be read from one instance."
        ))
        .with_help(format!(
            "write `{example}`; `{address}[*].{attr}` gives the values of all instances"
        ))
}
