//! Fixture-driven tests: every directory under `engine/tests/fixtures/config/`.
//!
//! `valid/<case>/` must load and validate cleanly, and every resource body must evaluate
//! (with resources not yet created, so their attributes are unknown); the values are
//! snapshotted. `invalid/<case>/` must fail, and the rendered diagnostics are snapshotted.
//! A new case is a new directory and a reviewed snapshot.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::test_schema::schemas;
use super::{ConfigError, load_dir, validate};
use crate::diagnostics::tests::render_all;
use crate::eval::{Scope, Value, evaluate, evaluate_body};

fn cases(kind: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(kind);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixtures in {}", root.display());
    dirs
}

/// Paths relative to the crate, so snapshots do not depend on where the repository is.
fn relative(text: &str) -> String {
    text.replace(concat!(env!("CARGO_MANIFEST_DIR"), "/"), "")
}

fn case_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn valid_fixtures_load_validate_and_evaluate() {
    for dir in cases("valid") {
        let config = load_dir(&dir).unwrap_or_else(|e| match e {
            ConfigError::Invalid {
                sources,
                diagnostics,
            } => panic!("{}", render_all(&diagnostics, &sources)),
            other => panic!("{other}"),
        });
        let diags = validate(&config, &schemas());
        assert!(diags.is_empty(), "{}", render_all(&diags, &config.sources));

        let no_values = BTreeMap::new();
        let no_resources = BTreeMap::new();
        let empty = Scope::new(&no_values, &no_resources);
        let variables: BTreeMap<String, Value> = config
            .variables
            .iter()
            .filter_map(|v| Some((v.name.clone(), evaluate(v.default.as_ref()?, &empty).ok()?)))
            .collect();
        let resources = config
            .resources
            .iter()
            .map(|r| (r.address.clone(), Value::Unknown))
            .collect();
        let scope = Scope::new(&variables, &resources).with_config(&config);
        let mut out = String::new();
        for r in &config.resources {
            let value = evaluate_body(&r.body, &scope)
                .unwrap_or_else(|d| panic!("{}", render_all(&d, &config.sources)));
            out.push_str(&format!("{} = {value}\n", r.address));
        }
        out.push_str(&relative(&render_all(&config.warnings, &config.sources)));
        insta::assert_snapshot!(format!("valid_{}", case_name(&dir)), out);
    }
}

#[test]
fn invalid_fixtures_report_every_problem() {
    for dir in cases("invalid") {
        let report = match load_dir(&dir) {
            Ok(config) => {
                let diags = validate(&config, &schemas());
                assert!(diags.has_errors(), "{} should be invalid", dir.display());
                render_all(&diags, &config.sources)
            }
            Err(ConfigError::Invalid {
                sources,
                diagnostics,
            }) => render_all(&diagnostics, &sources),
            Err(other) => panic!("{other}"),
        };
        insta::assert_snapshot!(format!("invalid_{}", case_name(&dir)), relative(&report));
    }
}
