//! Drawing plans (and `validate` results) for people and programs. The plan is data; each renderer
//! writes it to any `Write` so it can be snapshot-tested.

mod diff;
#[cfg(test)]
pub(crate) mod fixture;
pub mod human;
pub mod json;
mod lines;
pub mod markdown;
mod strings;
pub mod validate_json;

use std::collections::BTreeMap;

use crate::provider::BlockSchema;
use crate::providers::Providers;

/// How to draw: with terminal colours or without.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    /// `text` in bold when colour is on.
    pub fn paint_bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Wraps `text` in the ANSI colour `code` when colour is on.
    pub(crate) fn paint(self, code: &str, text: &str) -> String {
        if self.color && !code.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Where renderers find a resource type's schema: attribute types tell sets (diffed
/// without regard to order) from lists, and maps from objects.
pub trait Schemas {
    /// The schema of the resource type `type_name`, if known.
    fn resource_schema(&self, type_name: &str) -> Option<&BlockSchema>;
}

impl Schemas for Providers {
    fn resource_schema(&self, type_name: &str) -> Option<&BlockSchema> {
        Providers::resource_schema(self, type_name)
    }
}

impl Schemas for BTreeMap<String, BlockSchema> {
    fn resource_schema(&self, type_name: &str) -> Option<&BlockSchema> {
        self.get(type_name)
    }
}

/// No schemas: lists are diffed in order and maps as objects.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoSchemas;

impl Schemas for NoSchemas {
    fn resource_schema(&self, _type_name: &str) -> Option<&BlockSchema> {
        None
    }
}

/// What renderers need besides the plan.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The resource schemas (see [`Schemas`]).
    pub schemas: &'a dyn Schemas,
    /// The changes to the configuration's output values (see [`crate::plan::outputs`]).
    pub outputs: &'a [crate::plan::outputs::OutputChange],
    /// The input variables' values (for the JSON plan's `variables`).
    pub variables: &'a BTreeMap<String, crate::Value>,
    /// The configuration (for the JSON plan's `configuration`), when at hand.
    pub config: Option<&'a crate::config::Config>,
    /// The changes a reviewer must not miss (see [`crate::plan::risk::assess`]).
    pub risks: &'a [crate::plan::risk::Risk],
}

/// No variables, for [`Context::default`].
static NO_VARIABLES: BTreeMap<String, crate::Value> = BTreeMap::new();

impl Default for Context<'_> {
    fn default() -> Self {
        Self {
            schemas: &NoSchemas,
            outputs: &[],
            variables: &NO_VARIABLES,
            config: None,
            risks: &[],
        }
    }
}
