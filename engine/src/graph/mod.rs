//! The dependency graph of resources: references and `depends_on` become edges,
//! the walk order is topological (ties broken by address so output is stable),
//! and a cycle is reported with every resource on it.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::ResourceAddress;
use crate::config::{Config, Expr};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::{Reference, references};

/// Resources and the resources each depends on.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    graph: DiGraph<ResourceAddress, ()>,
    index: BTreeMap<ResourceAddress, NodeIndex>,
}

impl Graph {
    /// Builds the graph of the configuration's resources. Edges point from a
    /// dependency to its dependent. A cycle is an error naming every member.
    pub fn from_config(config: &Config) -> Result<Graph, Diagnostics> {
        let mut graph = Graph::default();
        for resource in &config.resources {
            graph.add_node(&resource.address);
        }
        for resource in &config.resources {
            let exprs = resource.body.attributes.values().map(|attr| &attr.expr);
            let refs = referenced_resources(config, exprs);
            let explicit = resource.depends_on.iter().map(|(a, _)| a.clone());
            for dep in refs.into_iter().chain(explicit) {
                graph.add_edge(&dep, &resource.address);
            }
        }
        graph.check_cycles(config)?;
        Ok(graph)
    }

    /// Builds a graph from explicit dependency lists (as recorded in state).
    /// Dependencies on addresses not among `nodes` are ignored.
    pub fn from_dependencies(nodes: &[(ResourceAddress, Vec<ResourceAddress>)]) -> Graph {
        let mut graph = Graph::default();
        for (address, _) in nodes {
            graph.add_node(address);
        }
        for (address, deps) in nodes {
            for dep in deps {
                // add_edge ignores addresses that are not nodes.
                graph.add_edge(dep, address);
            }
        }
        graph
    }

    fn add_node(&mut self, address: &ResourceAddress) {
        if !self.index.contains_key(address) {
            let node = self.graph.add_node(address.clone());
            self.index.insert(address.clone(), node);
        }
    }

    fn add_edge(&mut self, from: &ResourceAddress, to: &ResourceAddress) {
        // References to undeclared resources are reported by validation, not here.
        if let (Some(&a), Some(&b)) = (self.index.get(from), self.index.get(to)) {
            self.graph.update_edge(a, b, ());
        }
    }

    fn check_cycles(&self, config: &Config) -> Result<(), Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        for component in tarjan_scc(&self.graph) {
            let self_loop =
                component.len() == 1 && self.graph.contains_edge(component[0], component[0]);
            if component.len() < 2 && !self_loop {
                continue;
            }
            let mut members: Vec<&ResourceAddress> =
                component.iter().map(|&n| &self.graph[n]).collect();
            members.sort();
            let path = members
                .iter()
                .chain(members.first())
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(" -> ");
            let mut diagnostic = Diagnostic::error(format!("Cycle: `{path}`")).with_help(
                "break the cycle by removing one of the references or depends_on entries",
            );
            if let Some(block) = config.resources.iter().find(|r| &r.address == members[0]) {
                diagnostic =
                    diagnostic.with_span(block.span.clone(), "this resource is on the cycle");
            }
            diagnostics.push(diagnostic);
        }
        if diagnostics.is_empty() {
            Ok(())
        } else {
            Err(diagnostics)
        }
    }

    /// Every resource, dependencies before dependents; among resources that are
    /// ready at the same time, the lower address first.
    pub fn order(&self) -> Vec<ResourceAddress> {
        let mut remaining: BTreeMap<NodeIndex, usize> = self
            .graph
            .node_indices()
            .map(|n| {
                (
                    n,
                    self.graph.neighbors_directed(n, petgraph::Incoming).count(),
                )
            })
            .collect();
        let mut ready: BTreeSet<(ResourceAddress, NodeIndex)> = remaining
            .iter()
            .filter(|(_, deps)| **deps == 0)
            .map(|(&n, _)| (self.graph[n].clone(), n))
            .collect();
        let mut order = Vec::with_capacity(remaining.len());
        while let Some((address, node)) = ready.pop_first() {
            order.push(address);
            for next in self.graph.neighbors_directed(node, petgraph::Outgoing) {
                if let Some(count) = remaining.get_mut(&next) {
                    *count -= 1;
                    if *count == 0 {
                        ready.insert((self.graph[next].clone(), next));
                    }
                }
            }
        }
        order
    }

    /// The resources `address` depends on directly, sorted.
    pub fn dependencies(&self, address: &ResourceAddress) -> Vec<ResourceAddress> {
        let Some(&node) = self.index.get(address) else {
            return Vec::new();
        };
        let mut deps: Vec<_> = self
            .graph
            .neighbors_directed(node, petgraph::Incoming)
            .map(|n| self.graph[n].clone())
            .collect();
        deps.sort();
        deps
    }

    /// The graph in Graphviz DOT form, for `pingform graph`.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph {\n");
        for address in self.order() {
            out.push_str(&format!("  \"{address}\";\n"));
            for dep in self.dependencies(&address) {
                out.push_str(&format!("  \"{dep}\" -> \"{address}\";\n"));
            }
        }
        out.push_str("}\n");
        out
    }
}

/// The resources that `exprs` refer to, directly or through `local.NAME` values.
pub fn referenced_resources<'a>(
    config: &Config,
    exprs: impl IntoIterator<Item = &'a Expr>,
) -> Vec<ResourceAddress> {
    let mut found = Vec::new();
    let mut seen_locals = BTreeSet::new();
    let mut pending: Vec<&Expr> = exprs.into_iter().collect();
    while let Some(expr) = pending.pop() {
        for reference in references(expr) {
            match reference {
                Reference::Resource { address, .. } => found.push(address),
                Reference::Local { name, .. } => {
                    if let Some(local) = config.locals.get(&name)
                        && seen_locals.insert(name)
                    {
                        pending.push(&local.expr);
                    }
                }
                Reference::Variable { .. } => {}
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(name: &str) -> ResourceAddress {
        ResourceAddress::new("pingone_population", name)
    }

    #[test]
    fn orders_dependencies_first_and_stably() {
        let graph = Graph::from_dependencies(&[
            (addr("c"), vec![addr("a")]),
            (addr("b"), vec![]),
            (addr("a"), vec![]),
            (addr("d"), vec![addr("c"), addr("b"), addr("gone")]),
        ]);
        let order: Vec<String> = graph.order().iter().map(|a| a.name.clone()).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
        assert_eq!(graph.dependencies(&addr("d")), vec![addr("b"), addr("c")]);
    }
}
