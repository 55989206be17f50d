//! Reading attributes out of a JSON request body, collecting every validation problem as a
//! PingOne error detail (`REQUIRED_VALUE`, `EMPTY_VALUE`, `INVALID_VALUE`) so one 400 response
//! reports them all.

use serde_json::{Map, Value};

use crate::api_error::{ApiError, Detail};

/// A request body being validated.
#[derive(Debug)]
pub(crate) struct Fields<'a> {
    body: &'a Map<String, Value>,
    details: Vec<Detail>,
}

impl<'a> Fields<'a> {
    /// Starts validating `body`.
    pub(crate) fn new(body: &'a Map<String, Value>) -> Self {
        Fields {
            body,
            details: Vec::new(),
        }
    }

    /// Records a problem.
    pub(crate) fn problem(&mut self, detail: Detail) {
        self.details.push(detail);
    }

    /// The attribute, treating JSON `null` as absent.
    fn get(&self, name: &str) -> Option<&'a Value> {
        self.body.get(name).filter(|v| !v.is_null())
    }

    fn wrong_type(&mut self, name: &str, expected: &str) {
        let message = format!("{name} must be {expected}.");
        self.problem(Detail::new("INVALID_VALUE", message).target(name));
    }

    /// A required, non-empty string.
    pub(crate) fn required_string(&mut self, name: &str) -> Option<String> {
        match self.get(name) {
            None => {
                self.problem(
                    Detail::new("REQUIRED_VALUE", format!("{name} is required.")).target(name),
                );
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.problem(
                    Detail::new("EMPTY_VALUE", format!("{name} must not be empty.")).target(name),
                );
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.wrong_type(name, "a string");
                None
            }
        }
    }

    /// An optional string.
    pub(crate) fn optional_string(&mut self, name: &str) -> Option<String> {
        match self.get(name)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong_type(name, "a string");
                None
            }
        }
    }

    /// An optional boolean.
    pub(crate) fn optional_bool(&mut self, name: &str) -> Option<bool> {
        match self.get(name)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(name, "a boolean");
                None
            }
        }
    }

    /// An optional array of strings.
    pub(crate) fn optional_strings(&mut self, name: &str) -> Option<Vec<String>> {
        let items = match self.get(name)? {
            Value::Array(items) => items,
            _ => {
                self.wrong_type(name, "an array of strings");
                return None;
            }
        };
        let strings: Option<Vec<String>> = items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect();
        if strings.is_none() {
            self.wrong_type(name, "an array of strings");
        }
        strings
    }

    /// An optional reference object `{"id": "..."}`; if the object is sent, `id` is required.
    pub(crate) fn optional_reference(&mut self, name: &str) -> Option<String> {
        let object = match self.get(name)? {
            Value::Object(object) => object,
            _ => {
                self.wrong_type(name, "an object");
                return None;
            }
        };
        let target = format!("{name}.id");
        match object.get("id") {
            Some(Value::String(id)) if !id.trim().is_empty() => Some(id.clone()),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                self.problem(
                    Detail::new("REQUIRED_VALUE", format!("{target} is required.")).target(target),
                );
                None
            }
            Some(_) => {
                self.wrong_type(&target, "a string");
                None
            }
        }
    }

    /// Fails with 400 `INVALID_DATA` if any problem was recorded.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.details.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_data(self.details))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn reads_valid_attributes() {
        let b = body(json!({"n": "x", "b": true, "a": ["p"], "r": {"id": "i"}, "z": null}));
        let mut f = Fields::new(&b);
        assert_eq!(f.required_string("n").as_deref(), Some("x"));
        assert_eq!(f.optional_bool("b"), Some(true));
        assert_eq!(f.optional_strings("a"), Some(vec!["p".to_owned()]));
        assert_eq!(f.optional_reference("r").as_deref(), Some("i"));
        assert_eq!(f.optional_string("z"), None);
        assert!(f.finish().is_ok());
    }

    #[test]
    fn collects_every_problem() {
        let b = body(json!({"n": "", "b": "yes", "a": [1], "r": {}}));
        let mut f = Fields::new(&b);
        f.required_string("n");
        f.required_string("missing");
        f.optional_bool("b");
        f.optional_strings("a");
        f.optional_reference("r");
        let details = f.finish().expect_err("error").body()["details"].clone();
        let codes: Vec<_> = details
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| d["code"].clone())
            .collect();
        assert_eq!(
            codes,
            vec![
                json!("EMPTY_VALUE"),
                json!("REQUIRED_VALUE"),
                json!("INVALID_VALUE"),
                json!("INVALID_VALUE"),
                json!("REQUIRED_VALUE")
            ]
        );
        assert_eq!(details[4]["target"], "r.id");
    }
}
