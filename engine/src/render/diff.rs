//! The difference between an attribute's old and new values as a tree of entries to
//! draw, the way Terraform draws it: unchanged parts folded away, lists element by
//! element (sets as sets), objects and maps key by key and recursively, every
//! sensitive leaf masked as `(sensitive value)`, and multi-line or JSON strings line by
//! line or key by key (see [`super::strings`]).
//!
//! The tree says nothing about columns or colours; [`super::lines`] lays it out.

use std::collections::BTreeMap;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::strings;
use crate::Value;
use crate::provider::AttrType;

/// What happens to one entry, drawn in the margin as `+`, `-`, `~` or nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    /// It is new.
    Add,
    /// It goes away.
    Remove,
    /// It changes in place (something inside it, for a collection).
    Change,
    /// It stays as it is.
    Keep,
}

impl Marker {
    /// The margin symbol.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Marker::Add => "+",
            Marker::Remove => "-",
            Marker::Change => "~",
            Marker::Keep => " ",
        }
    }
}

/// How an entry is introduced inside its parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    /// `name = value`: an object attribute or a map key (already quoted if it must be).
    Named(String),
    /// `value,`: a list or set element.
    Element,
    /// `value` alone: a line of a multi-line string, or the document in `jsonencode(...)`.
    Bare,
}

/// What a fold hides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Noun {
    /// Object attributes.
    Attribute,
    /// List, set or map elements.
    Element,
    /// Lines of a multi-line string.
    Line,
}

impl Noun {
    /// `1 unchanged attribute`, `3 unchanged lines`.
    pub(crate) fn counted(self, count: usize) -> String {
        let word = match self {
            Noun::Attribute => "attribute",
            Noun::Element => "element",
            Noun::Line => "line",
        };
        let plural = if count == 1 { "" } else { "s" };
        format!("{count} unchanged {word}{plural}")
    }
}

/// One row inside a collection: an entry, or a run of unchanged ones folded away.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Item {
    /// A shown entry.
    Entry(Entry),
    /// `# (N unchanged ... hidden)`.
    Fold(usize, Noun),
}

/// One attribute, element or line and its change.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    /// Its margin marker.
    pub(crate) marker: Marker,
    /// How it is introduced.
    pub(crate) key: Key,
    /// Its value, or the change of it.
    pub(crate) body: Body,
    /// Whether its change forces the replacement of the object.
    pub(crate) forces: bool,
}

/// The value part of an entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Body {
    /// On one line: `"a" -> "b"`, `(known after apply)`, `(sensitive value)`.
    Inline(String),
    /// Over several lines: the opening text (`{`, `[`, `<<-EOT`, `jsonencode(`), the
    /// rows inside, and the closing text.
    Nested {
        /// Written after `name = `.
        open: String,
        /// The rows, one level deeper.
        items: Vec<Item>,
        /// Written on its own line at the entry's level.
        close: String,
    },
}

/// The text that masks a sensitive value.
pub(crate) const SENSITIVE: &str = "(sensitive value)";

/// The entry for a value that goes from `old` to `new` (`None` or null: absent). `ty`
/// is the schema's type when known (it tells sets from lists and maps from objects);
/// `sensitive` masks the whole value.
pub(crate) fn entry(
    key: Key,
    old: Option<&Value>,
    new: Option<&Value>,
    ty: Option<&AttrType>,
    sensitive: bool,
) -> Entry {
    let present = |v: &&Value| !matches!(v, Value::Null);
    let (marker, mut body) = diff(old.filter(present), new.filter(present), ty, sensitive);
    if marker == Marker::Remove && matches!(key, Key::Named(_)) {
        goes_to_null(&mut body);
    }
    Entry {
        marker,
        key,
        body,
        forces: false,
    }
}

/// Ends a removed attribute with ` -> null`, as Terraform does (elements just go).
fn goes_to_null(body: &mut Body) {
    match body {
        Body::Inline(text) => text.push_str(" -> null"),
        Body::Nested { close, .. } => close.push_str(" -> null"),
    }
}

/// The marker and body for a change from `old` to `new` (both already non-null).
pub(crate) fn diff(
    old: Option<&Value>,
    new: Option<&Value>,
    ty: Option<&AttrType>,
    sensitive: bool,
) -> (Marker, Body) {
    if sensitive || old.is_some_and(Value::is_sensitive) || new.is_some_and(Value::is_sensitive) {
        return masked(old, new);
    }
    match (old, new) {
        (None, None) => (Marker::Keep, Body::Inline("null".into())),
        (None, Some(new)) => (Marker::Add, whole(new, ty, Marker::Add)),
        (Some(old), None) => (Marker::Remove, whole(old, ty, Marker::Remove)),
        (Some(old), Some(new)) => change(old, new, ty),
    }
}

/// A sensitive leaf: never its value, only whether it was added, removed or changed.
fn masked(old: Option<&Value>, new: Option<&Value>) -> (Marker, Body) {
    let plain = |v: &Value| v.clone().unmark_deep().0;
    let (marker, text) = match (old, new) {
        (None, None) => (Marker::Keep, "null".to_string()),
        (None, Some(_)) => (Marker::Add, SENSITIVE.to_string()),
        (Some(_), None) => (Marker::Remove, SENSITIVE.to_string()),
        (Some(a), Some(b)) if plain(a) == plain(b) => (Marker::Keep, SENSITIVE.to_string()),
        (Some(_), Some(_)) => (Marker::Change, SENSITIVE.to_string()),
    };
    (marker, Body::Inline(text))
}

/// A value that is wholly added or wholly removed: every part of it carries `marker`.
fn whole(value: &Value, ty: Option<&AttrType>, marker: Marker) -> Body {
    fn side(v: &Value, marker: Marker) -> (Option<&Value>, Option<&Value>) {
        match marker {
            Marker::Remove => (Some(v), None),
            _ => (None, Some(v)),
        }
    }
    match value {
        Value::List(items) if !items.is_empty() => {
            let element_ty = element_type(ty);
            let items = items
                .iter()
                .map(|v| {
                    let (old, new) = side(v, marker);
                    Item::Entry(entry(Key::Element, old, new, element_ty, false))
                })
                .collect();
            nested_with("[", items, "]".into())
        }
        Value::Object(map) if !map.is_empty() => {
            let items = map
                .iter()
                .filter(|(_, v)| !matches!(v, Value::Null))
                .map(|(k, v)| {
                    let (old, new) = side(v, marker);
                    let key = Key::Named(key_text(k, is_map(ty)));
                    Item::Entry(entry(key, old, new, attribute_type(ty, k), false))
                })
                .collect();
            nested_with("{", items, "}".into())
        }
        Value::String(text) => {
            strings::whole(text, marker).unwrap_or_else(|| Body::Inline(value.to_string()))
        }
        other => Body::Inline(other.to_string()),
    }
}

/// Both sides are present.
fn change(old: &Value, new: &Value, ty: Option<&AttrType>) -> (Marker, Body) {
    if old.is_unknown() || new.is_unknown() {
        return (Marker::Change, Body::Inline(format!("{old} -> {new}")));
    }
    match (old, new) {
        (Value::String(a), Value::String(b)) if a != b => strings::change(a, b)
            .unwrap_or_else(|| (Marker::Change, Body::Inline(format!("{old} -> {new}")))),
        (Value::List(a), Value::List(b)) if !(a.is_empty() && b.is_empty()) => {
            let items = if matches!(ty, Some(AttrType::Set(_))) {
                set_items(a, b, element_type(ty))
            } else {
                list_items(a, b, element_type(ty))
            };
            nested("[", items, "]")
        }
        (Value::Object(a), Value::Object(b)) if !(a.is_empty() && b.is_empty()) => {
            nested("{", object_items(a, b, ty), "}")
        }
        _ if old == new => (Marker::Keep, Body::Inline(new.to_string())),
        _ => (Marker::Change, Body::Inline(format!("{old} -> {new}"))),
    }
}

/// The attributes (or map keys) of two objects, unchanged ones folded at the end.
pub(crate) fn object_items(
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
    ty: Option<&AttrType>,
) -> Vec<Item> {
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    let mut items = Vec::new();
    let mut kept = 0;
    for name in names {
        let (a, b) = (old.get(name.as_str()), new.get(name.as_str()));
        if a.is_none_or(Value::is_null) && b.is_none_or(Value::is_null) {
            continue;
        }
        let key = Key::Named(key_text(name, is_map(ty)));
        let entry = entry(key, a, b, attribute_type(ty, name), false);
        if entry.marker == Marker::Keep {
            kept += 1;
        } else {
            items.push(Item::Entry(entry));
        }
    }
    let noun = if is_map(ty) {
        Noun::Element
    } else {
        Noun::Attribute
    };
    fold(&mut items, kept, noun);
    items
}

/// An ordered list: the longest common run of elements stays (folded), the rest is
/// removed or added where it stands; objects changed in place are diffed inside.
fn list_items(old: &[Value], new: &[Value], ty: Option<&AttrType>) -> Vec<Item> {
    let (a, b) = (identities(old), identities(new));
    let mut items = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        match op {
            DiffOp::Equal { len, .. } => fold(&mut items, len, Noun::Element),
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for v in &old[old_index..old_index + old_len] {
                    items.push(Item::Entry(entry(Key::Element, Some(v), None, ty, false)));
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for v in &new[new_index..new_index + new_len] {
                    items.push(Item::Entry(entry(Key::Element, None, Some(v), ty, false)));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let old = &old[old_index..old_index + old_len];
                let new = &new[new_index..new_index + new_len];
                replaced(old, new, ty, &mut items);
            }
        }
    }
    items
}

/// Elements replaced by others at the same place: two objects side by side are one
/// object changed in place; anything else is a removal and an addition.
fn replaced(old: &[Value], new: &[Value], ty: Option<&AttrType>, items: &mut Vec<Item>) {
    for k in 0..old.len().max(new.len()) {
        match (old.get(k), new.get(k)) {
            (Some(a @ Value::Object(_)), Some(b @ Value::Object(_))) => {
                items.push(Item::Entry(entry(
                    Key::Element,
                    Some(a),
                    Some(b),
                    ty,
                    false,
                )));
            }
            (a, b) => {
                if let Some(a) = a {
                    items.push(Item::Entry(entry(Key::Element, Some(a), None, ty, false)));
                }
                if let Some(b) = b {
                    items.push(Item::Entry(entry(Key::Element, None, Some(b), ty, false)));
                }
            }
        }
    }
}

/// A set: order means nothing, so only elements missing from one side are drawn.
fn set_items(old: &[Value], new: &[Value], ty: Option<&AttrType>) -> Vec<Item> {
    let (a, b) = (identities(old), identities(new));
    let mut unmatched: BTreeMap<&str, isize> = BTreeMap::new();
    for key in &b {
        *unmatched.entry(key).or_default() += 1;
    }
    let mut items = Vec::new();
    let mut kept = 0;
    for (value, key) in old.iter().zip(&a) {
        match unmatched.get_mut(key.as_str()) {
            Some(count) if *count > 0 => {
                *count -= 1;
                kept += 1;
            }
            _ => items.push(Item::Entry(entry(
                Key::Element,
                Some(value),
                None,
                ty,
                false,
            ))),
        }
    }
    let mut available: BTreeMap<&str, isize> = BTreeMap::new();
    for key in &a {
        *available.entry(key).or_default() += 1;
    }
    for (value, key) in new.iter().zip(&b) {
        match available.get_mut(key.as_str()) {
            Some(count) if *count > 0 => *count -= 1,
            _ => items.push(Item::Entry(entry(
                Key::Element,
                None,
                Some(value),
                ty,
                false,
            ))),
        }
    }
    fold(&mut items, kept, Noun::Element);
    items
}

/// A comparison key per element. It never leaves this module: it may hold secrets.
fn identities(values: &[Value]) -> Vec<String> {
    values.iter().map(|v| format!("{v:?}")).collect()
}

/// Adds a fold of `count` entries, merging it with a fold just before.
pub(crate) fn fold(items: &mut Vec<Item>, count: usize, noun: Noun) {
    if count == 0 {
        return;
    }
    if let Some(Item::Fold(n, last)) = items.last_mut()
        && *last == noun
    {
        *n += count;
        return;
    }
    items.push(Item::Fold(count, noun));
}

/// A collection that changed if anything inside it did.
pub(crate) fn nested(open: &str, items: Vec<Item>, close: &str) -> (Marker, Body) {
    let changed = items
        .iter()
        .any(|i| matches!(i, Item::Entry(e) if e.marker != Marker::Keep));
    let marker = if changed {
        Marker::Change
    } else {
        Marker::Keep
    };
    (marker, nested_with(open, items, close.to_string()))
}

fn nested_with(open: &str, items: Vec<Item>, close: String) -> Body {
    Body::Nested {
        open: open.to_string(),
        items,
        close,
    }
}

fn element_type(ty: Option<&AttrType>) -> Option<&AttrType> {
    match ty {
        Some(AttrType::List(t) | AttrType::Set(t)) => Some(t),
        _ => None,
    }
}

fn attribute_type<'a>(ty: Option<&'a AttrType>, name: &str) -> Option<&'a AttrType> {
    match ty {
        Some(AttrType::Object(attributes)) => attributes.get(name),
        Some(AttrType::Map(t)) => Some(t),
        _ => None,
    }
}

fn is_map(ty: Option<&AttrType>) -> bool {
    matches!(ty, Some(AttrType::Map(_)))
}

/// An attribute name as written: bare when it is an identifier (and not a map key),
/// quoted otherwise.
fn key_text(name: &str, quote: bool) -> String {
    let identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if identifier && !quote {
        name.to_string()
    } else {
        serde_json::Value::String(name.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests;
