//! The diff tree for single attributes, laid out as text.

use super::*;
use crate::render::fixture::obj;
use crate::render::lines::{PlanLine, layout};

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| Value::from(*s)).collect())
}

/// The attribute `a` going from `old` to `new`, as the text plan draws it.
fn drawn(old: Option<Value>, new: Option<Value>, ty: Option<&AttrType>, sensitive: bool) -> String {
    let entry = entry(
        Key::Named("a".into()),
        old.as_ref(),
        new.as_ref(),
        ty,
        sensitive,
    );
    let mut lines: Vec<PlanLine> = Vec::new();
    layout(&[Item::Entry(entry)], 4, &mut lines);
    let text: Vec<String> = lines.iter().map(PlanLine::plain).collect();
    text.join("\n")
}

#[test]
fn a_set_in_another_order_is_unchanged() {
    let set = AttrType::Set(Box::new(AttrType::String));
    let old = strings(&["a", "b", "c"]);
    let new = strings(&["c", "a", "b"]);
    let entry = entry(Key::Element, Some(&old), Some(&new), Some(&set), false);
    assert_eq!(entry.marker, Marker::Keep);
    let list = AttrType::List(Box::new(AttrType::String));
    let entry = super::entry(Key::Element, Some(&old), Some(&new), Some(&list), false);
    assert_eq!(entry.marker, Marker::Change, "a list's order matters");
}

#[test]
fn a_removed_collection_goes_to_null_and_its_elements_just_go() {
    assert_eq!(
        drawn(Some(strings(&["x"])), None, None, false),
        "  - a = [\n      - \"x\",\n    ] -> null"
    );
    assert_eq!(
        drawn(Some(obj(&[("k", "v".into())])), None, None, false),
        "  - a = {\n      - k = \"v\" -> null\n    } -> null"
    );
}

#[test]
fn sensitive_leaves_are_masked_one_by_one() {
    let old = obj(&[
        ("user", "alice".into()),
        ("password", Value::sensitive("old-pw".into())),
        ("pin", Value::sensitive("1234".into())),
    ]);
    let new = obj(&[
        ("user", "alice".into()),
        ("password", Value::sensitive("new-pw".into())),
        ("pin", Value::sensitive("1234".into())),
    ]);
    let text = drawn(Some(old.clone()), Some(new), None, false);
    assert_eq!(
        text,
        "  ~ a = {\n      ~ password = (sensitive value)\n        # (2 unchanged attributes hidden)\n    }"
    );
    let same = drawn(Some(old.clone()), Some(old), None, true);
    assert_eq!(same, "    a = (sensitive value)");
    assert_eq!(
        drawn(Some("old-pw".into()), None, None, true),
        "  - a = (sensitive value) -> null"
    );
}

#[test]
fn unknown_values_are_known_after_apply() {
    assert_eq!(
        drawn(Some(strings(&["x"])), Some(Value::Unknown), None, false),
        "  ~ a = [\"x\"] -> (known after apply)"
    );
    assert_eq!(
        drawn(None, Some(Value::Unknown), None, false),
        "  + a = (known after apply)"
    );
}

#[test]
fn objects_in_a_list_change_in_place() {
    let old = Value::List(vec![obj(&[("n", "a".into()), ("u", "x".into())])]);
    let new = Value::List(vec![obj(&[("n", "b".into()), ("u", "x".into())])]);
    assert_eq!(
        drawn(Some(old), Some(new), None, false),
        "  ~ a = [\n      ~ {\n          ~ n = \"a\" -> \"b\"\n            # (1 unchanged attribute hidden)\n        },\n    ]"
    );
}

#[test]
fn json_written_differently_falls_back_to_text() {
    let text = drawn(
        Some(r#"{"a": 1}"#.into()),
        Some(r#"{"a":1}"#.into()),
        None,
        false,
    );
    assert_eq!(text, r#"  ~ a = "{\"a\": 1}" -> "{\"a\":1}""#);
}

#[test]
fn long_unchanged_runs_of_lines_are_folded_around_the_change() {
    let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
    let new = old.replace("line 10\n", "line ten\n");
    let text = drawn(Some(old.into()), Some(new.into()), None, false);
    assert_eq!(
        text,
        "  ~ a = <<-EOT\n        # (7 unchanged lines hidden)\n        line 8\n        line 9\n      \
         - line 10\n      + line ten\n        line 11\n        line 12\n        \
         # (8 unchanged lines hidden)\n    EOT"
    );
}

#[test]
fn map_keys_are_quoted_and_odd_attribute_names_too() {
    let map = AttrType::Map(Box::new(AttrType::String));
    let text = drawn(
        Some(obj(&[("dept", "a".into())])),
        Some(obj(&[("dept", "b".into())])),
        Some(&map),
        false,
    );
    assert!(text.contains("~ \"dept\" = \"a\" -> \"b\""), "{text}");
    let text = drawn(
        None,
        Some(obj(&[("aws:SourceIp", "1.2.3.4".into())])),
        None,
        false,
    );
    assert!(text.contains("+ \"aws:SourceIp\" = \"1.2.3.4\""), "{text}");
}
