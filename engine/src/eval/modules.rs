//! What expressions see of modules: `module.NAME` (the outputs of a child
//! module's instances) and, inside a child module, `var.NAME` (the argument its
//! call gives, evaluated in the caller's scope) and `TYPE.NAME` (the resources of
//! the same module instance).
//!
//! Module values are computed where they are used, as `local.NAME` is: a module
//! has no value of its own to plan, and the dependency graph already orders the
//! resources behind them.

use std::collections::BTreeMap;

use super::expr::{EvalResult, Evaluator};
use super::{instances, messages};
use crate::address::{ModuleStep, ResourceAddress};
use crate::config::{Config, ModuleCall};
use crate::diagnostics::{Diagnostic, Span};
use crate::eval::{Scope, Value, evaluate};

impl Evaluator<'_> {
    /// `var.NAME` inside a child module instance.
    pub(super) fn module_variable(&self, name: &str, span: Span) -> EvalResult {
        let (root, call, parent) = self.own_call(&span)?;
        let Some(variable) = call.config.variable(name) else {
            let declared = call.config.variables.iter().map(|v| v.name.as_str());
            return Err(messages::undeclared_variable(name, span, declared));
        };
        let given = match call.inputs.attributes.get(name) {
            Some(attr) => {
                let step = self.scope.module.last().map(|s| s.index_key.as_ref());
                let scope = Scope {
                    self_object: None,
                    repeat: None,
                    ..*self.scope
                }
                .in_module(root, parent);
                let what = call_address(parent, &call.name);
                let repeat =
                    instances::repeat_of(call.repetition.as_ref(), step.flatten(), &scope, &what)?;
                let scope = scope.with_repeat(repeat.as_ref());
                Some((evaluate(&attr.expr, &scope)?, attr.expr.span()))
            }
            None => None,
        };
        crate::variables::module_input(variable, given, &call.config.dir).map_err(|d| {
            d.into_iter()
                .next()
                .unwrap_or_else(|| Diagnostic::error("Invalid module argument"))
        })
    }

    /// `TYPE.NAME` inside a child module instance: the value planned or stored
    /// for this module instance, unknown when it has none yet.
    pub(super) fn module_resource(&self, address: ResourceAddress, span: Span) -> EvalResult {
        let here = address.in_module(self.scope.module);
        if let Some(value) = self.scope.resources.get(&here) {
            return Ok(value.clone());
        }
        let config = self
            .scope
            .root
            .and_then(|root| root.module_config(self.scope.module));
        let declared: Vec<&ResourceAddress> = config
            .map(|c| c.resources.iter().map(|r| &r.address).collect())
            .unwrap_or_default();
        if declared.iter().any(|d| **d == here.block()) {
            return Ok(Value::Unknown);
        }
        Err(messages::undeclared_resource(&here, span, declared))
    }

    /// `module.NAME`: an object of the outputs of the called module, a list of
    /// them for `count`, a map for `for_each`.
    pub(super) fn module_value(&self, name: &str, span: Span) -> EvalResult {
        let root = self.scope.root.ok_or_else(|| no_modules(&span))?;
        let here = root
            .module_config(self.scope.module)
            .ok_or_else(|| no_modules(&span))?;
        let Some(call) = here.module_call(name) else {
            let declared = here.modules.iter().map(|m| m.name.as_str());
            return Err(messages::undeclared_module(name, span, declared));
        };
        let mut values = Vec::new();
        for (key, _) in instances::of(call.repetition.as_ref(), self.scope)? {
            let mut path = self.scope.module.to_vec();
            path.push(ModuleStep {
                name: name.to_string(),
                index_key: key.clone(),
            });
            values.push((key, self.outputs_of(root, call, &path)?));
        }
        Ok(instances::aggregate(call.repetition.as_ref(), values))
    }

    /// The outputs of one instance of `call`, at `path`.
    fn outputs_of(&self, root: &Config, call: &ModuleCall, path: &[ModuleStep]) -> EvalResult {
        let scope = Scope {
            self_object: None,
            repeat: None,
            ..*self.scope
        }
        .in_module(root, path);
        let mut outputs = BTreeMap::new();
        for output in &call.config.outputs {
            let value = evaluate(&output.value, &scope)?;
            outputs.insert(output.name.clone(), value.mark_if(output.sensitive));
        }
        Ok(Value::Object(outputs))
    }

    /// The root configuration, the call of the module instance being evaluated,
    /// and the path of the module that calls it.
    fn own_call(&self, span: &Span) -> Result<(&Config, &ModuleCall, &[ModuleStep]), Diagnostic> {
        let root = self.scope.root.ok_or_else(|| no_modules(span))?;
        let (step, parent) = self
            .scope
            .module
            .split_last()
            .ok_or_else(|| no_modules(span))?;
        let call = root
            .module_config(parent)
            .and_then(|c| c.module_call(&step.name))
            .ok_or_else(|| no_modules(span))?;
        Ok((root, call, parent))
    }
}

/// `module.NAME` written in the module at `parent`, for messages.
fn call_address(parent: &[ModuleStep], name: &str) -> String {
    let call = ModuleStep {
        name: name.to_string(),
        index_key: None,
    };
    crate::address::module_path(&[parent, &[call]].concat())
}

/// A module reference evaluated without the configuration that declares it.
fn no_modules(span: &Span) -> Diagnostic {
    Diagnostic::error("Module not available here")
        .with_span(span.clone(), "no module configuration")
        .with_detail("Module values can only be used where the whole configuration is loaded.")
}

/// Every instance of the module at `module` (a path without keys): the paths
/// with keys, each call's `count` or `for_each` evaluated in the instance of the
/// module that calls it. The root module has one instance, the empty path.
pub fn module_instances(
    root: &Config,
    module: &[ModuleStep],
    scope: &Scope<'_>,
) -> Result<Vec<Vec<ModuleStep>>, Diagnostic> {
    let mut found: Vec<Vec<ModuleStep>> = vec![Vec::new()];
    for step in module {
        let mut next = Vec::new();
        for parent in &found {
            let Some(call) = root
                .module_config(parent)
                .and_then(|c| c.module_call(&step.name))
            else {
                continue;
            };
            let scope = Scope {
                self_object: None,
                repeat: None,
                ..*scope
            }
            .in_module(root, parent);
            for (key, _) in instances::of(call.repetition.as_ref(), &scope)? {
                let mut path = parent.clone();
                path.push(ModuleStep {
                    name: step.name.clone(),
                    index_key: key,
                });
                next.push(path);
            }
        }
        found = next;
    }
    Ok(found)
}
