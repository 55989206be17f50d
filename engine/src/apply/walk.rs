//! The order of a parallel walk: a node becomes ready when every node it waits
//! for has finished; among ready nodes the lowest address goes first, so runs
//! with parallelism 1 are deterministic.

use std::collections::{BTreeMap, BTreeSet};

use crate::ResourceAddress;

/// Which nodes are ready, given which have finished.
#[derive(Debug, Default)]
pub(super) struct Walk {
    /// How many unfinished nodes each node still waits for.
    waiting: BTreeMap<ResourceAddress, usize>,
    /// Who waits for each node.
    waiters: BTreeMap<ResourceAddress, Vec<ResourceAddress>>,
    ready: BTreeSet<ResourceAddress>,
}

impl Walk {
    /// A walk over `nodes`, where each waits for the nodes `waits_for` names.
    /// Names outside `nodes` are ignored (they are already done).
    pub(super) fn new(
        nodes: &[ResourceAddress],
        waits_for: impl Fn(&ResourceAddress) -> Vec<ResourceAddress>,
    ) -> Self {
        let members: BTreeSet<&ResourceAddress> = nodes.iter().collect();
        let mut walk = Walk::default();
        for node in nodes {
            let before: Vec<ResourceAddress> = waits_for(node)
                .into_iter()
                .filter(|d| members.contains(d) && d != node)
                .collect();
            for dep in &before {
                walk.waiters
                    .entry(dep.clone())
                    .or_default()
                    .push(node.clone());
            }
            if before.is_empty() {
                walk.ready.insert(node.clone());
            }
            walk.waiting.insert(node.clone(), before.len());
        }
        walk
    }

    /// The next ready node, if any.
    pub(super) fn next(&mut self) -> Option<ResourceAddress> {
        let node = self.ready.pop_first()?;
        self.waiting.remove(&node);
        Some(node)
    }

    /// Marks `node` finished, making ready the nodes that waited only for it.
    pub(super) fn finish(&mut self, node: &ResourceAddress) {
        for waiter in self.waiters.remove(node).unwrap_or_default() {
            if let Some(count) = self.waiting.get_mut(&waiter) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    self.ready.insert(waiter);
                }
            }
        }
    }

    /// Nodes that never became ready or were never taken (after an interrupt).
    pub(super) fn left(&self) -> Vec<ResourceAddress> {
        self.waiting.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(name: &str) -> ResourceAddress {
        ResourceAddress::new("t_x", name)
    }

    #[test]
    fn releases_waiters_when_their_last_dependency_finishes() {
        let nodes = [a("c"), a("b"), a("a")];
        let mut walk = Walk::new(&nodes, |n| match n.name.as_str() {
            "c" => vec![a("a"), a("b"), a("outside")],
            _ => vec![],
        });
        assert_eq!(walk.next(), Some(a("a")));
        assert_eq!(walk.next(), Some(a("b")));
        assert_eq!(walk.next(), None);
        walk.finish(&a("a"));
        assert_eq!(walk.next(), None, "c still waits for b");
        walk.finish(&a("b"));
        assert_eq!(walk.next(), Some(a("c")));
        assert!(walk.left().is_empty());
    }
}
