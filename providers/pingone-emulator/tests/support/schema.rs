//! A focused validator for the OpenAPI 3.0 schemas the PingOne specification uses: `type`,
//! `nullable`, `enum`, `format` (date-time, uri, uuid), lengths and ranges, `required`,
//! `properties`, `additionalProperties`, `items`, `allOf`, `oneOf`, `anyOf` and `$ref`.
//!
//! Objects are **closed**: a property the schema does not declare is an error unless the schema
//! allows additional properties (or declares no properties at all, i.e. a free-form object).
//! OpenAPI's default is open, but then a misnamed optional field would pass; the emulator must
//! not invent fields, so the harness is stricter than the specification's letter.
//!
//! `oneOf` is checked as "at least one branch matches": the specification uses it for open
//! enums (`oneOf: [EnumRegionCode, {type: string}]`) whose branches overlap by design.

use serde_json::{Map, Value};

/// Resolves `$ref`s against the document they come from.
pub(crate) struct Validator<'a> {
    root: &'a Value,
}

impl<'a> Validator<'a> {
    /// A validator for schemas inside `root` (the whole OpenAPI document).
    pub(crate) fn new(root: &'a Value) -> Self {
        Validator { root }
    }

    /// Every violation of `schema` by `value`, each prefixed with its JSON path.
    pub(crate) fn errors(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(schema, value, "$", &mut errors);
        errors
    }

    /// Follows `$ref`s (possibly chained) to the schema they name.
    pub(crate) fn resolve<'s>(&self, schema: &'s Value) -> &'s Value
    where
        'a: 's,
    {
        let mut current = schema;
        for _ in 0..32 {
            let target = current
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix('#'))
                .and_then(|pointer| self.root.pointer(pointer));
            match target {
                Some(target) => current = target,
                None => return current,
            }
        }
        current
    }

    fn check(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if value.is_null() {
            if !self.nullable(schema) && !is_unconstrained(schema) {
                errors.push(format!("{at}: null is not allowed"));
            }
            return;
        }
        self.check_composition(schema, value, at, errors);
        if let Some(kind) = schema.get("type").and_then(Value::as_str)
            && !type_matches(kind, value)
        {
            errors.push(format!("{at}: expected {kind}, found {}", describe(value)));
            return;
        }
        check_enum(schema, value, at, errors);
        check_string(schema, value, at, errors);
        check_number(schema, value, at, errors);
        if let Some(items) = schema.get("items")
            && let Some(array) = value.as_array()
        {
            for (index, item) in array.iter().enumerate() {
                self.check(items, item, &format!("{at}[{index}]"), errors);
            }
        }
        if let Some(object) = value.as_object() {
            self.check_object(schema, object, at, errors);
        }
    }

    fn nullable(&self, schema: &Value) -> bool {
        if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
            return true;
        }
        let any = |key: &str| {
            schema
                .get(key)
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(|b| self.nullable(self.resolve(b))))
        };
        any("oneOf") || any("anyOf")
    }

    fn check_composition(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
            for branch in branches {
                // The object as a whole is closed below, over the union of the branches.
                self.check(&open(self.resolve(branch)), value, at, errors);
            }
        }
        for key in ["oneOf", "anyOf"] {
            let Some(branches) = schema.get(key).and_then(Value::as_array) else {
                continue;
            };
            let attempts: Vec<Vec<String>> = branches
                .iter()
                .map(|branch| self.errors_at(branch, value, at))
                .collect();
            if !attempts.iter().any(Vec::is_empty)
                && let Some(closest) = attempts.into_iter().min_by_key(Vec::len)
            {
                errors.push(format!("{at}: matches no branch of {key}; closest:"));
                errors.extend(closest.into_iter().map(|e| format!("  {e}")));
            }
        }
    }

    fn errors_at(&self, schema: &Value, value: &Value, at: &str) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(schema, value, at, &mut errors);
        errors
    }

    fn check_object(
        &self,
        schema: &Value,
        object: &Map<String, Value>,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let mut shape = Shape::default();
        self.collect_shape(schema, &mut shape, 0);
        let additional = match shape.extra {
            Some(extra) => extra,
            None if shape.declared => Additional::Closed,
            None => Additional::Any,
        };
        for name in &shape.required {
            if !object.contains_key(name) {
                errors.push(format!("{at}: missing required property `{name}`"));
            }
        }
        for (name, value) in object {
            let here = format!("{at}.{name}");
            match shape.properties.iter().find(|(n, _)| n == name) {
                Some((_, property)) => self.check(property, value, &here, errors),
                None => match &additional {
                    Additional::Schema(extra) => self.check(extra, value, &here, errors),
                    Additional::Any => {}
                    Additional::Closed => errors.push(format!(
                        "{here}: property not declared by the specification"
                    )),
                },
            }
        }
    }

    /// The declared properties, required names and additional-properties rule of an object
    /// schema, including what its `allOf` branches declare.
    fn collect_shape(&self, schema: &Value, shape: &mut Shape, depth: usize) {
        let schema = self.resolve(schema);
        if depth > 16 {
            return;
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            shape.declared = true;
            for (name, property) in properties {
                shape.properties.push((name.clone(), property.clone()));
            }
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            shape
                .required
                .extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        match schema.get("additionalProperties") {
            Some(Value::Bool(true)) => shape.extra = Some(Additional::Any),
            Some(Value::Bool(false)) => shape.extra = Some(Additional::Closed),
            Some(extra @ Value::Object(_)) => {
                shape.extra = Some(Additional::Schema(extra.clone()));
            }
            _ => {}
        }
        if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
            for branch in branches {
                self.collect_shape(branch, shape, depth + 1);
            }
        }
        // oneOf/anyOf branches check their own closure; their properties are allowed here.
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(key).and_then(Value::as_array)
                && !branches.is_empty()
            {
                shape.extra = Some(Additional::Any);
            }
        }
    }
}

/// What an object schema declares.
#[derive(Default)]
struct Shape {
    declared: bool,
    properties: Vec<(String, Value)>,
    required: Vec<String>,
    /// What `additionalProperties` (or a oneOf/anyOf) says; `None`: closed if declared.
    extra: Option<Additional>,
}

/// How properties that are not declared are treated.
enum Additional {
    /// Allowed, unchecked (free-form objects).
    Any,
    /// Allowed if they match this schema.
    Schema(Value),
    /// Not allowed.
    Closed,
}

/// A copy of an object schema that accepts undeclared properties (used for `allOf` branches,
/// whose parent checks closure over all branches together).
fn open(schema: &Value) -> Value {
    let mut copy = schema.clone();
    if let Some(object) = copy.as_object_mut()
        && !object.contains_key("additionalProperties")
    {
        object.insert("additionalProperties".into(), Value::Bool(true));
        object.remove("required");
    }
    copy
}

/// A schema that says nothing (`{}`, or only a description): anything goes, null included.
fn is_unconstrained(schema: &Value) -> bool {
    const CONSTRAINTS: [&str; 7] = [
        "type",
        "properties",
        "enum",
        "allOf",
        "oneOf",
        "anyOf",
        "items",
    ];
    !CONSTRAINTS.iter().any(|key| schema.get(key).is_some())
}

fn type_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => true,
    }
}

fn describe(value: &Value) -> String {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let mut text = value.to_string();
    if text.len() > 60 {
        text.truncate(60);
        text.push('…');
    }
    format!("{kind} {text}")
}

fn check_enum(schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        errors.push(format!(
            "{at}: {value} is not one of {}",
            Value::from(allowed.clone())
        ));
    }
}

fn check_string(schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(text) = value.as_str() else { return };
    let length = text.chars().count() as u64;
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
        && length < min
    {
        errors.push(format!("{at}: shorter than {min} characters"));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
        && length > max
    {
        errors.push(format!("{at}: longer than {max} characters"));
    }
    let valid = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        Some("uuid") => uuid::Uuid::parse_str(text).is_ok(),
        Some("uri") => text.split_once("://").is_some_and(|(scheme, rest)| {
            !scheme.is_empty() && !rest.is_empty() && !text.contains(char::is_whitespace)
        }),
        _ => true,
    };
    if !valid {
        let format = schema["format"].as_str().unwrap_or_default();
        errors.push(format!("{at}: {value} is not a valid {format}"));
    }
}

fn check_number(schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(number) = value.as_f64() else { return };
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
        && number < min
    {
        errors.push(format!("{at}: {number} is below the minimum {min}"));
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
        && number > max
    {
        errors.push(format!("{at}: {number} is above the maximum {max}"));
    }
}
