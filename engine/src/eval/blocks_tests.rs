//! Tests for evaluating nested and `dynamic` blocks: what each makes, in source order,
//! with unknown, sensitive and wrong `for_each` values, and the errors' spans.

use std::collections::BTreeMap;

use crate::ResourceAddress;
use crate::config::test_support::load;
use crate::config::{Body, Config};
use crate::diagnostics::tests::render_all;
use crate::eval::tests::{list, n, obj, s};
use crate::eval::{Scope, Value, evaluate_body};

fn variables() -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("kinds".to_string(), list(&[s("MFA"), s("Risk")])),
        (
            "by_name".to_string(),
            obj(&[("docs", s("https://d")), ("help", s("https://h"))]),
        ),
        ("later".to_string(), Value::Unknown),
        ("secret".to_string(), Value::sensitive(list(&[s("MFA")]))),
        ("one".to_string(), n(1.0)),
        ("none".to_string(), list(&[])),
        ("two".to_string(), list(&[s("a"), s("b")])),
    ])
}

/// The evaluated body of the block `pick` chooses (or the rendered errors).
fn evaluated(text: &str, pick: fn(&Config) -> &Body) -> Result<Value, String> {
    let config = load(text);
    let variables = variables();
    let resources = BTreeMap::<ResourceAddress, Value>::new();
    let scope = Scope::new(&variables, &resources).with_config(&config);
    evaluate_body(pick(&config), &scope).map_err(|d| render_all(&d, &config.sources))
}

/// The first resource's evaluated body (or the rendered errors).
fn resource_body(text: &str) -> Result<Value, String> {
    evaluated(text, |c| &c.resources[0].body)
}

/// The provider block's evaluated body (or the rendered errors).
fn provider_body(text: &str) -> Result<Value, String> {
    evaluated(text, |c| &c.providers[0].body)
}

fn environment(blocks: &str) -> String {
    format!("resource \"pingone_environment\" \"e\" {{\n  name = \"e\"\n{blocks}}}\n")
}

#[test]
fn static_and_dynamic_service_blocks_make_services_in_source_order() {
    let text = environment(
        r#"  service {
    type = "SSO"
  }
  dynamic "service" {
    for_each = var.kinds
    content {
      type        = service.value
      console_url = "https://console/${service.key}"
    }
  }
  service {
    type = "DaVinci"
  }
"#,
    );
    let body = resource_body(&text).expect("evaluates");
    assert_eq!(
        body.get("services"),
        Some(&list(&[
            obj(&[("type", s("SSO"))]),
            obj(&[("type", s("MFA")), ("console_url", s("https://console/0"))]),
            obj(&[("type", s("Risk")), ("console_url", s("https://console/1"))]),
            obj(&[("type", s("DaVinci"))]),
        ]))
    );
    assert_eq!(body.get("name"), Some(&s("e")));
}

#[test]
fn iterator_renames_and_maps_give_their_keys() {
    let text = environment(
        r#"  dynamic "service" {
    for_each = var.by_name
    iterator = link
    content {
      type = "SSO"
      dynamic "bookmark" {
        for_each = [link.value]
        content {
          name = link.key
          url  = bookmark.value
        }
      }
    }
  }
"#,
    );
    let body = resource_body(&text).expect("evaluates");
    let bookmark = |name: &str, url: &str| {
        obj(&[
            ("type", s("SSO")),
            (
                "bookmarks",
                list(&[obj(&[("name", s(name)), ("url", s(url))])]),
            ),
        ])
    };
    assert_eq!(
        body.get("services"),
        Some(&list(&[
            bookmark("docs", "https://d"),
            bookmark("help", "https://h")
        ]))
    );
}

#[test]
fn an_unknown_for_each_makes_the_attribute_unknown() {
    let text = environment(
        r#"  service {
    type = "SSO"
  }
  dynamic "service" {
    for_each = var.later
    content {
      type = service.value
    }
  }
"#,
    );
    let body = resource_body(&text).expect("evaluates");
    assert_eq!(body.get("services"), Some(&Value::Unknown));
}

#[test]
fn an_empty_for_each_makes_no_blocks() {
    let text = environment(
        r#"  dynamic "service" {
    for_each = var.none
    content {
      type = service.value
    }
  }
"#,
    );
    let body = resource_body(&text).expect("evaluates");
    assert_eq!(body.get("services"), Some(&list(&[])));
}

#[test]
fn sensitive_elements_stay_sensitive_inside_content() {
    let text = environment(
        r#"  dynamic "service" {
    for_each = [for k in var.kinds : sensitive(k)]
    content {
      type = service.value
    }
  }
"#,
    );
    let body = resource_body(&text);
    // The list itself is not sensitive (a `for` over a known list), its elements are.
    let services = body.expect("evaluates");
    let Some(Value::List(items)) = services.get("services") else {
        panic!("services is a list: {services:?}");
    };
    assert!(
        items
            .iter()
            .all(|i| i.get("type").is_some_and(Value::is_sensitive))
    );
}

#[test]
fn a_sensitive_for_each_is_an_error_at_the_expression() {
    let text = environment(
        r#"  dynamic "service" {
    for_each = var.secret
    content {
      type = service.value
    }
  }
"#,
    );
    let report = resource_body(&text).expect_err("sensitive for_each");
    assert!(report.contains("main.tf:4:16"), "{report}");
    assert!(!report.contains("MFA"), "the value stays hidden: {report}");
    insta::assert_snapshot!(report);
}

#[test]
fn a_for_each_that_is_not_a_collection_is_an_error() {
    let text = environment(
        r#"  dynamic "service" {
    for_each = var.one
    content {
      type = service.value
    }
  }
"#,
    );
    let report = resource_body(&text).expect_err("number for_each");
    assert!(report.contains("a number cannot be iterated"), "{report}");
    assert!(report.contains("main.tf:4:16"), "{report}");
}

#[test]
fn errors_inside_content_point_into_the_content() {
    let text = environment(
        r#"  dynamic "service" {
    for_each = var.kinds
    content {
      type = service.nope
    }
  }
"#,
    );
    let report = resource_body(&text).expect_err("missing attribute");
    assert!(report.contains("main.tf:6:21"), "{report}");
    assert_eq!(
        report.matches("Unsupported attribute").count(),
        1,
        "{report}"
    );
}

#[test]
fn provider_blocks_make_objects_and_dynamic_ones_may_make_none_or_one() {
    let text = r#"provider "pingone" {
  region_code = "EU"
  global_options {
    dynamic "population" {
      for_each = var.kinds
      content {
        contains_users_force_delete = population.value == "MFA"
      }
    }
  }
  dynamic "service_endpoints" {
    for_each = var.none
    content {
      api_hostname = "api"
    }
  }
}
"#;
    let report = provider_body(text).expect_err("two population blocks");
    assert!(report.contains("Too many `population` blocks"), "{report}");
    let one = text.replace("var.kinds", "[\"MFA\"]");
    let body = provider_body(&one).expect("evaluates");
    assert_eq!(
        body.get("global_options"),
        Some(&obj(&[(
            "population",
            obj(&[("contains_users_force_delete", Value::Bool(true))])
        )]))
    );
    assert_eq!(body.get("service_endpoints"), Some(&Value::Null));
    assert_eq!(body.get("region_code"), Some(&s("EU")));
}
