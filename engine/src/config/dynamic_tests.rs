//! Tests for loading nested and `dynamic` blocks: what the model keeps, and each
//! malformed block's error with its exact span (snapshotted).

use crate::config::test_support::{load, load_failure, pairs, spanned};
use crate::config::{BlockSource, Nesting};
use crate::diagnostics::tests::render_all;

/// The (summary, spanned text) of each error of loading `text`, and the rendering.
fn errors(text: &str) -> (Vec<(String, String)>, String) {
    let (diagnostics, sources) = load_failure(text);
    (
        spanned(diagnostics.errors(), text),
        render_all(&diagnostics, &sources),
    )
}

#[test]
fn provider_blocks_are_kept_with_their_nesting() {
    let config = load(
        r#"provider "pingone" {
  global_options {
    population {
      contains_users_force_delete = true
    }
  }
  dynamic "service_endpoints" {
    for_each = var.hosts
    iterator = host
    content {
      api_hostname  = host.value.api
      auth_hostname = host.value.auth
    }
  }
}
"#,
    );
    let blocks = &config.providers[0].body.blocks;
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].attribute, "global_options");
    assert_eq!(blocks[0].nesting, Nesting::Single);
    let BlockSource::Static(options) = &blocks[0].source else {
        panic!("global_options is written out");
    };
    assert_eq!(options.blocks[0].kind, "population");
    let BlockSource::Dynamic(dynamic) = &blocks[1].source else {
        panic!("service_endpoints is dynamic");
    };
    assert_eq!(dynamic.iterator, "host");
    assert_eq!(dynamic.for_each.name, "for_each");
    let names: Vec<&str> = dynamic
        .content
        .attributes
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["api_hostname", "auth_hostname"]);
}

#[test]
fn malformed_dynamic_blocks_are_errors_at_their_exact_place() {
    let text = r#"provider "pingone" {
  dynamic "service_endpoints" {
    content {
      api_hostname = "a"
    }
  }
  dynamic "global_options" {
    for_each = var.x
  }
  dynamic "service_endpoint" {
    for_each = var.x
    content {}
  }
  dynamic "service_endpoints" {
    for_each = var.x
    labels   = ["a"]
    iterrator = h
    content {}
  }
  dynamic {
    for_each = var.x
    content {}
  }
  dynamic "service_endpoints" {
    for_each = var.x
    iterator = "h"
    content {}
    content {}
  }
}
"#;
    let (found, report) = errors(text);
    assert_eq!(
        found,
        pairs(&[
            (
                "Missing `for_each` in `dynamic` block",
                "dynamic \"service_endpoints\""
            ),
            (
                "Missing `content` in `dynamic` block",
                "dynamic \"global_options\""
            ),
            ("Unsupported block type", "\"service_endpoint\""),
            ("Unsupported argument", "labels"),
            ("Unsupported argument", "iterrator"),
            ("Wrong number of labels for `dynamic` block", "dynamic"),
            ("Invalid `iterator`", "\"h\""),
            ("Duplicate `content` block", "content"),
        ])
    );
    assert!(
        report.contains("did you mean `service_endpoints`?"),
        "{report}"
    );
    assert!(report.contains("did you mean `iterator`?"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_blocks_in_a_provider_and_inside_content_name_their_place() {
    let text = r#"provider "pingone" {
  global_option {
  }
  global_options {
    dynamic "population" {
      for_each = var.x
      content {
        extra {}
      }
    }
  }
  global_options {}
}
"#;
    let (found, report) = errors(text);
    assert_eq!(
        found,
        pairs(&[
            ("Unsupported block type", "global_option"),
            ("Unsupported block type", "extra"),
            ("Duplicate `global_options` block", "global_options"),
        ])
    );
    assert!(
        report.contains("did you mean `global_options`?"),
        "{report}"
    );
    assert!(
        report.contains("not expected in the `content` of a `dynamic \"population\"` block"),
        "{report}"
    );
}

#[test]
fn an_attribute_and_blocks_for_the_same_attribute_conflict() {
    let text = r#"resource "pingone_environment" "e" {
  name     = "e"
  services = [{ type = "SSO" }]
  service {
    type = "MFA"
  }
}
"#;
    let (found, report) = errors(text);
    assert_eq!(found, pairs(&[("`services` is set twice", "service")]));
    assert!(report.contains("main.tf:3:3"), "{report}");
}

#[test]
fn dynamic_for_a_v1_nested_attribute_shows_the_for_expression() {
    let text = r#"resource "pingone_application" "app" {
  environment_id = var.env
  name           = "app"
  dynamic "oidc_options" {
    for_each = var.apps
    iterator = app
    content {
      type = app.value
    }
  }
}
"#;
    let (found, report) = errors(text);
    assert_eq!(
        found,
        pairs(&[("`dynamic` block for a nested attribute", "\"oidc_options\"")])
    );
    assert!(
        report.contains("write `oidc_options = [for k, v in var.apps : { ... }]`"),
        "{report}"
    );
    assert!(report.contains("`app.value` as `v`"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn dynamic_blocks_in_a_v1_environment_resource_that_are_not_services_are_errors() {
    let text = r#"resource "pingone_environment" "e" {
  name = "e"
  dynamic "services" {
    for_each = var.x
    content {}
  }
}
"#;
    let (found, _) = errors(text);
    assert_eq!(
        found,
        pairs(&[("`dynamic` block for a nested attribute", "\"services\"")])
    );
}

const REFERENCES: &str = r#"resource "pingone_population" "p" {
  environment_id = "e"
  name           = "p"
}
resource "pingone_environment" "e" {
  name = "e"
  dynamic "service" {
    for_each = [pingone_population.p.name]
    content {
      type = service.value
      dynamic "bookmark" {
        for_each = [1]
        iterator = mark
        content {
          name = "${service.key}-${mark.key}"
          url  = pingone_group.g.id
        }
      }
    }
  }
}
"#;

#[test]
fn iterators_are_bound_names_and_references_inside_dynamic_blocks_are_edges() {
    let config = load(REFERENCES);
    let diags = crate::config::validate(&config, &crate::config::test_schema::schemas());
    let summaries: Vec<(&str, String)> = diags
        .iter()
        .map(|d| {
            let spanned = d.span.as_ref().map_or("", |s| &REFERENCES[s.range.clone()]);
            (d.summary.as_str(), spanned.to_string())
        })
        .collect();
    // Only the undeclared group (and the environment type, absent from the test schema)
    // are reported: `service` and `mark` are the iterators, not resources.
    assert!(
        summaries.contains(&("Reference to undeclared resource", "pingone_group.g".into())),
        "{summaries:?}"
    );
    assert!(
        !summaries
            .iter()
            .any(|(_, s)| s.starts_with("service") || s.starts_with("mark")),
        "{summaries:?}"
    );
    let config = load(&REFERENCES.replace("pingone_group.g.id", "\"u\""));
    let graph = crate::graph::Graph::from_config(&config).expect("no cycle");
    let environment = crate::ResourceAddress::new("pingone_environment", "e");
    assert_eq!(
        graph.dependencies(&environment),
        [crate::ResourceAddress::new("pingone_population", "p")]
    );
}
