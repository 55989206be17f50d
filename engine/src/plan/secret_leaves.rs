//! Write-only secrets inside an object attribute (`AttributeSchema::write_only_keys`,
//! such as the Google Play keys deep in an application's `oidc_options`): sent to the
//! provider, never read back, kept in state only as sealed copies (see `sealed`).
//! Plans compare a configured secret with its seal, and show the attribute masked
//! while any of its secrets is set.

use std::borrow::Cow;

use super::sealed;
use crate::Value;
use crate::provider::AttributeSchema;

/// The value at dotted `path` inside `value`, if every step is an object that has it.
fn leaf<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(value, |v, key| v.as_object()?.get(key))
}

/// Sets the value at dotted `path` inside `value` when its parent object exists.
fn set_leaf(value: &mut Value, path: &str, new: Value) {
    let (parents, last) = match path.rsplit_once('.') {
        Some((parents, last)) => (Some(parents), last),
        None => (None, path),
    };
    let mut at = value;
    for key in parents.into_iter().flat_map(|p| p.split('.')) {
        match at {
            Value::Object(map) => match map.get_mut(key) {
                Some(next) => at = next,
                None => return,
            },
            _ => return,
        }
    }
    if let Value::Object(map) = at {
        map.insert(last.to_string(), new);
    }
}

/// The secrets of `value` (an attribute's value) that are set, by path.
fn set_secrets<'a>(
    attr: &'a AttributeSchema,
    value: &'a Value,
) -> impl Iterator<Item = (&'a str, &'a Value)> {
    attr.write_only_keys
        .iter()
        .filter_map(move |path| Some((*path, leaf(value, path).filter(|v| !v.is_null())?)))
}

/// True when `value` sets any of the attribute's secrets (the attribute is then masked).
pub fn any_set(attr: &AttributeSchema, value: &Value) -> bool {
    set_secrets(attr, value).next().is_some()
}

/// `after` as a comparison with `before` should see it: each configured secret whose
/// sealed copy in `before` matches it replaced by that copy, so an unchanged secret
/// is no change. Copied only when the attribute has secrets.
pub fn comparable<'a>(attr: &AttributeSchema, before: &Value, after: &'a Value) -> Cow<'a, Value> {
    if attr.write_only_keys.is_empty() {
        return Cow::Borrowed(after);
    }
    let mut seen = after.clone();
    for (path, configured) in set_secrets(attr, after) {
        if let Some(stored) = leaf(before, path).filter(|s| sealed::matches(s, configured)) {
            set_leaf(&mut seen, path, stored.clone());
        }
    }
    Cow::Owned(seen)
}

/// Sealed copies of the secrets `sent` sets (ones already sealed kept as they are), by path.
pub fn sealed_copies(attr: &AttributeSchema, sent: &Value) -> Vec<(String, Value)> {
    set_secrets(attr, sent)
        .map(|(path, value)| (path.to_string(), sealed::seal_once(value)))
        .collect()
}

/// Puts `copies` (from [`sealed_copies`]) into `returned`, the attribute's value as the
/// provider answered (without the secrets, which are never read back).
pub fn put_copies(returned: &mut Value, copies: Vec<(String, Value)>) {
    for (path, seal) in copies {
        set_leaf(returned, &path, seal);
    }
}

/// Keeps in `live` (an attribute's value read back, in state's JSON) the sealed copies
/// `stored` holds, since the provider never returns the secrets themselves.
pub fn keep_stored(
    attr: &AttributeSchema,
    stored: &serde_json::Value,
    live: &mut serde_json::Value,
) {
    for path in &attr.write_only_keys {
        let pointer = format!("/{}", path.replace('.', "/"));
        let Some(kept) = stored.pointer(&pointer).filter(|v| !v.is_null()) else {
            continue;
        };
        let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", ""));
        if let Some(serde_json::Value::Object(map)) = live.pointer_mut(parent) {
            map.insert(last.to_string(), kept.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::{AttrType, Presence};

    const KEY: &str = "app.store.key";

    fn attr() -> AttributeSchema {
        AttributeSchema::new(
            AttrType::Map(Box::new(AttrType::String)),
            Presence::Optional,
            "",
        )
        .write_only_keys(&[KEY])
    }

    fn with_key(key: Value) -> Value {
        let store =
            Value::Object([("key".to_string(), key), ("kind".to_string(), "X".into())].into());
        let app = Value::Object([("store".to_string(), store)].into());
        Value::Object([("app".to_string(), app)].into())
    }

    #[test]
    fn an_unchanged_secret_compares_equal_through_its_seal_and_a_new_one_does_not() {
        let sent = with_key("s3cret".into());
        let mut stored = with_key(Value::Null);
        put_copies(&mut stored, sealed_copies(&attr(), &sent));
        assert!(!stored.to_string().contains("s3cret"), "{stored}");
        assert_eq!(comparable(&attr(), &stored, &sent).as_ref(), &stored);
        let rotated = with_key("n3w".into());
        assert_ne!(comparable(&attr(), &stored, &rotated).as_ref(), &stored);
        assert!(any_set(&attr(), &sent) && !any_set(&attr(), &with_key(Value::Null)));
    }

    #[test]
    fn refresh_keeps_the_stored_seal_where_the_provider_returns_nothing() {
        let mut stored = with_key(Value::Null);
        put_copies(
            &mut stored,
            sealed_copies(&attr(), &with_key("s3cret".into())),
        );
        let stored = stored.to_json().unwrap();
        let mut live = with_key(Value::Null).to_json().unwrap();
        keep_stored(&attr(), &stored, &mut live);
        assert_eq!(live, stored);
    }
}
