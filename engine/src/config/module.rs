//! `module` blocks: calls of child modules from local directories.
//!
//! The loader reads a call's meta-arguments (`source`, `count`, `for_each`,
//! `depends_on`, `providers`) and keeps every other argument as an input for the
//! child's variables. After a directory is loaded, [`load_children`] loads each
//! called directory the same way (its files join the root's source map, so every
//! diagnostic can point into them) and places the child's blocks at their module
//! path (`module.NAME.TYPE.NAME`). Only local sources (`./`, `../`) are read:
//! pingform downloads nothing.

use std::path::{Path, PathBuf};

use hcl_edit::structure::Block;

use super::blocks::FileLoader;
use super::model::{Body, Config, ModuleCall, Owner};
use crate::address::ModuleStep;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap, Span};

impl FileLoader<'_> {
    /// `module "name" { source = "./dir" ... }`.
    pub(super) fn module_call(&mut self, block: &Block) {
        let Some(labels) = self.labels(block, &["name"]) else {
            return;
        };
        let mut call = ModuleCall {
            name: labels[0].clone(),
            source: String::new(),
            inputs: Body::default(),
            repetition: None,
            depends_on: Vec::new(),
            providers: None,
            span: self.header_span(block),
            config: Config::default(),
        };
        let mut source_given = false;
        for attr in block.body.attributes() {
            match attr.key.as_str() {
                "source" => {
                    source_given = true;
                    if let Some(source) = self.module_source(&attr.value) {
                        call.source = source;
                    }
                }
                "version" => {
                    let diag = Diagnostic::error("Unsupported argument `version`")
                        .with_span(self.span(&attr.key), "only for registry modules")
                        .with_detail(
                            "`version` selects a release of a registry module; pingform reads \
                             modules from local directories only.",
                        )
                        .with_help("remove `version` and point `source` at the module's directory");
                    self.diags.push(diag);
                }
                "count" | "for_each" => self.repetition(&mut call.repetition, attr),
                "depends_on" => call.depends_on = self.depends_on(&attr.value),
                "providers" => call.providers = Some(self.attr(attr)),
                _ => self.add_attr(&mut call.inputs, attr),
            }
        }
        for nested in block.body.blocks() {
            self.unexpected_block(nested, "a `module` block");
        }
        if !source_given {
            let diag = Diagnostic::error("Missing required argument `source`")
                .with_span(call.span.clone(), "no `source`")
                .with_detail("A `module` block needs `source`, the directory of the module.")
                .with_help("add `source = \"./modules/NAME\"`");
            self.diags.push(diag);
            return;
        }
        if self.config.module_call(&call.name).is_some() {
            let diag = Diagnostic::error("Duplicate module call")
                .with_span(call.span.clone(), "declared again here")
                .with_detail(format!(
                    "A module call `{}` is already declared; names must be unique.",
                    call.name
                ));
            self.diags.push(diag);
            return;
        }
        if !call.source.is_empty() {
            self.record_module_refs(Owner::Module(self.config.modules.len()));
            self.config.modules.push(call);
        } else {
            self.module_refs.clear();
        }
    }

    /// A literal local path: `./x` or `../x`.
    fn module_source(&mut self, expr: &hcl_edit::expr::Expression) -> Option<String> {
        let source = self.literal_string(expr)?;
        if source.starts_with("./") || source.starts_with("../") {
            return Some(source);
        }
        let diag = Diagnostic::error("Unsupported module source")
            .with_span(self.span(expr), "not a local directory")
            .with_detail(format!(
                "`{source}` is not a local path. pingform reads modules from local directories \
                 (a source starting with `./` or `../`); it does not download registry, git or \
                 HTTP modules."
            ))
            .with_help(
                "download or vendor the module into your repository and write \
                 `source = \"./modules/NAME\"`",
            );
        self.diags.push(diag);
        None
    }
}

/// Loads the configuration of every module `config` calls, recursively.
/// `stack` holds the directories being loaded, to refuse a module that calls itself.
pub(super) fn load_children(
    config: &mut Config,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
    stack: &mut Vec<PathBuf>,
) {
    let parent_dir = config.dir.clone();
    let parent_path = config.module_path.clone();
    for call in &mut config.modules {
        let dir = parent_dir.join(&call.source);
        let canonical = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        if stack.contains(&canonical) {
            diags.push(
                Diagnostic::error("Module calls itself")
                    .with_span(call.span.clone(), "this call loops")
                    .with_detail(format!(
                        "`{}` leads back to a module that is already being loaded, so the \
                         modules would nest forever.",
                        dir.display()
                    )),
            );
            continue;
        }
        let mut path = parent_path.clone();
        path.push(ModuleStep {
            name: call.name.clone(),
            index_key: None,
        });
        let Some(mut child) = load_child(&dir, &call.span, path, sources, diags) else {
            continue;
        };
        stack.push(canonical);
        load_children(&mut child, sources, diags, stack);
        stack.pop();
        call.config = child;
        super::module_providers::apply(call, sources, diags);
    }
}

/// Loads one module directory into its own configuration, placed at `path`.
fn load_child(
    dir: &Path,
    call: &Span,
    path: Vec<ModuleStep>,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let files = match super::load::read_config_files(dir) {
        Ok(files) if !files.is_empty() => files,
        Ok(_) => {
            diags.push(missing_module(dir, call, "has no `.tf` files"));
            return None;
        }
        Err(_) => {
            diags.push(missing_module(dir, call, "cannot be read"));
            return None;
        }
    };
    let mut child = Config {
        dir: dir.to_path_buf(),
        sources: std::mem::take(sources),
        ..Config::default()
    };
    super::load::parse_into(&mut child, files, diags);
    *sources = std::mem::take(&mut child.sources);
    check_child(&child, diags);
    place(&mut child, &path);
    child.module_path = path;
    Some(child)
}

fn missing_module(dir: &Path, call: &Span, problem: &str) -> Diagnostic {
    Diagnostic::error("Module not found")
        .with_span(call.clone(), "this module's `source`")
        .with_detail(format!(
            "The module directory `{}` {problem}.",
            dir.display()
        ))
        .with_help("`source` is relative to the directory of the file that calls the module")
}

/// Blocks that belong in the root module only.
fn check_child(child: &Config, diags: &mut Diagnostics) {
    for provider in &child.providers {
        diags.push(
            Diagnostic::error("Provider configuration in a module")
                .with_span(
                    provider.span.clone(),
                    "configure providers in the root module",
                )
                .with_detail(
                    "A child module uses the providers of the module that calls it; it cannot \
                     configure its own.",
                )
                .with_help("move this `provider` block to the root module"),
        );
    }
    for import in &child.imports {
        diags.push(
            Diagnostic::error("Import block in a module")
                .with_span(import.span.clone(), "only in the root module")
                .with_detail("`import` blocks are only allowed in the root module.")
                .with_help("write the `import` block in the root module, with `to = module.NAME.TYPE.NAME`"),
        );
    }
    if let Some(backend) = &child.backend {
        diags.push(
            Diagnostic::warning("Backend configuration in a module is ignored")
                .with_span(backend.span.clone(), "ignored")
                .with_detail("Only the root module's `backend` decides where state is kept."),
        );
    }
}

/// Gives every address declared in `config` the module path `path`.
fn place(config: &mut Config, path: &[ModuleStep]) {
    let at = |address: &mut crate::ResourceAddress| {
        *address = address.clone().in_module(path);
    };
    for resource in &mut config.resources {
        at(&mut resource.address);
        resource.depends_on.iter_mut().for_each(|(a, _)| at(a));
    }
    for output in &mut config.outputs {
        output.depends_on.iter_mut().for_each(|(a, _)| at(a));
    }
    for call in &mut config.modules {
        call.depends_on.iter_mut().for_each(|(a, _)| at(a));
    }
    for moved in &mut config.moved {
        at(&mut moved.from.0);
        at(&mut moved.to.0);
    }
    for removed in &mut config.removed {
        at(&mut removed.from.0);
    }
}

/// Turns each `depends_on = [module.NAME]` of `config` and of the modules below
/// it into dependencies on every resource of that module.
pub(super) fn resolve_dependencies(config: &mut Config, diags: &mut Diagnostics) {
    for dependency in std::mem::take(&mut config.module_dependencies) {
        let Some(call) = config.module_call(&dependency.module) else {
            let declared = config.modules.iter().map(|m| m.name.as_str());
            let span = dependency.span.clone();
            diags.push(crate::eval::messages::undeclared_module(
                &dependency.module,
                span,
                declared,
            ));
            continue;
        };
        let on: Vec<_> = call
            .config
            .all_resources()
            .into_iter()
            .filter(|r| !r.address.is_data())
            .map(|r| (r.address.clone(), dependency.span.clone()))
            .collect();
        let list = match dependency.owner {
            Owner::Resource(i) => config.resources.get_mut(i).map(|r| &mut r.depends_on),
            Owner::Output(i) => config.outputs.get_mut(i).map(|o| &mut o.depends_on),
            Owner::Module(i) => config.modules.get_mut(i).map(|m| &mut m.depends_on),
        };
        if let Some(list) = list {
            list.extend(on);
        }
    }
    for call in &mut config.modules {
        resolve_dependencies(&mut call.config, diags);
    }
}
