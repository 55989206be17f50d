//! Strings that are documents: JSON text is diffed key by key inside `jsonencode(...)`,
//! and multi-line text line by line inside a heredoc (`<<-EOT ... EOT`), with the
//! unchanged lines away from the changes folded. One-line text is left to the caller.

use similar::{ChangeTag, TextDiff};

use super::diff::{self, Body, Entry, Item, Key, Marker, Noun};
use crate::Value;

/// Unchanged lines kept on each side of a changed one, for context.
const CONTEXT: usize = 2;

/// The change from `old` to `new` when either is JSON or multi-line; `None` otherwise.
pub(crate) fn change(old: &str, new: &str) -> Option<(Marker, Body)> {
    if let (Some(a), Some(b)) = (json(old), json(new)) {
        let (marker, inner) = diff::diff(Some(&a), Some(&b), None, false);
        // Equal documents written differently fall through to a text diff.
        if marker != Marker::Keep {
            return Some((marker, jsonencode(marker, inner)));
        }
    }
    if old.contains('\n') || new.contains('\n') {
        return Some((Marker::Change, heredoc(changed_lines(old, new), "EOT")));
    }
    None
}

/// A JSON or multi-line string wholly added or removed; `None` for one-line text.
pub(crate) fn whole(text: &str, marker: Marker) -> Option<Body> {
    if let Some(value) = json(text) {
        let (old, new) = match marker {
            Marker::Remove => (Some(&value), None),
            _ => (None, Some(&value)),
        };
        let (_, inner) = diff::diff(old, new, None, false);
        return Some(jsonencode(marker, inner));
    }
    if !text.contains('\n') {
        return None;
    }
    let lines = text
        .lines()
        .map(|line| line_item(Marker::Keep, line))
        .collect();
    Some(heredoc(lines, "EOT"))
}

/// The string as a JSON document when it holds an object or an array.
fn json(text: &str) -> Option<Value> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') && !trimmed.starts_with('[') {
        return None;
    }
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .map(|j| Value::from_json(&j))
}

fn jsonencode(marker: Marker, inner: Body) -> Body {
    Body::Nested {
        open: "jsonencode(".into(),
        items: vec![Item::Entry(Entry {
            marker,
            key: Key::Bare,
            body: inner,
            forces: false,
        })],
        close: ")".into(),
    }
}

fn heredoc(items: Vec<Item>, close: &str) -> Body {
    Body::Nested {
        open: "<<-EOT".into(),
        items,
        close: close.into(),
    }
}

fn line_item(marker: Marker, line: &str) -> Item {
    Item::Entry(Entry {
        marker,
        key: Key::Bare,
        body: Body::Inline(line.to_string()),
        forces: false,
    })
}

/// Every line marked added, removed or kept; kept lines further than [`CONTEXT`] from
/// a change are folded.
fn changed_lines(old: &str, new: &str) -> Vec<Item> {
    let text_diff = TextDiff::from_lines(old, new);
    let rows: Vec<(Marker, &str)> = text_diff
        .iter_all_changes()
        .map(|change| {
            let marker = match change.tag() {
                ChangeTag::Equal => Marker::Keep,
                ChangeTag::Delete => Marker::Remove,
                ChangeTag::Insert => Marker::Add,
            };
            (marker, change.value().trim_end_matches(['\n', '\r']))
        })
        .collect();
    let near_change = |i: usize| {
        let from = i.saturating_sub(CONTEXT);
        let to = (i + CONTEXT).min(rows.len() - 1);
        rows[from..=to].iter().any(|(m, _)| *m != Marker::Keep)
    };
    let mut items = Vec::new();
    for (i, (marker, line)) in rows.iter().enumerate() {
        if *marker == Marker::Keep && !near_change(i) {
            diff::fold(&mut items, 1, Noun::Line);
        } else {
            items.push(line_item(*marker, line));
        }
    }
    items
}
