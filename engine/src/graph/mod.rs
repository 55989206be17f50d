//! The dependency graph of resources: references (also through `local.NAME` values),
//! `depends_on` and `lifecycle { replace_triggered_by }` become edges, the walk order is topological (ties broken by address so
//! output is stable), and a cycle is reported with every edge on it and where each
//! reference is written. `to_dot` draws the graph for `pingform graph`.

mod cycles;
mod modules;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::ResourceAddress;
use crate::address::ModuleStep;
use crate::config::{Config, Expr};
use crate::diagnostics::{Diagnostics, Span};

/// Resources and the resources each depends on.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Edges point from a dependency to its dependent; the weight is where the dependent
    /// refers to the dependency (`None` for dependencies recorded in state).
    graph: DiGraph<ResourceAddress, Option<Span>>,
    index: HashMap<ResourceAddress, NodeIndex>,
}

impl Graph {
    /// Builds the graph of the configuration's resources. Edges point from a
    /// dependency to its dependent. A cycle is an error naming every edge on it.
    pub fn from_config(config: &Config) -> Result<Graph, Diagnostics> {
        let mut graph = Graph::default();
        let resources = config.all_resources();
        for resource in &resources {
            graph.add_node(&resource.address);
        }
        for resource in &resources {
            let repetition = resource
                .repetition
                .iter()
                .map(|r| (&r.attr().expr, Vec::new()));
            let triggers = resource
                .lifecycle
                .replace_triggered_by
                .iter()
                .map(|t| (&t.expr, Vec::new()));
            let mut exprs = Vec::new();
            resource
                .body
                .each_expr(&mut |expr, bound| exprs.push((expr, bound.to_vec())));
            let module = &resource.address.module;
            let refs = references_in(
                config,
                module,
                exprs.into_iter().chain(repetition).chain(triggers),
            );
            let explicit = resource.depends_on.iter().cloned();
            let calls = modules::call_dependencies(config, module);
            for (dep, span) in refs.into_iter().chain(explicit).chain(calls) {
                graph.add_edge(&dep, &resource.address, Some(span));
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
                graph.add_edge(dep, address, None);
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

    /// Adds `from -> to`, keeping the first reference's span when there are several.
    fn add_edge(&mut self, from: &ResourceAddress, to: &ResourceAddress, span: Option<Span>) {
        // References to undeclared resources are reported by validation, not here.
        // Scanning the dependent's few incoming edges, not the dependency's outgoing ones:
        // a population can have ten thousand dependents, which made building O(n²).
        if let (Some(&a), Some(&b)) = (self.index.get(from), self.index.get(to))
            && !self
                .graph
                .edges_directed(b, petgraph::Incoming)
                .any(|e| e.source() == a)
        {
            self.graph.add_edge(a, b, span);
        }
    }

    fn check_cycles(&self, config: &Config) -> Result<(), Diagnostics> {
        let diagnostics: Diagnostics = tarjan_scc(&self.graph)
            .into_iter()
            .filter_map(|component| cycles::report(&self.graph, &component, &config.sources))
            .collect();
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

    /// The node of `address`, or of the block an instance address belongs to.
    fn node(&self, address: &ResourceAddress) -> Option<NodeIndex> {
        let node = self.index.get(address);
        node.or_else(|| self.index.get(&address.block())).copied()
    }

    /// The resources `address` (a block, or an instance of one) depends on
    /// directly, sorted.
    pub fn dependencies(&self, address: &ResourceAddress) -> Vec<ResourceAddress> {
        let Some(node) = self.node(address) else {
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

    /// The resources that depend on `address` (a block, or an instance of one)
    /// directly, sorted.
    pub fn dependents(&self, address: &ResourceAddress) -> Vec<ResourceAddress> {
        let Some(node) = self.node(address) else {
            return Vec::new();
        };
        let mut found: Vec<_> = self
            .graph
            .neighbors_directed(node, petgraph::Outgoing)
            .map(|n| self.graph[n].clone())
            .collect();
        found.sort();
        found
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

/// The resources that `exprs` (in the root module) refer to, directly or through
/// `local.NAME` values and module outputs, each with the span of the reference in
/// `exprs` (the `local.NAME` or `module.NAME` for an indirect one).
///
/// Each expression comes with the names bound around it (the iterators of enclosing
/// `dynamic` blocks), which are not references.
pub fn referenced_resources<'a>(
    config: &Config,
    exprs: impl IntoIterator<Item = (&'a Expr, Vec<String>)>,
) -> Vec<(ResourceAddress, Span)> {
    references_in(config, &[], exprs)
}

/// The resources that `exprs`, written in the module at `module` (keys ignored)
/// of the root configuration `root`, refer to, directly or through local values,
/// the module's variables (what its call passes in) and module outputs. Each
/// expression comes with the `dynamic` iterator names bound around it.
pub fn references_in<'a>(
    root: &Config,
    module: &[ModuleStep],
    exprs: impl IntoIterator<Item = (&'a Expr, Vec<String>)>,
) -> Vec<(ResourceAddress, Span)> {
    let mut walk = modules::ReferenceWalk::new(root);
    for (expr, bound) in exprs {
        walk.push_bound(expr, bound, module.to_vec(), None);
    }
    walk.run()
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

    fn cycle_report(text: &str) -> String {
        let config = crate::config::load_str("main.tf", text).expect("loads");
        let diags = Graph::from_config(&config).expect_err("a cycle");
        crate::diagnostics::tests::render_all(&diags, &config.sources)
    }

    #[test]
    fn a_cycle_names_every_edge_and_where_it_is_written() {
        let report = cycle_report(
            r#"locals {
  group_id = pingone_group.g.id
}
resource "pingone_population" "p" {
  name = local.group_id
}
resource "pingone_group" "g" {
  name = pingone_user.u.id
}
resource "pingone_user" "u" {
  name       = "u"
  depends_on = [pingone_population.p]
}
resource "pingone_group" "free" {
  name = pingone_population.p.id
}
"#,
        );
        assert!(report.contains("Cycle: `pingone_group.g -> pingone_user.u -> pingone_population.p -> pingone_group.g`"), "{report}");
        assert!(
            report.contains("`pingone_population.p` refers to `pingone_group.g` at main.tf:5:10"),
            "{report}"
        );
        assert!(
            report.contains("`pingone_user.u` refers to `pingone_population.p` at main.tf:12:17"),
            "{report}"
        );
        insta::assert_snapshot!(report);
    }

    #[test]
    fn dot_lists_every_edge() {
        let config = crate::config::load_str(
            "main.tf",
            "resource \"a_x\" \"one\" {}\nresource \"a_x\" \"two\" {\n  n = a_x.one.id\n}\n",
        )
        .expect("loads");
        let graph = Graph::from_config(&config).expect("no cycle");
        insta::assert_snapshot!(graph.to_dot(), @r#"
        digraph {
          "a_x.one";
          "a_x.two";
          "a_x.one" -> "a_x.two";
        }
        "#);
    }
}
