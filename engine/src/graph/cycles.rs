//! Reporting a dependency cycle: one concrete loop through a strongly connected component,
//! with every edge and the place where each reference is written.

use std::collections::{BTreeMap, VecDeque};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::ResourceAddress;
use crate::diagnostics::{Diagnostic, SourceMap, Span};

type Edges = DiGraph<ResourceAddress, Option<Span>>;

/// The diagnostic for `component` if it is a cycle (more than one node, or a self-loop).
pub(super) fn report(
    graph: &Edges,
    component: &[NodeIndex],
    sources: &SourceMap,
) -> Option<Diagnostic> {
    let start = *component.iter().min_by_key(|&&n| &graph[n])?;
    let path = loop_from(graph, component, start)?;
    // `path[i]` refers to `path[i + 1]`; the edge runs the other way (dependency -> dependent).
    let steps: Vec<(NodeIndex, NodeIndex, Option<Span>)> = path
        .windows(2)
        .map(|w| {
            let span = graph.find_edge(w[1], w[0]).and_then(|e| graph[e].clone());
            (w[0], w[1], span)
        })
        .collect();
    let text = path
        .iter()
        .map(|&n| graph[n].to_string())
        .collect::<Vec<_>>()
        .join(" -> ");
    let lines: Vec<String> = steps
        .iter()
        .map(|(from, to, span)| {
            let at = span
                .as_ref()
                .map_or(String::new(), |s| format!(" at {}", sources.location(s)));
            format!("  `{}` refers to `{}`{at}", graph[*from], graph[*to])
        })
        .collect();
    let mut diagnostic = Diagnostic::error(format!("Cycle: `{text}`"))
        .with_detail(format!(
            "Each resource on the cycle refers to the next:\n{}",
            lines.join("\n")
        ))
        .with_help("break the cycle by removing one of these references or `depends_on` entries");
    if let Some((_, to, Some(span))) = steps.first() {
        diagnostic = diagnostic.with_span(
            span.clone(),
            format!("refers to `{}`, which depends on this resource", graph[*to]),
        );
    }
    Some(diagnostic)
}

/// The shortest loop `start -> ... -> start` following "refers to" (incoming edges) within
/// the component; `None` when there is none (a single node without a self-loop).
fn loop_from(graph: &Edges, component: &[NodeIndex], start: NodeIndex) -> Option<Vec<NodeIndex>> {
    let inside = |n: &NodeIndex| component.contains(n);
    let refers_to = |n: NodeIndex| {
        let mut next: Vec<NodeIndex> = graph
            .neighbors_directed(n, petgraph::Incoming)
            .filter(inside)
            .collect();
        next.sort_by_key(|&m| &graph[m]);
        next
    };
    let mut parent: BTreeMap<NodeIndex, NodeIndex> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for next in refers_to(node) {
            if next == start {
                // Walk the parents back from `node` to `start`, then close the loop.
                let mut path = vec![node];
                while let Some(&p) = path.last().and_then(|last| parent.get(last)) {
                    path.push(p);
                }
                path.reverse();
                path.push(start);
                return Some(path);
            }
            if !parent.contains_key(&next) && next != start {
                parent.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    None
}
