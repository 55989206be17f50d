//! `count` and `for_each` on resource blocks: which instances a block has, and
//! the value the block has for those that refer to it (a list of instances for
//! `count`, a map by key for `for_each`), per module instance. The rules
//! themselves are shared with module calls in `eval::instances`.

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use crate::address::{InstanceKey, ResourceAddress};
use crate::config::ResourceBlock;
use crate::diagnostics::Diagnostic;
use crate::eval::{Repeat, Scope, Value};

pub use crate::eval::instances::Instance;

/// The instances `block` declares, evaluated in `scope`.
pub fn instances(block: &ResourceBlock, scope: &Scope<'_>) -> Result<Vec<Instance>, Diagnostic> {
    crate::eval::instances::of(block.repetition.as_ref(), scope)
}

/// The value other expressions see for `block`, given each instance's value.
pub fn aggregate(block: &ResourceBlock, instances: Vec<(Option<InstanceKey>, Value)>) -> Value {
    crate::eval::instances::aggregate(block.repetition.as_ref(), instances)
}

/// The values of `block` as recorded in `state`, one per module instance that
/// has objects of it (instances not there are unknown), each object passed
/// through `read`. A block of the root module always has its one entry.
pub fn stored(
    block: &ResourceBlock,
    state: &state::State,
    read: impl Fn(Value) -> Value,
) -> Vec<(ResourceAddress, Value)> {
    let a = &block.address;
    if !a.in_child_module() {
        let instances = state
            .instances(&[], &a.type_name, &a.name)
            .map(|r| (r.index_key.clone(), read(Value::from_json(&r.attributes))));
        return vec![(a.clone(), gather(block, instances))];
    }
    let found = state
        .resources
        .iter()
        .map(|r| (ResourceAddress::of_state(r), r))
        .filter(|(address, _)| a.contains(address))
        .map(|(address, r)| (address, read(Value::from_json(&r.attributes))));
    by_module_instance(block, found)
}

/// The values of the data source `block` from the instances read so far, one
/// per module instance (a block of the root module always has its entry).
pub fn read_so_far(
    block: &ResourceBlock,
    data: &BTreeMap<ResourceAddress, Value>,
) -> Vec<(ResourceAddress, Value)> {
    let a = &block.address;
    if !a.in_child_module() {
        let instances = data
            .range(a.clone()..)
            .take_while(|(address, _)| a.contains(address))
            .map(|(address, value)| (address.key.clone(), value.clone()));
        return vec![(a.clone(), gather(block, instances))];
    }
    let found = data
        .iter()
        .filter(|(address, _)| a.contains(address))
        .map(|(address, value)| (address.clone(), value.clone()));
    by_module_instance(block, found)
}

/// Groups instance values by the module instance they belong to.
fn by_module_instance(
    block: &ResourceBlock,
    found: impl Iterator<Item = (ResourceAddress, Value)>,
) -> Vec<(ResourceAddress, Value)> {
    let mut groups: BTreeMap<ResourceAddress, Vec<(Option<InstanceKey>, Value)>> = BTreeMap::new();
    for (address, value) in found {
        let key = address.key.clone();
        groups
            .entry(address.without_key())
            .or_default()
            .push((key, value));
    }
    groups
        .into_iter()
        .map(|(address, instances)| (address, gather(block, instances.into_iter())))
        .collect()
}

/// The block's value from the instances that exist: a list for `count` (a
/// missing index unknown), a map for `for_each`, the object itself otherwise.
pub(crate) fn gather(
    block: &ResourceBlock,
    instances: impl Iterator<Item = (Option<InstanceKey>, Value)>,
) -> Value {
    crate::eval::instances::gather(block.repetition.as_ref(), instances)
}

/// The `each.value` of `key` in a `for_each` value, evaluated again (at apply
/// time values that were unknown when planning are known).
pub fn each_value(
    block: &ResourceBlock,
    key: &str,
    scope: &Scope<'_>,
) -> Result<Repeat, Diagnostic> {
    let repetition = block.repetition.as_ref();
    crate::eval::instances::each_value(repetition, key, scope, &block.address)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;

    fn block_with(argument: &str) -> ResourceBlock {
        let text = format!("resource \"t_x\" \"a\" {{\n  {argument}\n}}\n");
        let config = load_str("main.tf", &text).unwrap();
        config.resources[0].clone()
    }

    fn expand(argument: &str) -> Result<Vec<Instance>, Diagnostic> {
        let variables = BTreeMap::new();
        let resources = BTreeMap::new();
        instances(&block_with(argument), &Scope::new(&variables, &resources))
    }

    fn keys(instances: &[Instance]) -> Vec<String> {
        instances
            .iter()
            .map(|(k, _)| k.as_ref().map_or("-".into(), ToString::to_string))
            .collect()
    }

    #[test]
    fn count_gives_indexes() {
        let found = expand("count = 3").unwrap();
        assert_eq!(keys(&found), ["[0]", "[1]", "[2]"]);
        assert_eq!(found[2].1, Some(Repeat::Count(2)));
        assert!(expand("count = 0").unwrap().is_empty());
    }

    #[test]
    fn for_each_gives_keys_and_values() {
        let found = expand(r#"for_each = { b = 2, a = 1 }"#).unwrap();
        assert_eq!(keys(&found), [r#"["a"]"#, r#"["b"]"#]);
        let found = expand(r#"for_each = toset(["x", "y", "x"])"#).unwrap();
        assert_eq!(keys(&found), [r#"["x"]"#, r#"["y"]"#]);
        let Some(Repeat::Each { value, .. }) = &found[0].1 else {
            panic!("{found:?}")
        };
        assert_eq!(value, &Value::String("x".into()));
    }

    #[test]
    fn bad_repetition_values_are_errors_that_say_why() {
        for (argument, says) in [
            ("count = -1", "zero or more"),
            ("count = 1.5", "whole number"),
            ("count = \"x\"", "not a string"),
            ("count = null", "not null"),
            ("count = sensitive(2)", "sensitive"),
            ("for_each = 3", "map or a set"),
            (r#"for_each = ["a", "a"]"#, "more than once"),
            ("for_each = [1]", "needs strings"),
            ("for_each = sensitive({ a = 1 })", "sensitive"),
        ] {
            let error = expand(argument).unwrap_err();
            let text = format!(
                "{} {}",
                error.summary,
                error.detail.clone().unwrap_or_default()
            );
            assert!(text.contains(says), "{argument}: {text}");
        }
    }

    #[test]
    fn aggregate_is_a_list_for_count_and_a_map_for_for_each() {
        let counted = block_with("count = 2");
        let values = vec![
            (Some(InstanceKey::Int(0)), Value::Number(0.0)),
            (Some(InstanceKey::Int(1)), Value::Number(1.0)),
        ];
        assert_eq!(
            aggregate(&counted, values),
            Value::List(vec![Value::Number(0.0), Value::Number(1.0)])
        );
        let keyed = block_with("for_each = {}");
        let values = vec![(Some(InstanceKey::Str("k".into())), Value::Bool(true))];
        assert_eq!(aggregate(&keyed, values).get("k"), Some(&Value::Bool(true)));
    }
}
