//! The engine's value type: known data, or "known after apply", optionally marked sensitive.
//!
//! Values flow from the evaluator into plans and from providers into state.
//! State holds only known values; [`Value::to_json`] refuses unknowns and drops sensitive
//! marks (they are re-derived from the schema and configuration on every run).
//!
//! A sensitive mark is the [`Value::Sensitive`] variant around a [`Marked`] value. Marks are
//! normalized: [`Marked`] can only be built by [`Value::sensitive`], which removes every mark
//! inside the value it wraps, so a mark never nests in another and "is this sensitive?" has
//! one answer per node.

use std::collections::BTreeMap;
use std::fmt;

/// A configuration or object value.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// The absence of a value.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (HCL numbers are decimal; f64 covers what PingOne uses).
    Number(f64),
    /// A string.
    String(String),
    /// A list or tuple.
    List(Vec<Value>),
    /// An object or map, keyed by attribute name.
    Object(BTreeMap<String, Value>),
    /// A value that will only be known after apply.
    Unknown,
    /// A sensitive value: shown as `(sensitive value)`, and every value derived from it is
    /// sensitive too. Build it with [`Value::sensitive`].
    Sensitive(Marked),
}

/// The value inside a sensitive mark. It contains no marks itself; the only constructor is
/// [`Value::sensitive`], which guarantees that.
#[derive(Clone, Debug, PartialEq)]
pub struct Marked(Box<Value>);

impl Marked {
    /// The wrapped value (which holds no marks).
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// Takes the wrapped value out.
    pub fn into_value(self) -> Value {
        *self.0
    }
}

impl Value {
    /// `value` marked sensitive. Marks inside it are dropped (the outer mark covers them),
    /// and marking a sensitive value again changes nothing.
    pub fn sensitive(value: Value) -> Value {
        Value::Sensitive(Marked(Box::new(value.unmark_deep().0)))
    }

    /// `self`, marked sensitive when `sensitive` is true.
    pub fn mark_if(self, sensitive: bool) -> Value {
        if sensitive {
            Value::sensitive(self)
        } else {
            self
        }
    }

    /// True when this value itself carries a sensitive mark.
    pub fn is_sensitive(&self) -> bool {
        matches!(self, Value::Sensitive(_))
    }

    /// True when this value or anything inside it is sensitive.
    pub fn contains_sensitive(&self) -> bool {
        match self {
            Value::Sensitive(_) => true,
            Value::List(items) => items.iter().any(Value::contains_sensitive),
            Value::Object(map) => map.values().any(Value::contains_sensitive),
            _ => false,
        }
    }

    /// Removes this value's own mark, returning the value and whether it was sensitive.
    /// Marks inside collections stay.
    pub fn unmark(self) -> (Value, bool) {
        match self {
            Value::Sensitive(m) => (m.into_value(), true),
            other => (other, false),
        }
    }

    /// Removes every mark, returning the value and whether any part was sensitive.
    pub fn unmark_deep(self) -> (Value, bool) {
        match self {
            Value::Sensitive(m) => (m.into_value(), true),
            Value::List(items) => {
                let mut any = false;
                let items = items
                    .into_iter()
                    .map(|v| {
                        let (v, m) = v.unmark_deep();
                        any |= m;
                        v
                    })
                    .collect();
                (Value::List(items), any)
            }
            Value::Object(map) => {
                let mut any = false;
                let map = map
                    .into_iter()
                    .map(|(k, v)| {
                        let (v, m) = v.unmark_deep();
                        any |= m;
                        (k, v)
                    })
                    .collect();
                (Value::Object(map), any)
            }
            other => (other, false),
        }
    }

    /// The value without its own mark (marks inside collections stay).
    pub fn unmarked(&self) -> &Value {
        match self {
            Value::Sensitive(m) => m.value(),
            other => other,
        }
    }

    /// True unless this value is or contains [`Value::Unknown`].
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(items) => items.iter().all(Value::is_wholly_known),
            Value::Object(map) => map.values().all(Value::is_wholly_known),
            Value::Sensitive(m) => m.value().is_wholly_known(),
            _ => true,
        }
    }

    /// True for [`Value::Unknown`], marked or not.
    pub fn is_unknown(&self) -> bool {
        matches!(self.unmarked(), Value::Unknown)
    }

    /// True for [`Value::Null`], marked or not.
    pub fn is_null(&self) -> bool {
        matches!(self.unmarked(), Value::Null)
    }

    /// The attribute `name` of an object (looking through a sensitive mark, which the
    /// result does not carry), or `None` for other values or a missing key.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self.unmarked() {
            Value::Object(map) => map.get(name),
            _ => None,
        }
    }

    /// The string inside a [`Value::String`] (looking through a sensitive mark).
    pub fn as_str(&self) -> Option<&str> {
        match self.unmarked() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The map inside a [`Value::Object`] (looking through a sensitive mark).
    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self.unmarked() {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The name of this value's type, for messages ("string", "object", ...). A sensitive
    /// value has the type of what it wraps.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Unknown => "unknown",
            Value::Sensitive(m) => m.value().type_name(),
        }
    }

    /// Converts JSON (from state or an API) into a value.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Converts a wholly known value into JSON; `None` if any part is unknown. Sensitive
    /// values are written as what they wrap: state keeps them, marks are re-derived.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(
                items
                    .iter()
                    .map(Value::to_json)
                    .collect::<Option<Vec<_>>>()?,
            ),
            Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<serde_json::Map<_, _>>>()?,
            ),
            Value::Unknown => return None,
            Value::Sensitive(m) => return m.value().to_json(),
        })
    }
}

/// Integral numbers become JSON integers so that state and API bodies read `3`, not `3.0`.
fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

/// Renders a value as HCL would write it: strings quoted, objects in braces.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{}", number_to_json(*n)),
            Value::String(s) => write!(f, "{}", serde_json::Value::String(s.clone())),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Object(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str("}")
            }
            Value::Unknown => f.write_str("(known after apply)"),
            Value::Sensitive(_) => f.write_str("(sensitive value)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_integers() {
        let json = serde_json::json!({"a": 3, "b": [true, null, "x"], "c": 1.5});
        let v = Value::from_json(&json);
        assert_eq!(v.to_json(), Some(json));
    }

    #[test]
    fn unknown_has_no_json() {
        let v = Value::Object(BTreeMap::from([("id".to_string(), Value::Unknown)]));
        assert!(!v.is_wholly_known());
        assert_eq!(v.to_json(), None);
    }

    #[test]
    fn sensitive_marks_never_nest() {
        let inner = Value::List(vec![Value::sensitive("a".into()), "b".into()]);
        let marked = Value::sensitive(Value::sensitive(inner));
        let Value::Sensitive(m) = &marked else {
            panic!("not marked: {marked:?}")
        };
        assert_eq!(m.value(), &Value::List(vec!["a".into(), "b".into()]));
        assert!(!m.value().contains_sensitive());
        assert_eq!(marked.clone().unmark().0, m.value().clone());
    }

    #[test]
    fn sensitive_values_hide_in_display_but_not_in_json() {
        let v = Value::Object(BTreeMap::from([(
            "secret".to_string(),
            Value::sensitive("hunter2".into()),
        )]));
        assert_eq!(v.to_string(), "{secret = (sensitive value)}");
        assert_eq!(v.to_json(), Some(serde_json::json!({"secret": "hunter2"})));
        assert!(v.contains_sensitive() && !v.is_sensitive());
        assert_eq!(
            v.unmark_deep(),
            (
                Value::Object(BTreeMap::from([("secret".to_string(), "hunter2".into())])),
                true
            )
        );
    }

    #[test]
    fn sensitive_unknown_is_unknown() {
        let v = Value::sensitive(Value::Unknown);
        assert!(v.is_unknown() && !v.is_wholly_known());
        assert_eq!(v.type_name(), "unknown");
        assert!(Value::sensitive(Value::Null).mark_if(false).is_null());
    }

    #[test]
    fn displays_like_hcl() {
        let v = Value::Object(BTreeMap::from([
            ("n".to_string(), Value::Number(2.0)),
            ("s".to_string(), Value::from("a\"b")),
        ]));
        assert_eq!(v.to_string(), r#"{n = 2, s = "a\"b"}"#);
    }
}
