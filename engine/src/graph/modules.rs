//! Following references across modules for the dependency graph.
//!
//! A reference inside a child module may lead out of it (`var.NAME` is what the
//! call passes in, written in the calling module) and a reference to
//! `module.NAME.OUTPUT` leads into one (the output's expression). Both are
//! followed until they reach resources, so the graph has edges between resources
//! only, and a resource waits for exactly what its value depends on.

use std::collections::BTreeSet;

use crate::ResourceAddress;
use crate::address::ModuleStep;
use crate::config::{Config, Expr};
use crate::diagnostics::Span;
use crate::eval::{Reference, references_bound};

/// An expression still to follow.
struct Pending<'a> {
    expr: &'a Expr,
    /// The `dynamic` iterator names bound around it (not references).
    bound: Vec<String>,
    /// The module it is written in.
    module: Vec<ModuleStep>,
    /// The span that led to it from the first expressions, for an indirect one.
    via: Option<Span>,
}

/// A worklist of expressions, each with the module it is written in and the
/// span that led to it from the first expressions (for indirect references).
pub(super) struct ReferenceWalk<'a> {
    root: &'a Config,
    pending: Vec<Pending<'a>>,
    /// Locals, variables and outputs already followed, by module path and name.
    seen: BTreeSet<(Vec<ModuleStep>, &'static str, String)>,
    found: Vec<(ResourceAddress, Span)>,
}

impl<'a> ReferenceWalk<'a> {
    pub(super) fn new(root: &'a Config) -> Self {
        Self {
            root,
            pending: Vec::new(),
            seen: BTreeSet::new(),
            found: Vec::new(),
        }
    }

    /// Adds an expression written in the module at `module`.
    pub(super) fn push(&mut self, expr: &'a Expr, module: Vec<ModuleStep>, via: Option<Span>) {
        self.push_bound(expr, Vec::new(), module, via);
    }

    /// Adds an expression with names bound around it (`dynamic` iterators).
    pub(super) fn push_bound(
        &mut self,
        expr: &'a Expr,
        bound: Vec<String>,
        module: Vec<ModuleStep>,
        via: Option<Span>,
    ) {
        self.pending.push(Pending {
            expr,
            bound,
            module,
            via,
        });
    }

    /// Follows every pending expression; returns the resources reached.
    pub(super) fn run(mut self) -> Vec<(ResourceAddress, Span)> {
        while let Some(Pending {
            expr,
            bound,
            module,
            via,
        }) = self.pending.pop()
        {
            for reference in references_bound(expr, &bound) {
                self.follow(reference, &module, via.clone());
            }
        }
        self.found
    }

    fn follow(&mut self, reference: Reference, module: &[ModuleStep], via: Option<Span>) {
        let root = self.root;
        let Some(config) = root.module_config(module) else {
            return;
        };
        match reference {
            Reference::Resource { address, span } => {
                self.found
                    .push((address.in_module(module), via.unwrap_or(span)));
            }
            Reference::Local { name, span } => {
                if let Some(local) = config.locals.get(&name)
                    && self.first_time(module, "local", &name)
                {
                    self.push(&local.expr, module.to_vec(), Some(via.unwrap_or(span)));
                }
            }
            Reference::Variable { name, span } => {
                let Some((step, parent)) = module.split_last() else {
                    return;
                };
                let call = root
                    .module_config(parent)
                    .and_then(|c| c.module_call(&step.name));
                if let Some(attr) = call.and_then(|c| c.inputs.attributes.get(&name))
                    && self.first_time(module, "var", &name)
                {
                    self.push(&attr.expr, parent.to_vec(), Some(via.unwrap_or(span)));
                }
            }
            Reference::Module { name, output, span } => {
                let Some(call) = config.module_call(&name) else {
                    return;
                };
                let via = Some(via.unwrap_or(span.clone()));
                // Which instances exist depends on the call's count or for_each.
                if let Some(repetition) = &call.repetition
                    && self.first_time(module, "repetition", &name)
                {
                    self.push(&repetition.attr().expr, module.to_vec(), via.clone());
                }
                for (address, _) in &call.depends_on {
                    self.found.push((address.clone(), span.clone()));
                }
                let mut child = module.to_vec();
                child.push(ModuleStep {
                    name: name.clone(),
                    index_key: None,
                });
                for out in &call.config.outputs {
                    if output.as_ref().is_none_or(|o| *o == out.name)
                        && self.first_time(&child, "output", &out.name)
                    {
                        self.push(&out.value, child.clone(), via.clone());
                        for (address, _) in &out.depends_on {
                            self.found.push((address.clone(), span.clone()));
                        }
                    }
                }
            }
        }
    }

    fn first_time(&mut self, module: &[ModuleStep], kind: &'static str, name: &str) -> bool {
        self.seen.insert((module.to_vec(), kind, name.to_string()))
    }
}

/// What every resource of the module at `module` waits for because of the
/// calls that lead to it: each call's `depends_on`, and what its `count` or
/// `for_each` refers to.
pub(super) fn call_dependencies(
    root: &Config,
    module: &[ModuleStep],
) -> Vec<(ResourceAddress, Span)> {
    let mut found = Vec::new();
    for depth in 0..module.len() {
        let (parent, step) = (&module[..depth], &module[depth]);
        let Some(call) = root
            .module_config(parent)
            .and_then(|c| c.module_call(&step.name))
        else {
            continue;
        };
        found.extend(call.depends_on.iter().cloned());
        if let Some(repetition) = &call.repetition {
            let mut walk = ReferenceWalk::new(root);
            walk.push(&repetition.attr().expr, parent.to_vec(), None);
            found.extend(walk.run());
        }
    }
    found
}
