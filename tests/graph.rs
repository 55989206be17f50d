//! `pingform graph` writes DOT; a cycle is an error naming every edge.

mod common;

use common::{example, pingform, run};

#[test]
fn graph_writes_dot_for_the_quickstart() {
    let dir = example("quickstart");
    let graph = run(pingform(dir.path()).arg("graph"));
    assert_eq!(graph.code, 0, "{graph}");
    assert_eq!(
        graph.stdout,
        "digraph {\n  \"pingone_population.staff\";\n  \"pingone_population.contractors\";\n  \
         \"pingone_population.staff\" -> \"pingone_population.contractors\";\n}\n"
    );
}

#[test]
fn a_cycle_is_reported_with_its_edges() {
    let dir = example("quickstart");
    let main_tf = dir.path().join("main.tf");
    let text = std::fs::read_to_string(&main_tf).expect("read");
    let cyclic = text.replace(
        "name           = \"${var.team} staff\"",
        "name           = pingone_population.contractors.name",
    );
    assert_ne!(text, cyclic);
    std::fs::write(&main_tf, cyclic).expect("write");
    let graph = run(pingform(dir.path()).arg("graph"));
    assert_eq!(graph.code, 1, "{graph}");
    // miette wraps long lines to the terminal width, so compare without line breaks.
    let stderr = graph
        .stderr
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(stderr.contains("Cycle: `pingone_population.contractors -> pingone_population.staff -> pingone_population.contractors`"), "{graph}");
    assert!(
        stderr
            .contains("`pingone_population.contractors` refers to `pingone_population.staff` at "),
        "{graph}"
    );
    assert!(stderr.contains("main.tf:30:53"), "{graph}");
    assert!(stderr.contains("main.tf:23:20"), "{graph}");
}
