//! Variable type constraints (`string`, `list(T)`, `object({...})` with `optional()`, ...)
//! and the conversion of given values to them, with Terraform's rules: primitives convert
//! to each other where HCL would, object attributes not in the type are dropped, missing
//! optional attributes take their default (or null).

use std::collections::BTreeMap;
use std::fmt;

use hcl_edit::expr::{Expression, FuncCall, ObjectKey};

use crate::Value;
use crate::config::Expr;
use crate::diagnostics::{Diagnostic, Span};
use crate::eval::{Scope, evaluate};

/// A type constraint.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// `any`: every value.
    Any,
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `bool`.
    Bool,
    /// `list(T)`.
    List(Box<Type>),
    /// `set(T)`.
    Set(Box<Type>),
    /// `map(T)`.
    Map(Box<Type>),
    /// `object({ name = T, ... })`.
    Object(BTreeMap<String, ObjectAttr>),
    /// `tuple([T, ...])`.
    Tuple(Vec<Type>),
}

/// One attribute of an object type.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectAttr {
    /// The attribute's type.
    pub ty: Type,
    /// Declared with `optional(...)`.
    pub optional: bool,
    /// The default given to `optional(T, default)`.
    pub default: Option<Value>,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Any => f.write_str("any"),
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::List(t) => write!(f, "list({t})"),
            Type::Set(t) => write!(f, "set({t})"),
            Type::Map(t) => write!(f, "map({t})"),
            Type::Object(attrs) => {
                f.write_str("object({")?;
                for (i, (name, attr)) in attrs.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    if attr.optional {
                        write!(f, "{sep}{name} = optional({})", attr.ty)?;
                    } else {
                        write!(f, "{sep}{name} = {}", attr.ty)?;
                    }
                }
                f.write_str("})")
            }
            Type::Tuple(items) => {
                let items: Vec<String> = items.iter().map(ToString::to_string).collect();
                write!(f, "tuple([{}])", items.join(", "))
            }
        }
    }
}

/// Parses a `type = ...` expression.
pub fn parse(expr: &Expr) -> Result<Type, Diagnostic> {
    Parser { expr }.ty(&expr.expr, false).map(|(t, _)| t)
}

struct Parser<'a> {
    expr: &'a Expr,
}

impl Parser<'_> {
    fn span(&self, node: &impl hcl_edit::Span) -> Span {
        Span::new(self.expr.file, node.span().unwrap_or(0..0))
    }

    fn invalid(&self, node: &impl hcl_edit::Span, detail: impl Into<String>) -> Diagnostic {
        Diagnostic::error("Invalid type specification")
            .with_span(self.span(node), "not a type")
            .with_detail(detail)
            .with_help("types are string, number, bool, any, list(T), set(T), map(T), tuple([T, ...]) and object({ name = T, ... })")
    }

    /// A type, and (where `optional(...)` is allowed) its optional flag and default.
    fn ty(
        &self,
        e: &Expression,
        allow_optional: bool,
    ) -> Result<(Type, Option<Option<Value>>), Diagnostic> {
        match e {
            Expression::Variable(v) => match v.as_str() {
                "string" => Ok((Type::String, None)),
                "number" => Ok((Type::Number, None)),
                "bool" => Ok((Type::Bool, None)),
                "any" => Ok((Type::Any, None)),
                other => Err(self.invalid(v, format!("The keyword `{other}` is not a type."))),
            },
            Expression::FuncCall(call) => self.constructor(call, allow_optional),
            Expression::Parenthesis(p) => self.ty(p.inner(), allow_optional),
            other => Err(self.invalid(
                other,
                "A type is a keyword such as `string` or a constructor such as `list(string)`.",
            )),
        }
    }

    fn constructor(
        &self,
        call: &FuncCall,
        allow_optional: bool,
    ) -> Result<(Type, Option<Option<Value>>), Diagnostic> {
        let name = call.name.name.as_str();
        let args: Vec<&Expression> = call.args.iter().collect();
        let one = |p: &Self| -> Result<Type, Diagnostic> {
            match args.as_slice() {
                [only] => Ok(p.ty(only, false)?.0),
                _ => Err(p.invalid(call, format!("`{name}(...)` takes exactly one type."))),
            }
        };
        let ty =
            match name {
                "list" => Type::List(Box::new(one(self)?)),
                "set" => Type::Set(Box::new(one(self)?)),
                "map" => Type::Map(Box::new(one(self)?)),
                "tuple" => match args.as_slice() {
                    [Expression::Array(items)] => Type::Tuple(
                        items
                            .iter()
                            .map(|i| Ok(self.ty(i, false)?.0))
                            .collect::<Result<_, Diagnostic>>()?,
                    ),
                    _ => {
                        return Err(self.invalid(
                            call,
                            "`tuple` takes a list of types: `tuple([string, number])`.",
                        ));
                    }
                },
                "object" => match args.as_slice() {
                    [Expression::Object(object)] => {
                        let mut attrs = BTreeMap::new();
                        for (key, value) in object.iter() {
                            let name = match key {
                                ObjectKey::Ident(i) => i.as_str().to_string(),
                                ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                                ObjectKey::Expression(k) => {
                                    return Err(self.invalid(
                                        k,
                                        "Object type attribute names must be plain names.",
                                    ));
                                }
                            };
                            let (ty, optional) = self.ty(value.expr(), true)?;
                            attrs.insert(
                                name,
                                ObjectAttr {
                                    ty,
                                    optional: optional.is_some(),
                                    default: optional.flatten(),
                                },
                            );
                        }
                        Type::Object(attrs)
                    }
                    _ => return Err(self.invalid(
                        call,
                        "`object` takes an object of attribute types: `object({ name = string })`.",
                    )),
                },
                "optional" if allow_optional => return self.optional(call, &args),
                "optional" => {
                    return Err(self.invalid(
                        call,
                        "`optional(...)` is only allowed for the attributes of an object type.",
                    ));
                }
                other => {
                    return Err(self.invalid(
                        &call.name.name,
                        format!("There is no type constructor named `{other}`."),
                    ));
                }
            };
        Ok((ty, None))
    }

    fn optional(
        &self,
        call: &FuncCall,
        args: &[&Expression],
    ) -> Result<(Type, Option<Option<Value>>), Diagnostic> {
        let (ty, default) =
            match args {
                [ty] => (self.ty(ty, false)?.0, None),
                [ty, default] => {
                    let ty = self.ty(ty, false)?.0;
                    let no_vars = BTreeMap::new();
                    let no_resources = BTreeMap::new();
                    let expr = Expr::new((*default).clone(), self.expr.file);
                    let value = evaluate(&expr, &Scope::new(&no_vars, &no_resources))?;
                    let value = convert(value, &ty).map_err(|e| {
                        Diagnostic::error("Invalid default value for optional attribute")
                            .with_span(expr.span(), "does not match the type")
                            .with_detail(e.to_string())
                    })?;
                    (ty, Some(value))
                }
                _ => return Err(self.invalid(
                    call,
                    "`optional` takes a type and an optional default: `optional(string, \"x\")`.",
                )),
            };
        Ok((ty, Some(default)))
    }
}

/// Why a value does not fit a type: where inside the value, and what was required.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeError {
    /// The path to the offending part (`attribute "name"`, `element 2`), outermost first.
    pub path: Vec<String>,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for TypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.path {
            write!(f, "{step}: ")?;
        }
        f.write_str(&self.message)
    }
}

fn fail(message: impl Into<String>) -> TypeError {
    TypeError {
        path: Vec::new(),
        message: message.into(),
    }
}

fn within(step: String) -> impl FnOnce(TypeError) -> TypeError {
    move |mut e| {
        e.path.insert(0, step);
        e
    }
}

/// Converts `value` to `ty`. Unknown values stay unknown; sensitive values stay sensitive.
pub fn convert(value: Value, ty: &Type) -> Result<Value, TypeError> {
    let (value, sensitive) = value.unmark();
    if matches!(value, Value::Unknown | Value::Null) || *ty == Type::Any {
        return Ok(value.mark_if(sensitive));
    }
    let converted = match ty {
        Type::Any => value,
        Type::String => match &value {
            Value::String(_) => value,
            Value::Number(_) | Value::Bool(_) => {
                Value::String(value.to_string().trim_matches('"').to_string())
            }
            other => {
                return Err(fail(format!(
                    "string required, but got {}",
                    other.type_name()
                )));
            }
        },
        Type::Number => match &value {
            Value::Number(_) => value,
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::Number)
                .ok_or_else(|| fail(format!("a number is required, but got the string {value}")))?,
            other => {
                return Err(fail(format!(
                    "number required, but got {}",
                    other.type_name()
                )));
            }
        },
        Type::Bool => match &value {
            Value::Bool(_) => value,
            Value::String(s) if s == "true" => Value::Bool(true),
            Value::String(s) if s == "false" => Value::Bool(false),
            other => return Err(fail(format!("bool required, but got {}", describe(other)))),
        },
        Type::List(elem) | Type::Set(elem) => {
            let Value::List(items) = value else {
                return Err(fail(format!(
                    "{ty} required, but got {}",
                    value.type_name()
                )));
            };
            let items = items
                .into_iter()
                .enumerate()
                .map(|(i, v)| convert(v, elem).map_err(within(format!("element {i}"))))
                .collect::<Result<Vec<_>, _>>()?;
            if matches!(ty, Type::Set(_)) {
                Value::List(crate::eval::normalize_set(items))
            } else {
                Value::List(items)
            }
        }
        Type::Map(elem) => {
            let Value::Object(map) = value else {
                return Err(fail(format!(
                    "{ty} required, but got {}",
                    value.type_name()
                )));
            };
            let map = map
                .into_iter()
                .map(|(k, v)| {
                    let v = convert(v, elem).map_err(within(format!("element {k:?}")))?;
                    Ok((k, v))
                })
                .collect::<Result<_, TypeError>>()?;
            Value::Object(map)
        }
        Type::Object(attrs) => {
            let Value::Object(mut map) = value else {
                return Err(fail(format!(
                    "object required, but got {}",
                    value.type_name()
                )));
            };
            let mut out = BTreeMap::new();
            for (name, attr) in attrs {
                let v = match map.remove(name) {
                    Some(v) => {
                        convert(v, &attr.ty).map_err(within(format!("attribute {name:?}")))?
                    }
                    None if attr.optional => attr.default.clone().unwrap_or(Value::Null),
                    None => return Err(fail(format!("attribute {name:?} is required"))),
                };
                let v = match (&v, &attr.default) {
                    (Value::Null, Some(default)) => default.clone(),
                    _ => v,
                };
                out.insert(name.clone(), v);
            }
            Value::Object(out)
        }
        Type::Tuple(types) => {
            let Value::List(items) = value else {
                return Err(fail(format!(
                    "tuple required, but got {}",
                    value.type_name()
                )));
            };
            if items.len() != types.len() {
                return Err(fail(format!(
                    "a tuple of {} elements is required, but got {}",
                    types.len(),
                    items.len()
                )));
            }
            let items = items
                .into_iter()
                .zip(types)
                .enumerate()
                .map(|(i, (v, t))| convert(v, t).map_err(within(format!("element {i}"))))
                .collect::<Result<Vec<_>, _>>()?;
            Value::List(items)
        }
    };
    Ok(converted.mark_if(sensitive))
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(_) => format!("the string {v}"),
        other => other.type_name().to_string(),
    }
}

/// True when text from the command line or environment is taken literally, as Terraform
/// does for primitive types and untyped variables; other types (`any` included) parse it
/// as an HCL expression.
pub fn takes_literal_text(ty: Option<&Type>) -> bool {
    matches!(ty, None | Some(Type::String | Type::Number | Type::Bool))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::FileId;

    fn ty(src: &str) -> Type {
        let expr = hcl_edit::parser::parse_expr(src).expect("parses");
        parse(&Expr::new(expr, FileId(0))).unwrap_or_else(|d| panic!("{d}"))
    }

    fn value(src: &str) -> Value {
        let expr = hcl_edit::parser::parse_expr(src).expect("parses");
        let (v, r) = (BTreeMap::new(), BTreeMap::new());
        evaluate(&Expr::new(expr, FileId(0)), &Scope::new(&v, &r)).expect("evaluates")
    }

    fn conv(t: &str, v: &str) -> Result<String, String> {
        convert(value(v), &ty(t))
            .map(|v| v.to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn parses_and_prints_types() {
        for src in [
            "string",
            "list(number)",
            "set(bool)",
            "map(any)",
            "tuple([string, number])",
        ] {
            assert_eq!(ty(src).to_string(), src);
        }
        assert_eq!(
            ty("object({ name = string, tags = optional(list(string), []) })").to_string(),
            "object({name = string, tags = optional(list(string))})"
        );
    }

    #[test]
    fn converts_like_terraform() {
        assert_eq!(conv("number", "\"5\""), Ok("5".into()));
        assert_eq!(conv("string", "5"), Ok("\"5\"".into()));
        assert_eq!(conv("bool", "\"true\""), Ok("true".into()));
        assert_eq!(
            conv("set(string)", "[\"b\", \"a\", \"b\"]"),
            Ok("[\"a\", \"b\"]".into())
        );
        assert_eq!(conv("map(number)", "{ a = \"1\" }"), Ok("{a = 1}".into()));
        assert_eq!(
            conv(
                "object({ name = string, tags = optional(list(string), [\"x\"]), note = optional(string) })",
                "{ name = \"n\", extra = 1 }"
            ),
            Ok("{name = \"n\", note = null, tags = [\"x\"]}".into())
        );
        assert_eq!(
            conv("number", "\"five\""),
            Err("a number is required, but got the string \"five\"".into())
        );
        assert_eq!(
            conv(
                "list(object({ name = string }))",
                "[{ name = \"a\" }, { nmae = \"b\" }]"
            ),
            Err("element 1: attribute \"name\" is required".into())
        );
        assert_eq!(
            conv("tuple([string])", "[1, 2]"),
            Err("a tuple of 1 elements is required, but got 2".into())
        );
    }

    #[test]
    fn keeps_marks_and_unknowns() {
        let v = convert(Value::sensitive("5".into()), &Type::Number).expect("converts");
        assert!(v.is_sensitive());
        assert_eq!(convert(Value::Unknown, &Type::Bool), Ok(Value::Unknown));
    }

    #[test]
    fn reports_bad_type_expressions() {
        let expr = hcl_edit::parser::parse_expr("list(strin)").expect("parses");
        let d = parse(&Expr::new(expr, FileId(0))).expect_err("invalid");
        assert_eq!(d.summary, "Invalid type specification");
        assert_eq!(d.span.map(|s| s.range), Some(5..10));
    }
}
